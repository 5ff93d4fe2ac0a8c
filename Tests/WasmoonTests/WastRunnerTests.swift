import Testing
import WasmoonWAST
import WAT
import Wasmoon

/// How the WAST runner counts (cli.md `test`): small scripts with known outcomes.
@Suite("WAST runner")
struct WastRunnerTests {
    func run(_ script: String) throws -> WastResult {
        WastRunner(engine: try Runtime(tier: .interpreter).engine).run(source: script, file: "inline.wast")
    }

    @Test func rejectionsPassAtAnyStageAndMessagesAreCompared() throws {
        let r = try run(
            """
            (assert_malformed (module quote "(func (result i32) (i32.const 0x))") "unknown operator")
            (assert_malformed (module binary "\\00asm" "\\02\\00\\00\\00") "unknown binary version")
            (assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
            (assert_invalid (module (func (result i32) (i64.const 1))) "something else")
            (assert_invalid (module (func (result i32) (i32.const 1))) "type mismatch")
            """)
        #expect(r.passed == 4)
        #expect(r.failed == 1)
        #expect(r.failures.map(\.line) == [5])
        #expect(r.messageDiffers == 1)
        #expect(r.messageDifferences.map(\.line) == [4])
    }

    /// Line numbers come from the parser's locations by their stored index (the fast path
    /// of `WastSource`); if a WAT release stored it differently, this fails instead of the
    /// spec run silently becoming slow again.
    @Test func directiveLocationsAreReadFast() throws {
        let text = "(module)\n\n(assert_return (invoke \"f\"))\n(module\n  (func))\n"
        var script = try parseWAST(text, features: TextFormat.features)
        var source = WastSource(text)
        var lines: [Int] = []
        while let (_, location) = script.nextDirectiveResult() {
            #expect(source.reflectedIndex(of: location) != nil)
            lines.append(source.line(of: location))
            #expect(lines.last == location.computeLineAndColumn().line)
        }
        #expect(lines == [1, 3, 4])
    }

    @Test func spectestHostAndGet() throws {
        let r = try run(
            """
            (module
              (import "spectest" "print_i32" (func (param i32)))
              (import "spectest" "global_i32" (global $gi i32))
              (import "spectest" "global_i64" (global $gl i64))
              (import "spectest" "global_f32" (global $gf f32))
              (import "spectest" "global_f64" (global $gd f64))
              (import "spectest" "table" (table 10 20 funcref))
              (import "spectest" "memory" (memory 1 2))
              (global (export "i") i32 (global.get $gi))
              (global (export "l") i64 (global.get $gl))
              (global (export "f") f32 (global.get $gf))
              (global (export "d") f64 (global.get $gd)))
            (assert_return (get "i") (i32.const 666))
            (assert_return (get "l") (i64.const 666))
            (assert_return (get "f") (f32.const 666.6))
            (assert_return (get "d") (f64.const 666.6))
            (assert_unlinkable (module (import "spectest" "table" (table 21 funcref))) "incompatible import type")
            (assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
            """)
        #expect(r.failed == 0, "\(r.failures)")
        #expect(r.passed == 6)
    }

    @Test func floatAndReferenceExpectations() throws {
        let r = try run(
            """
            (module
              (func $f)
              (elem declare func $f)
              (global (export "canonical") f32 (f32.const nan))
              (global (export "arithmetic") f64 (f64.const -nan:0xc000000000000))
              (global (export "payload") f32 (f32.const nan:0x1))
              (global (export "null") funcref (ref.null func))
              (global (export "func") funcref (ref.func $f))
              (global (export "nullext") externref (ref.null extern)))
            (assert_return (get "canonical") (f32.const nan:canonical))
            (assert_return (get "canonical") (f32.const nan:arithmetic))
            (assert_return (get "arithmetic") (f64.const nan:arithmetic))
            (assert_return (get "payload") (f32.const nan:0x1))
            (assert_return (get "null") (ref.null func))
            (assert_return (get "func") (ref.func))
            (assert_return (get "nullext") (ref.null extern))
            (assert_return (get "arithmetic") (f64.const nan:canonical))
            (assert_return (get "payload") (f32.const nan:arithmetic))
            (assert_return (get "null") (ref.null extern))
            (assert_return (get "func") (ref.null func))
            """)
        #expect(r.passed == 7, "\(r.failures)")
        #expect(r.failures.map(\.line) == [17, 18, 19, 20])
    }

