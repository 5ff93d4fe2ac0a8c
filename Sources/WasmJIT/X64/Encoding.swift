/// The encoding layer: legacy prefix, REX, opcode bytes, ModRM, SIB, displacement.
///
/// Every instruction is one of two shapes:
///
///     [66|F2|F3] [REX] opcode… ModRM(mod=11, reg, rm)                 — encodeRR
///     [66|F2|F3] [REX] opcode… ModRM(mod, reg, rm) [SIB] [disp8|32]   — encodeRM
///
/// followed by an optional immediate. `reg` is a register number or a `/digit`
/// opcode extension; REX.R/X/B carry bit 3 of reg/index/base(rm); REX.W selects
/// 64-bit operands. A REX prefix is emitted only when one of its bits is set or
/// when an 8-bit operand is `spl`/`bpl`/`sil`/`dil` (`forceREX`).

/// Up to three opcode bytes, in emission order (low byte first).
struct Opcode {
    let raw: UInt32
    let count: UInt8
    @inline(__always) init(_ b0: UInt8) { raw = UInt32(b0); count = 1 }
    @inline(__always) init(_ b0: UInt8, _ b1: UInt8) { raw = UInt32(b0) | UInt32(b1) << 8; count = 2 }
    @inline(__always) init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) {
        raw = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16; count = 3
    }
}

extension X64Assembler {
    @inline(__always)
    mutating func putOpcode(_ op: Opcode) {
        put(UInt8(truncatingIfNeeded: op.raw))
        if op.count > 1 {
            put(UInt8(truncatingIfNeeded: op.raw >> 8))
            if op.count > 2 { put(UInt8(truncatingIfNeeded: op.raw >> 16)) }
        }
    }

    /// REX = 0100WRXB, omitted when zero unless forced.
    @inline(__always)
    mutating func putREX(w: Bool, r: UInt8, x: UInt8, b: UInt8, force: Bool) {
        let bits: UInt8 = (w ? 8 : 0) | (r &<< 2) | (x &<< 1) | b
        if bits != 0 || force { put(0x40 | bits) }
    }

    /// `[prefix] [REX] opcode ModRM(11, reg, rm)`. `reg` and `rm` are 4-bit numbers.
    @inline(__always)
    mutating func encodeRR(prefix: UInt8 = 0, w: Bool, _ op: Opcode, reg: UInt8, rm: UInt8, forceREX: Bool = false) {
        if prefix != 0 { put(prefix) }
        putREX(w: w, r: reg &>> 3, x: 0, b: rm &>> 3, force: forceREX)
        putOpcode(op)
        put(0xC0 | (reg & 7) &<< 3 | (rm & 7))
    }

    /// `[prefix] [REX] opcode ModRM [SIB] [disp]` for a memory operand.
    /// `immBytes` is the size of the immediate that will follow (RIP-relative
    /// displacements are measured from the end of the instruction).
    @inline(__always)
    mutating func encodeRM(prefix: UInt8 = 0, w: Bool, _ op: Opcode, reg: UInt8, mem: Mem, forceREX: Bool = false, immBytes: Int = 0) {
        if prefix != 0 { put(prefix) }
        putREX(w: w, r: reg &>> 3, x: mem.index?.high ?? 0, b: mem.base?.high ?? 0, force: forceREX)
        putOpcode(op)
        putModRMMem(reg: reg, mem, immBytes: immBytes)
    }

