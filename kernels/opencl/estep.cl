/*
 * estep.cl -- the E-step of EM for Gaussian mixtures, fused with the M-step's sufficient statistics.
 *
 * Build options (chosen by the host, one program per combination):
 *   -DREAL_DOUBLE    data and arithmetic in double (needs cl_khr_fp64); otherwise float.
 *   -DACC_DOUBLE     partial sums in double (needs cl_khr_fp64); otherwise float with Kahan
 *                    compensation, the compensations stored next to the sums.
 *   -DFACTORS_LOCAL  the precision Cholesky factors are copied into __local memory once per
 *                    work-group; otherwise they are read from __global memory (they did not fit).
 * The covariance type is a run-time argument (COV_*), so one program serves all four types.
 *
 * Layouts (row-major, all in "real"): x N x D rows, already shifted by a per-column constant on the
 * host; mu K x D means shifted by the same constant, so x - mu is unchanged; prec the precision
 * Cholesky factors U (precision = U U^T): FULL K x D x D upper triangular, TIED D x D, DIAG K x D
 * of 1/sqrt(var), SPHERICAL K of 1/sqrt(var); cst[k] = log w_k + log det U_k - D/2 log(2 pi).
 */
#if defined(REAL_DOUBLE) || defined(ACC_DOUBLE)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#ifdef REAL_DOUBLE
typedef double real;
#else
typedef float real;
#endif

#ifdef ACC_DOUBLE
typedef double acc;
#else
typedef float acc;
#endif

#ifdef FACTORS_LOCAL
#define FACTOR_SPACE __local
#else
#define FACTOR_SPACE __global
#endif

/*
 * The precision factors every kernel reads: copied into the work-group's local memory (all work-items
 * must call this, it has a barrier) when FACTORS_LOCAL, otherwise the global buffer itself.
 */
