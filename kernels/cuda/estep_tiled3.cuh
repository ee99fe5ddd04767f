// The third triangular tiled fused pass (FULL and TIED, float32, uStride = D*D or 0): the second one's blocking
// and contract (estep_tiled2.cuh: 128-row sub-tiles, four components side by side in phase A, sixteen in
// phase C, 32-wide diagonal blocks, the same shared slices) with its products on the tensor cores in
// error-compensated TF32 (mma_tf32.cuh: three m16n8k8 products per tile keep float32 accuracy) instead of
// 8 x 8 FMA micro-tiles. Design and counts: kernels/README.md, "The third tiled kernel".
//
// 256 threads as 8 warps; lane l, g = l / 4, t = l % 4 (the mma fragment coordinates). Per super-tile:
//  A. per 128-row sub-tile, four components at a time, one 32-wide output block J at a time: warp w computes
//     rows 16 w .. 16 w + 15 of the 128 x 128 output Y = [(X - mu_c) U_c .. (X - mu_c+3) U_c+3] (columns of
//     block J), sixteen m16n8 tiles (64 accumulators per lane). Per k8 step of a depth slice: per component one
//     A fragment, x - mu formed as it is read from the shared slice, and per tile one B fragment of U, each
//     split into head and tail. Mahalanobis = row sums of Y^2: a lane holds rows g and g + 8 and 8 of each
//     component's 32 columns; two shuffles sum a row over its four lanes t;
//  B. log-sum-exp and responsibilities (shared with estep_tiled.cuh);
//  C. per 32 x 32 block (I <= J) of the upper triangle, sixteen components at a time, warp w takes components
//     c0 + 2 w and c0 + 2 w + 1: each block is 2 x 4 m16n8 tiles of S = A B with A = (g (x_I - mu_I))^T
//     (features x rows) and B = x_J - mu_J (rows x features), the rows the depth; float32 over the super-tile,
//     then each lane adds its fragments into the float64 partial. nk and sumDiff as in estep_tiled.cuh.
// Every partial element is owned by one (warp, lane, register) and updated in a fixed order; the tensor cores
// give the same result for the same inputs, so repeated passes stay bit-identical.
#pragma once
#include "estep_common.cuh"
#include "estep_tiled.cuh"
#include "estep_tiled2.cuh"
#include "mma_tf32.cuh"

#define TILED3_LD 136   // 128 + 8: a fragment's 32 reads (rows t, t + 4 of a slice, 8 columns g) hit 32 banks

