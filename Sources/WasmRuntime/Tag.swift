import WasmCore

/// A tag instance (exception handling): the identity an exception is thrown and caught
/// by, with the types of the values it carries (its function type's parameters).
public final class Tag: Hashable, @unchecked Sendable {
    /// The tag's function type, canonical (see `TypeRegistry`); its results are empty.
    public let type: FuncType
    package let typeID: Int32

    /// A host-made tag whose exceptions carry values of `parameters`.
    public convenience init(parameters: [ValueType]) {
        let type = FuncType(params: parameters, results: [])
        self.init(type: type, typeID: TypeRegistry.shared.id(for: type))
    }

    package init(type: FuncType, typeID: Int32) {
        self.type = type
        self.typeID = typeID
    }

    /// Tags are equal when they are the same tag instance.
    public static func == (lhs: Tag, rhs: Tag) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A thrown exception (an `exnref` points at one): its tag and the values it carries, as raw
/// slots (`RawValue`). The store keeps every exception alive as long as it lives.
public final class Exception: Hashable, @unchecked Sendable {
    /// The tag the exception was thrown with.
    public let tag: Tag
    /// The payload in slots, laid out by the tag's parameter types.
    package let slots: [UInt64]

    package init(tag: Tag, slots: [UInt64]) {
        self.tag = tag
        self.slots = slots
    }

    /// Exceptions are equal when they are the same thrown exception.
    public static func == (lhs: Exception, rhs: Exception) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// The payload as values of the tag's parameter types.
    public var values: [Value] {
        slots.withUnsafeBufferPointer { RawValue.decode($0.baseAddress!, as: tag.type.params) }
    }

    /// The raw `exnref` slot value: the object's address.
    package var rawReference: UInt64 { UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque())) }

    /// The exception a raw `exnref` names (nil for 0 = null).
    package static func fromRawReference(_ raw: UInt64) -> Exception? {
        guard let p = UnsafeRawPointer(bitPattern: UInt(raw)) else { return nil }
        return Unmanaged<Exception>.fromOpaque(p).takeUnretainedValue()
    }
}

/// A wasm exception no wasm handler caught, as a Swift error: out of `Function.call`, and
/// thrown by a host function to raise one in wasm (`WasmException(tag:values:)`).
public struct WasmException: Error, @unchecked Sendable, CustomStringConvertible {
    /// The exception, as wasm would catch it.
    public let exception: Exception

    /// The error for `exception`.
    public init(_ exception: Exception) { self.exception = exception }

    /// A new exception of `tag` carrying `values` (of the tag's parameter types).
    public init(tag: Tag, values: [Value]) {
        exception = Exception(tag: tag, slots: RawValue.encode(values))
    }

    /// The exception's tag.
    public var tag: Tag { exception.tag }
    /// The exception's payload, typed by the tag's parameters.
    public var values: [Value] { exception.values }

    public var description: String { "uncaught wasm exception" }
}
