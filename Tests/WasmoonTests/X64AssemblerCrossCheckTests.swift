import Foundation
import Testing
import WasmJIT

/// The fuzz-vs-objdump check: emit a large batch of random instructions (every
/// form, random registers, sizes, memory operands, immediates and label
/// targets), disassemble our bytes with GNU objdump, and compare each
/// instruction's offset, length and text against our own listing.
///
/// objdump is independent of LLVM (whose `llvm-mc` produced the expected bytes
/// in `X64AssemblerEncodingTests`), so an encoder bug has to fool both to pass.
/// Seed and count can be changed with `WASMOON_X64_SEED` / `WASMOON_X64_COUNT`.
@Suite struct X64AssemblerCrossCheckTests {
    static let objdump = "/usr/bin/objdump"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: objdump), "needs \(objdump)"))
    func randomInstructionsMatchObjdump() throws {
        let env = ProcessInfo.processInfo.environment
        let seed = env["WASMOON_X64_SEED"].flatMap { UInt64($0) } ?? 0x5EED_0F_3A5
        let count = env["WASMOON_X64_COUNT"].flatMap { Int($0) } ?? 30_000
        var gen = RandomInstructions(seed: seed)
        var a = X64Assembler(listing: true)
        gen.emit(count, into: &a)
        a.finish()

        let dir = FileManager.default.temporaryDirectory
        let file = dir.appendingPathComponent("wasmoon-x64-crosscheck-\(getpid())-\(seed).bin")
        try Data(a.bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try runTool(Self.objdump, ["-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", file.path])
        let theirs = ObjdumpListing.parse(output)

        var mismatches: [String] = []
        var compared = 0
        var mnemonics = Set<String>()
        for line in a.listing where line.kind == .instruction {
            compared += 1
            let ours = CrossCheckNormalizer.normalize(ourText(line, a))
            mnemonics.insert(String(ours.prefix { $0 != " " }))
            let bytes = x64HexString((0..<line.length).map { a.byte(at: line.offset + $0) })
            guard let t = theirs[line.offset] else {
                mismatches.append("@\(hex(line.offset)) \(line.text) [\(bytes)]: objdump has no instruction here (out of sync)")
                continue
            }
            let other = CrossCheckNormalizer.normalize(t.text)
            if t.length != line.length || other != ours {
                mismatches.append("@\(hex(line.offset)) [\(bytes)]\n    ours:    \(line.text)  → \(ours)\n    objdump: \(t.text)  → \(other) (\(t.length) bytes)")
            }
        }
        print("x64 cross-check vs objdump: seed \(seed), \(compared) instructions, \(mnemonics.count) mnemonics, \(a.offset) bytes, \(mismatches.count) mismatches")
        for m in mismatches.prefix(25) { Issue.record(Comment(rawValue: m)) }
        #expect(mismatches.isEmpty)
        #expect(compared == count)
    }

    /// Our listing text with label names replaced by offsets, the way objdump
    /// prints branch targets (`jmp 0x1a`) and RIP-relative operands (`[rip:0x1a]`,
    /// see the normalizer).
    func ourText(_ line: ListingLine, _ a: borrowing X64Assembler) -> String {
        guard let target = line.target, let labelOffset = a.offset(of: target) else { return line.text }
        let name = a.name(of: target)
        var text = line.text
        if let r = text.range(of: "rip + \(name)") {
            // [rip + NAME], [rip + NAME + 0x8], [rip + NAME - 0x8]
            var disp = 0
            let rest = text[r.upperBound...]
            var end = r.upperBound
            if rest.hasPrefix(" + 0x") || rest.hasPrefix(" - 0x") {
                let digits = rest.dropFirst(5).prefix { $0.isHexDigit }
                disp = Int(digits, radix: 16)! * (rest.hasPrefix(" - ") ? -1 : 1)
                end = text.index(r.upperBound, offsetBy: 5 + digits.count)
            }
            text.replaceSubrange(r.lowerBound..<end, with: "rip:0x" + String(UInt64(bitPattern: Int64(labelOffset + disp)), radix: 16))
            return text
        }
        // Branches, calls: the last operand is the label name.
        if text.hasSuffix(" " + name) {
            text = String(text.dropLast(name.count)) + hex(labelOffset)
        }
        return text
    }
}

private func hex(_ v: Int) -> String { "0x" + String(v, radix: 16) }

/// Runs a tool and returns its standard output; throws on a non-zero exit.
private func runTool(_ path: String, _ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = Pipe()
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    struct ToolFailed: Error { let status: Int32 }
    if p.terminationStatus != 0 { throw ToolFailed(status: p.terminationStatus) }
    return String(decoding: data, as: UTF8.self)
}

