package io.gaussmix.em;

import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

/**
 * One fused pass over the rows, what each EM iteration costs: the E-step under {@code params} and the
 * sufficient statistics about {@code params.means()}; their {@code meanLogLikelihood} is the lower bound
 * of {@code params}. A backend's {@code accumulate} bound to its loaded rows, the {@link Float32Guard}
 * around a float32 device, and the missing-data pass are the three kinds.
 */
@FunctionalInterface
public interface StatisticsPass {
    SufficientStats accumulate(MixtureParams params);
}