FACTOR_SPACE const real* load_factors(__global const real* prec_g, __local real* prec_l, int n_factor,
                                      int lid, int wg)
{
#ifdef FACTORS_LOCAL
    for (int t = lid; t < n_factor; t += wg) {
        prec_l[t] = prec_g[t];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    return prec_l;
#else
    return prec_g;
#endif
}

#define COV_FULL 0
#define COV_TIED 1
#define COV_DIAG 2
#define COV_SPHERICAL 3

/* Squared Mahalanobis distance ||(x - mu_c) U_c||^2 of one row held in local memory. */
real mahalanobis(__local const real* xr, __global const real* mu, FACTOR_SPACE const real* prec,
                 int c, int d, int cov)
{
    __global const real* m = mu + c * d;
    real s = 0;
    if (cov == COV_FULL || cov == COV_TIED) {
        FACTOR_SPACE const real* u = prec + (cov == COV_FULL ? c * d * d : 0);
        for (int j = 0; j < d; j++) {
            real y = 0;
            for (int i = 0; i <= j; i++) {
                y += (xr[i] - m[i]) * u[i * d + j];
            }
            s += y * y;
        }
    } else if (cov == COV_DIAG) {
        FACTOR_SPACE const real* u = prec + c * d;
        for (int i = 0; i < d; i++) {
            real t = (xr[i] - m[i]) * u[i];
            s += t * t;
        }
    } else {
        for (int i = 0; i < d; i++) {
            real t = xr[i] - m[i];
            s += t * t;
        }
        s *= prec[c] * prec[c];
    }
    return s;
}

/*
 * Phase 1, shared by both kernels: the work-group copies its tile of nt rows (coalesced) into xs,
 * then work-item i < nt computes row i's K weighted log densities into lp[i*K + c] and their
 * log-sum-exp into lse[i], with an online log-sum-exp (one pass: running max and rescaled sum).
 */
void tile_log_densities(__global const real* x, long row0, int nt, int d, int k, int cov,
                        __global const real* mu, FACTOR_SPACE const real* prec, __global const real* cst,
                        __local real* xs, __local real* lp, __local real* lse)
{
    int lid = get_local_id(0);
    int wg = get_local_size(0);
    __global const real* src = x + row0 * d;
    for (int t = lid; t < nt * d; t += wg) {
        xs[t] = src[t];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid < nt) {
        __local const real* xr = xs + lid * d;
        real m = -INFINITY;
        real s = 0;
        for (int c = 0; c < k; c++) {
            real v = cst[c] - (real) 0.5 * mahalanobis(xr, mu, prec, c, d, cov);
            lp[lid * k + c] = v;
            if (v > m) {
                s = s * exp(m - v) + 1;
                m = v;
            } else {
                s += exp(v - m);
            }
        }
        lse[lid] = m + log(s);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

/* Adds v to the running sum at partial[at], Kahan-compensated in float mode (compensation at comp_at). */
void merge(__global acc* partial, long at, long comp_at, acc v)
{
#ifdef ACC_DOUBLE
    partial[at] += v;
#else
    acc s = partial[at];
    acc y = v - partial[comp_at];
    acc t = s + y;
    partial[comp_at] = (t - s) - y;
    partial[at] = t;
#endif
}

#ifdef ACC_DOUBLE
#define SUM_DECL(s) acc s = 0
#define SUM_ADD(s, v) s += (acc) (v)
#else
#define SUM_DECL(s) acc s = 0, s##_c = 0
#define SUM_ADD(s, v) { acc y_ = (acc) (v) - s##_c; acc t_ = s + y_; s##_c = (t_ - s) - y_; s = t_; }
#endif

/*
 * accumulate_stats -- the fused pass.
 * Grid: G work-groups of WG work-items (G and WG fixed by the host from N and the device, never by
 * timing); a tile is WG consecutive rows, and group g takes tiles g, g + G, g + 2G, ... of the pass in
 * order. A streamed pass calls it once per chunk (a whole number of tiles; the buffer's first tile is
 * the pass's tile first_tile) and the groups keep adding into the same partials, which the host
 * zeroes once per pass: the same tiles reach the same partials in the same order as when resident.
 * Local memory: xs WG*D, lp WG*K (log densities, then responsibilities times the row weight),
 * lse WG (then the row's weighted log-likelihood), prec_l the factors when FACTORS_LOCAL.
 * Output: group g adds into partial[g*stride .. (g+1)*stride) (compensations at G*stride + ...), layout
 *   [0] sum w log p(x) | [1, 1+K) nk | K*D sumDiff about mu_k | K*S second moments about mu_k,
 *   S = D(D+1)/2 (upper triangle, row by row) for FULL/TIED, S = D (diagonal) for DIAG/SPHERICAL.
 * Phase 2: work-item j owns entries j, j + WG, ... and adds each entry's tile sum over the tile's
 * rows in row order, so the result does not depend on scheduling; no atomics anywhere.
 * Accumulation: per-row products in real, sums in acc (double, or Kahan-compensated float).
 */
__kernel void accumulate_stats(__global const real* x, __global const real* w, int rows, long first_tile, int d, int k,
                               int cov, __global const real* mu, __global const real* prec_g, int n_factor,
                               __global const real* cst, __global acc* partial, int stride,
                               __local real* xs, __local real* lp, __local real* lse, __local real* prec_l)
{
    int lid = get_local_id(0);
    int wg = get_local_size(0);
    int grp = get_group_id(0);
    int ngrp = get_num_groups(0);
    FACTOR_SPACE const real* prec = load_factors(prec_g, prec_l, n_factor, lid, wg);
    long base = (long) grp * stride;
    long comp = (long) ngrp * stride;
    int square = cov == COV_FULL || cov == COV_TIED;
    int s_len = square ? d * (d + 1) / 2 : d;
    int diff0 = 1 + k;
    int sq0 = diff0 + k * d;
    /* The buffer's tile t is the pass's tile first_tile + t: group g takes those with index = g (mod G). */
    int tile0 = (int) (((long) grp - first_tile % ngrp + ngrp) % ngrp);
    for (int tile = tile0; (long) tile * wg < rows; tile += ngrp) {
        long row0 = (long) tile * wg;
        int nt = min((long) wg, rows - row0);
        tile_log_densities(x, row0, nt, d, k, cov, mu, prec, cst, xs, lp, lse);
        if (lid < nt) {
            real wi = w[row0 + lid];
            real l = lse[lid];
            for (int c = 0; c < k; c++) {
                lp[lid * k + c] = wi * exp(lp[lid * k + c] - l);
            }
            lse[lid] = wi == 0 ? 0 : wi * l;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int e = lid; e < stride; e += wg) {
            SUM_DECL(sum);
            if (e == 0) {
                for (int i = 0; i < nt; i++) {
                    SUM_ADD(sum, lse[i]);
                }
            } else if (e < diff0) {
                int c = e - 1;
                for (int i = 0; i < nt; i++) {
                    SUM_ADD(sum, lp[i * k + c]);
                }
            } else if (e < sq0) {
                int c = (e - diff0) / d;
                int a = (e - diff0) % d;
                real ma = mu[c * d + a];
                for (int i = 0; i < nt; i++) {
                    SUM_ADD(sum, lp[i * k + c] * (xs[i * d + a] - ma));
                }
            } else {
                int c = (e - sq0) / s_len;
                int a = (e - sq0) % s_len;
                int b = a;
                if (square) {
                    /* upper-triangle index -> (a, b), b >= a */
                    int rem = a;
                    a = 0;
                    while (rem >= d - a) {
                        rem -= d - a;
                        a++;
                    }
                    b = a + rem;
                }
                real ma = mu[c * d + a];
                real mb = mu[c * d + b];
                for (int i = 0; i < nt; i++) {
                    SUM_ADD(sum, lp[i * k + c] * (xs[i * d + a] - ma) * (xs[i * d + b] - mb));
                }
            }
#ifdef ACC_DOUBLE
            merge(partial, base + e, 0, sum);
#else
            merge(partial, base + e, comp + base + e, sum - sum_c);
#endif
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

/*
 * reduce_partials -- the fixed-order reduction of accumulate_stats' G partials.
 * Grid: one work-item per entry (global size >= stride, no local memory). Item e adds the G
 * partials of entry e in group order and merges the sum into total[e] (compensation at
 * total[stride + e] in float mode), which the host zeroes; once per pass, after the last chunk.
 */
__kernel void reduce_partials(__global const acc* partial, int ngroups, int stride, __global acc* total)
{
    int e = get_global_id(0);
    if (e >= stride) {
        return;
    }
    SUM_DECL(sum);
    long comp = (long) ngroups * stride;
    for (int g = 0; g < ngroups; g++) {
        SUM_ADD(sum, partial[(long) g * stride + e]);
#ifndef ACC_DOUBLE
        SUM_ADD(sum, -partial[comp + (long) g * stride + e]);
#endif
    }
#ifdef ACC_DOUBLE
    merge(total, e, 0, sum);
#else
    merge(total, e, stride + e, sum - sum_c);
#endif
}

/*
 * log_densities -- the weighted log densities of rows [first, first + rows) into out (rows x K).
 * Grid: one work-group of WG work-items per tile of WG rows; local memory as accumulate_stats.
 */
__kernel void log_densities(__global const real* x, long first, int rows, int d, int k, int cov,
                            __global const real* mu, __global const real* prec_g, int n_factor,
                            __global const real* cst, __global real* out,
                            __local real* xs, __local real* lp, __local real* lse, __local real* prec_l)
{
    int lid = get_local_id(0);
    int wg = get_local_size(0);
    FACTOR_SPACE const real* prec = load_factors(prec_g, prec_l, n_factor, lid, wg);
    long row0 = (long) get_group_id(0) * wg;
    int nt = min((long) wg, rows - row0);
    tile_log_densities(x, first + row0, nt, d, k, cov, mu, prec, cst, xs, lp, lse);
    for (int t = lid; t < nt * k; t += wg) {
        out[row0 * k + t] = lp[t];
    }
}
