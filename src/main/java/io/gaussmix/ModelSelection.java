package io.gaussmix;

import io.gaussmix.data.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a range of component counts (and covariance types) with the same settings and ranks them by
 * BIC or AIC, as mclust and scikit-learn's model-selection example do.
 */
public final class ModelSelection {
    private ModelSelection() {
    }

    /** Which criterion picks the best model (lower is better for both). */
    public enum Criterion {
        BIC, AIC
    }

    /** One fitted candidate. */
    public record Candidate(int k, CovarianceType covarianceType, double bic, double aic, double score,
                            long parameterCount, boolean converged, GaussianMixtureModel model) {
        double value(Criterion c) {
            return c == Criterion.BIC ? bic : aic;
        }
    }

    /** Every candidate in fitting order, and the best by the chosen criterion. */
    public record Result(List<Candidate> candidates, Candidate best, Criterion criterion) {
        public Result {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Fits k = kMin..kMax for every covariance type with the settings of {@code template} (its k and
     * covariance type are overridden) and returns the table and the best candidate.
     */
    public static Result select(Matrix x, GaussianMixture template, int kMin, int kMax, List<CovarianceType> types,
                                Criterion criterion) {
        if (kMin < 1 || kMax < kMin) {
            throw new IllegalArgumentException("k range must satisfy 1 <= min <= max, got " + kMin + ".." + kMax);
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("no covariance types to select from");
        }
        if (x.rows() < kMax) {
            throw new IllegalArgumentException("data has " + x.rows() + " rows, fewer than the largest k = " + kMax);
        }
        List<Candidate> table = new ArrayList<>();
        Candidate best = null;
        for (CovarianceType t : types) {
            for (int k = kMin; k <= kMax; k++) {
                GaussianMixtureModel m = template.toBuilder().k(k).covarianceType(t).build().fit(x);
                GaussianMixtureModel.InformationCriteria ic = m.informationCriteria(x);
                Candidate c = new Candidate(k, t, ic.bic(), ic.aic(), ic.score(), m.parameterCount(),
                        m.summary().converged(), m);
                table.add(c);
                if (best == null || c.value(criterion) < best.value(criterion)) {
                    best = c;
                }
            }
        }
        return new Result(table, best, criterion);
    }
}
