import WasmCore

/// Numeric semantics written once for both engines: wasm's float operations, the ranges a
/// float-to-integer truncation accepts, saturation, rotations. Everything is `@inlinable` so the
/// interpreter's handlers compile to the same code as when it was their own.

/// Rotations by `k` (taken modulo the width, as wasm does).
@_spi(Engine) @inlinable @inline(__always) public func rotl32(_ x: UInt32, _ k: UInt64) -> UInt32 {
    (x &<< UInt32(truncatingIfNeeded: k)) | (x &>> (32 &- UInt32(truncatingIfNeeded: k)))
}
@_spi(Engine) @inlinable @inline(__always) public func rotl64(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }

/// Float operations with wasm semantics that differ from Swift's operators or would call libm
/// (the interpreter's dispatch loop must stay call-free). The interpreter runs them; the JIT
/// calls them where it has no instruction sequence (rounding without SSE4.1), and SIMD lanes
/// reuse them.
@_spi(Engine) public enum FloatOps {
    /// wasm `fmin`: NaN if either is NaN, and -0 < +0.
    @inlinable @inline(__always) public static func min<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    /// wasm `fmax`: NaN if either is NaN, and +0 > -0.
    @inlinable @inline(__always) public static func max<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    // Rounding without libm calls (the dispatch loop must stay call-free).
    // Below 2^52 a double converts to Int64 exactly after truncation; at or
    // above, it is already integral (or infinite, or NaN: `x + x` quiets it).

    @inlinable @inline(__always) public static func trunc(_ x: Double) -> Double {
        guard Swift.abs(x) < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        return Double(signOf: x, magnitudeOf: Double(Int64(x)))
    }
    @inlinable @inline(__always) public static func floor(_ x: Double) -> Double {
        guard Swift.abs(x) < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        let t = Double(signOf: x, magnitudeOf: Double(Int64(x)))
        return t > x ? t - 1 : t
    }
    @inlinable @inline(__always) public static func ceil(_ x: Double) -> Double {
        guard Swift.abs(x) < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        let t = Double(signOf: x, magnitudeOf: Double(Int64(x)))
        return t < x ? t + 1 : t
    }
    /// Round half to even: adding and subtracting 2^52 rounds in the default mode.
    @inlinable @inline(__always) public static func nearest(_ x: Double) -> Double {
        let a = Swift.abs(x)
        guard a < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        return Double(signOf: x, magnitudeOf: (a + 4503599627370496.0) - 4503599627370496.0)
    }
    /// `squareRoot()` calls libm for negative and NaN inputs (errno); answer those here.
    /// A negative input gives the x86 default NaN, whose sign bit is set (what `sqrtsd`
    /// returns in the JIT and in Wasmtime): the sign is observable through `copysign`.
    @inlinable @inline(__always) public static func sqrt(_ x: Double) -> Double {
        guard x >= 0 else { return x.isNaN ? x + x : -Double.nan }
        return x.squareRoot()
    }
    @inlinable @inline(__always) public static func sqrt(_ x: Float) -> Float {
        guard x >= 0 else { return x.isNaN ? x + x : -Float.nan }
        return x.squareRoot()
    }
    // f32 rounding goes through f64: exact for every f32 value.
    @inlinable @inline(__always) public static func trunc(_ x: Float) -> Float { Float(trunc(Double(x))) }
    @inlinable @inline(__always) public static func floor(_ x: Float) -> Float { Float(floor(Double(x))) }
    @inlinable @inline(__always) public static func ceil(_ x: Float) -> Float { Float(ceil(Double(x))) }
    @inlinable @inline(__always) public static func nearest(_ x: Float) -> Float { Float(nearest(Double(x))) }

    // Sign operations act on the bits so NaN payloads survive.
    @inlinable @inline(__always) public static func abs32(_ s: UInt64) -> UInt64 { s & 0x7FFF_FFFF }
    @inlinable @inline(__always) public static func neg32(_ s: UInt64) -> UInt64 { (s ^ 0x8000_0000) & 0xFFFF_FFFF }
    @inlinable @inline(__always) public static func copysign32(_ a: UInt64, _ b: UInt64) -> UInt64 { (a & 0x7FFF_FFFF) | (b & 0x8000_0000) }
    @inlinable @inline(__always) public static func abs64(_ s: UInt64) -> UInt64 { s & 0x7FFF_FFFF_FFFF_FFFF }
    @inlinable @inline(__always) public static func neg64(_ s: UInt64) -> UInt64 { s ^ 0x8000_0000_0000_0000 }
    @inlinable @inline(__always) public static func copysign64(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a & 0x7FFF_FFFF_FFFF_FFFF) | (b & 0x8000_0000_0000_0000)
    }
}

