/// SSE/SSE2/SSE4.1 scalar floating-point instructions and the few packed ones a
/// wasm compiler uses for constants and bit tricks (sign masks, abs, neg).

/// Two-operand SSE operations `op xmm, xmm/mem`. The raw value packs the
/// mandatory prefix (bits 16–23, 0 for none), the opcode after `0F` (bits 8–15)
/// and the memory operand size in bytes (bits 0–7).
public enum SSEOp: UInt32, Sendable, CaseIterable {
    case addss = 0xF3_58_04, addsd = 0xF2_58_08
    case subss = 0xF3_5C_04, subsd = 0xF2_5C_08
    case mulss = 0xF3_59_04, mulsd = 0xF2_59_08
    case divss = 0xF3_5E_04, divsd = 0xF2_5E_08
    case minss = 0xF3_5D_04, minsd = 0xF2_5D_08
    case maxss = 0xF3_5F_04, maxsd = 0xF2_5F_08
    case sqrtss = 0xF3_51_04, sqrtsd = 0xF2_51_08
    case andps = 0x00_54_10, andpd = 0x66_54_10
    case andnps = 0x00_55_10, andnpd = 0x66_55_10
    case orps = 0x00_56_10, orpd = 0x66_56_10
    case xorps = 0x00_57_10, xorpd = 0x66_57_10
    /// Unordered compare: sets ZF/PF/CF (PF=1 for NaN).
    case ucomiss = 0x00_2E_04, ucomisd = 0x66_2E_08
    case cvtss2sd = 0xF3_5A_04, cvtsd2ss = 0xF2_5A_08
    case pcmpeqd = 0x66_76_10, pxor = 0x66_EF_10

    var prefix: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 16) }
    var opcode: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
    var memoryBytes: Int { Int(rawValue & 0xFF) }
    public var mnemonic: String { String(describing: self) }
}

/// `dword ptr`, `qword ptr` or `xmmword ptr`.
func ptrName(bytes: Int) -> String {
    switch bytes {
    case 4: return "dword ptr"
    case 8: return "qword ptr"
    case 16: return "xmmword ptr"
    default: return OperandSize(rawValue: UInt8(bytes))!.pointerName
    }
}

extension X64Assembler {
    // MARK: Generic forms

    /// `op dst, src` for the two-operand SSE group.
    public mutating func sse(_ op: SSEOp, _ dst: XMM, _ src: XMM) {
        let start = offset
        ensure(16)
        encodeRR(prefix: op.prefix, w: false, Opcode(0x0F, op.opcode), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(op.mnemonic) \(dst.name), \(src.name)") }
    }

    /// `op dst, [mem]` for the two-operand SSE group. Packed operations (`andps`…)
    /// require a 16-byte aligned memory operand.
    public mutating func sse(_ op: SSEOp, _ dst: XMM, _ src: Mem) {
        let start = offset
        ensure(16)
        encodeRM(prefix: op.prefix, w: false, Opcode(0x0F, op.opcode), reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "\(op.mnemonic) \(dst.name), \(text(src, ptrName(bytes: op.memoryBytes)))", target: src.label) }
    }

    /// `[prefix] 0F op /r` register–register move-like instruction.
    mutating func sseRR(_ prefix: UInt8, _ op: UInt8, _ name: String, _ dst: XMM, _ src: XMM) {
        let start = offset
        ensure(16)
        encodeRR(prefix: prefix, w: false, Opcode(0x0F, op), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(name) \(dst.name), \(src.name)") }
    }

    /// Load form: `name xmm, [mem]`.
    mutating func sseLoad(_ prefix: UInt8, _ op: UInt8, _ name: String, _ bytes: Int, _ dst: XMM, _ src: Mem) {
        let start = offset
        ensure(16)
        encodeRM(prefix: prefix, w: false, Opcode(0x0F, op), reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "\(name) \(dst.name), \(text(src, ptrName(bytes: bytes)))", target: src.label) }
    }

