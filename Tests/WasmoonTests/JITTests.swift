import Foundation
import Testing
import Wasmoon

/// The JIT tier specifically: every trap kind (explicit checks and signal-handler
/// traps), host errors through JIT frames, re-entrancy, deep recursion, float edges.
/// (The interpreter's unit suites and the spec gate also run on the JIT.)
@Suite("JIT")
struct JITTests {
    static let traps = """
        (module
          (type $ii (func (param i32) (result i32)))
          (type $v (func))
          (memory 1)
          (table 4 funcref)
          (elem (i32.const 0) $id $nop)
          (func $id (type $ii) (local.get 0))
          (func $nop (type $v))
          (func (export "unreachable") (unreachable))
          (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
          (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
          (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
          (func (export "trunc_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "load_off") (param i32) (result i32) (i32.load offset=0xFFFFFFFF (local.get 0)))
          (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 7) (local.get 1)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "table_get") (param i32) (result funcref) (table.get (local.get 0)))
          (func (export "call_ii") (param i32 i32) (result i32)
            (call_indirect (type $ii) (local.get 1) (local.get 0)))
          (func $rec (export "rec") (param i32) (result i32)
            (i32.add (i32.const 1) (call $rec (local.get 0))))
        )
        """

    @Test func everyTrapKind() throws {
        let h = try InterpreterHarness(tier: .jit, Self.traps)
        h.expectTrap(.unreachable, "unreachable")
        h.expectTrap(.integerDivideByZero, "div_s", .s32(1), .s32(0))
        h.expectTrap(.integerOverflow, "div_s", .s32(Int32.min), .s32(-1))
        #expect(try h.call("rem_s", .s32(Int32.min), .s32(-1)) == [.s32(0)])
        #expect(try h.call("div_s", .s32(7), .s32(-1)) == [.s32(-7)])
        h.expectTrap(.integerDivideByZero, "div_u64", .s64(1), .s64(0))
        h.expectTrap(.integerOverflow, "div_s64", .s64(Int64.min), .s64(-1))
        h.expectTrap(.invalidConversionToInteger, "trunc", .double(.nan))
        h.expectTrap(.integerOverflow, "trunc", .double(2147483648.0))
        #expect(try h.call("trunc", .double(-2147483648.9)) == [.s32(Int32.min)])
        h.expectTrap(.integerOverflow, "trunc", .double(-2147483649.0))
        h.expectTrap(.integerOverflow, "trunc_u64", .float(-1.0))
        #expect(try h.call("trunc_u64", .float(-0.9)) == [.i64(0)])
        #expect(try h.call("trunc_u64", .float(1.8446743e19)) == [.i64(18_446_742_974_197_923_840)])
        h.expectTrap(.outOfBoundsMemoryAccess, "load", .i32(65534))
        h.expectTrap(.outOfBoundsMemoryAccess, "load", .i32(0xFFFF_FFFF))
        h.expectTrap(.outOfBoundsMemoryAccess, "load_off", .i32(1))
        h.expectTrap(.outOfBoundsMemoryAccess, "store8", .i32(65536), .i32(1))
        h.expectTrap(.outOfBoundsMemoryAccess, "fill", .i32(65000), .i32(1000))
        h.expectTrap(.outOfBoundsTableAccess, "table_get", .i32(4))
        h.expectTrap(.undefinedElement, "call_ii", .i32(4), .i32(0))
        h.expectTrap(.uninitializedElement, "call_ii", .i32(2), .i32(0))
        h.expectTrap(.indirectCallTypeMismatch, "call_ii", .i32(1), .i32(0))
        #expect(try h.call("call_ii", .i32(0), .i32(42)) == [.i32(42)])
        let trap = h.expectTrap(.callStackExhausted, "rec", .i32(0))
        #expect((trap?.backtrace.count ?? 0) > 100)
        // Everything still works after the traps, and growth makes a trapping address valid.
        #expect(try h.call("grow", .i32(1)) == [.i32(1)])
        #expect(try h.call("load", .i32(65534)) == [.i32(0)])
        h.expectTrap(.outOfBoundsMemoryAccess, "load", .i32(131072))
    }

    @Test func manySignalTraps() throws {
        let h = try InterpreterHarness(tier: .jit, Self.traps)
        for i in 0..<500 {
            h.expectTrap(.outOfBoundsMemoryAccess, "load", .i32(UInt32(65536 + i)))
            #expect(try h.call("load", .i32(UInt32(i))) == [.i32(0)])
        }
    }

