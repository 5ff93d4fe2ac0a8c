import Testing
import Wasmoon

/// The embedding API through the `Wasmoon` facade: a runtime, a module from text,
/// a host function defined with `Linker.defineFunction`, calls both ways.
@Suite("Embedding API")
struct EmbeddingTests {
    /// Typed access to values: each accessor reads its own type and nothing else.
    @Test func valueAccessors() throws {
        let runtime = try Runtime(tier: .interpreter)
        let store = Store(engine: runtime.engine)  // what comes from a store needs it alive
        let instance = try Linker(store: store).instantiate(try runtime.compile(wat: """
            (module (func (export "mix") (param i32 i64 f32 f64) (result i64 f64)
              (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1))
              (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
            """))
        let results = try instance.function("mix")!.call([.int32(-5), .int64(-7), .float32(1.5), .float64(0.25)])
        #expect(results[0].int64 == -12)
        #expect(results[0].i64 == UInt64(bitPattern: -12))
        #expect(results[0].i32 == nil && results[0].double == nil)
        #expect(results[1].double == 1.75)
        #expect(Value.int32(-1).i32 == UInt32.max && Value.int32(-1).int32 == -1)
        #expect(Value.float32(2.5).float == 2.5 && Value.float32(2.5).double == nil)
        #expect(Value.v128(.zero).v128 == .zero && Value.i64(1).v128 == nil)
        withExtendedLifetime(store) {}
    }

