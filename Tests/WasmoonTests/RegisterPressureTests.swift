import Foundation
import Testing
import Wasmoon

/// The JIT under register pressure: the pattern that crashed it on GCC's cc1 (every
/// value-stack register live when `local.set` needed a scratch), and generated
/// functions that hold many values of both register classes across every kind of
/// instruction (`RegisterPressureGenerator`), run on both tiers: the interpreter is
/// the oracle.
@Suite("JIT register pressure (both tiers)")
struct RegisterPressureTests {
    /// cc1's pattern, reduced: seven i32 values in the seven value-stack GPRs, then a
    /// copy between two unpinned locals and a 64-bit constant stored to one.
    static let cc1Pattern = """
        (module
          (func (export "f") (param $x i32) (result i64)
            (local $a i64) (local $b i64) (local $c i64)
            (local.set $a (i64.const 5))
            (i32.add (local.get $x) (i32.const 1))
            (i32.add (local.get $x) (i32.const 2))
            (i32.add (local.get $x) (i32.const 3))
            (i32.add (local.get $x) (i32.const 4))
            (i32.add (local.get $x) (i32.const 5))
            (i32.add (local.get $x) (i32.const 6))
            (i32.add (local.get $x) (i32.const 7))
            (local.set $b (local.get $a))
            (local.set $c (i64.const 0x123456789abcdef0))
            i32.add i32.add i32.add i32.add i32.add i32.add
            i64.extend_i32_u
            (i64.add (local.get $b))
            (i64.add (local.get $c))))
        """

    @Test(arguments: bothTiers)
    func cc1PatternCompilesAndRuns(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, Self.cc1Pattern)
        // 0x123456789abcdef0 + 5 + (11 + 12 + ... + 17)
        #expect(try h.call("f", .s32(10)) == [.s64(0x1234_5678_9abc_def0 + 5 + 98)])
    }

    /// Found by the generator (seed 30): the sign of the NaN that `sqrt` of a negative
    /// number gives shows through `copysign`. x86's `sqrtss`/`sqrtsd` (the JIT, Wasmtime)
    /// set it; the interpreter returned a positive NaN.
    @Test(arguments: bothTiers)
    func sqrtOfANegativeNumberIsTheNegativeDefaultNaN(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, """
            (module
              (func (export "f32") (param f32) (result f32) (f32.copysign (f32.const 144.375) (f32.sqrt (local.get 0))))
              (func (export "f64") (param f64) (result f64) (f64.copysign (f64.const 2.5) (f64.sqrt (local.get 0))))
              (func (export "bits") (param f64) (result i64) (i64.reinterpret_f64 (f64.sqrt (local.get 0)))))
            """)
        #expect(try h.call("f32", .float(-4)) == [.float(-144.375)])
        #expect(try h.call("f32", .float(-0.0)) == [.float(-144.375)])
        #expect(try h.call("f32", .float(4)) == [.float(144.375)])
        #expect(try h.call("f64", .double(-1e-300)) == [.double(-2.5)])
        #expect(try h.call("f64", .double(9)) == [.double(2.5)])
        #expect(try h.call("bits", .double(-9)) == [.i64(0xfff8_0000_0000_0000)])
    }

    /// What one call returned, comparable across tiers.
    enum Outcome: Equatable, CustomStringConvertible {
        case values([Value])
        case trap(String)
        var description: String {
            switch self {
            case .values(let v): "\(v)"
            case .trap(let m): "trap: \(m)"
            }
        }
    }

    static func outcomes(_ wat: String, tier: Tier, functions: Int, jitTier: JITTier = .baseline) throws -> [Outcome] {
        let h = try InterpreterHarness(
            configuration: EngineConfiguration(tier: tier, compileMode: .eager, jitTier: jitTier), wat)
        let argumentSets: [[Value]] = [
            [.s32(0), .s64(0), .float(0), .double(0)],
            [.s32(-7), .s64(0x7fff_ffff_ffff), .float(1.5), .double(-3.25)],
            [.s32(123_456), .s64(-99), .float(-0.0), .double(1e300)],
        ]
        var result: [Outcome] = []
        for f in 0..<functions {
            for args in argumentSets {
                do {
                    result.append(.values(try h.instance.function("f\(f)")!.call(args)))
                } catch {
                    guard case .trap(let trap) = error else { throw error }
                    result.append(.trap(trap.message))
                }
            }
        }
        result.append(.values(try h.call("checksum")))
        return result
    }

    /// How many seeds each configuration runs: 40 and 100, or `WASMOON_PRESSURE_SEEDS` for a
    /// longer campaign.
    static func seeds(_ base: UInt64, _ count: Int) -> [UInt64] {
        let n = ProcessInfo.processInfo.environment["WASMOON_PRESSURE_SEEDS"].flatMap { Int($0) } ?? count
        return Array(base..<base + UInt64(max(n, 1)))
    }

    /// Modules of 6 functions with 3-8 statements each.
    @Test(arguments: seeds(1, 40))
    func generatedFunctionsAgree(_ seed: UInt64) throws {
        try check(RegisterPressureGenerator(seed: seed), seed: seed, name: "pressure")
    }

    /// Modules of 6 two-statement functions: a failure here is small enough to read.
    @Test(arguments: seeds(100_001, 100))
    func smallGeneratedFunctionsAgree(_ seed: UInt64) throws {
        try check(RegisterPressureGenerator(seed: seed, statements: 2...2), seed: seed, name: "small")
    }

    func check(_ generator: RegisterPressureGenerator, seed: UInt64, name: String) throws {
        var generator = generator
        let functions = 6
        let wat = generator.module(functions: functions)
        // WASMOON_PRESSURE_DUMP=DIR writes each module out (to reproduce a seed with the CLI).
        if let dir = ProcessInfo.processInfo.environment["WASMOON_PRESSURE_DUMP"] {
            try wat.write(toFile: "\(dir)/\(name)-\(seed).wat", atomically: true, encoding: .utf8)
        }
        let interpreted = try Self.outcomes(wat, tier: .interpreter, functions: functions)
        for jitTier in JITTier.allCases {
            let compiled = try Self.outcomes(wat, tier: .jit, functions: functions, jitTier: jitTier)
            #expect(interpreted.count == compiled.count)
            for (i, (a, b)) in zip(interpreted, compiled).enumerated() where a != b {
                Issue.record("seed \(seed), call \(i): interpreter \(a), JIT (\(jitTier)) \(b)")
            }
        }
        // The generated code must do real work, not trap at once everywhere.
        let returned = interpreted.filter { if case .values = $0 { true } else { false } }.count
        #expect(returned * 2 > interpreted.count, "seed \(seed): most calls trapped")
    }

    /// The generator does produce the pressure it is for: more live values than the
    /// value stack has GPRs and XMMs together (7 + 16).
    @Test func generatedFunctionsExceedTheRegisterPools() {
        var generator = RegisterPressureGenerator(seed: 7)
        _ = generator.module(functions: 6)
        #expect(generator.mostLive > 23, "at most \(generator.mostLive) live values")
    }
}
