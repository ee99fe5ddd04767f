/**
 * gaussmix's exact EM on Apache Spark: {@link io.gaussmix.spark.SparkGaussianMixture} (a Spark ML estimator)
 * and {@link io.gaussmix.spark.SparkGaussianMixtureModel}. The rows are cached once as dense float64
 * {@code RowBlock}s and checked in one job ({@code RowBlocks}, {@code InputCheck}); each EM iteration is a
 * {@code DistributedPass}, a {@link io.gaussmix.em.StatisticsPass} whose {@code accumulate} runs a backend's
 * fused pass on every partition and adds the statistics in partition order; {@code DistributedFit} hands it
 * to the library's {@link io.gaussmix.em.Restarts}, so the M-step, repairs, restarts and convergence rule are
 * the library's own. Spark is a provided dependency: nothing outside this package imports it.
 */
package io.gaussmix.spark;
