import Foundation
import Testing
import WasmCore
import Wasmoon
import WasmOptimizer

/// The optimizing tier's SSA IR (issue 15): built from wasm with locals as SSA values and
/// block parameters at merges, then checked by `IRVerifier` (definitions dominate uses, edges
/// match their targets' parameters, operand types).
@Suite("Optimizer IR")
struct OptimizerIRTests {
    /// The IR of the only defined function of a module in the text format.
    static func build(_ wat: String) throws -> IRFunction {
        let module = try BinaryDecoder.decode(try TextFormat.wat2wasm(wat))
        try ModuleValidator.validate(module)
        let function = try IRBuilder.build(module, definedIndex: module.codes.count - 1)
        try IRVerifier.verify(function)
        return function
    }

    /// The first block of `function` with an instruction applying `op`.
    static func block(of function: IRFunction, computing op: NumericOp) -> IRBlock? {
        function.blocks.first { block in block.instructions.contains { Self.applies($0, op) } }
    }

    /// Whether `instruction` applies the numeric operator `op`.
    static func applies(_ instruction: IRInstruction, _ op: NumericOp) -> Bool {
        if case .numeric(op, _) = instruction.operation { true } else { false }
    }

    /// Straight-line code returns from its one block: the function's exit block, which only
    /// this path reaches, is left unreachable (no jump and parameter for `Simplify` to remove).
    @Test func straightLine() throws {
        let f = try Self.build("(module (func (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))")
        #expect(f.description == """
            b0(v0:i32, v1:i32):
              v3:i32 = i32.add v0, v1
              return v3
            b1():
              trap unreachable

            """)
    }

    /// Two paths return: they meet in the exit block, which returns its parameter.
    @Test func twoReturnPathsMeetInTheExit() throws {
        let f = try Self.build("""
            (module (func (param i32) (result i32)
              (if (local.get 0) (then (return (i32.const 1))))
              (i32.const 2)))
            """)
        let exit = f.blocks[1]
        #expect(exit.parameters.count == 1)
        guard case .return(let values)? = exit.terminator else {
            Issue.record("the exit block does not return: \(f)")
            return
        }
        #expect(Array(f.values(values)) == exit.parameters)
    }

    /// A counting loop: the locals it changes become the loop header's parameters, passed by the
    /// entry edge and the back edge.
    @Test func loopCarriesItsLocals() throws {
        let f = try Self.build("""
            (module (func (param $n i32) (result i32) (local $total i32)
              (block $done (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $total (i32.add (local.get $total) (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
              (local.get $total)))
            """)
        let header = try #require(Self.block(of: f, computing: .i32Eqz))
        #expect(header.parameters.count == 2, "\(f)")
        let edgesIn = f.blocks.flatMap { $0.terminator?.edges(in: f) ?? [] }.filter { f.blocks[Int($0.target.index)].parameters == header.parameters }
        #expect(edgesIn.count == 2, "\(f)")
    }

    @Test func ifElseWithParametersAndResults() throws {
        _ = try Self.build("""
            (module (type $t (func (param i32 i64) (result i64)))
              (func (param i32 i64) (result i64)
                (local.get 1) (local.get 0) (local.get 1)
                (if (type $t) (local.get 0)
                  (then (drop) (i64.extend_i32_u))
                  (else (drop) (drop) (i64.const 7)))
                (i64.add)))
            """)
        _ = try Self.build("""
            (module (func (param i32) (result i32)
              (local.get 0)
              (if (param i32) (result i32) (local.get 0) (then (i32.const 1) (i32.add)))))
            """)
    }

    /// Indirect calls and the bulk memory operations are in the IR.
    @Test func indirectCallsAndBulkMemory() throws {
        let f = try Self.build("""
            (module (type $t (func (param i32) (result i32))) (table 2 funcref) (memory 1)
              (func (param i32) (result i32)
                (memory.fill (i32.const 0) (i32.const 7) (i32.const 16))
                (memory.copy (i32.const 32) (i32.const 0) (i32.const 16))
                (call_indirect (type $t) (local.get 0) (i32.const 1))))
            """)
        let text = f.description
        #expect(text.contains("memory.fill") && text.contains("memory.copy") && text.contains("call_indirect type 0 table 0"), "\(text)")
    }

    @Test func brTableAndUnreachableCode() throws {
        let f = try Self.build("""
            (module (func (param i32) (result i32)
              (block $a (result i32) (block $b (result i32) (block $c (result i32)
                (br_table $a $b $c (i32.const 10) (local.get 0)))
                (return (i32.const 1)) (i32.const 99) (drop) (unreachable))
                (i32.const 2) (i32.add))
              (unreachable) (i32.const 5)))
            """)
        let tables = f.blocks.compactMap { block -> Int? in
            if case .table(_, let targets, _)? = block.terminator { Int(targets.count) } else { nil }
        }
        #expect(tables == [2])  // two targets and the default
    }

    @Test func declinesWhatItDoesNotHandle() throws {
        #expect(throws: IRDecline.self) {
            try Self.build("(module (table 1 funcref) (func (result i32) (table.size 0)))")
        }
        #expect(throws: IRDecline.self) { try Self.build("(module (func (param v128)))") }
        // A try_table in unreachable code (wasm-smith's exceptions campaign): once its `end`
        // closed the enclosing block and the builder popped an empty stack, crashing the host.
        let deadTry = "(module (func (result i32) (block (br 0) (try_table (drop (i32.const 1)))) (i32.const 7)))"
        #expect(throws: IRDecline.self) { try Self.build(deadTry) }
        let h = try InterpreterHarness(configuration: EngineConfiguration(tier: .jit, compileMode: .eager, jitTier: .optimized),
                                       deadTry.replacingOccurrences(of: "(func (result", with: "(func (export \"f\") (result"))
        #expect(try h.call("f") == [.i32(7)])
    }

    /// Every function of the libsodium programs is built and verified: none is declined, and
    /// nothing is built wrong.
    @Test func libsodiumFunctionsBuildAndVerify() throws {
        guard let folder = SharedData.path("corpus/libsodium") else { return }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wasm") }.sorted()
        try #require(!files.isEmpty)
        var built = 0, declined: [String: Int] = [:]
        for file in files {
            let module = try BinaryDecoder.decode(Array(try Data(contentsOf: folder.appendingPathComponent(file))))
            try ModuleValidator.validate(module)
            for index in module.codes.indices {
                do {
                    let function = try IRBuilder.build(module, definedIndex: index)
                    do {
                        try IRVerifier.verify(function)
                    } catch {
                        Issue.record("\(file) function \(index): \(error)\n\(function)")
                    }
                    built += 1
                } catch {
                    declined[error.reason, default: 0] += 1
                }
            }
        }
        #expect(built > 0)
        // The tier takes every libsodium function: a decline here is a regression.
        #expect(declined.isEmpty, "\(declined)")
        print("optimizer IR, libsodium (\(files.count) programs): \(built) functions built, declined \(declined)")
    }

    /// Functions whose results the passes must not change: each runs on the IR evaluator before
    /// and after `Simplify`, and on the interpreter, with the same arguments.
    static let integerFunctions = [
        // A loop whose bound passes through unchanged: its header parameter is trivial.
        """
        (module (func (param $n i32) (param $k i32) (result i32) (local $i i32) (local $acc i32)
          (block $done (loop $next
            (br_if $done (i32.ge_u (local.get $i) (i32.and (i32.mul (local.get $n) (local.get $k)) (i32.const 255))))
            (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $k))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
          (i32.xor (local.get $acc) (i32.add (i32.const 40) (i32.const 2)))))
        """,
        // Constants that fold through shifts, rotations, comparisons and a branch on a constant.
        """
        (module (func (param i32 i32) (result i32)
          (if (result i32) (i32.lt_u (i32.rotl (i32.const 1) (i32.const 33)) (i32.const 3))
            (then (i32.add (local.get 0) (i32.shr_s (i32.const -64) (i32.const 3))))
            (else (i32.div_s (local.get 0) (local.get 1))))))
        """,
        // i64 arithmetic, a trapping division kept, br_table with values.
        """
        (module (func (param i32 i32) (result i32)
          (block $a (result i32) (block $b (result i32)
            (br_table $a $b (i32.wrap_i64 (i64.mul (i64.extend_i32_s (local.get 0)) (i64.add (i64.const 1) (i64.const 2))))
              (i32.and (local.get 1) (i32.const 1))))
            (i32.div_u (i32.const 100) (local.get 1)) (i32.add))
          (i32.sub (i32.const 7))))
        """,
        // The same sums in a block and in the blocks it dominates (value numbering), and in a
        // sibling branch that it does not dominate (kept there).
        """
        (module (func (param i32 i32) (result i32) (local $s i32)
          (local.set $s (i32.mul (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 0) (local.get 1))))
          (if (result i32) (i32.and (local.get 1) (i32.const 1))
            (then (i32.sub (local.get $s) (i32.add (local.get 0) (local.get 1))))
            (else (i32.div_u (local.get $s) (i32.or (i32.add (local.get 0) (local.get 1)) (i32.const 1)))))))
        """,
    ]

    /// Value numbering keeps one `i32.add` of the four.
    @Test func valueNumberingRemovesRecomputations() throws {
        var function = try Self.build(Self.integerFunctions[3])
        Simplify.run(&function)
        let adds = function.blocks.flatMap(\.instructions).filter {
            if case .numeric(.i32Add, _) = $0.operation { true } else { false }
        }
        #expect(adds.count == 1, "\(function)")
    }

    /// In the loop bound `(n * k) & 255`, the product is computed once, before the loop (the
    /// entry block jumps to the loop header); the mask, one instruction with a constant operand,
    /// stays next to the compare (kept alive across the loop it would only take a register).
    @Test func loopInvariantsLeaveTheLoop() throws {
        var function = try Self.build(Self.integerFunctions[0])
        Simplify.run(&function)
        func holds(_ block: IRBlock, _ op: NumericOp) -> Bool {
            block.instructions.contains { if case .numeric(op, _) = $0.operation { true } else { false } }
        }
        let comparing = try #require(function.blocks.firstIndex { holds($0, .i32GeU) }, "\(function)")
        #expect(holds(function.blocks[0], .i32Mul), "\(function)")
        #expect(comparing != 0 && holds(function.blocks[comparing], .i32And), "\(function)")
    }

    @Test(arguments: integerFunctions.indices)
    func simplifyKeepsResults(_ index: Int) throws {
        let wat = Self.integerFunctions[index]
        let original = try Self.build(wat)
        var simplified = original
        Simplify.run(&simplified)
        try IRVerifier.verify(simplified)
        #expect(simplified.instructionCount < original.instructionCount, "\(simplified)")
        let runtime = try Runtime(tier: .interpreter)
        let store = Store(engine: runtime.engine)
        let instance = try Linker(store: store).instantiate(try runtime.compile(wat: wat.replacingOccurrences(
            of: "(module (func (param", with: "(module (func (export \"f\") (param")))
        let inputs: [(UInt32, UInt32)] = [(0, 0), (1, 1), (5, 3), (17, 0), (0xFFFF_FFFF, 2), (0x8000_0000, 0xFFFF_FFFF), (9, 4)]
        for (a, b) in inputs {
            var evaluator = IREvaluator(memory: [], globals: [])
            let before = evaluator.run(original, [UInt64(a), UInt64(b)])
            let after = evaluator.run(simplified, [UInt64(a), UInt64(b)])
            #expect(before == after, "(\(a), \(b))\n\(original)\n\(simplified)")
            let expected: IREvaluator.Outcome
            do {
                expected = .values(try instance.function("f")!.call([.i32(a), .i32(b)]).map { UInt64($0.i32!) })
            } catch {
                #expect(error.trapCode != nil, "\(error)")
                expected = .trap
            }
            #expect(after == expected, "(\(a), \(b))")
        }
    }

    /// The passes keep every libsodium function valid IR, and shrink it.
    @Test func simplifyLibsodium() throws {
        guard let folder = SharedData.path("corpus/libsodium") else { return }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wasm") }.sorted()
        var before = 0, after = 0, parametersBefore = 0, parametersAfter = 0
        for file in files.prefix(10) {
            let module = try BinaryDecoder.decode(Array(try Data(contentsOf: folder.appendingPathComponent(file))))
            try ModuleValidator.validate(module)
            for index in module.codes.indices {
                guard var function = try? IRBuilder.build(module, definedIndex: index) else { continue }
                before += function.instructionCount
                parametersBefore += function.blocks.reduce(0) { $0 + $1.parameters.count }
                Simplify.run(&function)
                after += function.instructionCount
                parametersAfter += function.blocks.reduce(0) { $0 + $1.parameters.count }
                do {
                    try IRVerifier.verify(function)
                } catch {
                    Issue.record("\(file) function \(index) after Simplify: \(error)\n\(function)")
                }
            }
        }
        #expect(after < before && parametersAfter < parametersBefore)
        print("Simplify on 10 libsodium programs: instructions \(before) → \(after), block parameters \(parametersBefore) → \(parametersAfter)")
    }
}
