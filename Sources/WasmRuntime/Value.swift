import WasmCore

/// A WebAssembly value as seen by embedders and the command line.
/// Floats are bit patterns so NaN payloads survive a round trip.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case funcRef(Function?)
    case externRef(ExternRef?)

    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .funcRef: .funcref
        case .externRef: .externref
        }
    }

    /// The zero value of a type (null for references).
    public static func zero(_ type: ValueType) -> Value {
        switch type {
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .funcref: .funcRef(nil)
        case .externref: .externRef(nil)
        }
    }

    public var description: String {
        switch self {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): "f32:\(Float(bitPattern: v))"
        case .f64(let v): "f64:\(Double(bitPattern: v))"
        case .funcRef(let f): f.map { "funcref:\($0.debugName)" } ?? "funcref:null"
        case .externRef(let e): e.map { "externref:\($0.id)" } ?? "externref:null"
        }
    }
}

/// An opaque host reference (`externref`). The runtime never looks inside.
public struct ExternRef: Hashable, Sendable {
    /// Host-chosen identity; must be below `UInt64.max`.
    public let id: UInt64

    public init(id: UInt64) {
        precondition(id != UInt64.max, "ExternRef id UInt64.max is reserved")
        self.id = id
    }
}

// MARK: - Raw 64-bit slot encoding shared by both engines

/// Every value lives in a 64-bit slot inside the engines: i32/f32 in the low
/// 32 bits (upper bits zero), i64/f64 as is, funcref as the address of its
/// `Function` object (0 = null), externref as `id + 1` (0 = null).
package enum RawValue {
    @inline(__always)
    package static func encode(_ value: Value) -> UInt64 {
        switch value {
        case .i32(let v): UInt64(v)
        case .i64(let v): v
        case .f32(let v): UInt64(v)
        case .f64(let v): v
        case .funcRef(let f): f.map { $0.rawReference } ?? 0
        case .externRef(let e): e.map { $0.id &+ 1 } ?? 0
        }
    }

    @inline(__always)
    package static func decode(_ raw: UInt64, as type: ValueType) -> Value {
        switch type {
        case .i32: .i32(UInt32(truncatingIfNeeded: raw))
        case .i64: .i64(raw)
        case .f32: .f32(UInt32(truncatingIfNeeded: raw))
        case .f64: .f64(raw)
        case .funcref: .funcRef(Function.fromRawReference(raw))
        case .externref: .externRef(raw == 0 ? nil : ExternRef(id: raw &- 1))
        }
    }
}
