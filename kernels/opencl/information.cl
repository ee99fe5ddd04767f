/*
 * information.cl -- the rows' score variance of the observed information (standard errors), float64 only:
 *
 *   outer = sum_n w_n (sum_k r_nk a_nk a_nk^T - s_n s_n^T),   s_n = sum_k r_nk a_nk,   score = sum_n w_n s_n,
 *
 * in the coordinates of io.gaussmix.math.ParameterLayout (a_nk as io.gaussmix.math.ComponentScores writes it).
 * The host runs these kernels per block of R rows, in order, on one in-order queue:
 *   1. estep.cl's log_densities (the backend's own log-density path) -> lp, R x K;
 *   2. info_scores: one work-item per row -> a_nk of every component (A, compact per component) and s_n (S);
 *   3. info_component_outer, once per component k: out[sup_k(i), sup_k(j)] += sum_n g_nk a_nki a_nkj;
 *   4. info_cross_outer: out[i, j] -= sum_n w_n s_ni s_nj over the whole P x P upper triangle;
 *   5. info_score_sum: score[i] += sum_n w_n s_ni.
 * Each output entry is owned by one work-item of each launch, which sums the block's rows in row order and then
 * adds that sum to the entry: no atomics, so the result is the same bits run to run. Only the upper triangle
 * (j >= i) is written; work-groups of tiles wholly below the diagonal return at once. The outputs are P x P
 * and P, the block buffers O(R (P + K L)): never a P x P partial per work-group.
 *
 * Layouts (double, "column per row" so that the tiled kernels read rows contiguously):
 *   x      rows of the block, row-major R x D (already shifted by a per-column constant on the host; mu likewise)
 *   lam    K x D x D dense precisions Lambda_k = U_k U_k^T
 *   pi     K weights;  sup K x L coordinates of each component's support (ascending), len K their lengths
 *   dir_at B + 1 offsets into dir: covariance coordinate a has unit entries (p, q) = dir[2t], dir[2t + 1],
 *          t in [dir_at[a], dir_at[a + 1])
 *   A      K x L x R: A[(k L + l) R + n] = a_nk over support entry l;  g  K x R: g[k R + n] = w_n r_nk
 *   S      P x R: S[i R + n] = s_ni;  w  the block's R row weights
 */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable

/* Rows per tile and tile edge of the outer-product kernels (work-groups of TS x TS); the host uses the same. */
#define TS 16

/*
 * info_scores -- row n's responsibilities (from lp and their log-sum-exp, max subtracted first), a_nk of every
 * component into A (the mean part is z = Lambda_k (x - mu_k), the covariance part reads it back), g = w r, and
 * s_n = sum_k r_nk a_nk, scattered into S over each support in component order.
 * Grid: one work-item per row (global size >= rows, no local memory).
 */
__kernel void info_scores(__global const double* x, __global const double* w, long first, int rows, int d, int k,
                          int p_size, int l_max, int r_stride, __global const double* mu,
                          __global const double* lam, __global const double* pi, __global const int* sup,
                          __global const int* len, __global const int* dir_at, __global const int* dir, int b,
                          __global const double* lp, __global double* A, __global double* g, __global double* S)
{
    int n = get_global_id(0);
    if (n >= rows) {
        return;
    }
    __global const double* xr = x + (first + n) * d;
    __global const double* lpr = lp + (long) n * k;
    double m = -INFINITY;
    for (int c = 0; c < k; c++) {
        m = fmax(m, lpr[c]);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
        sum += exp(lpr[c] - m);
    }
    double lse = m + log(sum);
    double wn = w[first + n];
    for (int i = 0; i < p_size; i++) {
        S[(long) i * r_stride + n] = 0;
    }
    for (int c = 0; c < k; c++) {
        __global double* a = A + (long) c * l_max * r_stride + n;   /* entry l at a[l * r_stride] */
        __global const double* lc = lam + (long) c * d * d;
        __global const double* mc = mu + c * d;
        int at = 0;
        if (k > 1) {
            if (c < k - 1) {
                a[(long) (at++) * r_stride] = 1 / pi[c];
            } else {
                for (int j = 0; j < k - 1; j++) {
                    a[(long) (at++) * r_stride] = -1 / pi[k - 1];
                }
            }
        }
        int z0 = at;
        for (int i = 0; i < d; i++) {
            double zi = 0;
            for (int j = 0; j < d; j++) {
                zi += lc[i * d + j] * (xr[j] - mc[j]);
            }
            a[(long) (at++) * r_stride] = zi;
        }
        for (int e = 0; e < b; e++) {
            double v = 0;
            for (int t = dir_at[e]; t < dir_at[e + 1]; t++) {
                int pp = dir[2 * t];
                int qq = dir[2 * t + 1];
                v += a[(long) (z0 + pp) * r_stride] * a[(long) (z0 + qq) * r_stride] - lc[qq * d + pp];
            }
            a[(long) (at++) * r_stride] = 0.5 * v;
        }
        double r = exp(lpr[c] - lse);
        g[(long) c * r_stride + n] = wn * r;
        __global const int* sc = sup + c * l_max;
        for (int l = 0; l < len[c]; l++) {
            S[(long) sc[l] * r_stride + n] += r * a[(long) l * r_stride];
        }
    }
}

