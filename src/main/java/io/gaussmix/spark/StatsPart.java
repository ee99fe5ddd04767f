package io.gaussmix.spark;

import io.gaussmix.math.CovarianceKind;
import io.gaussmix.math.SufficientStats;

import java.io.Serializable;

/** One partition's {@link SufficientStats} on its way to the driver (the library's accumulator is not Serializable). */
record StatsPart(int partition, double logLikelihood, double totalWeight, double[] nk, double[] sumDiff,
                 double[] sumSq, String backend) implements Serializable {

    static StatsPart of(int partition, SufficientStats s, String backend) {
        return new StatsPart(partition, s.logLikelihood, s.totalWeight, s.nk, s.sumDiff, s.sumSq, backend);
    }

    /** Adds this part into {@code into}, element-wise as {@link SufficientStats#add} does. */
    void addTo(SufficientStats into, CovarianceKind type) {
        SufficientStats s = new SufficientStats(type, nk.length, into.d);
        s.logLikelihood = logLikelihood;
        s.totalWeight = totalWeight;
        System.arraycopy(nk, 0, s.nk, 0, nk.length);
        System.arraycopy(sumDiff, 0, s.sumDiff, 0, sumDiff.length);
        System.arraycopy(sumSq, 0, s.sumSq, 0, sumSq.length);
        into.add(s);
    }
}
