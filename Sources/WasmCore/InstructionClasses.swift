/// An opcode as encoded: one byte, or a prefix byte (0xFC, 0xFD, …) and its LEB128 sub-opcode.
public struct Opcode: Hashable, Sendable, CustomStringConvertible {
    public let byte: UInt8
    /// The sub-opcode after a prefix byte, nil for one-byte opcodes.
    public let subopcode: UInt32?

    public init(_ byte: UInt8, _ subopcode: UInt32? = nil) {
        self.byte = byte
        self.subopcode = subopcode
    }

    public var description: String {
        let hex = "0x" + String(byte, radix: 16)
        guard let subopcode else { return hex }
        return hex + " \(subopcode)"
    }
}

/// The kinds of `NumericOp` (the `details` column of the instruction table).
public enum NumericKind: Hashable, Sendable {
    /// `eqz`: one integer, an i32 truth value.
    case test
    /// Two operands of one type, an i32 truth value (see `Comparison`).
    case compare
    /// One operand, a result of the same type.
    case unary
    /// Two operands and a result, all of one type.
    case binary
    /// One operand, a result of another type (or of the same type, reinterpreted or extended).
    case convert
}

/// The condition of a comparison: signed and unsigned for integers, ordered for floats.
public enum Comparison: Hashable, Sendable {
    case eq, ne
    case ltS, ltU, gtS, gtU, leS, leU, geS, geU
    /// Float comparisons (false when either operand is NaN, except `ne`).
    case lt, gt, le, ge
}
