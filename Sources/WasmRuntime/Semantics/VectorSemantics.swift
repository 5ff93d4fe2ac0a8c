import WasmCore

/// What every SIMD instruction computes, written once: the interpreter's handlers run these
/// functions, the JIT calls them (through `VectorHelpers`) for what it has no instruction
/// sequence for, and tests compare the JIT's sequences against them. A vector is a `V128`;
/// scalar operands and results are slot bits (an i32 zero-extended, an f32 in the low 32 bits).
///
/// Relaxed SIMD is deterministic here and equals Wasmtime's deterministic mode (measured with
/// its Python API): `relaxed_swizzle` is `swizzle`, `relaxed_trunc` saturates like `trunc_sat`,
/// `relaxed_madd`/`nmadd` are fused, `relaxed_laneselect` is `bitselect`, `relaxed_min`/`max`
/// are `min`/`max`, `relaxed_q15mulr` saturates, and the `i7x16` dot products multiply signed
/// bytes (the i16 sums wrap; the i32 sums of four products are exact before the add).
@_spi(Engine) public enum VectorSemantics {
    public typealias I8 = SIMD16<Int8>
    public typealias U8 = SIMD16<UInt8>
    public typealias I16 = SIMD8<Int16>
    public typealias U16 = SIMD8<UInt16>
    public typealias I32 = SIMD4<Int32>
    public typealias U32 = SIMD4<UInt32>
    public typealias I64 = SIMD2<Int64>
    public typealias U64 = SIMD2<UInt64>
    public typealias F32 = SIMD4<Float>
    public typealias F64 = SIMD2<Double>

    /// A comparison's result: all ones in the lanes where `mask` holds.
    @inlinable @inline(__always)
    static func mask<M: SIMD>(_ mask: SIMDMask<M>) -> V128 where M.Scalar: FixedWidthInteger & SignedInteger, M.MaskStorage == M {
        V128(M(repeating: 0).replacing(with: -1, where: mask))
    }

    /// Lane by lane `f(a[i], b[i])` in the shape `T`.
    @inlinable @inline(__always)
    static func zip<T: SIMD>(_ a: V128, _ b: V128, _: T.Type, _ f: (T.Scalar, T.Scalar) -> T.Scalar) -> V128 {
        let x = a.lanes(T.self), y = b.lanes(T.self)
        var r = T()
        for i in r.indices { r[i] = f(x[i], y[i]) }
        return V128(r)
    }

    /// Lane by lane `f(a[i])` in the shape `T`.
    @inlinable @inline(__always)
    static func map<T: SIMD>(_ a: V128, _: T.Type, _ f: (T.Scalar) -> T.Scalar) -> V128 {
        let x = a.lanes(T.self)
        var r = T()
        for i in r.indices { r[i] = f(x[i]) }
        return V128(r)
    }

    /// Each lane of `v` converted to the lane type of `To` (sign- or zero-extended by the
    /// source's signedness; `v` has at least as many lanes). Written here rather than the
    /// standard library's `init(truncatingIfNeeded:)`, which is not always inlined: an
    /// interpreter handler must make no calls (scripts/check-interpreter-loop.sh).
    @inlinable @inline(__always)
    static func widen<From: SIMD, To: SIMD>(_ v: From, _: To.Type) -> To
    where From.Scalar: FixedWidthInteger, To.Scalar: FixedWidthInteger {
        var r = To()
        for i in r.indices { r[i] = To.Scalar(truncatingIfNeeded: v[i]) }
        return r
    }

    // MARK: Bitwise

    @inlinable @inline(__always) public static func v128Not(_ a: V128) -> V128 { V128(low: ~a.low, high: ~a.high) }
    @inlinable @inline(__always) public static func v128And(_ a: V128, _ b: V128) -> V128 {
        V128(low: a.low & b.low, high: a.high & b.high)
    }
    @inlinable @inline(__always) public static func v128Andnot(_ a: V128, _ b: V128) -> V128 {
        V128(low: a.low & ~b.low, high: a.high & ~b.high)
    }
    @inlinable @inline(__always) public static func v128Or(_ a: V128, _ b: V128) -> V128 {
        V128(low: a.low | b.low, high: a.high | b.high)
    }
    @inlinable @inline(__always) public static func v128Xor(_ a: V128, _ b: V128) -> V128 {
        V128(low: a.low ^ b.low, high: a.high ^ b.high)
    }
    /// Bits of `a` where `m` is 1, of `b` where it is 0.
    @inlinable @inline(__always) public static func v128Bitselect(_ a: V128, _ b: V128, _ m: V128) -> V128 {
        V128(low: (a.low & m.low) | (b.low & ~m.low), high: (a.high & m.high) | (b.high & ~m.high))
    }
    @inlinable @inline(__always) public static func v128AnyTrue(_ a: V128) -> UInt64 { a.low | a.high != 0 ? 1 : 0 }

    // MARK: Lane tests

