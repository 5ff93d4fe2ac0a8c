import Foundation
import Testing
import Wasmoon

/// Functions translated or compiled on their first call (`CompileMode.lazy`, the default)
/// behave as when all are prepared up front (`.eager`), on both tiers: results, traps and
/// backtraces, every way into a function (direct, indirect, tail, from the host, through a
/// table entry made by `ref.func`), and first calls racing on several threads.
@Suite("Lazy compilation")
struct LazyCompileTests {
    static let configurations = everyTierAndMode

    /// Each function is reached a different way; `run` sums what they return.
    static let program = """
        (module
          (type $unary (func (param i32) (result i32)))
          (table $t 4 funcref)
          (elem (i32.const 0) $double $square)
          (elem declare func $late)
          (memory 1)
          (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
          (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
          (func $tail (param i32) (result i32)
            (return_call $double (i32.add (local.get 0) (i32.const 1))))
          (func $fact (param i64) (result i64)
            (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
              (then (i64.const 1))
              (else (i64.mul (local.get 0) (call $fact (i64.sub (local.get 0) (i64.const 1)))))))
          (func $late (param i32) (result i32) (i32.add (local.get 0) (i32.const 1000)))
          (func (export "install")
            (table.set $t (i32.const 2) (ref.func $late)))
          (func (export "indirect") (param i32 i32) (result i32)
            (call_indirect $t (type $unary) (local.get 0) (local.get 1)))
          (func (export "run") (param i32) (result i32)
            (i32.add
              (i32.add (call $tail (local.get 0))
                       (call_indirect $t (type $unary) (local.get 0) (i32.const 1)))
              (i32.wrap_i64 (call $fact (i64.extend_i32_u (local.get 0))))))
          (func (export "direct") (param i32) (result i32) (call $square (local.get 0)))
          (func (export "fault") (param i32) (result i32)
            (call $load (local.get 0)))
          (func $load (param i32) (result i32)
            (i32.load (i32.add (local.get 0) (i32.const 65536))))
          (func $deep (export "deep") (param i32) (result i32)
            (i32.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))
        """

    /// An instance of `program` and the store that owns it (instances do not keep their store alive).
    static func instance(_ tier: Tier, _ mode: CompileMode) throws -> (Store, Instance) {
        let runtime = try Runtime(tier: tier, compile: mode)
        let module = try runtime.compile(wat: program)
        let store = Store(engine: runtime.engine)
        return (store, try Linker(store: store).instantiate(module))
    }

