import Foundation
import Testing
import WasmRuntime
import WasmoonWASI

#if canImport(Glibc)
import Glibc
#endif

/// The sandbox path resolver on its own: every escape is refused, in-sandbox
/// paths (with `.`, `..` and symlinks) resolve to the right directory.
@Suite("WASI sandbox path resolution")
final class WASISandboxTests {
    let scratch: ScratchDirectory
    /// Host descriptor of `scratch/sandbox`, the capability every path starts from.
    let base: Int32

    init() throws {
        scratch = try ScratchDirectory()
        try scratch.mkdir("sandbox/dir/nested")
        try scratch.mkdir("outside")
        try scratch.write("outside/secret", "secret")
        try scratch.write("sandbox/file", "inside")
        try scratch.write("sandbox/dir/nested/file", "nested")
        try scratch.symlink("sandbox/etc", to: "/etc")
        try scratch.symlink("sandbox/up", to: "../outside")
        try scratch.symlink("sandbox/upfile", to: "../outside/secret")
        try scratch.symlink("sandbox/leave", to: "../sandbox/file")
        try scratch.symlink("sandbox/dir/back", to: "../file")
        try scratch.symlink("sandbox/dir/escape", to: "../../outside/secret")
        try scratch.symlink("sandbox/loop", to: "loop")
        try scratch.symlink("sandbox/ping", to: "pong")
        try scratch.symlink("sandbox/pong", to: "ping")
        try scratch.symlink("sandbox/chain1", to: "chain2")
        try scratch.symlink("sandbox/chain2", to: "dir")
        try scratch.symlink("sandbox/hop", to: "dir/escape")
        try scratch.symlink("sandbox/dangling", to: "nowhere")
        try scratch.symlink("sandbox/dirlink", to: "dir/")
        base = open(scratch.url.appendingPathComponent("sandbox").path, O_RDONLY | O_DIRECTORY)
        #expect(base >= 0)
    }

    deinit { close(base) }

    /// Resolves and returns (inode of the directory, final name), or the errno.
    func resolve(_ path: String, follow: Bool = true) -> Result<(ino_t, String, Bool), WASIErrno> {
        do {
            let r = try SandboxPath.resolve(path, in: base, followFinal: follow)
            var st = stat()
            fstat(r.directory, &st)
            return .success((st.st_ino, r.name, r.trailingSlash))
        } catch {
            return .failure(error)
        }
    }

    func ino(_ relative: String) -> ino_t {
        var st = stat()
        stat(scratch.url.appendingPathComponent(relative).path, &st)
        return st.st_ino
    }

    func expectResolves(
        _ path: String, follow: Bool = true, dir: String, name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch resolve(path, follow: follow) {
        case .success(let (i, n, _)):
            #expect(i == ino(dir), "\(path): wrong directory", sourceLocation: sourceLocation)
            #expect(n == name, "\(path): wrong name", sourceLocation: sourceLocation)
        case .failure(let e):
            Issue.record("\(path): unexpected \(e)", sourceLocation: sourceLocation)
        }
    }

    func expectRefused(
        _ path: String, follow: Bool = true, _ errno: WASIErrno, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch resolve(path, follow: follow) {
        case .success(let (_, n, _)): Issue.record("\(path): resolved to \(n), expected \(errno)", sourceLocation: sourceLocation)
        case .failure(let e): #expect(e == errno, "\(path)", sourceLocation: sourceLocation)
        }
    }

    @Test func plainPathsResolveInside() {
        expectResolves("file", dir: "sandbox", name: "file")
        expectResolves("dir/nested/file", dir: "sandbox/dir/nested", name: "file")
        expectResolves(".", dir: "sandbox", name: ".")
        expectResolves("dir/..", dir: "sandbox", name: ".")
        expectResolves("dir/.//nested/../../dir/nested/../nested///./file", dir: "sandbox/dir/nested", name: "file")
        expectResolves("missing", dir: "sandbox", name: "missing")
    }

