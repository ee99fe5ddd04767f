/**
 * Reusable benchmark core shared by the JMH module ({@code benchmarks/}), the {@code gaussmix bench}
 * command and the peer comparison: seeded data ({@link io.gaussmix.bench.BenchData}), the pass timer
 * ({@link io.gaussmix.bench.PassTimer}), the FLOP model ({@link io.gaussmix.bench.FlopModel}),
 * fixed-iteration fits ({@link io.gaussmix.bench.FixedFit}) and the shared start file
 * ({@link io.gaussmix.bench.StartFile}). The prepared GPU run ({@code benchmarks/gpu/run.sh}) drives
 * {@link io.gaussmix.bench.GpuRun}, which adds the executed-work count of the CUDA kernels
 * ({@link io.gaussmix.bench.CudaKernelWork}).
 */
package io.gaussmix.bench;
