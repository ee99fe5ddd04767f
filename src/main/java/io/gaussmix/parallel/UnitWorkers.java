package io.gaussmix.parallel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BinaryOperator;

/**
 * A fixed pool of worker threads that runs a task on fixed-size units of rows: [0, n) is cut into
 * units of {@code unitRows} rows (the last one shorter), the calling thread and the pool's threads - 1 workers
 * take them in order, and the results are folded in unit order. The cut depends only on n and the unit size, never on the
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

    /** The pool the current thread works for, if any: one of its workers', or a caller's during {@link #run}. */
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
        // The calling thread is one of the workers (run): the pool has the others.
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
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
        return run(new Job<>(n, unitRows, task, combine, total));
    }

    /** Runs the action on every unit (concurrently, in any order) and returns when all are done. */
    public void forEach(int n, int unitRows, RangeAction action) {
        run(new Job<Object>(n, unitRows, (from, to) -> {
            action.run(from, to);
            return null;
        }, (a, b) -> a, null));
    }

    /**
     * The calling thread works on the job beside up to threads - 1 pool workers, and waits only for the units
     * still running when it has taken the last one. Called from a thread already working for this pool (a
     * visitor that scores again, say), it runs every unit itself, in order: waiting for workers that wait for
     * it could deadlock, and the cut, hence the result, is the same.
     */
    private <T> T run(Job<T> job) {
        UnitWorkers outer = OWNER.get();
        if (outer != this && pool != null) {
            for (int i = Math.min(threads - 1, job.units - 1); i > 0; i--) {
                pool.execute(job::work);
            }
        }
        OWNER.set(this);
        try {
            job.work();
        } finally {
            if (outer == null) {
                OWNER.remove();
            } else {
                OWNER.set(outer);
            }
        }
        return job.await();
    }

    /**
     * One call's units: every thread working on it takes the next unit, runs it, and folds every result that is
     * now next in unit order onto the total itself. Until round 7 of issue 12 the calling thread waited for each
     * unit's future and folded it: it woke up once per unit (489 times in a pass at N = 1e6, D = 16), on 2 cores
     * beside 2 workers, and the context switches took about 8% of a fit's time (perf: finish_task_switch and the
     * kernel's wake-ups). A result waits only for the units before it that are still running, so a few are held
     * at a time.
     */
    private static final class Job<T> {
        /** Stands for a null result in {@link #waiting}, where null means "not done". */
        private static final Object NULL = new Object();

        final int units;
        private final int n;
        private final int unitRows;
        private final RangeTask<T> task;
        private final BinaryOperator<T> combine;
        /** Results done but not yet folded, by unit. */
        private final Object[] waiting;
        private T total;
        /** The next unit to hand out, and the next to fold. */
        private int next;
        private int folded;
        /** Units handed out and not yet done. */
        private int running;
        private Throwable failure;

        Job(int n, int unitRows, RangeTask<T> task, BinaryOperator<T> combine, T total) {
            this.units = units(n, unitRows);
            this.n = n;
            this.unitRows = unitRows;
            this.task = task;
            this.combine = combine;
            this.total = total;
            this.waiting = new Object[units];
        }

        /** Takes and runs units until none is left or one has failed. */
        void work() {
            for (int u = take(); u >= 0; u = take()) {
                int from = (int) Math.min(n, (long) u * unitRows);
                int to = (int) Math.min(n, (long) (u + 1) * unitRows);
                T r;
                try {
                    r = task.run(from, to);
                } catch (Throwable e) {
                    done(u, null, e);
                    return;
                }
                done(u, r, null);
            }
        }

        private synchronized int take() {
            if (failure != null || next == units) {
                return -1;
            }
            running++;
            return next++;
        }

        /** Unit u's result (or failure), and every result now next in unit order folded onto the total. */
        @SuppressWarnings("unchecked")
        private synchronized void done(int u, T r, Throwable e) {
            running--;
            if (e != null) {
                failure = failure == null ? e : failure;
            } else if (failure == null) {
                waiting[u] = r == null ? NULL : r;
                try {
                    while (folded < units && waiting[folded] != null) {
                        Object v = waiting[folded];
                        waiting[folded++] = null;
                        T t = v == NULL ? null : (T) v;
                        total = total == null ? t : combine.apply(total, t);
                    }
                } catch (Throwable c) {
                    failure = c;
                }
            }
            if (folded == units || (failure != null && running == 0)) {
                notifyAll();
            }
        }

        /** The folded total, once every unit is done; a unit's (or the fold's) exception rethrown as it was. */
        synchronized T await() {
            boolean interrupted = false;
            while (folded < units && (failure == null || running > 0)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure = failure == null ? new IllegalStateException("interrupted", e) : failure;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return total;
        }
    }

    /** Stops the workers; a no-op on the {@link #shared} pool. */
    @Override
    public void close() {
        if (!shared && pool != null) {
            pool.shutdownNow();
        }
    }
}
