package io.gaussmix.spark;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The executor cache's ownership rules, on a fake backend that counts what is closed, and a hand-moved clock. */
class ExecutorCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final ExecutorCache cache = new ExecutorCache(now::get, false);
    private final ExecutorCache.Key p0 = new ExecutorCache.Key("fit-a", 0, 0);

    @Test
    void aTakenEntryIsTheCallersUntilGivenBack() {
        ExecutorCache.Loaded loaded = loaded();
        assertNull(cache.take(p0), "nothing before the first pass");
        cache.giveBack(p0, loaded);
        assertSame(loaded, cache.take(p0));
        assertNull(cache.take(p0), "a second task (speculative copy) finds none while the first holds it");
        cache.giveBack(p0, loaded);
        assertSame(loaded, cache.take(p0), "kept for the next pass");
        assertEquals(0, closed(loaded));
    }

    @Test
    void theSecondOfTwoCopiesIsClosed() {
        ExecutorCache.Loaded first = loaded();
        ExecutorCache.Loaded duplicate = loaded();
        cache.giveBack(p0, first);
        cache.giveBack(p0, duplicate);
        assertEquals(0, closed(first));
        assertEquals(2, closed(duplicate), "its block and its backend");
        assertSame(first, cache.take(p0));
    }

    @Test
    void releaseClosesTheFitsEntriesAndWhatComesBackLater() {
        ExecutorCache.Loaded a0 = loaded();
        ExecutorCache.Loaded a1 = loaded();
        ExecutorCache.Loaded other = loaded();
        ExecutorCache.Key p1 = new ExecutorCache.Key("fit-a", 1, 0);
        ExecutorCache.Key otherFit = new ExecutorCache.Key("fit-b", 0, 0);
        cache.giveBack(p0, a0);
        cache.giveBack(otherFit, other);
        ExecutorCache.Loaded held = cache.take(p0);
        cache.release("fit-a");
        assertEquals(0, closed(a0), "held by a task during the release");
        cache.giveBack(p0, held);
        cache.giveBack(p1, a1);
        assertEquals(2, closed(a0), "given back after the release: closed");
        assertEquals(2, closed(a1));
        assertEquals(0, closed(other), "another fit's entry stays");
        assertEquals(1, cache.size());
    }

    @Test
    void entriesOfAnIdleFitAreSweptAndAUsedFitsAreNot() {
        ExecutorCache.Loaded idle = loaded();
        ExecutorCache.Loaded busy = loaded();
        ExecutorCache.Key busyKey = new ExecutorCache.Key("fit-b", 0, 0);
        cache.giveBack(p0, idle);
        cache.giveBack(busyKey, busy);
        now.addAndGet(ExecutorCache.IDLE_NANOS / 2);
        cache.giveBack(busyKey, cache.take(busyKey));
        now.addAndGet(ExecutorCache.IDLE_NANOS / 2 + 1);
        cache.sweep();
        assertEquals(2, closed(idle), "fit-a unused for longer than the idle time");
        assertEquals(0, closed(busy));
        assertSame(busy, cache.take(busyKey));
    }

    private final java.util.Map<ExecutorCache.Loaded, Counting> counters = new java.util.IdentityHashMap<>();

    private ExecutorCache.Loaded loaded() {
        Counting c = new Counting();
        ExecutorCache.Loaded l = new ExecutorCache.Loaded(c, List.of(c.data()), new Object());
        counters.put(l, c);
        return l;
    }

    private int closed(ExecutorCache.Loaded l) {
        return counters.get(l).closes;
    }

    /** A backend with one loaded block; counts the closes of both. */
    private static final class Counting implements Backend {
        int closes;

        LoadedData data() {
            return new LoadedData() {
                @Override
                public long rows() {
                    return 1;
                }

                @Override
                public int cols() {
                    return 1;
                }

                @Override
                public void close() {
                    closes++;
                }
            };
        }

        @Override
        public String description() {
            return "counting";
        }

        @Override
        public LoadedData load(RowSource x, RowSource sampleWeights) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SufficientStats accumulate(LoadedData data, MixtureParams params) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void logDensities(LoadedData data, MixtureParams params, double[] out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closes++;
        }
    }
}
