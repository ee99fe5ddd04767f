// The register-tiled fused pass for DIAG and SPHERICAL in float32, for large K (the simple kernel
// gives one warp to every (row, component) pair and re-reads the means and factors for each; at
// K = 1024 its shared tile holds 10 rows). Same partial layout and contract as the other passes
// (PackedStats, no floating-point atomics, every partial element owned by one thread and updated in a
// fixed order, repeated passes bit-identical); design and counts in kernels/README.md, "DIAG at large K".
//
// Three launches per slice of rows (the host loops over slices that fit its responsibility buffer):
//  1. gmm_diag_tiled_logdens_f32: 128 rows x 128 components per block, 256 threads as 16 x 16, each
//     an 8 x 8 register micro-tile; depth (the D features) in shared slices of 16. Per element
//     v = x p + (-mu p) (one FMA: the factor p and -mu p are prepared per component on the host),
//     maha += v v (one FMA). The log densities go to the buffer lg (rows x K).
//  2. gmm_diag_tiled_responsibilities_f32: one warp per row, an online log-sum-exp over the row's K
//     log densities (lanes strided, then a butterfly: every lane ends with the same value), and the
//     responsibilities times the row weight written back in place; per tile of DIAG_STATS_ROWS rows
//     the weighted log-likelihood, summed in a fixed order, into llTile.
//  3. gmm_diag_tiled_stats_f32: 128 components x 64 features per block, each thread 8 components x 4
//     features with their means in registers; depth = rows in shared slices of 16. Per element
//     v = x - mu, t = g v, sumDiff += t, sumSq += t v: the statistics about the current means directly
//     (no expansion about the data's centre, so no cancellation). The reduction runs over a tile of
//     DIAG_STATS_ROWS rows in float32, then each thread adds its micro-tile into the float64 partial.
//     The persistent grid's z index is the partial: tile t of the pass goes to partial t mod gridDim.z,
//     in increasing t, so a streamed pass adds exactly what a resident one does.
#pragma once
#include "estep_common.cuh"

#define DIAG_THREADS 256
#define DIAG_TILE 128        // rows (kernel 1) and components (kernels 1 and 3) per block
#define DIAG_COLS 64         // features per block of kernel 3
#define DIAG_DEPTH 16        // depth of a shared slice
#define DIAG_LD 132          // 128 + 4: slice rows stay 16-byte aligned
#define DIAG_COLS_LD 68      // 64 + 4
#define DIAG_STATS_ROWS 256  // rows per statistics tile: the float32 run before each float64 flush
#define DIAG_WARPS 8

// Index of the thread's i-th of eight tile positions (two groups of four, 64 apart): per warp the
// operand reads are broadcasts (t = ty) or 16 distinct 16-byte pieces (t = tx).
__device__ __forceinline__ int gmm_diag_slot(int t, int i) {
    return (i < 4 ? 0 : 64) + t * 4 + (i & 3);
}

