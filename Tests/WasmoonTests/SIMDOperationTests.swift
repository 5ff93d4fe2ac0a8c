import Foundation
import Testing
import WasmCore
import WasmJIT
@_spi(Engine) import WasmRuntime
import Wasmoon

/// Every SIMD instruction of the table, on both tiers and on the JIT with fewer CPU extensions
/// (other sequences, or the runtime call), against `VectorSemantics` computed directly: random
/// lanes mixed with the edge cases of every lane shape (NaNs of both signs, ±0, ±inf, integer
/// bounds as floats, halves for rounding, the minimum integers), constant operands (shift
/// counts, splats) as well as register ones, every lane of the lane instructions.
@Suite("SIMD operations against VectorSemantics")
struct SIMDOperationTests {
    /// One exported function of the test module.
    struct Probe {
        enum Kind {
            case vector(VectorOp)
            case lane(VectorLaneOp, Int)
            /// A shift by the constant count, or a splat of the constant.
            case constant(VectorOp, UInt64)
        }
        var kind: Kind
        var params: [ValueType]
        var result: ValueType
    }

    static let probes: [Probe] = {
        var out: [Probe] = []
        for op in VectorOp.allCases {
            let sig = op.signature
            out.append(Probe(kind: .vector(op), params: sig.operands, result: sig.result))
            if sig.operands == [.v128, .i32] {
                for count: UInt64 in [0, 1, 3, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 0xFFFF_FFFF] {
                    out.append(Probe(kind: .constant(op, count), params: [.v128], result: .v128))
                }
            }
            if sig.operands.count == 1, sig.operands[0] != .v128 {
                for value: UInt64 in [0, 0x1FF, 0x8000_0001, 0xFFFF_FFFF_FFFF_FFFF, 0x7FC0_0001] {
                    out.append(Probe(kind: .constant(op, value), params: [], result: .v128))
                }
            }
        }
        for op in VectorLaneOp.allCases {
            let lanes = op.name.hasPrefix("i8x16") ? 16 : op.name.hasPrefix("i16x8") ? 8 : op.name.hasPrefix("i64x2") || op.name.hasPrefix("f64x2") ? 2 : 4
            for lane in 0..<lanes {
                let sig = op.signature
                out.append(Probe(kind: .lane(op, lane), params: sig.operands, result: sig.result))
            }
        }
        return out
    }()

    static func constantText(_ op: VectorOp, _ value: UInt64) -> String {
        switch op.signature.operands[0] {
        case .i64: "(i64.const \(Int64(bitPattern: value)))"
        case .f32: "(f32.const nan:0x\(String(value & 0x7F_FFFF | 1, radix: 16)))"
        case .f64: "(f64.const \(Double(Int64(bitPattern: value))))"
        default: "(i32.const \(Int32(truncatingIfNeeded: value)))"
        }
    }

    static let module: String = {
        var text = "(module\n"
        for (i, p) in probes.enumerated() {
            let params = p.params.map(\.description).joined(separator: " ")
            let gets = p.params.indices.map { "(local.get \($0))" }.joined(separator: " ")
            let body: String
            switch p.kind {
            case .vector(let op): body = "(\(op.name) \(gets))"
            case .lane(let op, let lane): body = "(\(op.name) \(lane) \(gets))"
            case .constant(let op, let value):
                if op.signature.operands.count == 2 {
                    body = "(\(op.name) (local.get 0) (i32.const \(Int32(truncatingIfNeeded: value))))"
                } else {
                    body = "(\(op.name) \(constantText(op, value)))"
                }
            }
            let paramClause = params.isEmpty ? "" : "(param \(params)) "
            text += "  (func (export \"f\(i)\") \(paramClause)(result \(p.result)) \(body))\n"
        }
        return text + ")"
    }()

    // MARK: Inputs

