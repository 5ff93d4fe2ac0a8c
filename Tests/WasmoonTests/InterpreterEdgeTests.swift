import Foundation
import Testing
import WAT
import Wasmoon
import WasmCore

/// Corners of the interpreter's translation and slow paths.
@Suite("Interpreter edge cases")
struct InterpreterEdgeTests {
    @Test func trapInFusedLoadReportsTheLoad() throws {
        let wat = """
            (module
              (memory 1)
              (func $f (export "f") (param i32) (result i32)
                (i32.load offset=8 (i32.add (local.get 0) (i32.const 4)))))
            """
        let h = try InterpreterHarness(wat)
        let trap = try #require(h.expectTrap(.outOfBoundsMemoryAccess, "f", .i32(65530)))
        // The offset must be the load's, although its address add was fused into it.
        let module = try WasmCore.BinaryDecoder.decode(try WAT.wat2wasm(wat, features: [.referenceTypes, .tailCall]))
        let body = module.codes[0]
        let code = try body.decoded()
        let loadIndex = try #require(code.instructions.firstIndex { if case .load = $0 { true } else { false } })
        #expect(trap.backtrace.first?.moduleOffset == code.offsets[loadIndex])
        #expect(trap.backtrace.first?.functionOffset == code.offsets[loadIndex] - body.bodyOffset)
    }

    @Test func hostFunctionsThroughTables() throws {
        let seen = Box<[UInt32]>([])
        let h = try InterpreterHarness(
            """
            (module
              (import "host" "record" (func $record (param i32) (result i32)))
              (type $t (func (param i32) (result i32)))
              (table 2 funcref)
              (elem (i32.const 0) func $record $double)
              (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
              (func (export "indirect") (param i32 i32) (result i32)
                (call_indirect (type $t) (local.get 0) (local.get 1)))
              (func (export "tail_indirect") (param i32 i32) (result i32)
                (return_call_indirect (type $t) (local.get 0) (local.get 1)))
              (func (export "nested") (param i32) (result i32)
                ;; host result feeds a wasm call that feeds the host again
                (call_indirect (type $t)
                  (call_indirect (type $t) (call_indirect (type $t) (local.get 0) (i32.const 0)) (i32.const 1))
                  (i32.const 0)))
            )
            """,
            link: { linker in
                linker.defineFunction(module: "host", name: "record", type: FuncType(params: [.i32], results: [.i32])) {
                    _, args in
                    guard case .i32(let v) = args[0] else { return [.i32(0)] }
                    seen.value.append(v)
                    return [.i32(v &+ 100)]
                }
            })
        #expect(try h.call("indirect", .i32(5), .i32(0)) == [.i32(105)])
        #expect(try h.call("indirect", .i32(5), .i32(1)) == [.i32(10)])
        #expect(try h.call("tail_indirect", .i32(7), .i32(0)) == [.i32(107)])
        #expect(try h.call("tail_indirect", .i32(7), .i32(1)) == [.i32(14)])
        #expect(try h.call("nested", .i32(1)) == [.i32(302)])
        #expect(seen.value == [5, 7, 1, 202])
    }

    @Test func branchTableCarriesValuesToDifferentHeights() throws {
        let h = try InterpreterHarness(
            """
            (module
              (func (export "f") (param i32) (result i32 i32)
                (local i32)
                (local.set 1 (i32.const 9))
                (block $outer (result i32 i32)
                  (i32.const 1000)          ;; below the inner label's values: outer must skip it
                  (block $inner (result i32 i32)
                    (i32.const 1) (local.get 1)
                    (br_table $inner $outer $inner (local.get 0)))
                  (drop) (drop) (drop)
                  (i32.const 3) (i32.const 4)))
            )
            """)
        #expect(try h.call("f", .i32(0)) == [.i32(3), .i32(4)])
        #expect(try h.call("f", .i32(1)) == [.i32(1), .i32(9)])
        #expect(try h.call("f", .i32(7)) == [.i32(3), .i32(4)])
    }

    @Test func valuesStayCorrectAcrossCallsAndBlocks() throws {
        let h = try InterpreterHarness(
            """
            (module
              (func $id (param i32) (result i32) (local.get 0))
              (func (export "f") (param i32) (result i32)
                ;; local 0 is referenced on the stack while a callee runs and a loop sets it.
                (local.get 0)
                (call $id (i32.const 5))
                (loop $l (param i32) (result i32)
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get 0) (i32.const 10))))
                (i32.add)
                (i32.mul (local.get 0)))
            )
            """)
        // (p + 5) * max(p + 1, 10)
        #expect(try h.call("f", .i32(2)) == [.i32(70)])
        #expect(try h.call("f", .i32(20)) == [.i32(525)])
    }

