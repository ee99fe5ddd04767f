// The triangular tiled fused pass: FULL and TIED (uStride = D*D or 0), the two types whose
// precision factor is a triangular matrix; both heavy products run as register-blocked GEMMs on
// shared-memory slices.
//
// 256 threads as a 16 x 16 grid; each thread owns a 4 x 4 micro-tile of a 64 x 64 output tile.
// A block walks "super-tiles" of superRows rows (a multiple of 64; block b takes super-tiles
// b, b + gridDim.x, ... of the pass, also across the chunks of a streamed pass):
//  A. for each 64-row sub-tile and component c: Y = (X - mu_c) U_c, 64 output columns at a time,
//     depth slices of 16 (A slice 16 x 64 and U slice 16 x 64 in shared memory). U is upper
//     triangular, so for output columns [j0, j0+64) only rows i < j0 + 64 of U are read.
//     Mahalanobis = row sums of Y^2 (shuffle over the 16 column groups) -> log density in shared;
//  B. one thread per row: online log-sum-exp over the K log densities, responsibilities x weight;
//  C. for each component: S_c += A^T diag(g_c) A on the upper 64 x 64 block triangle only, the
//     reduction running over the super-tile's rows in registers (T); each thread then adds its
//     micro-tile into the float64 partial (float32 within a super-tile, float64 across them).
//     nk and sumDiff are O(rows x D) and summed in float64 directly.
#pragma once
#include "estep_common.cuh"

#define TILED_THREADS 256
#define TILE_ROWS 64
#define TILE_COLS 64
#define TILE_DEPTH 16
#define TILE_LD 68   // 64 + 4: rows stay 16-byte aligned, transposed stores hit fewer banks

template <typename T>
__device__ __forceinline__ void gmm_micro_gemm(const T (*sa)[TILE_LD], const T (*sb)[TILE_LD], int ty, int tx,
                                               T acc[4][4]) {
#pragma unroll
    for (int kk = 0; kk < TILE_DEPTH; ++kk) {
        T a[4], b[4];
#pragma unroll
        for (int q = 0; q < 4; ++q) {
            a[q] = sa[kk][ty * 4 + q];
            b[q] = sb[kk][tx * 4 + q];
        }
#pragma unroll
        for (int p = 0; p < 4; ++p) {
#pragma unroll
            for (int q = 0; q < 4; ++q) {
                acc[p][q] = gmm_fma(a[p], b[q], acc[p][q]);
            }
        }
    }
}

// Phase B of both tiled kernels: one thread per row turns the super-tile's K log densities into
// responsibilities x weight in place (rows past the end get zero, so they add nothing) and adds the
// row's weighted log-likelihood to ll, in row order per thread.
template <typename T>
__device__ __forceinline__ void gmm_tile_responsibilities(T* lp, const T* __restrict__ w, long long base, int valid,
                                                          int superRows, int k, double& ll) {
    for (int r = threadIdx.x; r < superRows; r += blockDim.x) {
        if (r < valid) {
            const T wr = w != nullptr ? w[base + r] : (T) 1;
            const T lse = gmm_row_responsibilities(lp + r * k, k, wr);
            if (wr != (T) 0) {
                ll += (double) wr * (double) lse;
            }
        } else {
            for (int c = 0; c < k; ++c) {
                lp[r * k + c] = (T) 0;
            }
        }
    }
}

// nk and sumDiff of one super-tile (O(rows x K x D), summed in float64 directly): thread 0 owns
// every nk, thread i (mod blockDim) the column i of every sumDiff row.
template <typename T>
__device__ __forceinline__ void gmm_tile_moments(const T* lp, const T* __restrict__ x, const T* __restrict__ means,
                                                 long long base, int valid, int d, int k, double* pnk,
                                                 double* pdiff) {
    for (int c = 0; c < k; ++c) {
        const T* mu = means + (size_t) c * d;
        if (threadIdx.x == 0) {
            double s = 0.0;
            for (int r = 0; r < valid; ++r) {
                s += (double) lp[r * k + c];
            }
            pnk[c] += s;
        }
        for (int i = threadIdx.x; i < d; i += blockDim.x) {
            const double m = (double) mu[i];
            double a = 0.0;
            for (int r = 0; r < valid; ++r) {
                a += (double) lp[r * k + c] * ((double) x[(base + r) * d + i] - m);
            }
            pdiff[(size_t) c * d + i] += a;
        }
    }
}