    @Test func absolutePathsAreRefused() {
        expectRefused("/", .notcapable)
        expectRefused("/etc/passwd", .notcapable)
        expectRefused("//file", .notcapable)
    }

    @Test func dotDotCannotClimbAboveTheBase() {
        expectRefused("..", .notcapable)
        expectRefused("../outside/secret", .notcapable)
        expectRefused("dir/../../outside/secret", .notcapable)
        expectRefused("dir/nested/../../../sandbox/file", .notcapable)  // leaves, then comes back: still refused
        expectRefused("./..", .notcapable)
    }

    @Test func symlinkToAbsoluteHostPathIsRefused() {
        // A symlink planted inside the preopen pointing at /etc.
        expectRefused("etc", follow: true, .notcapable)
        expectRefused("etc/passwd", follow: false, .notcapable)  // intermediate components always follow
        expectRefused("etc/", follow: false, .notcapable)  // a trailing slash follows
        // Not following the final component: the link itself is addressed.
        expectResolves("etc", follow: false, dir: "sandbox", name: "etc")
    }

    @Test func relativeSymlinksThatEscapeAreRefused() {
        expectRefused("up/secret", .notcapable)
        expectRefused("upfile", .notcapable)
        expectRefused("dir/escape", .notcapable)
        expectRefused("hop", .notcapable)  // a chain whose second link escapes
        expectRefused("leave", .notcapable)  // leaves the sandbox and comes back: refused
    }

    @Test func symlinksInsideTheSandboxAreFollowed() {
        expectResolves("dir/back", dir: "sandbox", name: "file")
        expectResolves("chain1/nested/file", dir: "sandbox/dir/nested", name: "file")
        expectResolves("chain1", dir: "sandbox", name: "dir")
        expectResolves("dirlink/nested/file", dir: "sandbox/dir/nested", name: "file")
        expectResolves("dangling", dir: "sandbox", name: "nowhere")
    }

    @Test func symlinkLoopsAreELOOP() {
        expectRefused("loop", .loop)
        expectRefused("ping", .loop)
        expectRefused("loop/x", follow: false, .loop)
        expectResolves("loop", follow: false, dir: "sandbox", name: "loop")
    }

    @Test func malformedPaths() {
        expectRefused("", .noent)
        expectRefused("file/x", .notdir)
        expectRefused("missing/x", .noent)
        expectRefused("a\0b", .inval)
    }

    @Test func trailingSlashIsReported() {
        if case .success(let (_, name, slash)) = resolve("dir/nested/", follow: false) {
            #expect(name == "nested")
            #expect(slash)
        } else {
            Issue.record("dir/nested/ did not resolve")
        }
        // A trailing slash follows a final symlink even without symlink_follow.
        expectResolves("chain1/", follow: false, dir: "sandbox", name: "dir")
    }

    @Test func errnoMapping() {
        #expect(WASIErrno(hostErrno: ENOENT) == .noent)
        #expect(WASIErrno(hostErrno: EBADF) == .badf)
        #expect(WASIErrno(hostErrno: ENOTDIR) == .notdir)
        #expect(WASIErrno(hostErrno: EISDIR) == .isdir)
        #expect(WASIErrno(hostErrno: EEXIST) == .exist)
        #expect(WASIErrno(hostErrno: ENOTEMPTY) == .notempty)
        #expect(WASIErrno(hostErrno: ELOOP) == .loop)
        #expect(WASIErrno(hostErrno: EINVAL) == .inval)
        #expect(WASIErrno(hostErrno: EPERM) == .perm)
        #expect(WASIErrno(hostErrno: EACCES) == .acces)
        #expect(WASIErrno(hostErrno: ENOTSOCK) == .notsock)
        #expect(WASIErrno(hostErrno: EOPNOTSUPP) == .notsup)
        #expect(WASIErrno(hostErrno: 99999) == .io)
        #expect(WASIErrno.notcapable.rawValue == 76)
        #expect(WASIErrno.noent.rawValue == 44)
        #expect(WASIErrno.badf.rawValue == 8)
        #expect(WASIErrno.allCases.count == 77)
    }
}
