/**
 * The float64 CPU backend: rows in blocks of 64 within fixed units of 2048 rows that any number of
 * workers take from a queue ({@link io.gaussmix.parallel.UnitWorkers}), partial statistics added in
 * unit order, so results are the same bits on any thread count; register-tiled kernels for FULL and
 * TIED. {@link io.gaussmix.backend.cpu.HostScorer} runs the same kernels on the JVM's shared pool for
 * scoring fitted models.
 */
package io.gaussmix.backend.cpu;
