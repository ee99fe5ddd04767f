package io.gaussmix.parallel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitWorkersTest {

    @Test
    void unitsDependOnTheRowsAndTheUnitSizeOnly() {
        assertEquals(1, UnitWorkers.units(0, 64));
        assertEquals(1, UnitWorkers.units(64, 64));
        assertEquals(2, UnitWorkers.units(65, 64));
        assertEquals(33_554_432, UnitWorkers.units(Integer.MAX_VALUE, 64));
        assertThrows(IllegalArgumentException.class, () -> UnitWorkers.units(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new UnitWorkers(-1));
    }

    @Test
    void reduceFoldsTheUnitsInUnitOrderOnAnyThreadCount() {
        List<String> expected = null;
        for (int threads : new int[] {1, 2, 3, 7}) {
            try (UnitWorkers w = new UnitWorkers(threads)) {
                List<String> ranges = w.reduce(1000, 64, (from, to) -> new ArrayList<>(List.of(from + "-" + to)),
                        (a, b) -> {
                            a.addAll(b);
                            return a;
                        });
                assertEquals(16, ranges.size());
                assertEquals("0-64", ranges.get(0));
                assertEquals("960-1000", ranges.get(15));
                if (expected == null) {
                    expected = ranges;
                }
                assertEquals(expected, ranges, threads + " threads");
            }
        }
    }

    @Test
    void noRowsIsOneEmptyUnit() {
        try (UnitWorkers w = new UnitWorkers(2)) {
            assertEquals("0-0", w.reduce(0, 64, (from, to) -> from + "-" + to, (a, b) -> a + b));
        }
    }

    @Test
    void forEachCoversEveryRowOnce() {
        try (UnitWorkers w = new UnitWorkers(3)) {
            int[] seen = new int[1000];
            w.forEach(seen.length, 64, (from, to) -> {
                for (int r = from; r < to; r++) {
                    seen[r]++;
                }
            });
            for (int r = 0; r < seen.length; r++) {
                assertEquals(1, seen[r], "row " + r);
            }
        }
    }

    @Test
    void aUnitsExceptionIsRethrownAsItWas() {
        IllegalStateException boom = new IllegalStateException("unit 3");
        try (UnitWorkers w = new UnitWorkers(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.reduce(640, 64, (from, to) -> {
                if (from == 192) {
                    throw boom;
                }
                return 1;
            }, Integer::sum));
            assertSame(boom, e);
        }
    }

    @Test
    @Timeout(20)
    void aWorkerThatUsesItsOwnPoolRunsTheUnitsItself() {
        try (UnitWorkers w = new UnitWorkers(1)) {
            AtomicInteger inner = new AtomicInteger();
            // On one worker, queueing the inner units behind the outer one would wait forever.
            w.forEach(128, 64, (from, to) -> inner.addAndGet(w.reduce(256, 64, (a, b) -> b - a, Integer::sum)));
            assertEquals(2 * 256, inner.get());
        }
    }

    @Test
    void unitsThatFinishOutOfOrderAreFoldedInUnitOrder() {
        try (UnitWorkers w = new UnitWorkers(3)) {
            String s = w.reduce(8 * 64, 64, (from, to) -> {
                sleep(from == 0 ? 60 : 5);   // unit 0 finishes last
                return "[" + from / 64 + "]";
            }, String::concat);
            assertEquals("[0][1][2][3][4][5][6][7]", s);
        }
    }

    @Test
    void theCallingThreadIsOneOfTheWorkers() {
        Thread caller = Thread.currentThread();
        try (UnitWorkers one = new UnitWorkers(1)) {
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            one.forEach(10 * 64, 64, (from, to) -> ran.add(Thread.currentThread()));
            assertEquals(Set.of(caller), ran, "one worker: the caller itself, no pool");
        }
        try (UnitWorkers two = new UnitWorkers(2)) {
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            two.forEach(40 * 64, 64, (from, to) -> {
                ran.add(Thread.currentThread());
                sleep(2);
            });
            assertTrue(ran.size() <= 2, "two workers: the caller and one pool thread, not " + ran);
        }
    }

    @Test
    void aFailureReturnsOnlyOnceTheUnitsStillRunningAreDone() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        try (UnitWorkers w = new UnitWorkers(3)) {
            assertThrows(IllegalStateException.class, () -> w.forEach(20 * 64, 64, (from, to) -> {
                started.incrementAndGet();
                if (from == 64) {
                    throw new IllegalStateException("unit 1");
                }
                sleep(30);
                finished.incrementAndGet();
            }));
            assertEquals(started.get() - 1, finished.get(), "a unit still ran after the call returned");
            assertTrue(started.get() < 20, "units were started after the failure: " + started.get());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSharedPoolOutlivesClose() {
        UnitWorkers shared = UnitWorkers.shared();
        shared.close();
        assertSame(shared, UnitWorkers.shared());
        assertEquals(10, shared.reduce(10, 3, (from, to) -> to - from, Integer::sum));
    }
}