    struct Custom: Error, Equatable { var n: Int }

    @Test func hostErrorsAndReentrancy() throws {
        let depth = Box(0)
        var instance: Instance?
        let h = try InterpreterHarness(
            tier: .jit,
            """
            (module
              (import "env" "host" (func $host (param i32 i64 f64) (result i64 i32)))
              (import "env" "fail" (func $fail (param i32)))
              (import "env" "reenter" (func $reenter (param i32) (result i32)))
              (func (export "call_host") (result i64 i32)
                (call $host (i32.const 7) (i64.const -2) (f64.const 1.5)))
              (func (export "fail") (param i32) (call $fail (local.get 0)))
              (func (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.div_u (i32.const 1) (local.get 0)))
                  (else (i32.add (i32.const 1) (call $reenter (i32.sub (local.get 0) (i32.const 1))))))))
            """
        ) { linker in
            linker.defineFunction(
                module: "env", name: "host", type: FuncType(params: [.i32, .i64, .f64], results: [.i64, .i32])
            ) { _, args in
                guard case .i32(let a) = args[0], case .i64(let b) = args[1], case .f64(let c) = args[2] else { return [] }
                return [.i64(b &+ UInt64(a)), .i32(UInt32(Double(bitPattern: c) * 2))]
            }
            linker.defineFunction(module: "env", name: "fail", type: FuncType(params: [.i32], results: [])) { _, args in
                guard case .i32(let n) = args[0] else { return [] }
                if n == 0 { throw Trap(.unreachable) }
                if n == 1 { throw ProcessExit(code: 3) }
                throw Custom(n: Int(n))
            }
            linker.defineFunction(module: "env", name: "reenter", type: FuncType(params: [.i32], results: [.i32])) {
                caller, args in
                depth.value += 1
                #expect(caller.instance != nil)
                return try instance!.function("down")!.call(args)
            }
        }
        instance = h.instance
        #expect(try h.call("call_host") == [.i64(5), .i32(3)])
        h.expectTrap(.unreachable, "fail", .i32(0))
        #expect { try h.call("fail", .i32(1)) } throws: { ($0 as? WasmoonError)?.exitCode == 3 }
        #expect {
            try h.call("fail", .i32(9))
        } throws: { error in
            guard case .host(let thrown) = error as? WasmoonError else { return false }
            return thrown as? Custom == Custom(n: 9)
        }
        // wasm -> host -> wasm ... -> trap deep inside: the trap comes out unchanged.
        h.expectTrap(.integerDivideByZero, "down", .i32(20))
        #expect(depth.value == 20)
        // And the engine is still usable afterwards.
        #expect(try h.call("call_host") == [.i64(5), .i32(3)])
    }

    @Test func deepRecursionTrapsRepeatedly() throws {
        let h = try InterpreterHarness(
            tier: .jit,
            """
            (module
              (func $fac (export "fac") (param i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
                  (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
              (func $loop (export "loop") (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
                (call $loop (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                            (local.get 4) (local.get 5) (local.get 6) (local.get 7)))
              (func $count (export "count") (param i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                            (i64.add (local.get 1) (i64.const 1)))))))
            """)
        #expect(try h.call("fac", .i64(20)) == [.i64(2_432_902_008_176_640_000)])
        for _ in 0..<20 {
            h.expectTrap(.callStackExhausted, "fac", .s64(-1))
            h.expectTrap(.callStackExhausted, "loop", .i32(0), .i32(0), .i32(0), .i32(0), .i32(0), .i32(0), .i32(0), .i32(0))
        }
        // Tail calls run in constant stack.
        #expect(try h.call("count", .i64(3_000_000), .i64(0)) == [.i64(3_000_000)])
    }

    @Test func floatEdgeCases() throws {
        let h = try InterpreterHarness(
            tier: .jit,
            """
            (module
              (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
              (func (export "max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
              (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
              (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
              (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
              (func (export "u64_to_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
              (func (export "u64_to_f64") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
              (func (export "u32_to_f32") (param i32) (result f32) (f32.convert_i32_u (local.get 0)))
              (func (export "sat_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
              (func (export "sat_u64") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
              (func (export "lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
              (func (export "ne") (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1)))
              (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
            )
            """)
        #expect(try h.call("min", .float(0.0), .float(-0.0)) == [.float(-0.0)])
        #expect(try h.call("min", .float(-0.0), .float(0.0)) == [.float(-0.0)])
        #expect(try h.call("max", .double(-0.0), .double(0.0)) == [.double(0.0)])
        #expect(try h.call("min", .float(1), .float(2)) == [.float(1)])
        let nanMin = try h.call("min", .f32(0x7FA0_0000), .float(1))
        if case .f32(let bits) = nanMin[0] { #expect(Float(bitPattern: bits).isNaN && bits & 0x0040_0000 != 0) }
        let nanMax = try h.call("max", .double(1), .double(.nan))
        if case .f64(let bits) = nanMax[0] { #expect(Double(bitPattern: bits).isNaN) }
        #expect(try h.call("nearest", .double(2.5)) == [.double(2.0)])
        #expect(try h.call("nearest", .double(-3.5)) == [.double(-4.0)])
        #expect(try h.call("nearest", .double(-0.4)) == [.double(-0.0)])
        #expect(try h.call("neg", .f32(0x7FC0_0001)) == [.f32(0xFFC0_0001)])
        #expect(try h.call("copysign", .f64(0x7FF8_0000_0000_0001), .double(-1)) == [.f64(0xFFF8_0000_0000_0001)])
        #expect(try h.call("u64_to_f32", .i64(UInt64.max)) == [.float(1.8446744e19)])
        #expect(try h.call("u64_to_f32", .i64(0x8000_0080_0000_0001)) == [.float(Float(UInt64(0x8000_0080_0000_0001)))])
        #expect(try h.call("u64_to_f64", .i64(UInt64.max)) == [.double(18446744073709551615.0)])
        #expect(try h.call("u32_to_f32", .i32(UInt32.max)) == [.float(4294967296.0)])
        #expect(try h.call("sat_s", .float(.nan)) == [.i32(0)])
        #expect(try h.call("sat_s", .float(-1e10)) == [.s32(Int32.min)])
        #expect(try h.call("sat_s", .float(1e10)) == [.s32(Int32.max)])
        #expect(try h.call("sat_u64", .double(-5)) == [.i64(0)])
        #expect(try h.call("sat_u64", .double(1e30)) == [.i64(UInt64.max)])
        #expect(try h.call("sat_u64", .double(9223372036854775808.0)) == [.i64(1 << 63)])
        #expect(try h.call("lt", .double(.nan), .double(1)) == [.i32(0)])
        #expect(try h.call("ne", .float(.nan), .float(.nan)) == [.i32(1)])
        #expect(try h.call("demote", .double(1e300)) == [.float(.infinity)])
    }

    @Test func callsAcrossInstancesSwitchMemories() throws {
        let runtime = try Runtime(tier: .jit)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let a = try linker.instantiate(
            try runtime.compile(
                wat: """
                    (module
                      (memory (export "mem") 1)
                      (data (i32.const 0) "\\2a")
                      (table (export "tab") 1 funcref)
                      (elem (i32.const 0) $peek)
                      (func $peek (export "peek") (result i32) (i32.load8_u (i32.const 0))))
                    """))
        linker.define(instance: a, as: "a")
        let b = try linker.instantiate(
            try runtime.compile(
                wat: """
                    (module
                      (import "a" "peek" (func $peek (result i32)))
                      (import "a" "tab" (table 1 funcref))
                      (memory 1)
                      (data (i32.const 0) "\\07")
                      (func (export "both") (result i32)
                        (i32.add (i32.mul (call $peek) (i32.const 100))
                          (i32.add (i32.load8_u (i32.const 0))
                            (call_indirect (result i32) (i32.const 0)))))
                      (func (export "tail") (result i32) (return_call $peek)))
                    """))
        // 42*100 + 7 (our memory again after the call) + 42 through the table
        #expect(try b.function("both")!.call([]) == [.i32(4249)])
        #expect(try b.function("tail")!.call([]) == [.i32(42)])
    }

    @Test func compilesTheLibsodiumCorpus() throws {
        guard let dir = SharedData.path("corpus/libsodium") else { return }
        let runtime = try Runtime(tier: .jit)
        for name in ["aead_aegis128l.wasm", "auth.wasm"] {
            let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
            _ = try runtime.compile(bytes: bytes)
        }
    }
}
