import Foundation
import Testing

/// Locates test data that is not ours: it lives in `../shared` beside the
/// repository (spec tests, corpus, WASI test suite). Outside CI a missing
/// folder skips the tests that need it; under `CI=true` it is an error.
enum SharedData {
    /// The repository root, found from this file's path.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let sharedRoot: URL = {
        if let env = ProcessInfo.processInfo.environment["WASMOON_SHARED"] { return URL(fileURLWithPath: env) }
        // `shared/` sits beside the clone; in a git worktree one level further up.
        let beside = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
        let above = repoRoot.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        if !FileManager.default.fileExists(atPath: beside.path), FileManager.default.fileExists(atPath: above.path) {
            return above
        }
        return beside
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The path of `relative` under shared/, or nil when absent outside CI.
    /// Under CI a missing path is recorded as a test failure.
    static func path(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        let url = sharedRoot.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        if isCI {
            Issue.record("shared test data missing under CI: \(url.path)", sourceLocation: sourceLocation)
        } else {
            print("note: skipping, shared test data not found at \(url.path)")
        }
        return nil
    }

    /// Is `relative` present? (For `.enabled(if:)` traits; CI-missing is reported by `path`.)
    static func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: sharedRoot.appendingPathComponent(relative).path)
    }

    /// The spec gate's files, as `scripts/spec-gate --list` selects them (the one place that
    /// defines the gate: wasm-2.0 without tests/spec-skip.txt, plus core/return_call*.wast;
    /// of files with the same content, only the first).
    static func gateFiles() -> [URL] { gateFileList }

    /// The SIMD gate's files (`scripts/spec-gate --list-simd`).
    static func simdGateFiles() -> [URL] { simdGateFileList }

    /// tests/spec-known-failures.txt: "PATH:LINE" → reason, for assertions of the gate that fail
    /// because of the text front end (WasmKit's WAT).
    static let knownSpecFailures = lineList("tests/spec-known-failures.txt")

    /// A checked-in list of `PATH:LINE: REASON` lines (comments start with `#`): "PATH:LINE" → reason.
    static func lineList(_ path: String) -> [String: String] {
        let url = repoRoot.appendingPathComponent(path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let colon = line.range(of: ": ") else { continue }
            out[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        return out
    }

    /// Is line `line` of the spec script at `url` listed in tests/spec-known-failures.txt?
    static func isKnownSpecFailure(_ url: URL, line: Int) -> Bool {
        knownSpecFailures[url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent + ":\(line)"] != nil
    }

    private static let gateFileList: [URL] = specGateList("--list")
    private static let simdGateFileList: [URL] = specGateList("--list-simd")

    private static func specGateList(_ option: String) -> [URL] {
        guard path("spec/wasm-2.0") != nil else { return [] }
        let script = repoRoot.appendingPathComponent("scripts/spec-gate")
        let output: CLI.Output
        do {
            output = try CLI.runProgram(script, [option], environment: ["WASMOON_SHARED": sharedRoot.path])
        } catch {
            output = CLI.Output(status: -1, stdout: "", stderr: "\(error)")
        }
        guard output.status == 0 else {
            let message = "scripts/spec-gate \(option) failed (\(output.status)): \(output.stderr)"
            if isCI { Issue.record(Comment(rawValue: message)) } else { print("note: skipping the spec gate, \(message)") }
            return []
        }
        return output.stdout.split(separator: "\n").map { URL(fileURLWithPath: String($0)) }
    }
}
