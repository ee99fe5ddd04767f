package io.gaussmix;

import io.gaussmix.data.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a range of component counts (and covariance types) with the same settings and ranks them by
 * BIC, AIC or ICL, as mclust and scikit-learn's model-selection example do. All three are in the
 * "lower is better" convention of scikit-learn's {@code bic}/{@code aic}: -2 log L + penalty.
 */
public final class ModelSelection {
    private ModelSelection() {
    }

    /** Which criterion picks the best model (lower is better for all three). */
    public enum Criterion {
        BIC, AIC,
        /**
         * Biernacki, Celeux and Govaert's integrated completed likelihood, in BIC's sign convention:
         * BIC + 2 E with E = -sum_n sum_k r_nk log r_nk >= 0 the entropy of the responsibilities, so it
         * also penalises components that overlap (mclust reports the negative, higher is better).
         */
        ICL
    }

    /**
     * One fitted candidate.
     *
     * @param icl BIC + 2 * the entropy of the model's responsibilities on the data ({@link Criterion#ICL})
     */
    public record Candidate(int k, CovarianceType covarianceType, double bic, double aic, double icl, double score,
                            long parameterCount, boolean converged, GaussianMixtureModel model) {
        /** The value of criterion c for this candidate. */
        public double value(Criterion c) {
            return switch (c) {
                case BIC -> bic;
                case AIC -> aic;
                case ICL -> icl;
            };
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
                Candidate c = new Candidate(k, t, ic.bic(), ic.aic(), ic.bic() + 2 * entropy(m, x), ic.score(),
                        m.parameterCount(),
                        m.summary().converged(), m);
                table.add(c);
                if (best == null || c.value(criterion) < best.value(criterion)) {
                    best = c;
                }
            }
        }
        return new Result(table, best, criterion);
    }

    /** The entropy of the responsibilities, -sum_n sum_k r_nk log r_nk (a term with r_nk = 0 is 0). */
    static double entropy(GaussianMixtureModel m, Matrix x) {
        double sum = 0;
        for (double r : m.predictProba(x).data()) {
            if (r > 0) {
                sum -= r * Math.log(r);
            }
        }
        return sum;
    }
}
