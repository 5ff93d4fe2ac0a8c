import WasmRuntime

/// Slot conversions and the float operations whose wasm semantics differ
/// from a single Swift operator. Slots hold i32/f32 zero-extended.
@inline(__always) func u32(_ s: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: s) }
@inline(__always) func s32(_ s: UInt64) -> Int32 { Int32(truncatingIfNeeded: s) }
@inline(__always) func s64(_ s: UInt64) -> Int64 { Int64(bitPattern: s) }
@inline(__always) func f32(_ s: UInt64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: s)) }
@inline(__always) func f64(_ s: UInt64) -> Double { Double(bitPattern: s) }
@inline(__always) func slot(_ v: UInt32) -> UInt64 { UInt64(v) }
@inline(__always) func slot(_ v: Int32) -> UInt64 { UInt64(UInt32(bitPattern: v)) }
@inline(__always) func slot(_ v: Int64) -> UInt64 { UInt64(bitPattern: v) }
@inline(__always) func slot(_ v: Float) -> UInt64 { UInt64(v.bitPattern) }
@inline(__always) func slot(_ v: Double) -> UInt64 { v.bitPattern }
@inline(__always) func slot(_ b: Bool) -> UInt64 { b ? 1 : 0 }
/// Rotations by `k` (taken modulo the width, as wasm does).
@inline(__always) func rotl32(_ x: UInt32, _ k: UInt64) -> UInt32 { (x &<< UInt32(truncatingIfNeeded: k)) | (x &>> (32 &- UInt32(truncatingIfNeeded: k))) }
@inline(__always) func rotl64(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }

/// Float operations with wasm semantics that differ from Swift's operators or
/// would call libm (the dispatch loop must stay call-free).
enum FloatOps {
    /// wasm `fmin`: NaN if either is NaN, and -0 < +0.
    @inline(__always) static func min<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    /// wasm `fmax`: NaN if either is NaN, and +0 > -0.
    @inline(__always) static func max<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    // Rounding without libm calls (the dispatch loop must stay call-free).
    // Below 2^52 a double converts to Int64 exactly after truncation; at or
    // above, it is already integral (or infinite, or NaN: `x + x` quiets it).

    @inline(__always) static func trunc(_ x: Double) -> Double {
        guard Swift.abs(x) < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        return Double(signOf: x, magnitudeOf: Double(Int64(x)))
    }
    @inline(__always) static func floor(_ x: Double) -> Double {
        guard Swift.abs(x) < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        let t = Double(signOf: x, magnitudeOf: Double(Int64(x)))
        return t > x ? t - 1 : t
    }
    @inline(__always) static func ceil(_ x: Double) -> Double {
        guard Swift.abs(x) < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        let t = Double(signOf: x, magnitudeOf: Double(Int64(x)))
        return t < x ? t + 1 : t
    }
    /// Round half to even: adding and subtracting 2^52 rounds in the default mode.
    @inline(__always) static func nearest(_ x: Double) -> Double {
        let a = Swift.abs(x)
        guard a < 4503599627370496.0 else { return x.isNaN ? x + x : x }
        return Double(signOf: x, magnitudeOf: (a + 4503599627370496.0) - 4503599627370496.0)
    }
    /// `squareRoot()` calls libm for negative and NaN inputs (errno); answer those here.
    /// A negative input gives the x86 default NaN, whose sign bit is set (what `sqrtsd`
    /// returns in the JIT and in Wasmtime): the sign is observable through `copysign`.
    @inline(__always) static func sqrt(_ x: Double) -> Double {
        guard x >= 0 else { return x.isNaN ? x + x : -Double.nan }
        return x.squareRoot()
    }
    @inline(__always) static func sqrt(_ x: Float) -> Float {
        guard x >= 0 else { return x.isNaN ? x + x : -Float.nan }
        return x.squareRoot()
    }
    // f32 rounding goes through f64: exact for every f32 value.
    @inline(__always) static func trunc(_ x: Float) -> Float { Float(trunc(Double(x))) }
    @inline(__always) static func floor(_ x: Float) -> Float { Float(floor(Double(x))) }
    @inline(__always) static func ceil(_ x: Float) -> Float { Float(ceil(Double(x))) }
    @inline(__always) static func nearest(_ x: Float) -> Float { Float(nearest(Double(x))) }

    // Sign operations act on the bits so NaN payloads survive.
    @inline(__always) static func abs32(_ s: UInt64) -> UInt64 { s & 0x7FFF_FFFF }
    @inline(__always) static func neg32(_ s: UInt64) -> UInt64 { (s ^ 0x8000_0000) & 0xFFFF_FFFF }
    @inline(__always) static func copysign32(_ a: UInt64, _ b: UInt64) -> UInt64 { (a & 0x7FFF_FFFF) | (b & 0x8000_0000) }
    @inline(__always) static func abs64(_ s: UInt64) -> UInt64 { s & 0x7FFF_FFFF_FFFF_FFFF }
    @inline(__always) static func neg64(_ s: UInt64) -> UInt64 { s ^ 0x8000_0000_0000_0000 }
    @inline(__always) static func copysign64(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a & 0x7FFF_FFFF_FFFF_FFFF) | (b & 0x8000_0000_0000_0000)
    }
}

/// Saturating float → int conversions (`trunc_sat`).
enum SaturatingTrunc {
    @inline(__always) static func i32s(_ d: Double) -> UInt64 {
        if d.isNaN { return 0 }
        if d <= -2147483648.0 { return slot(Int32.min) }
        if d >= 2147483647.0 { return slot(Int32.max) }
        return slot(Int32(d))
    }
    @inline(__always) static func i32u(_ d: Double) -> UInt64 {
        if !(d > -1.0) { return 0 }
        if d >= 4294967295.0 { return slot(UInt32.max) }
        return slot(UInt32(d))
    }
    @inline(__always) static func i64s(_ d: Double) -> UInt64 {
        if d.isNaN { return 0 }
        if d <= -9223372036854775808.0 { return slot(Int64.min) }
        if d >= 9223372036854775808.0 { return slot(Int64.max) }
        return slot(Int64(d))
    }
    @inline(__always) static func i64u(_ d: Double) -> UInt64 {
        if !(d > -1.0) { return 0 }
        if d >= 18446744073709551616.0 { return UInt64.max }
        return UInt64(d)
    }
}
