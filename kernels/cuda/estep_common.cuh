// Shared helpers of the gaussmix E-step kernels (included by estep.cu only).
//
// Conventions every kernel follows:
//  * rows are row-major T (float or double), already shifted by a per-column constant on the host;
//    the means passed in are shifted the same way, so x - mu is unchanged and small;
//  * no floating-point atomics: every value a block adds to its partial is owned by one thread and
//    added in a fixed order, and partials are summed in block order by gmm_reduce_partials, so a
//    pass over the same data on the same device is bit-identical run to run, resident or streamed:
//    a streamed pass launches once per chunk into the same partials, and each thread's running
//    log-likelihood is carried between launches in llCarry (one double per thread of the grid);
//  * partial layout (stride doubles per block, io.gaussmix.backend.PackedStats): [0] log-likelihood,
//    [1, 1+K) nk, [1+K, 1+K+K*D) sumDiff, then sumSq: for FULL/TIED each component's upper triangle
//    packed row by row (D(D+1)/2 values, gmm_packed_index), K*D squares otherwise.
#pragma once

// Covariance type codes: the same numbers as estep.cl and io.gaussmix.backend.CovarianceCodes.
#define COV_FULL 0
#define COV_TIED 1
#define COV_DIAG 2
#define COV_SPHERICAL 3

#define FULL_MASK 0xffffffffu

// One dynamic shared-memory symbol for every kernel (templates cannot redeclare it with new types).
// The CPU emulator used by the tests (emulator/) points it at each launch's buffer instead.
#ifdef GMM_EMULATOR
extern unsigned char* gmm_smem;
#else
extern __shared__ __align__(16) unsigned char gmm_smem[];
#endif

__device__ __forceinline__ float gmm_fma(float a, float b, float c) { return fmaf(a, b, c); }
__device__ __forceinline__ double gmm_fma(double a, double b, double c) { return fma(a, b, c); }
__device__ __forceinline__ float gmm_exp(float v) { return expf(v); }
__device__ __forceinline__ double gmm_exp(double v) { return exp(v); }
__device__ __forceinline__ float gmm_log(float v) { return logf(v); }
__device__ __forceinline__ double gmm_log(double v) { return log(v); }

// Offset of (i, j), i <= j, in one component's packed upper triangle (row by row).
__device__ __forceinline__ size_t gmm_packed_index(int i, int j, int d) {
    return (size_t) i * (size_t) (2 * d - i + 1) / 2 + (size_t) (j - i);
}

// The first tile this block takes in a buffer whose tile 0 is the pass's tile firstTile. Block b
// takes the pass's tiles b, b + gridDim.x, ... whatever the buffer, so a streamed pass launched once
// per chunk (chunks of whole tiles) adds the same tiles in the same order as one resident launch.
__device__ __forceinline__ long long gmm_first_tile(long long firstTile) {
    const long long g = gridDim.x;
    return ((long long) blockIdx.x - firstTile % g + g) % g;
}

// Butterfly sum over a warp; callers read lane 0 only, whose order of additions is fixed.
template <typename T>
__device__ __forceinline__ T gmm_warp_sum(T v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(FULL_MASK, v, o);
    }
    return v;
}

// The sections of one block's partial after [0], the log-likelihood (PackedStats): nk (K values), sumDiff
// (K*D), then sumSq.
struct GmmPartial {
    double* nk;
    double* diff;
    double* sq;
};

__device__ __forceinline__ GmmPartial gmm_partial(double* partial, int k, int d) {
    GmmPartial p;
    p.nk = partial + 1;
    p.diff = p.nk + k;
    p.sq = p.diff + (size_t) k * d;
    return p;
}

// Fixed-shape tree sum of one double per thread (blockDim.x a power of two); thread 0 gets the total.
__device__ __forceinline__ double gmm_block_sum(double v, double* red) {
    red[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x >> 1; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            red[threadIdx.x] += red[threadIdx.x + s];
        }
        __syncthreads();
    }
    return red[0];
}

// Ends a launch of a persistent pass: each thread's running log-likelihood is carried to the next chunk's
// launch, and the block's total so far (a fixed-shape sum of the carried values) goes to partial[0].
__device__ __forceinline__ void gmm_store_log_likelihood(double ll, double* llCarry, double* partial, double* red) {
    llCarry[threadIdx.x] = ll;
    const double total = gmm_block_sum(ll, red);
    if (threadIdx.x == 0) {
        partial[0] = total;
    }
}

// Online log-sum-exp over one row's K log densities in place: turns them into responsibilities
// times the row weight and returns the row's log-likelihood (log p(x)).
template <typename T>
__device__ __forceinline__ T gmm_row_responsibilities(T* l, int k, T weight) {
    T m = l[0];
    T s = (T) 1;
    for (int c = 1; c < k; ++c) {
        const T v = l[c];
        if (v > m) {
            s = gmm_fma(s, gmm_exp(m - v), (T) 1);
            m = v;
        } else {
            s += gmm_exp(v - m);
        }
    }
    const T lse = m + gmm_log(s);
    for (int c = 0; c < k; ++c) {
        l[c] = weight * gmm_exp(l[c] - lse);
    }
    return lse;
}
