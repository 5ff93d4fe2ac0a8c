import Foundation
import Testing
import Wasmoon
import WasmRuntime

/// What the JIT's unwinder must restore when an exception crosses its frames: the pinned
/// GPR locals of the catching frame (rbx, r12, r11, r10, each saved by whichever frames in
/// between pinned it, or left live), its pinned XMM locals, its instance and memory base
/// (another instance's code threw), operand slots below the handler, a payload with a v128,
/// catches to a loop label and in the throwing frame itself, `--trace-calls`. Every case runs
/// on both tiers, lazily and eagerly, and checks values computed here independently.
@Suite("Exception unwinding")
struct ExceptionUnwindingTests {
    static let registers = """
        (module
          (import "host" "throw" (func $host_throw (param i32)))
          (tag $e (export "e") (param i32 v128 f64))
          (tag $again (param i32))
          ;; Pins its own values in the registers, then throws.
          (func $leaf (param $n i32)
            (local $a i32) (local $b i64) (local $c i32) (local $d i64) (local $i i32)
            (loop $l
              (local.set $a (i32.add (local.get $a) (i32.const 1001)))
              (local.set $b (i64.add (local.get $b) (i64.const 2002)))
              (local.set $c (i32.add (local.get $c) (i32.const 3003)))
              (local.set $d (i64.add (local.get $d) (i64.const 4004)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
            (throw $e (i32.add (local.get $a) (local.get $n))
              (v128.const i64x2 0x1111222233334444 0x5555666677778888) (f64.const 2.5)))
          ;; Fewer pinned registers, and recursion: frames that saved different sets.
          (func $mid (param $depth i32) (param $n i32)
            (local $x i32) (local $y i32)
            (loop $l
              (local.set $x (i32.add (local.get $x) (i32.const 7)))
              (local.set $y (i32.add (local.get $y) (local.get $x)))
              (br_if $l (i32.lt_u (local.get $x) (i32.const 70))))
            (if (local.get $depth)
              (then (call $mid (i32.sub (local.get $depth) (i32.const 1)) (local.get $n)))
              (else (if (local.get $n)
                (then (call $leaf (local.get $n)))
                (else (call $host_throw (i32.const 5)))))))
          ;; Four pinned GPR locals and two pinned XMM locals live across the throw, a value
          ;; on the operand stack below the handler; the result hashes all of them.
          (func (export "catch") (param $depth i32) (param $n i32) (result i64)
            (local $p i32) (local $q i64) (local $r i32) (local $s i64) (local $f f64) (local $v v128)
            (local $pi i32) (local $pv v128) (local $pf f64)
            (loop $l
              (local.set $p (i32.add (local.get $p) (i32.const 11)))
              (local.set $q (i64.add (local.get $q) (i64.const 22)))
              (local.set $r (i32.add (local.get $r) (i32.const 33)))
              (local.set $s (i64.add (local.get $s) (i64.const 44)))
              (local.set $f (f64.add (local.get $f) (f64.const 0.5)))
              (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
              (br_if $l (i32.lt_u (local.get $p) (i32.const 22))))
            (i64.const 1000000)
            (block $h (result i32 v128 f64)
              (try_table (catch $e $h)
                (call $mid (local.get $depth) (local.get $n)))
              (return (i64.const -1)))
            (local.set $pf) (local.set $pv) (local.set $pi)
            (i64.add (i64.extend_i32_u (local.get $pi)))
            (i64.add (i64x2.extract_lane 0 (local.get $pv)))
            (i64.mul (i64.const 31))
            (i64.add (i64x2.extract_lane 1 (local.get $pv)))
            (i64.mul (i64.const 31))
            (i64.add (i64.trunc_f64_s (f64.mul (local.get $pf) (f64.const 1000))))
            (i64.mul (i64.const 31))
            (i64.add (i64.extend_i32_u (local.get $p)))
            (i64.mul (i64.const 31))
            (i64.add (local.get $q))
            (i64.mul (i64.const 31))
            (i64.add (i64.extend_i32_u (local.get $r)))
            (i64.mul (i64.const 31))
            (i64.add (local.get $s))
            (i64.mul (i64.const 31))
            (i64.add (i64.trunc_f64_s (f64.mul (local.get $f) (f64.const 1000))))
            (i64.mul (i64.const 31))
            (i64.add (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v)))))
          ;; Throws and catches in the same frame, to a loop label, three times; the pinned
          ;; locals and the operand below the loop survive each landing.
          (func (export "retry") (result i32)
            (local $count i32) (local $sum i32) (local $attempt i32)
            (loop $warm
              (local.set $count (i32.add (local.get $count) (i32.const 1)))
              (local.set $sum (i32.add (local.get $sum) (local.get $count)))
              (br_if $warm (i32.lt_u (local.get $count) (i32.const 4))))
            (i32.const 500)
            (i32.const 0)
            (loop $retry (param i32) (result i32)
              (local.set $attempt)
              (local.set $sum (i32.add (local.get $sum) (i32.const 100)))
              (if (i32.lt_u (local.get $attempt) (i32.const 3))
                (then
                  (try_table (catch $again $retry)
                    (throw $again (i32.add (local.get $attempt) (i32.const 1))))))
              (local.get $attempt))
            (i32.add)
            (i32.add (local.get $sum))
            (i32.add (i32.mul (local.get $count) (i32.const 1000)))))
        """

