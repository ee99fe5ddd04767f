// The second triangular tiled fused pass (FULL and TIED, uStride = D*D or 0): the same contract as
// gmm_pass_triangular_tiled (estep_tiled.cuh), reshaped so the executed work approaches the
// credited triangles and each FMA costs about one byte of shared memory. Design and counts:
// kernels/README.md, "The second tiled kernel".
//
// Float32 only: in double the 8 x 8 accumulators alone take 128 of the 255 registers and ptxas
// spills, so FLOAT64 keeps the first variant.
//
// 256 threads as a 16 x 16 grid (ty = tid / 16, tx = tid % 16); every thread owns an 8 x 8
// register micro-tile. Triangles are cut into 32-wide diagonal blocks. A block walks super-tiles of
// superRows rows (128 or 256; block b takes super-tiles b, b + gridDim.x, ...):
//  A. per 128-row sub-tile, four components at a time, one 32-wide output block J at a time:
//     Y = (X - mu_c) U_c for rows x columns [32J, 32J+32) of the four components side by side
//     (a 128 x 128 product X [U_c .. U_c+3]); since U is upper triangular only depth i < 32J + 32
//     is read. The depth slice of raw rows is shared by the four components; each thread
//     subtracts its component's mean as it reads (one subtraction per 8 FMAs).
//     Thread (ty, tx): rows 8 ty .. 8 ty + 7, component c0 + tx / 4, columns 8 (tx % 4) + 0..7.
//     Mahalanobis = row sums of Y^2, summed over the four threads of a component with shuffles;
//  B. log-sum-exp and responsibilities (shared with estep_tiled.cuh);
//  C. per 32 x 32 block (I <= J) of the upper triangle, sixteen components at a time: thread group
//     tid / 16 is component c0 + tid / 16, its 16 threads (4 x 4) cover the 32 x 32 block; the
//     reduction runs over the super-tile's rows in registers (T), then each thread adds its
//     micro-tile into the float64 partial. nk and sumDiff as in estep_tiled.cuh.
#pragma once
#include "estep_common.cuh"
#include "estep_tiled.cuh"

#define TILED2_THREADS 256
#define TILED2_ROWS 128       // rows per phase-A sub-tile; super-tiles are multiples of it
#define TILED2_BLOCK 32       // width of the diagonal blocks
#define TILED2_SLICE_BYTES 64 // depth of a shared slice: 64 bytes per column (16 floats, 8 doubles)
#define TILED2_LD 132         // 128 + 4: rows stay 16-byte aligned

// Phase A's shared slices (also the third variant's, estep_tiled3.cuh): sx[kk][r] = x of row row0 + r at
// feature i0 + kk (128 rows), su[kk][32 s + jj] = U of component c0 + s at (i0 + kk, j0 + jj) (four components),
// smu[s][kk] = the mean of component c0 + s at feature i0 + kk; zeros outside the data, the model and D.
template <typename T, int DEPTH, int LD>
__device__ __forceinline__ void gmm_tiled2_slices_a(T (*sx)[LD], T (*su)[LD], T (*smu)[DEPTH], const T* __restrict__ x,
                                                    long long n, long long row0, int i0, int d, int k, int c0, int j0,
                                                    const T* __restrict__ means, const T* __restrict__ prec,
                                                    long long uStride) {
    const int tid = threadIdx.x;
    for (int e = tid; e < DEPTH * TILED2_ROWS; e += TILED2_THREADS) {
        const int r = e / DEPTH;   // consecutive threads read along a row
        const int kk = e - r * DEPTH;
        const long long gr = row0 + r;
        const int gi = i0 + kk;
        sx[kk][r] = (gr < n && gi < d) ? x[gr * d + gi] : (T) 0;
    }
    for (int e = tid; e < DEPTH * 4 * TILED2_BLOCK; e += TILED2_THREADS) {
        const int kk = e / (4 * TILED2_BLOCK);
        const int cc = e - kk * (4 * TILED2_BLOCK);
        const int cu = c0 + cc / TILED2_BLOCK;
        const int gi = i0 + kk;
        const int gj = j0 + cc % TILED2_BLOCK;
        su[kk][cc] = (cu < k && gi < d && gj < d) ? prec[(size_t) (cu * uStride) + (size_t) gi * d + gj] : (T) 0;
    }
    if (tid < 4 * DEPTH) {
        const int s = tid / DEPTH;
        const int kk = tid - s * DEPTH;
        const int gi = i0 + kk;
        smu[s][kk] = (c0 + s < k && gi < d) ? means[(size_t) (c0 + s) * d + gi] : (T) 0;
    }
}

