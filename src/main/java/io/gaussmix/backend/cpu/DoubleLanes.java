package io.gaussmix.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector width of the float64 Vector API kernels ({@link VectorTriangular}, {@link LaneStatistics},
 * {@link VectorExp}): 512 bits where the CPU prefers them, else 256. One width for all of them, chosen
 * once: a second species of {@code DoubleVector} in the same pass made the kernels after it 30x slower
 * (benchmarks/RESULTS.md, "Issue 12's fixed costs, round 2"), and a constant species is what lets C2
 * compile each operation to one instruction. {@code -Dgaussmix.cpu.vectorBits=256} (or 512) overrides
 * the choice, for comparisons and tests of the other width; on a CPU without 512-bit vectors, 512 runs
 * correctly but slowly (the Vector API's Java fallback).
 *
 * <p>Where 512-bit FMAs have their own full-width units (AMD Zen 5 here: one core's Mahalanobis tile
 * 56 -> 89 GFLOP/s, the rank-update tile 61 -> 83) they pay; where they are double-pumped (Zen 4) they
 * measured the same as 256. The width changes the bits only of {@link LaneStatistics} (its rows are
 * split over the lanes); every other kernel adds each entry's terms in the same order at any width.
 */
final class DoubleLanes {
    static final VectorSpecies<Double> SPECIES = choose(CpuBackend.vectorBits());
    /** Doubles per vector: 4 or 8. */
    static final int LENGTH = SPECIES.length();

    private DoubleLanes() {
    }

    /** 256 or 512; a method, so that a caller's bytecode names no field of this class's module-dependent type. */
    static int bits() {
        return SPECIES.vectorBitSize();
    }

    /** The species of {@code bits} ({@link CpuBackend#vectorBits}: 256, 512, or 0 for the CPU's preference). */
    static VectorSpecies<Double> choose(int bits) {
        if (bits == 0) {
            return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
        }
        return bits == 512 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    }
}
