import Foundation
import Testing

/// C++ programs that throw and catch across many frames (tests/exception-programs: a parser, a
/// class-hierarchy matrix, a bytecode VM, a throw-heavy loop; our own small C++ exception
/// runtime), built by its `build.sh` with clang 21's `-fwasm-exceptions` in both encodings:
/// exnref (`try_table`; expected/ holds Wasmtime's output) and legacy (`try`/`catch`/`delegate`/
/// `rethrow`, which Wasmtime rejects; it must print the same). Each runs on both tiers.
///
/// Needs clang 21 (the Swift toolchain's) and the Debian packages `wasi-libc` and
/// `libclang-rt-19-dev-wasm32` (`.ci/run` installs them): skipped with a note without them,
/// failed under `CI=true`.
@Suite("C++ exception programs")
struct ExceptionProgramTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tests/exception-programs")

    @Test func bothBuildsMatchWasmtimeOnBothTiers() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-eh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        let build = try CLI.runProgram(Self.folder.appendingPathComponent("build.sh"), [out.path])
        guard build.status == 0 else {
            if SharedData.isCI {
                Issue.record("tests/exception-programs/build.sh failed under CI: \(build.stderr)")
            } else {
                print("note: skipping the C++ exception programs (build.sh: \(build.stderr.split(separator: "\n").last ?? ""))")
            }
            return
        }
        let expected = try FileManager.default.contentsOfDirectory(atPath: Self.folder.appendingPathComponent("expected").path)
            .filter { $0.hasSuffix(".stdout") }.sorted()
        #expect(expected.count == 4)
        for file in expected {
            let name = String(file.dropLast(".stdout".count))
            let want = try String(contentsOf: Self.folder.appendingPathComponent("expected/\(file)"), encoding: .utf8)
            for build in ["new", "legacy"] {
                for tier in [["--no-jit"], []] {
                    let run = try CLI.run(["run"] + tier + [out.appendingPathComponent("\(name).\(build).wasm").path])
                    let what = "\(name).\(build).wasm \(tier.isEmpty ? "JIT" : "interpreter")"
                    #expect(run.status == 0, "\(what): exit \(run.status): \(run.stderr)")
                    #expect(run.stdout == want, "\(what): output differs from Wasmtime's")
                }
            }
        }
    }
}
