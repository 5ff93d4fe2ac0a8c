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
@Suite("libsodium corpus (command line, both tiers)")
struct LibsodiumCorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Run under the interpreter too (and compare the tiers)?
        var interpreter: Bool
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
        return all.keys.sorted().compactMap { name in
            let entry = all[name]!
            guard entry["verified"] as? Bool == true else { return nil }
            if !runAll {
                guard entry["ci"] as? Bool == true else { return nil }
            }
            return Case(
                name: name, interpreter: runAll || !skip.contains(name), exit: (entry["exit"] as? Int) ?? 0,
                stdoutRegex: (entry["stdout_regex"] as? String) ?? "^[0-9]+\\n$")
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

    /// Swift Testing runs the programs in parallel; each runs the JIT, then the interpreter.
    @Test(arguments: cases())
    func program(_ test: Case) throws {
        guard let url = SharedData.path("\(Self.corpus)/\(test.name).wasm") else { return }
        let regex = try Regex(test.stdoutRegex)
        var runs: [(tier: String, output: CLI.Output)] = []
        for tier in test.interpreter ? ["jit", "interpreter"] : ["jit"] {
            let flags = tier == "jit" ? [] : ["--no-jit"]
            let result = try CLI.run(["run"] + flags + ["--wasi-deterministic", "--memory-hash", url.path])
            #expect(
                Int(result.status) == test.exit,
                "\(tier): stdout: \(result.stdout.prefix(300)) stderr: \(result.stderr.prefix(500))")
            #expect(
                result.stdout.firstMatch(of: regex) != nil,
                "\(tier): stdout \(result.stdout.prefix(300).debugDescription) does not match \(test.stdoutRegex)")
            #expect(!Self.memoryHashes(result.stderr).isEmpty, "\(tier): no memory-hash line in \(result.stderr.suffix(300))")
            runs.append((tier, result))
        }
        guard runs.count == 2 else { return }
        let (jit, interpreter) = (runs[0].output, runs[1].output)
        #expect(jit.stdout == interpreter.stdout, "stdout differs between the tiers")
        #expect(
            Self.memoryHashes(jit.stderr) == Self.memoryHashes(interpreter.stderr),
            "final memory differs between the tiers")
    }

    /// The `memory-hash` lines of a run's stderr.
    static func memoryHashes(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("memory-hash ") }
    }
}
