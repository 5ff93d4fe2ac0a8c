import Foundation
import Testing

/// Bounded, seeded differential campaigns: wasm-smith modules run under Wasmoon and
/// Wasmtime, which must agree on every call, global and memory.
///
/// - `scripts/smith-diff run --count 300 --seed 20261125`: the base configuration
///   (`tests/smith-config.json`), both tiers.
/// - `scripts/smith-diff run --config simd --count 200 --seed 20261205`: SIMD and relaxed SIMD
///   (`tests/smith-config-simd.json`) against Wasmtime's deterministic relaxed SIMD.
/// - `scripts/smith-diff run --config exceptions --count 150 --seed 20261206`: exception
///   handling (`tests/smith-config-exceptions.json`), both tiers.
/// - `scripts/smith-diff run --config memory64 --count 150 --seed 20261207` and
///   `--config multi-memory --count 150 --seed 20261208`: 64-bit memories and tables, up to four
///   memories (both with extended constants), both tiers.
///
/// Needs the Python packages of `tests/requirements.txt` (`.ci/run` puts them on PATH);
/// without them the tests are skipped with a note, and under `CI=true` they fail.
@Suite("wasm-smith campaigns (scripts/smith-diff, against Wasmtime)")
struct SmithCampaignTests {
    static let count = 300
    static let seed = 20_261_125

    /// The SIMD campaign, both tiers. Measured with `--jobs 2` on 2 cores shared with Swift
    /// builds: these 200 modules take 31-47 s (about 34 s of CPU), 30-42 s on the
    /// interpreter alone; 0.15-0.2 s a module. The base campaign's 300 modules take 46 s
    /// on the same machine.
    static let simdCount = 200
    static let simdSeed = 20_261_205

    /// The exceptions campaign, both tiers. About a fifth of wasm-smith's modules export an
    /// `exnref` global or function, which Wasmtime's Python bindings cannot read (its C API
    /// aborts: "support for non-externref and non-funcref references is not implemented"):
    /// the oracle fails on those and they are skipped, so this campaign allows a third skipped.
    static let exceptionsCount = 150
    static let exceptionsSeed = 20_261_206

    /// The memory64 and multi-memory campaigns, both tiers (about a half of memory64's modules
    /// have a 64-bit memory or table, three quarters of multi-memory's two memories or more).
    static let memoryCount = 150
    static let memory64Seed = 20_261_207
    static let multiMemorySeed = 20_261_208

    /// Runs a program found on PATH in the repository root.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let r = try CLI.runProgram(URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: environment)
        return (r.status, r.stdout, r.stderr)
    }

    /// Are `wasmtime` (Python) and `wasm-tools` there for `python3`?
    static func toolsPresent() throws -> Bool {
        let probe = "import wasmtime, shutil, sys, os; sys.exit(0 if shutil.which('wasm-tools', path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', '')) else 1)"
        return try run(["python3", "-c", probe]).0 == 0
    }

    /// `scripts/smith-diff run` with these options; expects N modules, 0 mismatches and at
    /// most `maxSkippedPercent` of them skipped.
    static func campaign(count: Int, seed: Int, options: [String] = [], maxSkippedPercent: Int = 10) throws {
        guard try toolsPresent() else {
            if SharedData.isCI {
                Issue.record("python3 cannot import wasmtime or find wasm-tools under CI (tests/requirements.txt)")
            } else {
                print("note: skipping the smith-diff campaign: `pip install -r tests/requirements.txt` (wasmtime, wasm-tools) for python3")
            }
            return
        }
        guard let wasmoon = CLI.binary else {
            Issue.record("the wasmoon executable was not found next to the tests")
            return
        }
        let (status, out, err) = try run(
            ["python3", "scripts/smith-diff", "run"] + options
                + ["--count", "\(count)", "--seed", "\(seed)", "--jobs", "2", "--quiet"],
            environment: ["WASMOON": wasmoon.path])
        let summary = out.split(separator: "\n").first { $0.contains(" modules, ") }.map(String.init) ?? ""
        #expect(status == 0, "smith-diff: \(out)\n\(err.suffix(4000))")
        // "300 modules, 0 mismatches, K skipped (...)"
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count >= 3, "no summary line in \(out)")
        guard numbers.count >= 3 else { return }
        #expect(numbers[0] == count)
        #expect(numbers[1] == 0, "\(summary)\n\(err.suffix(4000))")
        // Most modules must really have been compared, not skipped.
        #expect(numbers[2] * 100 <= count * maxSkippedPercent, "too many skipped: \(summary)")
    }

    @Test func seededCampaignFindsNoMismatch() throws {
        try Self.campaign(count: Self.count, seed: Self.seed)
    }

    @Test func exceptionsCampaignFindsNoMismatch() throws {
        try Self.campaign(
            count: Self.exceptionsCount, seed: Self.exceptionsSeed,
            options: ["--config", "exceptions"], maxSkippedPercent: 33)
    }

    @Test func memory64CampaignFindsNoMismatch() throws {
        try Self.campaign(count: Self.memoryCount, seed: Self.memory64Seed, options: ["--config", "memory64"])
    }

    @Test func multiMemoryCampaignFindsNoMismatch() throws {
        try Self.campaign(count: Self.memoryCount, seed: Self.multiMemorySeed, options: ["--config", "multi-memory"])
    }

    @Test func simdCampaignFindsNoMismatch() throws {
        try Self.campaign(count: Self.simdCount, seed: Self.simdSeed, options: ["--config", "simd"])
    }
}
