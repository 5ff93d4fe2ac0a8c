import WasmCore

/// Float lanes: arithmetic, comparisons, wasm's min/max and the pseudo-min/max, rounding,
/// conversions, and the relaxed float operations. Lane by lane, each is the scalar
/// instruction's semantics (`FloatOps`, `SaturatingTrunc`); abs and neg act on bits (NaN
/// payloads survive).
extension VectorSemantics {
    // MARK: Sign bits

    @inlinable @inline(__always) public static func f32x4Abs(_ a: V128) -> V128 {
        V128(low: a.low & 0x7FFF_FFFF_7FFF_FFFF, high: a.high & 0x7FFF_FFFF_7FFF_FFFF)
    }
    @inlinable @inline(__always) public static func f32x4Neg(_ a: V128) -> V128 {
        V128(low: a.low ^ 0x8000_0000_8000_0000, high: a.high ^ 0x8000_0000_8000_0000)
    }
    @inlinable @inline(__always) public static func f64x2Abs(_ a: V128) -> V128 {
        V128(low: a.low & 0x7FFF_FFFF_FFFF_FFFF, high: a.high & 0x7FFF_FFFF_FFFF_FFFF)
    }
    @inlinable @inline(__always) public static func f64x2Neg(_ a: V128) -> V128 {
        V128(low: a.low ^ 0x8000_0000_0000_0000, high: a.high ^ 0x8000_0000_0000_0000)
    }

    // MARK: Arithmetic

