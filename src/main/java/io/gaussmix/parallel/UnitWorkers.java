package io.gaussmix.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.BinaryOperator;

/**
 * A fixed pool of worker threads that runs a task on fixed-size units of rows: [0, n) is cut into
 * units of {@code unitRows} rows (the last one shorter), the workers take units from one queue, and
 * results come back in unit order. The cut depends only on n and the unit size, never on the
 * thread count or on timing, so a result reduced in unit order is the same bits on 1 thread or 64.
 */
public final class UnitWorkers implements AutoCloseable {
    /** Work on rows [from, to). */
    @FunctionalInterface
    public interface RangeTask<T> {
        T run(int from, int to);
    }

    /** Work on rows [from, to) that returns nothing (each row's output is its own). */
    @FunctionalInterface
    public interface RangeAction {
        void run(int from, int to);
    }

    /** The pool whose worker the current thread is, if any. */
    private static final ThreadLocal<UnitWorkers> OWNER = new ThreadLocal<>();

    private final int threads;
    private final ExecutorService pool;
    private final boolean shared;

    /** @param threads workers; 0 = one per available processor */
    public UnitWorkers(int threads) {
        this(threads, false);
    }

    private UnitWorkers(int threads, boolean shared) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = one per processor), got " + threads);
        }
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.shared = shared;
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(() -> {
                OWNER.set(this);
                r.run();
            }, shared ? "gaussmix-host" : "gaussmix-cpu");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One pool per JVM, one worker per available processor, started on first use, for the host-side
     * scoring of fitted models (predict, score, BIC/AIC, imputation, re-seeding): those calls are
     * short and frequent, and a pool per call would cost more threads than work. Its workers are
     * daemons (it never keeps the JVM alive) and {@link #close} leaves it running.
     */
    public static UnitWorkers shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final UnitWorkers INSTANCE = new UnitWorkers(0, true);
    }

    /** Number of workers. */
    public int threads() {
        return threads;
    }

    /** Number of units [0, n) is cut into: at least one (an empty one when n = 0). */
    public static int units(int n, int unitRows) {
        if (unitRows < 1) {
            throw new IllegalArgumentException("unitRows must be >= 1, got " + unitRows);
        }
        return (int) Math.max(1, ((long) n + unitRows - 1) / unitRows);
    }

    /**
     * Runs the task on every unit and folds the results in unit order: {@code combine(...combine(
     * combine(r0, r1), r2)..., r_last)}; the shape does not depend on the thread count. Each unit's
     * result is folded as soon as those before it are, so at most a few are held at a time. A task's
     * exception is rethrown as it was.
     */
    public <T> T reduce(int n, int unitRows, RangeTask<T> task, BinaryOperator<T> combine) {
        return fold(null, n, unitRows, task, combine);
    }

    /**
     * {@link #reduce} continued from {@code total}: the units' results folded onto it in unit order,
     * {@code combine(...combine(combine(total, r0), r1)..., r_last)} (with a null {@code total}, exactly
     * {@link #reduce}). A pass over rows that arrive in windows of whole units folds window after window
     * onto one total, so its shape is the same as one {@link #reduce} over all the rows.
     */
    public <T> T fold(T total, int n, int unitRows, RangeTask<T> task, BinaryOperator<T> combine) {
        List<Future<T>> futures = submit(n, unitRows, task);
        try {
            for (int u = 0; u < futures.size(); u++) {
                T r = await(futures.get(u));
                futures.set(u, null);
                total = total == null ? r : combine.apply(total, r);
            }
        } finally {
            cancel(futures);
        }
        return total;
    }

    /** Runs the action on every unit (concurrently, in any order) and returns when all are done. */
    public void forEach(int n, int unitRows, RangeAction action) {
        List<Future<Void>> futures = submit(n, unitRows, (from, to) -> {
            action.run(from, to);
            return null;
        });
        try {
            for (Future<Void> f : futures) {
                await(f);
            }
        } finally {
            cancel(futures);
        }
    }

    /**
     * Queues one task per unit. Called from one of this pool's own workers (a visitor that scores
     * again, say), the units run right there instead, in order: queueing them behind a worker that
     * waits for them could deadlock, and the cut, hence the result, is the same.
     */
    private <T> List<Future<T>> submit(int n, int unitRows, RangeTask<T> task) {
        int units = units(n, unitRows);
        boolean inline = OWNER.get() == this;
        List<Future<T>> futures = new ArrayList<>(units);
        for (int u = 0; u < units; u++) {
            int from = (int) Math.min(n, (long) u * unitRows);
            int to = (int) Math.min(n, (long) (u + 1) * unitRows);
            if (inline) {
                FutureTask<T> f = new FutureTask<>(() -> task.run(from, to));
                f.run();
                futures.add(f);
            } else {
                futures.add(pool.submit(() -> task.run(from, to)));
            }
        }
        return futures;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        }
    }

    /** After a failure, the units not yet started are dropped rather than run for nothing. */
    private static void cancel(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** Stops the workers; a no-op on the {@link #shared} pool. */
    @Override
    public void close() {
        if (!shared) {
            pool.shutdownNow();
        }
    }
}
