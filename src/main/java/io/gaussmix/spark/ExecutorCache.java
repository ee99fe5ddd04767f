package io.gaussmix.spark;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What an executor JVM keeps of a fit between its passes: for each (fit, partition, device) the opened
 * backend and the partition's blocks as loaded on it ({@link Loaded}; on a device the rows stay resident
 * there), so that a pass neither reopens the backend nor uploads the rows again.
 *
 * <p>It holds loaded data only, never statistics: a task {@linkplain #take takes} an entry out (so no other
 * task uses that backend meanwhile: a backend is confined to one thread), runs its own pass and
 * {@linkplain #giveBack gives it back}. A task that finds no entry (the first pass, a retry on another
 * executor, or a speculative copy while the first attempt holds it) loads its own; when two copies come back
 * the second is closed. Losing an entry therefore only costs a reload, which is what makes the two ways out
 * safe: the driver {@linkplain #release releases} a fit when it ends or fails, and entries of a fit not
 * used for {@link #IDLE_NANOS} are closed by a sweep (a lost driver, a release task that missed this executor).
 */
final class ExecutorCache {
    /** How long an unused fit's entries stay; far longer than a driver's M-step between two passes. */
    static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** The executor JVM's cache (in local mode the driver's JVM is the executor). */
    static final ExecutorCache JVM = new ExecutorCache(System::nanoTime, true);

    record Key(String fit, int partition, int device) {
    }

    /**
     * An opened backend and a partition's blocks loaded on it, in block order; closing closes both, under
     * {@code lock} (what every use of the backend holds: {@link ExecutorBackend#lockFor}), from whichever thread.
     */
    record Loaded(Backend backend, List<LoadedData> blocks, Object lock) implements AutoCloseable {
        @Override
        public void close() {
            synchronized (lock) {
                try {
                    blocks.forEach(LoadedData::close);
                } finally {
                    backend.close();
                }
            }
        }
    }

    private final LongSupplier clock;
    private final Map<Key, Loaded> entries = new HashMap<>();
    /** Per fit id: when a task of it last touched this cache. */
    private final Map<String, Long> lastUsed = new HashMap<>();
    /** Fits released here, with when: what their late tasks give back is closed. */
    private final Map<String, Long> released = new HashMap<>();
    private final boolean sweepInBackground;
    private ScheduledExecutorService sweeper;

    ExecutorCache(LongSupplier clock, boolean sweepInBackground) {
        this.clock = clock;
        this.sweepInBackground = sweepInBackground;
    }

    /** The entry of this key, now owned by the caller (who gives it back or closes it), or null. */
    Loaded take(Key key) {
        List<Loaded> expired;
        Loaded found;
        synchronized (this) {
            lastUsed.put(key.fit(), clock.getAsLong());
            found = entries.remove(key);
            expired = expired();
        }
        closeAll(expired);
        return found;
    }

    /** Keeps {@code loaded} for the next pass of its key; closes it when the fit was released or one is kept already. */
    void giveBack(Key key, Loaded loaded) {
        boolean kept;
        synchronized (this) {
            lastUsed.put(key.fit(), clock.getAsLong());
            kept = !released.containsKey(key.fit()) && entries.putIfAbsent(key, loaded) == null;
            if (kept && sweepInBackground && sweeper == null) {
                startSweeper();
            }
        }
        if (!kept) {
            loaded.close();
        }
    }

    /** Closes every entry of this fit; what its tasks give back later is closed too. */
    void release(String fit) {
        List<Loaded> closing = new ArrayList<>();
        synchronized (this) {
            released.put(fit, clock.getAsLong());
            lastUsed.remove(fit);
            for (Iterator<Map.Entry<Key, Loaded>> it = entries.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Loaded> e = it.next();
                if (e.getKey().fit().equals(fit)) {
                    closing.add(e.getValue());
                    it.remove();
                }
            }
        }
        closeAll(closing);
    }

    /** Closes the entries of fits idle for longer than {@link #IDLE_NANOS}. */
    void sweep() {
        List<Loaded> expired;
        synchronized (this) {
            expired = expired();
        }
        closeAll(expired);
    }

    /** Entries held, of all fits (for the tests). */
    synchronized int size() {
        return entries.size();
    }

    /** Removes (under the lock) and returns the entries of idle fits; forgets old releases. */
    private List<Loaded> expired() {
        long now = clock.getAsLong();
        released.values().removeIf(at -> now - at > IDLE_NANOS);
        List<Loaded> out = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Loaded>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Loaded> e = it.next();
            Long used = lastUsed.get(e.getKey().fit());
            if (used == null || now - used > IDLE_NANOS) {
                out.add(e.getValue());
                it.remove();
            }
        }
        lastUsed.values().removeIf(at -> now - at > IDLE_NANOS);
        return out;
    }

    private void startSweeper() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gaussmix-executor-cache-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = IDLE_NANOS / 4;
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    private static void closeAll(List<Loaded> loaded) {
        for (Loaded l : loaded) {
            try {
                l.close();
            } catch (RuntimeException e) {
                // Closing frees memory only; a device that fails to close must not fail an unrelated task.
            }
        }
    }
}
