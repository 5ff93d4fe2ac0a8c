/// x86-64 registers and operand sizes, as the assembler and its listing see them.
///
/// Registers are plain `UInt8`-backed enums whose raw value is the hardware number
/// (0–15): the low three bits go into ModRM/SIB/opcode fields, bit 3 into a REX bit.

/// A general-purpose register, named by its 64-bit name. The operand size of an
/// instruction decides which part (`al`/`ax`/`eax`/`rax`) it uses.
public enum GPR: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case rax = 0, rcx, rdx, rbx, rsp, rbp, rsi, rdi
    case r8, r9, r10, r11, r12, r13, r14, r15

    /// Hardware number, 0–15.
    @inlinable public var number: UInt8 { rawValue }
    /// The three bits that go into ModRM.reg / ModRM.rm / SIB / the opcode.
    var low3: UInt8 { rawValue & 7 }
    /// The bit that goes into REX.R / REX.X / REX.B.
    var high: UInt8 { rawValue >> 3 }

    /// As an 8-bit operand, `spl`/`bpl`/`sil`/`dil` need a REX prefix (without
    /// one the same numbers mean `ah`/`ch`/`dh`/`bh`, which we never use).
    var byteNeedsREX: Bool { rawValue >= 4 && rawValue < 8 }

    /// The register's name at an operand size, for the listing.
    public func name(_ size: OperandSize) -> String {
        switch size {
        case .i64: return GPR.names64[Int(rawValue)]
        case .i32: return GPR.names32[Int(rawValue)]
        case .i16: return GPR.names16[Int(rawValue)]
        case .i8: return GPR.names8[Int(rawValue)]
        }
    }

    public var description: String { GPR.names64[Int(rawValue)] }

    static let names64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                          "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
    static let names32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                          "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"]
    static let names16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                          "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"]
    static let names8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                         "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"]
}

/// An SSE register.
public enum XMM: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case xmm0 = 0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7
    case xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15

    @inlinable public var number: UInt8 { rawValue }
    var low3: UInt8 { rawValue & 7 }
    var high: UInt8 { rawValue >> 3 }

    public var name: String { "xmm\(rawValue)" }
    public var description: String { name }
}

/// The width of an integer operand. (Wasm's `i32`/`i64` map to `.i32`/`.i64`.)
public enum OperandSize: UInt8, Sendable, CaseIterable {
    case i8 = 1, i16 = 2, i32 = 4, i64 = 8

    /// Bytes.
    @inlinable public var bytes: Int { Int(rawValue) }

    /// `byte ptr` … `qword ptr`, for memory operands in the listing.
    public var pointerName: String {
        switch self {
        case .i8: return "byte ptr"
        case .i16: return "word ptr"
        case .i32: return "dword ptr"
        case .i64: return "qword ptr"
        }
    }
}

/// A condition code, numbered as in the `Jcc`/`SETcc`/`CMOVcc` opcodes (`0x70 + cc`).
public enum Condition: UInt8, CaseIterable, Sendable {
    case o = 0, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g

    /// Unsigned spellings.
    public static let below = Condition.b, aboveOrEqual = Condition.ae
    public static let belowOrEqual = Condition.be, above = Condition.a
    /// Signed spellings.
    public static let less = Condition.l, greaterOrEqual = Condition.ge
    public static let lessOrEqual = Condition.le, greater = Condition.g
    /// Flag spellings.
    public static let zero = Condition.e, notZero = Condition.ne
    public static let carry = Condition.b, notCarry = Condition.ae
    public static let parity = Condition.p, noParity = Condition.np

    /// The condition that holds exactly when this one does not.
    @inlinable public var negated: Condition { Condition(rawValue: rawValue ^ 1)! }

    /// The mnemonic suffix (`e`, `ne`, `l`, …) as LLVM and objdump print it.
    public var suffix: String { Condition.suffixes[Int(rawValue)] }
    static let suffixes = ["o", "no", "b", "ae", "e", "ne", "be", "a",
                           "s", "ns", "p", "np", "l", "ge", "le", "g"]
}

/// The rounding mode immediate of `roundss`/`roundsd` (SSE4.1). Bit 3 (precision
/// exception suppressed) is always set, as compilers do for wasm's `ceil`/`floor`/…
public enum RoundingMode: UInt8, Sendable {
    /// `nearest` (ties to even).
    case nearest = 0x8
    /// `floor`.
    case down = 0x9
    /// `ceil`.
    case up = 0xA
    /// `trunc`.
    case towardZero = 0xB
}
