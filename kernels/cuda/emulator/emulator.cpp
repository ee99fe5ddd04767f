// The fiber scheduler behind emulator.h: one stack per CUDA thread, barriers and warp shuffles as
// the only switch points.
#include "emulator.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <vector>

#if !defined(__x86_64__)
#error "the CUDA emulator's fiber switch is written for x86-64 (the GPU and CI machines)"
#endif

// Saves the callee-saved registers on the current stack, stores the stack pointer in *from and
// continues on the stack `to` (which was left the same way, or prepared by startStack). A plain
// register switch: ucontext's swapcontext also saves the signal mask with two system calls per
// switch, which made emulation several times slower.
extern "C" void gmm_emu_switch(void** from, void* to);
asm(R"(
    .text
    .globl gmm_emu_switch
    .hidden gmm_emu_switch
    .type gmm_emu_switch, @function
gmm_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size gmm_emu_switch, .-gmm_emu_switch
)");

dim3 threadIdx, blockIdx, blockDim, gridDim;
unsigned char* gmm_smem = nullptr;

namespace gmm_emu {
namespace {

constexpr int kWarp = 32;
constexpr std::size_t kStackBytes = 256 * 1024;

enum class Wait { kNone, kBarrier, kShuffle, kDone };

struct Fiber {
    void* sp = nullptr;   // saved stack pointer while switched out
    Wait wait = Wait::kNone;
    std::uint64_t offered = 0;    // this lane's value at the shuffle it waits at
    std::uint64_t received = 0;   // the value the last shuffle gave it
    int laneMask = 0;
    const void* gatherFrom = nullptr;   // a warp gather's bytes of this lane (gatherBytes of them; 0: a shuffle)
    std::size_t gatherBytes = 0;
    const void* site = nullptr;   // where it waits: the code address after its __syncthreads call
};

struct Block {
    std::vector<Fiber> fibers;
    void* scheduler = nullptr;   // the scheduler's saved stack pointer
    int current = 0;
    int position = -1;           // how far this round has gone
    bool descending = false;     // this round's order
    const std::function<void()>* body = nullptr;
    std::vector<std::vector<unsigned char>> gathered;   // per warp: the 32 lanes' bytes of its last gather
    std::string error;
};

Block* active = nullptr;
std::vector<std::unique_ptr<char[]>> stacks;   // reused across launches

/** Saves the running context in *from and goes on with the round's next runnable fiber, or the scheduler. */
void continueRound(void** from) {
    Block& b = *active;
    const int n = (int) b.fibers.size();
    while (++b.position < n) {
        const int t = b.descending ? n - 1 - b.position : b.position;
        if (b.fibers[t].wait == Wait::kNone) {
            b.current = t;
            threadIdx.x = (unsigned) t;
            gmm_emu_switch(from, b.fibers[t].sp);
            return;
        }
    }
    gmm_emu_switch(from, b.scheduler);
}

void yieldFiber(Wait why) {
    Fiber& f = active->fibers[active->current];
    f.wait = why;
    continueRound(&f.sp);
}

/** Where a fiber starts: runs the kernel body, then parks for good. */
[[noreturn]] void runFiber() {
    (*active->body)();
    yieldFiber(Wait::kDone);
    std::abort();   // a finished fiber is never resumed
}

/** A stack whose first switch "returns" into runFiber, as if called (16-byte alignment rules). */
void* startStack(char* stack) {
    auto top = (reinterpret_cast<std::uintptr_t>(stack) + kStackBytes) & ~(std::uintptr_t) 15;
    void** sp = reinterpret_cast<void**>(top);
    *--sp = nullptr;                                // runFiber's (never used) return address
    *--sp = reinterpret_cast<void*>(&runFiber);     // popped by the switch's ret
    for (int r = 0; r < 6; ++r) {
        *--sp = nullptr;                            // rbp, rbx, r12-r15
    }
    return sp;
}

/** Opens every warp whose 32 lanes wait at a shuffle: hands out the values, makes the lanes runnable. */
bool openShuffles(Block& b) {
    bool opened = false;
    const int n = (int) b.fibers.size();
    for (int w = 0; w < n; w += kWarp) {
        bool all = true;
        for (int l = w; l < w + kWarp; ++l) {
            all = all && b.fibers[l].wait == Wait::kShuffle;
        }
        if (!all) {
            continue;
        }
        const std::size_t bytes = b.fibers[w].gatherBytes;
        for (int l = w; l < w + kWarp; ++l) {
            if (b.fibers[l].gatherBytes != bytes) {
                b.error = "warp " + std::to_string(w / kWarp) + ": lanes wait at a shuffle and at a gather, or at gathers of different sizes";
                return false;
            }
        }
        if (bytes > 0) {
            // Copied now: a lane that runs on may change its own bytes before the others read them.
            std::vector<unsigned char>& out = b.gathered[w / kWarp];
            out.resize(bytes * kWarp);
            for (int l = w; l < w + kWarp; ++l) {
                std::memcpy(out.data() + (l - w) * bytes, b.fibers[l].gatherFrom, bytes);
            }
        }
        for (int l = w; l < w + kWarp; ++l) {
            const int source = w + ((l - w) ^ b.fibers[l].laneMask);
            b.fibers[l].received = b.fibers[source].offered;
        }
        for (int l = w; l < w + kWarp; ++l) {
            b.fibers[l].wait = Wait::kNone;
        }
        opened = true;
    }
    return opened;
}

/**
 * Opens the barrier every live thread waits at. CUDA requires all threads of the block to reach the
 * same __syncthreads; hardware often tolerates threads that have exited or wait at another one, so
 * that mistake would pass unnoticed on a GPU: here it fails the launch.
 */
bool openBarrier(Block& b, int done) {
    const void* site = nullptr;
    for (Fiber& f : b.fibers) {
        if (f.wait != Wait::kBarrier) {
            continue;
        }
        if (done > 0 || (site != nullptr && f.site != site)) {
            b.error = "block " + std::to_string(blockIdx.x) + ": " + (done > 0
                    ? std::to_string(done) + " threads finished while others wait at __syncthreads"
                    : std::string("threads wait at different __syncthreads calls"));
            return false;
        }
        site = f.site;
        f.wait = Wait::kNone;
    }
    return true;
}

std::string describeStall(const Block& b) {
    int barrier = 0, shuffle = 0, done = 0;
    for (const Fiber& f : b.fibers) {
        barrier += f.wait == Wait::kBarrier;
        shuffle += f.wait == Wait::kShuffle;
        done += f.wait == Wait::kDone;
    }
    return "block " + std::to_string(blockIdx.x) + " stalled: " + std::to_string(barrier)
           + " threads at __syncthreads, " + std::to_string(shuffle) + " at a warp shuffle whose warp never completes, "
           + std::to_string(done) + " finished (a barrier or shuffle not every thread reaches)";
}

/**
 * Runs one block to completion, round by round: in a round every runnable fiber runs once, up to
 * its next barrier, shuffle or end (fibers hand over to each other directly); between rounds the
 * barrier or the complete warps' shuffles open. False (with b.error) on a stall or a bad shuffle.
 */
bool runBlock(Block& b) {
    const int n = (int) b.fibers.size();
    for (int t = 0; t < n; ++t) {
        b.fibers[t].sp = startStack(stacks[t].get());
    }
    for (int round = 0;; ++round) {
        b.descending = (round & 1) != 0;
        b.position = -1;
        continueRound(&b.scheduler);
        int waitingAtBarrier = 0, done = 0;
        for (const Fiber& f : b.fibers) {
            waitingAtBarrier += f.wait == Wait::kBarrier;
            done += f.wait == Wait::kDone;
        }
        if (done == n) {
            return b.error.empty();
        }
        if (waitingAtBarrier + done == n) {
            if (!openBarrier(b, done)) {
                return false;
            }
        } else if (!openShuffles(b)) {
            b.error = describeStall(b);
            return false;
        }
    }
}

}  // namespace

std::string launch(dim3 grid, dim3 block, std::vector<unsigned char>& dynamicShared, const std::function<void()>& body) {
    if (block.y != 1 || block.z != 1) {
        return "the emulator runs one-dimensional blocks only";
    }
    if (block.x == 0 || block.x % kWarp != 0) {
        return "block size " + std::to_string(block.x) + " is not a multiple of the warp size";
    }
    while (stacks.size() < block.x) {
        stacks.emplace_back(new char[kStackBytes]);
    }
    gridDim = grid;
    blockDim = block;
    gmm_smem = dynamicShared.data();
    threadIdx = dim3{};
    blockIdx = dim3{};
    // Blocks one after another, x fastest (a GPU runs them in any order; the kernels must not care).
    for (unsigned gz = 0; gz < grid.z; ++gz) {
        for (unsigned gy = 0; gy < grid.y; ++gy) {
            for (unsigned gx = 0; gx < grid.x; ++gx) {
                blockIdx = dim3{gx, gy, gz};
                // Uninitialised shared memory reads as NaN, so a kernel that reads what it never wrote shows it.
                std::fill(dynamicShared.begin(), dynamicShared.end(), (unsigned char) 0xff);
                Block b;
                b.fibers.resize(block.x);
                b.gathered.resize(block.x / kWarp);
                b.body = &body;
                active = &b;
                const bool ok = runBlock(b);
                active = nullptr;
                if (!ok) {
                    return b.error;
                }
            }
        }
    }
    return "";
}

__attribute__((noinline)) void syncthreads() {
    active->fibers[active->current].site = __builtin_return_address(0);
    yieldFiber(Wait::kBarrier);
}

std::uint64_t shuffle(unsigned mask, std::uint64_t bits, int laneMask) {
    Fiber& f = active->fibers[active->current];
    if (mask != 0xffffffffu || laneMask < 0 || laneMask >= kWarp) {
        // The kernels use full-warp butterflies only; anything else is a kernel mistake.
        active->error = "unsupported shuffle (mask " + std::to_string(mask) + ", lane mask " + std::to_string(laneMask) + ")";
    }
    f.offered = bits;
    f.laneMask = laneMask;
    f.gatherBytes = 0;
    yieldFiber(Wait::kShuffle);
    return active->fibers[active->current].received;
}

void gather(const void* mine, std::size_t bytes, void* all) {
    Fiber& f = active->fibers[active->current];
    if (bytes == 0) {
        active->error = "a warp gather of 0 bytes";
    }
    f.gatherFrom = mine;
    f.gatherBytes = bytes;
    f.laneMask = 0;
    yieldFiber(Wait::kShuffle);
    const int warp = active->current / kWarp;
    std::memcpy(all, active->gathered[warp].data(), bytes * kWarp);
}

}  // namespace gmm_emu
