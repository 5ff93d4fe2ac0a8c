import Foundation
import Testing
import WasmCore

/// Focused tests of the validator on hand-built modules: the tricky corners of
/// the spec's stack-polymorphic algorithm and of the post-MVP features.
@Suite("Validator unit tests")
struct ValidatorUnitTests {
    /// A module with the given types and one defined function of type `typeIndex`.
    static func module(
        types: [FuncType], typeIndex: UInt32 = 0, locals: [ValueType] = [], body: [Instruction],
        configure: (inout WasmCore.Module) -> Void = { _ in }
    ) -> WasmCore.Module {
        var m = WasmCore.Module()
        m.types = types
        m.functions = [typeIndex]
        m.codes = [
            FunctionBody(
                localDeclarations: locals.map { (count: 1, type: $0) }, instructions: body + [.end],
                instructionOffsets: Array(repeating: 0, count: body.count + 1), bodyOffset: 0)
        ]
        configure(&m)
        return m
    }

    /// The validator's message for `module`, or nil when it is valid.
    static func message(_ module: WasmCore.Module) -> String? {
        do {
            try ModuleValidator.validate(module)
            return nil
        } catch {
            return error.message
        }
    }

    static let void = FuncType(params: [], results: [])
    static let toI32 = FuncType(params: [], results: [.i32])

    @Test func simpleAddIsValid() {
        let m = Self.module(
            types: [FuncType(params: [.i32, .i32], results: [.i32])],
            body: [.localGet(0), .localGet(1), .numeric(.i32Add)])
        #expect(Self.message(m) == nil)
    }

    @Test func numericOperandMismatch() {
        let m = Self.module(types: [Self.toI32], body: [.i32Const(1), .i64Const(2), .numeric(.i32Add)])
        #expect(Self.message(m)?.hasPrefix("type mismatch") == true)
    }

    @Test func leftoverValueIsMismatch() {
        let m = Self.module(types: [Self.void], body: [.i32Const(1)])
        #expect(Self.message(m)?.hasPrefix("type mismatch") == true)
    }

    @Test func unknownLocalAndLabel() {
        #expect(Self.message(Self.module(types: [Self.toI32], body: [.localGet(0)])) == "unknown local 0")
        #expect(Self.message(Self.module(types: [Self.void], body: [.br(1)])) == "unknown label 1")
    }

    // MARK: Unreachable code

    @Test func unreachableMakesStackPolymorphic() {
        // (func (result i32) unreachable i32.add) pops unknowns.
        let m = Self.module(types: [Self.toI32], body: [.unreachable, .numeric(.i32Add)])
        #expect(Self.message(m) == nil)
        // But a known operand of the wrong type still fails.
        let bad = Self.module(types: [Self.toI32], body: [.unreachable, .i64Const(0), .numeric(.i32Add)])
        #expect(Self.message(bad)?.hasPrefix("type mismatch") == true)
    }

    @Test func brTableAfterUnreachableMeetsBottom() {
        // block (result f64) block (result f32) unreachable i32.const 1 br_table 0 1 1 end drop f64.const 0 end drop
        let m = Self.module(
            types: [Self.void],
            body: [
                .block(.value(.f64)), .block(.value(.f32)), .unreachable, .i32Const(1),
                .brTable(BrTable(targets: [0, 1], defaultTarget: 1)), .end, .drop, .f64Const(0), .end, .drop,
            ])
        #expect(Self.message(m) == nil)
    }

    @Test func brTableArityMismatchEvenWhenUnreachable() {
        // block block (result f32) unreachable br_table 0 1 0 (i32.const 1) end drop end
        let m = Self.module(
            types: [Self.void],
            body: [
                .block(.empty), .block(.value(.f32)), .unreachable, .i32Const(1),
                .brTable(BrTable(targets: [0, 1], defaultTarget: 0)), .end, .drop, .end,
            ])
        #expect(Self.message(m)?.hasPrefix("type mismatch") == true)
    }

    @Test func brTableKnownOperandChecksEveryTarget() {
        // block (result i32) block (result i64) unreachable i64.const 0 i32.const 0 br_table 0 1:
        // the known i64 does not fit label 1 (i32).
        let m = Self.module(
            types: [Self.toI32],
            body: [
                .block(.value(.i32)), .block(.value(.i64)), .unreachable, .i64Const(0), .i32Const(0),
                .brTable(BrTable(targets: [0], defaultTarget: 1)), .end, .drop, .i32Const(0), .end,
            ])
        #expect(Self.message(m)?.hasPrefix("type mismatch") == true)
    }

