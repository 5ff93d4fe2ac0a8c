import WasmCore

/// Integer lanes: arithmetic (wrapping and saturating), comparisons, shifts (the count taken
/// modulo the lane width), widening, narrowing, dot products.
extension VectorSemantics {
    // MARK: Wrapping arithmetic

    @inlinable @inline(__always) public static func i8x16Add(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U8.self) &+ b.lanes(U8.self)) }
    @inlinable @inline(__always) public static func i16x8Add(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U16.self) &+ b.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i32x4Add(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U32.self) &+ b.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i64x2Add(_ a: V128, _ b: V128) -> V128 { V128(low: a.low &+ b.low, high: a.high &+ b.high) }
    @inlinable @inline(__always) public static func i8x16Sub(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U8.self) &- b.lanes(U8.self)) }
    @inlinable @inline(__always) public static func i16x8Sub(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U16.self) &- b.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i32x4Sub(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U32.self) &- b.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i64x2Sub(_ a: V128, _ b: V128) -> V128 { V128(low: a.low &- b.low, high: a.high &- b.high) }
    @inlinable @inline(__always) public static func i16x8Mul(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U16.self) &* b.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i32x4Mul(_ a: V128, _ b: V128) -> V128 { V128(a.lanes(U32.self) &* b.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i64x2Mul(_ a: V128, _ b: V128) -> V128 { V128(low: a.low &* b.low, high: a.high &* b.high) }
    @inlinable @inline(__always) public static func i8x16Neg(_ a: V128) -> V128 { V128(U8(repeating: 0) &- a.lanes(U8.self)) }
    @inlinable @inline(__always) public static func i16x8Neg(_ a: V128) -> V128 { V128(U16(repeating: 0) &- a.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i32x4Neg(_ a: V128) -> V128 { V128(U32(repeating: 0) &- a.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i64x2Neg(_ a: V128) -> V128 { V128(low: 0 &- a.low, high: 0 &- a.high) }

    /// |x| with wrapping: the minimum stays the minimum.
    @inlinable @inline(__always) static func abs<T: SIMD>(_ a: V128, _: T.Type) -> V128 where T.Scalar: FixedWidthInteger & SignedInteger {
        let x = a.lanes(T.self)
        return V128(x.replacing(with: T(repeating: 0) &- x, where: x .< 0))
    }
    @inlinable @inline(__always) public static func i8x16Abs(_ a: V128) -> V128 { abs(a, I8.self) }
    @inlinable @inline(__always) public static func i16x8Abs(_ a: V128) -> V128 { abs(a, I16.self) }
    @inlinable @inline(__always) public static func i32x4Abs(_ a: V128) -> V128 { abs(a, I32.self) }
    @inlinable @inline(__always) public static func i64x2Abs(_ a: V128) -> V128 { abs(a, I64.self) }

    @inlinable @inline(__always) public static func i8x16Popcnt(_ a: V128) -> V128 { map(a, U8.self) { UInt8($0.nonzeroBitCount) } }

    // MARK: Saturating arithmetic

    @inlinable @inline(__always) public static func i8x16AddSatS(_ a: V128, _ b: V128) -> V128 { zip(a, b, I8.self) { Int8(clamping: Int16($0) &+ Int16($1)) } }
    @inlinable @inline(__always) public static func i8x16AddSatU(_ a: V128, _ b: V128) -> V128 { zip(a, b, U8.self) { UInt8(clamping: UInt16($0) &+ UInt16($1)) } }
    @inlinable @inline(__always) public static func i8x16SubSatS(_ a: V128, _ b: V128) -> V128 { zip(a, b, I8.self) { Int8(clamping: Int16($0) &- Int16($1)) } }
    @inlinable @inline(__always) public static func i8x16SubSatU(_ a: V128, _ b: V128) -> V128 { zip(a, b, U8.self) { $0 > $1 ? $0 &- $1 : 0 } }
    @inlinable @inline(__always) public static func i16x8AddSatS(_ a: V128, _ b: V128) -> V128 { zip(a, b, I16.self) { Int16(clamping: Int32($0) &+ Int32($1)) } }
    @inlinable @inline(__always) public static func i16x8AddSatU(_ a: V128, _ b: V128) -> V128 { zip(a, b, U16.self) { UInt16(clamping: UInt32($0) &+ UInt32($1)) } }
    @inlinable @inline(__always) public static func i16x8SubSatS(_ a: V128, _ b: V128) -> V128 { zip(a, b, I16.self) { Int16(clamping: Int32($0) &- Int32($1)) } }
    @inlinable @inline(__always) public static func i16x8SubSatU(_ a: V128, _ b: V128) -> V128 { zip(a, b, U16.self) { $0 > $1 ? $0 &- $1 : 0 } }

    /// Rounding average: (a + b + 1) / 2 without overflow.
    @inlinable @inline(__always) public static func i8x16AvgrU(_ a: V128, _ b: V128) -> V128 { zip(a, b, U8.self) { UInt8((UInt16($0) &+ UInt16($1) &+ 1) >> 1) } }
    @inlinable @inline(__always) public static func i16x8AvgrU(_ a: V128, _ b: V128) -> V128 { zip(a, b, U16.self) { UInt16((UInt32($0) &+ UInt32($1) &+ 1) >> 1) } }

    /// (a * b + 2^14) >> 15, saturated (only -32768 * -32768 overflows).
    @inlinable @inline(__always) public static func i16x8Q15mulrSatS(_ a: V128, _ b: V128) -> V128 {
        zip(a, b, I16.self) { Int16(clamping: (Int32($0) &* Int32($1) &+ 0x4000) >> 15) }
    }
    @inlinable @inline(__always) public static func i16x8RelaxedQ15mulrS(_ a: V128, _ b: V128) -> V128 { i16x8Q15mulrSatS(a, b) }

    // MARK: Min, max

    /// Lane-wise minimum (the standard library's `pointwiseMin` is not always inlined, and an
    /// interpreter handler must not make calls: see scripts/check-interpreter-loop.sh).
    @inlinable @inline(__always)
    static func minimum<T: SIMD>(_ a: V128, _ b: V128, _: T.Type) -> V128 where T.Scalar: FixedWidthInteger {
        let x = a.lanes(T.self), y = b.lanes(T.self)
        return V128(x.replacing(with: y, where: y .< x))
    }
    @inlinable @inline(__always)
    static func maximum<T: SIMD>(_ a: V128, _ b: V128, _: T.Type) -> V128 where T.Scalar: FixedWidthInteger {
        let x = a.lanes(T.self), y = b.lanes(T.self)
        return V128(x.replacing(with: y, where: y .> x))
    }

    @inlinable @inline(__always) public static func i8x16MinS(_ a: V128, _ b: V128) -> V128 { minimum(a, b, I8.self) }
    @inlinable @inline(__always) public static func i8x16MinU(_ a: V128, _ b: V128) -> V128 { minimum(a, b, U8.self) }
    @inlinable @inline(__always) public static func i8x16MaxS(_ a: V128, _ b: V128) -> V128 { maximum(a, b, I8.self) }
    @inlinable @inline(__always) public static func i8x16MaxU(_ a: V128, _ b: V128) -> V128 { maximum(a, b, U8.self) }
    @inlinable @inline(__always) public static func i16x8MinS(_ a: V128, _ b: V128) -> V128 { minimum(a, b, I16.self) }
    @inlinable @inline(__always) public static func i16x8MinU(_ a: V128, _ b: V128) -> V128 { minimum(a, b, U16.self) }
    @inlinable @inline(__always) public static func i16x8MaxS(_ a: V128, _ b: V128) -> V128 { maximum(a, b, I16.self) }
    @inlinable @inline(__always) public static func i16x8MaxU(_ a: V128, _ b: V128) -> V128 { maximum(a, b, U16.self) }
    @inlinable @inline(__always) public static func i32x4MinS(_ a: V128, _ b: V128) -> V128 { minimum(a, b, I32.self) }
    @inlinable @inline(__always) public static func i32x4MinU(_ a: V128, _ b: V128) -> V128 { minimum(a, b, U32.self) }
    @inlinable @inline(__always) public static func i32x4MaxS(_ a: V128, _ b: V128) -> V128 { maximum(a, b, I32.self) }
    @inlinable @inline(__always) public static func i32x4MaxU(_ a: V128, _ b: V128) -> V128 { maximum(a, b, U32.self) }

    // MARK: Comparisons

    @inlinable @inline(__always) public static func i8x16Eq(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I8.self) .== b.lanes(I8.self)) }
    @inlinable @inline(__always) public static func i8x16Ne(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I8.self) .!= b.lanes(I8.self)) }
    @inlinable @inline(__always) public static func i8x16LtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I8.self) .< b.lanes(I8.self)) }
    @inlinable @inline(__always) public static func i8x16LtU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U8.self) .< b.lanes(U8.self)) }
    @inlinable @inline(__always) public static func i8x16GtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I8.self) .> b.lanes(I8.self)) }
    @inlinable @inline(__always) public static func i8x16GtU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U8.self) .> b.lanes(U8.self)) }
    @inlinable @inline(__always) public static func i8x16LeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I8.self) .<= b.lanes(I8.self)) }
    @inlinable @inline(__always) public static func i8x16LeU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U8.self) .<= b.lanes(U8.self)) }
    @inlinable @inline(__always) public static func i8x16GeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I8.self) .>= b.lanes(I8.self)) }
    @inlinable @inline(__always) public static func i8x16GeU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U8.self) .>= b.lanes(U8.self)) }
    @inlinable @inline(__always) public static func i16x8Eq(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I16.self) .== b.lanes(I16.self)) }
    @inlinable @inline(__always) public static func i16x8Ne(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I16.self) .!= b.lanes(I16.self)) }
    @inlinable @inline(__always) public static func i16x8LtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I16.self) .< b.lanes(I16.self)) }
    @inlinable @inline(__always) public static func i16x8LtU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U16.self) .< b.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i16x8GtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I16.self) .> b.lanes(I16.self)) }
    @inlinable @inline(__always) public static func i16x8GtU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U16.self) .> b.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i16x8LeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I16.self) .<= b.lanes(I16.self)) }
    @inlinable @inline(__always) public static func i16x8LeU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U16.self) .<= b.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i16x8GeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I16.self) .>= b.lanes(I16.self)) }
    @inlinable @inline(__always) public static func i16x8GeU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U16.self) .>= b.lanes(U16.self)) }
    @inlinable @inline(__always) public static func i32x4Eq(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I32.self) .== b.lanes(I32.self)) }
    @inlinable @inline(__always) public static func i32x4Ne(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I32.self) .!= b.lanes(I32.self)) }
    @inlinable @inline(__always) public static func i32x4LtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I32.self) .< b.lanes(I32.self)) }
    @inlinable @inline(__always) public static func i32x4LtU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U32.self) .< b.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i32x4GtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I32.self) .> b.lanes(I32.self)) }
    @inlinable @inline(__always) public static func i32x4GtU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U32.self) .> b.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i32x4LeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I32.self) .<= b.lanes(I32.self)) }
    @inlinable @inline(__always) public static func i32x4LeU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U32.self) .<= b.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i32x4GeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I32.self) .>= b.lanes(I32.self)) }
    @inlinable @inline(__always) public static func i32x4GeU(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(U32.self) .>= b.lanes(U32.self)) }
    @inlinable @inline(__always) public static func i64x2Eq(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I64.self) .== b.lanes(I64.self)) }
    @inlinable @inline(__always) public static func i64x2Ne(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I64.self) .!= b.lanes(I64.self)) }
    @inlinable @inline(__always) public static func i64x2LtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I64.self) .< b.lanes(I64.self)) }
    @inlinable @inline(__always) public static func i64x2GtS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I64.self) .> b.lanes(I64.self)) }
    @inlinable @inline(__always) public static func i64x2LeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I64.self) .<= b.lanes(I64.self)) }
    @inlinable @inline(__always) public static func i64x2GeS(_ a: V128, _ b: V128) -> V128 { mask(a.lanes(I64.self) .>= b.lanes(I64.self)) }

    // MARK: Shifts (count modulo the lane width)

    @inlinable @inline(__always) public static func i8x16Shl(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(U8.self) &<< UInt8(truncatingIfNeeded: n & 7)) }
    @inlinable @inline(__always) public static func i8x16ShrS(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(I8.self) &>> Int8(truncatingIfNeeded: n & 7)) }
    @inlinable @inline(__always) public static func i8x16ShrU(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(U8.self) &>> UInt8(truncatingIfNeeded: n & 7)) }
    @inlinable @inline(__always) public static func i16x8Shl(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(U16.self) &<< UInt16(truncatingIfNeeded: n & 15)) }
    @inlinable @inline(__always) public static func i16x8ShrS(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(I16.self) &>> Int16(truncatingIfNeeded: n & 15)) }
    @inlinable @inline(__always) public static func i16x8ShrU(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(U16.self) &>> UInt16(truncatingIfNeeded: n & 15)) }
    @inlinable @inline(__always) public static func i32x4Shl(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(U32.self) &<< UInt32(truncatingIfNeeded: n & 31)) }
    @inlinable @inline(__always) public static func i32x4ShrS(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(I32.self) &>> Int32(truncatingIfNeeded: n & 31)) }
    @inlinable @inline(__always) public static func i32x4ShrU(_ a: V128, _ n: UInt64) -> V128 { V128(a.lanes(U32.self) &>> UInt32(truncatingIfNeeded: n & 31)) }
    @inlinable @inline(__always) public static func i64x2Shl(_ a: V128, _ n: UInt64) -> V128 { V128(low: a.low &<< (n & 63), high: a.high &<< (n & 63)) }
    @inlinable @inline(__always) public static func i64x2ShrS(_ a: V128, _ n: UInt64) -> V128 {
        V128(low: UInt64(bitPattern: Int64(bitPattern: a.low) &>> Int64(n & 63)),
             high: UInt64(bitPattern: Int64(bitPattern: a.high) &>> Int64(n & 63)))
    }
    @inlinable @inline(__always) public static func i64x2ShrU(_ a: V128, _ n: UInt64) -> V128 { V128(low: a.low &>> (n & 63), high: a.high &>> (n & 63)) }

    // MARK: Narrowing (saturating), widening

    @inlinable @inline(__always) public static func i8x16NarrowI16x8S(_ a: V128, _ b: V128) -> V128 {
        let x = a.lanes(I16.self), y = b.lanes(I16.self)
        var r = I8()
        for i in 0..<8 {
            r[i] = Int8(clamping: x[i])
            r[i + 8] = Int8(clamping: y[i])
        }
        return V128(r)
    }
    @inlinable @inline(__always) public static func i8x16NarrowI16x8U(_ a: V128, _ b: V128) -> V128 {
        let x = a.lanes(I16.self), y = b.lanes(I16.self)
        var r = U8()
        for i in 0..<8 {
            r[i] = UInt8(clamping: x[i])
            r[i + 8] = UInt8(clamping: y[i])
        }
        return V128(r)
    }
    @inlinable @inline(__always) public static func i16x8NarrowI32x4S(_ a: V128, _ b: V128) -> V128 {
        let x = a.lanes(I32.self), y = b.lanes(I32.self)
        var r = I16()
        for i in 0..<4 {
            r[i] = Int16(clamping: x[i])
            r[i + 4] = Int16(clamping: y[i])
        }
        return V128(r)
    }
    @inlinable @inline(__always) public static func i16x8NarrowI32x4U(_ a: V128, _ b: V128) -> V128 {
        let x = a.lanes(I32.self), y = b.lanes(I32.self)
        var r = U16()
        for i in 0..<4 {
            r[i] = UInt16(clamping: x[i])
            r[i + 4] = UInt16(clamping: y[i])
        }
        return V128(r)
    }

    @inlinable @inline(__always) public static func i16x8ExtendLowI8x16S(_ a: V128) -> V128 { V128(widen(a.lanes(I8.self).lowHalf, I16.self)) }
    @inlinable @inline(__always) public static func i16x8ExtendHighI8x16S(_ a: V128) -> V128 { V128(widen(a.lanes(I8.self).highHalf, I16.self)) }
    @inlinable @inline(__always) public static func i16x8ExtendLowI8x16U(_ a: V128) -> V128 { V128(widen(a.lanes(U8.self).lowHalf, U16.self)) }
    @inlinable @inline(__always) public static func i16x8ExtendHighI8x16U(_ a: V128) -> V128 { V128(widen(a.lanes(U8.self).highHalf, U16.self)) }
    @inlinable @inline(__always) public static func i32x4ExtendLowI16x8S(_ a: V128) -> V128 { V128(widen(a.lanes(I16.self).lowHalf, I32.self)) }
    @inlinable @inline(__always) public static func i32x4ExtendHighI16x8S(_ a: V128) -> V128 { V128(widen(a.lanes(I16.self).highHalf, I32.self)) }
    @inlinable @inline(__always) public static func i32x4ExtendLowI16x8U(_ a: V128) -> V128 { V128(widen(a.lanes(U16.self).lowHalf, U32.self)) }
    @inlinable @inline(__always) public static func i32x4ExtendHighI16x8U(_ a: V128) -> V128 { V128(widen(a.lanes(U16.self).highHalf, U32.self)) }
    @inlinable @inline(__always) public static func i64x2ExtendLowI32x4S(_ a: V128) -> V128 { V128(widen(a.lanes(I32.self).lowHalf, I64.self)) }
    @inlinable @inline(__always) public static func i64x2ExtendHighI32x4S(_ a: V128) -> V128 { V128(widen(a.lanes(I32.self).highHalf, I64.self)) }
    @inlinable @inline(__always) public static func i64x2ExtendLowI32x4U(_ a: V128) -> V128 { V128(widen(a.lanes(U32.self).lowHalf, U64.self)) }
    @inlinable @inline(__always) public static func i64x2ExtendHighI32x4U(_ a: V128) -> V128 { V128(widen(a.lanes(U32.self).highHalf, U64.self)) }

    // Extending multiplies: the products of the widened halves (exact).
    @inlinable @inline(__always) public static func i16x8ExtmulLowI8x16S(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(I8.self).lowHalf, I16.self) &* widen(b.lanes(I8.self).lowHalf, I16.self))
    }
    @inlinable @inline(__always) public static func i16x8ExtmulHighI8x16S(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(I8.self).highHalf, I16.self) &* widen(b.lanes(I8.self).highHalf, I16.self))
    }
    @inlinable @inline(__always) public static func i16x8ExtmulLowI8x16U(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(U8.self).lowHalf, U16.self) &* widen(b.lanes(U8.self).lowHalf, U16.self))
    }
    @inlinable @inline(__always) public static func i16x8ExtmulHighI8x16U(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(U8.self).highHalf, U16.self) &* widen(b.lanes(U8.self).highHalf, U16.self))
    }
    @inlinable @inline(__always) public static func i32x4ExtmulLowI16x8S(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(I16.self).lowHalf, I32.self) &* widen(b.lanes(I16.self).lowHalf, I32.self))
    }
    @inlinable @inline(__always) public static func i32x4ExtmulHighI16x8S(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(I16.self).highHalf, I32.self) &* widen(b.lanes(I16.self).highHalf, I32.self))
    }
    @inlinable @inline(__always) public static func i32x4ExtmulLowI16x8U(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(U16.self).lowHalf, U32.self) &* widen(b.lanes(U16.self).lowHalf, U32.self))
    }
    @inlinable @inline(__always) public static func i32x4ExtmulHighI16x8U(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(U16.self).highHalf, U32.self) &* widen(b.lanes(U16.self).highHalf, U32.self))
    }
    @inlinable @inline(__always) public static func i64x2ExtmulLowI32x4S(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(I32.self).lowHalf, I64.self) &* widen(b.lanes(I32.self).lowHalf, I64.self))
    }
    @inlinable @inline(__always) public static func i64x2ExtmulHighI32x4S(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(I32.self).highHalf, I64.self) &* widen(b.lanes(I32.self).highHalf, I64.self))
    }
    @inlinable @inline(__always) public static func i64x2ExtmulLowI32x4U(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(U32.self).lowHalf, U64.self) &* widen(b.lanes(U32.self).lowHalf, U64.self))
    }
    @inlinable @inline(__always) public static func i64x2ExtmulHighI32x4U(_ a: V128, _ b: V128) -> V128 {
        V128(widen(a.lanes(U32.self).highHalf, U64.self) &* widen(b.lanes(U32.self).highHalf, U64.self))
    }

    // Pairwise sums of widened neighbours.
    @inlinable @inline(__always) public static func i16x8ExtaddPairwiseI8x16S(_ a: V128) -> V128 {
        let x = a.lanes(I8.self)
        return V128(widen(x.evenHalf, I16.self) &+ widen(x.oddHalf, I16.self))
    }
    @inlinable @inline(__always) public static func i16x8ExtaddPairwiseI8x16U(_ a: V128) -> V128 {
        let x = a.lanes(U8.self)
        return V128(widen(x.evenHalf, U16.self) &+ widen(x.oddHalf, U16.self))
    }
    @inlinable @inline(__always) public static func i32x4ExtaddPairwiseI16x8S(_ a: V128) -> V128 {
        let x = a.lanes(I16.self)
        return V128(widen(x.evenHalf, I32.self) &+ widen(x.oddHalf, I32.self))
    }
    @inlinable @inline(__always) public static func i32x4ExtaddPairwiseI16x8U(_ a: V128) -> V128 {
        let x = a.lanes(U16.self)
        return V128(widen(x.evenHalf, U32.self) &+ widen(x.oddHalf, U32.self))
    }

    // MARK: Dot products

    /// Sums of the products of neighbouring signed i16 lanes (wrapping: only -32768² · 2 overflows).
    @inlinable @inline(__always) public static func i32x4DotI16x8S(_ a: V128, _ b: V128) -> V128 {
        let p = widen(a.lanes(I16.self), SIMD8<Int32>.self) &* widen(b.lanes(I16.self), SIMD8<Int32>.self)
        return V128(p.evenHalf &+ p.oddHalf)
    }
    /// Sums of the products of neighbouring signed bytes, wrapped to i16.
    @inlinable @inline(__always) public static func i16x8RelaxedDotI8x16I7x16S(_ a: V128, _ b: V128) -> V128 {
        let p = widen(a.lanes(I8.self).evenHalf, I16.self) &* widen(b.lanes(I8.self).evenHalf, I16.self)
        let q = widen(a.lanes(I8.self).oddHalf, I16.self) &* widen(b.lanes(I8.self).oddHalf, I16.self)
        return V128(p &+ q)
    }
    /// Sums of four products of signed bytes (exact in i32), plus `c`.
    @inlinable @inline(__always) public static func i32x4RelaxedDotI8x16I7x16AddS(_ a: V128, _ b: V128, _ c: V128) -> V128 {
        let x = a.lanes(I8.self), y = b.lanes(I8.self), acc = c.lanes(I32.self)
        var r = I32()
        for i in 0..<4 {
            var sum: Int32 = 0
            for j in 0..<4 { sum &+= Int32(x[4 * i + j]) &* Int32(y[4 * i + j]) }
            r[i] = sum &+ acc[i]
        }
        return V128(r)
    }

    // MARK: Relaxed lane select

    @inlinable @inline(__always) public static func i8x16RelaxedLaneselect(_ a: V128, _ b: V128, _ m: V128) -> V128 { v128Bitselect(a, b, m) }
    @inlinable @inline(__always) public static func i16x8RelaxedLaneselect(_ a: V128, _ b: V128, _ m: V128) -> V128 { v128Bitselect(a, b, m) }
    @inlinable @inline(__always) public static func i32x4RelaxedLaneselect(_ a: V128, _ b: V128, _ m: V128) -> V128 { v128Bitselect(a, b, m) }
    @inlinable @inline(__always) public static func i64x2RelaxedLaneselect(_ a: V128, _ b: V128, _ m: V128) -> V128 { v128Bitselect(a, b, m) }
}
