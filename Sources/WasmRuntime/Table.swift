import WasmCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The part of a table the engines read on every access, at a stable address.
package struct VMTableDefinition {
    /// Raw reference slots (see `RawValue`): 0 is null.
    package var elements: UnsafeMutablePointer<UInt64>
    package var count: Int
}

/// A table instance: a growable vector of references.
public final class Table: @unchecked Sendable {
    /// Implementation limit on table growth (elements); growth beyond fails with -1.
    package static let maxElements: UInt64 = 10_000_000

    /// The type of the references the table holds.
    public let elementType: RefType
    /// The table's limits as created.
    public let limits: Limits
    /// i32, or i64 for a table64.
    public let addressType: AddressType
    package let definition: UnsafeMutablePointer<VMTableDefinition>
    private var capacity: Int

    /// The most elements this table may grow to: its type's maximum, the runtime's and the store's limits.
    public let maxCount: UInt64

    /// Allocates a table of `type.limits.min` elements, which may grow to `maxElements` at most
    /// (a store's limit) besides its type's and the runtime's limits.
    /// `initialValue` (null when nil) must be a reference of the element type.
    public init(type: TableType, initialValue: Value? = nil, maxElements: UInt64? = nil) throws(WasmoonError) {
        guard type.limits.min <= Table.maxElements else { throw .resource(ResourceError("table too large")) }
        if let maxElements, type.limits.min > maxElements {
            throw .resource(
                ResourceError("table of \(type.limits.min) elements exceeds the limit of \(maxElements) elements"))
        }
        if let initialValue, !initialValue.matches(.ref(type.elementType)) {
            throw .call(CallError("a \(initialValue.type) cannot fill a table of \(type.elementType)"))
        }
        maxCount = min(type.limits.max ?? UInt64.max, Table.maxElements, maxElements ?? UInt64.max)
        elementType = type.elementType
        limits = type.limits
        addressType = type.addressType
        capacity = max(Int(type.limits.min), 1)
        let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        let fill = initialValue.map(RawValue.encode) ?? 0
        elements.initialize(repeating: fill, count: capacity)
        definition = .allocate(capacity: 1)
        definition.initialize(to: VMTableDefinition(elements: elements, count: Int(type.limits.min)))
    }

    deinit {
        definition.pointee.elements.deallocate()
        definition.deallocate()
    }

    /// The current number of elements.
    public var count: Int { definition.pointee.count }
    /// The table's type, with its current size as the minimum.
    public var type: TableType {
        TableType(elementType: elementType, limits: Limits(min: UInt64(count), max: limits.max), addressType: addressType)
    }

    /// Sets every element to the raw reference `raw` (a table initializer).
    package func fill(raw: UInt64) {
        definition.pointee.elements.update(repeating: raw, count: count)
    }

    /// `table.grow`: returns the old size, or -1 when the table cannot grow.
    package func grow(by delta: UInt64, fill: UInt64) -> Int64 {
        let old = UInt64(count)
        guard delta <= maxCount, old + delta <= maxCount else { return -1 }
        let newCount = Int(old + delta)
        if newCount > capacity {
            let newCapacity = max(newCount, capacity * 2)
            let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
            fresh.initialize(from: definition.pointee.elements, count: Int(old))
            (fresh + Int(old)).initialize(repeating: 0, count: newCapacity - Int(old))
            definition.pointee.elements.deallocate()
            definition.pointee.elements = fresh
            capacity = newCapacity
        }
        (definition.pointee.elements + Int(old)).update(repeating: fill, count: Int(delta))
        definition.pointee.count = newCount
        return Int64(old)
    }

    /// `table.grow` as the engines see it: the old size, or -1 of the table's address type.
    package func growResult(by delta: UInt64, fill: UInt64) -> UInt64 {
        let r = grow(by: delta, fill: fill)
        return r < 0 ? addressType.failure : UInt64(r)
    }

    /// Is `start ..< start + count` inside the table?
    @inline(__always)
    func contains(_ start: UInt64, count: UInt64) -> Bool {
        let size = UInt64(self.count)
        return start <= size && count <= size - start
    }