    /// Store form: `name [mem], xmm`.
    mutating func sseStore(_ prefix: UInt8, _ op: UInt8, _ name: String, _ bytes: Int, _ dst: Mem, _ src: XMM) {
        let start = offset
        ensure(16)
        encodeRM(prefix: prefix, w: false, Opcode(0x0F, op), reg: src.rawValue, mem: dst)
        if isListingEnabled { record(start, "\(name) \(text(dst, ptrName(bytes: bytes))), \(src.name)", target: dst.label) }
    }

    // MARK: Moves

    /// `movss dst, src` (`F3 0F 10`): moves the low 32 bits, keeps the rest of dst.
    public mutating func movss(_ d: XMM, _ s: XMM) { sseRR(0xF3, 0x10, "movss", d, s) }
    /// `movss dst, dword ptr [mem]`: loads 32 bits, zeroes the rest.
    public mutating func movss(_ d: XMM, _ m: Mem) { sseLoad(0xF3, 0x10, "movss", 4, d, m) }
    /// `movss dword ptr [mem], src` (`F3 0F 11`).
    public mutating func movss(_ m: Mem, _ s: XMM) { sseStore(0xF3, 0x11, "movss", 4, m, s) }
    /// `movsd dst, src` (`F2 0F 10`): moves the low 64 bits, keeps the rest of dst.
    public mutating func movsd(_ d: XMM, _ s: XMM) { sseRR(0xF2, 0x10, "movsd", d, s) }
    /// `movsd dst, qword ptr [mem]`: loads 64 bits, zeroes the rest.
    public mutating func movsd(_ d: XMM, _ m: Mem) { sseLoad(0xF2, 0x10, "movsd", 8, d, m) }
    /// `movsd qword ptr [mem], src` (`F2 0F 11`).
    public mutating func movsd(_ m: Mem, _ s: XMM) { sseStore(0xF2, 0x11, "movsd", 8, m, s) }
    /// `movaps` (`0F 28`/`0F 29`): whole-register move; memory must be 16-aligned.
    public mutating func movaps(_ d: XMM, _ s: XMM) { sseRR(0, 0x28, "movaps", d, s) }
    public mutating func movaps(_ d: XMM, _ m: Mem) { sseLoad(0, 0x28, "movaps", 16, d, m) }
    public mutating func movaps(_ m: Mem, _ s: XMM) { sseStore(0, 0x29, "movaps", 16, m, s) }
    /// `movapd` (`66 0F 28`/`66 0F 29`).
    public mutating func movapd(_ d: XMM, _ s: XMM) { sseRR(0x66, 0x28, "movapd", d, s) }
    public mutating func movapd(_ d: XMM, _ m: Mem) { sseLoad(0x66, 0x28, "movapd", 16, d, m) }
    public mutating func movapd(_ m: Mem, _ s: XMM) { sseStore(0x66, 0x29, "movapd", 16, m, s) }
    /// `movups` (`0F 10`/`0F 11`): unaligned 128-bit load/store.
    public mutating func movups(_ d: XMM, _ m: Mem) { sseLoad(0, 0x10, "movups", 16, d, m) }
    public mutating func movups(_ m: Mem, _ s: XMM) { sseStore(0, 0x11, "movups", 16, m, s) }

