// The rows' score variance of the observed information (standard errors), float64 only; the same
// contract as kernels/opencl/information.cl (read its header for the formulas and layouts):
//
//   outer = sum_n w_n (sum_k r_nk a_nk a_nk^T - s_n s_n^T),   s_n = sum_k r_nk a_nk,   score = sum_n w_n s_n,
//
// in io.gaussmix.math.ParameterLayout's coordinates. The host runs, per block of rows and in order on
// stream 0: gmm_logdens_<type>_f64 (the backend's own log densities) into lp, gmm_info_scores,
// gmm_info_component_outer once per component, gmm_info_cross_outer, gmm_info_score_sum. Every output
// entry is owned by one thread of each launch, which sums the block's rows in row order and adds that
// sum to the entry: no atomics, the same bits run to run; only the upper triangle (j >= i) is written,
// by one block per tile on or above the diagonal.
// Pointers x, w and lp are the block's first row (w null: every weight 1); A is K x L x stride, g K x
// stride, S P x stride (a column per row, so the tiled kernels read rows contiguously).
#pragma once
#include "estep_common.cuh"

#define INFO_TILE 16
#define INFO_SCORE_THREADS 128

// Row n's responsibilities (log-sum-exp of lp, maximum first), a_nk of every component into A (the mean
// part is z = Lambda_k (x - mu_k), the covariance part reads it back), g = w r, and s_n scattered into S
// over each support in component order. One thread per row.
extern "C" __global__ void __launch_bounds__(INFO_SCORE_THREADS)
gmm_info_scores(const double* __restrict__ x, const double* __restrict__ w, int rows, int d, int k, int p,
                int lMax, int stride, const double* __restrict__ mu, const double* __restrict__ lam,
                const double* __restrict__ pi, const int* __restrict__ sup, const int* __restrict__ len,
                const int* __restrict__ dirAt, const int* __restrict__ dir, int b, const double* __restrict__ lp,
                double* __restrict__ A, double* __restrict__ g, double* __restrict__ S) {
    const int n = blockIdx.x * blockDim.x + threadIdx.x;
    if (n >= rows) {
        return;
    }
    const double* xr = x + (size_t) n * d;
    const double* lpr = lp + (size_t) n * k;
    double m = -INFINITY;
    for (int c = 0; c < k; ++c) {
        m = fmax(m, lpr[c]);
    }
    double sum = 0.0;
    for (int c = 0; c < k; ++c) {
        sum += exp(lpr[c] - m);
    }
    const double lse = m + log(sum);
    const double wn = w == nullptr ? 1.0 : w[n];
    for (int i = 0; i < p; ++i) {
        S[(size_t) i * stride + n] = 0.0;
    }
    for (int c = 0; c < k; ++c) {
        double* a = A + (size_t) c * lMax * stride + n;   // support entry l at a[l * stride]
        const double* lc = lam + (size_t) c * d * d;
        const double* mc = mu + (size_t) c * d;
        int at = 0;
        if (k > 1) {
            if (c < k - 1) {
                a[(size_t) (at++) * stride] = 1.0 / pi[c];
            } else {
                for (int j = 0; j < k - 1; ++j) {
                    a[(size_t) (at++) * stride] = -1.0 / pi[k - 1];
                }
            }
        }
        const int z0 = at;
        for (int i = 0; i < d; ++i) {
            double zi = 0.0;
            for (int j = 0; j < d; ++j) {
                zi += lc[i * d + j] * (xr[j] - mc[j]);
            }
            a[(size_t) (at++) * stride] = zi;
        }
        for (int e = 0; e < b; ++e) {
            double v = 0.0;
            for (int t = dirAt[e]; t < dirAt[e + 1]; ++t) {
                const int pp = dir[2 * t];
                const int qq = dir[2 * t + 1];
                v += a[(size_t) (z0 + pp) * stride] * a[(size_t) (z0 + qq) * stride] - lc[qq * d + pp];
            }
            a[(size_t) (at++) * stride] = 0.5 * v;
        }
        const double r = exp(lpr[c] - lse);
        g[(size_t) c * stride + n] = wn * r;
        const int* sc = sup + c * lMax;
        for (int l = 0; l < len[c]; ++l) {
            S[(size_t) sc[l] * stride + n] += r * a[(size_t) l * stride];
        }
    }
}

