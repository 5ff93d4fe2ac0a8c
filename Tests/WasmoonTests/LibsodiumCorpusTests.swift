import Foundation
import Testing

/// libsodium's test programs (`shared/corpus/libsodium`, benchmark builds) through the
/// command line on the interpreter: `wasmoon run --no-jit PROG.wasm`, checking the exit
/// code and `stdout_regex` of `expected.json`.
///
/// By default: the programs marked `"ci": true`, minus those listed in
/// `tests/libsodium-interpreter-skip.txt` (too slow for CI's budget under the
/// interpreter; they run under the JIT). `WASMOON_CORPUS=all` runs every verified program.
@Suite("libsodium corpus (command line, interpreter)")
struct LibsodiumCorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
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
                guard entry["ci"] as? Bool == true, !skip.contains(name) else { return nil }
            }
            return Case(
                name: name, exit: (entry["exit"] as? Int) ?? 0,
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

    @Test(arguments: cases())
    func program(_ test: Case) throws {
        guard let url = SharedData.path("\(Self.corpus)/\(test.name).wasm") else { return }
        let result = try CLI.run(["run", "--no-jit", url.path])
        #expect(Int(result.status) == test.exit, "stdout: \(result.stdout.prefix(300)) stderr: \(result.stderr.prefix(500))")
        let regex = try Regex(test.stdoutRegex)
        #expect(result.stdout.firstMatch(of: regex) != nil, "stdout \(result.stdout.prefix(300).debugDescription) does not match \(test.stdoutRegex)")
    }
}
