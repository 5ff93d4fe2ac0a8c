#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The x86-64 assembler: a growable code buffer, labels with branch fixups, and an
/// optional textual listing. Instructions live in the `Instructions*.swift`
/// extensions; the ModRM/SIB/REX machinery in `Encoding.swift`.
///
/// ```swift
/// var a = X64Assembler(listing: true)
/// let loop = a.newLabel("loop")
/// a.xor(.i32, .rax, .rax)
/// a.bind(loop)
/// a.add(.i32, .rax, .rdi)
/// a.sub(.i32, .rdi, 1)
/// a.j(.ne, loop)
/// a.ret()
/// let code = try ExecutableMemory(a)   // W^X: mapped RW, copied, flipped to RX
/// print(a.listingText())
/// ```
///
/// Design points:
/// - The buffer is raw, owned memory (hence `~Copyable`): each instruction checks
///   the free space once (`ensure(16)`), then stores bytes without further checks.
/// - Labels refer to a table; a forward reference is threaded onto a per-label
///   linked list of fixups and patched when the label is bound. There is no
///   separate "finalize" pass; `finish()` only checks nothing is left dangling.
/// - Backward branches whose distance fits in a byte get the short (`rel8`) form
///   automatically; forward branches are `rel32` unless asked for `.short`.
/// - With `listing: false` the only listing cost is one `Bool` test per
///   instruction; no strings are built.
public struct X64Assembler: ~Copyable {
    // MARK: Code buffer

    @usableFromInline var buffer: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// Whether `buffer` is the small fallback `init` took when malloc failed (it never grows;
    /// the assembler has failed, and its code is thrown away).
    let ownsScratch: Bool
    /// The number of bytes emitted so far, i.e. the offset of the next instruction.
    public internal(set) var offset: Int

    // MARK: Labels and fixups

    /// Per label: its offset once bound (-1 before), and the head of its list of
    /// pending fixups (-1 for none).
    var labels: [LabelState] = []
    var fixups: [Fixup] = []
    /// Fixups recorded but not yet patched (references to unbound labels).
    var pendingFixups: Int = 0
    /// Head of the list (threaded through `next`) of `fixups` entries already patched,
    /// reused by later references: a whole module is assembled in one buffer, and its
    /// forward branches would otherwise pile up (2.6 M entries, 42 MB, for GCC's cc1).
    var freeFixup: Int32 = -1

    // MARK: Listing

    /// Whether a listing is being recorded. Fixed at creation.
    public let isListingEnabled: Bool
    var lines: [ListingLine] = []
    var labelNames: [Int32: String] = [:]
    var pendingAnnotation: String? = nil

    // MARK: Internal errors

    /// The first internal error met while assembling (a branch out of range, a label
    /// bound twice, an encoding asked for with operands it does not take), or nil.
    /// Code from a failed assembler is never run: the compiler checks this after each
    /// wasm instruction and throws, so a compiler bug never kills the host process.
    public internal(set) var failure: String? = nil

    /// Records an internal error (the first one wins); emission goes on harmlessly.
    public mutating func fail(_ message: @autoclosure () -> String) {
        if failure == nil { failure = message() }
    }

    /// `fail(message)` unless `condition` holds; returns `condition`.
    @discardableResult @inline(__always)
    public mutating func require(_ condition: Bool, _ message: @autoclosure () -> String) -> Bool {
        if !condition { fail(message()) }
        return condition
    }

    /// Creates an assembler with `capacity` bytes reserved (it grows as needed).
    /// With `listing: true` it records every instruction's offset, length and text.
    public init(capacity: Int = 4096, listing: Bool = false) {
        // At most 64 KB up front: a larger request (a module's stubs) grows through `grow`,
        // whose failure is an error the caller sees, not an abort.
        let cap = min(max(capacity, 64), 64 * 1024)
        // malloc/realloc rather than allocate/deallocate: realloc can grow a large
        // block in place (mremap) instead of copying it.
        if let p = malloc(cap) {
            buffer = p.assumingMemoryBound(to: UInt8.self)
            self.capacity = cap
            ownsScratch = false
        } else {
            // No memory even for that: the assembler fails (the caller reports an error) and
            // writes, from the start, into a small buffer of its own that never grows.
            buffer = .allocate(capacity: 64)
            self.capacity = 64
            ownsScratch = true
        }
        offset = 0
        isListingEnabled = listing
        if ownsScratch { fail("out of memory: no code buffer of \(cap) bytes") }
    }

    deinit {
        if ownsScratch { buffer.deallocate() } else { free(buffer) }
    }

    /// Empties the assembler for reuse, keeping the buffer's capacity. All
    /// labels are forgotten.
    public mutating func reset() {
        offset = 0
        labels.removeAll(keepingCapacity: true)
        fixups.removeAll(keepingCapacity: true)
        pendingFixups = 0
        freeFixup = -1
        lines.removeAll(keepingCapacity: true)
        labelNames.removeAll()
        pendingAnnotation = nil
        failure = nil
    }

