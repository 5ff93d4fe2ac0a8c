import Foundation
import Testing
import WasmCore
import WasmRuntime
import WasmoonWASI

#if canImport(Glibc)
import Glibc
#endif

/// An engine that runs nothing: enough to make a `Store` for host functions.
private final class NoEngine: ExecutionEngine {
    struct Unsupported: Error {}
    func prepare(_ module: WasmCore.Module) throws -> any EngineModuleCode { throw Unsupported() }
    func invoke(_ function: Function, arguments: [Value]) throws -> [Value] { throw Unsupported() }
}

/// The WASI host functions called directly on a real linear memory.
@Suite("WASI host functions")
struct WASIFunctionTests {
    /// A WASI with `scratch/root` preopened as `/` (fd 3) and stdout captured.
    func makeWASI(
        _ scratch: ScratchDirectory, stdout: CapturePipe? = nil, args: [String] = ["prog"],
        env: [(String, String)] = []
    ) throws -> WASI {
        try scratch.mkdir("root")
        var config = WASIConfiguration(
            arguments: args, environment: env, preopens: [(scratch.url.appendingPathComponent("root").path, "/")])
        if let stdout { config.stdout = stdout.writeFD }
        return try WASI(configuration: config)
    }

    @Test func everyFunctionIsDefinedWithItsWitxType() throws {
        let store = Store(engine: Engine(tier: .interpreter, backend: NoEngine()))
        let linker = Linker(store: store)
        let wasi = try WASI(configuration: WASIConfiguration())
        wasi.define(in: linker)
        let I = ValueType.i32, L = ValueType.i64
        let expected: [String: [ValueType]] = [
            "args_get": [I, I], "args_sizes_get": [I, I], "environ_get": [I, I], "environ_sizes_get": [I, I],
            "clock_res_get": [I, I], "clock_time_get": [I, L, I], "fd_advise": [I, L, L, I], "fd_allocate": [I, L, L],
            "fd_close": [I], "fd_datasync": [I], "fd_fdstat_get": [I, I], "fd_fdstat_set_flags": [I, I],
            "fd_fdstat_set_rights": [I, L, L], "fd_filestat_get": [I, I], "fd_filestat_set_size": [I, L],
            "fd_filestat_set_times": [I, L, L, I], "fd_pread": [I, I, I, L, I], "fd_prestat_get": [I, I],
            "fd_prestat_dir_name": [I, I, I], "fd_pwrite": [I, I, I, L, I], "fd_read": [I, I, I, I],
            "fd_readdir": [I, I, I, L, I], "fd_renumber": [I, I], "fd_seek": [I, L, I, I], "fd_sync": [I],
            "fd_tell": [I, I], "fd_write": [I, I, I, I], "path_create_directory": [I, I, I],
            "path_filestat_get": [I, I, I, I, I], "path_filestat_set_times": [I, I, I, I, L, L, I],
            "path_link": [I, I, I, I, I, I, I], "path_open": [I, I, I, I, I, L, L, I, I],
            "path_readlink": [I, I, I, I, I, I], "path_remove_directory": [I, I, I], "path_rename": [I, I, I, I, I, I],
            "path_symlink": [I, I, I, I, I], "path_unlink_file": [I, I, I], "poll_oneoff": [I, I, I, I],
            "proc_exit": [I], "proc_raise": [I], "sched_yield": [], "random_get": [I, I], "sock_accept": [I, I, I],
            "sock_recv": [I, I, I, I, I, I], "sock_send": [I, I, I, I, I], "sock_shutdown": [I, I],
        ]
        #expect(expected.count == 46)
        #expect(Set(WASI.functionNames) == Set(expected.keys))
        for (name, params) in expected {
            guard case .function(let f)? = linker.lookup(module: "wasi_snapshot_preview1", name: name) else {
                Issue.record("\(name) not defined")
                continue
            }
            let results: [ValueType] = name == "proc_exit" ? [] : [I]
            #expect(f.type == FuncType(params: params, results: results), "\(name)")
        }
    }

