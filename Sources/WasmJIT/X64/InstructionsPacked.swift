/// Packed 128-bit SSE2 … SSE4.2 instructions (wasm SIMD) and the VEX-encoded FMA3 forms of
/// relaxed SIMD. Which extension an instruction needs is noted on its case; the compiler
/// checks `CPUFeatures` before emitting one (the assembler does not).

/// Two-operand packed operations `op xmm, xmm`. The raw value packs the mandatory prefix
/// (bits 16–23, 0 for none), the opcode map (bits 8–15: 0x0F for `0F op`, 0x38 for
/// `0F 38 op`) and the opcode (bits 0–7).
public enum PackedOp: UInt32, Sendable, CaseIterable {
    // SSE2 integer arithmetic
    case paddb = 0x66_0F_FC, paddw = 0x66_0F_FD, paddd = 0x66_0F_FE, paddq = 0x66_0F_D4
    case psubb = 0x66_0F_F8, psubw = 0x66_0F_F9, psubd = 0x66_0F_FA, psubq = 0x66_0F_FB
    case pmullw = 0x66_0F_D5, pmulhw = 0x66_0F_E5, pmulhuw = 0x66_0F_E4, pmuludq = 0x66_0F_F4, pmaddwd = 0x66_0F_F5
    case paddsb = 0x66_0F_EC, paddsw = 0x66_0F_ED, paddusb = 0x66_0F_DC, paddusw = 0x66_0F_DD
    case psubsb = 0x66_0F_E8, psubsw = 0x66_0F_E9, psubusb = 0x66_0F_D8, psubusw = 0x66_0F_D9
    case pavgb = 0x66_0F_E0, pavgw = 0x66_0F_E3
    case pminub = 0x66_0F_DA, pmaxub = 0x66_0F_DE, pminsw = 0x66_0F_EA, pmaxsw = 0x66_0F_EE
    case pand = 0x66_0F_DB, pandn = 0x66_0F_DF, por = 0x66_0F_EB, pxor = 0x66_0F_EF
    case pcmpeqb = 0x66_0F_74, pcmpeqw = 0x66_0F_75, pcmpeqd = 0x66_0F_76
    case pcmpgtb = 0x66_0F_64, pcmpgtw = 0x66_0F_65, pcmpgtd = 0x66_0F_66
    case packsswb = 0x66_0F_63, packuswb = 0x66_0F_67, packssdw = 0x66_0F_6B
    case punpcklbw = 0x66_0F_60, punpcklwd = 0x66_0F_61, punpckldq = 0x66_0F_62, punpcklqdq = 0x66_0F_6C
    case punpckhbw = 0x66_0F_68, punpckhwd = 0x66_0F_69, punpckhdq = 0x66_0F_6A, punpckhqdq = 0x66_0F_6D
    /// Shifts of every lane by the count in the low 64 bits of the source.
    case psllw = 0x66_0F_F1, pslld = 0x66_0F_F2, psllq = 0x66_0F_F3
    case psrlw = 0x66_0F_D1, psrld = 0x66_0F_D2, psrlq = 0x66_0F_D3
    case psraw = 0x66_0F_E1, psrad = 0x66_0F_E2
    /// Whole-register move (`66 0F 6F`).
    case movdqa = 0x66_0F_6F
    // SSE/SSE2 float
    case addps = 0x00_0F_58, addpd = 0x66_0F_58, subps = 0x00_0F_5C, subpd = 0x66_0F_5C
    case mulps = 0x00_0F_59, mulpd = 0x66_0F_59, divps = 0x00_0F_5E, divpd = 0x66_0F_5E
    case minps = 0x00_0F_5D, minpd = 0x66_0F_5D, maxps = 0x00_0F_5F, maxpd = 0x66_0F_5F
    case sqrtps = 0x00_0F_51, sqrtpd = 0x66_0F_51
    case andps = 0x00_0F_54, andpd = 0x66_0F_54, andnps = 0x00_0F_55, andnpd = 0x66_0F_55
    case orps = 0x00_0F_56, orpd = 0x66_0F_56, xorps = 0x00_0F_57, xorpd = 0x66_0F_57
    case unpcklps = 0x00_0F_14, unpcklpd = 0x66_0F_14, unpckhps = 0x00_0F_15, unpckhpd = 0x66_0F_15
    /// `movlhps d, s`: d.high = s.low. `movhlps d, s`: d.low = s.high.
    case movlhps = 0x00_0F_16, movhlps = 0x00_0F_12
    case cvtdq2ps = 0x00_0F_5B, cvttps2dq = 0xF3_0F_5B, cvtdq2pd = 0xF3_0F_E6, cvttpd2dq = 0x66_0F_E6
    case cvtpd2ps = 0x66_0F_5A, cvtps2pd = 0x00_0F_5A
    /// SSE3.
    case movddup = 0xF2_0F_12
    // SSSE3
    case pshufb = 0x66_38_00, phaddw = 0x66_38_01, phaddd = 0x66_38_02, pmaddubsw = 0x66_38_04
    case pmulhrsw = 0x66_38_0B, pabsb = 0x66_38_1C, pabsw = 0x66_38_1D, pabsd = 0x66_38_1E
    // SSE4.1
    case pmuldq = 0x66_38_28, pcmpeqq = 0x66_38_29, packusdw = 0x66_38_2B
    case pminsb = 0x66_38_38, pminsd = 0x66_38_39, pminuw = 0x66_38_3A, pminud = 0x66_38_3B
    case pmaxsb = 0x66_38_3C, pmaxsd = 0x66_38_3D, pmaxuw = 0x66_38_3E, pmaxud = 0x66_38_3F
    case pmulld = 0x66_38_40, ptest = 0x66_38_17
    case pmovsxbw = 0x66_38_20, pmovsxwd = 0x66_38_23, pmovsxdq = 0x66_38_25
    case pmovzxbw = 0x66_38_30, pmovzxwd = 0x66_38_33, pmovzxdq = 0x66_38_35
    // SSE4.2
    case pcmpgtq = 0x66_38_37

