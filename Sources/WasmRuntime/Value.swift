import WasmCore

/// A WebAssembly value as seen by embedders and the command line.
/// Floats are bit patterns so NaN payloads survive a round trip.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128(V128)
    case funcRef(Function?)
    case externRef(ExternRef?)
    case exnRef(Exception?)

    /// The value's type, as far as the value says: references give their abstract type.
    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .v128
        case .funcRef: .funcref
        case .externRef: .externref
        case .exnRef: .exnref
        }
    }

    /// The zero value of a type (null for references).
    public static func zero(_ type: ValueType) -> Value {
        switch type {
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .v128: .v128(.zero)
        case .ref(let r):
            switch r.heapType.top {
            case .extern: .externRef(nil)
            case .exception: .exnRef(nil)
            default: .funcRef(nil)
            }
        }
    }

    /// Is the value of `type` (a type in canonical form, see `TypeRegistry`)?
    public func matches(_ type: ValueType) -> Bool {
        switch (self, type) {
        case (.i32, .i32), (.i64, .i64), (.f32, .f32), (.f64, .f64), (.v128, .v128): return true
        case (.funcRef(let f), .ref(let r)):
            guard r.heapType.top == .function else { return false }
            guard let f else { return r.isNullable }
            switch r.heapType {
            case .abstract(let a): return a == .function
            case .concrete(let id): return TypeRegistry.shared.isSubtype(f.typeID, of: Int32(id))
            }
        case (.externRef(let e), .ref(let r)):
            guard r.heapType.top == .extern else { return false }
            return e == nil ? r.isNullable : r.heapType == .extern
        case (.exnRef(let e), .ref(let r)):
            guard r.heapType.top == .exception else { return false }
            return e == nil ? r.isNullable : r.heapType == .exception
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): "f32:\(Float(bitPattern: v))"
        case .f64(let v): "f64:\(Double(bitPattern: v))"
        case .v128(let v): "v128:\(v)"
        case .funcRef(let f): f.map { "funcref:\($0.debugName)" } ?? "funcref:null"
        case .externRef(let e): e.map { "externref:\($0.id)" } ?? "externref:null"
        case .exnRef(let e): e == nil ? "exnref:null" : "exnref"
        }
    }
}

/// An opaque host reference (`externref`). The runtime never looks inside.
public struct ExternRef: Hashable, Sendable {
    /// Host-chosen identity; must be below `UInt64.max`.
    public let id: UInt64

    /// A reference the host identifies by `id` (any value but `UInt64.max`).
    public init(id: UInt64) {
        precondition(id != UInt64.max, "ExternRef id UInt64.max is reserved")
        self.id = id
    }
}

// MARK: - Raw 64-bit slot encoding shared by both engines

/// Every value lives in 64-bit slots inside the engines: i32/f32 in the low 32 bits (upper
/// bits zero), i64/f64 as is, funcref as the address of its `Function` object (0 = null),
/// externref as `id + 1` (0 = null); a v128 takes two consecutive slots, its low half first.
/// Arguments, results, frames and globals are laid out by `slotCount`.
package enum RawValue {
    /// Slots a value of `type` takes: 2 for v128, 1 for every other type.
    @inline(__always)
    package static func slotCount(_ type: ValueType) -> Int { type == .v128 ? 2 : 1 }

    /// Slots of a sequence of values (a parameter or result list).
    package static func slotCount(_ types: [ValueType]) -> Int {
        var n = 0
        for t in types { n += slotCount(t) }
        return n
    }

    /// The slot of a single-slot value (not a v128: see `store`).
    @inline(__always)
    package static func encode(_ value: Value) -> UInt64 {
        switch value {
        case .i32(let v): UInt64(v)
        case .i64(let v): v
        case .f32(let v): UInt64(v)
        case .f64(let v): v
        case .v128(let v): v.low
        case .funcRef(let f): f.map { $0.rawReference } ?? 0
        case .externRef(let e): e.map { $0.id &+ 1 } ?? 0
        case .exnRef(let e): e?.rawReference ?? 0
        }
    }

    /// Writes `value` to `slots` (one slot, or two for a v128); returns the slots written.
    @discardableResult @inline(__always)
    package static func store(_ value: Value, to slots: UnsafeMutablePointer<UInt64>) -> Int {
        if case .v128(let v) = value {
            slots[0] = v.low
            slots[1] = v.high
            return 2
        }
        slots[0] = encode(value)
        return 1
    }

    /// The value of `type` in `slots`.
    @inline(__always)
    package static func load(_ slots: UnsafePointer<UInt64>, as type: ValueType) -> Value {
        type == .v128 ? .v128(V128(low: slots[0], high: slots[1])) : decode(slots[0], as: type)
    }

    /// Values laid out in consecutive slots.
    package static func encode(_ values: [Value]) -> [UInt64] {
        var slots: [UInt64] = []
        slots.reserveCapacity(values.count)
        for v in values {
            if case .v128(let x) = v {
                slots.append(x.low)
                slots.append(x.high)
            } else {
                slots.append(encode(v))
            }
        }
        return slots
    }

    /// The values of `types` laid out in consecutive slots from `slots`.
    package static func decode(_ slots: UnsafePointer<UInt64>, as types: [ValueType]) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(types.count)
        var at = 0
        for t in types {
            values.append(load(slots + at, as: t))
            at += slotCount(t)
        }
        return values
    }

    /// The value of a single-slot type (a v128 needs `load`; given one slot it reads it as the low half).
    @inline(__always)
    package static func decode(_ raw: UInt64, as type: ValueType) -> Value {
        switch type {
        case .i32: .i32(UInt32(truncatingIfNeeded: raw))
        case .i64: .i64(raw)
        case .f32: .f32(UInt32(truncatingIfNeeded: raw))
        case .f64: .f64(raw)
        case .v128: .v128(V128(low: raw, high: 0))
        case .ref(let r):
            switch r.heapType.top {
            case .extern: .externRef(raw == 0 ? nil : ExternRef(id: raw &- 1))
            case .exception: .exnRef(Exception.fromRawReference(raw))
            default: .funcRef(Function.fromRawReference(raw))
            }
        }
    }
}
