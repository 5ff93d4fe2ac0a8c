import Foundation
import Testing

/// The WASI examples in `examples/`, run through the command line.
@Suite("Examples")
struct ExamplesTests {
    @Test func hello() throws {
        let result = try CLI.run(["run", "examples/hello.wat"])
        #expect(result.status == 0)
        #expect(result.stdout == "hello, world\n")
        #expect(result.stderr == "")
    }

    @Test func argsAndEnvironment() throws {
        let result = try CLI.run(
            ["run", "--env", "GREETING=hi", "--env", "EQ=a=b", "examples/args.wat", "one", "two words", "--three", "-4"])
        #expect(result.status == 0)
        #expect(result.stdout == "examples/args.wat\none\ntwo words\n--three\n-4\nGREETING=hi\nEQ=a=b\n")
        #expect(result.stderr == "")
    }

    @Test func argsWithoutAnythingSeesOnlyItsName() throws {
        let result = try CLI.run(["run", "--no-jit", "examples/args.wat"])
        #expect(result.status == 0)
        #expect(result.stdout == "examples/args.wat\n")
    }

    @Test func filesInAPreopenedDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // An older, longer file is truncated.
        try Data("stale contents that are longer than the new text\n".utf8).write(to: dir.appendingPathComponent("hello.txt"))
        let result = try CLI.run(["run", "--dir", "\(dir.path)::/", "examples/files.wat"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "written and read back: Hello, file!\n")
        let onHost = try String(contentsOf: dir.appendingPathComponent("hello.txt"), encoding: .utf8)
        #expect(onHost == "Hello, file!\n")
    }

    @Test func filesWithoutAPreopenExitsWithTheErrno() throws {
        let result = try CLI.run(["run", "examples/files.wat"])
        #expect(result.status == 8)  // EBADF: fd 3 is not open
        #expect(result.stdout == "")
    }
}
