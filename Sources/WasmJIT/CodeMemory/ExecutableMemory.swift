#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Machine code in its own pages, mapped W^X: the pages are mapped read-write,
/// the code is copied in, and then one `mprotect` turns them read-execute. They
/// are never writable and executable at the same time, and never written again
/// (later patching, e.g. tier-up, goes through indirection tables in data memory).
/// The pages are unmapped when the object is released — callers must not run the
/// code after that.
///
/// ```swift
/// let memory = try ExecutableMemory(assembler)
/// typealias Add = @convention(c) (Int32, Int32) -> Int32
/// let add = memory.function(at: 0, as: Add.self)
/// ```
public final class ExecutableMemory: @unchecked Sendable {
    // Immutable after init, so sharing between threads is safe.

    /// The first byte of the code.
    public let base: UnsafeRawPointer
    /// The number of code bytes.
    public let codeSize: Int
    /// The size of the mapping (a whole number of pages).
    public let mappedSize: Int

    /// Maps fresh pages, copies `code` in and makes them read-execute.
    /// Throws `ExecutableMemoryError`.
    public convenience init(code: UnsafeRawBufferPointer) throws {
        let mapped = try Self.map(code)
        self.init(base: mapped, codeSize: code.count, mappedSize: Self.roundToPages(code.count))
    }

    /// Copies the assembler's code; refuses it (`.assemblerFailed`) when the assembler
    /// met an internal error or a referenced label is unbound.
    public convenience init(_ assembler: borrowing X64Assembler) throws {
        if let error = assembler.completionError { throw ExecutableMemoryError.assemblerFailed(error) }
        let mapped = try assembler.withUnsafeBytes { try Self.map($0) }
        self.init(base: mapped, codeSize: assembler.offset, mappedSize: Self.roundToPages(assembler.offset))
    }

    /// Copies `bytes`.
    public convenience init(bytes: [UInt8]) throws {
        let mapped = try bytes.withUnsafeBytes { try Self.map($0) }
        self.init(base: mapped, codeSize: bytes.count, mappedSize: Self.roundToPages(bytes.count))
    }

    private init(base: UnsafeRawPointer, codeSize: Int, mappedSize: Int) {
        self.base = base
        self.codeSize = codeSize
        self.mappedSize = mappedSize
    }

    static func roundToPages(_ n: Int) -> Int {
        let page = pageSize
        return max(page, (n + page - 1) / page * page)
    }

    /// mmap RW → copy → mprotect RX. Returns the mapping's start.
    static func map(_ code: UnsafeRawBufferPointer) throws(ExecutableMemoryError) -> UnsafeRawPointer {
        let size = roundToPages(code.count)
        let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let raw, raw != MAP_FAILED else { throw .mapFailed(errno: errno) }
        if let src = code.baseAddress, code.count > 0 {
            raw.copyMemory(from: src, byteCount: code.count)
        }
        // Pad the rest of the last page with int3, so running off the end traps.
        if size > code.count {
            (raw + code.count).initializeMemory(as: UInt8.self, repeating: 0xCC, count: size - code.count)
        }
        // The call stays outside any assert/precondition: those may not evaluate their argument.
        let rc = mprotect(raw, size, PROT_READ | PROT_EXEC)
        if rc != 0 {
            let e = errno
            _ = munmap(raw, size)
            throw .protectFailed(errno: e)
        }
        return UnsafeRawPointer(raw)
    }

    deinit {
        _ = munmap(UnsafeMutableRawPointer(mutating: base), mappedSize)
    }

    /// The address of the byte at `offset`.
    public func address(at offset: Int) -> UnsafeRawPointer {
        precondition(offset >= 0 && offset < codeSize, "offset outside the code")
        return base + offset
    }

    /// The code at `offset` as a function of type `F`, which must be a
    /// `@convention(c)` function type, e.g. `@convention(c) (Int32) -> Int32`.
    /// The result is valid only while this object is alive.
    public func function<F>(at offset: Int, as type: F.Type = F.self) -> F {
        precondition(MemoryLayout<F>.size == MemoryLayout<UnsafeRawPointer>.size,
                     "function(at:as:) needs a @convention(c) function type")
        return unsafeBitCast(address(at: offset), to: F.self)
    }

    /// Whether `address` lies inside the code (e.g. for a signal handler's PC check).
    public func contains(_ address: UnsafeRawPointer) -> Bool {
        address >= base && address < base + codeSize
    }

    /// The system page size.
    public static let pageSize: Int = Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Why code memory could not be set up.
public enum ExecutableMemoryError: Error, Equatable {
    /// `mmap` failed with this `errno`.
    case mapFailed(errno: Int32)
    /// `mprotect` to read-execute failed with this `errno`.
    case protectFailed(errno: Int32)
    /// The assembler's code is incomplete or wrong (`X64Assembler.completionError`).
    case assemblerFailed(String)
    /// A growing code space (`CodeSpace`) has no room left for more code.
    case spaceExhausted(capacity: Int)
}