__device__ void gmm_tiled3(const float* __restrict__ x, long long n, long long firstTile, int d, int k,
                           const float* __restrict__ w, const float* __restrict__ means,
                           const float* __restrict__ prec, long long uStride, const double* __restrict__ cst,
                           int superRows, double* __restrict__ partial, double* __restrict__ llCarry) {
    constexpr int DEPTH = 16;
    __shared__ __align__(16) float sx[DEPTH][TILED3_LD];
    __shared__ __align__(16) float su[DEPTH][TILED3_LD];
    __shared__ float smu[4][DEPTH];
    __shared__ double red[TILED2_THREADS];
    float* lp = (float*) gmm_smem;   // superRows x k: log densities, then responsibilities
    const int tid = threadIdx.x;
    const int warp = tid >> 5;
    const int lane = tid & 31;
    const int g = lane >> 2;
    const int t = lane & 3;
    const int blocks = (d + TILED2_BLOCK - 1) / TILED2_BLOCK;
    const long long supers = (n + superRows - 1) / superRows;
    const GmmPartial ps = gmm_partial(partial, k, d);
    double ll = llCarry[tid];

    for (long long st = gmm_first_tile(firstTile); st < supers; st += gridDim.x) {
        const long long base = st * superRows;
        const int valid = (int) min((long long) superRows, n - base);

        // A. log densities.
        const int r16 = warp * 16 + g;   // the lane's first row in the sub-tile (the other is r16 + 8)
        for (int rs = 0; rs < valid; rs += TILED2_ROWS) {
            const long long row0 = base + rs;
            for (int c0 = 0; c0 < k; c0 += 4) {
                float part[2][4];
#pragma unroll
                for (int s = 0; s < 4; ++s) {
                    part[0][s] = 0.0f;
                    part[1][s] = 0.0f;
                }
                for (int jb = 0; jb < blocks; ++jb) {
                    const int j0 = jb * TILED2_BLOCK;
                    float acc[16][4];
#pragma unroll
                    for (int q = 0; q < 16; ++q) {
#pragma unroll
                        for (int r = 0; r < 4; ++r) {
                            acc[q][r] = 0.0f;
                        }
                    }
                    const int iEnd = min(d, j0 + TILED2_BLOCK);
                    for (int i0 = 0; i0 < iEnd; i0 += DEPTH) {
                        gmm_tiled2_slices_a<float, DEPTH, TILED3_LD>(sx, su, smu, x, n, row0, i0, d, k, c0, j0, means,
                                                                      prec, uStride);
                        __syncthreads();
#pragma unroll
                        for (int k0 = 0; k0 < DEPTH; k0 += 8) {
#pragma unroll
                            for (int s = 0; s < 4; ++s) {
                                if (c0 + s >= k) {
                                    break;   // the same for the whole warp, so no mma is left half-issued
                                }
                                const float m0 = smu[s][k0 + t];
                                const float m1 = smu[s][k0 + t + 4];
                                float ah[4], at[4];
                                gmm_split_tf32(sx[k0 + t][r16] - m0, ah[0], at[0]);
                                gmm_split_tf32(sx[k0 + t][r16 + 8] - m0, ah[1], at[1]);
                                gmm_split_tf32(sx[k0 + t + 4][r16] - m1, ah[2], at[2]);
                                gmm_split_tf32(sx[k0 + t + 4][r16 + 8] - m1, ah[3], at[3]);
#pragma unroll
                                for (int j = 0; j < 4; ++j) {
                                    const int col = s * TILED2_BLOCK + j * 8 + g;
                                    float bh[2], bt[2];
                                    gmm_split_tf32(su[k0 + t][col], bh[0], bt[0]);
                                    gmm_split_tf32(su[k0 + t + 4][col], bh[1], bt[1]);
                                    gmm_mma_3xtf32(acc[s * 4 + j], ah, at, bh, bt);
                                }
                            }
                        }
                        __syncthreads();
                    }
#pragma unroll
                    for (int s = 0; s < 4; ++s) {
#pragma unroll
                        for (int j = 0; j < 4; ++j) {
                            const float* y = acc[s * 4 + j];
                            part[0][s] = fmaf(y[0], y[0], fmaf(y[1], y[1], part[0][s]));
                            part[1][s] = fmaf(y[2], y[2], fmaf(y[3], y[3], part[1][s]));
                        }
                    }
                }
#pragma unroll
                for (int h = 0; h < 2; ++h) {
#pragma unroll
                    for (int s = 0; s < 4; ++s) {
                        part[h][s] += __shfl_xor_sync(FULL_MASK, part[h][s], 1);
                        part[h][s] += __shfl_xor_sync(FULL_MASK, part[h][s], 2);
                    }
                }
                if (t == 0) {
#pragma unroll
                    for (int h = 0; h < 2; ++h) {
                        const int r = rs + r16 + 8 * h;
#pragma unroll
                        for (int s = 0; s < 4; ++s) {
                            const int c = c0 + s;
                            if (c < k && r < superRows) {
                                lp[r * k + c] = (float) (cst[c] - 0.5 * (double) part[h][s]);
                            }
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
        const size_t tri = (size_t) d * (d + 1) / 2;
        for (int c0 = 0; c0 < k; c0 += 16) {
            for (int ib = 0; ib < blocks; ++ib) {
                for (int jb = ib; jb < blocks; ++jb) {
                    const int i0 = ib * TILED2_BLOCK;
                    const int j0 = jb * TILED2_BLOCK;
                    // The lane's means: features i0 + 16 mt + g (+ 8) of block I, j0 + 8 nt + g of block J.
                    float mi[2][2][2], mj[2][4];
#pragma unroll
                    for (int q = 0; q < 2; ++q) {
                        const int c = c0 + 2 * warp + q;
                        const float* mu = means + (size_t) (c < k ? c : 0) * d;
#pragma unroll
                        for (int mt = 0; mt < 2; ++mt) {
#pragma unroll
                            for (int h = 0; h < 2; ++h) {
                                const int i = i0 + 16 * mt + g + 8 * h;
                                mi[q][mt][h] = i < d ? mu[i] : 0.0f;
                            }
                        }
#pragma unroll
                        for (int nt = 0; nt < 4; ++nt) {
                            const int j = j0 + 8 * nt + g;
                            mj[q][nt] = j < d ? mu[j] : 0.0f;
                        }
                    }
                    float acc[2][8][4];
#pragma unroll
                    for (int q = 0; q < 2; ++q) {
#pragma unroll
                        for (int p = 0; p < 8; ++p) {
#pragma unroll
                            for (int r = 0; r < 4; ++r) {
                                acc[q][p][r] = 0.0f;
                            }
                        }
                    }
                    for (int r0 = 0; r0 < valid; r0 += DEPTH) {
                        gmm_tiled2_slices_c<float, DEPTH, TILED3_LD>(sx, su, x, base, valid, r0, i0, j0, d, k, c0, lp);
                        __syncthreads();
#pragma unroll
                        for (int k0 = 0; k0 < DEPTH; k0 += 8) {
#pragma unroll
                            for (int q = 0; q < 2; ++q) {
                                const int comp = 2 * warp + q;
                                if (c0 + comp >= k) {
                                    break;   // the same for the whole warp
                                }
                                const float g0 = su[k0 + t][comp];
                                const float g1 = su[k0 + t + 4][comp];
                                float ah[2][4], at[2][4];
#pragma unroll
                                for (int mt = 0; mt < 2; ++mt) {
                                    const int i = 16 * mt + g;
                                    gmm_split_tf32(g0 * (sx[k0 + t][i] - mi[q][mt][0]), ah[mt][0], at[mt][0]);
                                    gmm_split_tf32(g0 * (sx[k0 + t][i + 8] - mi[q][mt][1]), ah[mt][1], at[mt][1]);
                                    gmm_split_tf32(g1 * (sx[k0 + t + 4][i] - mi[q][mt][0]), ah[mt][2], at[mt][2]);
                                    gmm_split_tf32(g1 * (sx[k0 + t + 4][i + 8] - mi[q][mt][1]), ah[mt][3], at[mt][3]);
                                }
#pragma unroll
                                for (int nt = 0; nt < 4; ++nt) {
                                    const int j = TILED2_BLOCK + 8 * nt + g;
                                    float bh[2], bt[2];
                                    gmm_split_tf32(sx[k0 + t][j] - mj[q][nt], bh[0], bt[0]);
                                    gmm_split_tf32(sx[k0 + t + 4][j] - mj[q][nt], bh[1], bt[1]);
#pragma unroll
                                    for (int mt = 0; mt < 2; ++mt) {
                                        gmm_mma_3xtf32(acc[q][mt * 4 + nt], ah[mt], at[mt], bh, bt);
                                    }
                                }
                            }
                        }
                        __syncthreads();
                    }
#pragma unroll
                    for (int q = 0; q < 2; ++q) {
                        const int c = c0 + 2 * warp + q;
                        if (c >= k) {
                            continue;
                        }
                        double* sq = ps.sq + (size_t) c * tri;   // packed upper triangle
#pragma unroll
                        for (int mt = 0; mt < 2; ++mt) {
#pragma unroll
                            for (int nt = 0; nt < 4; ++nt) {
#pragma unroll
                                for (int r = 0; r < 4; ++r) {
                                    const int i = i0 + 16 * mt + g + (r >= 2 ? 8 : 0);
                                    const int j = j0 + 8 * nt + 2 * t + (r & 1);
                                    if (i < d && j < d && i <= j) {
                                        sq[gmm_packed_index(i, j, d)] += (double) acc[q][mt * 4 + nt][r];
                                    }
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

extern "C" __global__ void __launch_bounds__(TILED2_THREADS)
gmm_pass_triangular_tiled3_f32(const float* x, long long n, long long firstTile, int d, int k, const float* w,
                               const float* means, const float* prec, long long uStride, const double* cst,
                               int superRows, double* partials, int stride, double* llCarry) {
    gmm_tiled3(x, n, firstTile, d, k, w, means, prec, uStride, cst, superRows, partials + (size_t) blockIdx.x * stride,
               llCarry + (size_t) blockIdx.x * blockDim.x);
}
