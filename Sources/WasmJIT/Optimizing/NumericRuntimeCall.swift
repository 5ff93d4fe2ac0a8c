@_spi(Engine) import WasmRuntime
import WasmCore

/// The numeric operators the optimizing tier leaves to the runtime: the ones with no short
/// x86 sequence (float→int truncations, which trap or saturate; u64→float; wasm's min/max
/// with their NaN and signed-zero rules) and the ones whose instruction this CPU lacks (bit
/// counts, rounding). Same semantics as the interpreter's, from the shared `FloatOps`,
/// `TruncationRange` and `SaturatingTrunc`.
enum NumericRuntimeCall {
    /// `(ctx, op, a, b, result*) -> trap code or 0`.
    typealias Entry = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt64, UInt64, UnsafeMutablePointer<UInt64>) -> UInt32

    static let address: UInt = Helpers.address({ (_, op, a, b, result) in
        guard let op = NumericOp(rawValue: UInt8(truncatingIfNeeded: op)) else { return UInt32(TrapCode.unreachable.rawValue) }
        switch evaluate(op, a, b) {
        case .success(let bits):
            result.pointee = bits
            return 0
        case .failure(let trap): return UInt32(trap.code.rawValue)
        }
    } as Entry)

    /// A trap code as an error.
    struct Failure: Error { let code: TrapCode }

    static func f32(_ bits: UInt64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: bits)) }
    static func f64(_ bits: UInt64) -> Double { Double(bitPattern: bits) }
    static func bits(_ x: Float) -> UInt64 { UInt64(x.bitPattern) }
    static func bits(_ x: Double) -> UInt64 { x.bitPattern }

    /// A trapping truncation of `x` to the target's integers (slot bits: an i32 zero-extended).
    static func truncate(_ x: Double, to64: Bool, signed: Bool, fromF64: Bool) -> Result<UInt64, Failure> {
        if x.isNaN { return .failure(Failure(code: .invalidConversionToInteger)) }
        guard TruncationRange.of(to64: to64, signed: signed, fromF64: fromF64).contains(x) else {
            return .failure(Failure(code: .integerOverflow))
        }
        switch (to64, signed) {
        case (false, true): return .success(UInt64(UInt32(bitPattern: Int32(x))))
        case (false, false): return .success(UInt64(UInt32(x)))
        case (true, true): return .success(UInt64(bitPattern: Int64(x)))
        case (true, false): return .success(UInt64(x))
        }
    }

    static func evaluate(_ op: NumericOp, _ a: UInt64, _ b: UInt64) -> Result<UInt64, Failure> {
        switch op {
        case .i32Clz: return .success(UInt64(UInt32(truncatingIfNeeded: a).leadingZeroBitCount))
        case .i32Ctz: return .success(UInt64(UInt32(truncatingIfNeeded: a).trailingZeroBitCount))
        case .i32Popcnt: return .success(UInt64(UInt32(truncatingIfNeeded: a).nonzeroBitCount))
        case .i64Clz: return .success(UInt64(a.leadingZeroBitCount))
        case .i64Ctz: return .success(UInt64(a.trailingZeroBitCount))
        case .i64Popcnt: return .success(UInt64(a.nonzeroBitCount))
        case .f32Ceil: return .success(bits(FloatOps.ceil(f32(a))))
        case .f32Floor: return .success(bits(FloatOps.floor(f32(a))))
        case .f32Trunc: return .success(bits(FloatOps.trunc(f32(a))))
        case .f32Nearest: return .success(bits(FloatOps.nearest(f32(a))))
        case .f64Ceil: return .success(bits(FloatOps.ceil(f64(a))))
        case .f64Floor: return .success(bits(FloatOps.floor(f64(a))))
        case .f64Trunc: return .success(bits(FloatOps.trunc(f64(a))))
        case .f64Nearest: return .success(bits(FloatOps.nearest(f64(a))))
        case .f32Min: return .success(bits(FloatOps.min(f32(a), f32(b))))
        case .f32Max: return .success(bits(FloatOps.max(f32(a), f32(b))))
        case .f64Min: return .success(bits(FloatOps.min(f64(a), f64(b))))
        case .f64Max: return .success(bits(FloatOps.max(f64(a), f64(b))))
        case .i32TruncF32S: return truncate(Double(f32(a)), to64: false, signed: true, fromF64: false)
        case .i32TruncF32U: return truncate(Double(f32(a)), to64: false, signed: false, fromF64: false)
        case .i32TruncF64S: return truncate(f64(a), to64: false, signed: true, fromF64: true)
        case .i32TruncF64U: return truncate(f64(a), to64: false, signed: false, fromF64: true)
        case .i64TruncF32S: return truncate(Double(f32(a)), to64: true, signed: true, fromF64: false)
        case .i64TruncF32U: return truncate(Double(f32(a)), to64: true, signed: false, fromF64: false)
        case .i64TruncF64S: return truncate(f64(a), to64: true, signed: true, fromF64: true)
        case .i64TruncF64U: return truncate(f64(a), to64: true, signed: false, fromF64: true)
        case .i32TruncSatF32S: return .success(SaturatingTrunc.i32s(Double(f32(a))))
        case .i32TruncSatF32U: return .success(SaturatingTrunc.i32u(Double(f32(a))))
        case .i32TruncSatF64S: return .success(SaturatingTrunc.i32s(f64(a)))
        case .i32TruncSatF64U: return .success(SaturatingTrunc.i32u(f64(a)))
        case .i64TruncSatF32S: return .success(SaturatingTrunc.i64s(Double(f32(a))))
        case .i64TruncSatF32U: return .success(SaturatingTrunc.i64u(Double(f32(a))))
        case .i64TruncSatF64S: return .success(SaturatingTrunc.i64s(f64(a)))
        case .i64TruncSatF64U: return .success(SaturatingTrunc.i64u(f64(a)))
        case .f32ConvertI64U: return .success(bits(Float(a)))
        case .f64ConvertI64U: return .success(bits(Double(a)))
        default: return .failure(Failure(code: .unreachable))  // never routed here (usesRuntimeCall)
        }
    }
}
