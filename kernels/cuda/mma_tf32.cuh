// Warp-level tensor-core products in error-compensated TF32 ("3xTF32"): a float32 operand is split into a
// TF32 head (10 explicit mantissa bits) and a TF32 tail, x = head + tail + O(2^-22 |x|), and
// tail*head + head*tail + head*head (the tail*tail term, ~2^-22 relative, left out) keeps float32 accuracy,
// each product exact (11 x 11 bits) and accumulated in float32.
//
// One m16n8k8 product D(16 x 8) += A(16 x 8, row-major) B(8 x 8, column-major). Fragments as the PTX ISA
// defines them for .tf32 ("Matrix fragments for mma.m16n8k8"), with lane l, g = l / 4, t = l % 4:
//   a[0] = A[g][t], a[1] = A[g + 8][t], a[2] = A[g][t + 4], a[3] = A[g + 8][t + 4]
//   b[0] = B[t][g], b[1] = B[t + 4][g]
//   d[0] = D[g][2t], d[1] = D[g][2t + 1], d[2] = D[g + 8][2t], d[3] = D[g + 8][2t + 1]
// On a GPU (sm_80 and later) the mma.sync instruction; on the emulator the same product in float32 from the
// warp's gathered fragments (k in order; the hardware's order of additions is its own).
#pragma once

#ifdef GMM_EMULATOR
__device__ __forceinline__ unsigned gmm_bits(float x) {
    unsigned u;
    std::memcpy(&u, &x, sizeof u);
    return u;
}
__device__ __forceinline__ float gmm_float(unsigned u) {
    float x;
    std::memcpy(&x, &u, sizeof x);
    return x;
}
#else
__device__ __forceinline__ unsigned gmm_bits(float x) { return __float_as_uint(x); }
__device__ __forceinline__ float gmm_float(unsigned u) { return __uint_as_float(u); }
#endif

// x rounded to TF32, to nearest with ties away from zero (cvt.rna.tf32.f32): the low 13 bits become 0;
// infinities and NaNs are not rounded (as the hardware does, so a NaN stays a NaN).
__device__ __forceinline__ float gmm_tf32(float x) {
#ifdef GMM_EMULATOR
    unsigned u = gmm_bits(x);
    if ((u & 0x7f800000u) != 0x7f800000u) {
        u += 0x1000u;
    }
    return gmm_float(u & 0xffffe000u);
#else
    unsigned u;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(u) : "f"(x));
    return gmm_float(u);
#endif
}

__device__ __forceinline__ void gmm_split_tf32(float x, float& head, float& tail) {
    head = gmm_tf32(x);
    tail = gmm_tf32(x - head);
}

// d += A B for TF32 fragments (their low 13 bits are ignored, as the tensor cores ignore them).
__device__ __forceinline__ void gmm_mma_tf32(float d[4], const float a[4], const float b[2]) {
#ifdef GMM_EMULATOR
    struct Fragments {
        float a[4];
        float b[2];
    };
    Fragments mine = {{a[0], a[1], a[2], a[3]}, {b[0], b[1]}};
    Fragments all[32];
    gmm_emu::gather(&mine, sizeof mine, all);
    const int lane = threadIdx.x & 31;
    const int g = lane >> 2;
    const int t = lane & 3;
    for (int q = 0; q < 4; ++q) {
        const int row = g + (q >= 2 ? 8 : 0);
        const int col = 2 * t + (q & 1);
        float s = d[q];
        for (int kk = 0; kk < 8; ++kk) {
            // A[row][kk] is register (row >= 8) + 2 (kk >= 4) of lane 4 (row % 8) + kk % 4;
            // B[kk][col] is register (kk >= 4) of lane 4 col + kk % 4.
            const float av = all[(row & 7) * 4 + (kk & 3)].a[(row >= 8 ? 1 : 0) + (kk >= 4 ? 2 : 0)];
            const float bv = all[col * 4 + (kk & 3)].b[kk >= 4 ? 1 : 0];
            s = fmaf(gmm_float(gmm_bits(av) & 0xffffe000u), gmm_float(gmm_bits(bv) & 0xffffe000u), s);
        }
        d[q] = s;
    }
#else
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                 "{%0, %1, %2, %3};\n"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(gmm_bits(a[0])), "r"(gmm_bits(a[1])), "r"(gmm_bits(a[2])), "r"(gmm_bits(a[3])),
                   "r"(gmm_bits(b[0])), "r"(gmm_bits(b[1])));
#endif
}

// d += A B to float32 accuracy: three TF32 products of the operands' heads and tails, small terms first.
__device__ __forceinline__ void gmm_mma_3xtf32(float d[4], const float aHead[4], const float aTail[4],
                                               const float bHead[2], const float bTail[2]) {
    gmm_mma_tf32(d, aTail, bHead);
    gmm_mma_tf32(d, aHead, bTail);
    gmm_mma_tf32(d, aHead, bHead);
}
