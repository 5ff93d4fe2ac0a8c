import Foundation
import Testing
import Wasmoon

/// Calls on the interpreter: recursion depth, stack exhaustion, indirect-call
/// errors, tail calls, host functions with re-entrancy, cross-instance calls,
/// trap backtraces, and concurrent use.
@Suite("Interpreter calls")
struct InterpreterCallTests {
    static let recursion = """
        (module
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (func $depth (export "depth") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1)))))))
          (func $runaway (export "runaway") (call $runaway))
          (func $even (export "even") (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
              (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
          (func $odd (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
              (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
          ;; Tail call with the arguments swapped (a cycle in the argument moves).
          (func $sub (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
          (func (export "swapped_tail") (param i32 i32) (result i32)
            (return_call $sub (local.get 1) (local.get 0)))
          (func $pair (param i32) (result i32 i64) (local.get 0) (i64.extend_i32_u (i32.mul (local.get 0) (local.get 0))))
          (func (export "multi") (param i32) (result i64) (local i64)
            (call $pair (local.get 0))
            (local.set 1)
            (i64.extend_i32_u)
            (local.get 1)
            (i64.add))
          (type $t (func (param i32) (result i32)))
          (table $tab 4 funcref)
          (elem (table $tab) (i32.const 0) func $fib $depth $sub)
          (func (export "indirect") (param i32 i32) (result i32)
            (call_indirect $tab (type $t) (local.get 1) (local.get 0)))
          (func $count (param i64 i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
              (else (return_call_indirect $tab2 (type $count_t)
                (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 2)) (i32.const 0)))))
          (type $count_t (func (param i64 i64) (result i64)))
          (table $tab2 1 funcref)
          (elem (table $tab2) (i32.const 0) func $count)
          (func (export "count") (param i64) (result i64) (call $count (local.get 0) (i64.const 0)))
        )
        """

