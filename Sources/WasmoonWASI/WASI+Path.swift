import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// path_* functions. Each resolves its path(s) with `SandboxPath.resolve` and then
// makes exactly one no-follow `*at` call on the result.
extension WASI {
    /// Reads the guest path and resolves it inside directory `d`.
    private func resolve(_ m: GuestMemory, _ d: Descriptor, _ path: UInt32, _ len: UInt32, follow: Bool) throws
        -> ResolvedPath
    {
        let text = try m.string(path, len)
        return try SandboxPath.resolve(text, in: d.hostFD, followFinal: follow)
    }

    private func follows(_ lookupflags: UInt32) throws(WASIErrno) -> Bool {
        guard lookupflags & ~WASIConst.lookupSymlinkFollow == 0 else { throw .inval }
        return lookupflags & WASIConst.lookupSymlinkFollow != 0
    }

    /// For a destination written with a trailing slash that must not exist yet
    /// (link, symlink): `EEXIST` when something is there, else `ENOENT`.
    private func refuseTrailingSlashDestination(_ r: ResolvedPath) throws(WASIErrno) {
        guard r.trailingSlash else { return }
        if (try? Host.lstatat(r.directory, r.name)) != nil { throw .exist }
        throw .noent
    }

    package func path_open(
        _ m: GuestMemory, _ fd: UInt32, _ dirflags: UInt32, _ path: UInt32, _ len: UInt32, _ oflags: UInt32,
        _ base: UInt64, _ inheriting: UInt64, _ fdflags: UInt32, _ result: UInt32
    ) throws {
        guard oflags <= UInt32(WASIConst.oflagsAll), fdflags <= UInt32(WASIConst.fdflagsAll) else {
            throw WASIErrno.inval
        }
        let o = UInt16(oflags), f = UInt16(fdflags)
        var needed: WASIRights = .pathOpen
        if o & WASIConst.oflagCreat != 0 { needed.insert(.pathCreateFile) }
        if o & WASIConst.oflagTrunc != 0 { needed.insert(.pathFilestatSetSize) }
        let dir = try directory(fd, needed)
        let follow = try follows(dirflags)
        if o & WASIConst.oflagDirectory != 0 && o & (WASIConst.oflagCreat | WASIConst.oflagTrunc) != 0 {
            throw WASIErrno.inval
        }
        _ = try m.check(result, 4)
        guard table.count < configuration.maxOpenDescriptors else { throw WASIErrno.mfile }
        let r = try resolve(m, dir, path, len, follow: follow)
        if r.trailingSlash && o & WASIConst.oflagCreat != 0 { throw WASIErrno.isdir }

        let requested = WASIRights(rawValue: base)
        let read = !requested.isDisjoint(with: [.fdRead, .fdReaddir])
        let write = !requested.isDisjoint(with: [.fdWrite, .fdDatasync, .fdAllocate, .fdFilestatSetSize])
        var flags: Int32 = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY
        flags |= O_CLOEXEC | O_NOFOLLOW | O_NOCTTY
        if o & WASIConst.oflagCreat != 0 { flags |= O_CREAT }
        if o & WASIConst.oflagExcl != 0 { flags |= O_EXCL }
        if o & WASIConst.oflagTrunc != 0 { flags |= O_TRUNC }
        if o & WASIConst.oflagDirectory != 0 || r.trailingSlash { flags |= O_DIRECTORY }
        if f & WASIConst.fdflagAppend != 0 { flags |= O_APPEND }
        if f & WASIConst.fdflagDsync != 0 { flags |= O_DSYNC }
        if f & WASIConst.fdflagNonblock != 0 { flags |= O_NONBLOCK }
        if f & WASIConst.fdflagRsync != 0 { flags |= Host.oRsync }
        if f & WASIConst.fdflagSync != 0 { flags |= O_SYNC }

        let hostFD = try Host.openat(r.directory, r.name, flags, 0o666)
        let st: stat
        do { st = try Host.fstat(hostFD) } catch {
            Host.close(hostFD)
            throw error
        }
        let filetype = WASIFiletype(mode: st.st_mode)
        let mask = Descriptor.rightsMask(filetype: filetype, hostFD: hostFD)
        let newBase = requested.intersection(dir.rightsInheriting).intersection(mask)
        let newInheriting =
            filetype == .directory ? WASIRights(rawValue: inheriting).intersection(dir.rightsInheriting) : []
        let d = Descriptor(
            hostFD: hostFD, ownsHostFD: true, filetype: filetype, rightsBase: newBase, rightsInheriting: newInheriting,
            fdflags: f)
        let newFD = table.insert(d)
        try m.setU32(result, newFD)
    }

    package func path_create_directory(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ len: UInt32) throws {
        let dir = try directory(fd, .pathCreateDirectory)
        let r = try resolve(m, dir, path, len, follow: false)
        _ = try Host.retry { r.name.withCString { mkdirat(r.directory, $0, 0o777) } }
    }

    package func path_filestat_get(
        _ m: GuestMemory, _ fd: UInt32, _ flags: UInt32, _ path: UInt32, _ len: UInt32, _ out: UInt32
    ) throws {
        let dir = try directory(fd, .pathFilestatGet)
        let r = try resolve(m, dir, path, len, follow: try follows(flags))
        _ = try m.check(out, UInt64(WASIConst.filestatSize))
        let st = try Host.lstatat(r.directory, r.name)
        if r.trailingSlash && WASIFiletype(mode: st.st_mode) != .directory { throw WASIErrno.notdir }
        try writeFilestat(m, out, st)
    }