    @Test func brTableLeavesStackPolymorphic() {
        // block (result i32) i32.const 0 br_table 0 0 end  — the value was consumed; `end` sees bottom.
        let m = Self.module(
            types: [Self.toI32],
            body: [.block(.value(.i32)), .i32Const(7), .i32Const(0), .brTable(BrTable(targets: [0], defaultTarget: 0)), .end])
        #expect(Self.message(m) == nil)
    }

    // MARK: select

    @Test func untypedSelectOnlyOnNumbers() {
        let ok = Self.module(types: [Self.toI32], body: [.i32Const(1), .i32Const(2), .i32Const(0), .select])
        #expect(Self.message(ok) == nil)
        let refs = Self.module(
            types: [Self.void],
            body: [.refNull(.function), .refNull(.function), .i32Const(0), .select, .drop])
        #expect(Self.message(refs)?.hasPrefix("type mismatch") == true)
        // Unreachable: unknown operands are fine, a single known reference is not.
        let unknown = Self.module(types: [Self.toI32], body: [.unreachable, .select])
        #expect(Self.message(unknown) == nil)
        let halfRef = Self.module(
            types: [Self.void], body: [.unreachable, .refNull(.extern), .i32Const(0), .select, .drop])
        #expect(Self.message(halfRef) == "type mismatch")
        let mixed = Self.module(types: [Self.toI32], body: [.i32Const(1), .i64Const(2), .i32Const(0), .select])
        #expect(Self.message(mixed) == "type mismatch")
    }

    @Test func typedSelect() {
        let ok = Self.module(
            types: [Self.void],
            body: [.refNull(.function), .refNull(.function), .i32Const(0), .typedSelect([.funcref]), .drop])
        #expect(Self.message(ok) == nil)
        let none = Self.module(types: [Self.toI32], body: [.i32Const(1), .i32Const(2), .i32Const(0), .typedSelect([])])
        #expect(Self.message(none) == "invalid result arity")
        let two = Self.module(
            types: [Self.toI32], body: [.i32Const(1), .i32Const(2), .i32Const(0), .typedSelect([.i32, .i32])])
        #expect(Self.message(two) == "invalid result arity")
    }

    // MARK: Multi-value blocks

