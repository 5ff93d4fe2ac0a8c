import Foundation
import Testing

/// libsodium's test programs (`shared/corpus/libsodium`, benchmark builds) through the
/// command line on both tiers: `wasmoon run [--no-jit] --wasi-deterministic --memory-hash
/// PROG.wasm`. Each run must match `expected.json` (exit code, `stdout_regex`), and the two
/// tiers must agree: the same stdout and the same final memory hash (with deterministic
/// clocks and randomness, a program's run is a function of its code alone).
///
/// By default: the programs marked `"ci": true`; those listed in
/// `tests/libsodium-interpreter-skip.txt` (too slow for CI's budget under the interpreter)
/// run under the JIT only. `WASMOON_CORPUS=all` runs every verified program on both tiers.
///
/// Runs use lazy compilation (the default); each program also runs with `--compile eager`
/// on the JIT, and one in four on the interpreter too, and must give the same stdout and
/// final memory as the lazy run. The JIT's optimizing tier runs each program too (every
/// function compiled before the run, none declined).
@Suite("libsodium corpus (command line, both tiers)")
struct LibsodiumCorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Run under the interpreter too (and compare the tiers)?
        var interpreter: Bool
        /// Also run the interpreter with `--compile eager`?
        var eagerInterpreter = false
        var exit: Int
        var stdoutRegex: String
        var testDescription: String { name }
    }

    static let corpus = "corpus/libsodium"
    static let skipList = SharedData.repoRoot.appendingPathComponent("tests/libsodium-interpreter-skip.txt")

    static var runAll: Bool { ProcessInfo.processInfo.environment["WASMOON_CORPUS"] == "all" }

    /// Every entry of expected.json, by name.
    static func expectations() -> [String: [String: Any]] {
        let url = SharedData.sharedRoot.appendingPathComponent("\(corpus)/expected.json")
        guard let data = try? Data(contentsOf: url),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]]
        else { return [:] }
        return json
    }

    /// The names in the skip list: the first word of each non-empty line not starting with `#`.
    static func skipped() -> Set<String> {
        guard let text = try? String(contentsOf: skipList, encoding: .utf8) else { return [] }
        return Set(
            text.split(separator: "\n").compactMap { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
                return trimmed.split(separator: " ", maxSplits: 1).first.map(String.init)
            })
    }

    static func cases() -> [Case] {
        let all = expectations()
        let skip = skipped()
        let cases: [Case] = all.keys.sorted().compactMap { name in
            let entry = all[name]!
            guard entry["verified"] as? Bool == true else { return nil }
            if !runAll {
                guard entry["ci"] as? Bool == true else { return nil }
            }
            return Case(
                name: name, interpreter: runAll || !skip.contains(name), exit: (entry["exit"] as? Int) ?? 0,
                stdoutRegex: (entry["stdout_regex"] as? String) ?? "^[0-9]+\\n$")
        }
        var interpreterCases = 0
        return cases.map { test in
            var test = test
            if test.interpreter {
                test.eagerInterpreter = runAll || interpreterCases % 4 == 0
                interpreterCases += 1
            }
            return test
        }
    }

    @Test func expectationsAndSkipListAgree() throws {
        guard SharedData.path("\(Self.corpus)/expected.json") != nil else { return }
        let all = Self.expectations()
        #expect(all.count == 70)
        // Every skipped program is a CI program (the skip list is about CI's budget).
        for name in Self.skipped() {
            #expect(all[name]?["ci"] as? Bool == true, "\(name) in the skip list is not a CI program")
        }
        #expect(!Self.cases().isEmpty)
    }

    /// Swift Testing runs the programs in parallel; each runs the JIT (lazy, then eager), then
    /// the interpreter.
    @Test(arguments: cases())
    func program(_ test: Case) throws {
        guard let url = SharedData.path("\(Self.corpus)/\(test.name).wasm") else { return }
        let regex = try Regex(test.stdoutRegex)
        var runs: [(tier: String, output: CLI.Output)] = []
        var configurations = [
            ("jit", [String]()), ("jit --compile eager", ["--compile", "eager"]),
            ("jit --jit-tier optimized", ["--jit-tier", "optimized", "--compile", "eager", "--jit-stats"]),
        ]
        if test.interpreter { configurations.append(("interpreter", ["--no-jit"])) }
        if test.eagerInterpreter { configurations.append(("interpreter --compile eager", ["--no-jit", "--compile", "eager"])) }
        for (tier, flags) in configurations {
            let result = try CLI.run(["run"] + flags + ["--wasi-deterministic", "--memory-hash", url.path])
            #expect(
                Int(result.status) == test.exit,
                "\(tier): stdout: \(result.stdout.prefix(300)) stderr: \(result.stderr.prefix(500))")
            #expect(
                result.stdout.firstMatch(of: regex) != nil,
                "\(tier): stdout \(result.stdout.prefix(300).debugDescription) does not match \(test.stdoutRegex)")
            #expect(!Self.memoryHashes(result.stderr).isEmpty, "\(tier): no memory-hash line in \(result.stderr.suffix(300))")
            if flags.contains("optimized") {
                // Every function of every libsodium program is optimized: none declined.
                #expect(result.stderr.contains("functions optimized, 0 declined"), "\(tier): \(result.stderr.prefix(500))")
            }
            runs.append((tier, result))
        }
        let (first, reference) = (runs[0].tier, runs[0].output)
        for (tier, output) in runs.dropFirst() {
            #expect(output.stdout == reference.stdout, "stdout differs: \(first) and \(tier)")
            #expect(
                Self.memoryHashes(output.stderr) == Self.memoryHashes(reference.stderr),
                "final memory differs: \(first) and \(tier)")
        }
    }

    /// The `memory-hash` lines of a run's stderr.
    static func memoryHashes(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("memory-hash ") }
    }
}
