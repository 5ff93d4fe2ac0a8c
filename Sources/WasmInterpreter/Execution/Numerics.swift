@_spi(Engine) import WasmRuntime

/// Slot conversions: slots hold i32/f32 zero-extended. The numeric semantics both engines
/// share (`FloatOps`, `TruncationRange`, `SaturatingTrunc`, rotations) are in WasmRuntime.
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
