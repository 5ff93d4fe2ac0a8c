/// Integer instructions: moves, loads/stores with extension, lea, the ALU group,
/// test, multiply/divide, unary group 3, shifts and rotates, bit counting,
/// setcc and cmovcc.
///
/// Conventions: the operand size comes first (`.i32`, `.i64`, and where the
/// hardware has them `.i8`, `.i16`), then destination, then source, as in Intel
/// syntax: `add(.i64, .rax, .rcx)` is `add rax, rcx`.
extension X64Assembler {
    // MARK: mov

    /// `mov dst, src` (register to register).
    public mutating func mov(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Self.pick(size, 0x88, 0x89), reg: src.rawValue, rm: dst, regIsGPR: true)
        if isListingEnabled { record(start, "mov \(dst.name(size)), \(src.name(size))") }
    }

    /// `mov dst, [mem]`: a load of `size` bytes (8/16-bit loads leave the rest of
    /// the register as it was; use `movzx`/`movsx` for wasm loads).
    public mutating func mov(_ size: OperandSize, _ dst: GPR, _ src: Mem) {
        let start = offset
        ensure(16)
        intRM(size, Self.pick(size, 0x8A, 0x8B), reg: dst.rawValue, mem: src, regIsGPR: true)
        if isListingEnabled { record(start, "mov \(dst.name(size)), \(text(src, size))", target: src.label) }
    }

    /// `mov [mem], src`: a store of `size` bytes (`66` prefix for 16-bit).
    public mutating func mov(_ size: OperandSize, _ dst: Mem, _ src: GPR) {
        let start = offset
        ensure(16)
        intRM(size, Self.pick(size, 0x88, 0x89), reg: src.rawValue, mem: dst, regIsGPR: true)
        if isListingEnabled { record(start, "mov \(text(dst, size)), \(src.name(size))", target: dst.label) }
    }

    /// `mov [mem], imm`: stores an immediate (sign-extended to 64 bits for `.i64`).
    public mutating func mov(_ size: OperandSize, _ dst: Mem, _ imm: Int32) {
        let start = offset
        ensure(16)
        let immBytes = min(size.bytes, 4)
        intRM(size, Self.pick(size, 0xC6, 0xC7), reg: 0, mem: dst, regIsGPR: false, immBytes: immBytes)
        putImm(imm, bytes: immBytes)
        if isListingEnabled { record(start, "mov \(text(dst, size)), \(immText(Int64(imm)))", target: dst.label) }
    }

    /// `mov dst, imm` with the shortest encoding:
    /// - `.i32`: `B8+r id` (`imm` must fit in 32 bits, signed or unsigned);
    /// - `.i64`: `mov r32, imm32` when `imm` is in `0...UInt32.max` (zero-extends),
    ///   else `mov r64, simm32` (`C7 /0`) when it fits sign-extended, else `movabs`;
    /// - `.i8`/`.i16`: `B0+r ib` / `66 B8+r iw`.
    public mutating func mov(_ size: OperandSize, _ dst: GPR, _ imm: Int64) {
        switch size {
        case .i64:
            if imm >= 0 && imm <= Int64(UInt32.max) {
                movImm32(dst, UInt32(imm), listingValue: imm)
            } else if imm >= Int64(Int32.min) && imm <= Int64(Int32.max) {
                let start = offset
                ensure(16)
                encodeRR(w: true, Opcode(0xC7), reg: 0, rm: dst.rawValue)
                put32(UInt32(bitPattern: Int32(imm)))
                if isListingEnabled { record(start, "mov \(dst.name(.i64)), \(immText(imm))") }
            } else {
                movabs(dst, UInt64(bitPattern: imm))
            }
        case .i32:
            require(imm >= Int64(Int32.min) && imm <= Int64(UInt32.max), "mov: immediate does not fit in 32 bits")
            movImm32(dst, UInt32(truncatingIfNeeded: imm), listingValue: Int64(Int32(truncatingIfNeeded: imm)))
        case .i16, .i8:
            let start = offset
            ensure(16)
            if size == .i16 { put(0x66) }
            putREX(w: false, r: 0, x: 0, b: dst.high, force: size == .i8 && dst.byteNeedsREX)
            put((size == .i8 ? 0xB0 : 0xB8) | dst.low3)
            putImm(Int32(truncatingIfNeeded: imm), bytes: size.bytes)
            if isListingEnabled { record(start, "mov \(dst.name(size)), \(immText(imm))") }
        }
    }

    /// `mov r32, imm32` (`B8+r id`); zero-extends into the 64-bit register.
    mutating func movImm32(_ dst: GPR, _ imm: UInt32, listingValue: Int64) {
        let start = offset
        ensure(16)
        putREX(w: false, r: 0, x: 0, b: dst.high, force: false)
        put(0xB8 | dst.low3)
        put32(imm)
        if isListingEnabled { record(start, "mov \(dst.name(.i32)), \(immText(listingValue))") }
    }

    /// `movabs dst, imm64`: always the 10-byte `REX.W B8+r io` form (so the
    /// constant can be found and patched at a fixed position: `offset - 8`).
    public mutating func movabs(_ dst: GPR, _ imm: UInt64) {
        let start = offset
        ensure(16)
        putREX(w: true, r: 0, x: 0, b: dst.high, force: false)
        put(0xB8 | dst.low3)
        put64(imm)
        if isListingEnabled { record(start, "movabs \(dst.name(.i64)), \(hex(imm))") }
    }

    // MARK: Extending moves

    /// `movzx dst, src`: zero-extends an 8- or 16-bit register into a 32- or
    /// 64-bit one. (For 32→64 use `mov(.i32, dst, src)`: it zero-extends.)
    public mutating func movzx(_ dstSize: OperandSize, _ dst: GPR, _ srcSize: OperandSize, _ src: GPR) {
        require(srcSize == .i8 || srcSize == .i16, "movzx: source must be 8 or 16 bits")
        let start = offset
        ensure(16)
        encodeRR(prefix: Self.sizePrefix(dstSize), w: dstSize == .i64, Opcode(0x0F, srcSize == .i8 ? 0xB6 : 0xB7),
                 reg: dst.rawValue, rm: src.rawValue, forceREX: srcSize == .i8 && src.byteNeedsREX)
        if isListingEnabled { record(start, "movzx \(dst.name(dstSize)), \(src.name(srcSize))") }
    }

    /// `movzx dst, byte/word ptr [mem]`: a zero-extending 8- or 16-bit load.
    public mutating func movzx(_ dstSize: OperandSize, _ dst: GPR, _ srcSize: OperandSize, _ src: Mem) {
        require(srcSize == .i8 || srcSize == .i16, "movzx: source must be 8 or 16 bits")
        let start = offset
        ensure(16)
        encodeRM(prefix: Self.sizePrefix(dstSize), w: dstSize == .i64, Opcode(0x0F, srcSize == .i8 ? 0xB6 : 0xB7),
                 reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "movzx \(dst.name(dstSize)), \(text(src, srcSize))", target: src.label) }
    }

    /// `movsx dst, src` (8/16-bit source) or `movsxd dst, src` (32-bit source,
    /// 64-bit destination): sign extension.
    public mutating func movsx(_ dstSize: OperandSize, _ dst: GPR, _ srcSize: OperandSize, _ src: GPR) {
        if srcSize == .i32 { return movsxd(dst, src) }
        require(srcSize == .i8 || srcSize == .i16, "movsx: source must be 8, 16 or 32 bits")
        let start = offset
        ensure(16)
        encodeRR(prefix: Self.sizePrefix(dstSize), w: dstSize == .i64, Opcode(0x0F, srcSize == .i8 ? 0xBE : 0xBF),
                 reg: dst.rawValue, rm: src.rawValue, forceREX: srcSize == .i8 && src.byteNeedsREX)
        if isListingEnabled { record(start, "movsx \(dst.name(dstSize)), \(src.name(srcSize))") }
    }

    /// A sign-extending load of 8, 16 or 32 bits (`movsx`/`movsxd`).
    public mutating func movsx(_ dstSize: OperandSize, _ dst: GPR, _ srcSize: OperandSize, _ src: Mem) {
        if srcSize == .i32 { return movsxd(dst, src) }
        require(srcSize == .i8 || srcSize == .i16, "movsx: source must be 8, 16 or 32 bits")
        let start = offset
        ensure(16)
        encodeRM(prefix: Self.sizePrefix(dstSize), w: dstSize == .i64, Opcode(0x0F, srcSize == .i8 ? 0xBE : 0xBF),
                 reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "movsx \(dst.name(dstSize)), \(text(src, srcSize))", target: src.label) }
    }

    /// `movsxd dst64, src32` (`REX.W 63 /r`).
    public mutating func movsxd(_ dst: GPR, _ src: GPR) {
        let start = offset
        ensure(16)
        encodeRR(w: true, Opcode(0x63), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "movsxd \(dst.name(.i64)), \(src.name(.i32))") }
    }

    /// `movsxd dst64, dword ptr [mem]`.
    public mutating func movsxd(_ dst: GPR, _ src: Mem) {
        let start = offset
        ensure(16)
        encodeRM(w: true, Opcode(0x63), reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "movsxd \(dst.name(.i64)), \(text(src, .i32))", target: src.label) }
    }

    // MARK: lea, xchg

    /// `lea dst, [mem]`.
    public mutating func lea(_ size: OperandSize, _ dst: GPR, _ src: Mem) {
        let start = offset
        ensure(16)
        intRM(size, Opcode(0x8D), reg: dst.rawValue, mem: src, regIsGPR: false)
        if isListingEnabled { record(start, "lea \(dst.name(size)), \(text(src, ""))", target: src.label) }
    }

    /// `xchg a, b` (`87 /r`; never the one-byte `90+r` form, which for `eax, eax`
    /// would be a `nop` that does not zero-extend).
    public mutating func xchg(_ size: OperandSize, _ a: GPR, _ b: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Self.pick(size, 0x86, 0x87), reg: b.rawValue, rm: a, regIsGPR: true)
        if isListingEnabled { record(start, "xchg \(a.name(size)), \(b.name(size))") }
    }

    // MARK: ALU: add, or, adc, sbb, and, sub, xor, cmp

    /// `op dst, src` for registers (`8*op + 1 /r`, `8*op /r` for bytes).
    public mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: GPR, _ src: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Opcode(op.rawValue &<< 3 | (size == .i8 ? 0 : 1)), reg: src.rawValue, rm: dst, regIsGPR: true)
        if isListingEnabled { record(start, "\(op.mnemonic) \(dst.name(size)), \(src.name(size))") }
    }

    /// `op dst, imm`: `83 /op ib` when the immediate fits a signed byte, the
    /// accumulator form `8*op + 5` for `rax`, else `81 /op id` (`80`/`8*op+4`
    /// with an 8-bit immediate for bytes; 16-bit immediates for words).
    public mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: GPR, _ imm: Int32) {
        let start = offset
        ensure(16)
        if size != .i8 && fitsInt8(imm) {
            intRR(size, Opcode(0x83), reg: op.rawValue, rm: dst, regIsGPR: false)
            put(UInt8(truncatingIfNeeded: imm))
        } else if dst == .rax {
            if size == .i16 { put(0x66) }
            if size == .i64 { put(0x48) }
            put(op.rawValue &<< 3 | (size == .i8 ? 4 : 5))
            putImm(imm, bytes: min(size.bytes, 4))
        } else {
            intRR(size, Self.pick(size, 0x80, 0x81), reg: op.rawValue, rm: dst, regIsGPR: false)
            putImm(imm, bytes: min(size.bytes, 4))
        }
        if isListingEnabled { record(start, "\(op.mnemonic) \(dst.name(size)), \(immText(Int64(imm)))") }
    }

    /// `op dst, [mem]` (`8*op + 3 /r`).
    public mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: GPR, _ src: Mem) {
        let start = offset
        ensure(16)
        intRM(size, Opcode(op.rawValue &<< 3 | (size == .i8 ? 2 : 3)), reg: dst.rawValue, mem: src, regIsGPR: true)
        if isListingEnabled { record(start, "\(op.mnemonic) \(dst.name(size)), \(text(src, size))", target: src.label) }
    }

    /// `op [mem], src` (`8*op + 1 /r`).
    public mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: Mem, _ src: GPR) {
        let start = offset
        ensure(16)
        intRM(size, Opcode(op.rawValue &<< 3 | (size == .i8 ? 0 : 1)), reg: src.rawValue, mem: dst, regIsGPR: true)
        if isListingEnabled { record(start, "\(op.mnemonic) \(text(dst, size)), \(src.name(size))", target: dst.label) }
    }

    /// `op [mem], imm` (`83 /op ib` or `81 /op id`; `80 /op ib` for bytes).
    public mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: Mem, _ imm: Int32) {
        let start = offset
        ensure(16)
        if size != .i8 && fitsInt8(imm) {
            intRM(size, Opcode(0x83), reg: op.rawValue, mem: dst, regIsGPR: false, immBytes: 1)
            put(UInt8(truncatingIfNeeded: imm))
        } else {
            let immBytes = min(size.bytes, 4)
            intRM(size, Self.pick(size, 0x80, 0x81), reg: op.rawValue, mem: dst, regIsGPR: false, immBytes: immBytes)
            putImm(imm, bytes: immBytes)
        }
        if isListingEnabled { record(start, "\(op.mnemonic) \(text(dst, size)), \(immText(Int64(imm)))", target: dst.label) }
    }

    public mutating func add(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.add, s, d, r) }
    public mutating func add(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.add, s, d, i) }
    public mutating func add(_ s: OperandSize, _ d: GPR, _ m: Mem) { alu(.add, s, d, m) }
    public mutating func add(_ s: OperandSize, _ m: Mem, _ r: GPR) { alu(.add, s, m, r) }
    public mutating func add(_ s: OperandSize, _ m: Mem, _ i: Int32) { alu(.add, s, m, i) }
    public mutating func or(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.or, s, d, r) }
    public mutating func or(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.or, s, d, i) }
    public mutating func or(_ s: OperandSize, _ d: GPR, _ m: Mem) { alu(.or, s, d, m) }
    public mutating func or(_ s: OperandSize, _ m: Mem, _ r: GPR) { alu(.or, s, m, r) }
    public mutating func or(_ s: OperandSize, _ m: Mem, _ i: Int32) { alu(.or, s, m, i) }
    public mutating func adc(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.adc, s, d, r) }
    public mutating func adc(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.adc, s, d, i) }
    public mutating func sbb(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.sbb, s, d, r) }
    public mutating func sbb(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.sbb, s, d, i) }
    public mutating func and(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.and, s, d, r) }
    public mutating func and(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.and, s, d, i) }
    public mutating func and(_ s: OperandSize, _ d: GPR, _ m: Mem) { alu(.and, s, d, m) }
    public mutating func and(_ s: OperandSize, _ m: Mem, _ r: GPR) { alu(.and, s, m, r) }
    public mutating func and(_ s: OperandSize, _ m: Mem, _ i: Int32) { alu(.and, s, m, i) }
    public mutating func sub(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.sub, s, d, r) }
    public mutating func sub(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.sub, s, d, i) }
    public mutating func sub(_ s: OperandSize, _ d: GPR, _ m: Mem) { alu(.sub, s, d, m) }
    public mutating func sub(_ s: OperandSize, _ m: Mem, _ r: GPR) { alu(.sub, s, m, r) }
    public mutating func sub(_ s: OperandSize, _ m: Mem, _ i: Int32) { alu(.sub, s, m, i) }
    public mutating func xor(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.xor, s, d, r) }
    public mutating func xor(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.xor, s, d, i) }
    public mutating func xor(_ s: OperandSize, _ d: GPR, _ m: Mem) { alu(.xor, s, d, m) }
    public mutating func xor(_ s: OperandSize, _ m: Mem, _ r: GPR) { alu(.xor, s, m, r) }
    public mutating func xor(_ s: OperandSize, _ m: Mem, _ i: Int32) { alu(.xor, s, m, i) }
    public mutating func cmp(_ s: OperandSize, _ d: GPR, _ r: GPR) { alu(.cmp, s, d, r) }
    public mutating func cmp(_ s: OperandSize, _ d: GPR, _ i: Int32) { alu(.cmp, s, d, i) }
    public mutating func cmp(_ s: OperandSize, _ d: GPR, _ m: Mem) { alu(.cmp, s, d, m) }
    public mutating func cmp(_ s: OperandSize, _ m: Mem, _ r: GPR) { alu(.cmp, s, m, r) }
    public mutating func cmp(_ s: OperandSize, _ m: Mem, _ i: Int32) { alu(.cmp, s, m, i) }

    // MARK: test

    /// `test a, b` (`85 /r`).
    public mutating func test(_ size: OperandSize, _ a: GPR, _ b: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Self.pick(size, 0x84, 0x85), reg: b.rawValue, rm: a, regIsGPR: true)
        if isListingEnabled { record(start, "test \(a.name(size)), \(b.name(size))") }
    }

    /// `test a, imm` (`A9 id` for the accumulator, else `F7 /0 id`; there is no
    /// sign-extended 8-bit form).
    public mutating func test(_ size: OperandSize, _ a: GPR, _ imm: Int32) {
        let start = offset
        ensure(16)
        if a == .rax {
            if size == .i16 { put(0x66) }
            if size == .i64 { put(0x48) }
            put(size == .i8 ? 0xA8 : 0xA9)
        } else {
            intRR(size, Self.pick(size, 0xF6, 0xF7), reg: 0, rm: a, regIsGPR: false)
        }
        putImm(imm, bytes: min(size.bytes, 4))
        if isListingEnabled { record(start, "test \(a.name(size)), \(immText(Int64(imm)))") }
    }

    /// `test [mem], b`.
    public mutating func test(_ size: OperandSize, _ a: Mem, _ b: GPR) {
        let start = offset
        ensure(16)
        intRM(size, Self.pick(size, 0x84, 0x85), reg: b.rawValue, mem: a, regIsGPR: true)
        if isListingEnabled { record(start, "test \(text(a, size)), \(b.name(size))", target: a.label) }
    }

    /// `test [mem], imm`.
    public mutating func test(_ size: OperandSize, _ a: Mem, _ imm: Int32) {
        let start = offset
        ensure(16)
        let immBytes = min(size.bytes, 4)
        intRM(size, Self.pick(size, 0xF6, 0xF7), reg: 0, mem: a, regIsGPR: false, immBytes: immBytes)
        putImm(imm, bytes: immBytes)
        if isListingEnabled { record(start, "test \(text(a, size)), \(immText(Int64(imm)))", target: a.label) }
    }

    // MARK: Multiply, divide, unary group 3

    /// `imul dst, src` (`0F AF /r`): the low half of the product.
    public mutating func imul(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Opcode(0x0F, 0xAF), reg: dst.rawValue, rm: src, regIsGPR: false)
        if isListingEnabled { record(start, "imul \(dst.name(size)), \(src.name(size))") }
    }

    /// `imul dst, [mem]`.
    public mutating func imul(_ size: OperandSize, _ dst: GPR, _ src: Mem) {
        let start = offset
        ensure(16)
        intRM(size, Opcode(0x0F, 0xAF), reg: dst.rawValue, mem: src, regIsGPR: false)
        if isListingEnabled { record(start, "imul \(dst.name(size)), \(text(src, size))", target: src.label) }
    }

    /// `imul dst, src, imm` (`6B /r ib` or `69 /r id`).
    public mutating func imul(_ size: OperandSize, _ dst: GPR, _ src: GPR, _ imm: Int32) {
        let start = offset
        ensure(16)
        let short = fitsInt8(imm)
        intRR(size, Opcode(short ? 0x6B : 0x69), reg: dst.rawValue, rm: src, regIsGPR: false)
        putImm(imm, bytes: short ? 1 : min(size.bytes, 4))
        if isListingEnabled { record(start, "imul \(dst.name(size)), \(src.name(size)), \(immText(Int64(imm)))") }
    }

    /// `imul dst, [mem], imm`.
    public mutating func imul(_ size: OperandSize, _ dst: GPR, _ src: Mem, _ imm: Int32) {
        let start = offset
        ensure(16)
        let short = fitsInt8(imm)
        let immBytes = short ? 1 : min(size.bytes, 4)
        intRM(size, Opcode(short ? 0x6B : 0x69), reg: dst.rawValue, mem: src, regIsGPR: false, immBytes: immBytes)
        putImm(imm, bytes: immBytes)
        if isListingEnabled { record(start, "imul \(dst.name(size)), \(text(src, size)), \(immText(Int64(imm)))", target: src.label) }
    }

    /// Group 3 on a register: `not`/`neg`/`mul`/`imul`/`div`/`idiv` (`F7 /op`).
    /// `mul`/`imul`/`div`/`idiv` use `rdx:rax` implicitly.
    public mutating func unary(_ op: UnaryOp, _ size: OperandSize, _ r: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Self.pick(size, 0xF6, 0xF7), reg: op.rawValue, rm: r, regIsGPR: false)
        if isListingEnabled { record(start, "\(op.mnemonic) \(r.name(size))") }
    }

    /// Group 3 on memory.
    public mutating func unary(_ op: UnaryOp, _ size: OperandSize, _ m: Mem) {
        let start = offset
        ensure(16)
        intRM(size, Self.pick(size, 0xF6, 0xF7), reg: op.rawValue, mem: m, regIsGPR: false)
        if isListingEnabled { record(start, "\(op.mnemonic) \(text(m, size))", target: m.label) }
    }

    public mutating func not(_ s: OperandSize, _ r: GPR) { unary(.not, s, r) }
    public mutating func neg(_ s: OperandSize, _ r: GPR) { unary(.neg, s, r) }
    /// Unsigned `rdx:rax = rax * r`.
    public mutating func mul(_ s: OperandSize, _ r: GPR) { unary(.mul, s, r) }
    /// Signed widening `rdx:rax = rax * r` (one-operand form).
    public mutating func imul(_ s: OperandSize, _ r: GPR) { unary(.imul, s, r) }
    /// Unsigned `rax = rdx:rax / r`, `rdx = remainder`. Zero `rdx` first.
    public mutating func div(_ s: OperandSize, _ r: GPR) { unary(.div, s, r) }
    /// Signed `rax = rdx:rax / r`, `rdx = remainder`. Sign-extend with `cdq`/`cqo` first.
    public mutating func idiv(_ s: OperandSize, _ r: GPR) { unary(.idiv, s, r) }
    public mutating func div(_ s: OperandSize, _ m: Mem) { unary(.div, s, m) }
    public mutating func idiv(_ s: OperandSize, _ m: Mem) { unary(.idiv, s, m) }

    /// `inc r` (`FF /0`).
    public mutating func inc(_ size: OperandSize, _ r: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Self.pick(size, 0xFE, 0xFF), reg: 0, rm: r, regIsGPR: false)
        if isListingEnabled { record(start, "inc \(r.name(size))") }
    }

    /// `dec r` (`FF /1`).
    public mutating func dec(_ size: OperandSize, _ r: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Self.pick(size, 0xFE, 0xFF), reg: 1, rm: r, regIsGPR: false)
        if isListingEnabled { record(start, "dec \(r.name(size))") }
    }

    /// `cdq` (`99`): sign-extends `eax` into `edx:eax`, before a 32-bit `idiv`.
    public mutating func cdq() { simple(0x99, rexW: false, "cdq") }
    /// `cqo` (`48 99`): sign-extends `rax` into `rdx:rax`, before a 64-bit `idiv`.
    public mutating func cqo() { simple(0x99, rexW: true, "cqo") }
    /// `cdqe` (`48 98`): sign-extends `eax` into `rax`.
    public mutating func cdqe() { simple(0x98, rexW: true, "cdqe") }

    /// `cdq` or `cqo` for the operand size of a following `idiv`.
    public mutating func signExtendAccumulator(_ size: OperandSize) {
        require(size == .i32 || size == .i64, "32 or 64 bits")
        if size == .i64 { cqo() } else { cdq() }
    }

    // MARK: Shifts and rotates

    /// `op r, cl` (`D3 /op`), `op r, 1` (`D1 /op`) or `op r, imm8` (`C1 /op ib`).
    public mutating func shift(_ op: ShiftOp, _ size: OperandSize, _ r: GPR, _ amount: ShiftAmount) {
        let start = offset
        ensure(16)
        switch amount {
        case .cl:
            intRR(size, Self.pick(size, 0xD2, 0xD3), reg: op.rawValue, rm: r, regIsGPR: false)
        case .imm(1):
            intRR(size, Self.pick(size, 0xD0, 0xD1), reg: op.rawValue, rm: r, regIsGPR: false)
        case .imm(let n):
            intRR(size, Self.pick(size, 0xC0, 0xC1), reg: op.rawValue, rm: r, regIsGPR: false)
            put(n)
        }
        if isListingEnabled {
            switch amount {
            case .cl: record(start, "\(op.mnemonic) \(r.name(size)), cl")
            case .imm(let n): record(start, "\(op.mnemonic) \(r.name(size)), \(n)")
            }
        }
    }

    public mutating func shl(_ s: OperandSize, _ r: GPR, _ a: ShiftAmount) { shift(.shl, s, r, a) }
    public mutating func shr(_ s: OperandSize, _ r: GPR, _ a: ShiftAmount) { shift(.shr, s, r, a) }
    public mutating func sar(_ s: OperandSize, _ r: GPR, _ a: ShiftAmount) { shift(.sar, s, r, a) }
    public mutating func rol(_ s: OperandSize, _ r: GPR, _ a: ShiftAmount) { shift(.rol, s, r, a) }
    public mutating func ror(_ s: OperandSize, _ r: GPR, _ a: ShiftAmount) { shift(.ror, s, r, a) }

    // MARK: Bit counting

    /// `[F3] 0F op /r` on 32/64-bit registers (lzcnt/tzcnt/popcnt/bsr/bsf).
    mutating func bitCount(_ prefix: UInt8, _ op: UInt8, _ name: String, _ size: OperandSize, _ dst: GPR, _ src: GPR) {
        require(size == .i32 || size == .i64, "\(name): 32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRR(prefix: prefix, w: size == .i64, Opcode(0x0F, op), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(name) \(dst.name(size)), \(src.name(size))") }
    }

    mutating func bitCount(_ prefix: UInt8, _ op: UInt8, _ name: String, _ size: OperandSize, _ dst: GPR, _ src: Mem) {
        require(size == .i32 || size == .i64, "\(name): 32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRM(prefix: prefix, w: size == .i64, Opcode(0x0F, op), reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "\(name) \(dst.name(size)), \(text(src, size))", target: src.label) }
    }

    /// `lzcnt` (`F3 0F BD`, ABM/LZCNT; without it the CPU executes `bsr`!).
    public mutating func lzcnt(_ s: OperandSize, _ d: GPR, _ r: GPR) { bitCount(0xF3, 0xBD, "lzcnt", s, d, r) }
    public mutating func lzcnt(_ s: OperandSize, _ d: GPR, _ m: Mem) { bitCount(0xF3, 0xBD, "lzcnt", s, d, m) }
    /// `tzcnt` (`F3 0F BC`, BMI1; without it the CPU executes `bsf`!).
    public mutating func tzcnt(_ s: OperandSize, _ d: GPR, _ r: GPR) { bitCount(0xF3, 0xBC, "tzcnt", s, d, r) }
    public mutating func tzcnt(_ s: OperandSize, _ d: GPR, _ m: Mem) { bitCount(0xF3, 0xBC, "tzcnt", s, d, m) }
    /// `popcnt` (`F3 0F B8`, POPCNT).
    public mutating func popcnt(_ s: OperandSize, _ d: GPR, _ r: GPR) { bitCount(0xF3, 0xB8, "popcnt", s, d, r) }
    public mutating func popcnt(_ s: OperandSize, _ d: GPR, _ m: Mem) { bitCount(0xF3, 0xB8, "popcnt", s, d, m) }
    /// `bsr` (`0F BD`): index of the highest set bit; ZF=1 and dst undefined for 0.
    public mutating func bsr(_ s: OperandSize, _ d: GPR, _ r: GPR) { bitCount(0, 0xBD, "bsr", s, d, r) }
    /// `bsf` (`0F BC`): index of the lowest set bit; ZF=1 and dst undefined for 0.
    public mutating func bsf(_ s: OperandSize, _ d: GPR, _ r: GPR) { bitCount(0, 0xBC, "bsf", s, d, r) }

    // MARK: setcc, cmovcc

    /// `setcc r8` (`0F 90+cc /0`): writes 0 or 1 to the low byte only; follow with
    /// `movzx` to get a full i32.
    public mutating func setcc(_ cc: Condition, _ dst: GPR) {
        let start = offset
        ensure(16)
        encodeRR(w: false, Opcode(0x0F, 0x90 | cc.rawValue), reg: 0, rm: dst.rawValue, forceREX: dst.byteNeedsREX)
        if isListingEnabled { record(start, "set\(cc.suffix) \(dst.name(.i8))") }
    }

    /// `cmovcc dst, src` (`0F 40+cc /r`). A 32-bit cmov zero-extends `dst` even
    /// when the condition is false.
    public mutating func cmov(_ cc: Condition, _ size: OperandSize, _ dst: GPR, _ src: GPR) {
        let start = offset
        ensure(16)
        intRR(size, Opcode(0x0F, 0x40 | cc.rawValue), reg: dst.rawValue, rm: src, regIsGPR: false)
        if isListingEnabled { record(start, "cmov\(cc.suffix) \(dst.name(size)), \(src.name(size))") }
    }

    /// `cmovcc dst, [mem]` (the load happens, and can fault, either way).
    public mutating func cmov(_ cc: Condition, _ size: OperandSize, _ dst: GPR, _ src: Mem) {
        let start = offset
        ensure(16)
        intRM(size, Opcode(0x0F, 0x40 | cc.rawValue), reg: dst.rawValue, mem: src, regIsGPR: false)
        if isListingEnabled { record(start, "cmov\(cc.suffix) \(dst.name(size)), \(text(src, size))", target: src.label) }
    }

    /// A one-byte instruction, optionally with REX.W.
    mutating func simple(_ op: UInt8, rexW: Bool, _ name: String) {
        let start = offset
        ensure(16)
        if rexW { put(0x48) }
        put(op)
        if isListingEnabled { record(start, name) }
    }
}
