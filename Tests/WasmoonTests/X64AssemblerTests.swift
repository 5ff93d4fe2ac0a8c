import Testing
import WasmJIT

/// Labels and branch fixups, RIP-relative operands, data, alignment, buffer
/// growth and the listing. (Per-instruction encodings: X64AssemblerEncodingTests.)
@Suite struct X64AssemblerTests {
    func assemble(listing: Bool = false, _ body: (inout X64Assembler) -> Void) -> [UInt8] {
        var a = X64Assembler(listing: listing)
        body(&a)
        a.finish()
        return a.bytes
    }

    // MARK: Branches

    @Test func forwardJumpIsRel32AndPatchedOnBind() {
        let bytes = assemble { a in
            let l = a.newLabel()
            a.jmp(l)
            a.nop()
            a.bind(l)
            a.ret()
        }
        #expect(bytes == [0xE9, 0x01, 0x00, 0x00, 0x00, 0x90, 0xC3])
    }

    @Test func backwardJumpUsesRel8WhenItFits() {
        let bytes = assemble { a in
            let l = a.newLabel()
            a.bind(l)
            a.nop()
            a.jmp(l)
            a.j(.ne, l)
        }
        // jmp at 1: target 0 - (1+2) = -3; jne at 3: 0 - 5 = -5.
        #expect(bytes == [0x90, 0xEB, 0xFD, 0x75, 0xFB])
    }

    @Test func backwardJumpOutOfRel8RangeUsesRel32() {
        var a = X64Assembler()
        let l = a.newLabel()
        a.bind(l)
        for _ in 0..<126 { a.nop() }
        a.jmp(l)            // at 126: 0 - 128 = -128 still fits rel8
        a.j(.l, l)          // at 128: 0 - 130 does not
        a.jmp(l, .near)     // forced rel32
        let bytes = a.bytes
        #expect(Array(bytes[126..<128]) == [0xEB, 0x80])
        #expect(Array(bytes[128..<134]) == [0x0F, 0x8C] + le32(-134))
        #expect(Array(bytes[134..<139]) == [0xE9] + le32(-139))
    }

    @Test func forwardShortJump() {
        let bytes = assemble { a in
            let l = a.newLabel()
            a.jmp(l, .short)
            a.j(.e, l, .short)
            a.nop()
            a.bind(l)
        }
        #expect(bytes == [0xEB, 0x03, 0x74, 0x01, 0x90])
    }

    @Test func conditionalForwardJumpsEveryCondition() {
        for cc in Condition.allCases {
            let bytes = assemble { a in
                let l = a.newLabel()
                a.j(cc, l)
                a.int3()
                a.bind(l)
            }
            #expect(bytes == [0x0F, 0x80 | cc.rawValue, 0x01, 0x00, 0x00, 0x00, 0xCC])
        }
    }

    @Test func manyReferencesToOneLabelAreAllPatched() {
        var a = X64Assembler()
        let l = a.newLabel()
        var sites: [Int] = []
        for i in 0..<100 {
            sites.append(a.offset)
            if i % 3 == 0 { a.call(l) } else if i % 3 == 1 { a.jmp(l) } else { a.j(.b, l) }
        }
        a.bind(l)
        let end = a.offset
        #expect(a.offset(of: l) == end)
        let bytes = a.bytes
        for s in sites {
            let fieldStart = bytes[s] == 0x0F ? s + 2 : s + 1
            let rel = Int32(bitPattern: UInt32(bytes[fieldStart]) | UInt32(bytes[fieldStart + 1]) << 8
                | UInt32(bytes[fieldStart + 2]) << 16 | UInt32(bytes[fieldStart + 3]) << 24)
            #expect(fieldStart + 4 + Int(rel) == end)
        }
    }

    @Test func callLabelBackwardAndForward() {
        let bytes = assemble { a in
            let f = a.newLabel(), g = a.newLabel()
            a.bind(f)
            a.ret()
            a.call(f)      // at 1: 0 - 6 = -6
            a.call(g)      // at 6: 12 - 11 = 1
            a.int3()
            a.bind(g)
        }
        #expect(bytes == [0xC3, 0xE8] + le32(-6) + [0xE8] + le32(1) + [0xCC])
    }

    @Test func unboundLabelHasNoOffset() {
        var a = X64Assembler()
        let l = a.newLabel()
        #expect(a.offset(of: l) == nil)
        a.nop()
        a.bind(l)
        #expect(a.offset(of: l) == 1)
    }

    // MARK: RIP-relative operands

