/// The immediate of every load and store: alignment exponent and static offset.
public struct MemArg: Hashable, Sendable {
    /// log2 of the alignment hint.
    public var align: UInt32
    public var offset: UInt64
    /// Memory index (always 0 without multi-memory).
    public var memory: UInt32

    public init(align: UInt32, offset: UInt64, memory: UInt32 = 0) {
        self.align = align
        self.offset = offset
        self.memory = memory
    }
}
