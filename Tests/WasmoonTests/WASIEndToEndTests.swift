import Foundation
import Testing
import WAT
import WasmCore
import WasmInterpreter
import WasmRuntime
import WasmoonWASI

#if canImport(Glibc)
import Glibc
#endif

/// Runs WASI programs in-process on the interpreter.
enum WASIRunner {
    struct Outcome {
        /// The `proc_exit` status, or 0 when `_start` returned.
        var exitCode: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static func engine() -> Engine { Engine(tier: .interpreter, backend: InterpreterEngine()) }

    /// An instance together with the store that owns it (the instance does
    /// not keep its store alive).
    struct Loaded {
        let store: Store
        let instance: Instance
    }

    /// Instantiates `bytes` with `wasi` defined.
    static func instantiate(_ bytes: [UInt8], wasi: WASI) throws -> Loaded {
        let engine = engine()
        let store = Store(engine: engine)
        let linker = Linker(store: store)
        wasi.define(in: linker)
        return Loaded(store: store, instance: try linker.instantiate(try CompiledModule(bytes: bytes, engine: engine)))
    }

    /// Runs `body` with `config`'s stdin on /dev/null and its stdout/stderr on temporary
    /// files; returns what `body` returned and what was written to each.
    static func capturingStdio<T>(
        _ config: WASIConfiguration, _ body: (WASIConfiguration) throws -> T
    ) throws -> (result: T, stdout: [UInt8], stderr: [UInt8]) {
        let scratch = try ScratchDirectory()
        let outPath = scratch.url.appendingPathComponent("stdout").path
        let errPath = scratch.url.appendingPathComponent("stderr").path
        let out = open(outPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let err = open(errPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            close(out)
            close(err)
            close(input)
        }
        var config = config
        config.stdin = input
        config.stdout = out
        config.stderr = err
        let result = try body(config)
        return (result, Array((try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()),
                Array((try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()))
    }

    /// Runs `_start` of `bytes` with `config` (whose stdout/stderr are replaced by
    /// temporary files, stdin by /dev/null) and collects what it wrote.
    static func run(_ bytes: [UInt8], _ config: WASIConfiguration) throws -> Outcome {
        let (code, stdout, stderr) = try capturingStdio(config) { config -> Int32 in
            let wasi = try WASI(configuration: config)
            defer { wasi.close() }
            do {
                let loaded = try instantiate(bytes, wasi: wasi)
                guard let start = loaded.instance.function("_start") else { throw WASIError("no _start export") }
                _ = try start.call([])
                withExtendedLifetime(loaded) {}
                return 0
            } catch {
                guard let exit = wasi.exitCode(from: error) else { throw error }
                return exit
            }
        }
        return Outcome(exitCode: code, stdout: stdout, stderr: stderr)
    }

    static func wat(_ text: String) throws -> [UInt8] {
        try wat2wasm(text, features: [.referenceTypes, .tailCall])
    }
}

@Suite("WASI end to end (interpreter)")
struct WASIEndToEndTests {
    @Test func helloWorldAndExitCode() throws {
        let bytes = try WASIRunner.wat(
            """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hello, wasi\\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 12))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $proc_exit (i32.const 7))
                unreachable))
            """)
        let outcome = try WASIRunner.run(bytes, WASIConfiguration(arguments: ["hello"]))
        #expect(outcome.exitCode == 7)
        #expect(outcome.stdoutText == "hello, wasi\n")
        #expect(String(decoding: outcome.stderr, as: UTF8.self) == "hello, wasi\n")
    }

    /// A guest that prints its argv buffer, then its environ buffer.
    static let printArgsAndEnviron = """
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          ;; 0: count, 4: size, 8: iovec, 16: nwritten, 1024: pointers, 4096: strings
          (func $print (param $ptr i32) (param $len i32)
            (i32.store (i32.const 8) (local.get $ptr))
            (i32.store (i32.const 12) (local.get $len))
            (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16))))
          (func (export "_start")
            (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
            (drop (call $args_get (i32.const 1024) (i32.const 4096)))
            (call $print (i32.load (i32.const 1024)) (i32.load (i32.const 4)))
            (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
            (drop (call $environ_get (i32.const 1024) (i32.const 8192)))
            (call $print (i32.load (i32.const 1024)) (i32.load (i32.const 4)))))
        """

    @Test func argumentsAndEnvironmentReachTheGuest() throws {
        let bytes = try WASIRunner.wat(Self.printArgsAndEnviron)
        let outcome = try WASIRunner.run(
            bytes,
            WASIConfiguration(arguments: ["prog", "first", "the \"second\""], environment: [("A", "1"), ("B", "x=y")]))
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdoutText == "prog\0first\0the \"second\"\0A=1\0B=x=y\0")
    }

    /// Exports `open(path_ptr, path_len) -> errno` (fd stored at 0) and `cat(fd)`.
    static let fileGuest = """
        (module
          (import "wasi_snapshot_preview1" "path_open"
            (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 256) "greeting.txt")
          (data (i32.const 288) "../secret")
          (data (i32.const 320) "/etc/passwd")
          (data (i32.const 352) "etc/passwd")
          (func (export "_start"))
          (func (export "open") (param $path i32) (param $len i32) (result i32)
            ;; fd 3 (the preopen), follow symlinks, rights = fd_read (2)
            (call $path_open (i32.const 3) (i32.const 1) (local.get $path) (local.get $len)
              (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
          (func (export "cat") (param $fd i32) (result i32)
            (i32.store (i32.const 8) (i32.const 1024))
            (i32.store (i32.const 12) (i32.const 1024))
            (drop (call $fd_read (local.get $fd) (i32.const 8) (i32.const 1) (i32.const 16)))
            (i32.store (i32.const 12) (i32.load (i32.const 16)))
            (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))
            (call $fd_close (local.get $fd)))
          (func (export "bad_write") (result i32)
            ;; an iovec whose buffer runs past the end of memory
            (i32.store (i32.const 8) (i32.const 65530))
            (i32.store (i32.const 12) (i32.const 100))
            (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16))))
        """

    @Test func pathOpenInsideThePreopenAndEscapesRefused() throws {
        let scratch = try ScratchDirectory()
        try scratch.mkdir("root")
        try scratch.write("root/greeting.txt", "hi from the preopen")
        try scratch.write("secret", "host secret")
        try scratch.symlink("root/etc", to: "/etc")
        let out = try CapturePipe()
        var config = WASIConfiguration(preopens: [(scratch.url.appendingPathComponent("root").path, "/")])
        config.stdout = out.writeFD
        let wasi = try WASI(configuration: config)
        let loaded = try WASIRunner.instantiate(try WASIRunner.wat(Self.fileGuest), wasi: wasi)
        defer { withExtendedLifetime(loaded) {} }
        let instance = loaded.instance
        let open = instance.function("open")!, cat = instance.function("cat")!
        #expect(try open.call([.i32(256), .i32(12)]) == [.i32(0)])
        let fd = try instance.memory("memory")!.read(at: 0, count: 4)
        #expect(fd == [4, 0, 0, 0])
        #expect(try cat.call([.i32(4)]) == [.i32(0)])
        #expect(out.drain() == "hi from the preopen")
        let notcapable = Value.i32(UInt32(WASIErrno.notcapable.rawValue))
        #expect(try open.call([.i32(288), .i32(9)]) == [notcapable])
        #expect(try open.call([.i32(320), .i32(11)]) == [notcapable])
        #expect(try open.call([.i32(352), .i32(10)]) == [notcapable])
        // A bad guest pointer traps; nothing is written.
        do {
            _ = try instance.function("bad_write")!.call([])
            Issue.record("bad_write did not trap")
        } catch {
            #expect(error.trapCode == .outOfBoundsMemoryAccess, "\(error)")
        }
        #expect(out.drain() == "")
        wasi.close()
    }
}

/// Real programs: libsodium's tests (benchmark builds) print one integer and exit 0.
@Suite("WASI libsodium smoke")
struct WASILibsodiumSmokeTests {
    @Test(arguments: ["auth2", "secretbox2", "onetimeauth", "shorthash"])
    func program(_ name: String) throws {
        guard let url = SharedData.path("corpus/libsodium/\(name).wasm") else { return }
        let outcome = try WASIRunner.run(try Array(Data(contentsOf: url)), WASIConfiguration(arguments: [name]))
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdoutText.wholeMatch(of: /[0-9]+\n/) != nil, "stdout: \(outcome.stdoutText)")
        #expect(outcome.stderr.isEmpty)
    }
}

/// The WASI preview1 test suite (`shared/wasi-testsuite`): every program, each
/// with a fresh copy of its fixture directory preopened as `/`.
@Suite("WASI test suite")
struct WASITestSuiteTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var wasm: URL
        var testDescription: String {
            "\(wasm.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().lastPathComponent)/\(wasm.lastPathComponent)"
        }
    }