/// The floats a trapping float-to-integer truncation (`i32.trunc_f64_s`, …) accepts: those whose
/// integral part fits the target. NaN is outside every range (it traps as an invalid conversion,
/// the rest as an overflow). Bounds are exact in f32 and f64, so one range serves both sources.
@_spi(Engine) public struct TruncationRange: Sendable {
    /// The bound below: the smallest accepted value when `lowerInclusive`, else the largest rejected one.
    public let lower: Double
    public let lowerInclusive: Bool
    /// The smallest rejected value above.
    public let upper: Double

    @inlinable init(lower: Double, lowerInclusive: Bool, upper: Double) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
    }

    /// The range of a truncation to i32 or i64, signed or not, from f32 (`fromF64` false) or f64.
    @inlinable @inline(__always)
    public static func of(to64 wide: Bool, signed: Bool, fromF64: Bool) -> TruncationRange {
        switch (wide, signed) {
        case (false, true):
            // An f64 can hold -2147483648.5, which truncates to Int32.min; an f32 cannot.
            fromF64
                ? TruncationRange(lower: -2147483649.0, lowerInclusive: false, upper: 2147483648.0)
                : TruncationRange(lower: -2147483648.0, lowerInclusive: true, upper: 2147483648.0)
        case (true, true): TruncationRange(lower: -9223372036854775808.0, lowerInclusive: true, upper: 9223372036854775808.0)
        case (false, false): TruncationRange(lower: -1.0, lowerInclusive: false, upper: 4294967296.0)
        case (true, false): TruncationRange(lower: -1.0, lowerInclusive: false, upper: 18446744073709551616.0)
        }
    }

    /// Whether `x` truncates to an integer of the target (false for NaN).
    @inlinable @inline(__always) public func contains(_ x: Double) -> Bool {
        (lowerInclusive ? x >= lower : x > lower) && x < upper
    }

    /// Whether `x` is below the range (false for NaN).
    @inlinable @inline(__always) public func isBelow(_ x: Double) -> Bool {
        lowerInclusive ? x < lower : x <= lower
    }
}

/// Saturating float-to-int conversions (`trunc_sat`): NaN gives 0, values below the target's
/// range its minimum, above its maximum. Results are slot bits (i32 zero-extended).
@_spi(Engine) public enum SaturatingTrunc {
    @inlinable @inline(__always) public static func i32s(_ d: Double) -> UInt64 {
        let range = TruncationRange.of(to64: false, signed: true, fromF64: true)
        if d.isNaN { return 0 }
        if range.isBelow(d) { return UInt64(UInt32(bitPattern: Int32.min)) }
        if d >= range.upper { return UInt64(UInt32(bitPattern: Int32.max)) }
        return UInt64(UInt32(bitPattern: Int32(d)))
    }
    @inlinable @inline(__always) public static func i32u(_ d: Double) -> UInt64 {
        let range = TruncationRange.of(to64: false, signed: false, fromF64: true)
        if !(d > range.lower) { return 0 }
        if d >= range.upper { return UInt64(UInt32.max) }
        return UInt64(UInt32(d))
    }
    @inlinable @inline(__always) public static func i64s(_ d: Double) -> UInt64 {
        let range = TruncationRange.of(to64: true, signed: true, fromF64: true)
        if d.isNaN { return 0 }
        if range.isBelow(d) { return UInt64(bitPattern: Int64.min) }
        if d >= range.upper { return UInt64(bitPattern: Int64.max) }
        return UInt64(bitPattern: Int64(d))
    }
    @inlinable @inline(__always) public static func i64u(_ d: Double) -> UInt64 {
        let range = TruncationRange.of(to64: true, signed: false, fromF64: true)
        if !(d > range.lower) { return 0 }
        if d >= range.upper { return UInt64.max }
        return UInt64(d)
    }
}
