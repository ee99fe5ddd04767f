// Checks that the emulator's own checks work (build.sh runs it before the library is used): a warp
// butterfly sums right, a correct block reduction gives one answer in every thread, and each kind
// of mistake the emulator claims to catch is caught.
#include <cstdio>
#include <vector>

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "cuda emulator self-test FAILED: %s\n", what);
        ++failures;
    }
}

/** One block: static __shared__ arrays keep their contents from block to block (see emulator.h). */
std::string run(unsigned threads, void (*kernel)(double*), double* out) {
    std::vector<unsigned char> shared;
    return gmm_emu::launch(dim3{1, 1, 1}, dim3{threads, 1, 1}, shared, [&] { kernel(out); });
}

__global__ void warpSums(double* out) {
    double v = threadIdx.x;
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, o);
    }
    out[threadIdx.x] = v;
}

template <bool BARRIER>
__global__ void blockSum(double* out) {
    __shared__ double s[64];
    s[threadIdx.x] = threadIdx.x;
    if (BARRIER) {
        __syncthreads();
    }
    double t = 0;
    for (int i = 0; i < 64; ++i) {
        t += s[i];
    }
    out[threadIdx.x] = t;
}

__global__ void barrierSomeSkip(double*) {
    if (threadIdx.x < 16) {
        __syncthreads();
    }
}

__global__ void twoBarrierCalls(double* out) {
    if (threadIdx.x & 1) {
        out[1] = 1;
        __syncthreads();
    } else {
        __syncthreads();
        out[2] = 2;
    }
}

__global__ void shuffleHalfWarp(double* out) {
    if (threadIdx.x < 16) {
        out[0] = __shfl_xor_sync(0xffffffffu, 1.0, 1);
    }
}

// Every lane offers (warp, lane) and keeps the sum of what the 32 lanes offered, weighted by position.
__global__ void warpGather(double* out) {
    const double mine = 100.0 * (threadIdx.x >> 5) + (threadIdx.x & 31);
    double all[32];
    gmm_emu::gather(&mine, sizeof mine, all);
    double s = 0;
    for (int l = 0; l < 32; ++l) {
        s += (l + 1) * all[l];
    }
    out[threadIdx.x] = s;
}

__global__ void gatherAndShuffle(double* out) {
    double v = threadIdx.x;
    if (threadIdx.x & 1) {
        double all[32];
        gmm_emu::gather(&v, sizeof v, all);
    } else {
        v = __shfl_xor_sync(0xffffffffu, v, 2);
    }
    out[0] = v;
}

}  // namespace

int main() {
    std::vector<double> out(64, -1);
    expect(run(64, warpSums, out.data()).empty(), "a warp butterfly runs");
    expect(out[0] == 496 && out[31] == 496 && out[32] == 32 * 32 + 496 && out[63] == 32 * 32 + 496,
           "a warp butterfly sums each warp");
    expect(run(64, blockSum<true>, out.data()).empty() && out[0] == 2016 && out[63] == 2016,
           "a block reduction behind a barrier gives every thread the total");
    run(64, blockSum<false>, out.data());
    expect(out[0] != out[63], "a missing barrier changes what threads read");
    expect(!run(64, barrierSomeSkip, out.data()).empty(), "a barrier some threads skip fails the launch");
    expect(!run(64, twoBarrierCalls, out.data()).empty(), "threads at different barriers fail the launch");
    expect(!run(64, shuffleHalfWarp, out.data()).empty(), "a shuffle half a warp reaches fails the launch");
    // sum (l + 1) l = 10912 and sum (l + 1) = 528: warp 1's lanes see 100 x 528 more.
    expect(run(64, warpGather, out.data()).empty() && out[0] == 10912 && out[31] == 10912 && out[32] == 63712
               && out[63] == 63712, "a warp gather gives every lane its warp's 32 values in lane order");
    expect(!run(64, gatherAndShuffle, out.data()).empty(), "a warp whose lanes wait at a gather and a shuffle fails the launch");
    if (failures == 0) {
        std::printf("cuda emulator self-test: ok\n");
    }
    return failures == 0 ? 0 : 1;
}