extern "C" __global__ void __launch_bounds__(DIAG_THREADS, 2)
gmm_diag_tiled_logdens_f32(const float* __restrict__ x, long long n, int d, int k,
                           const float* __restrict__ pf, const float* __restrict__ nmp,
                           const double* __restrict__ cst, float* __restrict__ lg) {
    // pf and nmp are depth-major (d x k): the factor p_cj and -mu_cj p_cj of component c, feature j.
    __shared__ __align__(16) float xs[DIAG_DEPTH][DIAG_LD];   // features x rows
    __shared__ __align__(16) float ps[DIAG_DEPTH][DIAG_LD];   // features x components
    __shared__ __align__(16) float ms[DIAG_DEPTH][DIAG_LD];
    const int tid = threadIdx.x;
    const int tx = tid & 15;
    const int ty = tid >> 4;
    const int c0 = blockIdx.x * DIAG_TILE;
    const long long r0 = (long long) blockIdx.y * DIAG_TILE;
    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; ++i) {
#pragma unroll
        for (int j = 0; j < 8; ++j) {
            acc[i][j] = 0.0f;
        }
    }
    for (int e0 = 0; e0 < d; e0 += DIAG_DEPTH) {
        // Zeros beyond n, k and d add nothing (v = 0).
        for (int i = tid; i < DIAG_DEPTH * DIAG_TILE; i += DIAG_THREADS) {
            const int kk = i & (DIAG_DEPTH - 1);   // 16 consecutive threads read 16 features of one row
            const int r = i / DIAG_DEPTH;
            const long long row = r0 + r;
            xs[kk][r] = (row < n && e0 + kk < d) ? x[row * d + e0 + kk] : 0.0f;
        }
        for (int i = tid; i < DIAG_DEPTH * DIAG_TILE; i += DIAG_THREADS) {
            const int kk = i / DIAG_TILE;
            const int c = i & (DIAG_TILE - 1);
            const bool in = e0 + kk < d && c0 + c < k;
            const size_t at = (size_t) (e0 + kk) * k + c0 + c;
            ps[kk][c] = in ? pf[at] : 0.0f;
            ms[kk][c] = in ? nmp[at] : 0.0f;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < DIAG_DEPTH; ++kk) {
            float xr[8], pc[8], mc[8];
#pragma unroll
            for (int i = 0; i < 8; ++i) {
                xr[i] = xs[kk][gmm_diag_slot(ty, i)];
                pc[i] = ps[kk][gmm_diag_slot(tx, i)];
                mc[i] = ms[kk][gmm_diag_slot(tx, i)];
            }
#pragma unroll
            for (int i = 0; i < 8; ++i) {
#pragma unroll
                for (int j = 0; j < 8; ++j) {
                    const float v = fmaf(xr[i], pc[j], mc[j]);
                    acc[i][j] = fmaf(v, v, acc[i][j]);
                }
            }
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 8; ++i) {
        const long long row = r0 + gmm_diag_slot(ty, i);
        if (row >= n) {
            continue;
        }
#pragma unroll
        for (int j = 0; j < 8; ++j) {
            const int c = c0 + gmm_diag_slot(tx, j);
            if (c < k) {
                lg[row * k + c] = (float) (cst[c] - 0.5 * (double) acc[i][j]);
            }
        }
    }
}

// (m, s) <- the log-sum-exp pair of two partial pairs; commutative to the bit (IEEE + and * are), so
// both lanes of a butterfly step hold the same result.
__device__ __forceinline__ void gmm_lse_merge(float& m, float& s, float mo, float so) {
    if (mo > m) {
        s = fmaf(s, expf(m - mo), so);
        m = mo;
    } else if (mo != -INFINITY) {
        s = fmaf(so, expf(mo - m), s);
    }
}

extern "C" __global__ void __launch_bounds__(DIAG_THREADS)
gmm_diag_tiled_responsibilities_f32(float* __restrict__ lg, long long n, int k, const float* __restrict__ w,
                                    double* __restrict__ llTile) {
    __shared__ double wsum[DIAG_WARPS];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const long long r0 = (long long) blockIdx.x * DIAG_STATS_ROWS;
    double ll = 0.0;
    for (int r = warp; r < DIAG_STATS_ROWS; r += DIAG_WARPS) {
        const long long row = r0 + r;
        if (row >= n) {
            break;   // the same for the whole warp
        }
        float* l = lg + row * k;
        float m = -INFINITY;
        float s = 0.0f;
        for (int c = lane; c < k; c += 32) {
            gmm_lse_merge(m, s, l[c], 1.0f);
        }
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) {
            const float mo = __shfl_xor_sync(FULL_MASK, m, o);
            const float so = __shfl_xor_sync(FULL_MASK, s, o);
            gmm_lse_merge(m, s, mo, so);
        }
        const float lse = m + logf(s);
        const float wr = w != nullptr ? w[row] : 1.0f;
        for (int c = lane; c < k; c += 32) {
            l[c] = wr * expf(l[c] - lse);
        }
        if (wr != 0.0f) {
            ll += (double) wr * (double) lse;
        }
    }
    if (lane == 0) {
        wsum[warp] = ll;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        double t = 0.0;
        for (int i = 0; i < DIAG_WARPS; ++i) {
            t += wsum[i];
        }
        llTile[blockIdx.x] = t;
    }
}