    /// `movd xmm, r32` (`66 0F 6E`) or `movq xmm, r64` (`66 REX.W 0F 6E`):
    /// bit-for-bit, upper lanes zeroed.
    public mutating func movd(_ size: OperandSize, _ dst: XMM, _ src: GPR) {
        require(size == .i32 || size == .i64, "32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRR(prefix: 0x66, w: size == .i64, Opcode(0x0F, 0x6E), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(size == .i64 ? "movq" : "movd") \(dst.name), \(src.name(size))") }
    }

    /// `movd r32, xmm` (`66 0F 7E`) or `movq r64, xmm` (`66 REX.W 0F 7E`).
    public mutating func movd(_ size: OperandSize, _ dst: GPR, _ src: XMM) {
        require(size == .i32 || size == .i64, "32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRR(prefix: 0x66, w: size == .i64, Opcode(0x0F, 0x7E), reg: src.rawValue, rm: dst.rawValue)
        if isListingEnabled { record(start, "\(size == .i64 ? "movq" : "movd") \(dst.name(size)), \(src.name)") }
    }

    /// `movq xmm, r64`.
    public mutating func movq(_ dst: XMM, _ src: GPR) { movd(.i64, dst, src) }
    /// `movq r64, xmm`.
    public mutating func movq(_ dst: GPR, _ src: XMM) { movd(.i64, dst, src) }
    /// `movd xmm, r32`.
    public mutating func movd(_ dst: XMM, _ src: GPR) { movd(.i32, dst, src) }
    /// `movd r32, xmm`.
    public mutating func movd(_ dst: GPR, _ src: XMM) { movd(.i32, dst, src) }

    // MARK: Arithmetic and logic (named forms of `sse(_:_:_:)`)

    public mutating func addss(_ d: XMM, _ s: XMM) { sse(.addss, d, s) }
    public mutating func addss(_ d: XMM, _ m: Mem) { sse(.addss, d, m) }
    public mutating func addsd(_ d: XMM, _ s: XMM) { sse(.addsd, d, s) }
    public mutating func addsd(_ d: XMM, _ m: Mem) { sse(.addsd, d, m) }
    public mutating func subss(_ d: XMM, _ s: XMM) { sse(.subss, d, s) }
    public mutating func subss(_ d: XMM, _ m: Mem) { sse(.subss, d, m) }
    public mutating func subsd(_ d: XMM, _ s: XMM) { sse(.subsd, d, s) }
    public mutating func subsd(_ d: XMM, _ m: Mem) { sse(.subsd, d, m) }
    public mutating func mulss(_ d: XMM, _ s: XMM) { sse(.mulss, d, s) }
    public mutating func mulss(_ d: XMM, _ m: Mem) { sse(.mulss, d, m) }
    public mutating func mulsd(_ d: XMM, _ s: XMM) { sse(.mulsd, d, s) }
    public mutating func mulsd(_ d: XMM, _ m: Mem) { sse(.mulsd, d, m) }
    public mutating func divss(_ d: XMM, _ s: XMM) { sse(.divss, d, s) }
    public mutating func divss(_ d: XMM, _ m: Mem) { sse(.divss, d, m) }
    public mutating func divsd(_ d: XMM, _ s: XMM) { sse(.divsd, d, s) }
    public mutating func divsd(_ d: XMM, _ m: Mem) { sse(.divsd, d, m) }
    public mutating func sqrtss(_ d: XMM, _ s: XMM) { sse(.sqrtss, d, s) }
    public mutating func sqrtss(_ d: XMM, _ m: Mem) { sse(.sqrtss, d, m) }
    public mutating func sqrtsd(_ d: XMM, _ s: XMM) { sse(.sqrtsd, d, s) }
    public mutating func sqrtsd(_ d: XMM, _ m: Mem) { sse(.sqrtsd, d, m) }
    /// `minss`: returns the *second* operand if either is NaN or both are zero;
    /// wasm's `f32.min` needs extra code around it.
    public mutating func minss(_ d: XMM, _ s: XMM) { sse(.minss, d, s) }
    public mutating func minsd(_ d: XMM, _ s: XMM) { sse(.minsd, d, s) }
    /// `maxss`: same caveats as `minss`.
    public mutating func maxss(_ d: XMM, _ s: XMM) { sse(.maxss, d, s) }
    public mutating func maxsd(_ d: XMM, _ s: XMM) { sse(.maxsd, d, s) }
    public mutating func andps(_ d: XMM, _ s: XMM) { sse(.andps, d, s) }
    public mutating func andpd(_ d: XMM, _ s: XMM) { sse(.andpd, d, s) }
    /// `andnps d, s`: `d = ~d & s`.
    public mutating func andnps(_ d: XMM, _ s: XMM) { sse(.andnps, d, s) }
    public mutating func andnpd(_ d: XMM, _ s: XMM) { sse(.andnpd, d, s) }
    public mutating func orps(_ d: XMM, _ s: XMM) { sse(.orps, d, s) }
    public mutating func orpd(_ d: XMM, _ s: XMM) { sse(.orpd, d, s) }
    public mutating func xorps(_ d: XMM, _ s: XMM) { sse(.xorps, d, s) }
    public mutating func xorpd(_ d: XMM, _ s: XMM) { sse(.xorpd, d, s) }
    public mutating func ucomiss(_ d: XMM, _ s: XMM) { sse(.ucomiss, d, s) }
    public mutating func ucomiss(_ d: XMM, _ m: Mem) { sse(.ucomiss, d, m) }
    public mutating func ucomisd(_ d: XMM, _ s: XMM) { sse(.ucomisd, d, s) }
    public mutating func ucomisd(_ d: XMM, _ m: Mem) { sse(.ucomisd, d, m) }
    /// `cvtss2sd` (f64.promote_f32).
    public mutating func cvtss2sd(_ d: XMM, _ s: XMM) { sse(.cvtss2sd, d, s) }
    /// `cvtsd2ss` (f32.demote_f64).
    public mutating func cvtsd2ss(_ d: XMM, _ s: XMM) { sse(.cvtsd2ss, d, s) }
    /// `pcmpeqd d, d` sets all bits: the start of many mask constants.
    public mutating func pcmpeqd(_ d: XMM, _ s: XMM) { sse(.pcmpeqd, d, s) }
    public mutating func pxor(_ d: XMM, _ s: XMM) { sse(.pxor, d, s) }

    // MARK: Packed shifts by immediate

    /// `66 0F op /digit ib`: psrld/pslld/psrad (`72`), psrlq/psllq (`73`).
    mutating func packedShift(_ op: UInt8, _ digit: UInt8, _ name: String, _ r: XMM, _ imm: UInt8) {
        let start = offset
        ensure(16)
        encodeRR(prefix: 0x66, w: false, Opcode(0x0F, op), reg: digit, rm: r.rawValue)
        put(imm)
        if isListingEnabled { record(start, "\(name) \(r.name), \(imm)") }
    }

    public mutating func psrld(_ r: XMM, _ imm: UInt8) { packedShift(0x72, 2, "psrld", r, imm) }
    public mutating func pslld(_ r: XMM, _ imm: UInt8) { packedShift(0x72, 6, "pslld", r, imm) }
    public mutating func psrad(_ r: XMM, _ imm: UInt8) { packedShift(0x72, 4, "psrad", r, imm) }
    public mutating func psrlq(_ r: XMM, _ imm: UInt8) { packedShift(0x73, 2, "psrlq", r, imm) }
    public mutating func psllq(_ r: XMM, _ imm: UInt8) { packedShift(0x73, 6, "psllq", r, imm) }

    // MARK: Conversions

    /// `cvtsi2ss dst, r32/r64` (`F3 [REX.W] 0F 2A`): signed integer to f32. Writes
    /// only the low lane, so it depends on dst's old value (zero dst first with
    /// `xorps` to break the dependency).
    public mutating func cvtsi2ss(_ dst: XMM, _ srcSize: OperandSize, _ src: GPR) { cvtsi2(0xF3, "cvtsi2ss", dst, srcSize, src) }
    public mutating func cvtsi2ss(_ dst: XMM, _ srcSize: OperandSize, _ src: Mem) { cvtsi2(0xF3, "cvtsi2ss", dst, srcSize, src) }
    /// `cvtsi2sd dst, r32/r64` (`F2 [REX.W] 0F 2A`): signed integer to f64.
    public mutating func cvtsi2sd(_ dst: XMM, _ srcSize: OperandSize, _ src: GPR) { cvtsi2(0xF2, "cvtsi2sd", dst, srcSize, src) }
    public mutating func cvtsi2sd(_ dst: XMM, _ srcSize: OperandSize, _ src: Mem) { cvtsi2(0xF2, "cvtsi2sd", dst, srcSize, src) }

    mutating func cvtsi2(_ prefix: UInt8, _ name: String, _ dst: XMM, _ srcSize: OperandSize, _ src: GPR) {
        require(srcSize == .i32 || srcSize == .i64, "32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRR(prefix: prefix, w: srcSize == .i64, Opcode(0x0F, 0x2A), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(name) \(dst.name), \(src.name(srcSize))") }
    }

    mutating func cvtsi2(_ prefix: UInt8, _ name: String, _ dst: XMM, _ srcSize: OperandSize, _ src: Mem) {
        require(srcSize == .i32 || srcSize == .i64, "32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRM(prefix: prefix, w: srcSize == .i64, Opcode(0x0F, 0x2A), reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "\(name) \(dst.name), \(text(src, srcSize))", target: src.label) }
    }

    /// `cvttss2si r32/r64, xmm` (`F3 [REX.W] 0F 2C`): f32 to signed integer,
    /// truncating; out of range or NaN gives the "integer indefinite" value
    /// `0x80000000` / `0x8000000000000000`.
    public mutating func cvttss2si(_ dstSize: OperandSize, _ dst: GPR, _ src: XMM) { cvtt2si(0xF3, "cvttss2si", dstSize, dst, src) }
    /// `cvttsd2si r32/r64, xmm` (`F2 [REX.W] 0F 2C`).
    public mutating func cvttsd2si(_ dstSize: OperandSize, _ dst: GPR, _ src: XMM) { cvtt2si(0xF2, "cvttsd2si", dstSize, dst, src) }
    public mutating func cvttss2si(_ dstSize: OperandSize, _ dst: GPR, _ src: Mem) { cvtt2si(0xF3, "cvttss2si", 4, dstSize, dst, src) }
    public mutating func cvttsd2si(_ dstSize: OperandSize, _ dst: GPR, _ src: Mem) { cvtt2si(0xF2, "cvttsd2si", 8, dstSize, dst, src) }

    mutating func cvtt2si(_ prefix: UInt8, _ name: String, _ dstSize: OperandSize, _ dst: GPR, _ src: XMM) {
        require(dstSize == .i32 || dstSize == .i64, "32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRR(prefix: prefix, w: dstSize == .i64, Opcode(0x0F, 0x2C), reg: dst.rawValue, rm: src.rawValue)
        if isListingEnabled { record(start, "\(name) \(dst.name(dstSize)), \(src.name)") }
    }

    mutating func cvtt2si(_ prefix: UInt8, _ name: String, _ bytes: Int, _ dstSize: OperandSize, _ dst: GPR, _ src: Mem) {
        require(dstSize == .i32 || dstSize == .i64, "32 or 64 bits")
        let start = offset
        ensure(16)
        encodeRM(prefix: prefix, w: dstSize == .i64, Opcode(0x0F, 0x2C), reg: dst.rawValue, mem: src)
        if isListingEnabled { record(start, "\(name) \(dst.name(dstSize)), \(text(src, ptrName(bytes: bytes)))", target: src.label) }
    }

    // MARK: Rounding (SSE4.1)

    /// `roundss dst, src, mode` (`66 0F 3A 0A /r ib`).
    public mutating func roundss(_ dst: XMM, _ src: XMM, _ mode: RoundingMode) { round(0x0A, "roundss", dst, src, mode) }
    /// `roundsd dst, src, mode` (`66 0F 3A 0B /r ib`).
    public mutating func roundsd(_ dst: XMM, _ src: XMM, _ mode: RoundingMode) { round(0x0B, "roundsd", dst, src, mode) }
    public mutating func roundss(_ dst: XMM, _ src: Mem, _ mode: RoundingMode) { round(0x0A, "roundss", 4, dst, src, mode) }
    public mutating func roundsd(_ dst: XMM, _ src: Mem, _ mode: RoundingMode) { round(0x0B, "roundsd", 8, dst, src, mode) }

    mutating func round(_ op: UInt8, _ name: String, _ dst: XMM, _ src: XMM, _ mode: RoundingMode) {
        let start = offset
        ensure(16)
        encodeRR(prefix: 0x66, w: false, Opcode(0x0F, 0x3A, op), reg: dst.rawValue, rm: src.rawValue)
        put(mode.rawValue)
        if isListingEnabled { record(start, "\(name) \(dst.name), \(src.name), \(mode.rawValue)") }
    }

    mutating func round(_ op: UInt8, _ name: String, _ bytes: Int, _ dst: XMM, _ src: Mem, _ mode: RoundingMode) {
        let start = offset
        ensure(16)
        encodeRM(prefix: 0x66, w: false, Opcode(0x0F, 0x3A, op), reg: dst.rawValue, mem: src, immBytes: 1)
        put(mode.rawValue)
        if isListingEnabled { record(start, "\(name) \(dst.name), \(text(src, ptrName(bytes: bytes))), \(mode.rawValue)", target: src.label) }
    }
}
