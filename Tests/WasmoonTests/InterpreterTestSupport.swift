import Testing
import Wasmoon

/// Both execution tiers, for tests that run the same checks on each.
let bothTiers: [Tier] = [.interpreter, .jit]

/// A module instantiated on a tier (the interpreter unless told), with its store and linker kept alive.
struct InterpreterHarness {
    let runtime: Runtime
    let store: Store
    let linker: Linker
    let instance: Instance

    /// Compiles `wat` for the interpreter; `link` may define imports first.
    init(tier: Tier = .interpreter, _ wat: String, link: (Linker) throws -> Void = { _ in }) throws {
        runtime = try Runtime(tier: tier)
        store = Store(engine: runtime.engine)
        linker = Linker(store: store)
        try link(linker)
        instance = try linker.instantiate(try runtime.compile(wat: wat))
    }

    /// Compiles `wat` for an engine made from `configuration` (the JIT's optimizing tier, …).
    init(configuration: EngineConfiguration, _ wat: String) throws {
        runtime = try Runtime(configuration: configuration)
        store = Store(engine: runtime.engine)
        linker = Linker(store: store)
        instance = try linker.instantiate(try runtime.compile(wat: wat))
    }

    /// An instance made elsewhere (with imports of its own), kept alive with its runtime.
    init(runtime: Runtime, store: Store, linker: Linker, instance: Instance) {
        self.runtime = runtime
        self.store = store
        self.linker = linker
        self.instance = instance
    }

    /// Calls export `name`.
    @discardableResult
    func call(_ name: String, _ args: Value...) throws -> [Value] {
        guard let f = instance.function(name) else { throw CallError("no export \(name)") }
        return try f.call(args)
    }

    /// Calls export `name` and expects it to trap with `code`; returns the trap.
    @discardableResult
    func expectTrap(
        _ code: TrapCode, _ name: String, _ args: Value..., sourceLocation: SourceLocation = #_sourceLocation
    ) -> Trap? {
        do {
            let r = try instance.function(name)!.call(args)
            Issue.record("expected trap \(code.message), got \(r)", sourceLocation: sourceLocation)
        } catch .trap(let trap) {
            #expect(trap.code == code, "expected \(code.message), got \(trap.message)", sourceLocation: sourceLocation)
            return trap
        } catch {
            Issue.record("expected trap \(code.message), got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }
}

extension Value {
    static func s32(_ v: Int32) -> Value { .i32(UInt32(bitPattern: v)) }
    static func s64(_ v: Int64) -> Value { .i64(UInt64(bitPattern: v)) }
    static func float(_ v: Float) -> Value { .f32(v.bitPattern) }
    static func double(_ v: Double) -> Value { .f64(v.bitPattern) }
}

/// Mutable box for host-function closures.
final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// Both tiers, each compiling lazily and eagerly: the arguments of tests that must hold everywhere.
let everyTierAndMode: [(Tier, CompileMode)] = [
    (.interpreter, .lazy), (.interpreter, .eager), (.jit, .lazy), (.jit, .eager),
]
