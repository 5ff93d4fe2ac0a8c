import Foundation
import Testing
import Wasmoon

/// The spec gate in-process: every gate file (`SharedData.gateFiles()`: wasm-2.0 without
/// SIMD, plus the two tail-call scripts) on the interpreter; any failed assertion fails
/// the test. "Message differs" counts are printed, not failed.
@Suite("Spec gate")
struct SpecGateTests {
    static let files: [String] = SharedData.gateFiles().map(\.path)

    @Test(arguments: files)
    func specScript(_ path: String) throws {
        let runner = WastRunner(engine: try Runtime(tier: .interpreter).engine)
        let result = runner.run(path: path)
        let name = (path as NSString).lastPathComponent
        if result.messageDiffers > 0 {
            print("\(name): \(result.messageDiffers) message differs, first: \(result.messageDifferences[0])")
        }
        let summary = "\(name): \(result.passed) passed, \(result.failed) failed\n"
            + result.failures.prefix(10).map { "  \($0)" }.joined(separator: "\n")
        #expect(result.failed == 0, Comment(rawValue: summary))
    }

    /// tests/spec-skip.txt lists exactly the wasm-2.0 files the gate leaves out, each with a reason.
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
        #expect(Set(all.map { "wasm-2.0/" + $0 }) == gate.union(skipped))
        #expect(gate.isDisjoint(with: skipped))
        #expect(skipped.count == 58)
    }
}
