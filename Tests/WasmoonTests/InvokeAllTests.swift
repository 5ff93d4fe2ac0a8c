import Foundation
import Testing
import WasmoonCommands
import Wasmoon

/// `wasmoon run --invoke-all`, `--memory-hash` and `--wasi-deterministic` through the
/// command line, on both tiers.
@Suite("run --invoke-all, --memory-hash, --wasi-deterministic")
struct InvokeAllTests {
    static let tiers: [[String]] = [["--no-jit"], []]

    static let module = #"""
        (module
          (memory (export "mem") 1 2)
          (global $g (export "counter") (mut i32) (i32.const 0))
          (global (export "pi") f64 (f64.const 3.5))
          (global (export "nothing") funcref (ref.null func))
          (func $bump (export "bump") (result i32)
            (global.set $g (i32.add (global.get $g) (i32.const 1)))
            (global.get $g))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "store") (i32.store (i32.const 0) (i32.const 0x01020304)))
          (func (export "oob") (i32.store (i32.const 65536) (i32.const 1)))
          (func (export "pair") (param f32 i64) (result f32 i64 funcref) (local.get 0) (local.get 1) (ref.func $bump))
          (func (export "nan") (result f32) (f32.const -nan:0x200000))
          (func (export "bump again") (result i32) (call $bump))
          (func (export "a:b\n") (result i32) (i32.const 7)))
        """#

    /// One memory page with 04 03 02 01 at offset 0, the rest zero.
    static var storedPageHash: String {
        var page = [UInt8](repeating: 0, count: 65536)
        page[0...3] = [4, 3, 2, 1]
        return SHA256.hex(SHA256.hash(page))
    }

    @Test(arguments: tiers)
    func everyExportInOrderTrapsDoNotStopTheSequence(_ tier: [String]) throws {
        let path = try CLI.temporaryFile(Self.module)
        let r = try CLI.run(["run"] + tier + ["--invoke-all", path])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = """
            call bump: ok 1
            call div: trap integer divide by zero
            call store: ok
            call oob: trap out of bounds memory access
            call pair: ok 0 0 func:0
            call nan: ok -nan:0x200000
            call bump again: ok 2
            call a\\u{3a}b\\u{a}: ok 7
            global counter: 2
            global pi: 3.5
            global nothing: null
            memory mem: 1 pages sha256 \(Self.storedPageHash)
            """
        #expect(r.stdout.split(separator: "\n", omittingEmptySubsequences: false) == (expected + "\n").split(separator: "\n", omittingEmptySubsequences: false))
    }

    @Test(arguments: tiers)
    func memoryHashAfterReturnAndAfterTrap(_ tier: [String]) throws {
        let path = try CLI.temporaryFile(Self.module)
        let ok = try CLI.run(["run"] + tier + ["--memory-hash", "--invoke", "store", path])
        #expect(ok.status == 0)
        #expect(ok.stderr == "memory-hash 0: 1 pages sha256 \(Self.storedPageHash)\n")
        let trap = try CLI.run(["run"] + tier + ["--memory-hash", "--invoke", "oob", path])
        #expect(trap.status == 134)
        #expect(trap.stderr.hasPrefix("error: wasm trap: out of bounds memory access\n"))
        #expect(trap.stderr.hasSuffix("memory-hash 0: 1 pages sha256 \(SHA256.hex(SHA256.hash([UInt8](repeating: 0, count: 65536))))\n"))
    }

    @Test func invokeAndInvokeAllExcludeEachOther() throws {
        let path = try CLI.temporaryFile(Self.module)
        let r = try CLI.run(["run", "--invoke-all", "--invoke", "bump", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("exclude each other"))
    }

    /// Reads realtime and monotonic clocks twice and 16 random bytes into memory, then exits.
    static let clockAndRandom = #"""
        (module
          (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
          (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 0)))
            (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 8)))
            (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 16)))
            (drop (call $random (i32.const 32) (i32.const 16))))
          (func (export "realtime0") (result i64) (i64.load (i32.const 0)))
          (func (export "monotonic") (result i64) (i64.load (i32.const 8)))
          (func (export "realtime1") (result i64) (i64.load (i32.const 16)))
          (func (export "random") (result i64 i64) (i64.load (i32.const 32)) (i64.load (i32.const 40))))
        """#

    @Test func deterministicClocksAndRandomAgreeAcrossRunsAndTiers() throws {
        let path = try CLI.temporaryFile(Self.clockAndRandom)
        var outputs: [String] = []
        for tier in Self.tiers {
            for _ in 0..<2 {
                let r = try CLI.run(["run"] + tier + ["--wasi-deterministic", "--invoke-all", path])
                #expect(r.status == 0, "\(r.stderr)")
                outputs.append(r.stdout)
            }
        }
        #expect(Set(outputs).count == 1, "\(outputs)")
        let lines = outputs[0].split(separator: "\n")
        // Three reads, 1 ms apart: realtime from 2020-01-01, monotonic from 0.
        #expect(lines[1] == "call realtime0: ok 1577836800001000000")
        #expect(lines[2] == "call monotonic: ok 2000000")
        #expect(lines[3] == "call realtime1: ok 1577836800003000000")
        #expect(lines[4].hasPrefix("call random: ok ") && lines[4] != "call random: ok 0 0")
        // Without the flag, the random bytes differ from run to run.
        let a = try CLI.run(["run", "--invoke-all", path]).stdout, b = try CLI.run(["run", "--invoke-all", path]).stdout
        #expect(a != b)
    }
}

/// `--trace-calls` on both tiers (`[]` is the JIT).
@Suite("run --trace-calls")
struct TraceCallsTests {
    static let module = #"""
        (module
          (type $t (func (param i64) (result i64)))
          (table 1 funcref) (elem (i32.const 0) $fac)
          (func $fac (export "fac") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
              (else (i64.mul (local.get 0) (call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0))))))
          (func $tail (export "tail") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.div_u (i32.const 1) (local.get 0)))
              (else (return_call $tail (i32.sub (local.get 0) (i32.const 1)))))))
        """#

    static let tiers: [[String]] = [["--no-jit"], []]

    @Test(arguments: tiers) func entriesAndExitsWithValuesIndirectCallsIncluded(tier: [String]) throws {
        let path = try CLI.temporaryFile(Self.module)
        let r = try CLI.run(["run"] + tier + ["--trace-calls", "--invoke", "fac", path, "2"])
        #expect(r.status == 0)
        #expect(r.stdout == "2\n")
        #expect(r.stderr == """
            call 0 'fac' (2)
              call 0 'fac' (1)
                call 0 'fac' (0)
                return 0 'fac' (1)
              return 0 'fac' (1)
            return 0 'fac' (2)

            """)
    }

    @Test(arguments: tiers) func tailCallsAndTheTrapSite(tier: [String]) throws {
        let path = try CLI.temporaryFile(Self.module)
        let r = try CLI.run(["run"] + tier + ["--trace-calls", "--invoke", "tail", path, "1"])
        #expect(r.status == 134)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count >= 5)
        guard lines.count >= 5 else { return }
        #expect(lines[0] == "call 1 'tail' (1)")
        #expect(lines[1] == "  call 1 'tail' (0)")
        #expect(lines[2].hasPrefix("  trap 1 'tail': integer divide by zero in wasm function 1 at 0x"))
        #expect(lines[3] == "trap 1 'tail': integer divide by zero (unwinding)")
        #expect(lines[4] == "error: wasm trap: integer divide by zero")
    }

    /// The two tiers' traces are the same, line for line (what smith-diff diffs to find
    /// the first divergent call), up to the trap report.
    @Test func bothTiersTraceTheSame() throws {
        let path = SharedData.repoRoot.appendingPathComponent("tests/regressions/trap-then-continue.wasm").path
        func trace(_ tier: [String]) throws -> [Substring] {
            let r = try CLI.run(["run"] + tier + ["--trace-calls", "--invoke-all", path])
            #expect(r.status == 0)
            return r.stderr.split(separator: "\n")
        }
        let interpreter = try trace(["--no-jit"]), jit = try trace([])
        #expect(interpreter.count > 2)
        #expect(interpreter == jit)
    }

    /// Tracing changes nothing the program computes.
    @Test(arguments: tiers) func resultsAreTheSameAsWithoutTracing(tier: [String]) throws {
        let path = SharedData.repoRoot.appendingPathComponent("tests/regressions/trap-then-continue.wasm").path
        let plain = try CLI.run(["run"] + tier + ["--invoke-all", path])
        let traced = try CLI.run(["run"] + tier + ["--trace-calls", "--invoke-all", path])
        #expect(plain.status == 0 && traced.status == 0)
        #expect(!plain.stdout.isEmpty)
        #expect(plain.stdout == traced.stdout)
        #expect(traced.stderr.contains("call "))
    }
}