template <typename T>
__device__ void gmm_tiled(const T* __restrict__ x, long long n, long long firstTile, int d, int k,
                          const T* __restrict__ w,
                          const T* __restrict__ means, const T* __restrict__ prec, long long uStride,
                          const double* __restrict__ cst, int superRows, double* __restrict__ partial,
                          double* __restrict__ llCarry) {
    __shared__ __align__(16) T sa[TILE_DEPTH][TILE_LD];
    __shared__ __align__(16) T sb[TILE_DEPTH][TILE_LD];
    __shared__ double red[TILED_THREADS];
    T* lp = (T*) gmm_smem;   // superRows x k: log densities, then responsibilities
    const int tid = threadIdx.x;
    const int tx = tid & 15;   // column group: 16 consecutive lanes share a row group
    const int ty = tid >> 4;   // row group
    const long long supers = (n + superRows - 1) / superRows;
    const GmmPartial ps = gmm_partial(partial, k, d);
    double ll = llCarry[tid];

    for (long long st = gmm_first_tile(firstTile); st < supers; st += gridDim.x) {
        const long long base = st * superRows;
        const int valid = (int) min((long long) superRows, n - base);

        // A. log densities, one 64-row sub-tile at a time.
        for (int rs = 0; rs < valid; rs += TILE_ROWS) {
            const long long row0 = base + rs;
            for (int c = 0; c < k; ++c) {
                const T* mu = means + (size_t) c * d;
                const T* u = prec + (size_t) (c * uStride);
                T part[4] = {(T) 0, (T) 0, (T) 0, (T) 0};
                for (int j0 = 0; j0 < d; j0 += TILE_COLS) {
                    T acc[4][4];
#pragma unroll
                    for (int p = 0; p < 4; ++p) {
#pragma unroll
                        for (int q = 0; q < 4; ++q) {
                            acc[p][q] = (T) 0;
                        }
                    }
                    const int iEnd = min(d, j0 + TILE_COLS);
                    for (int i0 = 0; i0 < iEnd; i0 += TILE_DEPTH) {
                        for (int e = tid; e < TILE_DEPTH * TILE_ROWS; e += TILED_THREADS) {
                            const int r = e / TILE_DEPTH;   // consecutive threads read along a row
                            const int kk = e - r * TILE_DEPTH;
                            const long long gr = row0 + r;
                            const int gi = i0 + kk;
                            T v = (T) 0;
                            if (gr < n && gi < d) {
                                v = x[gr * d + gi] - mu[gi];
                            }
                            sa[kk][r] = v;
                        }
                        for (int e = tid; e < TILE_DEPTH * TILE_COLS; e += TILED_THREADS) {
                            const int kk = e / TILE_COLS;
                            const int cc = e - kk * TILE_COLS;
                            const int gi = i0 + kk;
                            const int gj = j0 + cc;
                            sb[kk][cc] = (gi < d && gj < d) ? u[(size_t) gi * d + gj] : (T) 0;
                        }
                        __syncthreads();
                        gmm_micro_gemm<T>(sa, sb, ty, tx, acc);
                        __syncthreads();
                    }
#pragma unroll
                    for (int p = 0; p < 4; ++p) {
#pragma unroll
                        for (int q = 0; q < 4; ++q) {
                            part[p] = gmm_fma(acc[p][q], acc[p][q], part[p]);
                        }
                    }
                }
#pragma unroll
                for (int p = 0; p < 4; ++p) {
#pragma unroll
                    for (int o = 8; o > 0; o >>= 1) {
                        part[p] += __shfl_xor_sync(FULL_MASK, part[p], o);
                    }
                }
                if (tx == 0) {
#pragma unroll
                    for (int p = 0; p < 4; ++p) {
                        lp[(rs + ty * 4 + p) * k + c] = (T) (cst[c] - 0.5 * (double) part[p]);
                    }
                }
            }
        }
        __syncthreads();

        // B. responsibilities; rows past the end get zero so they add nothing below.
        gmm_tile_responsibilities(lp, w, base, valid, superRows, k, ll);
        __syncthreads();

        // C. statistics per component.
        gmm_tile_moments(lp, x, means, base, valid, d, k, ps.nk, ps.diff);
        for (int c = 0; c < k; ++c) {
            const T* mu = means + (size_t) c * d;
            double* sq = ps.sq + (size_t) c * ((size_t) d * (d + 1) / 2);   // packed upper triangle
            for (int i0 = 0; i0 < d; i0 += TILE_COLS) {
                for (int j0 = i0; j0 < d; j0 += TILE_COLS) {
                    T acc[4][4];
#pragma unroll
                    for (int p = 0; p < 4; ++p) {
#pragma unroll
                        for (int q = 0; q < 4; ++q) {
                            acc[p][q] = (T) 0;
                        }
                    }
                    for (int r0 = 0; r0 < valid; r0 += TILE_DEPTH) {
                        for (int e = tid; e < TILE_DEPTH * TILE_COLS; e += TILED_THREADS) {
                            const int kk = e / TILE_COLS;
                            const int cc = e - kk * TILE_COLS;
                            const int r = r0 + kk;
                            T va = (T) 0, vb = (T) 0;
                            if (r < valid) {
                                const T* xr = x + (base + r) * d;
                                if (i0 + cc < d) {
                                    va = lp[r * k + c] * (xr[i0 + cc] - mu[i0 + cc]);
                                }
                                if (j0 + cc < d) {
                                    vb = xr[j0 + cc] - mu[j0 + cc];
                                }
                            }
                            sa[kk][cc] = va;
                            sb[kk][cc] = vb;
                        }
                        __syncthreads();
                        gmm_micro_gemm<T>(sa, sb, ty, tx, acc);
                        __syncthreads();
                    }
#pragma unroll
                    for (int p = 0; p < 4; ++p) {
#pragma unroll
                        for (int q = 0; q < 4; ++q) {
                            const int i = i0 + ty * 4 + p;
                            const int j = j0 + tx * 4 + q;
                            if (i < d && j < d && i <= j) {
                                sq[gmm_packed_index(i, j, d)] += (double) acc[p][q];
                            }
                        }
                    }
                }
            }
        }
        __syncthreads();   // lp is rewritten by the next super-tile
    }
    gmm_store_log_likelihood(ll, llCarry, partial, red);
}

#define GMM_TILED_ENTRY(NAME, T)                                                                       \
    extern "C" __global__ void __launch_bounds__(TILED_THREADS)                                         \
    gmm_pass_##NAME(const T* x, long long n, long long firstTile, int d, int k, const T* w,             \
                    const T* means, const T* prec, long long uStride, const double* cst, int superRows,  \
                    double* partials, int stride, double* llCarry) {                                    \
        gmm_tiled<T>(x, n, firstTile, d, k, w, means, prec, uStride, cst, superRows,                   \
                     partials + (size_t) blockIdx.x * stride, llCarry + (size_t) blockIdx.x * blockDim.x); \
    }