/// objdump's `-D` output: offset → (text, length).
private enum ObjdumpListing {
    struct Entry { var text: String; var length: Int }

    static func parse(_ output: String) -> [Int: Entry] {
        var result: [Int: Entry] = [:]
        var last: Int? = nil
        for raw in output.split(separator: "\n", omittingEmptySubsequences: true) {
            // "   1d:\t66 c7 00 fe ff       \tmov    WORD PTR [rax],0xfffe"
            // "   1a:\t00 00 00 "   (continuation of a long instruction)
            let fields = raw.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2, fields[0].hasSuffix(":"),
                  let off = Int(fields[0].dropLast().trimmingCharacters(in: .whitespaces), radix: 16) else { continue }
            let n = fields[1].split(separator: " ").count
            if fields.count >= 3 {
                let text = fields[2...].joined(separator: "\t")
                result[off] = Entry(text: text, length: n)
                last = off
            } else if let l = last {
                result[l]!.length += n
            }
        }
        return result
    }
}

/// Brings our listing text and objdump's to one form:
/// lower case; mnemonic, one space, operands without spaces; objdump's `ds:`,
/// `*1` and `+0x0]` dropped; `[0x…]` absolute addresses unbracketed; RIP-relative
/// operands as `rip:<target>`; immediates as hex of their value at the operand
/// size (objdump prints `0xffffffff` where we print `-1`).
private enum CrossCheckNormalizer {
    static func normalize(_ input: String) -> String {
        var s = input.lowercased()
        // objdump: "lea rax,[rip+0x10]        # 0x23" → "[rip:0x23]"
        if let hash = s.firstIndex(of: "#") {
            let target = s[s.index(after: hash)...].trimmingCharacters(in: .whitespaces)
            s = String(s[..<hash])
            if let r = s.range(of: "[rip") {
                let close = s[r.upperBound...].firstIndex(of: "]")!
                s.replaceSubrange(r.lowerBound..<close, with: "[rip:" + target)
            }
        }
        s = s.trimmingCharacters(in: .whitespaces)
        let mnemonicEnd = s.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? s.endIndex
        let mnemonic = String(s[..<mnemonicEnd])
        var ops = String(s[mnemonicEnd...]).filter { $0 != " " && $0 != "\t" }
        ops = ops.replacingOccurrences(of: "ds:", with: "")
        ops = ops.replacingOccurrences(of: "*1]", with: "]")
            .replacingOccurrences(of: "*1+", with: "+").replacingOccurrences(of: "*1-", with: "-")
        ops = ops.replacingOccurrences(of: "+0x0]", with: "]")
        if ops.isEmpty { return mnemonic }
        var operands = ops.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (i, o) in operands.enumerated() where o.hasPrefix("[0x") || o.contains("ptr[0x") {
            operands[i] = o.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
        }
        let width = operandWidth(operands[0])
        operands = operands.map { canonicalNumber($0, width: width) ?? $0 }
        return mnemonic + " " + operands.joined(separator: ",")
    }

    static func operandWidth(_ op: String) -> Int {
        if op.hasPrefix("byteptr") { return 8 }
        if op.hasPrefix("wordptr") { return 16 }
        if op.hasPrefix("dwordptr") { return 32 }
        if op.hasPrefix("qwordptr") { return 64 }
        if let r = regWidths[op] { return r }
        return 64
    }

    static let regWidths: [String: Int] = {
        var m: [String: Int] = [:]
        for r in GPR.allCases {
            m[r.name(.i8)] = 8; m[r.name(.i16)] = 16; m[r.name(.i32)] = 32; m[r.name(.i64)] = 64
        }
        return m
    }()

    /// A bare number operand as hex of its value modulo 2^width, else nil.
    static func canonicalNumber(_ op: String, width: Int) -> String? {
        var t = Substring(op)
        let negative = t.hasPrefix("-")
        if negative { t = t.dropFirst() }
        let magnitude: UInt64?
        if t.hasPrefix("0x") { magnitude = UInt64(t.dropFirst(2), radix: 16) } else { magnitude = UInt64(t) }
        guard let m = magnitude, !t.isEmpty else { return nil }
        var v = negative ? 0 &- m : m
        if width < 64 { v &= (1 << UInt64(width)) - 1 }
        return "0x" + String(v, radix: 16)
    }
}


/// Emits random instructions of every form the assembler has.
private struct RandomInstructions {
    var rng: SplitMix64
    var labels: [Label] = []
    var bound: [Bool] = []

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func gpr() -> GPR { GPR(rawValue: UInt8(int(16)))! }
    mutating func xmm() -> XMM { XMM(rawValue: UInt8(int(16)))! }
    mutating func cond() -> Condition { Condition(rawValue: UInt8(int(16)))! }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    mutating func size() -> OperandSize { pick([.i8, .i16, .i32, .i64]) }
    mutating func size3264() -> OperandSize { pick([.i32, .i64]) }
    mutating func size163264() -> OperandSize { pick([.i16, .i32, .i64]) }

