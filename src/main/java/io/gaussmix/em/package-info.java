/**
 * EM on the host: a fit's orchestration ({@link io.gaussmix.em.CompleteDataFit} opens the backend and
 * wires the {@link io.gaussmix.em.Float32Guard}; {@link io.gaussmix.em.Restarts} runs the initialisations),
 * the loop of one initialisation over a {@link io.gaussmix.em.StatisticsPass} ({@link io.gaussmix.em.EmFitter}),
 * the initialisers and the shared float64 M-step.
 */
package io.gaussmix.em;