    @Test func namedModulesAndRegister() throws {
        let r = try run(
            """
            (module $M (global (export "x") i32 (i32.const 7)))
            (register "m" $M)
            (module $N (import "m" "x" (global i32)) (global (export "y") i32 (global.get 0)))
            (assert_return (get "y") (i32.const 7))
            (assert_return (get $M "x") (i32.const 7))
            (assert_return (get $N "y") (i32.const 7))
            """)
        #expect(r.failed == 0, "\(r.failures)")
        #expect(r.passed == 3)
    }

    @Test func failuresDoNotStopTheScript() throws {
        let r = try run(
            """
            (module (global (export "g") i32 (i32.const 1)))
            (assert_bogus (invoke "g"))
            (assert_return (get "g") (i32.const 1))
            (module binary "\\00asm" "\\01\\00\\00\\00" "\\01\\05")
            (assert_return (get "g") (i32.const 1))
            (module (global (export "g") i32 (i32.const 2)))
            (assert_return (get "g") (i32.const 2))
            """)
        // The unparsable directive and the malformed module are failures; after the
        // failed module, unnamed actions have no module (rather than the previous one).
        #expect(r.failures.map(\.line) == [2, 4, 5])
        #expect(r.passed == 2)
    }

    @Test func invokeAssertions() throws {
        let r = try run(
            """
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func $loop (export "loop") (call $loop)))
            (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero 3")
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
            (assert_exhaustion (invoke "loop") "call stack exhausted")
            (assert_trap (module (func $s unreachable) (start $s)) "unreachable")
            (invoke "add" (i32.const 1) (i32.const 1))
            (assert_trap (invoke "add" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_return (invoke "div" (i32.const 1) (i32.const 0)) (i32.const 0))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero x")
            """)
        // Line 6: the reference interpreter's extra detail ("… 3") is accepted; line 14's is not a number.
        #expect(r.passed == 6, "\(r.failures)")
        #expect(r.failures.map(\.line) == [12, 13, 14])
    }

    @Test func assertUninstantiable() throws {
        let r = try run(
            """
            (assert_uninstantiable
              (module (func $s unreachable) (start $s)) ;; a comment with a ( in it
              "unreachable")
            (assert_uninstantiable (module (memory 1) (func $s) (start $s) (data (i32.const 0) "(;\\")")) (; ( ;) "unreachable")
            (module (global (export "g") i32 (i32.const 5)))
            (assert_return (get "g") (i32.const 5))
            """)
        // Line 4 instantiates without trapping: a failure, and the script goes on.
        #expect(r.passed == 2, "\(r.failures)")
        #expect(r.failures.map(\.line) == [4])
    }

    /// `WastSource.line(of:)` counts forward from the last query; it must give WAT's own
    /// (whole-prefix) line for every directive, in order, out of order, after non-ASCII text.
    @Test func sourceLinesMatchTheTextParser() throws {
        let text = """
            ;; comment é ü 🦭
            (module (func (export "f") (result i32) (i32.const 1)))

            (assert_return (invoke "f") (i32.const 1)) (assert_return (invoke "f") (i32.const 1))
            (;  block
               comment ;) (assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
            (assert_bogus (invoke "f"))
            \t(assert_return (invoke "f")
              (i32.const 1))
            """
        var wast = try parseWAST(text)
        var locations: [Location] = []
        while let (_, location) = wast.nextDirectiveResult() { locations.append(location) }
        #expect(locations.count == 6)
        var source = WastSource(text)
        let expected = locations.map { $0.computeLineAndColumn().line }
        #expect(locations.map { source.line(of: $0) } == expected)
        #expect(locations.reversed().map { source.line(of: $0) } == expected.reversed())
        #expect(expected == [2, 4, 4, 6, 7, 8])
    }
}
