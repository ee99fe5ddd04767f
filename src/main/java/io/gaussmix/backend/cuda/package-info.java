/**
 * The CUDA backend: JCuda's driver API only (no cuBLAS, no NVRTC, which need CUDA 12 toolkit
 * libraries), with the kernels shipped as PTX ({@code kernels/cuda/estep.ptx}, ISA 8.0) and JIT-compiled
 * by the driver. Nothing outside this package touches {@code jcuda}; {@link io.gaussmix.backend.cuda.CudaProvider}
 * probes once and never throws. {@link io.gaussmix.backend.cuda.CudaBackend} coordinates: the
 * context and streams ({@code CudaContext}), the module ({@code CudaModule}), the rows
 * ({@code CudaData}, planned by {@code CudaMemoryPlan}), the parameters ({@code CudaParams}), the
 * fused pass ({@code StatsLaunch}, {@code CudaAccumulator}; {@code TiledKernel} picks the FULL/TIED tiled
 * variant) and the log densities
 * ({@code CudaLogDensities}); the host preparation it shares with OpenCL is in
 * {@link io.gaussmix.backend.DeviceRows} and {@link io.gaussmix.backend.PackedStats}.
 */
package io.gaussmix.backend.cuda;