    static let suites = ["assemblyscript", "c", "rust"]

    static func cases() -> [Case] {
        guard SharedData.exists("wasi-testsuite") else { return [] }
        var result: [Case] = []
        for suite in suites {
            let dir = SharedData.sharedRoot.appendingPathComponent("wasi-testsuite/tests/\(suite)/testsuite/wasm32-wasip1")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".wasm") {
                result.append(Case(wasm: dir.appendingPathComponent(name)))
            }
        }
        return result
    }

    @Test func suiteIsPresentAndComplete() {
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
        let args = (spec["args"] as? [String]) ?? []
        let env = ((spec["env"] as? [String: String]) ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let expectedExit = (spec["exit_code"] as? Int) ?? 0
        var config = WASIConfiguration(arguments: [test.wasm.lastPathComponent] + args, environment: env)
        let scratch = try ScratchDirectory()
        if let root = spec["root"] as? String {
            // A fresh, writable copy of the fixture (shared/ is read-only).
            let copy = scratch.url.appendingPathComponent("root")
            try FileManager.default.copyItem(at: dir.appendingPathComponent(root), to: copy)
            try makeWritable(copy)
            config.preopens = [(copy.path, "/")]
        }
        let outcome = try WASIRunner.run(try Array(Data(contentsOf: test.wasm)), config)
        #expect(
            Int(outcome.exitCode) == expectedExit,
            "stdout: \(outcome.stdoutText.prefix(500)) stderr: \(String(decoding: outcome.stderr, as: UTF8.self).prefix(500))")
        if let expected = spec["stdout"] as? String {
            #expect(outcome.stdoutText.hasPrefix(expected))
        }
        if let expected = spec["stderr"] as? String {
            #expect(String(decoding: outcome.stderr, as: UTF8.self).hasPrefix(expected))
        }
    }

    private func makeWritable(_ url: URL) throws {
        let fm = FileManager.default
        chmod(url.path, 0o755)
        for item in (fm.enumerator(atPath: url.path)?.allObjects as? [String]) ?? [] {
            let path = url.appendingPathComponent(item).path
            var isDir: ObjCBool = false
            fm.fileExists(atPath: path, isDirectory: &isDir)
            chmod(path, isDir.boolValue ? 0o755 : 0o644)
        }
    }
}