    @inlinable @inline(__always) public static func f32x4Add(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F32.self) + b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Sub(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F32.self) - b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Mul(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F32.self) * b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Div(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F32.self) / b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f64x2Add(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F64.self) + b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Sub(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F64.self) - b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Mul(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F64.self) * b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Div(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(F64.self) / b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f32x4Sqrt(_ a: V128) -> V128 { map(a, F32.self) { FloatOps.sqrt($0) } }
    @inlinable @inline(__always) public static func f64x2Sqrt(_ a: V128) -> V128 { map(a, F64.self) { FloatOps.sqrt($0) } }

    // MARK: Min, max

    // wasm's min/max with the NaN bits the JIT's sequences produce (and Cranelift's, so
    // Wasmtime's): a NaN lane of min is the canonical NaN with the sign bit set; of max, the
    // canonical NaN with the sign bit of either operand.
    @inlinable @inline(__always) static func min32(_ a: Float, _ b: Float) -> Float {
        a.isNaN || b.isNaN ? Float(bitPattern: 0xFFC0_0000) : FloatOps.min(a, b)
    }
    @inlinable @inline(__always) static func max32(_ a: Float, _ b: Float) -> Float {
        guard a.isNaN || b.isNaN else { return FloatOps.max(a, b) }
        return Float(bitPattern: 0x7FC0_0000 | ((a.bitPattern | b.bitPattern) & 0x8000_0000))
    }
    @inlinable @inline(__always) static func min64(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? Double(bitPattern: 0xFFF8_0000_0000_0000) : FloatOps.min(a, b)
    }
    @inlinable @inline(__always) static func max64(_ a: Double, _ b: Double) -> Double {
        guard a.isNaN || b.isNaN else { return FloatOps.max(a, b) }
        return Double(bitPattern: 0x7FF8_0000_0000_0000 | ((a.bitPattern | b.bitPattern) & 0x8000_0000_0000_0000))
    }
    @inlinable @inline(__always) public static func f32x4Min(_ a: V128, _ b: V128) -> V128 { zip(a, b, F32.self) { min32($0, $1) } }
    @inlinable @inline(__always) public static func f32x4Max(_ a: V128, _ b: V128) -> V128 { zip(a, b, F32.self) { max32($0, $1) } }
    @inlinable @inline(__always) public static func f64x2Min(_ a: V128, _ b: V128) -> V128 { zip(a, b, F64.self) { min64($0, $1) } }
    @inlinable @inline(__always) public static func f64x2Max(_ a: V128, _ b: V128) -> V128 { zip(a, b, F64.self) { max64($0, $1) } }
    /// Pseudo-minimum: `b < a ? b : a` (the first operand when unordered or equal).
    @inlinable @inline(__always) public static func f32x4Pmin(_ a: V128, _ b: V128) -> V128 { zip(a, b, F32.self) { $1 < $0 ? $1 : $0 } }
    /// Pseudo-maximum: `a < b ? b : a`.
    @inlinable @inline(__always) public static func f32x4Pmax(_ a: V128, _ b: V128) -> V128 { zip(a, b, F32.self) { $0 < $1 ? $1 : $0 } }
    @inlinable @inline(__always) public static func f64x2Pmin(_ a: V128, _ b: V128) -> V128 { zip(a, b, F64.self) { $1 < $0 ? $1 : $0 } }
    @inlinable @inline(__always) public static func f64x2Pmax(_ a: V128, _ b: V128) -> V128 { zip(a, b, F64.self) { $0 < $1 ? $1 : $0 } }
    @inlinable @inline(__always) public static func f32x4RelaxedMin(_ a: V128, _ b: V128) -> V128 { f32x4Min(a, b) }
    @inlinable @inline(__always) public static func f32x4RelaxedMax(_ a: V128, _ b: V128) -> V128 { f32x4Max(a, b) }
    @inlinable @inline(__always) public static func f64x2RelaxedMin(_ a: V128, _ b: V128) -> V128 { f64x2Min(a, b) }
    @inlinable @inline(__always) public static func f64x2RelaxedMax(_ a: V128, _ b: V128) -> V128 { f64x2Max(a, b) }

    // MARK: Rounding

    @inlinable @inline(__always) public static func f32x4Ceil(_ a: V128) -> V128 { map(a, F32.self) { FloatOps.ceil($0) } }
    @inlinable @inline(__always) public static func f32x4Floor(_ a: V128) -> V128 { map(a, F32.self) { FloatOps.floor($0) } }
    @inlinable @inline(__always) public static func f32x4Trunc(_ a: V128) -> V128 { map(a, F32.self) { FloatOps.trunc($0) } }
    @inlinable @inline(__always) public static func f32x4Nearest(_ a: V128) -> V128 { map(a, F32.self) { FloatOps.nearest($0) } }
    @inlinable @inline(__always) public static func f64x2Ceil(_ a: V128) -> V128 { map(a, F64.self) { FloatOps.ceil($0) } }
    @inlinable @inline(__always) public static func f64x2Floor(_ a: V128) -> V128 { map(a, F64.self) { FloatOps.floor($0) } }
    @inlinable @inline(__always) public static func f64x2Trunc(_ a: V128) -> V128 { map(a, F64.self) { FloatOps.trunc($0) } }
    @inlinable @inline(__always) public static func f64x2Nearest(_ a: V128) -> V128 { map(a, F64.self) { FloatOps.nearest($0) } }

    // MARK: Comparisons (false when unordered, but `ne`)

    @inlinable @inline(__always) public static func f32x4Eq(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F32.self) .== b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Ne(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F32.self) .!= b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Lt(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F32.self) .< b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Gt(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F32.self) .> b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Le(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F32.self) .<= b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f32x4Ge(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F32.self) .>= b.lanes(F32.self)) }
    @inlinable @inline(__always) public static func f64x2Eq(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F64.self) .== b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Ne(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F64.self) .!= b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Lt(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F64.self) .< b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Gt(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F64.self) .> b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Le(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F64.self) .<= b.lanes(F64.self)) }
    @inlinable @inline(__always) public static func f64x2Ge(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(F64.self) .>= b.lanes(F64.self)) }

    // MARK: Conversions

    @inlinable @inline(__always) public static func i32x4TruncSatF32x4S(_ a: V128) -> V128 {
        let x = a.lanes(F32.self)
        var r = U32()
        for i in 0..<4 { r[i] = UInt32(truncatingIfNeeded: SaturatingTrunc.i32s(Double(x[i]))) }
        return V128(r)
    }
    @inlinable @inline(__always) public static func i32x4TruncSatF32x4U(_ a: V128) -> V128 {
        let x = a.lanes(F32.self)
        var r = U32()
        for i in 0..<4 { r[i] = UInt32(truncatingIfNeeded: SaturatingTrunc.i32u(Double(x[i]))) }
        return V128(r)
    }
    @inlinable @inline(__always) public static func i32x4TruncSatF64x2SZero(_ a: V128) -> V128 {
        let x = a.lanes(F64.self)
        return V128(low: SaturatingTrunc.i32s(x[0]) | SaturatingTrunc.i32s(x[1]) << 32, high: 0)
    }
    @inlinable @inline(__always) public static func i32x4TruncSatF64x2UZero(_ a: V128) -> V128 {
        let x = a.lanes(F64.self)
        return V128(low: SaturatingTrunc.i32u(x[0]) | SaturatingTrunc.i32u(x[1]) << 32, high: 0)
    }
    @inlinable @inline(__always) public static func i32x4RelaxedTruncF32x4S(_ a: V128) -> V128 { i32x4TruncSatF32x4S(a) }
    @inlinable @inline(__always) public static func i32x4RelaxedTruncF32x4U(_ a: V128) -> V128 { i32x4TruncSatF32x4U(a) }
    @inlinable @inline(__always) public static func i32x4RelaxedTruncF64x2SZero(_ a: V128) -> V128 { i32x4TruncSatF64x2SZero(a) }
    @inlinable @inline(__always) public static func i32x4RelaxedTruncF64x2UZero(_ a: V128) -> V128 { i32x4TruncSatF64x2UZero(a) }

    /// Rounded to nearest, ties to even.
    @inlinable @inline(__always) public static func f32x4ConvertI32x4S(_ a: V128) -> V128 {
        let x = a.lanes(I32.self)
        var r = F32()
        for i in 0..<4 { r[i] = Float(x[i]) }
        return V128(r)
    }
    @inlinable @inline(__always) public static func f32x4ConvertI32x4U(_ a: V128) -> V128 {
        let x = a.lanes(U32.self)
        var r = F32()
        for i in 0..<4 { r[i] = Float(x[i]) }
        return V128(r)
    }
    @inlinable @inline(__always) public static func f64x2ConvertLowI32x4S(_ a: V128) -> V128 {
        let x = a.lanes(I32.self)
        return V128(F64(Double(x[0]), Double(x[1])))
    }
    @inlinable @inline(__always) public static func f64x2ConvertLowI32x4U(_ a: V128) -> V128 {
        let x = a.lanes(U32.self)
        return V128(F64(Double(x[0]), Double(x[1])))
    }
    @inlinable @inline(__always) public static func f32x4DemoteF64x2Zero(_ a: V128) -> V128 {
        let x = a.lanes(F64.self)
        return V128(F32(Float(x[0]), Float(x[1]), 0, 0))
    }
    @inlinable @inline(__always) public static func f64x2PromoteLowF32x4(_ a: V128) -> V128 {
        let x = a.lanes(F32.self)
        return V128(F64(Double(x[0]), Double(x[1])))
    }

    // MARK: Fused multiply-add (relaxed)

    /// `±(x * y) + z` rounded once; a NaN result is the first NaN of x, y, z, quieted, never
    /// negated (what FMA3's `vfmadd231`/`vfnmadd231` return, measured; the JIT and Cranelift
    /// emit them).
    @inlinable @inline(__always) static func fused<T: BinaryFloatingPoint>(_ x: T, _ y: T, _ z: T, negate: Bool) -> T {
        if x.isNaN { return x + x }
        if y.isNaN { return y + y }
        if z.isNaN { return z + z }
        return z.addingProduct(negate ? -x : x, y)
    }
    /// `a * b + c`, rounded once.
    @inlinable @inline(__always) public static func f32x4RelaxedMadd(_ a: V128, _ b: V128, _ c: V128) -> V128 {
        let x = a.lanes(F32.self), y = b.lanes(F32.self), z = c.lanes(F32.self)
        var r = F32()
        for i in 0..<4 { r[i] = fused(x[i], y[i], z[i], negate: false) }
        return V128(r)
    }
    /// `-(a * b) + c`, rounded once.
    @inlinable @inline(__always) public static func f32x4RelaxedNmadd(_ a: V128, _ b: V128, _ c: V128) -> V128 {
        let x = a.lanes(F32.self), y = b.lanes(F32.self), z = c.lanes(F32.self)
        var r = F32()
        for i in 0..<4 { r[i] = fused(x[i], y[i], z[i], negate: true) }
        return V128(r)
    }
    @inlinable @inline(__always) public static func f64x2RelaxedMadd(_ a: V128, _ b: V128, _ c: V128) -> V128 {
        let x = a.lanes(F64.self), y = b.lanes(F64.self), z = c.lanes(F64.self)
        return V128(F64(fused(x[0], y[0], z[0], negate: false), fused(x[1], y[1], z[1], negate: false)))
    }
    @inlinable @inline(__always) public static func f64x2RelaxedNmadd(_ a: V128, _ b: V128, _ c: V128) -> V128 {
        let x = a.lanes(F64.self), y = b.lanes(F64.self), z = c.lanes(F64.self)
        return V128(F64(fused(x[0], y[0], z[0], negate: true), fused(x[1], y[1], z[1], negate: true)))
    }
}
