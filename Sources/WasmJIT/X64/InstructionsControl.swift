/// Control flow and miscellany: jmp/jcc/call to labels, indirect jmp/call, ret,
/// push/pop, ud2, int3, nop (including multi-byte nops).
extension X64Assembler {
    /// How a label branch is encoded.
    public enum BranchWidth: Sendable {
        /// `rel8` for a backward branch that fits, `rel32` otherwise.
        case auto
        /// Always `rel8`; binding the label out of range is an internal error (`failure`).
        case short
        /// Always `rel32`.
        case near
    }

    /// Emits a branch with opcode `short8` (rel8) or `near` (rel32) to `label`.
    @inline(__always)
    mutating func branch(short8: UInt8, near: Opcode, _ label: Label, _ width: BranchWidth) {
        let bound = labels[Int(label.id)].offset
        if bound != LabelState.unbound && width != .near {
            let rel = Int(bound) &- (offset &+ 2)
            if fitsInt8(rel) {
                put(short8)
                put(UInt8(truncatingIfNeeded: rel))
                return
            }
            require(width != .short, "short branch out of range (\(rel))")
        }
        if width == .short {
            put(short8)
            let field = offset
            put(0)
            reference(label, fieldAt: field, end: field &+ 1, addend: 0, short: true)
        } else {
            putOpcode(near)
            let field = offset
            put32(0)
            reference(label, fieldAt: field, end: field &+ 4, addend: 0, short: false)
        }
    }

    /// `jmp label` (`EB rel8` / `E9 rel32`).
    public mutating func jmp(_ label: Label, _ width: BranchWidth = .auto) {
        let start = offset
        ensure(16)
        branch(short8: 0xEB, near: Opcode(0xE9), label, width)
        if isListingEnabled { record(start, "jmp \(name(of: label))", target: label) }
    }

    /// `jcc label` (`70+cc rel8` / `0F 80+cc rel32`).
    public mutating func j(_ cc: Condition, _ label: Label, _ width: BranchWidth = .auto) {
        let start = offset
        ensure(16)
        branch(short8: 0x70 | cc.rawValue, near: Opcode(0x0F, 0x80 | cc.rawValue), label, width)
        if isListingEnabled { record(start, "j\(cc.suffix) \(name(of: label))", target: label) }
    }

    /// `call label` (`E8 rel32`).
    public mutating func call(_ label: Label) {
        let start = offset
        ensure(16)
        put(0xE8)
        let field = offset
        put32(0)
        reference(label, fieldAt: field, end: field &+ 4, addend: 0, short: false)
        if isListingEnabled { record(start, "call \(name(of: label))", target: label) }
    }

    /// `call r` (`FF /2`).
    public mutating func call(_ r: GPR) {
        let start = offset
        ensure(16)
        encodeRR(w: false, Opcode(0xFF), reg: 2, rm: r.rawValue)
        if isListingEnabled { record(start, "call \(r.name(.i64))") }
    }

    /// `call qword ptr [mem]` (`FF /2`), e.g. through a function table.
    public mutating func call(_ m: Mem) {
        let start = offset
        ensure(16)
        encodeRM(w: false, Opcode(0xFF), reg: 2, mem: m)
        if isListingEnabled { record(start, "call \(text(m, .i64))", target: m.label) }
    }

    /// `jmp r` (`FF /4`).
    public mutating func jmp(_ r: GPR) {
        let start = offset
        ensure(16)
        encodeRR(w: false, Opcode(0xFF), reg: 4, rm: r.rawValue)
        if isListingEnabled { record(start, "jmp \(r.name(.i64))") }
    }

    /// `jmp qword ptr [mem]` (`FF /4`).
    public mutating func jmp(_ m: Mem) {
        let start = offset
        ensure(16)
        encodeRM(w: false, Opcode(0xFF), reg: 4, mem: m)
        if isListingEnabled { record(start, "jmp \(text(m, .i64))", target: m.label) }
    }

    /// `ret` (`C3`).
    public mutating func ret() { simple(0xC3, rexW: false, "ret") }
    /// `leave` (`C9`): `mov rsp, rbp; pop rbp`.
    public mutating func leave() { simple(0xC9, rexW: false, "leave") }
    /// `int3` (`CC`).
    public mutating func int3() { simple(0xCC, rexW: false, "int3") }

    /// `ud2` (`0F 0B`): raises SIGILL; the usual trap instruction.
    public mutating func ud2() {
        let start = offset
        ensure(16)
        put(0x0F)
        put(0x0B)
        if isListingEnabled { record(start, "ud2") }
    }

    /// `push r` (`50+r`, `41 50+r` for r8–r15).
    public mutating func push(_ r: GPR) {
        let start = offset
        ensure(16)
        putREX(w: false, r: 0, x: 0, b: r.high, force: false)
        put(0x50 | r.low3)
        if isListingEnabled { record(start, "push \(r.name(.i64))") }
    }

    /// `pop r` (`58+r`, `41 58+r` for r8–r15).
    public mutating func pop(_ r: GPR) {
        let start = offset
        ensure(16)
        putREX(w: false, r: 0, x: 0, b: r.high, force: false)
        put(0x58 | r.low3)
        if isListingEnabled { record(start, "pop \(r.name(.i64))") }
    }

    /// `push imm` (`6A ib` / `68 id`), sign-extended to 64 bits.
    public mutating func push(_ imm: Int32) {
        let start = offset
        ensure(16)
        if fitsInt8(imm) {
            put(0x6A)
            put(UInt8(truncatingIfNeeded: imm))
        } else {
            put(0x68)
            put32(UInt32(bitPattern: imm))
        }
        if isListingEnabled { record(start, "push \(immText(Int64(imm)))") }
    }

    /// A one-byte `nop` (`90`).
    public mutating func nop() { simple(0x90, rexW: false, "nop") }

    /// One `nop` instruction of `length` bytes (1…9), in the forms the Intel
    /// optimisation manual recommends.
    public mutating func nop(_ length: Int) {
        require(length >= 1 && length <= 9, "nop: 1 to 9 bytes")
        let start = offset
        ensure(16)
        for b in Self.nops[length - 1] { put(b) }
        if isListingEnabled { record(start, Self.nopText[length - 1]) }
    }

    /// The recommended multi-byte nops.
    static let nops: [[UInt8]] = [
        [0x90],
        [0x66, 0x90],
        [0x0F, 0x1F, 0x00],
        [0x0F, 0x1F, 0x40, 0x00],
        [0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00],
        [0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
    ]
    static let nopText = [
        "nop", "xchg ax, ax", "nop dword ptr [rax]", "nop dword ptr [rax + 0x0]",
        "nop dword ptr [rax + rax + 0x0]", "nop word ptr [rax + rax + 0x0]",
        "nop dword ptr [rax + 0x0]", "nop dword ptr [rax + rax + 0x0]", "nop word ptr [rax + rax + 0x0]",
    ]
}