    /// A value that fits `size` (signed or unsigned), biased to boundaries.
    mutating func imm(_ size: OperandSize) -> Int32 {
        let bits = min(size.bytes * 8, 32)
        switch int(6) {
        case 0: return Int32(int(3)) - 1
        case 1: return sext(pick([127, -128, 128, -129, 255, 256, 0x7fff, -0x8000]), bits)
        case 2: return sext(Int32(truncatingIfNeeded: rng.next()), bits)
        case 3: return bits == 32 ? pick([Int32.max, Int32.min, 0x1234_5678]) : sext(Int32(truncatingIfNeeded: rng.next()), bits)
        default: return sext(Int32(int(200)) - 100, bits)
        }
    }

    func sext(_ v: Int32, _ bits: Int) -> Int32 {
        bits >= 32 ? v : (v << Int32(32 - bits)) >> Int32(32 - bits)
    }

    mutating func disp() -> Int32 {
        switch int(8) {
        case 0, 1: return 0
        case 2: return pick([127, 128, -128, -129, 8, -8])
        case 3: return Int32(truncatingIfNeeded: rng.next())
        default: return Int32(int(512)) - 256
        }
    }

    mutating func mem() -> Mem {
        let k = int(100)
        if k < 3 { return .absolute(Int32(int(0x7fff_0000))) }
        if k < 8 { return .rip(label(), Int32(int(64)) - 32) }
        var index: GPR? = nil
        if chance(45) { repeat { index = gpr() } while index == .rsp }
        let base: GPR? = (index != nil && chance(10)) ? nil : gpr()
        return Mem(base: base, index: index, scale: pick([.x1, .x2, .x4, .x8]), disp: disp())
    }

    mutating func label() -> Label { labels[int(labels.count)] }

    mutating func emit(_ count: Int, into a: inout X64Assembler) {
        for _ in 0..<256 { labels.append(a.newLabel()); bound.append(false) }
        for _ in 0..<count {
            if chance(2) {
                let i = int(labels.count)
                if !bound[i] { a.bind(labels[i]); bound[i] = true }
            }
            one(&a)
        }
        for i in labels.indices where !bound[i] { a.bind(labels[i]) }
    }

