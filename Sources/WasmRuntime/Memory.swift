// SAFETY-CRITICAL: linear memory layout. Both engines (and the JIT's guard-page
// bounds checks) rely on: the base never moves; the reservation covers
// base ..< base + 8 GiB + guard (64 KiB for a 32-bit memory, whose index + offset stays
// below 8 GiB; `guardSize64` for a 64-bit one), of which only the first `byteCount` bytes are
// readable and writable; everything past it faults.
import WasmCore
import CWasmoon

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The part of a memory the engines read on every access. Lives at a stable
/// address (`Memory.definition`) so compiled code can embed the pointer.
package struct VMMemoryDefinition {
    package var base: UnsafeMutableRawPointer
    /// Current size in bytes (a multiple of 64 KiB).
    package var byteCount: Int
}

/// A linear memory instance (64 KiB pages).
public final class Memory: @unchecked Sendable {
    /// Bytes in a wasm page (64 KiB).
    public static let pageSize = 65536
    /// Address space reserved per 32-bit memory: any 32-bit index plus any 32-bit offset.
    package static let reservationSize = 8 << 30 + 65536
    /// The guard region after a 64-bit memory's largest size: JIT code checks only that an
    /// address is at most the memory's size when the access's offset + size fit in it.
    package static let guardSize64 = 1 << 31
    /// Address space reserved per 64-bit memory.
    package static let reservationSize64 = 8 << 30 + guardSize64

    /// The memory's type as created (its limits' minimum is the initial size).
    public let type: MemoryType
    package let definition: UnsafeMutablePointer<VMMemoryDefinition>
    private let reservation: UnsafeMutableRawPointer
    private let reservedBytes: Int
    /// Handle of the reservation in the signal handler's registry (JIT out-of-bounds traps).
    private var registration: Int32 = -1

    /// The largest page count a 64-bit memory may reach here: the reservation (8 GiB). Its
    /// accesses are checked explicitly, so no guard region is needed past it.
    public static let maxPages64: UInt64 = UInt64(8 << 30) / UInt64(pageSize)

    /// The most pages this memory may grow to: its type's maximum, the runtime's and the store's limits.
    public let maxPages: UInt64

    /// Allocates a memory of `type.limits.min` pages, which may grow to `maxBytes` at most
    /// (a store's limit) besides its type's and the runtime's limits.
    public init(type: MemoryType, maxBytes: UInt64? = nil) throws(WasmoonError) {
        let limit = type.is64 ? Memory.maxPages64 : MemoryType.maxPages
        guard type.limits.min <= limit else {
            throw .resource(ResourceError("memory size of \(type.limits.min) pages exceeds the \(limit >> 4) MiB this runtime allows"))
        }
        if let maxBytes, type.limits.min > maxBytes / UInt64(Memory.pageSize) {
            throw .resource(ResourceError(
                "memory of \(type.limits.min * UInt64(Memory.pageSize)) bytes exceeds the limit of \(maxBytes) bytes"))
        }
        maxPages = min(type.limits.max ?? limit, limit, maxBytes.map { $0 / UInt64(Memory.pageSize) } ?? limit)
        self.type = type
        reservedBytes = type.is64 ? Memory.reservationSize64 : Memory.reservationSize
        guard let p = mmap(nil, reservedBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            p != MAP_FAILED
        else { throw .resource(ResourceError("cannot reserve address space for a linear memory")) }
        reservation = p
        definition = .allocate(capacity: 1)
        definition.initialize(to: VMMemoryDefinition(base: p, byteCount: 0))
        let bytes = Int(type.limits.min) * Memory.pageSize
        if bytes > 0 {
            guard mprotect(p, bytes, PROT_READ | PROT_WRITE) == 0 else {
                munmap(p, reservedBytes)
                definition.deallocate()
                throw .resource(ResourceError("cannot commit \(bytes) bytes of linear memory"))
            }
        }
        definition.pointee.byteCount = bytes
        let start = UInt(bitPattern: p)
        registration = wasmoon_register_memory(start, start + UInt(reservedBytes))
    }

    deinit {
        wasmoon_unregister_memory(registration)
        munmap(reservation, reservedBytes)
        definition.deallocate()
    }

    /// Base address of the memory's bytes.
    public var base: UnsafeMutableRawPointer { definition.pointee.base }
    /// The current size in bytes.
    public var byteCount: Int { definition.pointee.byteCount }
    /// The current size in pages.
    public var pageCount: Int { definition.pointee.byteCount / Memory.pageSize }

    /// `memory.grow`: returns the old page count, or -1 when the memory cannot grow.
    package func grow(by delta: UInt64) -> Int64 {
        let old = UInt64(pageCount)
        if delta == 0 { return Int64(old) }
        guard delta <= maxPages, old + delta <= maxPages else { return -1 }
        let newBytes = Int(old + delta) * Memory.pageSize
        guard mprotect(base, newBytes, PROT_READ | PROT_WRITE) == 0 else { return -1 }
        definition.pointee.byteCount = newBytes
        return Int64(old)
    }

    /// `memory.grow` as the engines see it: the old page count, or -1 of the memory's address
    /// type (a raw slot value).
    package func growResult(by delta: UInt64) -> UInt64 {
        let r = grow(by: delta)
        return r < 0 ? type.addressType.failure : UInt64(r)
    }

    /// Grows by `delta` pages; returns the old page count, or nil on failure.
    public func grow(pages delta: UInt64) -> UInt64? {
        let r = grow(by: delta)
        return r < 0 ? nil : UInt64(r)
    }
}

// MARK: Bulk operations (both engines call these)

extension Memory {
    /// Is `start ..< start + count` inside the memory?
    @inline(__always)
    func contains(_ start: UInt64, count: UInt64) -> Bool {
        let size = UInt64(byteCount)
        return start <= size && count <= size - start
    }

    /// `memory.fill`: sets `count` bytes at `destination` to `value`.
    package func fill(at destination: UInt64, value: UInt8, count: UInt64) throws(Trap) {
        guard contains(destination, count: count) else { throw Trap(.outOfBoundsMemoryAccess) }
        if count > 0 { (base + Int(destination)).initializeMemory(as: UInt8.self, repeating: value, count: Int(count)) }
    }

    /// `memory.copy`: copies `count` bytes from `source` in `sourceMemory` (possibly this
    /// memory: the ranges may overlap) to `destination` here.
    package func copy(to destination: UInt64, from source: UInt64, count: UInt64, in sourceMemory: Memory) throws(Trap) {
        guard contains(destination, count: count), sourceMemory.contains(source, count: count) else {
            throw Trap(.outOfBoundsMemoryAccess)
        }
        if count > 0 { memmove(base + Int(destination), sourceMemory.base + Int(source), Int(count)) }
    }

    /// `memory.init`: copies `count` bytes from `offset` in a data segment to `destination`.
    package func initialize(at destination: UInt64, from segment: [UInt8], offset: UInt64, count: UInt64) throws(Trap) {
        guard contains(destination, count: count), offset <= UInt64(segment.count),
            count <= UInt64(segment.count) - offset
        else { throw Trap(.outOfBoundsMemoryAccess) }
        if count > 0 {
            segment.withUnsafeBytes {
                (base + Int(destination)).copyMemory(from: $0.baseAddress! + Int(offset), byteCount: Int(count))
            }
        }
    }
}

/// The host could not provide a resource (address space, memory).
public struct ResourceError: Error, Sendable, CustomStringConvertible {
    /// What could not be had.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
