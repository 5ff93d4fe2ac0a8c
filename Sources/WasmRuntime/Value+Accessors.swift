import WasmCore

/// Typed access to a `Value`'s payload, for embedders: `value.i32` is the bits of an i32 (nil
/// for any other type), `value.int32` the same read as signed, `value.float` an f32's number.
extension Value {
    /// An i32's bits.
    public var i32: UInt32? { if case .i32(let v) = self { v } else { nil } }
    /// An i64's bits.
    public var i64: UInt64? { if case .i64(let v) = self { v } else { nil } }
    /// An i32 read as signed.
    public var int32: Int32? { i32.map { Int32(bitPattern: $0) } }
    /// An i64 read as signed.
    public var int64: Int64? { i64.map { Int64(bitPattern: $0) } }
    /// An f32's number.
    public var float: Float? { if case .f32(let bits) = self { Float(bitPattern: bits) } else { nil } }
    /// An f64's number.
    public var double: Double? { if case .f64(let bits) = self { Double(bitPattern: bits) } else { nil } }
    /// A v128's lanes.
    public var v128: V128? { if case .v128(let v) = self { v } else { nil } }

    /// An i32 from a signed integer.
    public static func int32(_ value: Int32) -> Value { .i32(UInt32(bitPattern: value)) }
    /// An i64 from a signed integer.
    public static func int64(_ value: Int64) -> Value { .i64(UInt64(bitPattern: value)) }
    /// An f32 from a number.
    public static func float32(_ value: Float) -> Value { .f32(value.bitPattern) }
    /// An f64 from a number.
    public static func float64(_ value: Double) -> Value { .f64(value.bitPattern) }
}
