#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CWasmoon

/// Code memory that grows one function at a time, for compiling on first call.
///
/// One reservation of address space holds, in order:
/// - a table of words (read-write data, never executable): the code address of each
///   function, which compiled code calls through and a compile writes last;
/// - the code (read-execute), bump-allocated. Its pages belong to an in-memory file
///   (memfd) mapped a second time, read-write, elsewhere: the compiler writes through
///   that alias, so no page is ever writable and executable in the same mapping, and
///   code next to running code can be added without `mprotect` (which would stop the
///   threads running it).
///
/// Everything lies within one reservation smaller than 2 GB, so code reaches the table
/// and other code with 32-bit displacements.
final class CodeSpace: @unchecked Sendable {
    // The addresses are fixed at init; `used` and `filled` change under the owner's lock.

    /// The table's first word.
    let table: UnsafeMutablePointer<UInt>
    /// The number of table words.
    let tableCount: Int
    /// The first code byte (read-execute view).
    let codeBase: UnsafeRawPointer
    /// Bytes of code the space can hold.
    let capacity: Int
    /// The bytes of code written so far (the next code starts at `used` rounded up to 16).
    private(set) var used = 0
    /// Code pages below this offset are initialized (code, or int3 padding).
    private var filled = 0

    private let reservation: UnsafeMutableRawPointer
    private let reservationSize: Int
    private let writable: UnsafeMutableRawPointer

    /// Reserves a table of `tableCount` words and room for `capacity` bytes of code.
    /// Throws `ExecutableMemoryError` when the system refuses (no memfd, no address space).
    init(tableCount: Int, capacity requested: Int) throws(ExecutableMemoryError) {
        let tableBytes = ExecutableMemory.roundToPages(max(tableCount, 1) * MemoryLayout<UInt>.size)
        let capacity = ExecutableMemory.roundToPages(requested)
        self.tableCount = tableCount
        self.capacity = capacity
        reservationSize = tableBytes + capacity
        guard reservationSize < Int(Int32.max) else { throw .mapFailed(errno: ENOMEM) }
        let fd = wasmoon_memfd_create("wasmoon-jit")
        guard fd >= 0 else { throw .mapFailed(errno: errno) }
        defer { close(fd) }  // the mappings keep the file
        guard ftruncate(fd, off_t(capacity)) == 0 else { throw .mapFailed(errno: errno) }
        guard let base = mmap(nil, reservationSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            base != MAP_FAILED
        else { throw .mapFailed(errno: errno) }
        reservation = base
        let tableMap = mmap(base, tableBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
        let codeMap = mmap(base + tableBytes, capacity, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, 0)
        let alias = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard tableMap == base, codeMap == base + tableBytes, let alias, alias != MAP_FAILED else {
            let e = errno
            _ = munmap(base, reservationSize)
            if let alias, alias != MAP_FAILED { _ = munmap(alias, capacity) }
            throw .mapFailed(errno: e)
        }
        writable = alias
        table = base.assumingMemoryBound(to: UInt.self)
        codeBase = UnsafeRawPointer(base + tableBytes)
    }

    deinit {
        _ = munmap(writable, capacity)
        _ = munmap(reservation, reservationSize)
    }

    /// The address of table word `index`.
    func tableAddress(_ index: Int) -> UnsafeRawPointer { UnsafeRawPointer(table + index) }

    /// Where the next code will start (offset from `codeBase`, 16-byte aligned).
    var nextOffset: Int { (used + 15) & ~15 }

    /// Copies the assembler's code to `nextOffset` (the offset it was assembled for) and
    /// returns that offset. The code is visible to other threads once the caller
    /// publishes its address with a release store. Throws when the space is full.
    func append(_ assembler: borrowing X64Assembler) throws(ExecutableMemoryError) -> Int {
        let start = nextOffset
        let end = start + assembler.offset
        guard end <= capacity else { throw .spaceExhausted(capacity: capacity) }
        if end > filled {
            // Fresh pages: int3 everywhere code has not been written, so a stray jump traps.
            let newFilled = min(capacity, ExecutableMemory.roundToPages(end))
            (writable + filled).initializeMemory(as: UInt8.self, repeating: 0xCC, count: newFilled - filled)
            filled = newFilled
        }
        assembler.withUnsafeBytes { bytes in
            if let source = bytes.baseAddress, bytes.count > 0 {
                (writable + start).copyMemory(from: source, byteCount: bytes.count)
            }
        }
        used = end
        return start
    }
}