    static let special32: [UInt32] = [
        0, 0x8000_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFFA0_0000, 0x7F80_0000, 0xFF80_0000, 0x3F80_0000,
        0xBF80_0000, 0x3F00_0000, 0x3FC0_0000, 0x4020_0000, 0xBFC0_0000, 0x4F00_0000, 0x4EFF_FFFF, 0xCF00_0000,
        0xCF00_0001, 0x4F80_0000, 0x4F7F_FFFF, 0x0000_0001, 0x7F7F_FFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x0000_8000,
        0x8000_8000, 0x7FFF_8000, 0x0080_0080, 0x807F_7F80, 0xFFFF_0000, 0x0001_0001, 0x4B00_0001, 0x5F00_0000,
    ]
    static let special64: [UInt64] = [
        0, 0x8000_0000_0000_0000, 0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001,
        0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, (1.5 as Double).bitPattern, (-2.5 as Double).bitPattern,
        (0.5 as Double).bitPattern, (2147483647.0 as Double).bitPattern, (2147483647.5 as Double).bitPattern,
        (2147483648.0 as Double).bitPattern, (-2147483648.0 as Double).bitPattern,
        (-2147483648.9 as Double).bitPattern, (-2147483649.0 as Double).bitPattern, (4294967295.0 as Double).bitPattern,
        (4294967295.5 as Double).bitPattern, (4294967296.0 as Double).bitPattern, (-0.9 as Double).bitPattern,
        (4503599627370497.0 as Double).bitPattern, 1, 0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0x0000_0000_FFFF_FFFF, 0x8000_0000_7FFF_FFFF,
    ]

