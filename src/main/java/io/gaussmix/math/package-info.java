/**
 * The float64 math every backend shares: mixture parameters with their precision Cholesky factors,
 * the sufficient statistics a pass returns, and the M-step that turns one into the other.
 */
package io.gaussmix.math;
