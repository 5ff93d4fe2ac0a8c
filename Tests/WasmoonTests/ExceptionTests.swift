import Foundation
import Testing
import WasmoonWAST
import Wasmoon
import WasmRuntime

/// Exception handling (Wasm 3.0: tags, `throw`, `throw_ref`, `try_table`, `exnref`) on both
/// tiers: the spec scripts, unwinding through frames of other instances and of the host both
/// ways, the embedding API's `WasmException`, the command line. ExceptionUnwindingTests
/// checks what the JIT's unwinder restores.
@Suite("Exception handling")
struct ExceptionTests {
    /// core/ scripts of the exception-handling proposal (tag.wast: the tag section).
    static let scripts = ["throw", "throw_ref", "try_table", "tag"]

    static let configurations = everyTierAndMode

    @Test(arguments: scripts, configurations)
    func specScript(_ name: String, _ configuration: (Tier, CompileMode)) throws {
        guard let url = SharedData.path("spec/core/\(name).wast") else { return }
        let runner = WastRunner(engine: try Runtime(tier: configuration.0, compile: configuration.1).engine)
        let result = runner.run(path: url.path)
        let summary = "\(name).wast on \(configuration): \(result.passed) passed, \(result.failed) failed\n"
            + result.failures.prefix(10).map { "  \($0)" }.joined(separator: "\n")
        #expect(result.failed == 0, Comment(rawValue: summary))
        #expect(result.passed > 0)
    }

    static let thrower = """
        (module
          (import "host" "call_back" (func $call_back (param i32) (result i32)))
          (tag $e (export "e") (param i32 i64))
          (func $throw (export "throw") (param i32) (throw $e (local.get 0) (i64.const -5)))
          (func $deep (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then (call $throw (i32.const 99))))
            (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
          ;; Catches $e thrown 50 frames down; the label gets both values.
          (func (export "catch_deep") (result i32 i64)
            (block $h (result i32 i64)
              (try_table (catch $e $h) (drop (call $deep (i32.const 50))))
              (return (i32.const -1) (i64.const -1))))
          ;; Through the host: wasm → host → wasm (throws) → host → here.
          (func (export "through_host") (param i32) (result i32)
            (block $h (result i32 i64)
              (try_table (catch $e $h) (return (call $call_back (local.get 0))))
              (unreachable))
            (drop))
          ;; catch_all_ref, then throw_ref rethrows the same exception to an outer handler.
          (func (export "rethrow") (result i32)
            (block $outer (result i32 i64)
              (try_table (catch $e $outer)
                (block $inner (result exnref)
                  (try_table (catch_all_ref $inner) (call $throw (i32.const 3)))
                  (unreachable))
                (throw_ref))
              (unreachable))
            (drop))
          (func (export "uncaught") (call $throw (i32.const 1)))
          ;; A tail call leaves its frame: the try_table around it does not see the host's throw.
          (func $tail_host (export "tail_host") (param i32) (result i32)
            (block $h (result i32 i64)
              (try_table (catch $e $h) (return_call $call_back (local.get 0)))
              (unreachable))
            (drop)
            (drop)
            (i32.const -7))
          (func (export "around_tail_host") (result i32)
            (block $h (result i32 i64)
              (try_table (catch $e $h) (return (call $tail_host (i32.const 0))))
              (unreachable))
            (drop)))
        """

    /// Unwinding through many frames, through host frames both ways, `throw_ref`; an uncaught
    /// exception reaches the embedder as a `WasmException` with its tag and values; a host
    /// function throws one that wasm catches.
    @Test(arguments: configurations)
    func unwindingThroughFramesAndTheHost(_ configuration: (Tier, CompileMode)) throws {
        let runtime = try Runtime(tier: configuration.0, compile: configuration.1)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let module = try runtime.compile(wat: Self.thrower)
        let instanceBox = Box<Instance?>(nil)
        let tagBox = Box<WasmRuntime.Tag?>(nil)
        linker.defineFunction(module: "host", name: "call_back", type: FuncType(params: [.i32], results: [.i32])) {
            _, args in
            guard case .i32(let x) = args[0] else { return [.i32(0)] }
            if x == 0, let tag = tagBox.value {
                throw WasmException(tag: tag, values: [.i32(1234), .i64(0)])  // a host-made exception
            }
            _ = try instanceBox.value!.function("throw")!.call([.i32(x)])  // wasm throws through us
            return [.i32(0)]
        }
        let instance = try linker.instantiate(module)
        instanceBox.value = instance
        guard case .tag(let tag)? = instance.export("e") else {
            Issue.record("no exported tag")
            return
        }
        tagBox.value = tag
        #expect(try instance.function("catch_deep")!.call([]) == [.i32(99), .s64(-5)])
        #expect(try instance.function("through_host")!.call([.i32(42)]) == [.i32(42)])
        #expect(try instance.function("through_host")!.call([.i32(0)]) == [.i32(1234)])
        #expect(try instance.function("rethrow")!.call([]) == [.i32(3)])
        #expect {
            try instance.function("tail_host")!.call([.i32(0)])
        } throws: { error in
            if case .exception = error as? WasmoonError { true } else { false }
        }
        #expect(try instance.function("around_tail_host")!.call([]) == [.i32(1234)])
        do {
            _ = try instance.function("uncaught")!.call([])
            Issue.record("expected an uncaught exception")
        } catch {
            guard case .exception(let exception) = error else { throw error }
            #expect(exception.tag === tag)
            #expect(exception.values == [.i32(1), .s64(-5)])
        }
        // The runtime still works after an uncaught exception left frames behind.
        #expect(try instance.function("catch_deep")!.call([]) == [.i32(99), .s64(-5)])
    }

    /// cli.md: an uncaught exception ends `run` with `error: uncaught wasm exception`, exit 134;
    /// `--invoke-all` reports it as a line and goes on.
    @Test(arguments: [["--no-jit"], []])
    func commandLine(_ tier: [String]) throws {
        let path = try CLI.temporaryFile(
            """
            (module
              (tag $e (param i32))
              (func (export "_start") (throw $e (i32.const 7)))
              (func (export "ok") (result i32) (i32.const 1)))
            """)
        let run = try CLI.run(["run"] + tier + [path])
        #expect(run.status == 134)
        #expect(run.stderr.hasPrefix("error: uncaught wasm exception"), "\(run.stderr)")
        let all = try CLI.run(["run"] + tier + ["--invoke-all", path])
        #expect(all.stdout.contains("call _start: exception\n"), "\(all.stdout)")
        #expect(all.stdout.contains("call ok: ok 1\n"), "\(all.stdout)")
    }
}