    package func path_filestat_set_times(
        _ m: GuestMemory, _ fd: UInt32, _ flags: UInt32, _ path: UInt32, _ len: UInt32, _ atim: UInt64,
        _ mtim: UInt64, _ fstflags: UInt32
    ) throws {
        let dir = try directory(fd, .pathFilestatSetTimes)
        let ts = try WASI.times(atim, mtim, fstflags)
        let r = try resolve(m, dir, path, len, follow: try follows(flags))
        if r.trailingSlash, WASIFiletype(mode: try Host.lstatat(r.directory, r.name).st_mode) != .directory {
            throw WASIErrno.notdir
        }
        _ = try Host.retry {
            r.name.withCString { n in ts.withUnsafeBufferPointer { utimensat(r.directory, n, $0.baseAddress, AT_SYMLINK_NOFOLLOW) } }
        }
    }

    package func path_link(
        _ m: GuestMemory, _ oldFD: UInt32, _ oldFlags: UInt32, _ oldPath: UInt32, _ oldLen: UInt32, _ newFD: UInt32,
        _ newPath: UInt32, _ newLen: UInt32
    ) throws {
        let oldDir = try directory(oldFD, .pathLinkSource)
        let newDir = try directory(newFD, .pathLinkTarget)
        let old = try resolve(m, oldDir, oldPath, oldLen, follow: try follows(oldFlags))
        let new = try resolve(m, newDir, newPath, newLen, follow: false)
        if old.trailingSlash {
            let st = try Host.lstatat(old.directory, old.name)
            throw WASIFiletype(mode: st.st_mode) == .directory ? WASIErrno.perm : WASIErrno.notdir
        }
        try refuseTrailingSlashDestination(new)
        _ = try Host.retry {
            old.name.withCString { o in new.name.withCString { n in linkat(old.directory, o, new.directory, n, 0) } }
        }
    }

    package func path_readlink(
        _ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ len: UInt32, _ buf: UInt32, _ bufLen: UInt32,
        _ bufused: UInt32
    ) throws {
        let dir = try directory(fd, .pathReadlink)
        let r = try resolve(m, dir, path, len, follow: false)
        let out = try m.buffer(buf, bufLen)
        _ = try m.check(bufused, 4)
        guard let target = try Host.readSymlink(r.directory, r.name) else {
            // Not a symlink (EINVAL), or missing (ENOENT): ask the host which.
            _ = try Host.lstatat(r.directory, r.name)
            throw WASIErrno.inval
        }
        let n = min(target.count, out.count)
        if n > 0 { target.withUnsafeBytes { out.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) } }
        try m.setU32(bufused, UInt32(n))
    }

    package func path_remove_directory(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ len: UInt32) throws {
        let dir = try directory(fd, .pathRemoveDirectory)
        let r = try resolve(m, dir, path, len, follow: false)
        _ = try Host.retry { r.name.withCString { unlinkat(r.directory, $0, AT_REMOVEDIR) } }
    }

    package func path_rename(
        _ m: GuestMemory, _ fd: UInt32, _ oldPath: UInt32, _ oldLen: UInt32, _ newFD: UInt32, _ newPath: UInt32,
        _ newLen: UInt32
    ) throws {
        let oldDir = try directory(fd, .pathRenameSource)
        let newDir = try directory(newFD, .pathRenameTarget)
        let old = try resolve(m, oldDir, oldPath, oldLen, follow: false)
        let new = try resolve(m, newDir, newPath, newLen, follow: false)
        if old.trailingSlash || new.trailingSlash {
            // A trailing slash on either name: only a directory may be renamed.
            let st = try Host.lstatat(old.directory, old.name)
            if WASIFiletype(mode: st.st_mode) != .directory { throw WASIErrno.notdir }
        }
        _ = try Host.retry {
            old.name.withCString { o in new.name.withCString { n in renameat(old.directory, o, new.directory, n) } }
        }
    }

    /// Creates a symlink. An absolute target is refused (`ENOTCAPABLE`): it
    /// could never be followed inside the sandbox. Relative targets are stored
    /// as given and checked whenever they are followed.
    package func path_symlink(
        _ m: GuestMemory, _ oldPath: UInt32, _ oldLen: UInt32, _ fd: UInt32, _ newPath: UInt32, _ newLen: UInt32
    ) throws {
        let dir = try directory(fd, .pathSymlink)
        let target = try m.string(oldPath, oldLen)
        if target.utf8.first == UInt8(ascii: "/") { throw WASIErrno.notcapable }
        let r = try resolve(m, dir, newPath, newLen, follow: false)
        try refuseTrailingSlashDestination(r)
        _ = try Host.retry { target.withCString { t in r.name.withCString { symlinkat(t, r.directory, $0) } } }
    }

    package func path_unlink_file(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ len: UInt32) throws {
        let dir = try directory(fd, .pathUnlinkFile)
        let r = try resolve(m, dir, path, len, follow: false)
        if r.trailingSlash {
            let st = try Host.lstatat(r.directory, r.name)
            throw WASIFiletype(mode: st.st_mode) == .directory ? WASIErrno.isdir : WASIErrno.notdir
        }
        _ = try Host.retry { r.name.withCString { unlinkat(r.directory, $0, 0) } }
    }
}
