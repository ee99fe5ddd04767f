/**
 * The float64 math every backend shares, at the bottom of the package graph (it imports only
 * {@code data}, {@code parallel} and EJML): mixture parameters with their precision Cholesky factors
 * ({@link io.gaussmix.math.PrecisionCholesky}: blocked and parallel at large D, EJML below D = 128), the
 * sufficient statistics a pass returns, and what each covariance structure means
 * ({@link io.gaussmix.math.CovarianceStructure}); and for standard errors the coordinates
 * ({@link io.gaussmix.math.ParameterLayout}), the per-component scores ({@link io.gaussmix.math.ComponentScores})
 * and the N-dependent part of the observed information with its host reference
 * ({@link io.gaussmix.math.RowInformation}).
 * The M-step that turns statistics into parameters is in {@code io.gaussmix.em}.
 */
package io.gaussmix.math;