    @inlinable @inline(__always) static func allTrue<T: SIMD>(_ a: V128, _: T.Type) -> UInt64 where T.Scalar: FixedWidthInteger {
        let x = a.lanes(T.self)
        for i in x.indices where x[i] == 0 { return 0 }
        return 1
    }
    @inlinable @inline(__always) static func bitmask<T: SIMD>(_ a: V128, _: T.Type) -> UInt64 where T.Scalar: FixedWidthInteger & SignedInteger {
        let x = a.lanes(T.self)
        var bits: UInt64 = 0
        for i in x.indices where x[i] < 0 { bits |= 1 << UInt64(i) }
        return bits
    }
    @inlinable @inline(__always) public static func i8x16AllTrue(_ a: V128) -> UInt64 { allTrue(a, U8.self) }
    @inlinable @inline(__always) public static func i16x8AllTrue(_ a: V128) -> UInt64 { allTrue(a, U16.self) }
    @inlinable @inline(__always) public static func i32x4AllTrue(_ a: V128) -> UInt64 { allTrue(a, U32.self) }
    @inlinable @inline(__always) public static func i64x2AllTrue(_ a: V128) -> UInt64 { allTrue(a, U64.self) }
    @inlinable @inline(__always) public static func i8x16Bitmask(_ a: V128) -> UInt64 { bitmask(a, I8.self) }
    @inlinable @inline(__always) public static func i16x8Bitmask(_ a: V128) -> UInt64 { bitmask(a, I16.self) }
    @inlinable @inline(__always) public static func i32x4Bitmask(_ a: V128) -> UInt64 { bitmask(a, I32.self) }
    @inlinable @inline(__always) public static func i64x2Bitmask(_ a: V128) -> UInt64 { bitmask(a, I64.self) }

    // MARK: Splats, lanes, shuffles

    @inlinable @inline(__always) public static func splat8(_ x: UInt64) -> V128 {
        let v = (x & 0xFF) &* 0x0101_0101_0101_0101
        return V128(low: v, high: v)
    }
    @inlinable @inline(__always) public static func splat16(_ x: UInt64) -> V128 {
        let v = (x & 0xFFFF) &* 0x0001_0001_0001_0001
        return V128(low: v, high: v)
    }
    @inlinable @inline(__always) public static func splat32(_ x: UInt64) -> V128 {
        let v = (x & 0xFFFF_FFFF) &* 0x0000_0001_0000_0001
        return V128(low: v, high: v)
    }
    @inlinable @inline(__always) public static func splat64(_ x: UInt64) -> V128 { V128(low: x, high: x) }
    @inlinable @inline(__always) public static func i8x16Splat(_ x: UInt64) -> V128 { splat8(x) }
    @inlinable @inline(__always) public static func i16x8Splat(_ x: UInt64) -> V128 { splat16(x) }
    @inlinable @inline(__always) public static func i32x4Splat(_ x: UInt64) -> V128 { splat32(x) }
    @inlinable @inline(__always) public static func i64x2Splat(_ x: UInt64) -> V128 { splat64(x) }
    @inlinable @inline(__always) public static func f32x4Splat(_ x: UInt64) -> V128 { splat32(x) }
    @inlinable @inline(__always) public static func f64x2Splat(_ x: UInt64) -> V128 { splat64(x) }

    /// The `width`-bit lane `lane` (zero-extended), for widths 8, 16, 32, 64.
    @inlinable @inline(__always) static func extract(_ a: V128, width: Int, lane: Int) -> UInt64 {
        let bit = (lane &* width) & 127
        let half = bit < 64 ? a.low : a.high
        let value = half &>> UInt64(bit & 63)
        return width == 64 ? value : value & ((1 &<< UInt64(width)) &- 1)
    }
    /// `a` with its `width`-bit lane `lane` set to the low bits of `x`.
    @inlinable @inline(__always) static func replace(_ a: V128, _ x: UInt64, width: Int, lane: Int) -> V128 {
        let bit = (lane &* width) & 127
        let laneMask: UInt64 = width == 64 ? .max : (1 &<< UInt64(width)) &- 1
        let shift = UInt64(bit & 63)
        var r = a
        if bit < 64 {
            r.low = (r.low & ~(laneMask &<< shift)) | ((x & laneMask) &<< shift)
        } else {
            r.high = (r.high & ~(laneMask &<< shift)) | ((x & laneMask) &<< shift)
        }
        return r
    }
    @inlinable @inline(__always) public static func extractLane8(_ a: V128, lane: Int) -> UInt64 { extract(a, width: 8, lane: lane) }
    @inlinable @inline(__always) public static func extractLane16(_ a: V128, lane: Int) -> UInt64 { extract(a, width: 16, lane: lane) }
    @inlinable @inline(__always) public static func extractLane32(_ a: V128, lane: Int) -> UInt64 { extract(a, width: 32, lane: lane) }
    @inlinable @inline(__always) public static func extractLane64(_ a: V128, lane: Int) -> UInt64 { extract(a, width: 64, lane: lane) }
    @inlinable @inline(__always) public static func replaceLane8(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replace(a, x, width: 8, lane: lane) }
    @inlinable @inline(__always) public static func replaceLane16(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replace(a, x, width: 16, lane: lane) }
    @inlinable @inline(__always) public static func replaceLane32(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replace(a, x, width: 32, lane: lane) }
    @inlinable @inline(__always) public static func replaceLane64(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replace(a, x, width: 64, lane: lane) }