    /// A function kept after its store was released is refused with an error, never run on
    /// freed instances (the store owns them); re-importing it elsewhere is refused too.
    @Test(arguments: Runtime.jitAvailable ? [Tier.interpreter, .jit] : [.interpreter]) func callAfterStoreReleasedIsAnError(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let module = try runtime.compile(wat: #"(module (func (export "seven") (result i32) (i32.const 7)))"#)
        func orphan() throws -> Function {
            let store = Store(engine: runtime.engine)
            let function = try #require(try Linker(store: store).instantiate(module).function("seven"))
            #expect(try function.call([]) == [.int32(7)])
            return function
        }
        let seven = try orphan()
        // Allocations that may reuse the freed store's memory must not make it look alive.
        let stores = (0..<8).map { _ in Store(engine: runtime.engine) }
        do {
            _ = try seven.call([])
            Issue.record("called a function whose store was released")
        } catch {
            guard case .call(let e) = error else { throw error }
            #expect(e.message.contains("store it belongs to was released"), "\(e)")
        }
        let linker = Linker(store: stores[0])
        linker.define(module: "m", name: "seven", .function(seven))
        #expect(throws: WasmoonError.self) {
            _ = try linker.instantiate(try runtime.compile(wat: #"(module (import "m" "seven" (func (result i32))))"#))
        }
        withExtendedLifetime(stores) {}
    }

    @Test func hostFunctionCalledFromWasm() throws {
        let runtime = try Runtime(tier: .interpreter)
        let module = try runtime.compile(
            wat: """
                (module
                  (import "env" "scale" (func $scale (param i32) (result i32)))
                  (memory (export "mem") 1)
                  (func (export "run") (param i32) (result i32)
                    (i32.store (i32.const 8) (call $scale (local.get 0)))
                    (i32.add (i32.load (i32.const 8)) (i32.const 1))))
                """)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let calls = Counter()
        linker.defineFunction(module: "env", name: "scale", type: FuncType(params: [.i32], results: [.i32])) {
            _, args in
            calls.value += 1
            guard case .i32(let x) = args[0] else { return [.i32(0)] }
            return [.i32(x &* 10)]
        }
        let instance = try linker.instantiate(module)
        let run = try #require(instance.function("run"))
        #expect(run.type == FuncType(params: [.i32], results: [.i32]))
        #expect(try run.call([.i32(4)]) == [.i32(41)])
        #expect(calls.value == 1)
        let memory = try #require(instance.memory("mem"))
        #expect(try memory.read(at: 8, count: 4) == [40, 0, 0, 0])
    }

    @Test func hostFunctionTrapsPropagate() throws {
        let runtime = try Runtime()
        let module = try runtime.compile(
            wat: """
                (module
                  (import "env" "fail" (func $fail))
                  (func (export "run") (call $fail)))
                """)
        let store = Store(engine: runtime.engine)  // what comes from a store needs it alive
        let linker = Linker(store: store)
        linker.defineFunction(module: "env", name: "fail", type: FuncType(params: [], results: [])) { _, _ in
            throw Trap(.unreachable)
        }
        let instance = try linker.instantiate(module)
        #expect { try instance.function("run")!.call([]) } throws: { ($0 as? WasmoonError)?.trapCode != nil }
        withExtendedLifetime(store) {}
    }

    @Test func jitTierIsAvailable() throws {
        #expect(try Runtime(tier: .jit).engine.tier == .jit)
    }

    @Test func defaultTierIsTheJIT() throws {
        #expect(Runtime.defaultTier == .jit)
        #expect(try Runtime().engine.tier == .jit)
    }

    @Test func frontEndErrorsAreClassified() throws {
        let runtime = try Runtime()
        #expect {
            try runtime.compile(bytes: [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00])
        } throws: { error in
            guard case WasmoonError.malformed(let e, _) = error else { return false }
            return e.offset == 4
        }
        #expect {
            try runtime.compile(wat: "(module (func (result i32)))")
        } throws: { error in
            if case WasmoonError.invalid = error { return true }
            return false
        }
        #expect {
            try runtime.compile(wat: "(module\n  (func i32.bogus))")
        } throws: { error in
            guard case WasmoonError.text(let e, _) = error else { return false }
            return e.line == 2
        }
        #expect {
            try runtime.loadModule(path: "/nonexistent/x.wasm")
        } throws: { error in
            if case WasmoonError.file = error { return true }
            return false
        }
    }

    /// A host function that returns more values, or other types, than its type says is
    /// refused with `CallError` on both tiers (the JIT once wrote them over its frame).
    @Test(arguments: bothTiers)
    func hostResultsAreCheckedAgainstTheType(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let module = try runtime.compile(
            wat: """
                (module
                  (import "env" "h" (func $h (param i32) (result i32)))
                  (func (export "run") (param i32) (result i32) (i32.add (call $h (local.get 0)) (i32.const 1))))
                """)
        let answers: [[Value]] = [
            [.i32(1), .i32(2), .i32(3), .i32(4), .i32(5), .i32(6), .i32(7), .i32(8)],  // too many
            [],  // too few
            [.i64(5)],  // wrong type
            [.i32(41)],  // right
        ]
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let next = Counter()
        linker.defineFunction(module: "env", name: "h", type: FuncType(params: [.i32], results: [.i32])) { _, _ in
            defer { next.value += 1 }
            return answers[next.value]
        }
        let run = try #require(try linker.instantiate(module).function("run"))
        for _ in 0..<3 {
            #expect {
                try run.call([.i32(0)])
            } throws: { error in
                guard case .call(let e) = error as? WasmoonError else { return false }
                return e.message.hasPrefix("host function returned (")
            }
        }
        #expect(try run.call([.i32(0)]) == [.i32(42)])
    }

    /// A module compiled by one engine is refused by a store of another, as is a wasm
    /// function of another engine's instance as an import (a link error, not a crash).
    @Test func modulesAndFunctionsStayWithTheirEngine() throws {
        let jit = try Runtime(tier: .jit), interpreter = try Runtime(tier: .interpreter)
        let exporter = try interpreter.compile(wat: #"(module (func (export "f") (result i32) (i32.const 7)))"#)
        let interpreterStore = Store(engine: interpreter.engine)
        let exporting = try Linker(store: interpreterStore).instantiate(exporter)
        let jitStore = Store(engine: jit.engine)
        #expect {
            try Linker(store: jitStore).instantiate(exporter)
        } throws: { error in
            guard case .link(let e) = error as? WasmoonError else { return false }
            return e.message.contains("compiled for another engine")
        }
        let importer = try jit.compile(
            wat: #"(module (import "m" "f" (func $f (result i32))) (func (export "g") (result i32) (call $f)))"#)
        let linker = Linker(store: jitStore)
        linker.define(instance: exporting, as: "m")
        #expect {
            try linker.instantiate(importer)
        } throws: { error in
            guard case .link(let e) = error as? WasmoonError else { return false }
            return e.message.contains("another engine")
        }
    }
}

/// A mutable box a host closure can capture.
private final class Counter: @unchecked Sendable {
    var value = 0
}