    @Test func ripRelativeDisplacementCountsTheImmediate() {
        // The displacement is relative to the end of the whole instruction,
        // including any immediate after it.
        let bytes = assemble { a in
            let data = a.newLabel()
            a.lea(.i64, .rax, .rip(data))                 // 7 bytes, end 7
            a.mov(.i32, .rip(data), Int32(5))             // C7 05 d32 i32: 10 bytes, end 17
            a.cmp(.i64, .rip(data, 8), Int32(1))          // 48 83 3D d32 i8: 8 bytes, end 25
            a.roundsd(.xmm1, .rip(data), .down)           // 66 0F 3A 0B 0D d32 i8: 10 bytes, end 35
            a.bind(data)                                  // at 35
            a.emit64(0x4045_0000_0000_0000)
        }
        #expect(Array(bytes[0..<7]) == [0x48, 0x8D, 0x05] + le32(35 - 7))
        #expect(Array(bytes[7..<17]) == [0xC7, 0x05] + le32(35 - 17) + le32(5))
        #expect(Array(bytes[17..<25]) == [0x48, 0x83, 0x3D] + le32(35 + 8 - 25) + [0x01])
        #expect(Array(bytes[25..<35]) == [0x66, 0x0F, 0x3A, 0x0B, 0x0D] + le32(35 - 35) + [0x09])
        #expect(bytes.count == 43)
    }

    @Test func ripRelativeToABoundLabel() {
        let bytes = assemble { a in
            let c = a.newLabel()
            a.bind(c)
            a.emit32(0x3F80_0000)
            a.movss(.xmm0, .rip(c))   // F3 0F 10 05 d32 at 4, end 12: 0 - 12
        }
        #expect(Array(bytes[4...]) == [0xF3, 0x0F, 0x10, 0x05] + le32(-12))
    }

    // MARK: Data, alignment, nops

    @Test func dataAndJumpTableDeltas() {
        let bytes = assemble { a in
            let table = a.newLabel(), x = a.newLabel(), y = a.newLabel()
            a.bind(x)
            a.nop()
            a.bind(table)
            a.emitLabelDelta32(x, from: table)     // 0 - 1
            a.emitLabelDelta32(y, from: table)     // 16 - 1
            a.emit(bytes: [0xAA, 0xBB])
            a.emit32(0x1122_3344)
            a.nop()
            a.bind(y)
        }
        #expect(bytes == [0x90] + le32(-1) + le32(15) + [0xAA, 0xBB, 0x44, 0x33, 0x22, 0x11, 0x90])
    }

    @Test func multiByteNops() {
        let expected: [[UInt8]] = [
            [0x90], [0x66, 0x90], [0x0F, 0x1F, 0x00], [0x0F, 0x1F, 0x40, 0x00], [0x0F, 0x1F, 0x44, 0x00, 0x00],
            [0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00], [0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00],
            [0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00], [0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        ]
        for n in 1...9 {
            #expect(assemble { $0.nop(n) } == expected[n - 1])
        }
    }

    @Test func alignPadsWithNopsOrInt3() {
        for start in 0..<40 {
            var a = X64Assembler(listing: true)
            for _ in 0..<start { a.int3() }
            a.align(32)
            #expect(a.offset % 32 == 0)
            #expect(a.offset - start < 32)
            // Padding is whole nop instructions, at most 9 bytes each.
            let padLines = a.listing.dropFirst(start)
            #expect(padLines.allSatisfy { $0.length <= 9 && ($0.text.hasPrefix("nop") || $0.text.hasPrefix("xchg")) })
            #expect(padLines.reduce(0) { $0 + $1.length } == a.offset - start)
        }
        let bytes = assemble { a in
            a.ret()
            a.align(8, fill: .int3)
        }
        #expect(bytes == [0xC3] + Array(repeating: 0xCC, count: 7))
    }

    // MARK: Buffer

    @Test func bufferGrowsFromATinyCapacity() {
        var small = X64Assembler(capacity: 1)
        var big = X64Assembler(capacity: 1 << 20)
        for i in 0..<20_000 {
            let r = GPR(rawValue: UInt8(i % 16))!
            small.mov(.i64, r, Int64(i) << 33)
            small.add(.i32, Mem(.r13, r == .rsp ? .rax : r, .x8, Int32(i)), Int32(i))
            big.mov(.i64, r, Int64(i) << 33)
            big.add(.i32, Mem(.r13, r == .rsp ? .rax : r, .x8, Int32(i)), Int32(i))
        }
        #expect(small.offset == big.offset)
        #expect(small.bytes == big.bytes)
    }

    @Test func resetKeepsNothingButCapacity() {
        var a = X64Assembler(listing: true)
        let l = a.newLabel("x")
        a.jmp(l)
        a.comment("c")
        a.reset()
        #expect(a.offset == 0 && a.listing.isEmpty)
        let m = a.newLabel()
        #expect(m.id == 0 && a.name(of: m) == "L0")
        a.bind(m)
        a.ret()
        a.finish()
        #expect(a.bytes == [0xC3])
    }

    // MARK: Programming errors are caught

    @Test func unboundLabelIsCaughtByFinish() throws {
        var a = X64Assembler()
        let l = a.newLabel()
        a.jmp(l)
        #expect(a.completionError != nil)
        a.finish()
        #expect(a.failure == "1 reference(s) to unbound labels")
        #expect(throws: ExecutableMemoryError.assemblerFailed("1 reference(s) to unbound labels")) {
            _ = try ExecutableMemory(a)
        }
    }

