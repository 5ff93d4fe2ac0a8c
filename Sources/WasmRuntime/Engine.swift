import CWasmoon
import WasmCore

/// Which execution tier runs wasm code.
public enum Tier: String, Sendable {
    /// The register-based interpreter (`--no-jit`).
    case interpreter
    /// The x86-64 JIT.
    case jit
}

/// When an engine translates or compiles the functions of a module.
public enum CompileMode: String, Sendable, CaseIterable {
    /// Each function on its first call (the default): start-up and memory scale with the
    /// code that runs, not with the module.
    case lazy
    /// Every function when the module is prepared (tests, sweeps, `--jit-stats` totals).
    case eager
}

/// Which of the JIT's compilers compile a module's functions (`--jit-tier`).
public enum JITTier: String, Sendable, CaseIterable {
    /// Only the single-pass baseline compiler.
    case baseline
    /// Every function the optimizing tier accepts is compiled by it (on its first call, or
    /// when the module is loaded with `CompileMode.eager`); the baseline compiles the functions
    /// it declines.
    case optimized
    /// The baseline first; a function whose calls and loop iterations pass a threshold is
    /// recompiled by the optimizing tier on a background thread and runs optimized from its
    /// next call.
    case tiered
}

/// When a function moves to the optimizing tier (`JITTier.tiered`).
public struct TierUpPolicy: Sendable, Hashable {
    /// Calls plus loop iterations a function runs on the baseline before it is optimized.
    public var threshold: Int
    /// Compile on a background thread (the function goes on running on the baseline
    /// meanwhile); false: on the thread that crossed the threshold, before it goes on
    /// (deterministic: tests switch tiers at an exact count).
    public var background: Bool

    /// A policy; the defaults are the engine's.
    public init(threshold: Int = 1000, background: Bool = true) {
        self.threshold = max(1, threshold)
        self.background = background
    }
}

/// The seam between the runtime (store, instances, memories, …) and an
/// execution tier. One engine serves any number of stores and modules.
public protocol ExecutionEngine: AnyObject, Sendable {
    /// Prepares a validated module: translates or compiles every function it defines
    /// (eager), or sets each up to be translated or compiled on its first call (lazy).
    /// Called once per module; the result is shared by all its instances.
    func prepare(_ module: WasmCore.Module) throws -> any EngineModuleCode

    /// Runs a wasm-defined function (never a host function) of an instance and
    /// returns its results. Throws `Trap`, or any error a host function threw.
    func invoke(_ function: Function, arguments: [Value]) throws -> [Value]
}

/// An engine's per-module code (translated bytecode or machine code).
public protocol EngineModuleCode: AnyObject, Sendable {
    /// The machine-code entry of a defined function (JIT), stored in its
    /// `VMFuncRef.entry` at instantiation; nil for engines without one.
    func entry(definedIndex: Int) -> UnsafeRawPointer?
}

extension EngineModuleCode {
    /// No entry points by default: engines that call through `VMFuncRef.entry` provide them.
    public func entry(definedIndex: Int) -> UnsafeRawPointer? { nil }
}

/// The engine a store runs with, plus process-wide settings.
public final class Engine: Sendable {
    /// The tier that runs the code.
    public let tier: Tier
    package let backend: any ExecutionEngine
    /// Told about every wasm call when set (`--trace-calls`); the backend was made with it.
    public let callTracer: (any CallTracer)?
    /// Whether the backend's code checks the epoch against its store's deadline at function
    /// entries and loop headers (`Store.interrupt`, `Store.setEpochDeadline`); without it,
    /// nothing is checked and nothing is emitted.
    public let epochInterruption: Bool
    /// Whether the backend's code consumes its store's fuel (`FuelMeter`, `Store.setFuel`).
    public let consumesFuel: Bool
    /// The engine's epoch: a counter the embedder advances (`incrementEpoch`), which running
    /// code compares with its store's deadline. Lives as long as the process (engines are few).
    nonisolated(unsafe) package let epoch: UnsafeMutablePointer<UInt64>
    /// The proposals modules may use; a module that uses another is refused with its name.
    public let proposals: WasmProposals
    /// The most bytes of stack a call from the host into wasm may use (its wasm frames and
    /// the host functions they call), nil for the runtime's default; deeper recursion traps
    /// with `call stack exhausted`.
    public let maxWasmStack: Int?

    /// Creates an engine. Use `Wasmoon.Runtime` to get one with the right backend for a tier.
    package init(
        tier: Tier, backend: any ExecutionEngine, callTracer: (any CallTracer)? = nil, epochInterruption: Bool = false,
        consumesFuel: Bool = false, proposals: WasmProposals = .all, maxWasmStack: Int? = nil
    ) {
        self.proposals = proposals
        self.maxWasmStack = maxWasmStack
        self.consumesFuel = consumesFuel
        self.tier = tier
        self.backend = backend
        self.callTracer = callTracer
        self.epochInterruption = epochInterruption
        epoch = .allocate(capacity: 1)
        epoch.initialize(to: 0)
    }

    /// Advances the epoch by one tick (any thread): stores whose deadline it reaches are
    /// interrupted at their next check.
    public func incrementEpoch() {
        epoch.withMemoryRebound(to: Int64.self, capacity: 1) { _ = wasmoon_fetch_add($0, 1) }
    }

    /// The current epoch.
    public var currentEpoch: UInt64 {
        UInt64(bitPattern: epoch.withMemoryRebound(to: Int64.self, capacity: 1) { wasmoon_load_acquire($0) })
    }
}

/// A small pthread mutex (Synchronization.Mutex is not usable from a class field easily in Swift 6.1 tools).
package final class Mutex: @unchecked Sendable {
    private let m: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        m = .allocate(capacity: 1)
        pthread_mutex_init(m, nil)
    }

    deinit {
        pthread_mutex_destroy(m)
        m.deallocate()
    }

    @inline(__always)
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(m)
        defer { pthread_mutex_unlock(m) }
        return try body()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