extern "C" __global__ void __launch_bounds__(DIAG_THREADS, 2)
gmm_diag_tiled_stats_f32(const float* __restrict__ x, const float* __restrict__ g, long long n, long long firstTile,
                         int d, int k, const float* __restrict__ means, const double* __restrict__ llTile,
                         double* __restrict__ partials, int stride) {
    __shared__ __align__(16) float gs[DIAG_DEPTH][DIAG_LD];        // rows x components
    __shared__ __align__(16) float xs[DIAG_DEPTH][DIAG_COLS_LD];   // rows x features
    const int tid = threadIdx.x;
    const int tx = tid & 15;
    const int ty = tid >> 4;
    const int c0 = blockIdx.x * DIAG_TILE;
    const int j0 = blockIdx.y * DIAG_COLS;
    const long long slices = gridDim.z;
    double* partial = partials + (size_t) blockIdx.z * stride;
    const GmmPartial ps = gmm_partial(partial, k, d);
    const bool countsNk = blockIdx.y == 0 && tid < DIAG_TILE;
    const bool countsLl = blockIdx.x == 0 && blockIdx.y == 0 && tid == 0;
    float mu[8][4];
#pragma unroll
    for (int i = 0; i < 8; ++i) {
        const int c = c0 + gmm_diag_slot(ty, i);
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const int f = j0 + tx * 4 + j;
            mu[i][j] = (c < k && f < d) ? means[(size_t) c * d + f] : 0.0f;
        }
    }
    const long long tiles = (n + DIAG_STATS_ROWS - 1) / DIAG_STATS_ROWS;
    const long long first = ((long long) blockIdx.z - firstTile % slices + slices) % slices;
    for (long long t = first; t < tiles; t += slices) {
        float a1[8][4], a2[8][4];
#pragma unroll
        for (int i = 0; i < 8; ++i) {
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                a1[i][j] = 0.0f;
                a2[i][j] = 0.0f;
            }
        }
        float nk = 0.0f;
        const long long tileEnd = min((t + 1) * DIAG_STATS_ROWS, n);
        for (long long rb = t * DIAG_STATS_ROWS; rb < tileEnd; rb += DIAG_DEPTH) {
            // Zero responsibilities beyond n and k add nothing.
            for (int i = tid; i < DIAG_DEPTH * DIAG_TILE; i += DIAG_THREADS) {
                const int kk = i / DIAG_TILE;
                const int c = i & (DIAG_TILE - 1);
                const long long row = rb + kk;
                gs[kk][c] = (row < n && c0 + c < k) ? g[row * k + c0 + c] : 0.0f;
            }
            for (int i = tid; i < DIAG_DEPTH * DIAG_COLS; i += DIAG_THREADS) {
                const int kk = i / DIAG_COLS;
                const int f = i & (DIAG_COLS - 1);
                const long long row = rb + kk;
                xs[kk][f] = (row < n && j0 + f < d) ? x[row * d + j0 + f] : 0.0f;
            }
            __syncthreads();
            if (countsNk) {
#pragma unroll
                for (int kk = 0; kk < DIAG_DEPTH; ++kk) {
                    nk += gs[kk][tid];
                }
            }
#pragma unroll 2
            for (int kk = 0; kk < DIAG_DEPTH; ++kk) {
                float gr[8], xc[4];
#pragma unroll
                for (int i = 0; i < 8; ++i) {
                    gr[i] = gs[kk][gmm_diag_slot(ty, i)];
                }
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    xc[j] = xs[kk][tx * 4 + j];
                }
#pragma unroll
                for (int i = 0; i < 8; ++i) {
#pragma unroll
                    for (int j = 0; j < 4; ++j) {
                        const float v = xc[j] - mu[i][j];
                        const float gv = gr[i] * v;
                        a1[i][j] += gv;
                        a2[i][j] = fmaf(gv, v, a2[i][j]);
                    }
                }
            }
            __syncthreads();
        }
#pragma unroll
        for (int i = 0; i < 8; ++i) {
            const int c = c0 + gmm_diag_slot(ty, i);
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const int f = j0 + tx * 4 + j;
                if (c < k && f < d) {
                    ps.diff[(size_t) c * d + f] += (double) a1[i][j];
                    ps.sq[(size_t) c * d + f] += (double) a2[i][j];
                }
            }
        }
        if (countsNk && c0 + tid < k) {
            ps.nk[c0 + tid] += (double) nk;
        }
        if (countsLl) {
            partial[0] += llTile[t];
        }
    }
}
