/**
 * Inference about a fitted mixture's parameters: the observed information matrix (minus the Hessian of
 * the log-likelihood, by Louis' identity, {@code ObservedInformation}) in a minimal parametrisation
 * ({@link io.gaussmix.math.ParameterLayout}), its inverse by a Cholesky factorisation ({@code InformationInverse}),
 * and the standard errors in the model's shapes by the delta method ({@link io.gaussmix.inference.ParameterErrors}).
 * The passes over the rows are a backend's: its statistics (for the complete-data information) and its
 * {@code Backend.rowInformation} (the rows' score variance, on the device where the backend has one). Imports
 * {@code backend} (the seam only), {@code math}, {@code parallel} and EJML; the public result type is
 * {@code io.gaussmix.StandardErrors}.
 */
package io.gaussmix.inference;