    @Test func multiValueBlocks() {
        let pair = FuncType(params: [.i32, .i64], results: [.i64, .i32])
        let swap = FuncType(params: [.i32], results: [.i32, .i32])
        let body: [Instruction] = [
            .i32Const(1), .i64Const(2),
            .block(.typeIndex(1)),
            // stack: i32 i64 -> need i64 i32
            .drop, .drop, .i64Const(3), .i32Const(4),
            .end,
        ]
        #expect(Self.message(Self.module(types: [FuncType(params: [], results: [.i64, .i32]), pair], body: body)) == nil)

        // A loop's label carries its parameters.
        let loopBody: [Instruction] = [
            .i32Const(1), .loop(.typeIndex(2)), .i32Const(0), .brIf(0), .i32Const(5), .end, .numeric(.i32Add),
        ]
        #expect(Self.message(Self.module(types: [Self.toI32, pair, swap], body: loopBody)) == nil)
        let loopBad: [Instruction] = [
            .i32Const(1), .loop(.typeIndex(2)), .drop, .f32Const(0), .br(0), .end, .numeric(.i32Add),
        ]
        #expect(Self.message(Self.module(types: [Self.toI32, pair, swap], body: loopBad)) == "type mismatch: instruction requires [i32] but stack has [f32]")
        let loopOK: [Instruction] = [
            .i32Const(1), .loop(.typeIndex(2)), .localTee(0), .localGet(0), .brIf(0), .localGet(0), .end,
            .numeric(.i32Add),
        ]
        #expect(Self.message(Self.module(types: [Self.toI32, pair, swap], locals: [.i32], body: loopOK)) == nil)

        // Block parameters must be on the stack.
        let missing: [Instruction] = [.i64Const(2), .block(.typeIndex(1)), .drop, .drop, .i64Const(3), .i32Const(4), .end]
        #expect(
            Self.message(Self.module(types: [FuncType(params: [], results: [.i64, .i32]), pair], body: missing))
                == "type mismatch: instruction requires [i32 i64] but stack has [i64]")
        // Unknown block type index.
        #expect(Self.message(Self.module(types: [Self.void], body: [.block(.typeIndex(9)), .end])) == "unknown type 9")
    }

    @Test func ifWithoutElseNeedsMatchingTypes() {
        let bad = Self.module(types: [Self.toI32], body: [.i32Const(1), .if(.value(.i32)), .i32Const(1), .end])
        #expect(Self.message(bad)?.hasPrefix("type mismatch") == true)
        let identity = FuncType(params: [.i32], results: [.i32])
        let ok = Self.module(
            types: [Self.toI32, identity],
            body: [.i32Const(7), .i32Const(1), .if(.typeIndex(1)), .i32Const(1), .numeric(.i32Add), .end])
        #expect(Self.message(ok) == nil)
        let withElse = Self.module(
            types: [Self.toI32],
            body: [.i32Const(1), .if(.value(.i32)), .i32Const(1), .else, .unreachable, .end])
        #expect(Self.message(withElse) == nil)
    }

    // MARK: Tail calls

    @Test func returnCallResultsMustMatchCaller() {
        let callee = FuncType(params: [.i32], results: [.i64])
        var m = Self.module(types: [Self.toI32, callee], body: [.i32Const(0), .returnCall(1)])
        m.functions.append(1)
        m.codes.append(
            FunctionBody(
                localDeclarations: [], instructions: [.i64Const(0), .end], instructionOffsets: [0, 0], bodyOffset: 0))
        #expect(Self.message(m)?.hasPrefix("type mismatch") == true)

        // Same results: valid, and whatever is below the arguments is irrelevant.
        var ok = Self.module(
            types: [FuncType(params: [], results: [.i64]), callee],
            body: [.f32Const(0), .i32Const(0), .returnCall(1)])
        ok.functions.append(1)
        ok.codes.append(m.codes[1])
        #expect(Self.message(ok) == nil)

        // Mismatch is reported even in unreachable code.
        var dead = Self.module(types: [Self.toI32, callee], body: [.unreachable, .returnCall(1)])
        dead.functions.append(1)
        dead.codes.append(m.codes[1])
        #expect(Self.message(dead) == "type mismatch")
    }

    @Test func returnCallIndirect() {
        let table = TableType(elementType: .funcref, limits: Limits(min: 1))
        let ok = Self.module(types: [Self.toI32], body: [.i32Const(0), .returnCallIndirect(typeIndex: 0, tableIndex: 0)]) {
            $0.tables = [table]
        }
        #expect(Self.message(ok) == nil)
        let wrongResults = Self.module(
            types: [Self.toI32, Self.void], body: [.i32Const(0), .returnCallIndirect(typeIndex: 1, tableIndex: 0)]
        ) { $0.tables = [table] }
        #expect(Self.message(wrongResults) == "type mismatch")
        let externTable = Self.module(
            types: [Self.toI32], body: [.i32Const(0), .returnCallIndirect(typeIndex: 0, tableIndex: 0)]
        ) { $0.tables = [TableType(elementType: .externref, limits: Limits(min: 1))] }
        #expect(Self.message(externTable) == "type mismatch")
        let noTable = Self.module(types: [Self.toI32], body: [.i32Const(0), .returnCallIndirect(typeIndex: 0, tableIndex: 0)])
        #expect(Self.message(noTable) == "unknown table 0")
    }

    // MARK: References and module rules

    @Test func refFuncMustBeDeclared() {
        let undeclared = Self.module(types: [Self.void], body: [.refFunc(0), .drop])
        #expect(Self.message(undeclared) == "undeclared function reference")
        let exported = Self.module(types: [Self.void], body: [.refFunc(0), .drop]) {
            $0.exports = [Export(name: "f", descriptor: .function(0))]
        }
        #expect(Self.message(exported) == nil)
        let inElem = Self.module(types: [Self.void], body: [.refFunc(0), .drop]) {
            $0.elements = [ElementSegment(type: .funcref, mode: .declarative, items: [ConstExpr([.refFunc(0)])])]
        }
        #expect(Self.message(inElem) == nil)
    }

    @Test func moduleLevelRules() {
        var twoMemories = WasmCore.Module()
        twoMemories.memories = [MemoryType(limits: Limits(min: 0)), MemoryType(limits: Limits(min: 0))]
        #expect(Self.message(twoMemories) == nil)  // multi-memory (Wasm 3.0)

        var big = WasmCore.Module()
        big.memories = [MemoryType(limits: Limits(min: 65537))]
        #expect(Self.message(big) == "memory size must be at most 65536 pages (4GiB)")

        var inverted = WasmCore.Module()
        inverted.tables = [TableType(elementType: .funcref, limits: Limits(min: 2, max: 1))]
        #expect(Self.message(inverted) == "size minimum must not be greater than maximum")

        let start = Self.module(types: [Self.toI32], body: [.i32Const(0)]) { $0.start = 0 }
        #expect(Self.message(start) == "start function")

        let dup = Self.module(types: [Self.void], body: []) {
            $0.exports = [Export(name: "a", descriptor: .function(0)), Export(name: "a", descriptor: .function(0))]
        }
        #expect(Self.message(dup) == "duplicate export name")

        var immutableSet = Self.module(types: [Self.void], body: [.i32Const(0), .globalSet(0)])
        immutableSet.globals = [Global(type: GlobalType(valueType: .i32, mutability: .constant), initializer: ConstExpr([.i32Const(0)]))]
        #expect(Self.message(immutableSet) == "immutable global: global is immutable")
    }

    @Test func constantExpressions() {
        func global(_ type: ValueType, _ expr: [Instruction], imports: [Import] = []) -> String? {
            var m = WasmCore.Module()
            m.imports = imports
            m.globals = [Global(type: GlobalType(valueType: type, mutability: .constant), initializer: ConstExpr(expr))]
            return Self.message(m)
        }
        #expect(global(.i32, [.i32Const(0)]) == nil)
        #expect(global(.i32, []) == "type mismatch")
        #expect(global(.i32, [.i32Const(0), .numeric(.i32Eqz)]) == "constant expression required")
        #expect(global(.i32, [.i64Const(0)]) == "type mismatch")
        #expect(global(.i32, [.globalGet(0)]) == "unknown global 0")
        let immutable = Import(
            module: "m", name: "g", descriptor: .global(GlobalType(valueType: .i32, mutability: .constant)))
        let mutable = Import(
            module: "m", name: "g", descriptor: .global(GlobalType(valueType: .i32, mutability: .variable)))
        #expect(global(.i32, [.globalGet(0)], imports: [immutable]) == nil)
        #expect(global(.i32, [.globalGet(0)], imports: [mutable]) == "constant expression required")
        #expect(global(.funcref, [.refFunc(3)]) == "unknown function 3")
    }

    @Test func memoryInstructions() {
        let mem = MemoryType(limits: Limits(min: 1))
        let tooAligned = Self.module(types: [Self.toI32], body: [.i32Const(0), .load(.i32Load, MemArg(align: 3, offset: 0))]) {
            $0.memories = [mem]
        }
        #expect(Self.message(tooAligned) == "alignment must not be larger than natural")
        let noMemory = Self.module(types: [Self.toI32], body: [.i32Const(0), .load(.i32Load, MemArg(align: 2, offset: 0))])
        #expect(Self.message(noMemory) == "unknown memory 0")
        let initNoData = Self.module(
            types: [Self.void], body: [.i32Const(0), .i32Const(0), .i32Const(0), .memoryInit(dataIndex: 1, memory: 0)]
        ) {
            $0.memories = [mem]
            $0.datas = [DataSegment(mode: .passive, bytes: [])]
            $0.dataCount = 1
        }
        #expect(Self.message(initNoData) == "unknown data segment 1")
    }

    /// Cases of the spec gate that WAT cannot encode (it rejects unknown
    /// indices), rebuilt by hand: which index is reported first matters.
    @Test func lookupOrderOfUnencodableSpecCases() {
        let three: [Instruction] = [.i32Const(0), .i32Const(0), .i32Const(0)]
        // memory_init.wast:226 — no memory, no data: the memory is reported first.
        let initNoMemory = Self.module(types: [Self.void], body: three + [.memoryInit(dataIndex: 1, memory: 0)]) {
            $0.dataCount = 0
        }
        #expect(Self.message(initNoMemory) == "unknown memory 0")
        // memory_init.wast:189 — data.drop without data segments.
        #expect(Self.message(Self.module(types: [Self.void], body: [.dataDrop(0)])) == "unknown data segment 0")
        // table_init.wast:398 — no table, elem index 4 out of range too: the table is reported first.
        let elem = ElementSegment(type: .funcref, mode: .passive, items: [ConstExpr([.refFunc(0)])])
        let initNoTable = Self.module(types: [Self.void], body: three + [.tableInit(elemIndex: 4, tableIndex: 0)]) {
            $0.elements = [elem]
        }
        #expect(Self.message(initNoTable) == "unknown table 0")
        // table_init.wast:390
        let dropUnknown = Self.module(types: [Self.void], body: [.elemDrop(4)]) { $0.elements = [elem] }
        #expect(Self.message(dropUnknown) == "unknown elem segment 4")
        // call_indirect.wast:1037 — (table funcref (elem 0 0)) without functions.
        var unboundElem = WasmCore.Module()
        unboundElem.tables = [TableType(elementType: .funcref, limits: Limits(min: 2, max: 2))]
        unboundElem.elements = [
            ElementSegment(
                type: .funcref, mode: .active(table: 0, offset: ConstExpr([.i32Const(0)])),
                items: [ConstExpr([.refFunc(0)]), ConstExpr([.refFunc(0)])])
        ]
        #expect(Self.message(unboundElem) == "unknown function 0")
        // global.wast:291 — (global f32 (local.get 0)).
        var localInConst = WasmCore.Module()
        localInConst.globals = [
            Global(type: GlobalType(valueType: .f32, mutability: .constant), initializer: ConstExpr([.localGet(0)]))
        ]
        #expect(Self.message(localInConst) == "constant expression required")
        // core/global.wast:674 — an initialiser sees the globals before it (Wasm 3.0), not later ones.
        var definedInConst = WasmCore.Module()
        let constant = GlobalType(valueType: .i32, mutability: .constant)
        definedInConst.globals = [
            Global(type: constant, initializer: ConstExpr([.globalGet(1)])),
            Global(type: constant, initializer: ConstExpr([.i32Const(0)])),
        ]
        #expect(Self.message(definedInConst) == "unknown global 1")
        definedInConst.globals.swapAt(0, 1)
        definedInConst.globals[1].initializer = ConstExpr([.globalGet(0), .i32Const(2), .numeric(.i32Mul)])
        #expect(Self.message(definedInConst) == nil)
        // Data offsets see only imported globals too (data.wast:486).
        var dataOffset = WasmCore.Module()
        dataOffset.imports = [Import(module: "test", name: "global-i32", descriptor: .global(constant))]
        dataOffset.memories = [MemoryType(limits: Limits(min: 1))]
        dataOffset.datas = [DataSegment(mode: .active(memory: 0, offset: ConstExpr([.globalGet(1)])), bytes: [])]
        #expect(Self.message(dataOffset) == "unknown global 1")
        // unreached-invalid.wast:3 — unknown local in dead code.
        #expect(Self.message(Self.module(types: [Self.void], body: [.unreachable, .localGet(0)])) == "unknown local 0")
        // return_call.wast:220 / call.wast:511
        #expect(Self.message(Self.module(types: [Self.void], body: [.returnCall(1)])) == "unknown function 1")
        #expect(Self.message(Self.module(types: [Self.void], body: [.call(1012321300)])) == "unknown function 1012321300")
        // call_indirect.wast:1021 / return_call_indirect.wast:563
        let table = TableType(elementType: .funcref, limits: Limits(min: 1))
        let badType = Self.module(types: [Self.void], body: [.i32Const(0), .callIndirect(typeIndex: 4294967295, tableIndex: 0)]) {
            $0.tables = [table]
        }
        #expect(Self.message(badType) == "unknown type 4294967295")
        let badTailType = Self.module(types: [Self.void], body: [.i32Const(0), .returnCallIndirect(typeIndex: 1, tableIndex: 0)]) {
            $0.tables = [table]
        }
        #expect(Self.message(badTailType) == "unknown type 1")
        // func.wast:435 — a function's type index out of range.
        var badFuncType = Self.module(types: [Self.void], body: [])
        badFuncType.functions = [2]
        #expect(Self.message(badFuncType) == "unknown type 2")
    }

    /// A body may declare up to 2^32-1 locals; they are not expanded one by one.
    @Test func hugeLocalCounts() {
        var m = Self.module(types: [FuncType(params: [.f32], results: [.i64])], body: [])
        m.codes[0].localDeclarations = [(count: 100_000, type: .i64), (count: 0, type: .f64), (count: 0x7FFF_FFFF, type: .i32)]
        func body(_ instructions: [Instruction]) -> String? {
            var copy = m
            copy.codes[0].setInstructions(
                instructions + [.end], offsets: Array(repeating: 0, count: instructions.count + 1))
            return Self.message(copy)
        }
        #expect(body([.localGet(100_000)]) == nil)
        #expect(body([.localGet(0), .drop, .localGet(100_001)]) == "type mismatch: instruction requires [i64] but stack has [i32]")  // i32, not i64
        #expect(body([.localGet(0x7FFF_FFFF + 100_000)]) == "type mismatch: instruction requires [i64] but stack has [i32]")  // the last local is an i32
        #expect(body([.localGet(0x8000_0000 + 100_000)]) == "unknown local 2147583648")
        #expect(body([.localGet(0), .drop, .localGet(1)]) == nil)
    }

    /// The driving API: operand types are visible after each instruction.
    @Test func incrementalDriving() throws {
        let context = ValidationContext(types: [Self.toI32], functionTypeIndices: [0])
        var v = try FunctionValidator(context: context, functionIndex: 0, locals: [])
        try v.visit(.i32Const(1), offset: 0)
        try v.visit(.i64Const(1), offset: 2)
        #expect(v.operands == [.i32, .i64])
        try v.visit(.drop, offset: 4)
        try v.visit(.unreachable, offset: 5)
        #expect(v.isUnreachable && v.operands.isEmpty)
        try v.visit(.numeric(.i32Eqz), offset: 6)
        #expect(v.operands == [.i32])
        try v.visit(.end, offset: 7)
        #expect(v.isFinished)
        try v.finish()
    }
}

