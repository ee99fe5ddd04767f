// gaussmix E-step kernels for the CUDA backend (driver API, loaded from PTX).
// Entry names: gmm_<kernel>_<covariance type>_<f32|f64>, and gmm_pass_triangular_tiled_<f32|f64>
// and gmm_pass_triangular_tiled2_f32 and _tiled3_f32 (three variants for FULL and TIED, the third on the tensor
// cores, estep_tiled3.cuh), gmm_diag_tiled_* (the register-tiled
// DIAG/SPHERICAL pass for large K, three launches), and gmm_info_* (the observed
// information's rows term, information.cuh); the Java side looks them up
// by exactly these names (io.gaussmix.backend.cuda.KernelNames).
#include "estep_common.cuh"
#include "estep_simple.cuh"
#include "estep_tiled.cuh"
#include "estep_tiled2.cuh"
#include "estep_tiled3.cuh"
#include "estep_diag_tiled.cuh"
#include "information.cuh"

GMM_SIMPLE_ENTRIES(full_f32, float, COV_FULL)
GMM_SIMPLE_ENTRIES(tied_f32, float, COV_TIED)
GMM_SIMPLE_ENTRIES(diag_f32, float, COV_DIAG)
GMM_SIMPLE_ENTRIES(spherical_f32, float, COV_SPHERICAL)
GMM_SIMPLE_ENTRIES(full_f64, double, COV_FULL)
GMM_SIMPLE_ENTRIES(tied_f64, double, COV_TIED)
GMM_SIMPLE_ENTRIES(diag_f64, double, COV_DIAG)
GMM_SIMPLE_ENTRIES(spherical_f64, double, COV_SPHERICAL)

// FULL and TIED share the triangular tiled kernel: TIED passes uStride = 0 (one factor for all
// components).
GMM_TILED_ENTRY(triangular_tiled_f32, float)
GMM_TILED_ENTRY(triangular_tiled_f64, double)
// The second variant (same arguments and contract; float32 only), selected by
// gaussmix.cuda.tiledKernel=v2 until a GPU ranks the two.
GMM_TILED2_ENTRY(triangular_tiled2_f32, float)

// Sums `count` per-block partials element by element in block order: a fixed order, so the
// result does not depend on scheduling. One thread per element, reads coalesced across threads.
extern "C" __global__ void gmm_reduce_partials(const double* __restrict__ partials, int count, int stride,
                                               double* __restrict__ out) {
    const int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= stride) {
        return;
    }
    double s = 0.0;
    for (int b = 0; b < count; ++b) {
        s += partials[(size_t) b * stride + e];
    }
    out[e] = s;
}
