import Foundation
import Testing
import Wasmoon

/// The `wasmoon` command line as a user sees it (cli.md): outputs, messages and exit
/// statuses of the built executable, run as a subprocess.
@Suite("wasmoon command line")
struct CLITests {
    // MARK: run --invoke

    @Test func addExampleFromTheContract() throws {
        let r = try CLI.run(["run", "--invoke", "add", "examples/add.wat", "5", "-3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2\n")
        #expect(r.stderr == "")
    }

    @Test func noJITSelectsTheInterpreter() throws {
        let r = try CLI.run(["run", "--no-jit", "--invoke", "add", "examples/add.wat", "40", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "42\n")
    }

    /// A module of a proposal not implemented yet names it (exit 1), instead of being
    /// called malformed.
    @Test(arguments: [
        ("(module (memory 1 1 shared))", "unsupported feature: threads (shared memory)"),
        (#"(module (type (struct)))"#, "unsupported feature: GC (struct type)"),
    ])
    func unsupportedFeaturesAreNamed(_ text: String, _ message: String) throws {
        let path = try CLI.temporaryFile(text)
        for tier in [["--no-jit"], []] {
            let r = try CLI.run(["run"] + tier + [path])
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("error: \(message) in module '"), "\(r.stderr)")
        }
    }

    @Test func versionFollowsTheContract() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == "wasmoon \(Runtime.version)\n")
        #expect(r.stdout.split(separator: " ").last?.split(separator: ".").count == 3)
    }

