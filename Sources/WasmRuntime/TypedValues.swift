import WasmCore

/// A Swift type that stands for one wasm value type, so that host functions, calls and
/// globals can be written with Swift types: `Int32`/`UInt32` are i32, `Int64`/`UInt64` are
/// i64, `Float` f32, `Double` f64, `V128` v128, `ExternRef?` a nullable externref.
public protocol WasmValueConvertible {
    /// The wasm type of values of this Swift type.
    static var wasmType: ValueType { get }
    /// The Swift value of a wasm value of `wasmType` (nil for a value of another type).
    init?(wasmValue: Value)
    /// The wasm value.
    var wasmValue: Value { get }
}

extension Int32: WasmValueConvertible {
    /// i32.
    public static var wasmType: ValueType { .i32 }
    /// An i32 read as signed.
    public init?(wasmValue: Value) {
        guard let value = wasmValue.int32 else { return nil }
        self = value
    }
    /// The i32 with these bits.
    public var wasmValue: Value { .int32(self) }
}

extension UInt32: WasmValueConvertible {
    /// i32.
    public static var wasmType: ValueType { .i32 }
    /// An i32's bits.
    public init?(wasmValue: Value) {
        guard let value = wasmValue.i32 else { return nil }
        self = value
    }
    /// The i32 with these bits.
    public var wasmValue: Value { .i32(self) }
}

extension Int64: WasmValueConvertible {
    /// i64.
    public static var wasmType: ValueType { .i64 }
    /// An i64 read as signed.
    public init?(wasmValue: Value) {
        guard let value = wasmValue.int64 else { return nil }
        self = value
    }
    /// The i64 with these bits.
    public var wasmValue: Value { .int64(self) }
}

extension UInt64: WasmValueConvertible {
    /// i64.
    public static var wasmType: ValueType { .i64 }
    /// An i64's bits.
    public init?(wasmValue: Value) {
        guard let value = wasmValue.i64 else { return nil }
        self = value
    }
    /// The i64 with these bits.
    public var wasmValue: Value { .i64(self) }
}

extension Float: WasmValueConvertible {
    /// f32.
    public static var wasmType: ValueType { .f32 }
    /// An f32's number (NaN payloads kept).
    public init?(wasmValue: Value) {
        guard let value = wasmValue.float else { return nil }
        self = value
    }
    /// The f32 with this number's bits.
    public var wasmValue: Value { .float32(self) }
}

extension Double: WasmValueConvertible {
    /// f64.
    public static var wasmType: ValueType { .f64 }
    /// An f64's number (NaN payloads kept).
    public init?(wasmValue: Value) {
        guard let value = wasmValue.double else { return nil }
        self = value
    }
    /// The f64 with this number's bits.
    public var wasmValue: Value { .float64(self) }
}

extension V128: WasmValueConvertible {
    /// v128.
    public static var wasmType: ValueType { .v128 }
    /// A v128's lanes.
    public init?(wasmValue: Value) {
        guard let value = wasmValue.v128 else { return nil }
        self = value
    }
    /// The v128 with these lanes.
    public var wasmValue: Value { .v128(self) }
}

extension Optional: WasmValueConvertible where Wrapped == ExternRef {
    /// A nullable externref.
    public static var wasmType: ValueType { .externref }
    /// An externref (nil for null).
    public init?(wasmValue: Value) {
        guard case .externRef(let reference) = wasmValue else { return nil }
        self = reference
    }
    /// The externref (null for nil).
    public var wasmValue: Value { .externRef(self) }
}

extension Global {
    /// The global's value as a Swift type (nil when the global is of another type):
    /// `instance.global("counter")?.value(as: Int32.self)`.
    public func value<T: WasmValueConvertible>(as type: T.Type) -> T? { T(wasmValue: value) }

    /// Sets a mutable global from a Swift value of its type.
    public func set<T: WasmValueConvertible>(_ value: T) throws(WasmoonError) { try set(value.wasmValue) }
}

extension Table {
    /// The function at `index` of a funcref table (nil for null). Throws the out-of-bounds
    /// trap outside the table.
    public func function(at index: Int) throws(WasmoonError) -> Function? {
        guard case .funcRef(let function) = try get(index) else {
            throw .call(CallError("the table holds \(elementType), not functions"))
        }
        return function
    }
}
