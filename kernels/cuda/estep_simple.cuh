// The straightforward fused pass for every covariance type (and the log-density kernel): correct
// first, simple to audit. FULL and TIED use it only when the triangular tiled kernel does not fit.
//
// A persistent grid: block b takes row tiles b, b + gridDim.x, ... of the pass (a fixed assignment,
// also across the chunks of a streamed pass: gmm_first_tile). Per tile:
//  1. the tile's rows are copied to shared memory;
//  2. one warp per (row, component) pair: lanes split the D output coordinates, the precision
//     factor is read through the cache, a warp sum gives the Mahalanobis term;
//  3. one thread per row: online log-sum-exp, responsibilities x sample weight (kept in shared);
//  4. every thread owns fixed elements of the statistics and adds the tile's float64 sum over rows
//     into the block's partial.
#pragma once
#include "estep_common.cuh"

#define SIMPLE_THREADS 128

template <typename T, int TYPE>
__device__ __forceinline__ T gmm_simple_maha(const T* __restrict__ xr, const T* __restrict__ mu,
                                             const T* __restrict__ prec, int d, int c, int lane) {
    T acc = (T) 0;
    if (TYPE == COV_FULL || TYPE == COV_TIED) {
        // y = (x - mu) U with U upper triangular: y_j sums i <= j only.
        const T* u = prec + (TYPE == COV_FULL ? (size_t) c * d * d : (size_t) 0);
        for (int j = lane; j < d; j += 32) {
            T y = (T) 0;
            for (int i = 0; i <= j; ++i) {
                y = gmm_fma(xr[i] - mu[i], u[(size_t) i * d + j], y);
            }
            acc = gmm_fma(y, y, acc);
        }
    } else if (TYPE == COV_DIAG) {
        const T* p = prec + (size_t) c * d;
        for (int j = lane; j < d; j += 32) {
            const T v = (xr[j] - mu[j]) * p[j];
            acc = gmm_fma(v, v, acc);
        }
    } else {
        for (int j = lane; j < d; j += 32) {
            const T v = xr[j] - mu[j];
            acc = gmm_fma(v, v, acc);
        }
        acc *= prec[c] * prec[c];
    }
    return gmm_warp_sum(acc);
}

// STATS: the fused pass into partial (this block's slice); otherwise log densities into out (n x k).
template <typename T, int TYPE, bool STATS>
__device__ void gmm_simple(const T* __restrict__ x, long long n, long long firstTile, int d, int k,
                           const T* __restrict__ w,
                           const T* __restrict__ means, const T* __restrict__ prec,
                           const double* __restrict__ cst, int tileRows,
                           double* __restrict__ partial, double* __restrict__ llCarry, double* __restrict__ out) {
    __shared__ double red[SIMPLE_THREADS];
    T* xs = (T*) gmm_smem;                 // tileRows x d
    T* lp = xs + (size_t) tileRows * d;    // tileRows x k
    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int nwarps = blockDim.x >> 5;
    const long long tiles = (n + tileRows - 1) / tileRows;
    const bool square = (TYPE == COV_FULL || TYPE == COV_TIED);
    double ll = STATS ? llCarry[tid] : 0.0;

    for (long long t = gmm_first_tile(firstTile); t < tiles; t += gridDim.x) {
        const long long row0 = t * tileRows;
        const int rows = (int) min((long long) tileRows, n - row0);
        const T* xt = x + row0 * d;
        for (int e = tid; e < rows * d; e += blockDim.x) {
            xs[e] = xt[e];
        }
        __syncthreads();

        for (int p = warp; p < rows * k; p += nwarps) {
            const int r = p / k;
            const int c = p - r * k;
            const T maha = gmm_simple_maha<T, TYPE>(xs + r * d, means + (size_t) c * d, prec, d, c, lane);
            if (lane == 0) {
                const double l = cst[c] - 0.5 * (double) maha;
                if (STATS) {
                    lp[r * k + c] = (T) l;
                } else {
                    out[(row0 + r) * k + c] = l;
                }
            }
        }
        if (!STATS) {
            __syncthreads();   // xs is overwritten by the next tile
            continue;
        }
        __syncthreads();

        for (int r = tid; r < rows; r += blockDim.x) {
            const T wr = w != nullptr ? w[row0 + r] : (T) 1;
            const T lse = gmm_row_responsibilities(lp + r * k, k, wr);
            if (wr != (T) 0) {
                ll += (double) wr * (double) lse;
            }
        }
        __syncthreads();

        const GmmPartial ps = gmm_partial(partial, k, d);
        for (int c = tid; c < k; c += blockDim.x) {
            double a = 0.0;
            for (int r = 0; r < rows; ++r) {
                a += (double) lp[r * k + c];
            }
            ps.nk[c] += a;
        }
        for (int e = tid; e < k * d; e += blockDim.x) {
            const int c = e / d;
            const int i = e - c * d;
            const double mu = (double) means[e];
            double a = 0.0, b = 0.0;
            for (int r = 0; r < rows; ++r) {
                const double g = (double) lp[r * k + c];
                const double v = (double) xs[r * d + i] - mu;
                a += g * v;
                b += g * v * v;
            }
            ps.diff[e] += a;
            if (!square) {
                ps.sq[e] += b;
            }
        }
        if (square) {
            const int dd = d * d;
            const size_t tri = (size_t) d * (d + 1) / 2;
            for (int e = tid; e < k * dd; e += blockDim.x) {
                const int c = e / dd;
                const int rem = e - c * dd;
                const int i = rem / d;
                const int j = rem - i * d;
                if (j < i) {
                    continue;   // upper triangle only (packed); the host mirrors it
                }
                const double mi = (double) means[c * d + i];
                const double mj = (double) means[c * d + j];
                double a = 0.0;
                for (int r = 0; r < rows; ++r) {
                    a += (double) lp[r * k + c] * (((double) xs[r * d + i] - mi) * ((double) xs[r * d + j] - mj));
                }
                ps.sq[c * tri + gmm_packed_index(i, j, d)] += a;
            }
        }
        __syncthreads();   // xs and lp are overwritten by the next tile
    }
    if (STATS) {
        gmm_store_log_likelihood(ll, llCarry, partial, red);
    }
}

#define GMM_SIMPLE_ENTRIES(NAME, T, TYPE)                                                               \
    extern "C" __global__ void __launch_bounds__(SIMPLE_THREADS)                                        \
    gmm_pass_##NAME(const T* x, long long n, long long firstTile, int d, int k, const T* w,             \
                    const T* means, const T* prec, const double* cst, int tileRows, double* partials,    \
                    int stride, double* llCarry) {                                                      \
        gmm_simple<T, TYPE, true>(x, n, firstTile, d, k, w, means, prec, cst, tileRows,                 \
                                  partials + (size_t) blockIdx.x * stride,                              \
                                  llCarry + (size_t) blockIdx.x * blockDim.x, nullptr);                 \
    }                                                                                                   \
    extern "C" __global__ void __launch_bounds__(SIMPLE_THREADS)                                        \
    gmm_logdens_##NAME(const T* x, long long n, int d, int k, const T* means, const T* prec,            \
                       const double* cst, int tileRows, double* out) {                                  \
        gmm_simple<T, TYPE, false>(x, n, 0, d, k, nullptr, means, prec, cst, tileRows, nullptr, nullptr, \
                                   out);                                                                \
    }