    static func vector(_ g: inout SplitMix64) -> V128 {
        switch g.next() % 4 {
        case 0: return V128(low: g.next(), high: g.next())
        case 1:
            func lane(_ g: inout SplitMix64) -> UInt64 {
                g.next() % 3 == 0 ? UInt64(UInt32(truncatingIfNeeded: g.next())) : UInt64(special32[Int(g.next() % UInt64(special32.count))])
            }
            return V128(low: lane(&g) | lane(&g) << 32, high: lane(&g) | lane(&g) << 32)
        case 2:
            func lane(_ g: inout SplitMix64) -> UInt64 {
                g.next() % 3 == 0 ? g.next() : special64[Int(g.next() % UInt64(special64.count))]
            }
            return V128(low: lane(&g), high: lane(&g))
        default:
            // Bytes and 16-bit lanes at their bounds.
            let pool: [UInt64] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x81]
            var bytes: [UInt8] = []
            for _ in 0..<16 { bytes.append(UInt8(pool[Int(g.next() % UInt64(pool.count))])) }
            return V128(bytes: bytes)
        }
    }

    static func scalar(_ type: ValueType, _ g: inout SplitMix64) -> Value {
        switch type {
        case .i32: .i32(g.next() % 2 == 0 ? UInt32(truncatingIfNeeded: g.next()) : special32[Int(g.next() % UInt64(special32.count))])
        case .f32: .f32(special32[Int(g.next() % UInt64(special32.count))])
        case .i64: .i64(g.next() % 2 == 0 ? g.next() : special64[Int(g.next() % UInt64(special64.count))])
        case .f64: .f64(special64[Int(g.next() % UInt64(special64.count))])
        default: .v128(vector(&g))
        }
    }

    // MARK: Expected results

    /// Slot bits of a scalar, as `VectorSemantics` takes them.
    static func bits(_ v: Value) -> UInt64 {
        switch v {
        case .i32(let x): UInt64(x)
        case .f32(let x): UInt64(x)
        case .i64(let x): x
        case .f64(let x): x
        default: 0
        }
    }

    static func expected(_ p: Probe, _ args: [Value]) -> Value {
        var memory = [UInt8](repeating: 0, count: 4 * 16)
        var operands = args
        var lane = 0
        var vectorOp: VectorOp? = nil, laneOp: VectorLaneOp? = nil
        switch p.kind {
        case .vector(let op): vectorOp = op
        case .lane(let op, let l): laneOp = op; lane = l
        case .constant(let op, let value):
            vectorOp = op
            let type = op.signature.operands.last!
            let constant: Value = switch type {
            case .i64: .i64(value)
            case .f32: .f32(0x7F80_0000 | UInt32(value & 0x7F_FFFF | 1))
            case .f64: .f64(Double(Int64(bitPattern: value)).bitPattern)
            default: .i32(UInt32(truncatingIfNeeded: value))
            }
            operands.append(constant)
        }
        return memory.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            for (i, v) in operands.enumerated() {
                if case .v128(let x) = v { VectorSemantics.put(x, base + 16 * i) } else { VectorSemantics.put(bits(v), base + 16 * i) }
            }
            let result = base + 48
            if let vectorOp { VectorSemantics.apply(vectorOp, base, base + 16, base + 32, to: result) }
            if let laneOp { VectorSemantics.apply(laneOp, lane: lane, base, base + 16, base + 32, to: result) }
            if p.result == .v128 { return .v128(VectorSemantics.vector(result)) }
            return RawValue.decode(VectorSemantics.scalar(result), as: p.result)
        }
    }

    /// Float lanes whose NaN bits may differ (wasm leaves them open): the lane width, or nil
    /// when every bit must match.
    static func nanLaneBits(_ p: Probe) -> Int? {
        guard case .vector(let op) = p.kind else {
            if case .lane(let op, _) = p.kind { return op == .f32x4ExtractLane ? 32 : op == .f64x2ExtractLane ? 64 : nil }
            return nil
        }
        switch op {
        // Every other float result, NaNs included, is bit for bit the same on both tiers
        // (the x86 instructions' NaN rules, which VectorSemantics follows): only the
        // arithmetic whose NaN rules `VectorSemantics` does not write out may differ.
        case .f32x4Add, .f32x4Sub, .f32x4Mul, .f32x4Div, .f32x4Sqrt, .f32x4Ceil, .f32x4Floor, .f32x4Trunc,
            .f32x4Nearest, .f32x4DemoteF64x2Zero:
            return 32
        case .f64x2Add, .f64x2Sub, .f64x2Mul, .f64x2Div, .f64x2Sqrt, .f64x2Ceil, .f64x2Floor, .f64x2Trunc,
            .f64x2Nearest, .f64x2PromoteLowF32x4:
            return 64
        default:
            return nil
        }
    }

    static func same(_ got: Value, _ want: Value, nanLanes: Int?) -> Bool {
        guard let width = nanLanes, case .v128(let g) = got, case .v128(let w) = want else { return got == want }
        for half in [(g.low, w.low), (g.high, w.high)] {
            for shift in stride(from: 0, to: 64, by: width) {
                let mask: UInt64 = width == 64 ? .max : 0xFFFF_FFFF
                let a = (half.0 >> UInt64(shift)) & mask, b = (half.1 >> UInt64(shift)) & mask
                let isNaN: (UInt64) -> Bool = width == 64
                    ? { Double(bitPattern: $0).isNaN } : { Float(bitPattern: UInt32($0)).isNaN }
                if isNaN(a) || isNaN(b) {
                    if isNaN(a) != isNaN(b) { return false }
                } else if a != b {
                    return false
                }
            }
        }
        return true
    }

    // MARK: Tests

    enum Configuration: String, CaseIterable, CustomTestStringConvertible {
        case interpreter, jit, jitSSSE3SSE41, jitSSSE3, jitBaseline
        var testDescription: String { rawValue }

        func engine() throws -> Engine {
            switch self {
            case .interpreter: try Runtime(tier: .interpreter).engine
            case .jit: Engine(tier: .jit, backend: JITEngine(features: .host, compileMode: .eager))
            case .jitSSSE3SSE41: Engine(tier: .jit, backend: JITEngine(features: CPUFeatures([.ssse3, .sse41]).intersection(.host), compileMode: .eager))
            case .jitSSSE3: Engine(tier: .jit, backend: JITEngine(features: CPUFeatures.ssse3.intersection(.host), compileMode: .eager))
            case .jitBaseline: Engine(tier: .jit, backend: JITEngine(features: .baseline, compileMode: .eager))
            }
        }
    }

    @Test(arguments: Configuration.allCases)
    func everyOperationMatches(_ configuration: Configuration) throws {
        let engine = try configuration.engine()
        let store = Store(engine: engine)
        let instance = try Linker(store: store).instantiate(
            try CompiledModule(bytes: try TextFormat.wat2wasm(Self.module), engine: engine))
        var g = SplitMix64(seed: 20261205)
        var failures = 0
        for (i, p) in Self.probes.enumerated() {
            let f = try #require(instance.function("f\(i)"))
            let rounds = p.params.isEmpty ? 1 : 48
            for _ in 0..<rounds {
                let args = p.params.map { Self.scalar($0, &g) }
                let got = try f.call(args)
                let want = Self.expected(p, args)
                if got.count != 1 || !Self.same(got[0], want, nanLanes: Self.nanLaneBits(p)) {
                    failures += 1
                    if failures <= 20 {
                        Issue.record("[\(configuration)] \(p.kind) \(args.map { ValueFormat.format($0) }): got \(got.map { ValueFormat.format($0) }), want \(ValueFormat.format(want))")
                    }
                }
            }
        }
        #expect(failures == 0)
        withExtendedLifetime(store) {}
    }
}
