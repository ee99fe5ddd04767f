/**
 * The CUDA backend: JCuda's driver API only (no cuBLAS, no NVRTC, which need CUDA 12 toolkit
 * libraries), with the kernels shipped as PTX ({@code kernels/cuda/estep.ptx}, ISA 8.0) and JIT-compiled
 * by the driver. Nothing outside this package touches {@code jcuda}; {@link io.gaussmix.backend.cuda.CudaProvider}
 * probes once and never throws.
 */
package io.gaussmix.backend.cuda;
