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

    /// The spec gate of the foundation issue: wasm-2.0 without SIMD, plus the two tail-call files.
    static func gateFiles() -> [URL] {
        guard let dir = path("spec/wasm-2.0") else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var files = names.filter { $0.hasSuffix(".wast") && !$0.hasPrefix("simd_") }.sorted()
            .map { dir.appendingPathComponent($0) }
        for extra in ["spec/core/return_call.wast", "spec/core/return_call_indirect.wast"] {
            if let u = path(extra) { files.append(u) }
        }
        return files
    }
}