    var prefix: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 16) }
    var opcode: Opcode {
        let op = UInt8(truncatingIfNeeded: rawValue)
        return (rawValue >> 8) & 0xFF == 0x38 ? Opcode(0x0F, 0x38, op) : Opcode(0x0F, op)
    }
    public var mnemonic: String { String(describing: self) }
}

/// Packed operations with an 8-bit immediate, `op xmm, xmm, imm8`.
public enum PackedImmOp: UInt32, Sendable, CaseIterable {
    case pshufd = 0x66_0F_70, pshuflw = 0xF2_0F_70, pshufhw = 0xF3_0F_70
    case shufps = 0x00_0F_C6, shufpd = 0x66_0F_C6
    /// Predicates: 0 eq, 1 lt, 2 le, 3 unord, 4 neq, 5 nlt, 6 nle, 7 ord.
    case cmpps = 0x00_0F_C2, cmppd = 0x66_0F_C2
    /// SSSE3.
    case palignr = 0x66_3A_0F
    // SSE4.1
    case pblendw = 0x66_3A_0E, blendps = 0x66_3A_0C, blendpd = 0x66_3A_0D
    case roundps = 0x66_3A_08, roundpd = 0x66_3A_09
    /// `insertps d, s, imm`: imm bits 6–7 the source lane, 4–5 the destination lane, 0–3 lanes to zero.
    case insertps = 0x66_3A_21

    var prefix: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 16) }
    var opcode: Opcode {
        let op = UInt8(truncatingIfNeeded: rawValue)
        return (rawValue >> 8) & 0xFF == 0x3A ? Opcode(0x0F, 0x3A, op) : Opcode(0x0F, op)
    }
    public var mnemonic: String { String(describing: self) }
}

