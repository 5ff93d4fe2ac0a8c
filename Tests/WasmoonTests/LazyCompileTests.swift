import Foundation
import Testing
import Wasmoon

/// Functions translated or compiled on their first call (`CompileMode.lazy`, the default)
/// behave as when all are prepared up front (`.eager`), on both tiers: results, traps and
/// backtraces, every way into a function (direct, indirect, tail, from the host, through a
/// table entry made by `ref.func`), and first calls racing on several threads.
@Suite("Lazy compilation")
struct LazyCompileTests {
    static let configurations: [(Tier, CompileMode)] = [
        (.interpreter, .lazy), (.interpreter, .eager), (.jit, .lazy), (.jit, .eager),
    ]

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
        #expect(throws: Trap.self) { try instance.function("indirect")!.call([.i32(3), .i32(3)]) }
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
            } catch let trap as Trap { return trap }
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
        let bad = try CLI.runProgram(binary, ["run", "--compile", "sometimes", file.path])
        #expect(bad.status == 2, "\(bad.stderr)")
    }
}