// Grids and blocks are one-dimensional: block b is the b-th tile (bi, bj), bj >= bi, of the upper
// triangle of tiles, numbered row by row, so no block is spent below the diagonal; its 256 threads are
// 16 x 16, thread t at (ly, lx) = (t / 16, t % 16).
__device__ __forceinline__ void gmm_info_tile(int m, int& bi, int& bj) {
    const int tiles = (m + INFO_TILE - 1) / INFO_TILE;
    int t = blockIdx.x;
    bi = 0;
    while (t >= tiles - bi) {
        t -= tiles - bi;
        ++bi;
    }
    bj = bi + t;
}

// The tiled sum of both outer-product kernels: for tile (bi, bj) of an m x m matrix whose columns are rows,
// acc(i, j) = sum_n coef_n X[i, n] X[j, n] over n in [0, rows), in row order (coef null: 1). The block
// stages 16 rows of both tile edges in shared memory; lx runs along the rows for the loads.
__device__ double gmm_info_tile_sum(const double* __restrict__ X, const double* __restrict__ coef, int m, int rows,
                                    int stride, int bi, int bj) {
    __shared__ double ti[INFO_TILE][INFO_TILE + 1];
    __shared__ double tj[INFO_TILE][INFO_TILE + 1];
    const int lx = threadIdx.x % INFO_TILE;
    const int ly = threadIdx.x / INFO_TILE;
    double acc = 0.0;
    for (int n0 = 0; n0 < rows; n0 += INFO_TILE) {
        const int n = n0 + lx;
        const int i = bi * INFO_TILE + ly;
        const int j = bj * INFO_TILE + ly;
        const double cn = n < rows ? (coef == nullptr ? 1.0 : coef[n]) : 0.0;
        ti[ly][lx] = (i < m && n < rows) ? cn * X[(size_t) i * stride + n] : 0.0;
        tj[ly][lx] = (j < m && n < rows) ? X[(size_t) j * stride + n] : 0.0;
        __syncthreads();
        for (int t = 0; t < INFO_TILE; ++t) {
            acc += ti[ly][t] * tj[lx][t];
        }
        __syncthreads();
    }
    return acc;   // for i = bi * 16 + ly, j = bj * 16 + lx
}

// Component c's block: out[sup(i) P + sup(j)] += sum_n g_nc a_nci a_ncj for j >= i in its support
// (ascending, so upper-triangle entries). Grid: T(T + 1) / 2 blocks of 256, T = ceil(L_c / 16).
extern "C" __global__ void __launch_bounds__(INFO_TILE * INFO_TILE)
gmm_info_component_outer(const double* __restrict__ A, const double* __restrict__ g, int c, int rows, int lMax,
                         int stride, const int* __restrict__ sup, const int* __restrict__ len, int p,
                         double* __restrict__ out) {
    const int m = len[c];
    int bi;
    int bj;
    gmm_info_tile(m, bi, bj);
    const double acc = gmm_info_tile_sum(A + (size_t) c * lMax * stride, g + (size_t) c * stride, m, rows, stride,
                                         bi, bj);
    const int i = bi * INFO_TILE + (int) threadIdx.x / INFO_TILE;
    const int j = bj * INFO_TILE + (int) threadIdx.x % INFO_TILE;
    if (i < m && j < m && j >= i) {
        const int* sc = sup + c * lMax;
        out[(size_t) sc[i] * p + sc[j]] += acc;
    }
}

// out[i P + j] -= sum_n w_n s_ni s_nj for j >= i. Grid: T(T + 1) / 2 blocks of 256, T = ceil(P / 16).
extern "C" __global__ void __launch_bounds__(INFO_TILE * INFO_TILE)
gmm_info_cross_outer(const double* __restrict__ S, const double* __restrict__ w, int rows, int stride, int p,
                     double* __restrict__ out) {
    int bi;
    int bj;
    gmm_info_tile(p, bi, bj);
    const double acc = gmm_info_tile_sum(S, w, p, rows, stride, bi, bj);
    const int i = bi * INFO_TILE + (int) threadIdx.x / INFO_TILE;
    const int j = bj * INFO_TILE + (int) threadIdx.x % INFO_TILE;
    if (i < p && j < p && j >= i) {
        out[(size_t) i * p + j] -= acc;
    }
}

// score[i] += sum_n w_n s_ni, rows in order. One thread per coordinate.
extern "C" __global__ void __launch_bounds__(INFO_SCORE_THREADS)
gmm_info_score_sum(const double* __restrict__ S, const double* __restrict__ w, int rows, int stride, int p,
                   double* __restrict__ score) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= p) {
        return;
    }
    double acc = 0.0;
    for (int n = 0; n < rows; ++n) {
        acc += (w == nullptr ? 1.0 : w[n]) * S[(size_t) i * stride + n];
    }
    score[i] += acc;
}
