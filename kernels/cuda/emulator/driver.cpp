// A test-only stand-in for the NVIDIA driver, built as libcuda.so.1: the part of the driver API that
// gaussmix's CUDA backend calls, with the kernels of kernels/cuda/estep.cu compiled for the CPU
// (emulator.h). JCuda's native library links libcuda.so.1 by name, so this one is used only where
// its folder comes first on LD_LIBRARY_PATH: the build's cuda-emulator test run, nowhere else.
//
// Device memory is host memory with the bookkeeping of a device: a fixed capacity (out-of-memory
// past it, GAUSSMIX_CUDA_EMULATOR_MEMORY bytes, default 1 GiB), every copy and memset checked to
// lie inside one live allocation, frees of unknown addresses refused. Streams run their work at
// once, in call order. The module loader takes the bundled PTX and checks that it is PTX, for a
// driver at least as new as the one emulated (12.6, or GAUSSMIX_CUDA_EMULATOR_DRIVER_VERSION), with
// every entry point the backend looks up; what runs is the same source compiled by g++.
#include "../estep.cu"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>
#include <vector>

extern "C" {
typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct EmuContext* CUcontext;
typedef struct EmuStream* CUstream;
typedef struct EmuModule* CUmodule;
typedef const struct Kernel* CUfunction;
}

namespace {

enum : CUresult {
    kSuccess = 0,
    kInvalidValue = 1,
    kOutOfMemory = 2,
    kInvalidDevice = 101,
    kInvalidImage = 200,
    kUnsupportedPtxVersion = 222,
    kInvalidHandle = 400,
    kNotFound = 500,
    kLaunchOutOfResources = 701,
    kLaunchFailed = 719,
};

// The CUDA version the emulated driver reports (12060 = 12.6); tests pose as an older driver with
// GAUSSMIX_CUDA_EMULATOR_DRIVER_VERSION.
int driverVersion() {
    static const int version = [] {
        const char* v = std::getenv("GAUSSMIX_CUDA_EMULATOR_DRIVER_VERSION");
        return v != nullptr ? std::atoi(v) : 12060;
    }();
    return version;
}

// The oldest driver that JITs PTX of ISA version isaMajor.x: 7.x came with CUDA 11, 8.x with 12,
// 9.x with 13 (coarse within a major version, exact for what the build writes: 8.0 needs 12.0).
int driverNeededFor(int isaMajor) {
    return (isaMajor + 4) * 1000;
}

constexpr int kMultiprocessors = 4;
constexpr unsigned kSharedLimit = 48 * 1024;
const char kDeviceName[] = "gaussmix CUDA emulator (CPU, tests only)";

CUresult fail(CUresult code, const std::string& why) {
    std::fprintf(stderr, "gaussmix CUDA emulator: %s\n", why.c_str());
    return code;
}

// ------------------------------------------------------------------------------------ kernels

using Invoker = std::function<void(void**)>;

template <typename... A, std::size_t... I>
void invoke(void (*f)(A...), void** params, std::index_sequence<I...>) {
    f(*static_cast<A*>(params[I])...);
}

template <typename... A>
Invoker invoker(void (*f)(A...)) {
    return [f](void** params) { invoke(f, params, std::index_sequence_for<A...>{}); };
}

}  // namespace

struct Kernel {
    std::string name;
    unsigned maxThreads;   // the kernel's __launch_bounds__
    Invoker run;
};

namespace {

#define GMM_KERNEL(name, threads) {#name, threads, invoker(name)}
#define GMM_SIMPLE(type) GMM_KERNEL(gmm_pass_##type, SIMPLE_THREADS), GMM_KERNEL(gmm_logdens_##type, SIMPLE_THREADS)

// Every entry point of estep.cu (the backend fails to open if one it needs is missing here).
const std::vector<Kernel>& kernels() {
    static const std::vector<Kernel> all = {
        GMM_SIMPLE(full_f32), GMM_SIMPLE(tied_f32), GMM_SIMPLE(diag_f32), GMM_SIMPLE(spherical_f32),
        GMM_SIMPLE(full_f64), GMM_SIMPLE(tied_f64), GMM_SIMPLE(diag_f64), GMM_SIMPLE(spherical_f64),
        GMM_KERNEL(gmm_pass_triangular_tiled_f32, TILED_THREADS), GMM_KERNEL(gmm_pass_triangular_tiled_f64, TILED_THREADS),
        GMM_KERNEL(gmm_pass_triangular_tiled2_f32, TILED2_THREADS),
        GMM_KERNEL(gmm_pass_triangular_tiled3_f32, TILED2_THREADS),
        GMM_KERNEL(gmm_diag_tiled_logdens_f32, DIAG_THREADS),
        GMM_KERNEL(gmm_diag_tiled_responsibilities_f32, DIAG_THREADS),
        GMM_KERNEL(gmm_diag_tiled_stats_f32, DIAG_THREADS),
        GMM_KERNEL(gmm_reduce_partials, 1024),
        GMM_KERNEL(gmm_info_scores, INFO_SCORE_THREADS), GMM_KERNEL(gmm_info_score_sum, INFO_SCORE_THREADS),
        GMM_KERNEL(gmm_info_component_outer, INFO_TILE * INFO_TILE),
        GMM_KERNEL(gmm_info_cross_outer, INFO_TILE * INFO_TILE),
    };
    return all;
}

// ------------------------------------------------------------------------------------- memory

struct Memory {
    std::size_t capacity;
    std::size_t used = 0;
    std::map<CUdeviceptr, std::size_t> device;   // address -> bytes
    std::set<void*> pinned;

