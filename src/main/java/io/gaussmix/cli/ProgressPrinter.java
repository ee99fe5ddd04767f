package io.gaussmix.cli;

import io.gaussmix.FitListener;
import io.gaussmix.Intervention;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a fit's progress to stderr: one line per EM iteration (iteration, lower bound, change,
 * elapsed time, rows per second), throttled to about two lines a second for fast fits, plus every
 * intervention and note as it happens. The last iteration seen is kept so that {@link #finish} can
 * print it if it was throttled away.
 *
 * <p>Quiet ({@code --quiet}) silences progress only: the iteration lines and the notes that merely
 * report where the fit runs. Warnings (a fit that did not converge, a switch to float64, ...) and
 * interventions are always printed.
 */
final class ProgressPrinter implements FitListener {
    private static final long INTERVAL_NANOS = 500_000_000L;

    private final PrintWriter err;
    private final boolean quiet;
    private long lastPrint = Long.MIN_VALUE;
    private IterationEvent pending;

    ProgressPrinter(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    /** Whether a note only reports where the fit runs (the backend chosen, or skipped on the way: AUTO's search). */
    static boolean isProgress(String note) {
        return note.startsWith("backend: ") || note.startsWith("skipped backend ");
    }

    @Override
    public void onIteration(IterationEvent e) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (pending != null && pending.init() != e.init()) {
            flushPending();
        }
        if (e.iteration() == 1 || lastPrint == Long.MIN_VALUE || now - lastPrint >= INTERVAL_NANOS) {
            print(e);
            lastPrint = now;
            pending = null;
        } else {
            pending = e;
        }
    }

    @Override
    public void onIntervention(Intervention intervention) {
        flushPending();
        err.println("gaussmix: intervention: " + intervention);
        err.flush();
    }

    @Override
    public void onNote(String message) {
        if (quiet && isProgress(message)) {
            return;
        }
        flushPending();
        err.println("gaussmix: " + CliTerms.of(message));
        err.flush();
    }

    /** Prints the last iteration if it was held back by the throttle. */
    void finish() {
        flushPending();
    }

    private void flushPending() {
        if (pending != null) {
            print(pending);
            pending = null;
        }
    }

    private void print(IterationEvent e) {
        double seconds = e.elapsedNanos() / 1e9;
        err.println(String.format(Locale.ROOT, "init %d  iter %4d  lower bound %.10g  change %s  %8.3fs  %s rows/s",
                e.init() + 1, e.iteration(), e.lowerBound(),
                Double.isNaN(e.change()) ? "-" : String.format(Locale.ROOT, "%.3e", e.change()), seconds,
                Double.isNaN(e.rowsPerSecond()) ? "-" : String.format(Locale.ROOT, "%.3g", e.rowsPerSecond())));
        err.flush();
    }
}
