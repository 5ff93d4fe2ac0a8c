// SAFETY-CRITICAL: see include/CWasmoon.h.
#define _GNU_SOURCE
#include "CWasmoon.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define MAX_RANGES 4096

typedef struct {
    _Atomic uintptr_t start;   // 0 = free slot
    _Atomic uintptr_t end;
    _Atomic uintptr_t stub;
} range_t;

static range_t code_ranges[MAX_RANGES];
static range_t memory_ranges[MAX_RANGES];
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint64_t handled_faults;

static struct sigaction previous_segv, previous_bus, previous_fpe;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static int register_range(range_t *table, uintptr_t start, uintptr_t end, uintptr_t stub) {
    pthread_mutex_lock(&registry_lock);
    int found = -1;
    for (int i = 0; i < MAX_RANGES; i++) {
        if (atomic_load(&table[i].start) == 0) { found = i; break; }
    }
    if (found >= 0) {
        // Publish end and stub before start: the handler treats start != 0 as live.
        atomic_store(&table[found].end, end);
        atomic_store(&table[found].stub, stub);
        atomic_store(&table[found].start, start);
    }
    pthread_mutex_unlock(&registry_lock);
    return found;
}

static void unregister_range(range_t *table, int handle) {
    if (handle < 0 || handle >= MAX_RANGES) return;
    pthread_mutex_lock(&registry_lock);
    atomic_store(&table[handle].start, 0);
    pthread_mutex_unlock(&registry_lock);
}

int wasmoon_register_code(uintptr_t start, uintptr_t end, uintptr_t trap_stub) {
    return register_range(code_ranges, start, end, trap_stub);
}
void wasmoon_unregister_code(int handle) { unregister_range(code_ranges, handle); }
int wasmoon_register_memory(uintptr_t start, uintptr_t end) {
    return register_range(memory_ranges, start, end, 0);
}
void wasmoon_unregister_memory(int handle) { unregister_range(memory_ranges, handle); }
uint64_t wasmoon_handled_fault_count(void) { return atomic_load(&handled_faults); }

/// The trap stub for a PC inside registered JIT code, or 0.
static uintptr_t stub_for_pc(uintptr_t pc) {
    for (int i = 0; i < MAX_RANGES; i++) {
        uintptr_t s = atomic_load(&code_ranges[i].start);
        if (s != 0 && pc >= s && pc < atomic_load(&code_ranges[i].end)) return atomic_load(&code_ranges[i].stub);
    }
    return 0;
}

static int address_in_memory(uintptr_t addr) {
    for (int i = 0; i < MAX_RANGES; i++) {
        uintptr_t s = atomic_load(&memory_ranges[i].start);
        if (s != 0 && addr >= s && addr < atomic_load(&memory_ranges[i].end)) return 1;
    }
    return 0;
}

static void chain(int sig, siginfo_t *info, void *context) {
    struct sigaction *prev = sig == SIGSEGV ? &previous_segv : sig == SIGBUS ? &previous_bus : &previous_fpe;
    if (prev->sa_flags & SA_SIGINFO) {
        if (prev->sa_sigaction) { prev->sa_sigaction(sig, info, context); return; }
    } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
        return;
    }
    // Default action: restore it and return; the faulting instruction re-executes and kills us.
    signal(sig, SIG_DFL);
}

static void handler(int sig, siginfo_t *info, void *context) {
#if defined(__linux__) && defined(__x86_64__)
    ucontext_t *uc = (ucontext_t *)context;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t stub = stub_for_pc(pc);
    if (stub != 0) {
        int code = 0;
        if (sig == SIGFPE) code = WASMOON_TRAP_INTEGER_DIVIDE_BY_ZERO;
        else if (address_in_memory((uintptr_t)info->si_addr)) code = WASMOON_TRAP_OUT_OF_BOUNDS_MEMORY;
        if (code != 0) {
            atomic_fetch_add(&handled_faults, 1);
            uc->uc_mcontext.gregs[REG_RDI] = code;
            uc->uc_mcontext.gregs[REG_RSI] = (greg_t)pc;  // faulting PC, for the backtrace
            uc->uc_mcontext.gregs[REG_RIP] = (greg_t)stub;
            return;
        }
    }
#endif
    chain(sig, info, context);
}

static void install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
    sigaction(SIGBUS, &sa, &previous_bus);
    sigaction(SIGFPE, &sa, &previous_fpe);
}

void wasmoon_install_signal_handlers(void) { pthread_once(&install_once, install); }

static __thread int altstack_ready;

void wasmoon_ensure_sigaltstack(void) {
    if (altstack_ready) return;
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE) && current.ss_size >= 65536) {
        altstack_ready = 1;
        return;
    }
    size_t size = 256 * 1024;
    void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return;
    stack_t ss = {.ss_sp = mem, .ss_size = size, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) == 0) altstack_ready = 1;  // leaked with the thread, by design
    else munmap(mem, size);
}

uintptr_t wasmoon_thread_stack_limit(size_t margin) {
#if defined(__linux__)
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    return (uintptr_t)addr + margin;
#elif defined(__APPLE__)
    pthread_t self = pthread_self();
    return (uintptr_t)pthread_get_stackaddr_np(self) - pthread_get_stacksize_np(self) + margin;
#else
    (void)margin;
    return 0;
#endif
}

int wasmoon_jit_supported(void) {
#if defined(__linux__) && defined(__x86_64__)
    return 1;
#else
    return 0;
#endif
}

#if defined(__x86_64__)
#include <cpuid.h>
#endif

uint32_t wasmoon_cpu_features(void) {
    uint32_t features = 0;
#if defined(__x86_64__)
    unsigned int eax, ebx, ecx, edx;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        if (ecx & (1u << 19)) features |= WASMOON_CPU_SSE41;
        if (ecx & (1u << 23)) features |= WASMOON_CPU_POPCNT;
        if (ecx & (1u << 9)) features |= WASMOON_CPU_SSSE3;
        if (ecx & (1u << 20)) features |= WASMOON_CPU_SSE42;
        // VEX instructions fault unless the OS saves the XMM and YMM state (XCR0 bits 1, 2).
        if ((ecx & (1u << 12)) && (ecx & (1u << 27))) {
            uint32_t xcr0_low, xcr0_high;
            __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
            if ((xcr0_low & 6u) == 6u) features |= WASMOON_CPU_FMA;
        }
    }
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        if (ebx & (1u << 3)) features |= WASMOON_CPU_BMI1;
    }
    if (__get_cpuid(0x80000001u, &eax, &ebx, &ecx, &edx)) {
        if (ecx & (1u << 5)) features |= WASMOON_CPU_LZCNT;
    }
#endif
    return features;
}
