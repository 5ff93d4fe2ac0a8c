import Foundation
import Testing
import WasmoonWAST
import Wasmoon

/// The spec gate in-process: every gate file (`SharedData.gateFiles()`, from
/// `scripts/spec-gate --list`: wasm-2.0 without SIMD, plus the two tail-call scripts, each
/// distinct content once) on both tiers (interpreter and JIT), compiling lazily and eagerly; any failed assertion fails
/// the test. "Message differs" counts are printed, not failed. CI runs the gate only here;
/// `scriptRunsTheCommandLine` checks the command-line path (`scripts/spec-gate FILE...`,
/// `wasmoon test` on both tiers) on two of the files.
@Suite("Spec gate")
struct SpecGateTests {
    static let files: [String] = SharedData.gateFiles().map(\.path)

    /// Both tiers, each with lazy (the default) and eager compilation.
    static let configurations = [
        Configuration(tier: .interpreter, mode: .lazy), Configuration(tier: .jit, mode: .lazy),
        Configuration(tier: .interpreter, mode: .eager), Configuration(tier: .jit, mode: .eager),
    ]

    /// A tier and when it compiles.
    struct Configuration: Sendable, CustomTestStringConvertible {
        var tier: Tier
        var mode: CompileMode
        var testDescription: String { "\(tier) \(mode)" }
    }

    static let simdFiles: [String] = SharedData.simdGateFiles().map(\.path)

    /// The SIMD gate (`scripts/spec-gate --list-simd`: SIMD and relaxed SIMD) on both tiers,
    /// lazily and eagerly (CPUFeatureTests runs it again on a JIT without CPU extensions).
    @Test(arguments: simdFiles, configurations)
    func simdScript(_ path: String, _ configuration: Configuration) throws {
        try specScript(path, configuration)
    }

    @Test(arguments: files, configurations)
    func specScript(_ path: String, _ configuration: Configuration) throws {
        let tier = configuration.tier
        let runner = WastRunner(engine: try Runtime(tier: tier, compile: configuration.mode).engine)
        let result = runner.run(path: path)
        let name = (path as NSString).lastPathComponent
        if result.messageDiffers > 0 {
            print("\(name): \(result.messageDiffers) message differs, first: \(result.messageDifferences[0])")
        }
        // Failures tests/spec-known-failures.txt lists for this file are expected, and must happen.
        let listedPath = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent + "/" + name
        let known = Set(SharedData.knownSpecFailures.keys.filter { $0.hasPrefix(listedPath + ":") }.compactMap {
            Int($0.split(separator: ":")[1])
        })
        let unexpected = result.failures.filter { !known.contains($0.line) }
        let summary = "\(name) [\(configuration.testDescription)]: \(result.passed) passed, \(result.failed) failed\n"
            + unexpected.prefix(10).map { "  \($0)" }.joined(separator: "\n")
        #expect(unexpected.isEmpty, Comment(rawValue: summary))
        let passing = known.subtracting(result.failures.map(\.line))
        #expect(passing.isEmpty, "tests/spec-known-failures.txt lists \(listedPath) lines that pass now: \(passing.sorted())")
    }

    @Test func knownFailuresAreInTheGate() {
        let gate = Set(Self.files.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent + "/" + URL(fileURLWithPath: $0).lastPathComponent })
        guard !gate.isEmpty else { return }
        for key in SharedData.knownSpecFailures.keys {
            let parts = key.split(separator: ":")
            #expect(parts.count == 2 && Int(parts[1]) != nil, "malformed entry \(key)")
            #expect(gate.contains(String(parts[0])), "\(key): not a gate file")
        }
    }

    /// `scripts/spec-gate FILE...` with the built binary: `wasmoon test --no-jit`, then
    /// `wasmoon test`, each printing a PASS line per file and the total, with the counts of the
    /// in-process runner, and exit status 0.
    @Test func scriptRunsTheCommandLine() throws {
        let picks = Self.files.filter { $0.hasSuffix("/wasm-2.0/i32.wast") || $0.hasSuffix("/core/return_call.wast") }
        guard !Self.files.isEmpty else { return }
        #expect(picks.count == 2, "\(picks)")
        guard let binary = CLI.binary else {
            Issue.record("the wasmoon executable was not found next to the tests")
            return
        }
        let r = try CLI.runProgram(
            SharedData.repoRoot.appendingPathComponent("scripts/spec-gate"), picks,
            environment: ["WASMOON": binary.path, "WASMOON_SHARED": SharedData.sharedRoot.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        var expected = ["spec-gate: \(picks.count) files given, binary \(binary.path)"]
        for (tier, heading) in [(Tier.interpreter, "interpreter (--no-jit)"), (.jit, "JIT")] {
            expected.append("spec-gate: \(heading)")
            let runner = WastRunner(engine: try Runtime(tier: tier).engine)
            var total = 0
            for path in picks {
                let result = runner.run(path: path)
                #expect(result.failed == 0 && result.messageDiffers == 0, "\(path) [\(tier)]")
                expected.append("PASS \(path) (\(result.passed))")
                total += result.passed
            }
            expected.append("\(total) passed, 0 failed")
        }
        #expect(r.stdout.split(separator: "\n").map(String.init) == expected)
    }

    /// The gate holds no two files with the same content.
    @Test func gateFilesAreDistinct() throws {
        let contents = try Self.files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(Set(contents).count == contents.count)
    }

    /// tests/spec-skip.txt lists exactly the wasm-2.0 files the gate leaves out, each with a
    /// reason (besides any left out for having the content of a file already in the gate).
    @Test func skipListMatchesTheGate() throws {
        guard let dir = SharedData.path("spec/wasm-2.0") else { return }
        let text = try String(contentsOf: SharedData.repoRoot.appendingPathComponent("tests/spec-skip.txt"), encoding: .utf8)
        var skipped: Set<String> = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: ":", maxSplits: 1)
            #expect(parts.count == 2 && !parts[1].trimmingCharacters(in: .whitespaces).isEmpty, "no reason: \(line)")
            skipped.insert(String(parts[0]))
        }
        let all = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".wast") }
        let gate = Set(Self.files.filter { $0.hasPrefix(dir.path) }.map { "wasm-2.0/" + ($0 as NSString).lastPathComponent })
        let gateContents = try Set(Self.files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) })
        let duplicates = try Set(all.map { "wasm-2.0/" + $0 }).subtracting(gate).subtracting(skipped).filter {
            try gateContents.contains(Data(contentsOf: dir.deletingLastPathComponent().appendingPathComponent($0)))
        }
        #expect(Set(all.map { "wasm-2.0/" + $0 }) == gate.union(skipped).union(duplicates))
        #expect(gate.isDisjoint(with: skipped))
        #expect(skipped.count == 66)
    }
}
