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