    /// `table.fill`: sets `count` elements at `destination` to the raw reference `value`.
    package func fill(at destination: UInt64, value: UInt64, count: UInt64) throws(Trap) {
        guard contains(destination, count: count) else { throw Trap(.outOfBoundsTableAccess) }
        (definition.pointee.elements + Int(destination)).update(repeating: value, count: Int(count))
    }

    /// `table.copy`: copies `count` elements from `source` in `sourceTable` (possibly this
    /// table: the ranges may overlap) to `destination` here.
    package func copy(to destination: UInt64, from source: UInt64, count: UInt64, in sourceTable: Table) throws(Trap) {
        guard contains(destination, count: count), sourceTable.contains(source, count: count) else {
            throw Trap(.outOfBoundsTableAccess)
        }
        if count > 0 {
            memmove(definition.pointee.elements + Int(destination), sourceTable.definition.pointee.elements + Int(source), Int(count) * 8)
        }
    }

    /// `table.init` (and active element segments): copies `count` raw references from
    /// `offset` in a segment to `destination`.
    package func initialize(at destination: UInt64, from segment: [UInt64], offset: UInt64, count: UInt64) throws(Trap) {
        guard contains(destination, count: count), offset <= UInt64(segment.count),
            count <= UInt64(segment.count) - offset
        else { throw Trap(.outOfBoundsTableAccess) }
        for k in 0..<Int(count) { setRaw(segment[Int(offset) + k], at: Int(destination) + k) }
    }

    /// Grows by `delta` elements filled with `value`; returns the old size, or nil when the
    /// table cannot grow that far or `value` is not of the element type.
    public func grow(by delta: UInt64, filling value: Value) -> UInt64? {
        guard value.matches(.ref(elementType)) else { return nil }
        let r = grow(by: delta, fill: RawValue.encode(value))
        return r < 0 ? nil : UInt64(r)
    }

    @inline(__always) package func raw(at index: Int) -> UInt64 { definition.pointee.elements[index] }
    @inline(__always) package func setRaw(_ value: UInt64, at index: Int) { definition.pointee.elements[index] = value }

    /// The element at `index` (out of bounds: the trap `out of bounds table access`).
    public func get(_ index: Int) throws(WasmoonError) -> Value {
        guard index >= 0, index < count else { throw .trap(Trap(.outOfBoundsTableAccess)) }
        return RawValue.decode(raw(at: index), as: elementType.valueType)
    }

    /// Stores a reference of the element type at `index`; a value of another type is refused
    /// (`WasmoonError.call`), since wasm would use it as one.
    public func set(_ index: Int, _ value: Value) throws(WasmoonError) {
        guard index >= 0, index < count else { throw .trap(Trap(.outOfBoundsTableAccess)) }
        guard value.matches(.ref(elementType)) else {
            throw .call(CallError("a \(value.type) cannot be stored in a table of \(elementType)"))
        }
        setRaw(RawValue.encode(value), at: index)
    }
}

/// A global instance; its value lives at a stable address for the engines.
public final class Global: @unchecked Sendable {
    /// The global's value type and mutability.
    public let type: GlobalType
    package let storage: UnsafeMutablePointer<UInt64>

    /// Two slots for every global, so a v128 fits (`RawValue`).
    public init(type: GlobalType, value: Value) {
        self.type = type
        storage = .allocate(capacity: 2)
        storage.initialize(repeating: 0, count: 2)
        RawValue.store(value, to: storage)
    }

    deinit { storage.deallocate() }

    /// The global's current value.
    public var value: Value { RawValue.load(storage, as: type.valueType) }

    /// Sets a mutable global's value (type must match).
    public func set(_ value: Value) throws(WasmoonError) {
        guard type.mutability == .variable else { throw .call(CallError("global is immutable")) }
        guard value.matches(type.valueType) else {
            throw .call(CallError("a \(value.type) cannot be stored in a global of type \(type.valueType)"))
        }
        RawValue.store(value, to: storage)
    }
}
