// Measured ceilings of the GPU at hand, for the prepared device run (benchmarks/gpu/run.sh):
//   fp32 FMA rate of a register-resident kernel, device-to-device copy bandwidth (bytes read plus
//   bytes written) and host-to-device / device-to-host copy bandwidth from pinned (and, for
//   comparison, pageable) host memory. Each figure is the median of REPEATS timings with CUDA
//   events after a warm-up. Writes one JSON object to stdout; a failed CUDA call exits non-zero
//   with the call and its error on stderr.
//
//   nvcc -O3 -arch=native -o ceilings benchmarks/gpu/ceilings.cu && ./ceilings > ceilings.json
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#define CHECK(call)                                                                                  \
    do {                                                                                             \
        cudaError_t e_ = (call);                                                                     \
        if (e_ != cudaSuccess) {                                                                     \
            std::fprintf(stderr, "ceilings: %s failed: %s (%s) at line %d\n", #call,                \
                         cudaGetErrorName(e_), cudaGetErrorString(e_), __LINE__);                    \
            std::exit(1);                                                                            \
        }                                                                                            \
    } while (0)

static const int REPEATS = 11;
// Independent FMA chains per thread: with 64 warps per SM this hides the FMA latency many times over.
static const int CHAINS = 8;
static const int UNROLL = 64;