// Phase C's shared slices: sx[kk][0, 32) = column block I (from i0) of the super-tile's row r0 + kk,
// sx[kk][32, 64) = block J (from j0); su[kk][g] = that row's responsibility for component c0 + g (16).
template <typename T, int DEPTH, int LD>
__device__ __forceinline__ void gmm_tiled2_slices_c(T (*sx)[LD], T (*su)[LD], const T* __restrict__ x, long long base,
                                                    int valid, int r0, int i0, int j0, int d, int k, int c0,
                                                    const T* lp) {
    const int tid = threadIdx.x;
    for (int e = tid; e < DEPTH * 2 * TILED2_BLOCK; e += TILED2_THREADS) {
        const int kk = e / (2 * TILED2_BLOCK);
        const int cc = e - kk * (2 * TILED2_BLOCK);
        const int r = r0 + kk;
        const int gc = cc < TILED2_BLOCK ? i0 + cc : j0 + cc - TILED2_BLOCK;
        sx[kk][cc] = (r < valid && gc < d) ? x[(base + r) * d + gc] : (T) 0;
    }
    for (int e = tid; e < DEPTH * 16; e += TILED2_THREADS) {
        const int kk = e >> 4;
        const int g = e & 15;
        const int r = r0 + kk;
        su[kk][g] = (r < valid && c0 + g < k) ? lp[r * k + c0 + g] : (T) 0;
    }
}