    @Test(arguments: configurations)
    func everyWayIn(_ tier: Tier, _ mode: CompileMode) throws {
        let (store, instance) = try Self.instance(tier, mode)
        defer { withExtendedLifetime(store) {} }
        // tail(5) = double(6) = 12; square(5) = 25; fact(5) = 120.
        #expect(try instance.function("run")!.call([.i32(5)]) == [.i32(157)], "\(tier) \(mode)")
        #expect(try instance.function("direct")!.call([.i32(7)]) == [.i32(49)])
        #expect(try instance.function("indirect")!.call([.i32(3), .i32(0)]) == [.i32(6)])
        try instance.function("install")!.call([])
        #expect(try instance.function("indirect")!.call([.i32(3), .i32(2)]) == [.i32(1003)])
        // An empty slot still traps as such.
        #expect { try instance.function("indirect")!.call([.i32(3), .i32(3)]) } throws: {
            ($0 as? WasmoonError)?.trapCode != nil
        }
    }

    /// Traps in functions that were never called before, and stack exhaustion in a
    /// recursion: the same trap code and backtrace in both modes.
    @Test(arguments: [Tier.interpreter, .jit])
    func trapsAndBacktracesMatchEager(_ tier: Tier) throws {
        func trap(_ mode: CompileMode, _ name: String) throws -> Trap? {
            let (store, instance) = try Self.instance(tier, mode)
            defer { withExtendedLifetime(store) {} }
            do {
                _ = try instance.function(name)!.call([.i32(0)])
                return nil
            } catch {
                guard case .trap(let trap) = error else { throw error }
                return trap
            }
        }
        for name in ["fault", "deep"] {
            let lazy = try #require(try trap(.lazy, name), "\(tier) \(name)")
            let eager = try #require(try trap(.eager, name), "\(tier) \(name)")
            #expect(lazy.code == eager.code, "\(tier) \(name)")
            #expect(lazy.backtrace.prefix(8) == eager.backtrace.prefix(8), "\(tier) \(name)")
            #expect(lazy.backtrace.count == eager.backtrace.count, "\(tier) \(name)")
        }
    }

    /// Eight threads make the first calls of the same chain of functions of one module at
    /// once (each on its own store and instance): every thread gets the right answer.
    @Test(arguments: [Tier.interpreter, .jit])
    func firstCallsRacingOnThreads(_ tier: Tier) throws {
        let length = 60
        var functions = ""
        for i in 0..<length {
            let next = i + 1 < length ? "(call $f\(i + 1) (i32.add (local.get 0) (i32.const \(i))))" : "(local.get 0)"
            functions += "(func $f\(i) (param i32) (result i32) \(next))\n"
        }
        let text = "(module \(functions) (func (export \"run\") (param i32) (result i32) (call $f0 (local.get 0))))"
        let expected = UInt32((0..<length - 1).reduce(0, +))
        for _ in 0..<3 {
            let runtime = try Runtime(tier: tier, compile: .lazy)
            let module = try runtime.compile(wat: text)
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                let outcome: [Value]?
                do {
                    let store = Store(engine: runtime.engine)
                    let instance = try Linker(store: store).instantiate(module)
                    outcome = try withExtendedLifetime(store) { try instance.function("run")!.call([.i32(UInt32(thread))]) }
                } catch { outcome = nil }
                results.set(thread, outcome)
            }
            for thread in 0..<8 {
                #expect(results.get(thread) == [.i32(expected + UInt32(thread))], "\(tier) thread \(thread)")
            }
        }
    }

    /// A function of another module, never called before, called through an import
    /// (its `VMFuncRef` entry: the JIT's stub); a trap in it shows both modules' frames.
    @Test(arguments: configurations)
    func callsIntoAnotherModule(_ tier: Tier, _ mode: CompileMode) throws {
        let runtime = try Runtime(tier: tier, compile: mode)
        let library = try runtime.compile(wat: """
            (module
              (func (export "triple") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
              (func (export "fail") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
            """)
        let client = try runtime.compile(wat: """
            (module
              (import "lib" "triple" (func $triple (param i32) (result i32)))
              (import "lib" "fail" (func $fail (param i32) (result i32)))
              (func (export "run") (param i32) (result i32) (i32.add (call $triple (local.get 0)) (i32.const 1)))
              (func (export "fail") (param i32) (result i32) (call $fail (local.get 0))))
            """)
        let store = Store(engine: runtime.engine)
        defer { withExtendedLifetime(store) {} }
        let linker = Linker(store: store)
        linker.define(instance: try linker.instantiate(library), as: "lib")
        let instance = try linker.instantiate(client)
        #expect(try instance.function("run")!.call([.i32(4)]) == [.i32(13)], "\(tier) \(mode)")
        do {
            _ = try instance.function("fail")!.call([.i32(0)])
            Issue.record("\(tier) \(mode): no trap")
        } catch {
            guard case .trap(let trap) = error else { throw error }
            #expect(trap.code == .integerDivideByZero)
            #expect(trap.backtrace.count == 2, "\(tier) \(mode): \(trap.backtrace)")
        }
    }

    /// A function whose frame is beyond a tier's limit makes the module fail to load,
    /// in lazy mode as in eager mode and with the same message, before anything runs.
    @Test(arguments: [Tier.interpreter, .jit])
    func frameTooLargeIsRefusedUpFront(_ tier: Tier) throws {
        // One function with 2,000,000 i64 locals (one local declaration).
        var bytes: [UInt8] = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,  // type 0: [] -> []
            0x03, 0x02, 0x01, 0x00,  // one function of type 0
            0x07, 0x08, 0x01, 0x04, 0x68, 0x75, 0x67, 0x65, 0x00, 0x00,  // export "huge"
        ]
        let body: [UInt8] = [0x01, 0x80, 0x89, 0x7a, 0x7e, 0x0b]  // 1 run: 2,000,000 x i64; end
        bytes += [0x0a, UInt8(body.count + 2), 0x01, UInt8(body.count)] + body
        func loadError(_ mode: CompileMode) throws -> String? {
            let runtime = try Runtime(tier: tier, compile: mode)
            do {
                _ = try runtime.compile(bytes: bytes)
                return nil
            } catch { return "\(error)" }
        }
        let lazy = try loadError(.lazy), eager = try loadError(.eager)
        #expect(lazy != nil && lazy == eager, "\(tier): lazy \(lazy ?? "loaded"), eager \(eager ?? "loaded")")
    }

    /// What each thread got, behind a lock.
    final class Results: @unchecked Sendable {
        private var values: [Int: [Value]?] = [:]
        private let lock = NSLock()
        func set(_ thread: Int, _ value: [Value]?) { lock.withLock { values[thread] = value } }
        func get(_ thread: Int) -> [Value]? { lock.withLock { values[thread] ?? nil } }
    }

    /// `wasmoon run --compile eager|lazy` give the same output; a bad value is a usage error.
    @Test func compileFlag() throws {
        guard let binary = CLI.binary else {
            Issue.record("the wasmoon executable was not found next to the tests")
            return
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lazy-\(getpid()).wat")
        try Self.program.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        for tier in [[], ["--no-jit"]] {
            for mode in ["lazy", "eager"] {
                let r = try CLI.runProgram(binary, ["run"] + tier + ["--compile", mode, "--invoke", "run", file.path, "5"])
                #expect(r.status == 0 && r.stdout == "157\n", "\(tier) \(mode): \(r.stderr)")
            }
        }
        // --jit-stats after a lazy run counts what the run compiled: run, tail, double,
        // square (through the table) and fact, not the module's other six functions.
        if Runtime.jitAvailable {
            let r = try CLI.runProgram(binary, ["run", "--jit-stats", "--compile", "lazy", "--invoke", "run", file.path, "5"])
            #expect(r.status == 0 && r.stderr.hasPrefix("jit-stats: 5 functions compiled"), "\(r.stderr)")
        }
        let bad = try CLI.runProgram(binary, ["run", "--compile", "sometimes", file.path])
        #expect(bad.status == 2, "\(bad.stderr)")
    }
}
