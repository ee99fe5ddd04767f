// The CUDA execution model on the CPU, for tests only: enough of it to run gaussmix's kernels
// (kernels/cuda/*.cu) unchanged on a machine without a GPU, as PoCL does for the OpenCL kernels.
//
// Every CUDA thread of a block is a fiber (its own stack) on the calling thread; blocks run one
// after another. A fiber runs until it reaches __syncthreads(), a warp shuffle or its end, then the
// next one runs. A barrier opens once every thread of the block waits at that same __syncthreads;
// a shuffle once all 32 lanes of the warp wait at one. Rounds alternate between ascending and
// descending thread order, so a missing barrier shows up as a wrong result instead of hiding
// behind one lucky order. A barrier that some threads never reach (or reach at another call), and
// a shuffle that part of a warp never reaches, fail the launch: on a GPU they hang or are undefined.
// Dynamic shared memory starts as NaN bytes in every block; static __shared__ arrays start as zeros
// and keep their contents from one block to the next (so races show in the first block).
//
// Included before the kernel sources (g++ -include); the kernels see the usual CUDA names.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};

extern dim3 threadIdx, blockIdx, blockDim, gridDim;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// One copy per kernel instantiation, shared by the block's fibers (blocks run one at a time).
#define __shared__ static

namespace gmm_emu {

/**
 * Runs body once per thread of every block, with dynamicShared (refilled with NaN bytes per block)
 * as the kernel's dynamic shared memory; returns an empty string, or what went wrong.
 */
std::string launch(dim3 grid, dim3 block, std::vector<unsigned char>& dynamicShared, const std::function<void()>& body);

void syncthreads();
std::uint64_t shuffle(unsigned mask, std::uint64_t bits, int laneMask);
/** A whole-warp rendezvous like a shuffle: every lane offers `bytes` at `mine` and gets all 32 lanes' in `all`. */
void gather(const void* mine, std::size_t bytes, void* all);

}  // namespace gmm_emu

inline void __syncthreads() { gmm_emu::syncthreads(); }

template <typename T>
inline T __shfl_xor_sync(unsigned mask, T v, int laneMask) {
    static_assert(sizeof(T) <= sizeof(std::uint64_t), "shuffles of at most 64 bits");
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof v);
    bits = gmm_emu::shuffle(mask, bits, laneMask);
    T out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

inline int min(int a, int b) { return a < b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