    /// ModRM + SIB + displacement for `mem`, with all the special cases:
    /// - `[rip + disp32]` is mod=00 rm=101;
    /// - no base: mod=00 rm=100 and SIB base=101 with a disp32 (index 100 = none);
    /// - base `rsp`/`r12` (low bits 100) needs a SIB byte;
    /// - base `rbp`/`r13` (low bits 101) cannot use mod=00 (that means RIP or no
    ///   base), so a zero displacement is written as disp8 0;
    /// - otherwise the shortest of no displacement, disp8, disp32.
    @inline(__always)
    mutating func putModRMMem(reg: UInt8, _ mem: Mem, immBytes: Int) {
        let reg3 = (reg & 7) &<< 3
        if let label = mem.label {
            putRIPRelative(reg3: reg3, label, disp: mem.disp, immBytes: immBytes)
            return
        }
        // SIB: without an index (100 = none) the scale bits are 0, the canonical form.
        let index3: UInt8
        let ss: UInt8
        if let index = mem.index { index3 = index.low3; ss = mem.scale.rawValue &<< 6 } else { index3 = 4; ss = 0 }
        guard let base = mem.base else {
            put(0x04 | reg3)
            put(ss | index3 &<< 3 | 5)
            put32(UInt32(bitPattern: mem.disp))
            return
        }
        let base3 = base.low3
        let mod: UInt8
        if mem.disp == 0 && base3 != 5 {
            mod = 0x00
        } else if mem.disp >= -128 && mem.disp <= 127 {
            mod = 0x40
        } else {
            mod = 0x80
        }
        if mem.index != nil || base3 == 4 {
            put(mod | reg3 | 4)
            put(ss | index3 &<< 3 | base3)
        } else {
            put(mod | reg3 | base3)
        }
        if mod == 0x40 {
            put(UInt8(truncatingIfNeeded: mem.disp))
        } else if mod == 0x80 {
            put32(UInt32(bitPattern: mem.disp))
        }
    }

    /// `[rip + label + disp]`: ModRM mod=00 rm=101 and a disp32 measured from the
    /// end of the instruction. Out of line: rare, and it keeps label bookkeeping
    /// out of every memory instruction.
    @inline(never)
    mutating func putRIPRelative(reg3: UInt8, _ label: Label, disp: Int32, immBytes: Int) {
        put(0x05 | reg3)
        let field = offset
        put32(0)
        reference(label, fieldAt: field, end: field &+ 4 &+ immBytes, addend: disp, short: false)
    }

    // MARK: Integer-size helpers

    /// The operand-size prefix (`66`) for 16-bit operands, else none.
    @inline(__always)
    static func sizePrefix(_ size: OperandSize) -> UInt8 { size == .i16 ? 0x66 : 0 }

    /// `op8` for byte operands, `op` otherwise.
    @inline(__always)
    static func pick(_ size: OperandSize, _ op8: UInt8, _ op: UInt8) -> Opcode {
        Opcode(size == .i8 ? op8 : op)
    }

    /// An integer instruction with a register `reg` field and register `rm`, both
    /// of `size` (`forceREX` for spl/bpl/sil/dil as bytes).
    @inline(__always)
    mutating func intRR(_ size: OperandSize, _ op: Opcode, reg: UInt8, rm: GPR, regIsGPR: Bool) {
        let force = size == .i8 && (rm.byteNeedsREX || (regIsGPR && reg >= 4 && reg < 8))
        encodeRR(prefix: Self.sizePrefix(size), w: size == .i64, op, reg: reg, rm: rm.rawValue, forceREX: force)
    }

    /// An integer instruction with register (or `/digit`) `reg` and memory `mem`.
    @inline(__always)
    mutating func intRM(_ size: OperandSize, _ op: Opcode, reg: UInt8, mem: Mem, regIsGPR: Bool, immBytes: Int = 0) {
        let force = size == .i8 && regIsGPR && reg >= 4 && reg < 8
        encodeRM(prefix: Self.sizePrefix(size), w: size == .i64, op, reg: reg, mem: mem, forceREX: force, immBytes: immBytes)
    }

    /// An immediate of `size` bytes (at most 4: 64-bit operations take a
    /// sign-extended 32-bit immediate).
    @inline(__always)
    mutating func putImm(_ v: Int32, bytes: Int) {
        switch bytes {
        case 1: put(UInt8(truncatingIfNeeded: v))
        case 2: put16(UInt16(truncatingIfNeeded: v))
        default: put32(UInt32(bitPattern: v))
        }
    }
}

@inline(__always)
func fitsInt8(_ v: Int32) -> Bool { v >= -128 && v <= 127 }

@inline(__always)
func fitsInt8(_ v: Int) -> Bool { v >= -128 && v <= 127 }
