import Foundation
import Testing
import WasmCore
import Wasmoon

/// The instruction table (Definitions/Instructions.md) and what is generated from it. The
/// generated names, encodings and types are checked against WasmKit's WAT parser, which has its
/// own opcode tables: a wrong row disagrees with it.
@Suite("Instruction table")
struct InstructionTableTests {
    /// The committed generated Swift is what the generator makes from the table.
    @Test func generatedCodeIsCurrent() throws {
        let r = try CLI.runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "scripts/gen-instructions.py", "--check"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    /// The instructions of the only function of a module written in the text format.
    static func instructions(_ wat: String) throws -> [Instruction] {
        let module = try BinaryDecoder.decode(try TextFormat.wat2wasm(wat))
        return try #require(module.codes.first).decoded().instructions
    }

    /// Every numeric instruction: its text name assembles (with WasmKit's opcode) to what we
    /// decode as the same case, the function validates with the table's types, and the
    /// encoding we generate is the byte sequence in the module.
    @Test(arguments: NumericOp.allCases)
    func numericRow(_ op: NumericOp) throws {
        let sig = op.signature
        let params = sig.operands.map(\.description).joined(separator: " ")
        let gets = sig.operands.indices.map { "local.get \($0)" }.joined(separator: " ")
        let wat = "(module (func (param \(params)) (result \(sig.result)) \(gets) \(op.name)))"
        let bytes = try TextFormat.wat2wasm(wat)
        let module = try BinaryDecoder.decode(bytes)
        try ModuleValidator.validate(module)
        let code = try #require(module.codes.first).decoded()
        #expect(code.instructions == sig.operands.indices.map { .localGet(UInt32($0)) } + [.numeric(op), .end])
        var encoded = [op.encoding.byte]
        if let sub = op.encoding.subopcode { encoded.append(UInt8(sub)) }
        let at = Int(code.offsets[sig.operands.count])
        #expect(Array(bytes[at..<at + encoded.count]) == encoded, "\(op.name): encoding \(op.encoding)")
        #expect(code.instructions[sig.operands.count].name == op.name)
    }

    @Test(arguments: LoadOp.allCases)
    func loadRow(_ op: LoadOp) throws {
        let wat = "(module (memory 1) (func (result \(op.resultType)) i32.const 0 \(op.name) align=\(op.byteWidth)))"
        let code = try Self.instructions(wat)
        #expect(code == [.i32Const(0), .load(op, MemArg(align: op.naturalAlignment, offset: 0)), .end])
        #expect(code[1].name == op.name)
    }

    @Test(arguments: StoreOp.allCases)
    func storeRow(_ op: StoreOp) throws {
        let value = op.valueType == .v128 ? "v128.const i64x2 0 0" : "\(op.valueType).const 0"
        let wat = "(module (memory 1) (func i32.const 0 \(value) \(op.name) align=\(op.byteWidth)))"
        let code = try Self.instructions(wat)
        #expect(code.count == 4)
        #expect(code[2] == .store(op, MemArg(align: op.naturalAlignment, offset: 0)))
        #expect(code[2].name == op.name)
    }

    /// Every SIMD operation without immediates, checked as the numeric ones are.
    @Test(arguments: VectorOp.allCases)
    func vectorRow(_ op: VectorOp) throws {
        let sig = op.signature
        let params = sig.operands.map(\.description).joined(separator: " ")
        let gets = sig.operands.indices.map { "local.get \($0)" }.joined(separator: " ")
        let wat = "(module (func (param \(params)) (result \(sig.result)) \(gets) \(op.name)))"
        let bytes = try TextFormat.wat2wasm(wat)
        let module = try BinaryDecoder.decode(bytes)
        try ModuleValidator.validate(module)
        #expect(module.usesSIMD)
        let code = try #require(module.codes.first).decoded()
        #expect(code.instructions == sig.operands.indices.map { .localGet(UInt32($0)) } + [.vector(op), .end])
        let at = Int(code.offsets[sig.operands.count])
        #expect(bytes[at] == 0xFD && op.encoding.byte == 0xFD)
        #expect(code.instructions[sig.operands.count].name == op.name)
    }

    /// `extract_lane`/`replace_lane`: the last lane is valid, one more is not.
    @Test(arguments: VectorLaneOp.allCases)
    func laneRow(_ op: VectorLaneOp) throws {
        let sig = op.signature
        let params = sig.operands.map(\.description).joined(separator: " ")
        let gets = sig.operands.indices.map { "local.get \($0)" }.joined(separator: " ")
        let last = op.laneCount - 1
        let wat = "(module (func (param \(params)) (result \(sig.result)) \(gets) \(op.name) \(last)))"
        let module = try BinaryDecoder.decode(try TextFormat.wat2wasm(wat))
        try ModuleValidator.validate(module)
        let code = try #require(module.codes.first).decoded()
        #expect(code.instructions[sig.operands.count] == .vectorLane(op, lane: last))
        var bytes = try TextFormat.wat2wasm(wat)
        let at = bytes.lastIndex(of: last)!
        bytes[at] = op.laneCount
        #expect(throws: ValidationError.self) { try ModuleValidator.validate(try BinaryDecoder.decode(bytes)) }
    }

    @Test(arguments: LaneMemoryOp.allCases)
    func laneMemoryRow(_ op: LaneMemoryOp) throws {
        let result = op.isStore ? "" : "(result v128)"
        let drop = op.isStore ? "" : "drop"
        let wat = "(module (memory 1) (func \(result) i32.const 0 v128.const i64x2 0 0 \(op.name) align=\(op.byteWidth) 1 \(drop) \(op.isStore ? "" : "v128.const i64x2 0 0")))"
        let module = try BinaryDecoder.decode(try TextFormat.wat2wasm(wat))
        try ModuleValidator.validate(module)
        let code = try #require(module.codes.first).decoded()
        #expect(code.instructions[2] == .laneMemory(op, MemArg(align: op.naturalAlignment, offset: 0), lane: 1))
    }

    /// Names and encodings are unique across the numeric, load and store enums.
    @Test func namesAndEncodingsAreUnique() {
        let names = NumericOp.allCases.map(\.name) + LoadOp.allCases.map(\.name) + StoreOp.allCases.map(\.name)
            + VectorOp.allCases.map(\.name) + VectorLaneOp.allCases.map(\.name) + LaneMemoryOp.allCases.map(\.name)
        let encodings = NumericOp.allCases.map(\.encoding) + LoadOp.allCases.map(\.encoding)
            + StoreOp.allCases.map(\.encoding) + VectorOp.allCases.map(\.encoding)
            + VectorLaneOp.allCases.map(\.encoding) + LaneMemoryOp.allCases.map(\.encoding)
        #expect(Set(names).count == names.count)
        #expect(Set(encodings).count == encodings.count)
    }

    /// Comparisons, and only they, have a condition; what can trap is the division family and
    /// the trapping truncations.
    @Test func classesAgreeWithNames() {
        for op in NumericOp.allCases {
            #expect((op.comparison != nil) == (op.kind == .compare), "\(op.name)")
            let traps = op.name.contains(".div_") || op.name.contains(".rem_")
                || (op.name.contains(".trunc_") && !op.name.contains("_sat_") && op.name.first == "i")
            #expect(op.canTrap == traps, "\(op.name)")
        }
    }

    /// Opcodes of proposals that are not implemented are named in the error.
    @Test func unsupportedRowsNameTheirFeature() throws {
        // (func ref.eq): 0xD3 inside a body.
        let body: [UInt8] = [0x00, 0xD3, 0x0B]
        let bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                              0x03, 0x02, 0x01, 0x00, 0x0A, UInt8(body.count + 2), 0x01, UInt8(body.count)] + body
        #expect(throws: DecodeError.self) { try BinaryDecoder.decode(bytes) }
        do { _ = try BinaryDecoder.decode(bytes) } catch {
            #expect(error.message.contains("unsupported feature: GC (opcode 0xd3 ref.eq)"), "\(error)")
        }
    }
}
