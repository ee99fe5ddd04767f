package io.gaussmix.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of CPU workers that splits rows [0, n) into one contiguous range per worker and
 * returns the per-range results in range order. The split depends only on n and the worker count,
 * never on timing, so reducing the results in the returned order is deterministic.
 */
public final class RangeWorkers implements AutoCloseable {
    /** Work on rows [from, to). */
    public interface RangeTask<T> {
        T run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    /** @param threads workers; 0 = one per available processor */
    public RangeWorkers(int threads) {
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "gaussmix-cpu");
            t.setDaemon(true);
            return t;
        });
    }

    /** Number of workers. */
    public int threads() {
        return threads;
    }

    /**
     * Runs the task on min(threads, ceil(n / minRows)) contiguous ranges (at least one) and returns
     * their results in range order; a task's exception is rethrown as it was.
     */
    public <T> List<T> map(int n, int minRows, RangeTask<T> task) {
        int parts = (int) Math.max(1, Math.min(threads, ((long) n + minRows - 1) / minRows));
        List<Future<T>> futures = new ArrayList<>(parts);
        for (int t = 0; t < parts; t++) {
            int from = (int) ((long) n * t / parts);
            int to = (int) ((long) n * (t + 1) / parts);
            futures.add(pool.submit(() -> task.run(from, to)));
        }
        List<T> results = new ArrayList<>(parts);
        try {
            for (Future<T> f : futures) {
                results.add(f.get());
            }
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
        return results;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