    static func hash(_ payload: Int64, _ lane0: UInt64, _ lane1: UInt64, _ floatPayload: Double) -> Int64 {
        var h: Int64 = 1_000_000
        h &+= payload
        h &+= Int64(bitPattern: lane0)
        h = h &* 31 &+ Int64(bitPattern: lane1)
        h = h &* 31 &+ Int64(floatPayload * 1000)
        h = h &* 31 &+ 22  // p
        h = h &* 31 &+ 44  // q
        h = h &* 31 &+ 66  // r
        h = h &* 31 &+ 88  // s
        h = h &* 31 &+ 1000  // f = 1.0
        return h &* 31 &+ 8  // lane 3 of v = (2, 4, 6, 8)
    }

    static let thrower = """
        (module
          (tag $t (export "t") (param i64))
          (memory 1)
          (data (i32.const 0) "\\07")
          (global $ga (mut i32) (i32.const 1))
          (func (export "thrower") (param i32)
            (global.set $ga (i32.load8_u (i32.const 0)))
            (throw $t (i64.extend_i32_u (i32.add (local.get 0) (global.get $ga))))))
        """

    /// Catches what another instance (its own memory and globals) threw: the landing must
    /// bring back this instance's context and memory base.
    static let catcher = """
        (module
          (import "a" "t" (tag $t (param i64)))
          (import "a" "thrower" (func $thrower (param i32)))
          (memory 1)
          (data (i32.const 0) "\\2a")
          (global $gb (mut i32) (i32.const 100))
          (func (export "catch_other") (result i64)
            (block $h (result i64)
              (try_table (catch $t $h) (call $thrower (i32.const 5)))
              (unreachable))
            (i64.mul (i64.const 1000))
            (i64.add (i64.extend_i32_u (i32.load8_u (i32.const 0))))
            (i64.add (i64.extend_i32_u (global.get $gb)))))
        """

    static let configurations = everyTierAndMode

    @Test(arguments: configurations)
    func registersAndPayloadAfterALanding(_ configuration: (Tier, CompileMode)) throws {
        let runtime = try Runtime(tier: configuration.0, compile: configuration.1)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let tagBox = Box<WasmRuntime.Tag?>(nil)
        linker.defineFunction(module: "host", name: "throw", type: FuncType(params: [.i32], results: [])) { _, _ in
            throw WasmException(tag: tagBox.value!, values: [.i32(777), .v128(V128(low: 9, high: 10)), .f64((-1.25).bitPattern)])
        }
        let instance = try linker.instantiate(try runtime.compile(wat: Self.registers))
        guard case .tag(let tag)? = instance.export("e") else {
            Issue.record("no exported tag")
            return
        }
        tagBox.value = tag
        let catcher = instance.function("catch")!
        for depth in [0, 1, 5, 40] {
            for n in [1, 17] {
                let expected = Self.hash(Int64(3003 + n), 0x1111_2222_3333_4444, 0x5555_6666_7777_8888, 2.5)
                #expect(try catcher.call([.i32(UInt32(depth)), .i32(UInt32(n))]) == [.s64(expected)],
                        "depth \(depth), n \(n)")
            }
            // n = 0: the host function throws.
            #expect(try catcher.call([.i32(UInt32(depth)), .i32(0)]) == [.s64(Self.hash(777, 9, 10, -1.25))])
        }
        #expect(try instance.function("retry")!.call([]) == [.i32(4913)])
    }

    @Test(arguments: configurations)
    func catchingWhatAnotherInstanceThrew(_ configuration: (Tier, CompileMode)) throws {
        let runtime = try Runtime(tier: configuration.0, compile: configuration.1)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let a = try linker.instantiate(try runtime.compile(wat: Self.thrower))
        linker.define(instance: a, as: "a")
        let b = try linker.instantiate(try runtime.compile(wat: Self.catcher))
        #expect(try b.function("catch_other")!.call([]) == [.i64(12 * 1000 + 42 + 100)])
    }

    /// `--trace-calls`: the frames an exception leaves are dropped from the trace on both
    /// tiers alike, and the run goes on.
    @Test func tracedCalls() throws {
        let path = try CLI.temporaryFile(Self.registers.replacingOccurrences(
            of: #"(import "host" "throw" (func $host_throw (param i32)))"#,
            with: #"(func $host_throw (param i32) (unreachable))"#))
        let interpreter = try CLI.run(["run", "--no-jit", "--trace-calls", "--invoke", "catch", path, "3", "2"])
        let jit = try CLI.run(["run", "--trace-calls", "--invoke", "catch", path, "3", "2"])
        #expect(interpreter.status == 0, "\(interpreter.stderr)")
        #expect(jit.status == 0, "\(jit.stderr)")
        #expect(jit.stdout == interpreter.stdout)
        #expect(jit.stderr == interpreter.stderr)
        #expect(jit.stdout.contains("\(Self.hash(3005, 0x1111_2222_3333_4444, 0x5555_6666_7777_8888, 2.5))"),
                "\(jit.stdout)")
    }
}