    @Test func shortBranchOutOfRangeIsAFailureNotACrash() {
        var a = X64Assembler()
        let l = a.newLabel()
        a.jmp(l, .short)
        for _ in 0..<200 { a.nop() }
        #expect(a.failure == nil)
        a.bind(l)
        #expect(a.failure?.hasPrefix("short branch out of range") == true)
        a.bind(l)  // bound twice: the first failure is kept
        #expect(a.failure?.hasPrefix("short branch out of range") == true)
    }

    @Test func encodingMisuseIsAFailureNotACrash() {
        var a = X64Assembler()
        a.movzx(.i32, .rax, .i32, .rcx)
        #expect(a.failure == "movzx: source must be 8 or 16 bits")
        a.reset()
        #expect(a.failure == nil)
    }

    @Test func rspAsIndexIsCaught() async {
        await #expect(processExitsWith: .failure) {
            var a = X64Assembler()
            a.mov(.i64, .rax, Mem(.rax, .rsp))
        }
    }

    // MARK: Listing

    @Test func listingRecordsTextLabelsCommentsAndAnnotations() {
        var a = X64Assembler(listing: true)
        let loop = a.newLabel("loop")
        a.comment("sum 0..<n")
        a.xor(.i32, .rax, .rax)
        a.bind(loop)
        a.annotate("wasm 0x1a: i32.add")
        a.add(.i32, .rax, .rdi)
        a.sub(.i32, .rdi, 1)
        a.j(.ne, loop)
        a.mov(.i64, .rax, Mem(.r14, .rdi, .x1, 0x10))
        a.ret()
        let lines = a.listing
        #expect(lines.map(\.text) == ["sum 0..<n", "xor eax, eax", "loop", "add eax, edi", "sub edi, 1",
                                      "jne loop", "mov rax, qword ptr [r14 + rdi + 0x10]", "ret"])
        #expect(lines.map(\.kind) == [.comment, .instruction, .label, .instruction, .instruction,
                                      .instruction, .instruction, .instruction])
        #expect(lines.map(\.offset) == [0, 0, 2, 2, 4, 7, 9, 14])
        #expect(lines[3].annotation == "wasm 0x1a: i32.add")
        #expect(lines[4].annotation == nil)
        #expect(lines[5].target == loop)
        let text = a.listingText()
        #expect(text == """
                    ; sum 0..<n
                 0  31 c0                          xor eax, eax
            loop:
                 2  01 f8                          add eax, edi                        ; wasm 0x1a: i32.add
                 4  83 ef 01                       sub edi, 1
                 7  75 f9                          jne loop
                 9  49 8b 44 3e 10                 mov rax, qword ptr [r14 + rdi + 0x10]
                 e  c3                             ret

            """)
    }

    @Test func listingShowsPatchedForwardBranches() {
        var a = X64Assembler(listing: true)
        let done = a.newLabel()
        a.j(.e, done)
        a.bind(done)
        a.ret()
        #expect(a.listingText().contains("0f 84 00 00 00 00              je L0"))
    }

    @Test func listingOffRecordsNothing() {
        var a = X64Assembler(listing: false)
        let l = a.newLabel("named")
        a.comment("c")
        a.annotate("x")
        a.bind(l)
        a.add(.i64, .rax, .rcx)
        #expect(a.listing.isEmpty)
        #expect(a.listingText() == "")
        #expect(a.name(of: l) == "L0")
        #expect(a.bytes == [0x48, 0x01, 0xC8])
    }

    @Test func listingOfDataAndRipOperands() {
        var a = X64Assembler(listing: true)
        let table = a.newLabel("table"), target = a.newLabel()
        a.lea(.i64, .rcx, .rip(table))
        a.mov(.i64, .rax, .rip(table, -8))
        a.bind(table)
        a.emitLabelDelta32(target, from: table)
        a.emit32(7)
        a.emit64(0x10)
        a.emit(bytes: [1, 0xff])
        a.bind(target)
        #expect(a.listing.filter { $0.kind == .instruction }.map(\.text) == [
            "lea rcx, [rip + table]", "mov rax, qword ptr [rip + table - 0x8]",
            ".long L1 - table", ".long 0x7", ".quad 0x10", ".byte 0x01, 0xff",
        ])
    }

    // MARK: Operands

    @Test func conditionNegation() {
        #expect(Condition.e.negated == .ne)
        #expect(Condition.l.negated == .ge)
        #expect(Condition.a.negated == .be)
        #expect(Condition.p.negated == .np)
        for c in Condition.allCases { #expect(c.negated.negated == c) }
    }

    @Test func registerNames() {
        #expect(GPR.r8.name(.i32) == "r8d")
        #expect(GPR.rsi.name(.i8) == "sil")
        #expect(GPR.r15.name(.i16) == "r15w")
        #expect(XMM.xmm13.name == "xmm13")
        #expect(GPR.allCases.count == 16 && XMM.allCases.count == 16)
    }
}

/// Little-endian bytes of a 32-bit value.
private func le32(_ v: Int32) -> [UInt8] {
    let u = UInt32(bitPattern: v)
    return [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF), UInt8(u >> 24)]
}
