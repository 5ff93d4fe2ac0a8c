import Foundation
import Testing
import WasmoonWAST
import WasmCore
import WasmJIT
import Wasmoon

/// The JIT on CPUs without the x86-64 extensions it prefers (`CPUFeatures`): clz, ctz,
/// popcnt and rounding through their fallback sequences, against the interpreter, and
/// the spec gate (SIMD included: its sequences that need SSSE3, SSE4.1, SSE4.2 or FMA3 become
/// runtime calls) run with none of the extensions. `SIMDOperationTests` covers each SIMD
/// instruction under several extension sets.
@Suite("JIT CPU features")
struct CPUFeatureTests {
    static let module = """
        (module
          (func (export "clz32") (param i32) (result i32) (i32.clz (local.get 0)))
          (func (export "ctz32") (param i32) (result i32) (i32.ctz (local.get 0)))
          (func (export "popcnt32") (param i32) (result i32) (i32.popcnt (local.get 0)))
          (func (export "clz64") (param i64) (result i64) (i64.clz (local.get 0)))
          (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
          (func (export "popcnt64") (param i64) (result i64) (i64.popcnt (local.get 0)))
          (func (export "ceil32") (param f32) (result f32) (f32.ceil (local.get 0)))
          (func (export "floor32") (param f32) (result f32) (f32.floor (local.get 0)))
          (func (export "trunc32") (param f32) (result f32) (f32.trunc (local.get 0)))
          (func (export "nearest32") (param f32) (result f32) (f32.nearest (local.get 0)))
          (func (export "ceil64") (param f64) (result f64) (f64.ceil (local.get 0)))
          (func (export "floor64") (param f64) (result f64) (f64.floor (local.get 0)))
          (func (export "trunc64") (param f64) (result f64) (f64.trunc (local.get 0)))
          (func (export "nearest64") (param f64) (result f64) (f64.nearest (local.get 0)))
          ;; under register pressure: the fallbacks need temporaries
          (func (export "mixed") (param i64) (result i64)
            (i64.add (i64.add (i64.add (i64.clz (local.get 0)) (i64.ctz (local.get 0)))
                              (i64.add (i64.popcnt (local.get 0)) (i64.extend_i32_u (i32.popcnt (i32.wrap_i64 (local.get 0))))))
                     (i64.add (i64.extend_i32_u (i32.clz (i32.wrap_i64 (local.get 0))))
                              (i64.trunc_sat_f64_s (f64.nearest (f64.convert_i64_s (local.get 0))))))))
        """

    static let integers: [UInt64] = [0, 1, 2, 3, 0x80, 0xFF, 0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x1_0000_0000,
                                     0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0x0123_4567_89AB_CDEF, 0xF0F0_0000_0000_0F0F]
    static let doubles: [Double] = [0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994, 4503599627370495.5,
                                    4503599627370497, -1e300, .infinity, -.infinity, .nan, 1.0000001, -7.999]

    static func results(_ engine: Engine) throws -> [[Value]] {
        let store = Store(engine: engine)
        let instance = try Linker(store: store).instantiate(try CompiledModule(bytes: try TextFormat.wat2wasm(Self.module), engine: engine))
        var out: [[Value]] = []
        func call(_ name: String, _ v: Value) throws { out.append(try instance.function(name)!.call([v])) }
        for x in Self.integers {
            for f in ["clz32", "ctz32", "popcnt32"] { try call(f, .i32(UInt32(truncatingIfNeeded: x))) }
            for f in ["clz64", "ctz64", "popcnt64", "mixed"] { try call(f, .i64(x)) }
        }
        for d in Self.doubles {
            for f in ["ceil32", "floor32", "trunc32", "nearest32"] { try call(f, .f32(Float(d).bitPattern)) }
            for f in ["ceil64", "floor64", "trunc64", "nearest64"] { try call(f, .f64(d.bitPattern)) }
        }
        withExtendedLifetime(store) {}
        return out
    }

    @Test(arguments: [CPUFeatures.baseline, [.lzcnt], [.bmi1, .popcnt], [.sse41], .all])
    func fallbacksAgreeWithTheInterpreter(_ features: CPUFeatures) throws {
        let expected = try Self.results(try Runtime(tier: .interpreter).engine)
        let got = try Self.results(Engine(tier: .jit, backend: JITEngine(features: features.intersection(.host))))
        #expect(got.count == expected.count)
        for (i, (e, g)) in zip(expected, got).enumerated() where e != g {
            Issue.record("[\(features)] call \(i): interpreter \(e), JIT \(g)")
        }
    }

    /// Without the extensions the code has none of their instructions.
    @Test func baselineCodeUsesNoExtension() throws {
        let module = try BinaryDecoder.decode(try TextFormat.wat2wasm(Self.module))
        let baseline = try JITExplorer.listing(module, features: .baseline)
        for mnemonic in ["lzcnt", "tzcnt", "popcnt", "roundss", "roundsd"] {
            #expect(!baseline.contains(mnemonic + " "), "\(mnemonic) in the baseline code")
        }
        #expect(baseline.contains("bsr ") && baseline.contains("bsf "))
        let full = try JITExplorer.listing(module, features: .all)
        for mnemonic in ["lzcnt", "tzcnt", "popcnt", "roundss", "roundsd"] { #expect(full.contains(mnemonic + " ")) }
    }

    @Test func featureListsParse() {
        #expect(CPUFeatures.parse("baseline") == .baseline)
        #expect(CPUFeatures.parse("popcnt, sse4.1") == [.popcnt, .sse41])
        #expect(CPUFeatures.parse("avx512") == nil)
        #expect(CPUFeatures.all.description == "lzcnt,bmi1,popcnt,sse4.1,ssse3,sse4.2,fma")
    }

    /// The whole spec gate on the JIT with none of the extensions (the gate is cheap: a
    /// few seconds per tier).
    @Test(arguments: SharedData.gateFiles().map(\.path) + SharedData.simdGateFiles().map(\.path))
    func specGatePassesOnTheBaseline(_ path: String) throws {
        let runner = WastRunner(engine: Engine(tier: .jit, backend: JITEngine(features: .baseline)))
        let result = runner.run(path: path)
        let unexpected = result.failures.filter { !SharedData.isKnownSpecFailure(URL(fileURLWithPath: path), line: $0.line) }
        #expect(unexpected.isEmpty, "\((path as NSString).lastPathComponent): \(unexpected.prefix(5))")
    }
}