/// Validation of hand-written binaries, for modules the WAT encoder cannot
/// express faithfully (it drops or truncates the type list of `select (result …)`).
@Suite("Validator binary tests")
struct ValidatorBinaryTests {
    /// A module with one `() -> ()` function whose body is `code` (without the final `end`).
    static func module(code: [UInt8]) -> [UInt8] {
        let body: [UInt8] = [0x00] + code + [0x0B]  // no locals
        let codeSection: [UInt8] = [0x01, UInt8(body.count)] + body
        return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
            + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]  // type section: () -> ()
            + [0x03, 0x02, 0x01, 0x00]  // function section
            + [0x0A, UInt8(codeSection.count)] + codeSection
    }

    static func message(_ bytes: [UInt8]) throws -> String? {
        let module = try BinaryDecoder.decode(bytes)
        do {
            try ModuleValidator.validate(module)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func typedSelectWithNoType() throws {
        // (select (result) (nop) (nop) (i32.const 1))
        let bytes = Self.module(code: [0x41, 0x01, 0x1C, 0x00])
        #expect(try Self.message(bytes) == "invalid result arity")
    }

    @Test func typedSelectWithTwoTypes() throws {
        // i32.const 0 ×2, i32.const 1, select (result i32 i32), drop, drop
        let bytes = Self.module(code: [0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0x1C, 0x02, 0x7F, 0x7F, 0x1A, 0x1A])
        #expect(try Self.message(bytes) == "invalid result arity")
    }

    @Test func typedSelectWithOneType() throws {
        let bytes = Self.module(code: [0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0x1C, 0x01, 0x7F, 0x1A])
        #expect(try Self.message(bytes) == nil)
    }
}

/// Validates the corpus's 75 KB module and reports the time taken.
@Suite("Validator corpus")
struct ValidatorCorpusTests {
    @Test(.enabled(if: SharedData.exists("corpus/libsodium/aead_aegis128l.wasm")))
    func validatesAegis() throws {
        guard let url = SharedData.path("corpus/libsodium/aead_aegis128l.wasm") else { return }
        let bytes = try [UInt8](Data(contentsOf: url))
        var module = try BinaryDecoder.decode(bytes)
        guard case .passed = module.bodyValidation else {
            Issue.record("the decoder did not validate the bodies")
            return
        }
        // The decoder validates bodies as it reads them: time decoding and validating together.
        try ModuleValidator.validate(module)  // warm up
        let clock = ContinuousClock()
        let runs = 10
        let elapsed = try clock.measure {
            for _ in 0..<runs {
                module = try BinaryDecoder.decode(bytes)
                try ModuleValidator.validate(module)
            }
        }
        let instructions = module.codes.reduce(0) { $0 + Int($1.instructionCount) }
        print("validator: aead_aegis128l.wasm (\(bytes.count) bytes, \(module.codes.count) functions, \(instructions) instructions) decodes and validates in \(elapsed / runs)")
    }
}