    // MARK: Access to the bytes

    /// A copy of the code emitted so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: buffer, count: offset)) }

    /// The code emitted so far, without copying.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: buffer, count: offset))
    }

    /// Checks that every referenced label has been bound (so every branch is
    /// patched); a dangling one becomes `failure`. Call before copying the code out.
    public mutating func finish() {
        let pending = pendingFixups
        require(pending == 0, "\(pending) reference(s) to unbound labels")
    }

    /// Why the code may not be run (`failure`, or a reference to an unbound label), or nil.
    public var completionError: String? {
        failure ?? (pendingFixups == 0 ? nil : "\(pendingFixups) reference(s) to unbound labels")
    }

    // MARK: Raw emission

    /// Makes room for `n` more bytes.
    @inline(__always) @usableFromInline
    mutating func ensure(_ n: Int) {
        if capacity &- offset < n { grow(n) }
    }

    @inline(never) @usableFromInline
    mutating func grow(_ n: Int) {
        var newCapacity = capacity &* 2
        while newCapacity &- offset < n { newCapacity &*= 2 }
        guard !ownsScratch, n <= Int.max / 4, let p = realloc(buffer, newCapacity) else {
            // A module whose code does not fit in memory: an error, not an abort. Code from a
            // failed assembler never runs, so emission goes on from the start of the buffer,
            // in bounds (every `ensure` asks for a few bytes; the buffer has at least 64).
            fail("out of memory: the code buffer cannot grow to \(newCapacity) bytes")
            offset = 0
            return
        }
        buffer = p.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    @inline(__always) @usableFromInline
    mutating func put(_ b: UInt8) {
        buffer[offset] = b
        offset &+= 1
    }

    @inline(__always) @usableFromInline
    mutating func put16(_ v: UInt16) {
        UnsafeMutableRawPointer(buffer + offset).storeBytes(of: v.littleEndian, as: UInt16.self)
        offset &+= 2
    }

    @inline(__always) @usableFromInline
    mutating func put32(_ v: UInt32) {
        UnsafeMutableRawPointer(buffer + offset).storeBytes(of: v.littleEndian, as: UInt32.self)
        offset &+= 4
    }

    @inline(__always) @usableFromInline
    mutating func put64(_ v: UInt64) {
        UnsafeMutableRawPointer(buffer + offset).storeBytes(of: v.littleEndian, as: UInt64.self)
        offset &+= 8
    }

    @inline(__always)
    mutating func patch32(at position: Int, _ v: UInt32) {
        UnsafeMutableRawPointer(buffer + position).storeBytes(of: v.littleEndian, as: UInt32.self)
    }

    /// The byte at `position` (for tests and tools).
    public func byte(at position: Int) -> UInt8 {
        precondition(position >= 0 && position < offset)
        return buffer[position]
    }

    // MARK: Data

    /// Emits raw bytes (data, or an instruction the assembler does not know).
    public mutating func emit(bytes: [UInt8]) {
        let start = offset
        for b in bytes {
            ensure(1)  // a byte at a time: stays in bounds even after a failed grow
            put(b)
        }
        if isListingEnabled {
            record(start, ".byte " + bytes.map { "0x" + hex2($0) }.joined(separator: ", "))
        }
    }

    /// Emits a little-endian 32-bit value.
    public mutating func emit32(_ v: UInt32) {
        let start = offset
        ensure(4)
        put32(v)
        if isListingEnabled { record(start, ".long " + hex(UInt64(v))) }
    }

    /// Emits a little-endian 64-bit value.
    public mutating func emit64(_ v: UInt64) {
        let start = offset
        ensure(8)
        put64(v)
        if isListingEnabled { record(start, ".quad " + hex(v)) }
    }

    /// Emits the 32-bit distance `target - base` (a jump-table entry relative to the
    /// table's start). `base` must already be bound; `target` may be bound later.
    public mutating func emitLabelDelta32(_ target: Label, from base: Label) {
        let start = offset
        let baseOffset = labels[Int(base.id)].offset
        require(baseOffset != LabelState.unbound, "emitLabelDelta32: base label must be bound")
        ensure(4)
        put32(0)
        reference(target, fieldAt: start, end: Int(baseOffset), addend: 0, short: false)
        if isListingEnabled {
            record(start, ".long \(name(of: target)) - \(name(of: base))", target: target)
        }
    }

    /// Pads with `fill` to a multiple of `alignment` (a power of two): multi-byte
    /// `nop`s by default, or `int3`s where execution must never arrive.
    public mutating func align(_ alignment: Int, fill: AlignmentFill = .nop) {
        guard require(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two") else { return }
        var pad = (alignment - offset & (alignment - 1)) & (alignment - 1)
        while pad > 0 {
            let n = fill == .nop ? min(pad, 9) : 1
            if fill == .nop { nop(n) } else { int3() }
            pad -= n
        }
    }

    public enum AlignmentFill: Sendable { case nop, int3 }

    // MARK: Labels

    /// A new, unbound label. The name only shows in the listing (default `L<id>`).
    public mutating func newLabel(_ name: @autoclosure () -> String? = nil) -> Label {
        let label = Label(id: Int32(labels.count))
        labels.append(LabelState())
        if isListingEnabled, let n = name() { labelNames[label.id] = n }
        return label
    }

    /// Binds `label` to the current offset and patches every earlier reference to it.
    public mutating func bind(_ label: Label) {
        bind(label, toOffset: offset)
        if isListingEnabled { lines.append(ListingLine(kind: .label, offset: offset, length: 0, text: name(of: label))) }
    }

    /// Binds `label` to `target`, an offset from the buffer's start that may lie outside
    /// the buffer, even before it (negative): code or data already in memory at a known
    /// distance from where this code will be placed. Patches every earlier reference.
    public mutating func bind(_ label: Label, toOffset target: Int) {
        guard require(target > Int(LabelState.unbound) && target <= Int(Int32.max), "label target out of range") else {
            return
        }
        if labels[Int(label.id)].offset != LabelState.unbound {
            fail("label L\(label.id) bound twice")
            return
        }
        labels[Int(label.id)].offset = Int32(target)
        var f = labels[Int(label.id)].firstFixup
        labels[Int(label.id)].firstFixup = -1
        while f >= 0 {
            let fixup = fixups[Int(f)]
            patch(fixup, target: target)
            pendingFixups -= 1
            fixups[Int(f)].next = freeFixup
            freeFixup = f
            f = fixup.next
        }
    }

    /// The offset `label` is bound to, or nil if it is not bound yet.
    public func offset(of label: Label) -> Int? {
        let o = labels[Int(label.id)].offset
        return o != LabelState.unbound ? Int(o) : nil
    }

    /// The label's name in the listing.
    public func name(of label: Label) -> String {
        labelNames[label.id] ?? "L\(label.id)"
    }

    /// Records a reference to `label` from the field at `fieldAt` (1 byte if
    /// `short`, else 4), whose value is `target + addend - end`. Patches it now if
    /// the label is bound, else queues it.
    @inline(__always)
    mutating func reference(_ label: Label, fieldAt position: Int, end: Int, addend: Int32, short: Bool) {
        let fixup = Fixup(position: Int32(position), end: Int32(end), addend: addend, next: labels[Int(label.id)].firstFixup, short: short)
        let bound = labels[Int(label.id)].offset
        if bound != LabelState.unbound {
            patch(fixup, target: Int(bound))
        } else if freeFixup >= 0 {
            let slot = freeFixup
            freeFixup = fixups[Int(slot)].next
            fixups[Int(slot)] = fixup
            labels[Int(label.id)].firstFixup = slot
            pendingFixups += 1
        } else {
            labels[Int(label.id)].firstFixup = Int32(fixups.count)
            fixups.append(fixup)
            pendingFixups += 1
        }
    }

    @inline(__always)
    mutating func patch(_ fixup: Fixup, target: Int) {
        let value = target &+ Int(fixup.addend) &- Int(fixup.end)
        if fixup.short {
            guard require(value >= -128 && value <= 127, "short branch out of range (\(value))") else { return }
            buffer[Int(fixup.position)] = UInt8(truncatingIfNeeded: value)
        } else {
            guard require(value >= Int(Int32.min) && value <= Int(Int32.max), "rel32 out of range") else { return }
            patch32(at: Int(fixup.position), UInt32(truncatingIfNeeded: value))
        }
    }

    // MARK: Listing

    /// Attaches `text` to the next instruction's listing line (e.g. the wasm
    /// offset it came from). Nothing is built when the listing is off.
    public mutating func annotate(_ text: @autoclosure () -> String) {
        if isListingEnabled { pendingAnnotation = text() }
    }

    /// Adds a comment line to the listing at the current offset.
    public mutating func comment(_ text: @autoclosure () -> String) {
        if isListingEnabled { lines.append(ListingLine(kind: .comment, offset: offset, length: 0, text: text())) }
    }

    /// The recorded listing lines (empty unless created with `listing: true`).
    public var listing: [ListingLine] { lines }

    /// Records the instruction that started at `start` and ends at `offset`.
    @inline(never)
    mutating func record(_ start: Int, _ text: String, target: Label? = nil) {
        lines.append(ListingLine(kind: .instruction, offset: start, length: offset - start,
                                 text: text, annotation: pendingAnnotation, target: target))
        pendingAnnotation = nil
    }
}

/// Per-label bookkeeping.
struct LabelState {
    /// The offset of a label not bound yet.
    static let unbound = Int32.min
    var offset: Int32 = unbound
    var firstFixup: Int32 = -1
}

/// A reference to a label not yet bound: the field at `position` gets
/// `target + addend - end` (rel8 if `short`, else rel32).
struct Fixup {
    var position: Int32
    var end: Int32
    var addend: Int32
    var next: Int32
    var short: Bool
}