    @Test(arguments: bothTiers) func recursion(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, Self.recursion)
        #expect(try h.call("fib", .i32(20)) == [.i32(6765)])
        #expect(try h.call("depth", .i32(50_000)) == [.i32(50_000)])
        let trap = h.expectTrap(.callStackExhausted, "runaway")
        #expect((trap?.backtrace.count ?? 0) > 10)
        #expect(try h.call("depth", .i32(10)) == [.i32(10)], "usable after exhaustion")
    }

    @Test(arguments: bothTiers) func tailCalls(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, Self.recursion)
        #expect(try h.call("even", .i64(1_000_000)) == [.i32(1)])
        #expect(try h.call("even", .i64(1_000_001)) == [.i32(0)])
        #expect(try h.call("swapped_tail", .i32(10), .i32(3)) == [.s32(-7)])
        #expect(try h.call("count", .i64(300_000)) == [.i64(600_000)])
        #expect(try h.call("multi", .i32(7)) == [.i64(56)])
    }

    @Test(arguments: bothTiers) func indirectCallErrors(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, Self.recursion)
        #expect(try h.call("indirect", .i32(0), .i32(10)) == [.i32(55)])
        #expect(try h.call("indirect", .i32(1), .i32(10)) == [.i32(10)])
        h.expectTrap(.indirectCallTypeMismatch, "indirect", .i32(2), .i32(1))
        h.expectTrap(.uninitializedElement, "indirect", .i32(3), .i32(1))
        h.expectTrap(.undefinedElement, "indirect", .i32(4), .i32(1))
        h.expectTrap(.undefinedElement, "indirect", .s32(-1), .i32(1))
    }

    @Test(arguments: bothTiers) func trapBacktraceNamesFunctionsAndOffsets(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, 
            """
            (module
              (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func $middle (param i32) (result i32) (i32.add (i32.const 1) (call $inner (local.get 0))))
              (func $outer (export "outer") (param i32) (result i32) (call $middle (local.get 0)))
            )
            """)
        let trap = try #require(h.expectTrap(.integerDivideByZero, "outer", .i32(0)))
        #expect(trap.backtrace.map(\.functionIndex) == [0, 1, 2])
        #expect(trap.backtrace.map(\.functionName) == ["inner", "middle", "outer"])
        let offsets = trap.backtrace.compactMap(\.moduleOffset)
        #expect(offsets.count == 3)
        #expect(offsets == offsets.sorted(), "functions are laid out in order")
        for frame in trap.backtrace {
            #expect(frame.functionOffset != nil && frame.functionOffset! > 0 && frame.functionOffset! < 16)
        }
    }

    @Test(arguments: bothTiers) func hostFunctionsAndReentrancy(_ tier: Tier) throws {
        let calls = Box(0)
        let h = try InterpreterHarness(tier: tier, 
            """
            (module
              (import "host" "add3" (func $add3 (param i32 i64 f64) (result f64)))
              (import "host" "recurse" (func $recurse (param i32) (result i32)))
              (import "host" "fail" (func $fail))
              (memory (export "mem") 1)
              (func (export "call_add3") (result f64)
                (call $add3 (i32.const 1) (i64.const 2) (f64.const 0.5)))
              ;; wasm -> host -> wasm -> host ... n levels, each adding 1.
              (func (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $recurse (i32.sub (local.get 0) (i32.const 1)))))))
              (func (export "fail_inside") (param i32) (result i32)
                (call $fail)
                (local.get 0))
              (func (export "tail_host") (param i32) (result i32) (return_call $recurse (local.get 0)))
            )
            """,
            link: { linker in
                linker.defineFunction(
                    module: "host", name: "add3", type: FuncType(params: [.i32, .i64, .f64], results: [.f64])
                ) { caller, args in
                    calls.value += 1
                    #expect(caller.memory != nil)
                    guard case .i32(let a) = args[0], case .i64(let b) = args[1], case .f64(let c) = args[2] else {
                        return [.f64(0)]
                    }
                    return [.double(Double(a) + Double(b) + Double(bitPattern: c))]
                }
                linker.defineFunction(module: "host", name: "recurse", type: FuncType(params: [.i32], results: [.i32])) {
                    caller, args in
                    let down = caller.instance!.function("down")!
                    return try down.call(args)
                }
                linker.defineFunction(module: "host", name: "fail", type: FuncType(params: [], results: [])) { _, _ in
                    throw ProcessExit(code: 7)
                }
            })
        #expect(try h.call("call_add3") == [.double(3.5)])
        #expect(calls.value == 1)
        #expect(try h.call("down", .i32(50)) == [.i32(50)])
        #expect(try h.call("tail_host", .i32(5)) == [.i32(5)])
        #expect { try h.call("fail_inside", .i32(1)) } throws: { ($0 as? WasmoonError)?.exitCode == 7 }
        #expect(try h.call("down", .i32(3)) == [.i32(3)], "usable after a host error")
        // Too deep a host/wasm nesting traps instead of overflowing the native stack.
        h.expectTrap(.callStackExhausted, "down", .i32(100_000))
    }

    @Test(arguments: bothTiers) func crossInstanceCalls(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let provider = try linker.instantiate(
            try runtime.compile(
                wat: """
                    (module
                      (memory 1)
                      (global $counter (mut i32) (i32.const 0))
                      (table (export "table") 2 funcref)
                      (elem (i32.const 0) func $get $bump)
                      (func $get (export "get") (result i32) (i32.load (i32.const 0)))
                      (func $bump (export "bump") (result i32)
                        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
                        (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
                        (global.get $counter))
                    )
                    """))
        linker.define(instance: provider, as: "provider")
        let user = try linker.instantiate(
            try runtime.compile(
                wat: """
                    (module
                      (import "provider" "get" (func $get (result i32)))
                      (import "provider" "bump" (func $bump (result i32)))
                      (import "provider" "table" (table 2 funcref))
                      (memory 1)
                      (data (i32.const 0) "\\64")
                      (type $v_i (func (result i32)))
                      (func (export "run") (result i32)
                        (drop (call $bump))
                        (drop (call_indirect (type $v_i) (i32.const 1)))
                        ;; our own memory still reads 100 after the callee touched its memory
                        (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 1000))
                                 (call_indirect (type $v_i) (i32.const 0))))
                      (func (export "tail") (result i32) (return_call $get))
                    )
                    """))
        #expect(try user.function("run")!.call([]) == [.i32(100_002)])
        #expect(try user.function("tail")!.call([]) == [.i32(2)])
        #expect(try provider.function("bump")!.call([]) == [.i32(3)])
    }

    @Test(arguments: bothTiers) func concurrentInvocations(_ tier: Tier) async throws {
        let runtime = try Runtime(tier: tier)
        let module = try runtime.compile(wat: Self.recursion)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 0..<8 {
                group.addTask {
                    let store = Store(engine: runtime.engine)
                    let instance = try Linker(store: store).instantiate(module)
                    let fib = instance.function("fib")!
                    let depth = instance.function("depth")!
                    for _ in 0..<20 {
                        guard try fib.call([.i32(15)]) == [.i32(610)] else { return false }
                        guard try depth.call([.i32(UInt32(1000 + n))]) == [.i32(UInt32(1000 + n))] else { return false }
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
