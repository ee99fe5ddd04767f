package io.gaussmix;

/**
 * What a fit does with missing values (NaN entries; ±Infinity is always an error).
 *
 * <ul>
 *   <li>{@link #REJECT} (the default): a NaN is an input error naming its row and column.</li>
 *   <li>{@link #EM}: the exact EM for a Gaussian mixture with values missing at random. Each row
 *       contributes the marginal density of its observed coordinates; the M-step uses the expected
 *       sufficient statistics (conditional means and covariances of the missing coordinates given the
 *       observed ones). The reported log-likelihood is the observed-data log-likelihood. Rows with every
 *       value missing carry no information: they are excluded and counted
 *       ({@link FitSummary#rowsAllMissing()}). This mode runs on the CPU in float64. Data without any
 *       NaN is fitted exactly as under {@link #REJECT}.</li>
 * </ul>
 */
public enum MissingPolicy {
    REJECT, EM
}