/// Shifts of every lane by an immediate: `66 0F op /digit ib`.
public enum PackedShiftImm: UInt16, Sendable, CaseIterable {
    case psrlw = 0x71_02, psraw = 0x71_04, psllw = 0x71_06
    case psrld = 0x72_02, psrad = 0x72_04, pslld = 0x72_06
    case psrlq = 0x73_02, psllq = 0x73_06
    /// Byte shifts of the whole register.
    case psrldq = 0x73_03, pslldq = 0x73_07

    var opcode: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
    var digit: UInt8 { UInt8(truncatingIfNeeded: rawValue) }
    public var mnemonic: String { String(describing: self) }
}

/// The FMA3 operations of relaxed SIMD (VEX.128.66.0F38): `d = ±(a * b) + d`.
public enum FusedOp: Sendable, CaseIterable {
    case vfmadd231ps, vfnmadd231ps, vfmadd231pd, vfnmadd231pd

    var opcodeByte: UInt8 {
        switch self {
        case .vfmadd231ps, .vfmadd231pd: 0xB8
        case .vfnmadd231ps, .vfnmadd231pd: 0xBC
        }
    }
    /// The `pd` forms are the `ps` opcodes with VEX.W = 1.
    var isDouble: Bool { self == .vfmadd231pd || self == .vfnmadd231pd }
    public var mnemonic: String { String(describing: self) }
}

extension X64Assembler {
    // MARK: Register forms

