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
 *       NaN is fitted exactly as under {@link #REJECT}.
 *       Initialisation: the chosen initialiser (e.g. k-means++) runs on the usable rows with each missing
 *       value replaced by its column's (sample-weighted) observed mean, and the first estimate is made
 *       from those rows exactly as for complete data; from then on EM works on the incomplete rows.
 *       A column with no observed value at all is an error.</li>
 * </ul>
 */
public enum MissingPolicy {
    REJECT, EM
}