// a <- a * m + c on CHAINS independent registers; m and c come from the host so nothing folds, and
// the values stay bounded (m < 1). The one store per thread at the end keeps the work live.
__global__ void fma_kernel(float* out, int outer, float m, float c) {
    float a[CHAINS];
#pragma unroll
    for (int i = 0; i < CHAINS; ++i) {
        a[i] = (float) (threadIdx.x + i) * 1e-3f;
    }
    for (int it = 0; it < outer; ++it) {
#pragma unroll
        for (int u = 0; u < UNROLL; ++u) {
#pragma unroll
            for (int i = 0; i < CHAINS; ++i) {
                a[i] = fmaf(a[i], m, c);
            }
        }
    }
    float s = 0.f;
#pragma unroll
    for (int i = 0; i < CHAINS; ++i) {
        s += a[i];
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = s;
}

// Fills with non-zero, non-constant values (a hash of the index): timings are never taken on zeros.
__global__ void fill_kernel(unsigned int* p, size_t n) {
    for (size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x; i < n; i += (size_t) gridDim.x * blockDim.x) {
        unsigned int h = (unsigned int) i * 2654435761u;
        p[i] = (h ^ (h >> 15)) | 1u;
    }
}

static double median(std::vector<float> v) {
    std::sort(v.begin(), v.end());
    size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// Median milliseconds of REPEATS runs of f (after one untimed run), timed with events on stream s.
template <typename F>
static double time_ms(cudaStream_t s, F f) {
    cudaEvent_t a, b;
    CHECK(cudaEventCreate(&a));
    CHECK(cudaEventCreate(&b));
    f();
    CHECK(cudaStreamSynchronize(s));
    std::vector<float> t;
    for (int r = 0; r < REPEATS; ++r) {
        CHECK(cudaEventRecord(a, s));
        f();
        CHECK(cudaEventRecord(b, s));
        CHECK(cudaEventSynchronize(b));
        float ms = 0.f;
        CHECK(cudaEventElapsedTime(&ms, a, b));
        t.push_back(ms);
    }
    CHECK(cudaEventDestroy(a));
    CHECK(cudaEventDestroy(b));
    return median(t);
}

int main(int argc, char** argv) {
    size_t copyBytes = (argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024ull) << 20;   // MiB
    int dev = 0;
    CHECK(cudaSetDevice(dev));
    cudaDeviceProp prop;
    CHECK(cudaGetDeviceProperties(&prop, dev));
    int clockKHz = 0, memClockKHz = 0, busWidth = 0;
    CHECK(cudaDeviceGetAttribute(&clockKHz, cudaDevAttrClockRate, dev));
    CHECK(cudaDeviceGetAttribute(&memClockKHz, cudaDevAttrMemoryClockRate, dev));
    CHECK(cudaDeviceGetAttribute(&busWidth, cudaDevAttrGlobalMemoryBusWidth, dev));
    int driver = 0, runtime = 0;
    CHECK(cudaDriverGetVersion(&driver));
    CHECK(cudaRuntimeGetVersion(&runtime));
    cudaStream_t s;
    CHECK(cudaStreamCreate(&s));

    // 1. fp32 FMA rate: 8 blocks of 256 threads per SM, enough for ~10 ms per launch.
    const int threads = 256;
    const int blocks = prop.multiProcessorCount * 8;
    const int outer = 2048;
    float* out = nullptr;
    CHECK(cudaMalloc(&out, sizeof(float) * blocks * threads));
    double fmaMs = time_ms(s, [&] {
        fma_kernel<<<blocks, threads, 0, s>>>(out, outer, 0.999f, 1e-4f);
        CHECK(cudaGetLastError());
    });
    float probe = 0.f;
    CHECK(cudaMemcpy(&probe, out, sizeof(float), cudaMemcpyDeviceToHost));
    double flops = 2.0 * blocks * threads * (double) outer * UNROLL * CHAINS;
    double fp32Gflops = flops / (fmaMs * 1e-3) / 1e9;
    CHECK(cudaFree(out));

    // 2. device-to-device copy: copyBytes read + copyBytes written per copy.
    unsigned int *src = nullptr, *dst = nullptr;
    CHECK(cudaMalloc(&src, copyBytes));
    CHECK(cudaMalloc(&dst, copyBytes));
    fill_kernel<<<prop.multiProcessorCount * 4, 256, 0, s>>>(src, copyBytes / 4);
    CHECK(cudaGetLastError());
    double d2dMs = time_ms(s, [&] { CHECK(cudaMemcpyAsync(dst, src, copyBytes, cudaMemcpyDeviceToDevice, s)); });
    double d2dGBs = 2.0 * copyBytes / (d2dMs * 1e-3) / 1e9;

    // 3. host <-> device from pinned memory, and host-to-device from pageable memory (what a plain
    //    cuMemcpyHtoD from a Java array does) for comparison.
    size_t hostBytes = std::min(copyBytes, (size_t) 512 << 20);
    unsigned int* pinned = nullptr;
    CHECK(cudaMallocHost(&pinned, hostBytes));
    for (size_t i = 0; i < hostBytes / 4; ++i) {
        pinned[i] = (unsigned int) (i * 2654435761u) | 1u;
    }
    double h2dMs = time_ms(s, [&] { CHECK(cudaMemcpyAsync(dst, pinned, hostBytes, cudaMemcpyHostToDevice, s)); });
    double d2hMs = time_ms(s, [&] { CHECK(cudaMemcpyAsync(pinned, src, hostBytes, cudaMemcpyDeviceToHost, s)); });
    std::vector<unsigned int> pageable(hostBytes / 4);
    std::memcpy(pageable.data(), pinned, hostBytes);
    double h2dPageableMs = time_ms(s, [&] {
        CHECK(cudaMemcpyAsync(dst, pageable.data(), hostBytes, cudaMemcpyHostToDevice, s));
    });
    CHECK(cudaFreeHost(pinned));
    CHECK(cudaFree(src));
    CHECK(cudaFree(dst));
    CHECK(cudaStreamDestroy(s));

    std::printf("{\n");
    std::printf("  \"device\": \"%s\",\n", prop.name);
    std::printf("  \"compute_capability\": \"%d.%d\",\n", prop.major, prop.minor);
    std::printf("  \"sm_count\": %d,\n", prop.multiProcessorCount);
    std::printf("  \"l2_bytes\": %d,\n", prop.l2CacheSize);
    std::printf("  \"global_memory_bytes\": %zu,\n", prop.totalGlobalMem);
    std::printf("  \"sm_clock_khz_max\": %d,\n", clockKHz);
    std::printf("  \"memory_clock_khz\": %d,\n", memClockKHz);
    std::printf("  \"memory_bus_bits\": %d,\n", busWidth);
    std::printf("  \"driver_version\": %d,\n", driver);
    std::printf("  \"runtime_version\": %d,\n", runtime);
    std::printf("  \"repeats\": %d,\n", REPEATS);
    std::printf("  \"fp32_fma\": {\"gflops\": %.1f, \"ms\": %.4f, \"blocks\": %d, \"threads\": %d, "
                "\"chains\": %d, \"flops\": %.6g, \"check\": %.6g},\n",
                fp32Gflops, fmaMs, blocks, threads, CHAINS, flops, std::isfinite(probe) ? (double) probe : -1.0);
    std::printf("  \"d2d_copy\": {\"gbs\": %.1f, \"ms\": %.4f, \"bytes_each_way\": %zu, "
                "\"counted\": \"read + written\"},\n", d2dGBs, d2dMs, copyBytes);
    std::printf("  \"h2d_pinned\": {\"gbs\": %.2f, \"ms\": %.4f, \"bytes\": %zu},\n",
                hostBytes / (h2dMs * 1e-3) / 1e9, h2dMs, hostBytes);
    std::printf("  \"d2h_pinned\": {\"gbs\": %.2f, \"ms\": %.4f, \"bytes\": %zu},\n",
                hostBytes / (d2hMs * 1e-3) / 1e9, d2hMs, hostBytes);
    std::printf("  \"h2d_pageable\": {\"gbs\": %.2f, \"ms\": %.4f, \"bytes\": %zu}\n",
                hostBytes / (h2dPageableMs * 1e-3) / 1e9, h2dPageableMs, hostBytes);
    std::printf("}\n");
    return 0;
}
