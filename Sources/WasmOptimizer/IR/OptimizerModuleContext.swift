import Synchronization
import WasmCore

/// What the optimizing tier computes once per module and shares between the functions it
/// compiles: the module's validation context (types of globals, functions, tables, memories),
/// and the simplified bodies of the functions small enough to inline, each built on first
/// request (by a caller, or by the function's own compilation: a small leaf is built once). Building the context per function made compiling a module quadratic (GCC's cc1:
/// half the time went to rebuilding it). Thread-safe: functions may be optimized on the
/// tier-up thread while others compile on first call.
public final class OptimizerModuleContext: Sendable {
    /// The module the context is for.
    public let module: Module
    /// The module's validation context.
    public let validation: ValidationContext
    private let inlineBodies = Mutex<[UInt32: IRFunction?]>([:])

    /// The context of `module`.
    public init(module: Module) {
        self.module = module
        validation = ValidationContext(module: module)
    }

    /// The cached result of `build` for function `index` (imports first), computing it once.
    public func inlineBody(_ index: UInt32, build: () -> IRFunction?) -> IRFunction? {
        if let known = inlineBodies.withLock({ $0[index] }) { return known }
        let body = build()
        inlineBodies.withLock { $0[index] = body }
        return body
    }

    /// The cached body of function `index` if it was computed (`.some(nil)`: it is no inline
    /// candidate), without computing it.
    public func knownInlineBody(_ index: UInt32) -> IRFunction?? {
        inlineBodies.withLock { $0[index] }
    }

    /// Records what `inlineBody`'s `build` would give for function `index`, computed while
    /// compiling the function itself (a later caller then finds it); a recorded body stays.
    public func recordInlineBody(_ index: UInt32, _ body: IRFunction?) {
        inlineBodies.withLock { if $0[index] == nil { $0[index] = .some(body) } }
    }
}
