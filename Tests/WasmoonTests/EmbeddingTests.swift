import Testing
import Wasmoon

/// The embedding API through the `Wasmoon` facade: a runtime, a module from text,
/// a host function defined with `Linker.defineFunction`, calls both ways.
@Suite("Embedding API")
struct EmbeddingTests {
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
        let linker = Linker(store: Store(engine: runtime.engine))
        linker.defineFunction(module: "env", name: "fail", type: FuncType(params: [], results: [])) { _, _ in
            throw Trap(.unreachable)
        }
        let instance = try linker.instantiate(module)
        #expect(throws: Trap.self) { try instance.function("run")!.call([]) }
    }

    @Test func jitTierIsAClearError() {
        #expect(throws: WasmoonError.self) { try Runtime(tier: .jit) }
        do {
            _ = try Runtime(tier: .jit)
        } catch {
            #expect(error.description.contains("not available"))
        }
    }

    @Test func defaultTierIsTheInterpreterForNow() throws {
        #expect(Runtime.defaultTier == .interpreter)
        #expect(try Runtime().engine.tier == .interpreter)
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
}

/// A mutable box a host closure can capture.
private final class Counter: @unchecked Sendable {
    var value = 0
}
