/// Core WebAssembly types: value types, function types, limits, and the
/// types of tables, memories and globals (spec §2.3).

/// A value type. Floats travel as bit patterns everywhere so NaN payloads survive.
/// Reference types carry their heap type and nullability (`RefType`); `funcref` and
/// `externref` are the nullable abstract ones of Wasm 2.0.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case i32
    case i64
    case f32
    case f64
    /// A 128-bit SIMD vector (`V128`).
    case v128
    case ref(RefType)

    /// `funcref`: a nullable reference to any function, `(ref null func)`.
    public static let funcref = ValueType.ref(.funcref)
    /// `externref`: a nullable reference to a host value, `(ref null extern)`.
    public static let externref = ValueType.ref(.externref)
    /// `exnref`: a nullable reference to a caught exception, `(ref null exn)` (exception handling).
    public static let exnref = ValueType.ref(.exnref)

    /// Whether this is a reference type (`ref`), not a number or a vector.
    @inlinable public var isReference: Bool { if case .ref = self { true } else { false } }
    /// Whether this is a number or vector type (`i32`, `i64`, `f32`, `f64`, `v128`), not a reference.
    @inlinable public var isNumeric: Bool { !isReference }

    /// The reference type, for a reference.
    @inlinable public var refType: RefType? { if case .ref(let r) = self { r } else { nil } }

    /// Does the type have a default value (zero, or null)? Non-nullable references do not.
    @inlinable public var isDefaultable: Bool { refType?.isNullable ?? true }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref(let r): r.description
        }
    }
}

/// A 128-bit SIMD value: lane 0 is in the lowest bits of `low` (memory order, little-endian).
public struct V128: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0..<8 (lanes 0 upwards), as a little-endian integer.
    public var low: UInt64
    /// Bytes 8..<16.
    public var high: UInt64

    /// A vector from its two halves: bytes 0..<8 in `low`, bytes 8..<16 in `high`.
    @inlinable
    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// The vector with all 128 bits zero.
    @inlinable public static var zero: V128 { V128(low: 0, high: 0) }

    /// The 16 bytes in memory order.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "V128 takes 16 bytes")
        var low: UInt64 = 0, high: UInt64 = 0
        for i in 0..<8 {
            low |= UInt64(bytes[i]) << (8 * i)
            high |= UInt64(bytes[8 + i]) << (8 * i)
        }
        self.init(low: low, high: high)
    }

    /// The 16 bytes in memory order.
    public var bytes: [UInt8] {
        (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? low : high) >> (8 * (i % 8))) }
    }

    /// `0x` and 32 hex digits: the vector as one little-endian 128-bit number (cli.md).
    public var description: String {
        func hex16(_ v: UInt64) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "0x" + hex16(high) + hex16(low)
    }
}

/// A function signature.
public struct FuncType: Hashable, Sendable, CustomStringConvertible {
    /// The parameter types, in order.
    public var params: [ValueType]
    /// The result types, in order (several with multi-value).
    public var results: [ValueType]

    /// A signature taking `params` and returning `results`.
    public init(params: [ValueType], results: [ValueType]) {
        self.params = params
        self.results = results
    }

    public var description: String {
        "(" + params.map(\.description).joined(separator: " ") + ") -> ("
            + results.map(\.description).joined(separator: " ") + ")"
    }
}

/// Size limits of a table (in elements) or memory (in 64 KiB pages).
public struct Limits: Hashable, Sendable {
    /// The minimum size: pages for a memory, elements for a table.
    public var min: UInt64
    /// The maximum size, in the same unit; nil when the table or memory has none.
    public var max: UInt64?

    /// Limits of at least `min` and, when given, at most `max`.
    public init(min: UInt64, max: UInt64? = nil) {
        self.min = min
        self.max = max
    }
}

/// The type of the addresses (memories) or indices (tables) a memory or table takes:
/// `i32`, or `i64` with memory64/table64.
public enum AddressType: UInt8, Hashable, Sendable {
    case i32
    case i64

    /// The value type of an address, an index or a size.
    public var valueType: ValueType { self == .i64 ? .i64 : .i32 }
    /// The all-ones value `memory.grow`/`table.grow` return on failure, as a raw slot.
    public var failure: UInt64 { self == .i64 ? UInt64.max : UInt64(UInt32.max) }
    /// The smaller of two address types (what `memory.copy`/`table.copy` take as a length).
    public static func min(_ a: AddressType, _ b: AddressType) -> AddressType { a == .i64 && b == .i64 ? .i64 : .i32 }
}

/// The type of a table: its element reference type, size limits and address type.
public struct TableType: Hashable, Sendable {
    /// The reference type of the table's elements.
    public var elementType: RefType
    /// The table's initial and maximum sizes, in elements.
    public var limits: Limits
    /// The type of the table's indices: `i32`, or `i64` for a 64-bit table (memory64).
    public var addressType: AddressType

    /// A table type; 32-bit unless `addressType` says otherwise.
    public init(elementType: RefType, limits: Limits, addressType: AddressType = .i32) {
        self.elementType = elementType
        self.limits = limits
        self.addressType = addressType
    }

    /// The largest size a table of this address type may declare.
    public var maxElements: UInt64 { addressType == .i64 ? UInt64.max : UInt64(UInt32.max) }
}

/// The type of a linear memory: its size limits in 64 KiB pages, sharing and address type.
public struct MemoryType: Hashable, Sendable {
    /// The memory's initial and maximum sizes, in 64 KiB pages.
    public var limits: Limits
    /// Whether the memory is shared (the threads proposal; refused by this runtime).
    public var shared: Bool
    /// The type of the memory's addresses: `i32`, or `i64` for a 64-bit memory (memory64).
    public var addressType: AddressType

    /// A memory type; unshared and 32-bit unless told otherwise.
    public init(limits: Limits, shared: Bool = false, addressType: AddressType = .i32) {
        self.limits = limits
        self.shared = shared
        self.addressType = addressType
    }

    /// The largest page count a 32-bit memory may have (4 GiB).
    public static let maxPages: UInt64 = 65536
    /// The largest page count a 64-bit memory may declare (2^48 pages: 2^64 bytes).
    public static let maxPages64: UInt64 = 1 << 48

    /// The largest page count this memory type may declare.
    public var maxDeclarablePages: UInt64 { addressType == .i64 ? MemoryType.maxPages64 : MemoryType.maxPages }
    /// Whether this is a 64-bit memory (memory64), addressed with `i64`.
    public var is64: Bool { addressType == .i64 }
}

/// Whether a global is immutable (`const`, 0) or mutable (`var`, 1), by its binary encoding.
public enum Mutability: UInt8, Hashable, Sendable {
    case constant = 0
    case variable = 1
}

/// The type of a global: the type of its value and whether `global.set` may change it.
public struct GlobalType: Hashable, Sendable {
    /// The type of the value the global holds.
    public var valueType: ValueType
    /// Whether the global is constant or mutable.
    public var mutability: Mutability

    /// A global type holding `valueType`, constant or mutable as `mutability` says.
    public init(valueType: ValueType, mutability: Mutability) {
        self.valueType = valueType
        self.mutability = mutability
    }
}

/// The type annotation of `block`, `loop` and `if`.
public enum BlockType: Hashable, Sendable {
    case empty
    case value(ValueType)
    case typeIndex(UInt32)
}