    @Test func framesBeyondTheOperandEncodingAreAClearError() throws {
        let runtime = try Runtime(tier: .interpreter)
        let locals = String(repeating: "i64 ", count: 70_000)
        #expect(throws: (any Error).self) {
            _ = try runtime.compile(wat: "(module (func (local \(locals))))")
        }
    }

    /// Handlers dispatch by sibling calls (`jmp`): a real call per instruction would grow
    /// the native stack until it crashes. 10^8 iterations of a loop over many handler
    /// kinds (arithmetic, memory, calls, branches) must run in constant native stack.
    @Test func longLoopsRunInConstantNativeStack() throws {
        let wat = """
            (module
              (memory 1)
              (func $step (param i64 i32) (result i64)
                (i64.xor (i64.rotl (local.get 0) (i64.const 13)) (i64.extend_i32_u (local.get 1))))
              (func (export "run") (param $n i32) (result i64) (local $x i64)
                (local.set $x (i64.const 1))
                (loop $l
                  (i32.store (i32.const 8) (i32.mul (local.get $n) (i32.const 3)))
                  (if (i32.and (local.get $n) (i32.const 1023))
                    (then (local.set $x (i64.add (local.get $x) (i64.load32_u (i32.const 8)))))
                    (else (local.set $x (call $step (local.get $x) (local.get $n)))))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $x)))
            """
        let result = try InterpreterHarness(wat).call("run", .i32(100_000_000))
        #expect(result == (try InterpreterHarness(tier: .jit, wat).call("run", .i32(100_000_000))))
    }

    /// The same for SIMD handlers, whose semantics functions once stayed out of line: the
    /// optimizer merged the handlers that only differed by the function they called into one
    /// taking it as a stack-passed argument, and a loop of 10^6 `f32x4.ceil` crashed.
    @Test func longSIMDLoopsRunInConstantNativeStack() throws {
        let wat = """
            (module
              (memory 1)
              (func (export "run") (param $n i32) (result i32) (local $v v128) (local $w v128) (local $acc i32)
                (local.set $v (v128.const f32x4 1.5 -2.25 3e9 -0.5))
                (local.set $w (v128.const i32x4 3 5 7 9))
                (loop $l
                  (local.set $v (f32x4.ceil (f32x4.min (local.get $v) (f32x4.sqrt (local.get $v)))))
                  (local.set $w (i8x16.popcnt (i8x16.shl (i8x16.min_s (local.get $w) (local.get $v)) (local.get $n))))
                  (local.set $w (i32x4.add (local.get $w) (i32x4.trunc_sat_f32x4_u (local.get $v))))
                  (local.set $w (i16x8.extmul_low_i8x16_s (local.get $w) (v128.load8x8_s (i32.const 8))))
                  (local.set $acc (i32.add (local.get $acc)
                    (i32.add (i8x16.bitmask (local.get $w)) (i32x4.all_true (i16x8.abs (local.get $w))))))
                  (v128.store (i32.const 8) (i32x4.dot_i16x8_s (local.get $w) (local.get $w)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $acc)))
            """
        let result = try InterpreterHarness(wat).call("run", .i32(2_000_000))
        #expect(result == (try InterpreterHarness(tier: .jit, wat).call("run", .i32(2_000_000))))
    }

    /// `scripts/check-interpreter-loop.sh`: the machine code of every handler (scalar and
    /// SIMD) ends in a sibling call and makes no calls (needs objdump and the release build).
    @Test func handlersAreSiblingCallsInTheMachineCode() throws {
        let objects = SharedData.repoRoot.appendingPathComponent(".build/release/WasmInterpreter.build/Handlers.swift.o")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/objdump"),
            FileManager.default.fileExists(atPath: objects.path)
        else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("objdump or the release build's object files are missing")
            } else {
                print("note: skipping the handler machine-code check (no objdump or no release build)")
            }
            return
        }
        let result = try CLI.runProgram(URL(fileURLWithPath: "/bin/bash"), ["scripts/check-interpreter-loop.sh", "--no-build"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    /// `i32.shl` by a constant feeding a load's address add (`load32Shl`/`load64Shl`), and a
    /// store whose address add precedes its value computation (the add moves into the store);
    /// operands written in between must block the fusion. Checked against the JIT.
    @Test func fusedAddressComputationsMatchTheJIT() throws {
        let wat = """
            (module
              (memory 1)
              (data (i32.const 16) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10")
              (func (export "scaled32") (param i32) (result i32)
                (i32.load offset=4 (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 12))))
              (func (export "scaled64") (param i32) (result i64)
                (i64.load (i32.add (i32.const 16) (i32.shl (local.get 0) (i32.const 35)))))
              (func (export "store_after") (param i32 i32) (result i32)
                (i32.store (i32.add (local.get 0) (i32.const 100))
                  (i32.xor (i32.mul (local.get 1) (i32.const 3)) (i32.load (i32.const 16))))
                (i32.load (i32.add (local.get 0) (i32.const 100))))
              (func (export "store_clobber") (param i32 i32) (result i32)
                (i32.store (i32.add (local.get 0) (i32.const 200))
                  (local.tee 0 (i32.add (local.get 1) (i32.const 8))))
                (i32.add (i32.load (i32.const 200)) (local.get 0))))
            """
        let interp = try InterpreterHarness(wat)
        let jit = try InterpreterHarness(tier: .jit, wat)
        func outcome(_ h: InterpreterHarness, _ f: String, _ args: [Value]) -> String {
            do {
                let results = try h.instance.function(f)!.call(args)
                return "\(results)"
            } catch {
                if case .trap(let t) = error { return "trap \(t.code)" }
                return "\(error)"
            }
        }
        let inputs: [UInt32] = [0, 1, 2, 0x4000_0001, 0xFFFF_FFFF]
        for x in inputs {
            for f in ["scaled32", "scaled64"] {
                #expect(outcome(interp, f, [.i32(x)]) == outcome(jit, f, [.i32(x)]), "\(f)(\(x))")
            }
        }
        let pairs: [(UInt32, UInt32)] = [(0, 5), (8, 0xFFFF), (65_000, 1)]
        for (x, y) in pairs {
            for f in ["store_after", "store_clobber"] {
                #expect(outcome(interp, f, [.i32(x), .i32(y)]) == outcome(jit, f, [.i32(x), .i32(y)]), "\(f)(\(x), \(y))")
            }
        }
    }
}
