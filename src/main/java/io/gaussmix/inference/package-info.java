/**
 * Inference about a fitted mixture's parameters: the observed information matrix (minus the Hessian of
 * the log-likelihood, by Louis' identity, {@code ObservedInformation}) in a minimal parametrisation
 * ({@code ParameterLayout}), its inverse by a Cholesky factorisation ({@code InformationInverse}), and the
 * standard errors in the model's shapes by the delta method ({@link io.gaussmix.inference.ParameterErrors}).
 * Imports {@code data}, {@code math}, {@code parallel}, the CPU scorer's log-sum-exp and EJML; the public
 * result type is {@code io.gaussmix.StandardErrors}.
 */
package io.gaussmix.inference;
