// CWasmoon: the few things Swift cannot do for the JIT.
// SAFETY-CRITICAL: the signal handler decides whether a hardware fault is a
// wasm trap (and resumes at a trap stub) or a real crash (and chains to the
// previous handler). It only claims a fault whose PC lies in registered JIT
// code and, for memory faults, whose address lies in a registered linear
// memory reservation.
#ifndef CWASMOON_H
#define CWASMOON_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Trap codes the handler hands to a trap stub (in RDI / first argument).
/// Must match `TrapCode` raw values on the Swift side.
enum {
    WASMOON_TRAP_INTEGER_DIVIDE_BY_ZERO = 2,
    WASMOON_TRAP_OUT_OF_BOUNDS_MEMORY = 5,
};

/// Installs the SIGSEGV/SIGBUS/SIGFPE handlers once per process (idempotent,
/// thread-safe). Previous handlers are chained for faults that are not ours.
void wasmoon_install_signal_handlers(void);

/// Makes sure the calling thread has an alternate signal stack, so a fault
/// caused by stack exhaustion can still be handled. Cheap after the first call.
void wasmoon_ensure_sigaltstack(void);

/// Registers [start, end) as JIT code whose faults resume at `trap_stub`.
/// Returns a handle for unregistering, or -1 when the registry is full.
int wasmoon_register_code(uintptr_t start, uintptr_t end, uintptr_t trap_stub);
void wasmoon_unregister_code(int handle);

/// Registers [start, end) as a linear-memory reservation (guard pages included).
int wasmoon_register_memory(uintptr_t start, uintptr_t end);
void wasmoon_unregister_memory(int handle);

/// The lowest usable stack address of the calling thread plus `margin`
/// bytes: JIT code traps with "call stack exhausted" below it.
uintptr_t wasmoon_thread_stack_limit(size_t margin);

/// How many faults the handler turned into traps (for tests).
uint64_t wasmoon_handled_fault_count(void);

/// 1 where the JIT can run (Linux on x86-64: the signal handler reads Linux's x86-64
/// register context), else 0; elsewhere only the interpreter tier is available.
int wasmoon_jit_supported(void);

/// Instruction-set extensions the JIT may use beyond x86-64's baseline (SSE2).
enum {
    WASMOON_CPU_LZCNT = 1,   // lzcnt (CPUID 0x80000001 ECX.ABM)
    WASMOON_CPU_BMI1 = 2,    // tzcnt (CPUID 7 EBX.BMI1)
    WASMOON_CPU_POPCNT = 4,  // popcnt (CPUID 1 ECX.POPCNT)
    WASMOON_CPU_SSE41 = 8,   // roundss/roundsd, pmulld, pinsr*, ptest, … (CPUID 1 ECX.SSE4_1)
    WASMOON_CPU_SSSE3 = 16,  // pshufb, pabs*, pmulhrsw, phadd*, palignr (CPUID 1 ECX.SSSE3)
    WASMOON_CPU_SSE42 = 32,  // pcmpgtq (CPUID 1 ECX.SSE4_2)
    WASMOON_CPU_FMA = 64,    // vfmadd*: CPUID 1 ECX.FMA, with the OS saving the AVX state (OSXSAVE, XCR0)
};

/// This CPU's extensions among the above (0 on other architectures).
uint32_t wasmoon_cpu_features(void);

/// An anonymous in-memory file (memfd, close-on-exec) whose pages JIT code maps twice:
/// read-execute where it runs, read-write where the compiler writes. Returns the file
/// descriptor, or -1 with errno set (ENOSYS where there is no memfd).
int wasmoon_memfd_create(const char *name);

/// Atomic word accesses for publishing code that is translated or compiled lazily:
/// a writer fills in a function's fields, then stores the one a reader checks first
/// with release order; the reader loads it with acquire order.
static inline void wasmoon_store_release(int64_t *address, int64_t value) {
    __atomic_store_n(address, value, __ATOMIC_RELEASE);
}
static inline int64_t wasmoon_fetch_add(int64_t *address, int64_t value) {
    return __atomic_fetch_add(address, value, __ATOMIC_RELAXED);
}
static inline int64_t wasmoon_load_acquire(const int64_t *address) {
    return __atomic_load_n(address, __ATOMIC_ACQUIRE);
}
static inline void wasmoon_store_release_pointer(void **address, void *value) {
    __atomic_store_n(address, value, __ATOMIC_RELEASE);
}
static inline void *wasmoon_load_acquire_pointer(void *const *address) {
    return __atomic_load_n(address, __ATOMIC_ACQUIRE);
}

#ifdef __cplusplus
}
#endif

#endif