    /** What an allocation of `bytes` takes from the capacity (allocations are 256-byte aligned). */
    static std::size_t reserved(std::size_t bytes) { return (bytes + 255) / 256 * 256; }

    Memory() {
        const char* v = std::getenv("GAUSSMIX_CUDA_EMULATOR_MEMORY");
        capacity = v != nullptr ? std::strtoull(v, nullptr, 10) : (std::size_t) 1 << 30;
    }

    /** Whether [p, p + bytes) lies inside one live allocation. */
    bool contains(CUdeviceptr p, std::size_t bytes) const {
        auto it = device.upper_bound(p);
        if (it == device.begin()) {
            return false;
        }
        --it;
        return p + bytes <= it->first + it->second;
    }
};

Memory& memory() {
    static Memory m;
    return m;
}

CUresult checkRange(CUdeviceptr p, std::size_t bytes, const char* call) {
    if (!memory().contains(p, bytes)) {
        char where[32];
        std::snprintf(where, sizeof where, "%#llx", p);
        return fail(kInvalidValue, std::string(call) + ": " + std::to_string(bytes) + " bytes at " + where
                                       + " are not inside one device allocation");
    }
    return kSuccess;
}

struct EmuObjects {
    std::set<CUstream> streams;
    std::set<CUmodule> modules;
};

EmuObjects& objects() {
    static EmuObjects o;
    return o;
}

}  // namespace

struct EmuContext {};
struct EmuStream {};
struct EmuModule {
    std::string ptx;
};

namespace {
EmuContext primaryContext;
}

// ---------------------------------------------------------------------------------- driver API

extern "C" {

CUresult cuInit(unsigned flags) { return flags == 0 ? kSuccess : kInvalidValue; }

CUresult cuDriverGetVersion(int* version) {
    *version = driverVersion();
    return kSuccess;
}

CUresult cuDeviceGetCount(int* count) {
    *count = 1;
    return kSuccess;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (ordinal != 0) {
        return kInvalidDevice;
    }
    *device = 0;
    return kSuccess;
}

CUresult cuDeviceGetName(char* name, int len, CUdevice device) {
    if (device != 0 || len <= 0) {
        return kInvalidValue;
    }
    std::snprintf(name, (std::size_t) len, "%s", kDeviceName);
    return kSuccess;
}

CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice device) {
    if (device != 0) {
        return kInvalidDevice;
    }
    switch (attribute) {
        case 16: *value = kMultiprocessors; return kSuccess;   // MULTIPROCESSOR_COUNT
        case 75: *value = 9; return kSuccess;                  // COMPUTE_CAPABILITY_MAJOR
        case 76: *value = 0; return kSuccess;                  // COMPUTE_CAPABILITY_MINOR
        default: return fail(kInvalidValue, "device attribute " + std::to_string(attribute) + " is not emulated");
    }
}

CUresult cuDeviceTotalMem_v2(std::size_t* bytes, CUdevice device) {
    if (device != 0) {
        return kInvalidDevice;
    }
    *bytes = memory().capacity;
    return kSuccess;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device) {
    if (device != 0) {
        return kInvalidDevice;
    }
    *context = &primaryContext;
    return kSuccess;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) { return device == 0 ? kSuccess : kInvalidDevice; }

CUresult cuCtxSetCurrent(CUcontext context) {
    return context == nullptr || context == &primaryContext ? kSuccess : kInvalidValue;
}

CUresult cuStreamCreate(CUstream* stream, unsigned) {
    *stream = new EmuStream();
    objects().streams.insert(*stream);
    return kSuccess;
}

CUresult cuStreamDestroy_v2(CUstream stream) {
    if (objects().streams.erase(stream) == 0) {
        return fail(kInvalidHandle, "cuStreamDestroy of an unknown stream");
    }
    delete stream;
    return kSuccess;
}

CUresult cuStreamSynchronize(CUstream stream) {
    return stream == nullptr || objects().streams.count(stream) ? kSuccess : kInvalidHandle;
}

CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned, void*, void**) {
    const char* text = static_cast<const char*>(image);
    std::string ptx(text);
    const std::size_t at = ptx.find("\n.version ");
    if (at == std::string::npos || ptx.find(".target ") == std::string::npos) {
        return fail(kInvalidImage, "the module image is not PTX text");
    }
    if (driverVersion() < driverNeededFor(std::atoi(ptx.c_str() + at + 10))) {
        return kUnsupportedPtxVersion;
    }
    *module = new EmuModule{std::move(ptx)};
    objects().modules.insert(*module);
    return kSuccess;
}

CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name) {
    if (objects().modules.count(module) == 0) {
        return kInvalidHandle;
    }
    if (module->ptx.find(std::string(".entry ") + name + "(") == std::string::npos) {
        return fail(kNotFound, std::string("no entry ") + name + " in the PTX");
    }
    for (const Kernel& k : kernels()) {
        if (k.name == name) {
            *function = &k;
            return kSuccess;
        }
    }
    return fail(kNotFound, std::string("entry ") + name + " is in the PTX but not in the emulator's list");
}

CUresult cuModuleUnload(CUmodule module) {
    if (objects().modules.erase(module) == 0) {
        return kInvalidHandle;
    }
    delete module;
    return kSuccess;
}

CUresult cuMemGetInfo_v2(std::size_t* free, std::size_t* total) {
    *free = memory().capacity - memory().used;
    *total = memory().capacity;
    return kSuccess;
}

CUresult cuMemAlloc_v2(CUdeviceptr* p, std::size_t bytes) {
    Memory& m = memory();
    if (bytes == 0) {
        return kInvalidValue;
    }
    const std::size_t rounded = Memory::reserved(bytes);
    if (rounded > m.capacity - m.used) {
        return kOutOfMemory;
    }
    void* host = std::aligned_alloc(256, rounded);
    if (host == nullptr) {
        return kOutOfMemory;
    }
    *p = (CUdeviceptr) host;
    m.device[*p] = bytes;
    m.used += rounded;
    return kSuccess;
}

CUresult cuMemFree_v2(CUdeviceptr p) {
    Memory& m = memory();
    auto it = m.device.find(p);
    if (it == m.device.end()) {
        return fail(kInvalidValue, "cuMemFree of an address that is not a live allocation");
    }
    m.used -= Memory::reserved(it->second);
    m.device.erase(it);
    std::free((void*) p);
    return kSuccess;
}

CUresult cuMemAllocHost_v2(void** p, std::size_t bytes) {
    *p = std::malloc(bytes);
    if (*p == nullptr) {
        return kOutOfMemory;
    }
    memory().pinned.insert(*p);
    return kSuccess;
}

CUresult cuMemFreeHost(void* p) {
    if (memory().pinned.erase(p) == 0) {
        return fail(kInvalidValue, "cuMemFreeHost of an address that is not pinned memory");
    }
    std::free(p);
    return kSuccess;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, std::size_t bytes) {
    CUresult r = checkRange(dst, bytes, "cuMemcpyHtoD");
    if (r == kSuccess) {
        std::memcpy((void*) dst, src, bytes);
    }
    return r;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, std::size_t bytes, CUstream stream) {
    if (stream != nullptr && objects().streams.count(stream) == 0) {
        return kInvalidHandle;
    }
    return cuMemcpyHtoD_v2(dst, src, bytes);
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, std::size_t bytes) {
    CUresult r = checkRange(src, bytes, "cuMemcpyDtoH");
    if (r == kSuccess) {
        std::memcpy(dst, (const void*) src, bytes);
    }
    return r;
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned value, std::size_t count, CUstream stream) {
    if (stream != nullptr && objects().streams.count(stream) == 0) {
        return kInvalidHandle;
    }
    CUresult r = checkRange(dst, count * 4, "cuMemsetD32Async");
    if (r != kSuccess) {
        return r;
    }
    unsigned* p = (unsigned*) dst;
    for (std::size_t i = 0; i < count; ++i) {
        p[i] = value;
    }
    return kSuccess;
}

CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned sharedBytes, CUstream stream, void** params, void** extra) {
    if (stream != nullptr && objects().streams.count(stream) == 0) {
        return kInvalidHandle;
    }
    const std::vector<Kernel>& all = kernels();
    if (f < all.data() || f >= all.data() + all.size()) {
        return fail(kInvalidHandle, "cuLaunchKernel of an unknown function");
    }
    if (extra != nullptr || params == nullptr) {
        return fail(kInvalidValue, f->name + ": parameters must come as kernelParams");
    }
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || bx * by * bz > f->maxThreads) {
        return fail(kInvalidValue, f->name + ": " + std::to_string(bx * by * bz) + " threads per block (at most "
                                       + std::to_string(f->maxThreads) + "), " + std::to_string(gx) + " blocks");
    }
    if (sharedBytes > kSharedLimit) {
        return fail(kLaunchOutOfResources, f->name + ": " + std::to_string(sharedBytes) + " bytes of dynamic shared memory");
    }
    std::vector<unsigned char> shared(sharedBytes);
    std::string error = gmm_emu::launch(dim3{gx, gy, gz}, dim3{bx, by, bz}, shared, [&] { f->run(params); });
    return error.empty() ? kSuccess : fail(kLaunchFailed, f->name + ": " + error);
}

}  // extern "C"
