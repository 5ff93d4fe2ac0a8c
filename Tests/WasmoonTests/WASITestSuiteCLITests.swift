import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The WASI preview1 test suite (`shared/wasi-testsuite`, 72 programs) through the
/// command line: each program runs as
/// `wasmoon run --no-jit [--dir COPY::/] [--env K=V]... PROG.wasm ARGS...`
/// on a fresh, writable copy of its fixture directory (the JSON's `root`), the way
/// upstream's runner drives Wasmtime's CLI. Exit code checked; stdout/stderr checked
/// (as a prefix) only where the JSON has the key, as the suite's README says.
@Suite("WASI test suite (command line)")
struct WASITestSuiteCLITests {
    struct Case: CustomTestStringConvertible, Sendable {
        var wasm: URL
        var testDescription: String {
            "\(wasm.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().lastPathComponent)/\(wasm.lastPathComponent)"
        }
    }

    static func cases() -> [Case] {
        guard SharedData.exists("wasi-testsuite") else { return [] }
        var result: [Case] = []
        for suite in ["assemblyscript", "c", "rust"] {
            let dir = SharedData.sharedRoot.appendingPathComponent("wasi-testsuite/tests/\(suite)/testsuite/wasm32-wasip1")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".wasm") {
                result.append(Case(wasm: dir.appendingPathComponent(name)))
            }
        }
        return result
    }

    @Test func allSeventyTwoProgramsFound() {
        guard SharedData.path("wasi-testsuite") != nil else { return }
        #expect(Self.cases().count == 72)
    }

    @Test(arguments: cases())
    func program(_ test: Case) throws {
        let dir = test.wasm.deletingLastPathComponent()
        let name = test.wasm.deletingPathExtension().lastPathComponent
        var spec: [String: Any] = [:]
        if let data = try? Data(contentsOf: dir.appendingPathComponent(name + ".json")) {
            spec = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        var options = ["run", "--no-jit"]
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-wasi-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        if let root = spec["root"] as? String {
            // A fresh, writable copy of the fixture (shared/ may be read-only, and the
            // tests create and delete files in it).
            let copy = scratch.appendingPathComponent("root")
            try FileManager.default.copyItem(at: dir.appendingPathComponent(root), to: copy)
            try Self.makeWritable(copy)
            options += ["--dir", "\(copy.path)::/"]
        }
        // `env` is the guest's entire environment; the CLI passes on only --env.
        for (key, value) in ((spec["env"] as? [String: String]) ?? [:]).sorted(by: { $0.key < $1.key }) {
            options += ["--env", "\(key)=\(value)"]
        }
        let args = (spec["args"] as? [String]) ?? []
        let result = try CLI.run(options + [test.wasm.path] + args)
        let expectedExit = (spec["exit_code"] as? Int) ?? 0
        #expect(
            Int(result.status) == expectedExit,
            "stdout: \(result.stdout.prefix(500)) stderr: \(result.stderr.prefix(500))")
        if let expected = spec["stdout"] as? String {
            #expect(result.stdout.hasPrefix(expected), "stdout: \(result.stdout.prefix(500))")
        }
        if let expected = spec["stderr"] as? String {
            #expect(result.stderr.hasPrefix(expected), "stderr: \(result.stderr.prefix(500))")
        }
    }

    static func makeWritable(_ url: URL) throws {
        let fm = FileManager.default
        chmod(url.path, 0o755)
        for item in (fm.enumerator(atPath: url.path)?.allObjects as? [String]) ?? [] {
            let path = url.appendingPathComponent(item).path
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: path, isDirectory: &isDirectory)
            chmod(path, isDirectory.boolValue ? 0o755 : 0o644)
        }
    }
}
