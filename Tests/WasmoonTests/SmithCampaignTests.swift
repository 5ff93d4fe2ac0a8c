import Foundation
import Testing

/// A bounded, seeded differential campaign: `scripts/smith-diff run --count 300 --seed
/// 20261125` — wasm-smith modules run under both tiers and Wasmtime, which must agree on
/// every call, global and memory. Needs the Python packages of `tests/requirements.txt`
/// (`.ci/run` puts them on PATH); without them the test is skipped with a note, and under
/// `CI=true` it fails.
@Suite("wasm-smith campaign (scripts/smith-diff, both tiers against Wasmtime)")
struct SmithCampaignTests {
    static let count = 300
    static let seed = 20_261_125

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

    @Test func seededCampaignFindsNoMismatch() throws {
        guard try Self.toolsPresent() else {
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
        let (status, out, err) = try Self.run(
            ["python3", "scripts/smith-diff", "run", "--count", "\(Self.count)", "--seed", "\(Self.seed)", "--jobs", "2", "--quiet"],
            environment: ["WASMOON": wasmoon.path])
        let summary = out.split(separator: "\n").first { $0.contains(" modules, ") }.map(String.init) ?? ""
        #expect(status == 0, "smith-diff: \(out)\n\(err.suffix(4000))")
        // "300 modules, 0 mismatches, K skipped (...)"
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count >= 3, "no summary line in \(out)")
        guard numbers.count >= 3 else { return }
        #expect(numbers[0] == Self.count)
        #expect(numbers[1] == 0, "\(summary)\n\(err.suffix(4000))")
        // Most modules must really have been compared, not skipped.
        #expect(numbers[2] * 10 <= Self.count, "too many skipped: \(summary)")
    }
}