/*
 * The tiled sum shared by both outer-product kernels: for the TS x TS tile (bi, bj) of an m x m matrix whose
 * columns are rows, acc(i, j) = sum_n c_n X[i, n] X[j, n] over n in [0, rows), in row order, X[i, n] at
 * X[i * r_stride + n], c_n at coef[n]. Each work-group stages TS rows of both tile edges in local memory.
 */
double tile_sum(__global const double* X, __global const double* coef, int m, int rows, int r_stride,
                int bi, int bj, __local double* ti, __local double* tj)
{
    int li = get_local_id(0);
    int lj = get_local_id(1);
    double acc = 0;
    for (int n0 = 0; n0 < rows; n0 += TS) {
        int n = n0 + lj;
        int i = bi * TS + li;
        int j = bj * TS + li;
        double cn = n < rows ? coef[n] : 0;
        ti[li * TS + lj] = (i < m && n < rows) ? cn * X[(long) i * r_stride + n] : 0;
        tj[li * TS + lj] = (j < m && n < rows) ? X[(long) j * r_stride + n] : 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int t = 0; t < TS; t++) {
            acc += ti[li * TS + t] * tj[lj * TS + t];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return acc;
}

/*
 * info_component_outer -- component k's block: out[sup(i) P + sup(j)] += sum_n g_nk a_nki a_nkj for j >= i
 * within its support (ascending, so those are upper-triangle entries of out).
 * Grid: 2-D, (ceil(L_k / TS) TS)^2 work-items in TS x TS groups; group (bi, bj) is tile (bi, bj).
 */
__kernel void info_component_outer(__global const double* A, __global const double* g, int c, int rows,
                                   int l_max, int r_stride, __global const int* sup, __global const int* len,
                                   int p_size, __global double* out)
{
    int bi = get_group_id(0);
    int bj = get_group_id(1);
    if (bj < bi) {
        return;   /* the whole tile is below the diagonal */
    }
    __local double ti[TS * TS];
    __local double tj[TS * TS];
    int m = len[c];
    double acc = tile_sum(A + (long) c * l_max * r_stride, g + (long) c * r_stride, m, rows, r_stride, bi, bj, ti, tj);
    int i = bi * TS + get_local_id(0);
    int j = bj * TS + get_local_id(1);
    if (i < m && j < m && j >= i) {
        __global const int* sc = sup + c * l_max;
        out[(long) sc[i] * p_size + sc[j]] += acc;
    }
}

/*
 * info_cross_outer -- out[i P + j] -= sum_n w_n s_ni s_nj for j >= i.
 * Grid: 2-D, (ceil(P / TS) TS)^2 work-items in TS x TS groups.
 */
__kernel void info_cross_outer(__global const double* S, __global const double* w, long first, int rows,
                               int r_stride, int p_size, __global double* out)
{
    int bi = get_group_id(0);
    int bj = get_group_id(1);
    if (bj < bi) {
        return;
    }
    __local double ti[TS * TS];
    __local double tj[TS * TS];
    double acc = tile_sum(S, w + first, p_size, rows, r_stride, bi, bj, ti, tj);
    int i = bi * TS + get_local_id(0);
    int j = bj * TS + get_local_id(1);
    if (i < p_size && j < p_size && j >= i) {
        out[(long) i * p_size + j] -= acc;
    }
}

/* info_score_sum -- score[i] += sum_n w_n s_ni, rows in order. Grid: one work-item per coordinate (>= P). */
__kernel void info_score_sum(__global const double* S, __global const double* w, long first, int rows,
                             int r_stride, int p_size, __global double* score)
{
    int i = get_global_id(0);
    if (i >= p_size) {
        return;
    }
    double acc = 0;
    for (int n = 0; n < rows; n++) {
        acc += w[first + n] * S[(long) i * r_stride + n];
    }
    score[i] += acc;
}