    @Test func fdWriteGoesStraightToTheHostDescriptor() throws {
        let scratch = try ScratchDirectory(), out = try CapturePipe(), g = try GuestFixture()
        let wasi = try makeWASI(scratch, stdout: out)
        let a = try g.string("hello "), b = try g.string("world\n")
        let iovs = try g.iovecs([a, b])
        let nwritten = g.alloc(4)
        #expect(try wasiErrno { try wasi.fd_write(g.m, 1, iovs, 2, nwritten) } == .success)
        #expect(try g.m.u32(nwritten) == 12)
        #expect(out.drain() == "hello world\n")
        // An unknown descriptor.
        #expect(try wasiErrno { try wasi.fd_write(g.m, 99, iovs, 2, nwritten) } == .badf)
    }

    @Test func outOfBoundsPointersTrap() throws {
        let scratch = try ScratchDirectory(), out = try CapturePipe(), g = try GuestFixture()
        let wasi = try makeWASI(scratch, stdout: out)
        let bad = try g.iovecs([(65530, 100)])  // buffer runs past the 64 KiB page
        let nwritten = g.alloc(4)
        #expect(throws: Trap.self) { try wasi.fd_write(g.m, 1, bad, 1, nwritten) }
        do {
            try wasi.fd_write(g.m, 1, bad, 1, nwritten)
        } catch let t as Trap {
            #expect(t.message == "out of bounds memory access")
        }
        #expect(throws: Trap.self) { try wasi.args_sizes_get(g.m, 65535, 0) }
        #expect(throws: Trap.self) { try wasi.random_get(g.m, 0xFFFF_FFF0, 32) }
        #expect(out.drain() == "")
    }