    @Test func factorialExample() throws {
        let r = try CLI.run(["run", "--invoke", "fac", "examples/fac.wat", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2432902008176640000\n")
        let zero = try CLI.run(["run", "--invoke", "fac", "examples/fac.wat", "0"])
        #expect(zero.stdout == "1\n")
    }

    /// Arguments that look like options after MODULE are the function's, not ours.
    @Test(arguments: [false, true]) func timingsLineEndsStderr(noJIT: Bool) throws {
        let r = try CLI.run(["run"] + (noJIT ? ["--no-jit"] : []) + ["--timings", "--invoke", "fac", "examples/fac.wat", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "120\n")
        let pattern = #/^wasmoon: compile \d+\.\d{4}s instantiate \d+\.\d{4}s run \d+\.\d{4}s \(CPU\)\n$/#
        #expect(r.stderr.wholeMatch(of: pattern) != nil, "\(r.stderr)")
        // A trap still reports the phases it reached, after the backtrace.
        let trap = try CLI.run(["run", "--timings", "--invoke", "average", "examples/trap.wat", "1", "0"])
        #expect(trap.status == 134)
        #expect(trap.stderr.hasPrefix("error: wasm trap: integer divide by zero\n"))
        #expect(trap.stderr.hasSuffix(" (CPU)\n") && trap.stderr.contains("wasmoon: compile "), "\(trap.stderr)")
    }

    @Test func jitStatsNameEveryFunction() throws {
        let r = try CLI.run(["run", "--jit-stats", "--invoke", "average", "examples/trap.wat", "6", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2\n")
        #expect(r.stderr.contains("divide") && r.stderr.contains("average"), "\(r.stderr)")
        // The optimizing tier also says where its compile time went, phase by phase.
        let optimized = try CLI.run(["run", "--jit-tier", "optimized", "--compile", "eager", "--jit-stats", "--invoke",
                                     "average", "examples/trap.wat", "6", "3"])
        #expect(optimized.status == 0 && optimized.stdout == "2\n", "\(optimized.stderr)")
        let phases = optimized.stderr.split(separator: "\n").first { $0.hasPrefix("jit-stats: optimizing tier phases:") }
        for phase in ["build", "inlining", "simplify", "liveness", "allocation", "emission"] {
            #expect(phases?.contains(" \(phase) ") == true, "\(optimized.stderr)")
        }
    }

    @Test func argumentsAfterModuleArePassedThrough() throws {
        let negative = try CLI.run(["run", "--invoke", "add", "examples/add.wat", "-3", "-4"])
        #expect(negative.status == 0, "\(negative.stderr)")
        #expect(negative.stdout == "-7\n")

        // `--foo` reaches the argument parser of `add` (status 1), not ours (status 2).
        let flag = try CLI.run(["run", "--invoke", "add", "examples/add.wat", "--foo", "1"])
        #expect(flag.status == 1)
        #expect(flag.stderr.contains("'--foo'"))

        // Without --invoke they are the guest's arguments: this module ignores them.
        let guest = try CLI.run(["run", "examples/add.wat", "--foo", "-x", "-3", "--help"])
        #expect(guest.status == 0, "\(guest.stderr)")
        #expect(guest.stdout == "")
    }

    @Test func resultFormatting() throws {
        let path = try CLI.temporaryFile(
            """
            (module
              (func $f (export "ints") (result i32 i64 i32) (i32.const -1) (i64.const -9223372036854775808) (i32.const 0x7fffffff))
              (func (export "floats") (result f32 f64 f32 f64 f64)
                (f32.const 1.5) (f64.const -0) (f32.const 0.1) (f64.const 1e300) (f64.const 2))
              (func (export "specials") (result f32 f32 f64 f64 f32 f64)
                (f32.const inf) (f32.const -inf) (f64.const nan) (f64.const -nan)
                (f32.const nan:0x1) (f64.const -nan:0x4000000000000))
              (func (export "refs") (result funcref funcref externref) (ref.null func) (ref.func $f) (ref.null extern))
              (func (export "echo") (param externref) (result externref) (local.get 0))
              (elem declare func $f))
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ints = try CLI.run(["run", "--invoke", "ints", path])
        #expect(ints.status == 0, "\(ints.stderr)")
        #expect(ints.stdout == "-1\n-9223372036854775808\n2147483647\n")
        let floats = try CLI.run(["run", "--invoke", "floats", path])
        #expect(floats.stdout == "1.5\n-0\n0.1\n1e+300\n2\n")
        let specials = try CLI.run(["run", "--invoke", "specials", path])
        #expect(specials.stdout == "inf\n-inf\nnan\n-nan\nnan:0x1\n-nan:0x4000000000000\n")
        let refs = try CLI.run(["run", "--invoke", "refs", path])
        #expect(refs.stdout == "null\nfunc:0\nnull\n")
        let echo = try CLI.run(["run", "--invoke", "echo", path, "7"])
        #expect(echo.stdout == "extern\n")
        let echoNull = try CLI.run(["run", "--invoke", "echo", path, "null"])
        #expect(echoNull.stdout == "null\n")
    }

    @Test func argumentParsingByParameterType() throws {
        let path = try CLI.temporaryFile(
            """
            (module
              (func (export "i32") (param i32) (result i32) (local.get 0))
              (func (export "i64") (param i64) (result i64) (local.get 0))
              (func (export "f32") (param f32) (result f32) (local.get 0))
              (func (export "f64") (param f64) (result f64) (local.get 0)))
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        func invoke(_ name: String, _ arg: String) throws -> CLI.Output {
            try CLI.run(["run", "--invoke", name, path, arg])
        }
        #expect(try invoke("i32", "4294967295").stdout == "-1\n")
        #expect(try invoke("i32", "0x10").stdout == "16\n")
        #expect(try invoke("i32", "-2147483648").stdout == "-2147483648\n")
        #expect(try invoke("i64", "18446744073709551615").stdout == "-1\n")
        #expect(try invoke("f32", "inf").stdout == "inf\n")
        #expect(try invoke("f32", "nan:0x200000").stdout == "nan:0x200000\n")
        #expect(try invoke("f64", "-0x1p-1").stdout == "-0.5\n")
        #expect(try invoke("f64", "1e-7").stdout == "1e-07\n")

        let tooBig = try invoke("i32", "4294967296")
        #expect(tooBig.status == 1)
        #expect(tooBig.stderr.hasPrefix("error: "))
        let notANumber = try invoke("f64", "one")
        #expect(notANumber.status == 1)
    }

    @Test func textIsRecognisedWhateverTheName() throws {
        let path = try CLI.temporaryFile(";; no .wat suffix\n(module (func (export \"seven\") (result i32) (i32.const 7)))", ext: "txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLI.run(["run", "--invoke", "seven", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "7\n")
    }

    // MARK: traps

    @Test func trapExitsWith134AndPrintsABacktrace() throws {
        let r = try CLI.run(["run", "--invoke", "average", "examples/trap.wat", "10", "0"])
        #expect(r.status == 134)
        #expect(r.stdout == "")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: wasm trap: integer divide by zero")
        let frames = lines.filter { $0.contains("wasm function ") }
        #expect(frames.count == 2, "\(r.stderr)")
        // `wasm function N 'NAME' at 0xMODULE_OFFSET (+0xFUNCTION_OFFSET)`, innermost first.
        let pattern = #/wasm function (\d+) '(\w+)' at 0x[0-9a-f]+ \(\+0x[0-9a-f]+\)$/#
        if frames.count == 2 {
            let inner = try #require(frames[0].firstMatch(of: pattern))
            #expect(inner.1 == "0")
            #expect(inner.2 == "divide")
            let outer = try #require(frames[1].firstMatch(of: pattern))
            #expect(outer.1 == "1")
            #expect(outer.2 == "average")
        }
    }

    @Test func runWithoutStartInstantiates() throws {
        // The start function runs (and traps) although nothing is invoked.
        let r = try CLI.run(["run", "examples/start.wat"])
        #expect(r.status == 134)
        #expect(r.stderr.hasPrefix("error: wasm trap: unreachable\n"))
    }

    @Test func runCallsStart() throws {
        let trapping = try CLI.temporaryFile(#"(module (func (export "_start") unreachable))"#)
        defer { try? FileManager.default.removeItem(atPath: trapping) }
        let r = try CLI.run(["run", trapping, "arg"])
        #expect(r.status == 134)
        #expect(r.stderr.hasPrefix("error: wasm trap: unreachable"))

        let returning = try CLI.temporaryFile(#"(module (func (export "_start")))"#)
        defer { try? FileManager.default.removeItem(atPath: returning) }
        let ok = try CLI.run(["run", returning])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "" && ok.stderr == "")
    }

    // MARK: errors (status 1)

    @Test func missingFile() throws {
        let r = try CLI.run(["run", "--invoke", "add", "examples/no-such-file.wasm", "1", "2"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: cannot read 'examples/no-such-file.wasm': No such file or directory\n")
    }

    @Test func malformedModuleNamesTheOffset() throws {
        // A type section claiming 5 bytes that are not there.
        let path = try CLI.temporaryFile(Data([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05]), ext: "wasm")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLI.run(["run", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: malformed module"))
        #expect(r.stderr.contains("offset 0x"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func invalidModule() throws {
        let path = try CLI.temporaryFile(#"(module (func (export "f") (result i32) (i64.const 1)))"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLI.run(["run", "--invoke", "f", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: invalid module"))
        #expect(r.stderr.contains("type mismatch"))
    }

    @Test func watErrorNamesLineAndColumn() throws {
        let path = try CLI.temporaryFile("(module\n  (func (export \"f\")\n    i32.konst 1))\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLI.run(["run", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: \(path):3:"), "\(r.stderr)")
        #expect(r.stderr.contains("i32.konst"))
    }

    @Test func unknownExport() throws {
        let r = try CLI.run(["run", "--invoke", "sub", "examples/add.wat", "1", "2"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: unknown export"))
        #expect(r.stderr.contains("'sub'"))
    }

    @Test func wrongArgumentCountOrType() throws {
        let count = try CLI.run(["run", "--invoke", "add", "examples/add.wat", "1"])
        #expect(count.status == 1)
        #expect(count.stderr.contains("expects 2 argument(s)"))
        let type = try CLI.run(["run", "--invoke", "add", "examples/add.wat", "1", "2.5"])
        #expect(type.status == 1)
        #expect(type.stderr.contains("'2.5' is not a valid i32"))
    }

    @Test func unknownImportIsALinkError() throws {
        let path = try CLI.temporaryFile(
            #"(module (import "env" "missing" (func (param i32))) (func (export "_start")))"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLI.run(["run", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: link error: unknown import: env::missing"))
    }

    @Test func wasiProcExitCodeIsTheExitStatus() throws {
        let path = try CLI.temporaryFile(
            #"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32))) (func (export "_start") (call $exit (i32.const 7))))"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for tier in [["--no-jit"], []] {
            let r = try CLI.run(["run"] + tier + [path])
            #expect(r.status == 7)
            #expect(r.stderr == "")
        }
    }

    @Test func anUnknownWASIFunctionIsAClearLinkError() throws {
        let unknown = try CLI.temporaryFile(
            #"(module (import "wasi_snapshot_preview1" "no_such_call" (func (param i32))) (func (export "_start")))"#)
        defer { try? FileManager.default.removeItem(atPath: unknown) }
        let r = try CLI.run(["run", unknown])
        #expect(r.status == 1)
        #expect(r.stderr == "error: link error: unknown import: wasi_snapshot_preview1::no_such_call (not a WASI preview1 function)\n")
    }

    // MARK: usage errors (status 2)

    @Test func usageErrors() throws {
        for args in [["run", "--bogus", "examples/add.wat"], ["run"], ["frobnicate"], ["wat2wasm", "examples/add.wat"]] {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("Usage:"), "\(args): \(r.stderr)")
        }
    }

    @Test func helpIsNotAnError() throws {
        let r = try CLI.run(["run", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("wasmoon run"))
    }

    // MARK: validate, wat2wasm, test

    @Test func validateCommand() throws {
        let ok = try CLI.run(["validate", "examples/fac.wat"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "" && ok.stderr == "")
        let bad = try CLI.temporaryFile(#"(module (func (result i32)))"#)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let r = try CLI.run(["validate", bad])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: invalid module"))
    }

    @Test func wat2wasmThenRunTheBinary() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-add-\(UUID().uuidString).wasm").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let convert = try CLI.run(["wat2wasm", "examples/add.wat", "-o", out])
        #expect(convert.status == 0, "\(convert.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(bytes.starts(with: [0x00, 0x61, 0x73, 0x6D]))
        let r = try CLI.run(["run", "--invoke", "add", out, "5", "-3"])
        #expect(r.stdout == "2\n")
    }

    @Test func testCommandCountsAndExitStatus() throws {
        let passing = try CLI.temporaryFile(
            """
            (module (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 1))
            (assert_malformed (module quote "(func (result i32) (i32.const 0x))") "unknown operator")
            """, ext: "wast")
        let failing = try CLI.temporaryFile(
            """
            (module (func (export "one") (result i32) (i32.const 1)))
            (assert_return (invoke "one") (i32.const 2))
            (assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
            """, ext: "wast")
        defer {
            try? FileManager.default.removeItem(atPath: passing)
            try? FileManager.default.removeItem(atPath: failing)
        }
        let ok = try CLI.run(["test", "--no-jit", passing])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout == "PASS \(passing) (2)\n2 passed, 0 failed\n")

        let bad = try CLI.run(["test", passing, failing])
        #expect(bad.status == 1)
        let lines = bad.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "PASS \(passing) (2)")
        #expect(lines.contains("FAIL \(failing) (1 passed, 1 failed)"))
        #expect(lines.contains { $0.hasPrefix("  line 2: assert_return \"one\": expected (i32:2), got (i32:1)") })
        #expect(lines.last == "3 passed, 1 failed")
    }
}
