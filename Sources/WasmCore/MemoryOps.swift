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

/// Load instructions; the raw value is the opcode.
public enum LoadOp: UInt8, Hashable, Sendable, CaseIterable {
    case i32Load = 0x28, i64Load, f32Load, f64Load
    case i32Load8S, i32Load8U, i32Load16S, i32Load16U
    case i64Load8S, i64Load8U, i64Load16S, i64Load16U, i64Load32S, i64Load32U

    /// Bytes read from memory.
    public var byteWidth: Int {
        switch self {
        case .i32Load8S, .i32Load8U, .i64Load8S, .i64Load8U: 1
        case .i32Load16S, .i32Load16U, .i64Load16S, .i64Load16U: 2
        case .i32Load, .f32Load, .i64Load32S, .i64Load32U: 4
        case .i64Load, .f64Load: 8
        }
    }

    /// Largest alignment exponent allowed (log2 of `byteWidth`).
    public var naturalAlignment: UInt32 { UInt32(byteWidth.trailingZeroBitCount) }

    public var resultType: ValueType {
        switch self {
        case .i32Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U: .i32
        case .i64Load, .i64Load8S, .i64Load8U, .i64Load16S, .i64Load16U, .i64Load32S, .i64Load32U: .i64
        case .f32Load: .f32
        case .f64Load: .f64
        }
    }
}

/// Store instructions; the raw value is the opcode.
public enum StoreOp: UInt8, Hashable, Sendable, CaseIterable {
    case i32Store = 0x36, i64Store, f32Store, f64Store
    case i32Store8, i32Store16, i64Store8, i64Store16, i64Store32

    public var byteWidth: Int {
        switch self {
        case .i32Store8, .i64Store8: 1
        case .i32Store16, .i64Store16: 2
        case .i32Store, .f32Store, .i64Store32: 4
        case .i64Store, .f64Store: 8
        }
    }

    public var naturalAlignment: UInt32 { UInt32(byteWidth.trailingZeroBitCount) }

    public var valueType: ValueType {
        switch self {
        case .i32Store, .i32Store8, .i32Store16: .i32
        case .i64Store, .i64Store8, .i64Store16, .i64Store32: .i64
        case .f32Store: .f32
        case .f64Store: .f64
        }
    }
}
