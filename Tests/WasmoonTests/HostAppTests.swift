import Foundation
import Testing

/// The library as an outside app sees it. The example app in `examples/HostApp`: a package of its own that depends on the `Wasmoon`
/// product only, as an outside app would. Built here (a debug build in its own `.build`) and
/// run: a WASI command, a reactor with typed host functions, fuel and an interrupt.
@Suite("Outside app")
struct HostAppTests {
    @Test(.timeLimit(.minutes(30))) func buildsAndRuns() throws {
        let package = SharedData.repoRoot.appendingPathComponent("examples/HostApp")
        let swift = URL(fileURLWithPath: "/usr/bin/env")
        let build = try CLI.runProgram(swift, ["swift", "build", "--package-path", package.path])
        try #require(build.status == 0, "swift build failed:\n\(build.stdout)\n\(build.stderr)")
        let app = package.appendingPathComponent(".build/debug/HostApp")
        let run = try CLI.runProgram(app, ["examples/hello.wat"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(6)) == [
            "hello, world", "exit status: 0", "guest says: reactor ready", "sum_to(100) = 5050", "memory[0] = cafe",
            "calls = 1",
        ], "\(run.stdout)")
        #expect(lines.count > 7 && lines[6].hasPrefix("fuel: wasm trap: all fuel consumed (0 left)"), "\(run.stdout)")
        #expect(lines.count > 7 && lines[7] == "interrupt: wasm trap: interrupt (interrupted)", "\(run.stdout)")
    }

    /// Every public symbol of the product has a doc comment (`scripts/check-doc-comments.py`).
    @Test func publicSymbolsAreDocumented() throws {
        let r = try CLI.runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "scripts/check-doc-comments.py"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }
}
