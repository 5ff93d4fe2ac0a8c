import Foundation
import Testing
import WasmCore

/// Focused tests of the binary decoder: LEB128 rules, hand-assembled modules,
/// instruction offsets, segment encodings, the name section, the corpus.
@Suite struct DecoderUnitTests {
    // MARK: Helpers

    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func uleb(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] {
        [id] + uleb(UInt64(content.count)) + content
    }

    static func vec(_ items: [[UInt8]]) -> [UInt8] {
        uleb(UInt64(items.count)) + items.flatMap { $0 }
    }

    static func name(_ s: String) -> [UInt8] { uleb(UInt64(s.utf8.count)) + Array(s.utf8) }

    /// A module of one `() -> ()`-typed (or given type) function with the given body bytes
    /// (locals vector included), plus optional extra sections placed after the code section.
    static func module(funcType: [UInt8] = [0x60, 0x00, 0x00], body: [UInt8], before: [UInt8] = [], after: [UInt8] = []) -> [UInt8] {
        header + section(1, vec([funcType])) + section(3, vec([[0x00]])) + before
            + section(10, vec([uleb(UInt64(body.count)) + body])) + after
    }

    func expectError(_ bytes: [UInt8], _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try BinaryDecoder.decode(bytes)
            Issue.record("expected \"\(prefix)\", but decoded", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message.hasPrefix(prefix), "got \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: LEB128

    func u32(_ b: [UInt8]) throws(DecodeError) -> UInt32 {
        var r = ByteReader(b)
        let v = try r.readU32()
        #expect(r.isAtEnd)
        return v
    }
    func s32(_ b: [UInt8]) throws(DecodeError) -> Int32 { var r = ByteReader(b); return try r.readS32() }
    func s33(_ b: [UInt8]) throws(DecodeError) -> Int64 { var r = ByteReader(b); return try r.readS33() }
    func s64(_ b: [UInt8]) throws(DecodeError) -> Int64 { var r = ByteReader(b); return try r.readS64() }
    func u64(_ b: [UInt8]) throws(DecodeError) -> UInt64 { var r = ByteReader(b); return try r.readU64() }
    func u1(_ b: [UInt8]) throws(DecodeError) -> Bool { var r = ByteReader(b); return try r.readU1() }

    func lebError(_ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(message)", sourceLocation: sourceLocation)
        } catch let error as DecodeError {
            #expect(error.message == message, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func unsignedLEB() throws {
        #expect(try u32([0x00]) == 0)
        #expect(try u32([0x7F]) == 127)
        #expect(try u32([0x80, 0x01]) == 128)
        #expect(try u32([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == UInt32.max)
        #expect(try u32([0x80, 0x80, 0x80, 0x80, 0x00]) == 0)  // padded: fine within 5 bytes
        #expect(try u32([0x83, 0x80, 0x00]) == 3)
        lebError("integer too large") { _ = try u32([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) }
        lebError("integer too large") { _ = try u32([0x80, 0x80, 0x80, 0x80, 0x70]) }
        lebError("integer too large") { _ = try u32([0x80, 0x80, 0x80, 0x80, 0x90, 0x00]) }
        lebError("integer representation too long") { _ = try u32([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) }
        lebError("unexpected end of section or function") { _ = try u32([0x80, 0x80]) }
        #expect(try u64([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) == UInt64.max)
        lebError("integer too large") { _ = try u64([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]) }
        lebError("integer representation too long") {
            _ = try u64([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
        }
        #expect(try u1([0x01]) == true)
        #expect(try u1([0x00]) == false)
        lebError("integer too large") { _ = try u1([0x02]) }
        lebError("integer representation too long") { _ = try u1([0x81, 0x00]) }
    }

    @Test func signedLEB() throws {
        #expect(try s32([0x7F]) == -1)
        #expect(try s32([0x3F]) == 63)
        #expect(try s32([0x40]) == -64)
        #expect(try s32([0xC0, 0x00]) == 64)
        #expect(try s32([0xFF, 0xFF, 0xFF, 0xFF, 0x07]) == Int32.max)
        #expect(try s32([0x80, 0x80, 0x80, 0x80, 0x78]) == Int32.min)
        #expect(try s32([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == -1)
        #expect(try s32([0x80, 0x80, 0x80, 0x80, 0x00]) == 0)
        lebError("integer too large") { _ = try s32([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
        lebError("integer too large") { _ = try s32([0x80, 0x80, 0x80, 0x80, 0x70]) }
        lebError("integer representation too long") { _ = try s32([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) }

        #expect(try s33([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == 4_294_967_295)
        #expect(try s33([0x80, 0x80, 0x80, 0x80, 0x70]) == -4_294_967_296)
        lebError("integer too large") { _ = try s33([0x80, 0x80, 0x80, 0x80, 0x10]) }

        let ff9: [UInt8] = Array(repeating: 0xFF, count: 9)
        let x809: [UInt8] = Array(repeating: 0x80, count: 9)
        #expect(try s64(ff9 + [0x00]) == Int64.max)
        #expect(try s64(x809 + [0x7F]) == Int64.min)
        #expect(try s64(ff9 + [0x7F]) == -1)
        lebError("integer too large") { _ = try s64(x809 + [0x01]) }
        lebError("integer too large") { _ = try s64(ff9 + [0x3F]) }
        lebError("integer representation too long") { _ = try s64(x809 + [0x80, 0x00]) }
    }

    @Test func utf8Names() throws {
        var r = ByteReader([0x04, 0xF0, 0x9F, 0x98, 0x80])
        #expect(try r.readName() == "😀")
        for bad: [UInt8] in [[0x02, 0xC0, 0x80], [0x03, 0xED, 0xA0, 0x80], [0x04, 0xF4, 0x90, 0x80, 0x80], [0x01, 0xE0], [0x01, 0xFF]] {
            var r = ByteReader(bad)
            lebError("malformed UTF-8 encoding") { _ = try r.readName() }
        }
        var r2 = ByteReader([0x05, 0x61])
        lebError("length out of bounds") { _ = try r2.readName() }
    }

    // MARK: Modules

    @Test func instructionOffsets() throws {
        // (func (result i32) i32.const 1 i32.const 200 i32.add)
        let body: [UInt8] = [0x00, 0x41, 0x01, 0x41, 0xC8, 0x01, 0x6A, 0x0B]
        let bytes = Self.module(funcType: [0x60, 0x00, 0x01, 0x7F], body: body)
        let m = try BinaryDecoder.decode(bytes)
        #expect(m.types == [FuncType(params: [], results: [.i32])])
        #expect(m.functions == [0])
        let function = try #require(m.codes.first)
        let code = try function.decoded()
        #expect(code.instructions == [.i32Const(1), .i32Const(200), .numeric(.i32Add), .end])
        // header 8 + type section 7 + function section 4 = 19: code section id; 20 size; 21 count; 22 body size.
        #expect(function.bodyOffset == 22)
        #expect(function.codeOffset == 24 && function.codeEnd == 31 && function.instructionCount == 4)
        #expect(function.maxOperandHeight == 2)
        #expect(code.offsets == [24, 26, 29, 30])
        #expect(bytes[24] == 0x41 && bytes[26] == 0x41 && bytes[29] == 0x6A && bytes[30] == 0x0B)
        #expect(function.localDeclarations.isEmpty)
    }

    @Test func truncatedBody() {
        // Body claims 8 bytes but the file ends after i32.const 1.
        var bytes = Self.header + Self.section(1, Self.vec([[0x60, 0x00, 0x00]])) + Self.section(3, Self.vec([[0x00]]))
        bytes += [0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x1A]
        expectError(bytes, "unexpected end")
        // Body cut inside an immediate.
        var bytes2 = Self.header + Self.section(1, Self.vec([[0x60, 0x00, 0x00]])) + Self.section(3, Self.vec([[0x00]]))
        bytes2 += [0x0A, 0x05, 0x01, 0x03, 0x00, 0x41, 0x80]
        expectError(bytes2, "unexpected end")
    }

    @Test func structuralErrors() {
        // A stray else.
        expectError(Self.module(body: [0x00, 0x05, 0x0B]), "END opcode expected")
        // Two elses in one if.
        expectError(Self.module(body: [0x00, 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B]), "END opcode expected")
        // Unknown opcodes, and those of proposals not implemented yet (named).
        expectError(Self.module(body: [0x00, 0x27, 0x0B]), "illegal opcode 27")
        expectError(Self.module(body: [0x00, 0x1E, 0x0B]), "illegal opcode 1e")
        expectError(Self.module(body: [0x00, 0xFC, 0x12, 0x0B]), "illegal opcode fc 12")
        expectError(Self.module(body: [0x00, 0xD3, 0x0B]), "unsupported feature: GC (opcode 0xd3 ref.eq)")
        expectError(Self.module(body: [0x00, 0xFD, 0xFF, 0x03, 0x0B]), "illegal opcode fd 1ff")
        expectError(Self.module(body: [0x00, 0xFD, 0x0C, 0x0B]), "unexpected end")  // v128.const: 16 bytes
        expectError(Self.module(body: [0x00, 0xFB, 0x00, 0x0B]), "unsupported feature: GC (0xfb prefix)")
        // Body longer than its size.
        expectError(Self.module(body: [0x00, 0x0B, 0x01]), "section size mismatch")
        // A memory index of memory.size that does not fit a u32.
        expectError(Self.module(body: [0x00, 0x3F, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x1A, 0x0B]), "integer too large")
        // memarg flags of 128 (bit 6 is the memory-index flag; bits above are malformed).
        expectError(Self.module(body: [0x00, 0x41, 0x00, 0x28, 0x80, 0x01, 0x00, 0x1A, 0x0B]), "malformed memop flags")
        // Too many locals.
        expectError(Self.module(body: [0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x01, 0x7E, 0x0B]), "too many locals")
    }

    @Test func controlAndImmediates() throws {
        let body: [UInt8] = [
            0x01, 0x05, 0x7F,  // 5 × i32
            0x02, 0x40,  // block
            0x03, 0x7F,  // loop (result i32)
            0x41, 0x00,
            0x04, 0x80, 0x00,  // if (type 0) written as a padded s33
            0x05,  // else
            0x0B,  // end if
            0x0E, 0x02, 0x00, 0x01, 0x00,  // br_table 0 1 0
            0x0B,  // end loop
            0x0B,  // end block
            0x1C, 0x01, 0x70,  // select (result funcref)
            0xFC, 0x8A, 0x80, 0x00, 0x00, 0x00,  // memory.copy with a padded sub-opcode
            0x11, 0x01, 0x02,  // call_indirect type 1 table 2
            0x13, 0x00, 0x00,  // return_call_indirect type 0 table 0
            0x12, 0x00,  // return_call 0
            0xD0, 0x6F,  // ref.null extern
            0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F,  // i64.const min
            0x43, 0x00, 0x00, 0xC0, 0x7F,  // f32.const nan
            0x2D, 0x00, 0x81, 0x01,  // i32.load8_u align=0 offset=129
            0x0B,
        ]
        let m = try BinaryDecoder.decode(Self.module(body: body))
        let function = try #require(m.codes.first)
        let code = try function.decoded()
        #expect(function.localDeclarations.count == 1 && function.localCount == 5)
        #expect(
            code.instructions == [
                .block(.empty), .loop(.value(.i32)), .i32Const(0), .if(.typeIndex(0)), .else, .end,
                .brTable(BrTable(targets: [0, 1], defaultTarget: 0)), .end, .end,
                .typedSelect([.funcref]), .memoryCopy(dstMemory: 0, srcMemory: 0),
                .callIndirect(typeIndex: 1, tableIndex: 2), .returnCallIndirect(typeIndex: 0, tableIndex: 0),
                .returnCall(0), .refNull(.extern), .i64Const(Int64.min), .f32Const(0x7FC0_0000),
                .load(.i32Load8U, MemArg(align: 0, offset: 129)), .end,
            ])
        #expect(code.offsets.count == code.instructions.count)
        #expect(m.dataCount == nil)
    }

    @Test func dataCountRules() {
        // data.drop without a data count section.
        let noCount = Self.module(body: [0x00, 0xFC, 0x09, 0x00, 0x0B], after: Self.section(11, Self.vec([[0x01, 0x00]])))
        expectError(noCount, "data count section required")
        // With one it decodes.
        let withCount = Self.module(
            body: [0x00, 0xFC, 0x09, 0x00, 0x0B], before: Self.section(12, [0x01]),
            after: Self.section(11, Self.vec([[0x01, 0x00]])))
        #expect(throws: Never.self) { try BinaryDecoder.decode(withCount) }
        // Count disagreeing with the data section.
        let mismatch = Self.module(body: [0x00, 0x0B], before: Self.section(12, [0x02]), after: Self.section(11, Self.vec([[0x01, 0x00]])))
        expectError(mismatch, "data count and data section have inconsistent lengths")
    }

    @Test func sectionOrder() {
        let type = Self.section(1, Self.vec([]))
        let importSection = Self.section(2, Self.vec([]))
        expectError(Self.header + importSection + type, "unexpected content after last section")
        expectError(Self.header + type + type, "unexpected content after last section")
        expectError(Self.header + [0x0E, 0x00], "malformed section id")
        expectError(Self.header + [0x0F, 0x00], "malformed section id")
        // The tag section (13) sits between the memory and global sections.
        let tags = Self.section(13, Self.vec([]))
        expectError(Self.header + Self.section(6, Self.vec([])) + tags, "unexpected content after last section")
        #expect((try? BinaryDecoder.decode(Self.header + Self.section(5, Self.vec([])) + tags)) != nil)
        // Custom sections go anywhere; data count sits between element and code.
        let custom = Self.section(0, Self.name("x") + [1, 2, 3])
        let m = try? BinaryDecoder.decode(
            Self.header + custom + type + custom + Self.section(9, Self.vec([])) + Self.section(12, [0x00])
                + Self.section(10, Self.vec([])) + custom)
        #expect(m?.customSections.count == 3)
        #expect(m?.customSections.first?.bytes == [1, 2, 3])
        #expect(m?.customSections.first?.offset == UInt32(12))  // id, size, name length, "x"
    }

    @Test func elementSegmentEncodings() throws {
        let i32c0: [UInt8] = [0x41, 0x00, 0x0B]
        let refFunc0: [UInt8] = [0xD2, 0x00, 0x0B]
        let refNull: [UInt8] = [0xD0, 0x70, 0x0B]
        let segments: [[UInt8]] = [
            [0x00] + i32c0 + Self.vec([[0x00]]),
            [0x01, 0x00] + Self.vec([[0x00], [0x00]]),
            [0x02, 0x00] + i32c0 + [0x00] + Self.vec([[0x00]]),
            [0x03, 0x00] + Self.vec([[0x00]]),
            [0x04] + i32c0 + Self.vec([refFunc0, refNull]),
            [0x05, 0x6F] + Self.vec([[0xD0, 0x6F, 0x0B]]),
            [0x06, 0x01] + i32c0 + [0x70] + Self.vec([refFunc0]),
            [0x07, 0x70] + Self.vec([refFunc0]),
        ]
        let tables = Self.section(4, Self.vec([[0x70, 0x00, 0x01], [0x70, 0x00, 0x01]]))
        let bytes = Self.header + Self.section(1, Self.vec([[0x60, 0x00, 0x00]])) + Self.section(3, Self.vec([[0x00]]))
            + tables + Self.section(9, Self.vec(segments)) + Self.section(10, Self.vec([[0x02, 0x00, 0x0B]]))
        let m = try BinaryDecoder.decode(bytes)
        #expect(m.tables.count == 2)
        #expect(m.elements.count == 8)
        let offset = ConstExpr([.i32Const(0)])
        func mode(_ e: ElementSegment) -> String {
            switch e.mode {
            case .passive: "passive"
            case .declarative: "declarative"
            case .active(let t, let o): "active \(t) \(o == offset)"
            }
        }
        #expect(m.elements.map(mode) == [
            "active 0 true", "passive", "active 0 true", "declarative",
            "active 0 true", "passive", "active 1 true", "declarative",
        ])
        // Segments of function indices (flags 0-3) have type (ref func) in Wasm 3.0.
        let nonNullFunc = RefType(nullable: false, .function)
        #expect(m.elements.map(\.type) == [nonNullFunc, nonNullFunc, nonNullFunc, nonNullFunc, .funcref, .externref, .funcref, .funcref])
        #expect(m.elements[1].items == [ConstExpr([.refFunc(0)]), ConstExpr([.refFunc(0)])])
        #expect(m.elements[4].items == [ConstExpr([.refFunc(0)]), ConstExpr([.refNull(.function)])])
        // Bad flags and element kind.
        let bad = Self.header + Self.section(9, Self.vec([[0x08]]))
        expectError(bad, "malformed elements segment kind")
        let badKind = Self.header + Self.section(9, Self.vec([[0x01, 0x01, 0x00]]))
        expectError(badKind, "malformed element kind")
    }

    @Test func dataSegmentEncodings() throws {
        let segments: [[UInt8]] = [
            [0x00, 0x41, 0x08, 0x0B, 0x02, 0xAA, 0xBB],
            [0x01, 0x01, 0xCC],
            [0x02, 0x00, 0x23, 0x00, 0x0B, 0x00],
        ]
        let bytes = Self.header + Self.section(5, Self.vec([[0x01, 0x01, 0x02]]))
            + Self.section(11, Self.vec(segments))
        let m = try BinaryDecoder.decode(bytes)
        #expect(m.memories == [MemoryType(limits: Limits(min: 1, max: 2))])
        #expect(m.datas.map(\.bytes) == [[0xAA, 0xBB], [0xCC], []])
        if case .active(let mem, let off) = m.datas[2].mode {
            #expect(mem == 0 && off == ConstExpr([.globalGet(0)]))
        } else {
            Issue.record("segment 2 should be active")
        }
        expectError(Self.header + Self.section(11, Self.vec([[0x03]])), "malformed data segment kind")
        expectError(Self.header + Self.section(5, Self.vec([[0x02, 0x00]])), "unsupported feature: threads (shared memory)")
        expectError(Self.header + Self.section(5, Self.vec([[0x08, 0x00]])), "malformed limits flags")
    }

    @Test func importsExportsGlobals() throws {
        let imports = Self.vec([
            Self.name("m") + Self.name("f") + [0x00, 0x00],
            Self.name("m") + Self.name("t") + [0x01, 0x6F, 0x01, 0x00, 0x0A],
            Self.name("m") + Self.name("mem") + [0x02, 0x00, 0x01],
            Self.name("m") + Self.name("g") + [0x03, 0x7E, 0x01],
        ])
        let globals = Self.vec([[0x7D, 0x00, 0x43, 0x00, 0x00, 0x80, 0x3F, 0x0B]])
        let exports = Self.vec([Self.name("f"), Self.name("g")].enumerated().map { i, n in n + [i == 0 ? 0x00 : 0x03, UInt8(i)] })
        let bytes = Self.header + Self.section(1, Self.vec([[0x60, 0x00, 0x00]])) + Self.section(2, imports)
            + Self.section(6, globals) + Self.section(7, exports) + Self.section(8, [0x00])
        let m = try BinaryDecoder.decode(bytes)
        #expect(m.imports.map(\.descriptor) == [
            .function(0), .table(TableType(elementType: .externref, limits: Limits(min: 0, max: 10))),
            .memory(MemoryType(limits: Limits(min: 1))), .global(GlobalType(valueType: .i64, mutability: .variable)),
        ])
        #expect(m.imports.map(\.name) == ["f", "t", "mem", "g"])
        #expect(m.globals.first?.initializer == ConstExpr([.f32Const(0x3F80_0000)]))
        #expect(m.exports.map(\.descriptor) == [.function(0), .global(1)])
        #expect(m.start == 0)
        expectError(Self.header + Self.section(6, Self.vec([[0x7F, 0x02, 0x41, 0x00, 0x0B]])), "malformed mutability")
        expectError(Self.header + Self.section(7, Self.vec([Self.name("x") + [0x05, 0x00]])), "malformed export kind")
    }

    @Test func nameSection() throws {
        let functionNames = Self.vec([[0x00] + Self.name("main")])
        let localNames = Self.vec([[0x00] + Self.vec([[0x00] + Self.name("x"), [0x01] + Self.name("y")])])
        let payload = Self.section(0, Self.name("mod")) + Self.section(1, functionNames) + Self.section(2, localNames)
            + Self.section(7, [0x01, 0x02])  // an unknown (extended) subsection is skipped
        let custom = Self.section(0, Self.name("name") + payload)
        let m = try BinaryDecoder.decode(Self.module(body: [0x00, 0x0B], after: custom))
        let names = try #require(m.names)
        #expect(names.moduleName == "mod")
        #expect(names.functionNames == [0: "main"])
        #expect(names.localNames == [0: [0: "x", 1: "y"]])
        #expect(m.functionName(0) == "main")

        // A malformed name section is ignored, and kept as a custom section.
        let broken = Self.section(0, Self.name("name") + [0x01, 0x05, 0x01, 0x00, 0x09])
        let m2 = try BinaryDecoder.decode(Self.module(body: [0x00, 0x0B], after: broken))
        #expect(m2.names == nil)
        #expect(m2.customSections.map(\.name) == ["name"])
    }

    /// Mutated and truncated inputs must be rejected or accepted, never crash.
    @Test func survivesMutations() throws {
        var seeds: [[UInt8]] = [
            Self.module(
                body: [0x01, 0x02, 0x7F, 0x02, 0x40, 0x41, 0x00, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0B,
                       0x0E, 0x01, 0x00, 0x00, 0x0B, 0xFC, 0x0A, 0x00, 0x00, 0x0B],
                after: Self.section(0, Self.name("name") + Self.section(1, Self.vec([[0x00] + Self.name("f")])))),
        ]
        if let dir = SharedData.path("corpus/misc") {
            seeds.append(Array(try Data(contentsOf: dir.appendingPathComponent("benchmark.wasm"))))
        }
        var rng = SplitMix64(seed: 0x5EED)
        var accepted = 0
        var rejected = 0
        // DECODER_FUZZ_ITERATIONS raises the count for a longer local run.
        let iterations = ProcessInfo.processInfo.environment["DECODER_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 1500
        if let dir = SharedData.path("corpus/libsodium"), iterations > 1500 {
            seeds.append(Array(try Data(contentsOf: dir.appendingPathComponent("aead_aegis128l.wasm"))))
        }
        for seed in seeds {
            for cut in 0..<seed.count {
                if (try? BinaryDecoder.decode(Array(seed[..<cut]))) != nil { accepted += 1 } else { rejected += 1 }
            }
            for _ in 0..<iterations {
                var bytes = seed
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let i = 8 + Int(rng.next() % UInt64(bytes.count - 8))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                if (try? BinaryDecoder.decode(bytes)) != nil { accepted += 1 } else { rejected += 1 }
            }
        }
        #expect(rejected > 0)
        print("decoder: mutations accepted \(accepted), rejected \(rejected)")
    }


    // MARK: Corpus

    @Test(.enabled(if: SharedData.exists("corpus/libsodium")))
    func decodesCorpus() throws {
        guard let dir = SharedData.path("corpus/libsodium") else { return }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".wasm") }.sorted()
        #expect(!files.isEmpty)
        for f in files {
            let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(f)))
            do {
                let m = try BinaryDecoder.decode(bytes)
                #expect(m.codes.count == m.functions.count)
            } catch {
                Issue.record("\(f): \(error)")
            }
        }
        // Timing of the 75 KB module (informational; debug builds are much slower).
        let aegis = Array(try Data(contentsOf: dir.appendingPathComponent("aead_aegis128l.wasm")))
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for _ in 0..<5 {
            let t = clock.measure { _ = try? BinaryDecoder.decode(aegis) }
            best = min(best, t)
        }
        print("decoder: aead_aegis128l.wasm (\(aegis.count) bytes) decoded in \(best)")
    }
}