    mutating func one(_ a: inout X64Assembler) {
        switch int(62) {
        case 0: a.mov(size(), gpr(), gpr())
        case 1: a.mov(size(), gpr(), mem())
        case 2: a.mov(size(), mem(), gpr())
        case 3: let s = size(); a.mov(s, mem(), imm(s))
        case 4:
            let s = size()
            let v: Int64
            switch s {
            case .i64: v = pick([Int64(imm(.i32)), Int64(bitPattern: rng.next()), Int64(UInt32.max), Int64(int(1 << 20))])
            case .i32: v = chance(50) ? Int64(imm(.i32)) : Int64(UInt32(truncatingIfNeeded: rng.next()))
            default: v = Int64(imm(s))
            }
            a.mov(s, gpr(), v)
        case 5: a.movabs(gpr(), rng.next())
        case 6: a.movzx(size3264(), gpr(), pick([.i8, .i16]), gpr())
        case 7: a.movzx(size3264(), gpr(), pick([.i8, .i16]), mem())
        case 8: a.movsx(size3264(), gpr(), pick([.i8, .i16]), gpr())
        case 9: a.movsx(size3264(), gpr(), pick([.i8, .i16]), mem())
        case 10: chance(50) ? a.movsxd(gpr(), gpr()) : a.movsxd(gpr(), mem())
        case 11: a.lea(size3264(), gpr(), mem())
        case 12: a.xchg(size(), gpr(), gpr())
        case 13: a.alu(pick(ALUOp.allCases), size(), gpr(), gpr())
        case 14: let s = size(); a.alu(pick(ALUOp.allCases), s, gpr(), imm(s))
        case 15: a.alu(pick(ALUOp.allCases), size(), gpr(), mem())
        case 16: a.alu(pick(ALUOp.allCases), size(), mem(), gpr())
        case 17: let s = size(); a.alu(pick(ALUOp.allCases), s, mem(), imm(s))
        case 18: a.test(size(), gpr(), gpr())
        case 19: let s = size(); a.test(s, gpr(), imm(s))
        case 20: a.test(size(), mem(), gpr())
        case 21: let s = size(); a.test(s, mem(), imm(s))
        case 22: a.imul(size163264(), gpr(), gpr())
        case 23: a.imul(size163264(), gpr(), mem())
        case 24: let s = size163264(); a.imul(s, gpr(), gpr(), imm(s))
        case 25: let s = size163264(); a.imul(s, gpr(), mem(), imm(s))
        case 26: a.unary(pick(UnaryOp.allCases), size(), gpr())
        case 27: a.unary(pick(UnaryOp.allCases), size(), mem())
        case 28: chance(50) ? a.inc(size(), gpr()) : a.dec(size(), gpr())
        case 29: switch int(3) { case 0: a.cdq(); case 1: a.cqo(); default: a.cdqe() }
        case 30: a.shift(pick(ShiftOp.allCases), size(), gpr(), pick([.cl, .imm(1), .imm(UInt8(int(64)))]))
        case 31:
            let s = size3264()
            switch int(5) {
            case 0: chance(50) ? a.lzcnt(s, gpr(), gpr()) : a.lzcnt(s, gpr(), mem())
            case 1: chance(50) ? a.tzcnt(s, gpr(), gpr()) : a.tzcnt(s, gpr(), mem())
            case 2: chance(50) ? a.popcnt(s, gpr(), gpr()) : a.popcnt(s, gpr(), mem())
            case 3: a.bsr(s, gpr(), gpr())
            default: a.bsf(s, gpr(), gpr())
            }
        case 32: a.setcc(cond(), gpr())
        case 33: a.cmov(cond(), size163264(), gpr(), gpr())
        case 34: a.cmov(cond(), size163264(), gpr(), mem())
        case 35: a.jmp(label(), pick([.auto, .near]))
        case 36: a.j(cond(), label(), pick([.auto, .near]))
        case 37: a.call(label())
        case 38: switch int(4) { case 0: a.call(gpr()); case 1: a.call(mem()); case 2: a.jmp(gpr()); default: a.jmp(mem()) }
        case 39: switch int(5) { case 0: a.ret(); case 1: a.leave(); case 2: a.int3(); case 3: a.ud2(); default: a.nop() }
        case 40: chance(50) ? a.push(gpr()) : a.pop(gpr())
        case 41: a.push(imm(.i32))
        case 42: a.nop(1 + int(9))
        case 43: a.sse(pick(SSEOp.allCases), xmm(), xmm())
        case 44: a.sse(pick(SSEOp.allCases), xmm(), mem())
        case 45: chance(50) ? a.movss(xmm(), xmm()) : a.movsd(xmm(), xmm())
        case 46: switch int(4) { case 0: a.movss(xmm(), mem()); case 1: a.movss(mem(), xmm()); case 2: a.movsd(xmm(), mem()); default: a.movsd(mem(), xmm()) }
        case 47: switch int(3) { case 0: a.movaps(xmm(), xmm()); case 1: a.movaps(xmm(), mem()); default: a.movaps(mem(), xmm()) }
        case 48: switch int(3) { case 0: a.movapd(xmm(), xmm()); case 1: a.movapd(xmm(), mem()); default: a.movapd(mem(), xmm()) }
        case 49: chance(50) ? a.movups(xmm(), mem()) : a.movups(mem(), xmm())
        case 50: a.movd(size3264(), xmm(), gpr())
        case 51: a.movd(size3264(), gpr(), xmm())
        case 52: chance(50) ? a.cvtsi2ss(xmm(), size3264(), gpr()) : a.cvtsi2sd(xmm(), size3264(), gpr())
        case 53: chance(50) ? a.cvtsi2ss(xmm(), size3264(), mem()) : a.cvtsi2sd(xmm(), size3264(), mem())
        case 54: chance(50) ? a.cvttss2si(size3264(), gpr(), xmm()) : a.cvttsd2si(size3264(), gpr(), xmm())
        case 55: chance(50) ? a.cvttss2si(size3264(), gpr(), mem()) : a.cvttsd2si(size3264(), gpr(), mem())
        case 56:
            let mode: RoundingMode = pick([.nearest, .down, .up, .towardZero])
            chance(50) ? a.roundss(xmm(), xmm(), mode) : a.roundsd(xmm(), xmm(), mode)
        case 57:
            let mode: RoundingMode = pick([.nearest, .down, .up, .towardZero])
            chance(50) ? a.roundss(xmm(), mem(), mode) : a.roundsd(xmm(), mem(), mode)
        case 58:
            let n = UInt8(int(64))
            switch int(5) { case 0: a.psrld(xmm(), n); case 1: a.pslld(xmm(), n); case 2: a.psrad(xmm(), n); case 3: a.psrlq(xmm(), n); default: a.psllq(xmm(), n) }
        case 59: a.div(size(), gpr())
        case 60: a.idiv(size3264(), mem())
        default:
            // A backward short branch to a label bound within reach, if any.
            a.jmp(label(), .auto)
        }
    }
}
