import Foundation
import Testing

/// The SIMD programs of `tests/simd-programs` (clang `-msimd128 -O3` builds of our kernels and
/// of zstd from a pinned sdist, one with relaxed SIMD; `programs.txt`, README.md): each at its
/// test size through the command line on both tiers, against Wasmtime's output recorded in
/// `expected/NAME.txt` (the stdout, then a line `exit code: N`).
@Suite("SIMD programs (tests/simd-programs, both tiers against Wasmtime)")
struct SIMDProgramTests {
    struct Program: CustomTestStringConvertible, Sendable {
        var name: String
        /// Relative to `tests/simd-programs`.
        var module: String
        var relaxed: Bool
        var testArguments: [String]
        var testDescription: String { name }
    }

    static let folder = "tests/simd-programs"

    /// `programs.txt`: `name | module | relaxed | test args | bench args | interpreter bench args`
    /// per line, `#` comments.
    static func programs() -> [Program] {
        let url = SharedData.repoRoot.appendingPathComponent("\(folder)/programs.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Program? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let fields = trimmed.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count >= 4 else { return nil }
            return Program(
                name: fields[0], module: fields[1], relaxed: fields[2] == "yes",
                testArguments: fields[3].split(separator: " ").map(String.init))
        }
    }

    @Test func everyProgramHasItsModuleAndExpectedOutput() {
        let programs = Self.programs()
        #expect(programs.count >= 7, "programs.txt lists \(programs.count) programs")
        #expect(programs.contains(where: { $0.relaxed }), "no program with relaxed SIMD")
        let root = SharedData.repoRoot.appendingPathComponent(Self.folder)
        for program in programs {
            let module = root.appendingPathComponent(program.module).path
            let expected = root.appendingPathComponent("expected/\(program.name).txt").path
            #expect(FileManager.default.fileExists(atPath: module), "\(module) is missing")
            #expect(FileManager.default.fileExists(atPath: expected), "\(expected) is missing")
        }
    }

    @Test(arguments: programs(), ["jit", "interp"])
    func matchesWasmtime(_ program: Program, _ tier: String) throws {
        let root = SharedData.repoRoot.appendingPathComponent(Self.folder)
        let expected = try String(
            contentsOf: root.appendingPathComponent("expected/\(program.name).txt"), encoding: .utf8)
        var arguments = ["run"]
        if tier == "interp" { arguments.append("--no-jit") }
        arguments.append("\(Self.folder)/\(program.module)")
        arguments += program.testArguments
        let result = try CLI.run(arguments)
        var got = result.stdout
        if !got.isEmpty && !got.hasSuffix("\n") { got += "\n" }
        got += "exit code: \(result.status)\n"
        #expect(got == expected, "\(program.name) on \(tier); stderr: \(result.stderr.prefix(1500))")
    }
}