    /// `op dst, src`.
    public mutating func packed(_ op: PackedOp, _ dst: XMM, _ src: XMM) {
        let start = offset
        ensure(16)
        encodeRR(prefix: op.prefix, w: false, op.opcode, reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(op.mnemonic) \(dst.name), \(src.name)") }
    }

    /// `op dst, qword ptr [mem]` for the widening loads (`pmovsx*`/`pmovzx*`, `movddup`)
    /// or `xmmword ptr` for the rest (which then must be 16-byte aligned).
    public mutating func packed(_ op: PackedOp, _ dst: XMM, _ src: Mem) {
        let start = offset
        ensure(16)
        encodeRM(prefix: op.prefix, w: false, op.opcode, reg: dst.rawValue, mem: src)
        if isListingEnabled {
            let bytes: Int
            switch op {
            case .pmovsxbw, .pmovsxwd, .pmovsxdq, .pmovzxbw, .pmovzxwd, .pmovzxdq, .movddup: bytes = 8
            default: bytes = 16
            }
            record(start, "\(op.mnemonic) \(dst.name), \(text(src, ptrName(bytes: bytes)))", target: src.label)
        }
    }

    /// `op dst, src, imm`.
    public mutating func packed(_ op: PackedImmOp, _ dst: XMM, _ src: XMM, _ imm: UInt8) {
        let start = offset
        ensure(16)
        encodeRR(prefix: op.prefix, w: false, op.opcode, reg: dst.rawValue, rm: src.rawValue)
        put(imm)
        if isListingEnabled { record(start, "\(op.mnemonic) \(dst.name), \(src.name), \(imm)") }
    }

    /// `op r, imm`: every lane shifted by `imm` (bytes for `pslldq`/`psrldq`).
    public mutating func packed(_ op: PackedShiftImm, _ r: XMM, _ imm: UInt8) {
        let start = offset
        ensure(16)
        encodeRR(prefix: 0x66, w: false, Opcode(0x0F, op.opcode), reg: op.digit, rm: r.rawValue)
        put(imm)
        if isListingEnabled { record(start, "\(op.mnemonic) \(r.name), \(imm)") }
    }

    // MARK: Moves

    /// `movdqu xmm, xmmword ptr [mem]` (`F3 0F 6F`): unaligned 128-bit load.
    public mutating func movdqu(_ d: XMM, _ m: Mem) { sseLoad(0xF3, 0x6F, "movdqu", 16, d, m) }
    /// `movdqu xmmword ptr [mem], xmm` (`F3 0F 7F`).
    public mutating func movdqu(_ m: Mem, _ s: XMM) { sseStore(0xF3, 0x7F, "movdqu", 16, m, s) }
    /// `movdqa d, s`: whole-register copy.
    public mutating func movdqa(_ d: XMM, _ s: XMM) { packed(.movdqa, d, s) }
    /// `movq xmm, qword ptr [mem]` (`F3 0F 7E`): 64 bits, upper half zeroed.
    public mutating func movq(_ d: XMM, _ m: Mem) { sseLoad(0xF3, 0x7E, "movq", 8, d, m) }
    /// `movq qword ptr [mem], xmm` (`66 0F D6`).
    public mutating func movq(_ m: Mem, _ s: XMM) { sseStore(0x66, 0xD6, "movq", 8, m, s) }
    /// `movlps xmm, qword ptr [mem]` (`0F 12`): loads the low 64 bits, keeps the high half.
    public mutating func movlps(_ d: XMM, _ m: Mem) { sseLoad(0, 0x12, "movlps", 8, d, m) }
    /// `movhps xmm, qword ptr [mem]` (`0F 16`): loads the high 64 bits, keeps the low half.
    public mutating func movhps(_ d: XMM, _ m: Mem) { sseLoad(0, 0x16, "movhps", 8, d, m) }
    /// `movhps qword ptr [mem], xmm` (`0F 17`): stores the high 64 bits.
    public mutating func movhps(_ m: Mem, _ s: XMM) { sseStore(0, 0x17, "movhps", 8, m, s) }
    /// `movq d, s` (`F3 0F 7E`): the low 64 bits, upper half zeroed.
    public mutating func movq(_ d: XMM, _ s: XMM) { sseRR(0xF3, 0x7E, "movq", d, s) }

    // MARK: Masks to general registers

    /// `pmovmskb r32, xmm` (`66 0F D7`): the sign bit of each byte.
    public mutating func pmovmskb(_ dst: GPR, _ src: XMM) { maskMove(0x66, 0xD7, "pmovmskb", dst, src) }
    /// `movmskps r32, xmm` (`0F 50`): the sign bit of each f32 lane.
    public mutating func movmskps(_ dst: GPR, _ src: XMM) { maskMove(0, 0x50, "movmskps", dst, src) }
    /// `movmskpd r32, xmm` (`66 0F 50`).
    public mutating func movmskpd(_ dst: GPR, _ src: XMM) { maskMove(0x66, 0x50, "movmskpd", dst, src) }

    mutating func maskMove(_ prefix: UInt8, _ op: UInt8, _ name: String, _ dst: GPR, _ src: XMM) {
        let start = offset
        ensure(16)
        encodeRR(prefix: prefix, w: false, Opcode(0x0F, op), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(name) \(dst.name(.i32)), \(src.name)") }
    }

    // MARK: Lane insert and extract

    /// `pinsrb/pinsrw/pinsrd/pinsrq xmm, r, lane` (`pinsrw` is SSE2, the others SSE4.1).
    public mutating func pinsr(_ size: OperandSize, _ dst: XMM, _ src: GPR, _ lane: UInt8) {
        let start = offset
        ensure(16)
        switch size {
        case .i16: encodeRR(prefix: 0x66, w: false, Opcode(0x0F, 0xC4), reg: dst.rawValue, rm: src.rawValue)
        case .i8: encodeRR(prefix: 0x66, w: false, Opcode(0x0F, 0x3A, 0x20), reg: dst.rawValue, rm: src.rawValue)
        case .i32, .i64: encodeRR(prefix: 0x66, w: size == .i64, Opcode(0x0F, 0x3A, 0x22), reg: dst.rawValue, rm: src.rawValue)
        }
        put(lane)
        if isListingEnabled { record(start, "\(Self.pinsrName(size)) \(dst.name), \(src.name(size == .i64 ? .i64 : .i32)), \(lane)") }
    }

    /// `pinsrb/w/d/q xmm, [mem], lane`.
    public mutating func pinsr(_ size: OperandSize, _ dst: XMM, _ src: Mem, _ lane: UInt8) {
        let start = offset
        ensure(16)
        switch size {
        case .i16: encodeRM(prefix: 0x66, w: false, Opcode(0x0F, 0xC4), reg: dst.rawValue, mem: src, immBytes: 1)
        case .i8: encodeRM(prefix: 0x66, w: false, Opcode(0x0F, 0x3A, 0x20), reg: dst.rawValue, mem: src, immBytes: 1)
        case .i32, .i64:
            encodeRM(prefix: 0x66, w: size == .i64, Opcode(0x0F, 0x3A, 0x22), reg: dst.rawValue, mem: src, immBytes: 1)
        }
        put(lane)
        if isListingEnabled { record(start, "\(Self.pinsrName(size)) \(dst.name), \(text(src, size)), \(lane)", target: src.label) }
    }

    static func pinsrName(_ size: OperandSize) -> String {
        switch size {
        case .i8: "pinsrb"
        case .i16: "pinsrw"
        case .i32: "pinsrd"
        case .i64: "pinsrq"
        }
    }

    static func pextrName(_ size: OperandSize) -> String {
        switch size {
        case .i8: "pextrb"
        case .i16: "pextrw"
        case .i32: "pextrd"
        case .i64: "pextrq"
        }
    }

    /// `pextrb/w/d/q r, xmm, lane`: the lane zero-extended (`pextrw` is SSE2, the others SSE4.1).
    public mutating func pextr(_ size: OperandSize, _ dst: GPR, _ src: XMM, _ lane: UInt8) {
        let start = offset
        ensure(16)
        switch size {
        case .i16: encodeRR(prefix: 0x66, w: false, Opcode(0x0F, 0xC5), reg: dst.rawValue, rm: src.rawValue)
        case .i8: encodeRR(prefix: 0x66, w: false, Opcode(0x0F, 0x3A, 0x14), reg: src.rawValue, rm: dst.rawValue)
        case .i32, .i64: encodeRR(prefix: 0x66, w: size == .i64, Opcode(0x0F, 0x3A, 0x16), reg: src.rawValue, rm: dst.rawValue)
        }
        put(lane)
        if isListingEnabled { record(start, "\(Self.pextrName(size)) \(dst.name(size == .i64 ? .i64 : .i32)), \(src.name), \(lane)") }
    }

    /// `pextrb/w/d/q [mem], xmm, lane` (SSE4.1).
    public mutating func pextr(_ size: OperandSize, _ dst: Mem, _ src: XMM, _ lane: UInt8) {
        let start = offset
        ensure(16)
        let op: UInt8 = size == .i8 ? 0x14 : size == .i16 ? 0x15 : 0x16
        encodeRM(prefix: 0x66, w: size == .i64, Opcode(0x0F, 0x3A, op), reg: src.rawValue, mem: dst, immBytes: 1)
        put(lane)
        if isListingEnabled { record(start, "\(Self.pextrName(size)) \(text(dst, size)), \(src.name), \(lane)", target: dst.label) }
    }

    // MARK: FMA3 (VEX)

    /// `vfmadd231ps d, a, b` and friends: `d = a * b + d` (`vfnmadd`: `-(a * b) + d`), rounded once.
    public mutating func fused(_ op: FusedOp, _ d: XMM, _ a: XMM, _ b: XMM) {
        let start = offset
        ensure(16)
        // 3-byte VEX: C4, [~R ~X ~B mmmmm=00010 (0F38)], [W ~vvvv L=0 pp=01 (66)], opcode, ModRM.
        put(0xC4)
        put((d.high == 0 ? 0x80 : 0) | 0x40 | (b.high == 0 ? 0x20 : 0) | 0x02)
        put((op.isDouble ? 0x80 : 0) | ((~a.rawValue & 0xF) << 3) | 0x01)
        put(op.opcodeByte)
        put(0xC0 | d.low3 << 3 | b.low3)
        if isListingEnabled { record(start, "\(op.mnemonic) \(d.name), \(a.name), \(b.name)") }
    }
}
