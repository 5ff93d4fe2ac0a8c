import Foundation
import Testing

/// Runs the built `wasmoon` executable as a subprocess. It sits next to the test
/// bundle (`.build/<config>/wasmoon`), since `swift test` builds every product.
enum CLI {
    /// The result of one run.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable, found beside the running test binary, else in `.build/{debug,release}`.
    static let binary: URL? = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("wasmoon"))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wasmoon"))
        for config in ["debug", "release"] {
            candidates.append(SharedData.repoRoot.appendingPathComponent(".build/\(config)/wasmoon"))
        }
        return candidates.first { fm.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `wasmoon ARGS` in the repository root and collects its output.
    static func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Output {
        guard let binary else {
            Issue.record("the wasmoon executable was not found next to the tests", sourceLocation: sourceLocation)
            return Output(status: -1, stdout: "", stderr: "")
        }
        return try runProgram(binary, arguments)
    }

    /// Runs any program in the repository root (stdin empty, output collected through
    /// files, so a large output cannot fill a pipe and block it), with `environment`
    /// added to this process's environment.
    static func runProgram(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = SharedData.repoRoot
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Writes `text` to a fresh temporary file with the given extension and returns its path.
    static func temporaryFile(_ text: String, ext: String = "wat") throws -> String {
        try temporaryFile(Data(text.utf8), ext: ext)
    }

    static func temporaryFile(_ data: Data, ext: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-test-\(UUID().uuidString).\(ext)")
        try data.write(to: url)
        return url.path
    }
}