    @Test func argumentsAndEnvironment() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch, args: ["prog", "first", "the\"second\"arg"], env: [("a", "text"), ("b", "new\nline")])
        let count = g.alloc(4), size = g.alloc(4)
        #expect(try wasiErrno { try wasi.args_sizes_get(g.m, count, size) } == .success)
        #expect(try g.m.u32(count) == 3)
        #expect(try g.m.u32(size) == 5 + 6 + 15)
        let argv = g.alloc(12), buf = g.alloc(32)
        #expect(try wasiErrno { try wasi.args_get(g.m, argv, buf) } == .success)
        #expect(try g.m.u32(argv) == buf)
        #expect(try g.text(try g.m.u32(argv + 8), 15) == "the\"second\"arg\0")
        #expect(try wasiErrno { try wasi.environ_sizes_get(g.m, count, size) } == .success)
        #expect(try g.m.u32(count) == 2)
        #expect(try g.m.u32(size) == 7 + 11)
        let envp = g.alloc(8), envBuf = g.alloc(32)
        #expect(try wasiErrno { try wasi.environ_get(g.m, envp, envBuf) } == .success)
        #expect(try g.text(envBuf, 18) == "a=text\0b=new\nline\0")
    }

    @Test func preopenIsDescriptorThree() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch)
        let prestat = g.alloc(8)
        #expect(try wasiErrno { try wasi.fd_prestat_get(g.m, 3, prestat) } == .success)
        #expect(try g.m.u8(prestat) == 0)
        #expect(try g.m.u32(prestat + 4) == 1)
        let name = g.alloc(8)
        #expect(try wasiErrno { try wasi.fd_prestat_dir_name(g.m, 3, name, 0) } == .nametoolong)
        #expect(try wasiErrno { try wasi.fd_prestat_dir_name(g.m, 3, name, 8) } == .success)
        #expect(try g.text(name, 1) == "/")
        #expect(try wasiErrno { try wasi.fd_prestat_get(g.m, 4, prestat) } == .badf)
        #expect(try wasiErrno { try wasi.fd_prestat_get(g.m, 1, prestat) } == .badf)
    }

    /// Opens `path` under fd 3; returns (errno, new fd).
    func open(
        _ wasi: WASI, _ g: GuestFixture, _ path: String, follow: Bool = false, oflags: UInt32 = 0,
        rights: WASIRights = [.fdRead, .fdSeek, .fdTell, .fdFilestatGet, .fdReaddir], fdflags: UInt32 = 0,
        dir: UInt32 = 3
    ) throws -> (WASIErrno, UInt32) {
        let (p, n) = try g.string(path)
        let result = g.alloc(4)
        let e = try wasiErrno {
            try wasi.path_open(
                g.m, dir, follow ? 1 : 0, p, n, oflags, rights.rawValue, WASIRights.all.rawValue, fdflags, result)
        }
        return (e, try g.m.u32(result))
    }

    @Test func pathOpenStaysInsideThePreopen() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch)
        try scratch.write("root/hello.txt", "hi there")
        try scratch.write("secret", "host secret")
        try scratch.symlink("root/etc", to: "/etc")
        try scratch.symlink("root/up", to: "../secret")
        try scratch.symlink("root/ok", to: "hello.txt")

        var (e, fd) = try open(wasi, g, "hello.txt")
        #expect(e == .success)
        #expect(fd == 4)
        let buf = g.alloc(16), iov = try g.iovecs([(buf, 16)]), nread = g.alloc(4)
        #expect(try wasiErrno { try wasi.fd_read(g.m, fd, iov, 1, nread) } == .success)
        #expect(try g.text(buf, try g.m.u32(nread)) == "hi there")

        (e, _) = try open(wasi, g, "/etc/passwd", follow: true)
        #expect(e == .notcapable)
        (e, _) = try open(wasi, g, "../secret", follow: true)
        #expect(e == .notcapable)
        (e, _) = try open(wasi, g, "etc/passwd", follow: true)
        #expect(e == .notcapable)
        (e, _) = try open(wasi, g, "etc", follow: true, oflags: 2)
        #expect(e == .notcapable)
        (e, _) = try open(wasi, g, "up", follow: true)
        #expect(e == .notcapable)
        // Without symlink_follow, opening a symlink is ELOOP (O_NOFOLLOW).
        (e, _) = try open(wasi, g, "ok")
        #expect(e == .loop)
        (e, fd) = try open(wasi, g, "ok", follow: true)
        #expect(e == .success)
        #expect(try wasiErrno { try wasi.fd_close(fd) } == .success)
        // Creating through an escaping link must not create anything outside.
        (e, _) = try open(wasi, g, "up", follow: true, oflags: 1, rights: [.fdWrite])
        #expect(e == .notcapable)
        #expect(try scratch.read("secret") == "host secret")
    }

    @Test func pathOperationsRefuseEscapes() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch)
        try scratch.mkdir("outside")
        try scratch.symlink("root/out", to: "../outside")
        let (p, n) = try g.string("../outside/x")
        #expect(try wasiErrno { try wasi.path_create_directory(g.m, 3, p, n) } == .notcapable)
        let (q, qn) = try g.string("out/x")
        #expect(try wasiErrno { try wasi.path_create_directory(g.m, 3, q, qn) } == .notcapable)
        #expect(!scratch.exists("outside/x"))
        // Absolute symlink targets are refused at creation.
        let (t, tn) = try g.string("/etc")
        let (l, ln) = try g.string("abs")
        #expect(try wasiErrno { try wasi.path_symlink(g.m, t, tn, 3, l, ln) } == .notcapable)
        // A relative symlink that escapes may be created, but not followed.
        let (t2, t2n) = try g.string("../outside")
        let (l2, l2n) = try g.string("rel")
        #expect(try wasiErrno { try wasi.path_symlink(g.m, t2, t2n, 3, l2, l2n) } == .success)
        let (r, rn) = try g.string("rel/y")
        #expect(try wasiErrno { try wasi.path_create_directory(g.m, 3, r, rn) } == .notcapable)
        let stat = g.alloc(64)
        #expect(try wasiErrno { try wasi.path_filestat_get(g.m, 3, 1, l2, l2n, stat) } == .notcapable)
        #expect(try wasiErrno { try wasi.path_filestat_get(g.m, 3, 0, l2, l2n, stat) } == .success)
        #expect(try g.m.u8(stat + 16) == WASIFiletype.symbolicLink.rawValue)
        // Renaming or linking out of the sandbox.
        try scratch.write("root/f", "x")
        let (f, fnn) = try g.string("f")
        let (o, on) = try g.string("../outside/f")
        #expect(try wasiErrno { try wasi.path_rename(g.m, 3, f, fnn, 3, o, on) } == .notcapable)
        #expect(try wasiErrno { try wasi.path_link(g.m, 3, 0, f, fnn, 3, o, on) } == .notcapable)
        #expect(!scratch.exists("outside/f"))
    }

    @Test func pathOperationsGivePOSIXErrnos() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch)
        func s(_ text: String) throws -> (UInt32, UInt32) { try g.string(text) }
        func mkdir(_ p: String) throws -> WASIErrno { let (a, n) = try s(p); return try wasiErrno { try wasi.path_create_directory(g.m, 3, a, n) } }
        func rmdir(_ p: String) throws -> WASIErrno { let (a, n) = try s(p); return try wasiErrno { try wasi.path_remove_directory(g.m, 3, a, n) } }
        func unlink(_ p: String) throws -> WASIErrno { let (a, n) = try s(p); return try wasiErrno { try wasi.path_unlink_file(g.m, 3, a, n) } }
        func rename(_ a: String, _ b: String) throws -> WASIErrno {
            let (x, xn) = try s(a), (y, yn) = try s(b)
            return try wasiErrno { try wasi.path_rename(g.m, 3, x, xn, 3, y, yn) }
        }
        func symlink(_ target: String, _ p: String) throws -> WASIErrno {
            let (x, xn) = try s(target), (y, yn) = try s(p)
            return try wasiErrno { try wasi.path_symlink(g.m, x, xn, 3, y, yn) }
        }
        func link(_ a: String, _ b: String) throws -> WASIErrno {
            let (x, xn) = try s(a), (y, yn) = try s(b)
            return try wasiErrno { try wasi.path_link(g.m, 3, 0, x, xn, 3, y, yn) }
        }

        #expect(try mkdir("dir") == .success)
        #expect(try mkdir("dir") == .exist)
        #expect(try mkdir("dir/nested/") == .success)
        #expect(try rmdir("dir") == .notempty)
        try scratch.write("root/file", "abc")
        #expect(try unlink("dir") == .isdir)
        #expect(try unlink("dir/") == .isdir)
        #expect(try unlink("file/") == .notdir)
        #expect(try rmdir("file") == .notdir)
        #expect(try rmdir("file/") == .notdir)
        #expect(try rename("dir/", "moved/") == .success)
        #expect(try rename("file", "moved") == .isdir)
        #expect(try rename("file/", "other") == .notdir)
        #expect(try symlink("source", "target/") == .noent)
        #expect(try symlink("source", "moved/") == .exist)
        #expect(try symlink("file", "link") == .success)
        #expect(try link("file", "link") == .exist)
        #expect(try link("file", "hard/") == .noent)
        #expect(try link("moved", "hard") == .perm)
        #expect(try link("file", "hard") == .success)
        #expect(try unlink("missing") == .noent)

        // readlink copies at most the buffer and reports what it copied.
        let (l, ln) = try s("link")
        let buf = g.alloc(8), used = g.alloc(4)
        #expect(try wasiErrno { try wasi.path_readlink(g.m, 3, l, ln, buf, 2, used) } == .success)
        #expect(try g.m.u32(used) == 2)
        #expect(try g.text(buf, 2) == "fi")
        let (f, fnn) = try s("file")
        #expect(try wasiErrno { try wasi.path_readlink(g.m, 3, f, fnn, buf, 8, used) } == .inval)

        // path_filestat_set_times on the link itself, not its target.
        let stat = g.alloc(64)
        #expect(try wasiErrno { try wasi.path_filestat_get(g.m, 3, 0, f, fnn, stat) } == .success)
        let fileMtime = try g.m.u64(stat + 48)
        #expect(try wasiErrno { try wasi.path_filestat_set_times(g.m, 3, 0, l, ln, 0, 1_000_000_000, 4) } == .success)
        #expect(try wasiErrno { try wasi.path_filestat_get(g.m, 3, 0, l, ln, stat) } == .success)
        #expect(try g.m.u64(stat + 48) == 1_000_000_000)
        #expect(try wasiErrno { try wasi.path_filestat_get(g.m, 3, 1, l, ln, stat) } == .success)
        #expect(try g.m.u64(stat + 48) == fileMtime)
        #expect(try g.m.u64(stat + 24) == 2, "file and its hard link")
        #expect(try wasiErrno { try wasi.path_filestat_set_times(g.m, 3, 0, f, fnn, 0, 0, 4 | 8) } == .inval)
    }

    @Test func fileDescriptorOperations() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch)
        let all: WASIRights = [.fdRead, .fdWrite, .fdSeek, .fdTell, .fdFilestatGet, .fdFilestatSetSize, .fdAllocate,
                               .fdFdstatSetFlags, .fdSync, .fdDatasync, .fdAdvise, .fdFilestatSetTimes]
        let (e, fd) = try open(wasi, g, "data", oflags: 1, rights: all, fdflags: 1)  // creat, append
        #expect(e == .success)
        let data = try g.string("0123456789")
        let iov = try g.iovecs([data]), n = g.alloc(4), pos = g.alloc(8)
        #expect(try wasiErrno { try wasi.fd_write(g.m, fd, iov, 1, n) } == .success)
        #expect(try wasiErrno { try wasi.fd_seek(g.m, fd, 0, 0, pos) } == .success)
        #expect(try wasiErrno { try wasi.fd_write(g.m, fd, iov, 1, n) } == .success)  // appends
        #expect(try wasiErrno { try wasi.fd_tell(g.m, fd, pos) } == .success)
        #expect(try g.m.u64(pos) == 20)
        #expect(try wasiErrno { try wasi.fd_seek(g.m, fd, UInt64(bitPattern: -25), 1, pos) } == .inval)
        #expect(try wasiErrno { try wasi.fd_seek(g.m, fd, 0, 3, pos) } == .inval)
        #expect(try wasiErrno { try wasi.fd_fdstat_set_flags(fd, 0) } == .success)
        let two = try g.string("ab"), iov2 = try g.iovecs([two])
        #expect(try wasiErrno { try wasi.fd_pwrite(g.m, fd, iov2, 1, 3, n) } == .success)
        let buf = g.alloc(8), rd = try g.iovecs([(buf, 4)])
        #expect(try wasiErrno { try wasi.fd_pread(g.m, fd, rd, 1, 2, n) } == .success)
        #expect(try g.text(buf, try g.m.u32(n)) == "2ab5")
        #expect(try wasiErrno { try wasi.fd_tell(g.m, fd, pos) } == .success)
        #expect(try g.m.u64(pos) == 20, "pread/pwrite leave the offset alone")
        #expect(try wasiErrno { try wasi.fd_filestat_set_size(fd, 5) } == .success)
        #expect(try wasiErrno { try wasi.fd_allocate(fd, 0, 100) } == .success)
        let stat = g.alloc(64)
        #expect(try wasiErrno { try wasi.fd_filestat_get(g.m, fd, stat) } == .success)
        #expect(try g.m.u8(stat + 16) == WASIFiletype.regularFile.rawValue)
        #expect(try g.m.u64(stat + 32) == 100)
        #expect(try wasiErrno { try wasi.fd_advise(fd, 0, 10, 2) } == .success)
        #expect(try wasiErrno { try wasi.fd_advise(fd, 0, 10, 6) } == .inval)
        #expect(try wasiErrno { try wasi.fd_sync(fd) } == .success)
        #expect(try wasiErrno { try wasi.fd_datasync(fd) } == .success)
        #expect(try wasiErrno { try wasi.fd_filestat_set_times(fd, 5, 0, 1 | 2) } == .inval)
        #expect(try wasiErrno { try wasi.fd_close(fd) } == .success)
        #expect(try wasiErrno { try wasi.fd_close(fd) } == .badf)
        // The preopen has no byte-level rights.
        #expect(try wasiErrno { try wasi.fd_read(g.m, 3, rd, 1, n) } == .notcapable)
        #expect(try wasiErrno { try wasi.fd_seek(g.m, 3, 0, 0, pos) } == .notcapable)
    }

    @Test func readdirListsDotEntriesFirstWithCookies() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch)
        for i in 0..<5 { try scratch.write("root/file\(i)", "") }
        let buf = g.alloc(4096), used = g.alloc(4)
        #expect(try wasiErrno { try wasi.fd_readdir(g.m, 3, buf, 4096, 0, used) } == .success)
        var names: [String] = [], cookies: [UInt64] = []
        var at = buf
        let end = buf + (try g.m.u32(used))
        while at + 24 <= end {
            let namlen = try g.m.u32(at + 16)
            cookies.append(try g.m.u64(at))
            names.append(try g.text(at + 24, namlen))
            at += 24 + namlen
        }
        #expect(names.count == 7)
        #expect(Array(names.prefix(2)) == [".", ".."])
        #expect(Set(names.dropFirst(2)) == Set((0..<5).map { "file\($0)" }))
        #expect(cookies == Array(1...7))
        // Resume after the third entry: the remaining four.
        #expect(try wasiErrno { try wasi.fd_readdir(g.m, 3, buf, 4096, 3, used) } == .success)
        let firstName = try g.text(buf + 24, try g.m.u32(buf + 16))
        #expect(firstName == names[3])
        // A small buffer is filled completely (the last entry truncated).
        #expect(try wasiErrno { try wasi.fd_readdir(g.m, 3, buf, 30, 0, used) } == .success)
        #expect(try g.m.u32(used) == 30)
        // Past the end: nothing.
        #expect(try wasiErrno { try wasi.fd_readdir(g.m, 3, buf, 4096, 100, used) } == .success)
        #expect(try g.m.u32(used) == 0)
    }

    @Test func rightsCanOnlyBeDropped() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        let wasi = try makeWASI(scratch)
        try scratch.write("root/f", "abc")
        let (e, fd) = try open(wasi, g, "f", rights: [.fdRead, .fdWrite, .fdSeek])
        #expect(e == .success)
        #expect(try wasiErrno { try wasi.fd_fdstat_set_rights(fd, WASIRights.fdSeek.rawValue, 0) } == .success)
        let buf = g.alloc(8), iov = try g.iovecs([(buf, 8)]), n = g.alloc(4)
        #expect(try wasiErrno { try wasi.fd_read(g.m, fd, iov, 1, n) } == .notcapable)
        let back = WASIRights([.fdSeek, .fdRead]).rawValue
        #expect(try wasiErrno { try wasi.fd_fdstat_set_rights(fd, back, 0) } == .notcapable)
        // A directory never gets byte-level rights, whatever is asked.
        let (e2, dfd) = try open(wasi, g, ".", oflags: 2, rights: .all.subtracting([.fdWrite, .fdAllocate, .fdDatasync, .fdFilestatSetSize]))
        #expect(e2 == .success)
        let stat = g.alloc(24)
        #expect(try wasiErrno { try wasi.fd_fdstat_get(g.m, dfd, stat) } == .success)
        #expect(try g.m.u8(stat) == WASIFiletype.directory.rawValue)
        #expect(WASIRights(rawValue: try g.m.u64(stat + 8)).isDisjoint(with: [.fdRead, .fdWrite, .fdSeek, .fdTell]))
    }

    @Test func stdioCloseAndRenumberNeverCloseTheHostDescriptor() throws {
        let scratch = try ScratchDirectory(), out = try CapturePipe(), g = try GuestFixture()
        let wasi = try makeWASI(scratch, stdout: out)
        #expect(try wasiErrno { try wasi.fd_renumber(1, 3) } == .success)
        #expect(try wasiErrno { try wasi.fd_close(1) } == .badf)
        #expect(try wasiErrno { try wasi.fd_close(3) } == .success)
        #expect(fcntl(out.writeFD, F_GETFD) >= 0, "the embedder's descriptor stays open")
        #expect(try wasiErrno { try wasi.fd_renumber(3, 0) } == .badf)
        _ = g
    }

    @Test func procExitThrowsProcessExit() throws {
        let wasi = try WASI(configuration: WASIConfiguration())
        do {
            try wasi.proc_exit(33)
            Issue.record("proc_exit returned")
        } catch {
            #expect(wasi.exitCode(from: error) == 33)
            #expect(WASI.exitCode(from: error) == 33)
        }
        #expect(wasi.exitCode(from: Trap(.unreachable)) == nil)
        #expect(try wasiErrno { try wasi.proc_raise(9) } == .notsup)
        #expect(try wasiErrno { try wasi.sched_yield() } == .success)
    }

    @Test func socketsAreNotSockets() throws {
        let wasi = try WASI(configuration: WASIConfiguration())
        #expect(try wasiErrno { try wasi.sock_shutdown(1, 3) } == .notsock)
        #expect(try wasiErrno { try wasi.sock_shutdown(3, 3) } == .badf)
    }

    @Test func clocksRandomAndPoll() throws {
        let g = try GuestFixture()
        let wasi = try WASI(configuration: WASIConfiguration())
        let t = g.alloc(8)
        #expect(try wasiErrno { try wasi.clock_time_get(g.m, 1, 0, t) } == .success)
        let first = try g.m.u64(t)
        #expect(try wasiErrno { try wasi.clock_res_get(g.m, 0, t) } == .success)
        #expect(try g.m.u64(t) > 0)
        #expect(try wasiErrno { try wasi.clock_time_get(g.m, 7, 0, t) } == .inval)
        let buf = g.alloc(1024)
        #expect(try wasiErrno { try wasi.random_get(g.m, buf, 1024) } == .success)
        #expect(try g.bytes(buf, 1024).contains { $0 != 0 })

        // poll_oneoff: a 20 ms relative clock.
        let sub = g.alloc(48), events = g.alloc(32), n = g.alloc(4)
        try g.m.setU64(sub, 0xABCD)
        try g.m.setU8(sub + 8, 0)
        try g.m.setU32(sub + 16, 1)
        try g.m.setU64(sub + 24, 20_000_000)
        #expect(try wasiErrno { try wasi.poll_oneoff(g.m, sub, events, 1, n) } == .success)
        #expect(try g.m.u32(n) == 1)
        #expect(try g.m.u64(events) == 0xABCD)
        #expect(try g.m.u16(events + 8) == 0)
        #expect(try wasiErrno { try wasi.clock_time_get(g.m, 1, 0, t) } == .success)
        #expect(try g.m.u64(t) - first >= 20_000_000)
        #expect(try wasiErrno { try wasi.poll_oneoff(g.m, sub, events, 0, n) } == .inval)
    }

    @Test func pollReportsReadyDescriptors() throws {
        let g = try GuestFixture(), input = try CapturePipe()
        var config = WASIConfiguration()
        config.stdin = input.readFD
        let wasi = try WASI(configuration: config)
        /// Subscriptions: fd_read on stdin (userdata 1), a 5 s clock (userdata 2).
        let subs = g.alloc(96), events = g.alloc(64), n = g.alloc(4)
        try g.m.setU64(subs, 1)
        try g.m.setU8(subs + 8, 1)
        try g.m.setU32(subs + 16, 0)
        try g.m.setU64(subs + 48, 2)
        try g.m.setU8(subs + 56, 0)
        try g.m.setU32(subs + 64, 1)
        try g.m.setU64(subs + 72, 5_000_000_000)
        _ = write(input.writeFD, "abc", 3)
        #expect(try wasiErrno { try wasi.poll_oneoff(g.m, subs, events, 2, n) } == .success)
        #expect(try g.m.u32(n) == 1)
        #expect(try g.m.u64(events) == 1)
        #expect(try g.m.u8(events + 10) == 1)
        #expect(try g.m.u64(events + 16) == 3, "bytes available")
        // An unknown fd is reported at once, with its error.
        try g.m.setU32(subs + 16, 77)
        #expect(try wasiErrno { try wasi.poll_oneoff(g.m, subs, events, 2, n) } == .success)
        #expect(try g.m.u32(n) == 1)
        #expect(try g.m.u16(events + 8) == WASIErrno.badf.rawValue)
        // An absolute deadline already past fires at once.
        try g.m.setU16(subs + 88, 1)
        try g.m.setU64(subs + 72, 1)
        try g.m.setU32(subs + 16, 0)
        _ = read(input.readFD, g.m.base + 2000, 3)
        #expect(try wasiErrno { try wasi.poll_oneoff(g.m, subs, events, 2, n) } == .success)
        #expect(try g.m.u32(n) == 1)
        #expect(try g.m.u64(events) == 2)
    }

    @Test func deterministicHooks() throws {
        let g = try GuestFixture()
        var config = WASIConfiguration()
        config.clock = { id in id == .realtime ? 1_000 : 42 }
        config.random = { buf in for i in buf.indices { buf[i] = UInt8(i & 0xFF) } }
        let wasi = try WASI(configuration: config)
        let t = g.alloc(8)
        #expect(try wasiErrno { try wasi.clock_time_get(g.m, 0, 0, t) } == .success)
        #expect(try g.m.u64(t) == 1_000)
        #expect(try wasiErrno { try wasi.clock_time_get(g.m, 1, 0, t) } == .success)
        #expect(try g.m.u64(t) == 42)
        let buf = g.alloc(4)
        #expect(try wasiErrno { try wasi.random_get(g.m, buf, 4) } == .success)
        #expect(try g.bytes(buf, 4) == [0, 1, 2, 3])
    }

    @Test func descriptorLimit() throws {
        let scratch = try ScratchDirectory(), g = try GuestFixture()
        try scratch.mkdir("root")
        var config = WASIConfiguration(preopens: [(scratch.url.appendingPathComponent("root").path, "/")])
        config.maxOpenDescriptors = 6
        let wasi = try WASI(configuration: config)
        #expect(try open(wasi, g, ".").0 == .success)
        #expect(try open(wasi, g, ".").0 == .success)
        #expect(try open(wasi, g, ".").0 == .mfile)
        #expect(try wasiErrno { try wasi.fd_close(5) } == .success)
        #expect(try open(wasi, g, ".").0 == .success)
    }

    @Test func invalidConfigurationIsRejected() {
        #expect(throws: WasmoonError.self) {
            try WASI(configuration: WASIConfiguration(preopens: [("/nonexistent/wasmoon", "/")]))
        }
        #expect(throws: WasmoonError.self) { try WASI(configuration: WASIConfiguration(arguments: ["a\0b"])) }
        #expect(throws: WasmoonError.self) { try WASI(configuration: WASIConfiguration(environment: [("A=B", "c")])) }
    }
}
