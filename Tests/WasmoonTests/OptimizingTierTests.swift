import Foundation
import Testing
import WasmoonWAST
@testable import WasmJIT
import Wasmoon

/// The JIT's optimizing tier (issue 15) against the interpreter and the baseline: the spec
/// gate with every function it accepts optimized, the decline list, programs written to hit
/// its register allocator, parallel moves, fused compares and runtime calls, and backtraces
/// through inlined code.
@Suite("Optimizing tier")
struct OptimizingTierTests {
    static let optimized = EngineConfiguration(tier: .jit, compileMode: .eager, jitTier: .optimized)

    /// tests/optimizer-declines.txt: `reason: why`, one per line.
    static func declineList() throws -> [String: String] {
        let text = try String(
            contentsOf: SharedData.repoRoot.appendingPathComponent("tests/optimizer-declines.txt"), encoding: .utf8)
        var list: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: ":", maxSplits: 1)
            list[String(parts[0])] = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        return list
    }

    /// Every gate script (SIMD included) with the optimizing tier compiling every function it
    /// accepts: the same failures as the baseline (tests/spec-known-failures.txt), and every
    /// decline for a reason the decline list gives. The list only shrinks: a reason nothing
    /// gives any more fails too.
    @Test func specGateWithTheOptimizingTier() throws {
        let files = SharedData.gateFiles().map(\.path) + SharedData.simdGateFiles().map(\.path)
        guard !files.isEmpty else { return }
        let runtime = try Runtime(configuration: Self.optimized)
        let runner = WastRunner(engine: runtime.engine)
        for path in files {
            let result = runner.run(path: path)
            let name = (path as NSString).lastPathComponent
            let listedPath = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent + "/" + name
            let known = Set(SharedData.knownSpecFailures.keys.filter { $0.hasPrefix(listedPath + ":") }.compactMap {
                Int($0.split(separator: ":")[1])
            })
            let unexpected = result.failures.filter { !known.contains($0.line) }
            #expect(unexpected.isEmpty, "\(name): \(unexpected.prefix(10).map(\.description).joined(separator: "\n"))")
        }
        var declines = try #require(runtime.engine.backend as? JITEngine).optimizerDeclines
        // Engine-wide declines: fuel metering and call tracing keep every function on the baseline.
        let small = "(module (func (export \"f\") (result i32) (i32.const 1)))"
        var fuel = Self.optimized
        fuel.consumeFuel = true
        let tracing = try Runtime(configuration: Self.optimized, callTracer: SilentTracer())
        for engineRuntime in [try Runtime(configuration: fuel), tracing] {
            _ = try engineRuntime.compile(wat: small)
            for (reason, count) in try #require(engineRuntime.engine.backend as? JITEngine).optimizerDeclines {
                declines[reason, default: 0] += count
            }
        }
        let list = try Self.declineList()
        for (reason, count) in declines.sorted(by: { $0.key < $1.key }) {
            #expect(list[reason] != nil, "the optimizing tier declined \(count) functions for '\(reason)', not in tests/optimizer-declines.txt")
        }
        for (reason, why) in list {
            #expect(!why.isEmpty, "tests/optimizer-declines.txt: '\(reason)' has no reason")
            #expect(declines[reason] != nil, "tests/optimizer-declines.txt lists '\(reason)', which no gate function is declined for now")
        }
    }

    /// A call tracer that reports nothing.
    final class SilentTracer: CallTracer, @unchecked Sendable {
        func enter(_ function: Function, arguments: [UInt64]) {}
        func exit(_ function: Function, results: [UInt64]) {}
        func trap(_ function: Function, _ trap: Trap) {}
    }

    /// The results of each export on each argument list, under an engine configuration.
    static func outcomes(_ wat: String, _ configuration: EngineConfiguration, calls: [(String, [Value])]) throws
        -> [String]
    {
        let h = try InterpreterHarness(configuration: configuration, wat)
        return calls.map { name, arguments in
            do {
                return "\(try h.instance.function(name)!.call(arguments))"
            } catch {
                return "error: \(error)"
            }
        }
    }

    /// Runs `calls` on the interpreter and on the optimizing tier and compares; also checks
    /// that the tier compiled every function of the module.
    func agree(_ wat: String, _ calls: [(String, [Value])]) throws {
        let expected = try Self.outcomes(wat, EngineConfiguration(tier: .interpreter), calls: calls)
        let actual = try Self.outcomes(wat, Self.optimized, calls: calls)
        for (n, (e, a)) in zip(expected, actual).enumerated() where e != a {
            Issue.record("\(calls[n].0)\(calls[n].1): interpreter \(e), optimized \(a)")
        }
        let compiled = try Runtime(configuration: Self.optimized).compile(wat: wat)
        let code = try #require(compiled.code as? JITModuleCode)
        #expect(code.optimizerDeclines.isEmpty, "\(code.optimizerDeclines)")
        #expect(code.optimizedFunctionCount == compiled.module.codes.count)
    }

    static let integers: [Int32] = [0, 1, -1, 7, -8, 31, 32, 33, Int32.min, Int32.max, 0x1234_5678]
    static let longs: [Int64] = [0, 1, -1, 63, 64, 65, Int64.min, Int64.max, 0x1234_5678_9abc_def0, -0x8000_0000]

    /// Division and remainder traps and edge cases, shifts and rotations by any count,
    /// compares fused with branches and with select, in both widths.
    @Test func integerOperatorsAgree() throws {
        let wat = """
            (module
              (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
              (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
              (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
              (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
              (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
              (func (export "div_by_minus_one") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const -1)))
              (func (export "rem_by_seven") (param i64) (result i64) (i64.rem_s (local.get 0) (i64.const 7)))
              (func (export "shifts") (param i32 i32) (result i32)
                (i32.xor (i32.xor (i32.shl (local.get 0) (local.get 1)) (i32.shr_s (local.get 0) (local.get 1)))
                  (i32.xor (i32.shr_u (local.get 0) (local.get 1))
                    (i32.add (i32.rotl (local.get 0) (local.get 1)) (i32.rotr (local.get 0) (i32.const 35))))))
              (func (export "shifts64") (param i64 i64) (result i64)
                (i64.xor (i64.xor (i64.shl (local.get 0) (local.get 1)) (i64.shr_s (local.get 0) (local.get 1)))
                  (i64.xor (i64.shr_u (local.get 1) (local.get 0)) (i64.rotl (local.get 0) (local.get 1)))))
              (func (export "sub_from_constant") (param i32) (result i32) (i32.sub (i32.const 100) (local.get 0)))
              (func (export "select_fused") (param i32 i32) (result i32)
                (select (local.get 0) (local.get 1) (i32.lt_s (local.get 0) (local.get 1))))
              (func (export "select_constants") (param i64 i64) (result i64)
                (select (i64.const -5) (i64.const 0x100000000) (i64.ge_u (local.get 0) (local.get 1))))
              (func (export "branch_fused") (param i64 i64) (result i32)
                (if (result i32) (i64.gt_s (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 2))))
              (func (export "compare_constant_first") (param i32) (result i32) (i32.lt_u (i32.const 10) (local.get 0)))
              (func (export "bits") (param i64) (result i64)
                (i64.add (i64.add (i64.clz (local.get 0)) (i64.ctz (local.get 0)))
                  (i64.add (i64.popcnt (local.get 0)) (i64.extend_i32_u (i32.clz (i32.wrap_i64 (local.get 0)))))))
              (func (export "extends") (param i64) (result i64)
                (i64.add (i64.extend8_s (local.get 0))
                  (i64.add (i64.extend16_s (local.get 0)) (i64.extend32_s (local.get 0)))))
              (func (export "mul_wide") (param i64 i64) (result i64)
                (i64.mul (i64.mul (local.get 0) (local.get 1)) (i64.const 0x123456789))))
            """
        var calls: [(String, [Value])] = []
        for a in Self.integers {
            for b in Self.integers {
                for name in ["div_s", "rem_s", "div_u", "rem_u", "shifts", "select_fused"] { calls.append((name, [.i32(UInt32(bitPattern: a)), .i32(UInt32(bitPattern: b))])) }
            }
            calls += [("div_by_minus_one", [.i32(UInt32(bitPattern: a))]), ("sub_from_constant", [.i32(UInt32(bitPattern: a))]),
                      ("compare_constant_first", [.i32(UInt32(bitPattern: a))])]
        }
        for a in Self.longs {
            for b in Self.longs {
                for name in ["div_s64", "rem_s64", "shifts64", "select_constants", "branch_fused", "mul_wide"] {
                    calls.append((name, [.i64(UInt64(bitPattern: a)), .i64(UInt64(bitPattern: b))]))
                }
            }
            for name in ["rem_by_seven", "bits", "extends"] { calls.append((name, [.i64(UInt64(bitPattern: a))])) }
        }
        try agree(wat, calls)
    }

    static let floats: [Double] = [0, -0.0, 1.5, -2.5, 1e300, -1e-300, .infinity, -.infinity, .nan, 4294967296.5, -2147483649, 9.3e18]

    /// Float arithmetic, compares (NaN), min/max, rounding, and the conversions that trap,
    /// saturate or go through the runtime.
    @Test func floatOperatorsAgree() throws {
        let wat = """
            (module
              (func (export "arith") (param f64 f64) (result f64)
                (f64.add (f64.div (f64.sub (local.get 0) (local.get 1)) (f64.const 3)) (f64.mul (local.get 1) (local.get 0))))
              (func (export "minmax") (param f64 f64) (result f64) (f64.sub (f64.min (local.get 0) (local.get 1)) (f64.max (local.get 1) (local.get 0))))
              (func (export "minmax32") (param f32 f32) (result f32) (f32.add (f32.min (local.get 0) (local.get 1)) (f32.max (local.get 1) (local.get 0))))
              (func (export "compares") (param f64 f64) (result i32)
                (i32.or (i32.or (i32.shl (f64.eq (local.get 0) (local.get 1)) (i32.const 0)) (i32.shl (f64.ne (local.get 0) (local.get 1)) (i32.const 1)))
                  (i32.or (i32.or (i32.shl (f64.lt (local.get 0) (local.get 1)) (i32.const 2)) (i32.shl (f64.le (local.get 0) (local.get 1)) (i32.const 3)))
                    (i32.or (i32.shl (f64.gt (local.get 0) (local.get 1)) (i32.const 4)) (i32.shl (f64.ge (local.get 0) (local.get 1)) (i32.const 5))))))
              (func (export "branch_lt") (param f32 f32) (result i32) (if (result i32) (f32.lt (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))
              (func (export "unary") (param f64) (result f64)
                (f64.add (f64.add (f64.abs (local.get 0)) (f64.neg (f64.sqrt (local.get 0))))
                  (f64.add (f64.add (f64.ceil (local.get 0)) (f64.floor (local.get 0))) (f64.add (f64.trunc (local.get 0)) (f64.nearest (local.get 0))))))
              (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
              (func (export "copysign32") (param f32 f32) (result f32) (f32.copysign (local.get 0) (f32.neg (local.get 1))))
              (func (export "trunc_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
              (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
              (func (export "trunc_sat") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
              (func (export "convert") (param i64) (result f64)
                (f64.add (f64.convert_i64_u (local.get 0)) (f64.convert_i32_u (i32.wrap_i64 (local.get 0)))))
              (func (export "convert32") (param i64) (result f32)
                (f32.add (f32.convert_i64_s (local.get 0)) (f32.demote_f64 (f64.convert_i32_s (i32.wrap_i64 (local.get 0))))))
              (func (export "reinterpret") (param f64) (result i64)
                (i64.add (i64.reinterpret_f64 (local.get 0)) (i64.extend_i32_u (i32.reinterpret_f32 (f32.demote_f64 (local.get 0))))))
              (func (export "select_float") (param f64 f64 i32) (result f64) (select (local.get 0) (local.get 1) (local.get 2))))
            """
        var calls: [(String, [Value])] = []
        for a in Self.floats {
            for b in Self.floats {
                for name in ["arith", "minmax", "compares", "copysign"] { calls.append((name, [.f64(a.bitPattern), .f64(b.bitPattern)])) }
                for name in ["minmax32", "branch_lt", "copysign32"] {
                    calls.append((name, [.f32(Float(a).bitPattern), .f32(Float(b).bitPattern)]))
                }
                calls.append(("select_float", [.f64(a.bitPattern), .f64(b.bitPattern), .i32(a < b ? 1 : 0)]))
            }
            for name in ["unary", "trunc_s", "trunc_u64", "trunc_sat", "reinterpret"] { calls.append((name, [.f64(a.bitPattern)])) }
        }
        for v in Self.longs {
            calls += [("convert", [.i64(UInt64(bitPattern: v))]), ("convert32", [.i64(UInt64(bitPattern: v))])]
        }
        try agree(wat, calls)
    }

    /// Loops whose back edges permute their parameters (cycles in the parallel moves), more
    /// live values than registers across calls, many arguments, br_table with values, and
    /// memory accesses with large offsets and constant addresses.
    @Test func controlFlowCallsAndMemoryAgree() throws {
        let wat = """
            (module
              (memory 1)
              (global $g (mut i64) (i64.const 5))
              (func $many (param i32 i64 i32 i64 i32 i64 i32 i64) (result i64)
                (i64.add (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1))
                  (i64.add (i64.mul (i64.extend_i32_u (local.get 2)) (local.get 3))
                    (i64.add (i64.sub (i64.extend_i32_s (local.get 4)) (local.get 5))
                      (i64.add (i64.extend_i32_u (local.get 6)) (local.get 7))))))
              (func (export "rotate") (param $n i32) (param $a i64) (param $b i64) (param $c i64) (result i64)
                (block $done (loop $next
                  (br_if $done (i32.eqz (local.get $n)))
                  ;; (a, b, c) := (b, c, a + 1): a cycle of three moves on the back edge
                  (local.get $b) (local.get $c) (i64.add (local.get $a) (i64.const 1))
                  (local.set $c) (local.set $b) (local.set $a)
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br $next)))
                (i64.add (i64.mul (local.get $a) (i64.const 1000000)) (i64.add (i64.mul (local.get $b) (i64.const 1000)) (local.get $c))))
              (func (export "pressure") (param $x i64) (result i64)
                (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64) (local $h i64) (local $i i64) (local $j i64)
                (local.set $a (i64.mul (local.get $x) (i64.const 3)))
                (local.set $b (i64.xor (local.get $a) (i64.const 0x55)))
                (local.set $c (i64.add (local.get $b) (local.get $x)))
                (local.set $d (i64.rotl (local.get $c) (i64.const 7)))
                (local.set $e (i64.sub (local.get $d) (local.get $a)))
                (local.set $f (call $many (i32.wrap_i64 (local.get $a)) (local.get $b) (i32.wrap_i64 (local.get $c)) (local.get $d)
                  (i32.wrap_i64 (local.get $e)) (local.get $x) (i32.const 9) (global.get $g)))
                (global.set $g (i64.add (global.get $g) (local.get $f)))
                (local.set $h (i64.mul (local.get $e) (local.get $f)))
                (local.set $i (i64.add (local.get $h) (local.get $b)))
                (local.set $j (i64.xor (local.get $i) (local.get $c)))
                (i64.add (i64.add (i64.add (local.get $a) (local.get $b)) (i64.add (local.get $c) (local.get $d)))
                  (i64.add (i64.add (local.get $e) (local.get $f)) (i64.add (local.get $h) (i64.add (local.get $i) (local.get $j))))))
              (func (export "table") (param i32 i64) (result i64)
                (block $b2 (result i64) (block $b1 (result i64) (block $b0 (result i64)
                  (local.get 1) (local.get 0) (br_table $b0 $b1 $b2))
                  (return (i64.add (i64.const 10))))
                  (return (i64.mul (i64.const 3))))
                (i64.sub (i64.const 0)))
              (func (export "memory") (param $p i32) (param $v i64) (result i64)
                (i64.store offset=8 (local.get $p) (local.get $v))
                (i32.store8 offset=3 (local.get $p) (i32.const 0x7f))
                (i64.store (i32.const 64) (i64.load offset=8 (local.get $p)))
                (i64.add (i64.load (i32.const 64))
                  (i64.add (i64.load8_s offset=3 (local.get $p)) (i64.load16_u offset=9 (local.get $p)))))
              (func (export "grow") (param i32) (result i32) (i32.add (memory.grow (local.get 0)) (memory.size))))
            """
        var calls: [(String, [Value])] = []
        for n: UInt32 in [0, 1, 2, 3, 10, 1000] { calls.append(("rotate", [.i32(n), .i64(1), .i64(2), .i64(3)])) }
        for x in Self.longs { calls.append(("pressure", [.i64(UInt64(bitPattern: x))])) }
        for i: UInt32 in [0, 1, 2, 3, 0xFFFF_FFFF] { calls.append(("table", [.i32(i), .i64(21)])) }
        for p: UInt32 in [0, 100, 65520, 65527, 65528, 0xFFFF_FFF0] {
            calls.append(("memory", [.i32(p), .i64(0x1122_3344_5566_7788)]))
        }
        calls += [("grow", [.i32(1)]), ("grow", [.i32(70000)]), ("memory", [.i32(131000), .i64(1)])]
        try agree(wat, calls)
    }

    /// A trap in a function inlined into its caller shows both frames, as the baseline does.
    @Test func trapInInlinedCodeShowsBothFrames() throws {
        let wat = """
            (module (memory 1)
              (func $store (param i32 i64) (i64.store (local.get 0) (local.get 1)))
              (func (export "caller") (param i32) (call $store (local.get 0) (i64.const 1)) (nop)))
            """
        var traces: [[UInt32]] = []
        for configuration in [EngineConfiguration(tier: .jit, compileMode: .eager), Self.optimized] {
            let h = try InterpreterHarness(configuration: configuration, wat)
            do {
                _ = try h.instance.function("caller")!.call([.i32(70000)])
                Issue.record("no trap")
            } catch {
                guard case .trap(let trap) = error else { throw error }
                #expect(trap.code == .outOfBoundsMemoryAccess)
                traces.append(trap.backtrace.map(\.functionIndex))
                #expect(trap.backtrace.allSatisfy { $0.moduleOffset != nil })
            }
        }
        #expect(traces.count == 2)
        #expect(traces.first == [0, 1])
        #expect(traces.last == traces.first)
    }
}