template <typename T>
__device__ void gmm_tiled2(const T* __restrict__ x, long long n, long long firstTile, int d, int k,
                           const T* __restrict__ w,
                           const T* __restrict__ means, const T* __restrict__ prec, long long uStride,
                           const double* __restrict__ cst, int superRows, double* __restrict__ partial,
                           double* __restrict__ llCarry) {
    constexpr int DEPTH = TILED2_SLICE_BYTES / (int) sizeof(T);
    // Phase A: sx = raw rows (depth x rows), su = four factors' column blocks (depth x 4*32).
    // Phase C reuses them: sx holds the I and J column blocks of DEPTH rows, su the weights.
    __shared__ __align__(16) T sx[DEPTH][TILED2_LD];
    __shared__ __align__(16) T su[DEPTH][TILED2_LD];
    __shared__ T smu[4][DEPTH];
    __shared__ double red[TILED2_THREADS];
    T* lp = (T*) gmm_smem;   // superRows x k: log densities, then responsibilities
    const int tid = threadIdx.x;
    const int tx = tid & 15;
    const int ty = tid >> 4;
    const int blocks = (d + TILED2_BLOCK - 1) / TILED2_BLOCK;
    const long long supers = (n + superRows - 1) / superRows;
    const GmmPartial ps = gmm_partial(partial, k, d);
    double ll = llCarry[tid];

    for (long long st = gmm_first_tile(firstTile); st < supers; st += gridDim.x) {
        const long long base = st * superRows;
        const int valid = (int) min((long long) superRows, n - base);

        // A. log densities.
        const int slot = tx >> 2;          // which of the four components
        const int col = (tx & 3) * 8;      // first of the thread's 8 columns within the block
        for (int rs = 0; rs < valid; rs += TILED2_ROWS) {
            const long long row0 = base + rs;
            for (int c0 = 0; c0 < k; c0 += 4) {
                const int c = c0 + slot;
                T part[8];
#pragma unroll
                for (int p = 0; p < 8; ++p) {
                    part[p] = (T) 0;
                }
                for (int jb = 0; jb < blocks; ++jb) {
                    const int j0 = jb * TILED2_BLOCK;
                    T acc[8][8];
#pragma unroll
                    for (int p = 0; p < 8; ++p) {
#pragma unroll
                        for (int q = 0; q < 8; ++q) {
                            acc[p][q] = (T) 0;
                        }
                    }
                    const int iEnd = min(d, j0 + TILED2_BLOCK);
                    for (int i0 = 0; i0 < iEnd; i0 += DEPTH) {
                        gmm_tiled2_slices_a<T, DEPTH, TILED2_LD>(sx, su, smu, x, n, row0, i0, d, k, c0, j0, means, prec,
                                                                  uStride);
                        __syncthreads();
#pragma unroll
                        for (int kk = 0; kk < DEPTH; ++kk) {
                            const T m = smu[slot][kk];
                            T a[8], b[8];
#pragma unroll
                            for (int p = 0; p < 8; ++p) {
                                a[p] = sx[kk][ty * 8 + p] - m;
                                b[p] = su[kk][slot * TILED2_BLOCK + col + p];
                            }
#pragma unroll
                            for (int p = 0; p < 8; ++p) {
#pragma unroll
                                for (int q = 0; q < 8; ++q) {
                                    acc[p][q] = gmm_fma(a[p], b[q], acc[p][q]);
                                }
                            }
                        }
                        __syncthreads();
                    }
#pragma unroll
                    for (int p = 0; p < 8; ++p) {
#pragma unroll
                        for (int q = 0; q < 8; ++q) {
                            part[p] = gmm_fma(acc[p][q], acc[p][q], part[p]);
                        }
                    }
                }
#pragma unroll
                for (int p = 0; p < 8; ++p) {
                    part[p] += __shfl_xor_sync(FULL_MASK, part[p], 1);
                    part[p] += __shfl_xor_sync(FULL_MASK, part[p], 2);
                }
                if ((tx & 3) == 0 && c < k) {
#pragma unroll
                    for (int p = 0; p < 8; ++p) {
                        const int r = rs + ty * 8 + p;
                        if (r < superRows) {
                            lp[r * k + c] = (T) (cst[c] - 0.5 * (double) part[p]);
                        }
                    }
                }
            }
        }
        __syncthreads();

        // B. responsibilities (rows past the end get zero).
        gmm_tile_responsibilities(lp, w, base, valid, superRows, k, ll);
        __syncthreads();

        // C. statistics.
        gmm_tile_moments(lp, x, means, base, valid, d, k, ps.nk, ps.diff);
        const int grp = tid >> 4;          // component within the group of sixteen
        const int ti = ((tid & 15) >> 2) * 8;
        const int tj = (tid & 3) * 8;
        const size_t tri = (size_t) d * (d + 1) / 2;
        for (int c0 = 0; c0 < k; c0 += 16) {
            const int c = c0 + grp;
            const T* mu = means + (size_t) (c < k ? c : 0) * d;
            for (int ib = 0; ib < blocks; ++ib) {
                for (int jb = ib; jb < blocks; ++jb) {
                    const int i0 = ib * TILED2_BLOCK;
                    const int j0 = jb * TILED2_BLOCK;
                    T mi[8], mj[8];
#pragma unroll
                    for (int p = 0; p < 8; ++p) {
                        mi[p] = i0 + ti + p < d ? mu[i0 + ti + p] : (T) 0;
                        mj[p] = j0 + tj + p < d ? mu[j0 + tj + p] : (T) 0;
                    }
                    T acc[8][8];
#pragma unroll
                    for (int p = 0; p < 8; ++p) {
#pragma unroll
                        for (int q = 0; q < 8; ++q) {
                            acc[p][q] = (T) 0;
                        }
                    }
                    for (int r0 = 0; r0 < valid; r0 += DEPTH) {
                        gmm_tiled2_slices_c<T, DEPTH, TILED2_LD>(sx, su, x, base, valid, r0, i0, j0, d, k, c0, lp);
                        __syncthreads();
#pragma unroll
                        for (int kk = 0; kk < DEPTH; ++kk) {
                            const T g = su[kk][grp];
                            T a[8], b[8];
#pragma unroll
                            for (int p = 0; p < 8; ++p) {
                                a[p] = g * (sx[kk][ti + p] - mi[p]);
                                b[p] = sx[kk][TILED2_BLOCK + tj + p] - mj[p];
                            }
#pragma unroll
                            for (int p = 0; p < 8; ++p) {
#pragma unroll
                                for (int q = 0; q < 8; ++q) {
                                    acc[p][q] = gmm_fma(a[p], b[q], acc[p][q]);
                                }
                            }
                        }
                        __syncthreads();
                    }
                    if (c < k) {
                        double* sq = ps.sq + (size_t) c * tri;   // packed upper triangle
#pragma unroll
                        for (int p = 0; p < 8; ++p) {
#pragma unroll
                            for (int q = 0; q < 8; ++q) {
                                const int i = i0 + ti + p;
                                const int j = j0 + tj + q;
                                if (i < d && j < d && i <= j) {
                                    sq[gmm_packed_index(i, j, d)] += (double) acc[p][q];
                                }
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

#define GMM_TILED2_ENTRY(NAME, T)                                                                       \
    extern "C" __global__ void __launch_bounds__(TILED2_THREADS)                                         \
    gmm_pass_##NAME(const T* x, long long n, long long firstTile, int d, int k, const T* w,             \
                    const T* means, const T* prec, long long uStride, const double* cst, int superRows,  \
                    double* partials, int stride, double* llCarry) {                                    \
        gmm_tiled2<T>(x, n, firstTile, d, k, w, means, prec, uStride, cst, superRows,                   \
                     partials + (size_t) blockIdx.x * stride, llCarry + (size_t) blockIdx.x * blockDim.x); \
    }
