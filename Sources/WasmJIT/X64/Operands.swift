/// Operands other than registers: memory references, labels, shift amounts.

/// A position in the code, bound once with `X64Assembler.bind(_:)`. Branches,
/// calls and RIP-relative memory operands may refer to a label before it is bound;
/// the assembler patches them when it is.
public struct Label: Hashable, Sendable {
    /// Index into the assembler's label table.
    public let id: Int32
    @inlinable init(id: Int32) { self.id = id }
}

/// The scale of an index register in a memory operand.
public enum Scale: UInt8, Sendable {
    case x1 = 0, x2 = 1, x4 = 2, x8 = 3

    /// 1, 2, 4 or 8.
    @inlinable public var factor: Int { 1 << Int(rawValue) }

    /// The scale for an access of `size` bytes (1, 2, 4, 8).
    @inlinable public init(bytes: Int) {
        switch bytes {
        case 1: self = .x1
        case 2: self = .x2
        case 4: self = .x4
        default: precondition(bytes == 8, "scale must be 1, 2, 4 or 8"); self = .x8
        }
    }
}

/// A memory operand: `[base + index*scale + disp]`, an absolute `[disp32]`, or
/// `[rip + label + disp]`.
///
/// `rsp` cannot be an index register (its SIB encoding means "no index"). The
/// encoder handles the other special cases: `rsp`/`r12` as base need a SIB byte,
/// `rbp`/`r13` as base need an explicit displacement (a zero `disp8`).
public struct Mem: Sendable, Equatable {
    public var base: GPR?
    public var index: GPR?
    public var scale: Scale
    public var disp: Int32
    /// For RIP-relative operands: the label the address is relative to.
    public var label: Label?

    /// `[base + disp]`.
    @inlinable public init(_ base: GPR, _ disp: Int32 = 0) {
        self.base = base; self.index = nil; self.scale = .x1; self.disp = disp; self.label = nil
    }

    /// `[base + index*scale + disp]`; `base` may be nil (`[index*scale + disp32]`).
    @inlinable public init(base: GPR?, index: GPR?, scale: Scale = .x1, disp: Int32 = 0) {
        if let index { precondition(index != .rsp, "rsp cannot be an index register") }
        self.base = base; self.index = index; self.scale = scale; self.disp = disp; self.label = nil
    }

    /// `[base + index*scale + disp]`.
    @inlinable public init(_ base: GPR, _ index: GPR, _ scale: Scale = .x1, _ disp: Int32 = 0) {
        self.init(base: base, index: index, scale: scale, disp: disp)
    }

    /// `[disp32]`: an absolute address in the low 2 GiB (sign-extended).
    @inlinable public static func absolute(_ disp: Int32) -> Mem {
        Mem(base: nil, index: nil, disp: disp)
    }

    /// `[rip + label + disp]`: the address `disp` bytes after `label`.
    @inlinable public static func rip(_ label: Label, _ disp: Int32 = 0) -> Mem {
        var m = Mem(base: nil, index: nil, disp: disp)
        m.label = label
        return m
    }
}

/// The count operand of a shift or rotate: `cl`, or an immediate (masked by the
/// CPU to 5 bits for 32-bit operands, 6 bits for 64-bit ones).
public enum ShiftAmount: Sendable, Equatable, ExpressibleByIntegerLiteral {
    case cl
    case imm(UInt8)
    @inlinable public init(integerLiteral value: UInt8) { self = .imm(value) }
}

/// The eight classic two-operand integer ALU operations, numbered as their
/// ModRM `/digit` in opcodes `0x80`/`0x81`/`0x83` (and `8*op + 0…5` forms).
public enum ALUOp: UInt8, Sendable, CaseIterable {
    case add = 0, or, adc, sbb, and, sub, xor, cmp

    public var mnemonic: String { ALUOp.names[Int(rawValue)] }
    static let names = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]
}

/// Shifts and rotates: the ModRM `/digit` of opcodes `0xC1`/`0xD1`/`0xD3`.
public enum ShiftOp: UInt8, Sendable, CaseIterable {
    case rol = 0, ror = 1, shl = 4, shr = 5, sar = 7

    public var mnemonic: String {
        switch self {
        case .rol: return "rol"
        case .ror: return "ror"
        case .shl: return "shl"
        case .shr: return "shr"
        case .sar: return "sar"
        }
    }
}

/// One-operand group-3 operations (opcode `0xF7 /digit`, `0xF6` for bytes).
public enum UnaryOp: UInt8, Sendable, CaseIterable {
    case not = 2, neg = 3, mul = 4, imul = 5, div = 6, idiv = 7

    public var mnemonic: String {
        switch self {
        case .not: return "not"
        case .neg: return "neg"
        case .mul: return "mul"
        case .imul: return "imul"
        case .div: return "div"
        case .idiv: return "idiv"
        }
    }
}
