package io.gaussmix.inference;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.math.CovarianceStructure;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.ParameterLayout;
import io.gaussmix.parallel.UnitWorkers;

import java.util.Locale;

/**
 * Standard errors of a mixture's parameters from the observed information on given rows, in the model's
 * shapes (the public API wraps them as {@code io.gaussmix.StandardErrors}): sqrt(diag J^-1) for the free
 * coordinates; the last weight, 1 minus the others, gets sqrt(1^T V_ww 1) from the covariance V_ww of the
 * free weights (the delta method); a covariance entry (i, j) and its mirror (j, i) share the error of
 * their one coordinate. The arrays are this record's own; callers copy them before handing them out.
 *
 * @param weights       K
 * @param means         K x D, row-major
 * @param covariances   the covariances' own layout (FULL K*D*D, TIED D*D, DIAG K*D, SPHERICAL K)
 * @param parameters    P, the free parameters
 * @param maxNewtonStep max_i |(J^-1 grad l)_i| / SE_i: the Newton step to the likelihood's maximum in units of the
 *                      standard errors; near 0 at the maximum, so a fit stopped short (or moved by regCovar) shows
 */
public record ParameterErrors(double[] weights, double[] means, double[] covariances, int parameters,
                              double maxNewtonStep) {
    /** Copies of the P x P matrix held at once: the partial sums in flight (one per worker, and one being added), J, its scaled copy, L and J^-1. */
    private static final int EXTRA_COPIES = 5;

    /**
     * @param p       model parameters whose weights are all positive
     * @param backend the backend that loaded {@code data}, in float64 (it runs the passes over the rows)
     * @param data    finite rows of p's width with their frequency weights (a weight of 2 counts its row twice;
     *                null: 1 each), finite and >= 0
     * @throws SingularInformationException when J is not positive definite, naming the direction
     * @throws IllegalArgumentException     when the P x P matrices do not fit in the heap (saying how large they are)
     */
    public static ParameterErrors of(MixtureParams p, Backend backend, LoadedData data) {
        long size = p.parameterCount();
        requireMemory(size, UnitWorkers.shared().threads() + EXTRA_COPIES);
        ObservedInformation.Result info = ObservedInformation.of(backend, data, p);
        return shaped(info.layout(), InformationInverse.invert(info), info.score());
    }

    private static ParameterErrors shaped(ParameterLayout layout, double[] v, double[] score) {
        int n = layout.size();
        int k = layout.components();
        int d = layout.dimensions();
        double[] se = new double[n];
        for (int i = 0; i < n; i++) {
            se[i] = Math.sqrt(v[i * n + i]);
        }
        double[] weights = new double[k];
        double lastVariance = 0;
        for (int a = 0; a < k - 1; a++) {
            weights[a] = se[a];
            for (int b = 0; b < k - 1; b++) {
                lastVariance += v[a * n + b];
            }
        }
        weights[k - 1] = Math.sqrt(Math.max(0, lastVariance));   // 0 for K = 1: the weight is fixed at 1
        double[] means = new double[k * d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                means[c * d + i] = se[layout.mean(c, i)];
            }
        }
        CovarianceStructure s = layout.structure();
        double[] covariances = new double[s.length(k, d)];
        for (int b = 0; b < s.blocks(k); b++) {
            int start = layout.covarianceStart(b);
            int at = s.offset(b, d);
            if (s.dense()) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        covariances[at + i * d + j] = se[start + layout.entryCoordinate(i, j)];
                    }
                }
            } else {
                for (int i = 0; i < s.blockLength(d); i++) {
                    covariances[at + i] = se[start + layout.entryCoordinate(i, i)];
                }
            }
        }
        double step = 0;
        for (int i = 0; i < n; i++) {
            double di = 0;
            for (int j = 0; j < n; j++) {
                di += v[i * n + j] * score[j];
            }
            step = Math.max(step, Math.abs(di) / se[i]);
        }
        return new ParameterErrors(weights, means, covariances, n, step);
    }

    /** Refuses, naming the sizes, when {@code copies} P x P float64 matrices do not fit in the free heap. */
    private static void requireMemory(long size, int copies) {
        long entries = size * size;
        if (size > 46_340) {   // P^2 past the largest Java array
            throw new IllegalArgumentException(String.format(Locale.ROOT, "standard errors need the %d x %d observed "
                    + "information matrix (%d parameters), more entries than a Java array holds; use fewer parameters "
                    + "(fewer components, or a diag or spherical covariance type)", size, size, size));
        }
        long bytes = entries * 8 * copies;
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            System.gc();   // garbage may be most of what looks used; collect once before refusing
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (bytes > free) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "standard errors need the %d x %d observed "
                    + "information matrix (%d parameters) about %d times over, %.1f MB, but the JVM can give about "
                    + "%.1f MB; give java a larger heap (-Xmx) or use fewer parameters", size, size, size, copies,
                    bytes / 1048576.0, free / 1048576.0));
        }
    }
}
