/// The validator's operand stack: value types, `nil` for the unknown type of
/// unreachable code. A plain buffer that keeps its capacity from one body to the next,
/// so a push or pop is a store or load and a count change, with no copy-on-write check
/// (an `Array` field checks uniqueness on every mutation: a tenth of validation time).
///
/// Copies share the buffer until the next `reset`, which makes the buffer unique again:
/// a validator must not be copied in the middle of a body and both copies used.
struct OperandStack: @unchecked Sendable {
    /// Owns the memory.
    private final class Buffer {
        let base: UnsafeMutablePointer<ValueType?>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }
    }

    private var buffer: Buffer
    private var base: UnsafeMutablePointer<ValueType?>
    private var capacity: Int
    /// Number of operands on the stack.
    private(set) var count = 0

    init() {
        buffer = Buffer(capacity: 64)
        base = buffer.base
        capacity = buffer.capacity
    }

    /// The operands, bottom first.
    var elements: [ValueType?] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always)
    subscript(position: Int) -> ValueType? {
        precondition(position >= 0 && position < count)
        return base[position]
    }

    @inline(__always)
    mutating func append(_ type: ValueType?) {
        if count == capacity { grow() }
        (base + count).initialize(to: type)
        count += 1
    }

    /// Pops the top operand; the stack must not be empty.
    @inline(__always)
    mutating func removeLast() -> ValueType? {
        precondition(count > 0)
        count -= 1
        return base[count]
    }

    /// Drops the operands above `height`.
    mutating func truncate(to height: Int) {
        precondition(height >= 0 && height <= count)
        count = height
    }

    /// Empties the stack for the next body; the buffer becomes this stack's own.
    mutating func reset() {
        count = 0
        if !isKnownUniquelyReferenced(&buffer) {
            buffer = Buffer(capacity: capacity)
            base = buffer.base
        }
    }

    @inline(never)
    private mutating func grow() {
        let larger = Buffer(capacity: capacity * 2)
        larger.base.initialize(from: base, count: count)
        buffer = larger
        base = larger.base
        capacity = larger.capacity
    }
}