    @inlinable @inline(__always) public static func i8x16ExtractLaneS(_ a: V128, lane: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: extractLane8(a, lane: lane)))))
    }
    @inlinable @inline(__always) public static func i8x16ExtractLaneU(_ a: V128, lane: Int) -> UInt64 { extractLane8(a, lane: lane) }
    @inlinable @inline(__always) public static func i16x8ExtractLaneS(_ a: V128, lane: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: extractLane16(a, lane: lane)))))
    }
    @inlinable @inline(__always) public static func i16x8ExtractLaneU(_ a: V128, lane: Int) -> UInt64 { extractLane16(a, lane: lane) }
    @inlinable @inline(__always) public static func i32x4ExtractLane(_ a: V128, lane: Int) -> UInt64 { extractLane32(a, lane: lane) }
    @inlinable @inline(__always) public static func i64x2ExtractLane(_ a: V128, lane: Int) -> UInt64 { extractLane64(a, lane: lane) }
    @inlinable @inline(__always) public static func f32x4ExtractLane(_ a: V128, lane: Int) -> UInt64 { extractLane32(a, lane: lane) }
    @inlinable @inline(__always) public static func f64x2ExtractLane(_ a: V128, lane: Int) -> UInt64 { extractLane64(a, lane: lane) }
    @inlinable @inline(__always) public static func i8x16ReplaceLane(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replaceLane8(a, x, lane: lane) }
    @inlinable @inline(__always) public static func i16x8ReplaceLane(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replaceLane16(a, x, lane: lane) }
    @inlinable @inline(__always) public static func i32x4ReplaceLane(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replaceLane32(a, x, lane: lane) }
    @inlinable @inline(__always) public static func i64x2ReplaceLane(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replaceLane64(a, x, lane: lane) }
    @inlinable @inline(__always) public static func f32x4ReplaceLane(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replaceLane32(a, x, lane: lane) }
    @inlinable @inline(__always) public static func f64x2ReplaceLane(_ a: V128, _ x: UInt64, lane: Int) -> V128 { replaceLane64(a, x, lane: lane) }

    /// Byte i of the result is byte `s[i]` of `a`, or 0 when `s[i]` ≥ 16.
    @inlinable @inline(__always) public static func i8x16Swizzle(_ a: V128, _ s: V128) -> V128 {
        let x = a.lanes(U8.self), idx = s.lanes(U8.self)
        var r = U8()
        for i in 0..<16 { r[i] = idx[i] < 16 ? x[Int(idx[i])] : 0 }
        return V128(r)
    }
    @inlinable @inline(__always) public static func i8x16RelaxedSwizzle(_ a: V128, _ s: V128) -> V128 { i8x16Swizzle(a, s) }

    /// Byte i of the result is byte `lanes[i]` of the 32 bytes of `a` then `b` (indices < 32, validated).
    @inlinable @inline(__always) public static func i8x16Shuffle(_ a: V128, _ b: V128, lanes: V128) -> V128 {
        let x = a.lanes(U8.self), y = b.lanes(U8.self), idx = lanes.lanes(U8.self)
        var r = U8()
        for i in 0..<16 {
            let k = Int(idx[i] & 31)
            r[i] = k < 16 ? x[k] : y[k - 16]
        }
        return V128(r)
    }

    // MARK: Loads that widen or splat (the 8 bytes of `bits`, little-endian)

    @inlinable @inline(__always) public static func load8x8S(_ bits: UInt64) -> V128 { V128(widen(V128(low: bits, high: 0).lanes(I8.self).lowHalf, I16.self)) }
    @inlinable @inline(__always) public static func load8x8U(_ bits: UInt64) -> V128 { V128(widen(V128(low: bits, high: 0).lanes(U8.self).lowHalf, U16.self)) }
    @inlinable @inline(__always) public static func load16x4S(_ bits: UInt64) -> V128 { V128(widen(V128(low: bits, high: 0).lanes(I16.self).lowHalf, I32.self)) }
    @inlinable @inline(__always) public static func load16x4U(_ bits: UInt64) -> V128 { V128(widen(V128(low: bits, high: 0).lanes(U16.self).lowHalf, U32.self)) }
    @inlinable @inline(__always) public static func load32x2S(_ bits: UInt64) -> V128 { V128(widen(V128(low: bits, high: 0).lanes(I32.self).lowHalf, I64.self)) }
    @inlinable @inline(__always) public static func load32x2U(_ bits: UInt64) -> V128 { V128(widen(V128(low: bits, high: 0).lanes(U32.self).lowHalf, U64.self)) }
}

extension V128 {
    /// The vector of lanes `T` (16 bytes) with these bits.
    @inlinable @inline(__always)
    public init<T: SIMD>(_ lanes: T) {
        self = unsafeBitCast(lanes, to: V128.self)
    }

    /// These bits as lanes of `T` (16 bytes).
    @inlinable @inline(__always)
    public func lanes<T: SIMD>(_: T.Type) -> T {
        unsafeBitCast(self, to: T.self)
    }
}
