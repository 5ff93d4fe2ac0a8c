import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// fd_* functions.
extension WASI {
    /// Host `iovec`s for guest (c)iovecs. At most IOV_MAX buffers and
    /// `Int32.max` bytes are passed on (the rest is a short transfer), so the
    /// count always fits the guest's `size`.
    func hostIovecs(_ m: GuestMemory, _ iovs: UInt32, _ count: UInt32) throws -> [iovec] {
        let bufs = try m.iovecs(iovs, count)
        var result: [iovec] = []
        result.reserveCapacity(min(bufs.count, 1024))
        var budget = Int(Int32.max)
        for b in bufs.prefix(1024) {
            let n = min(b.count, budget)
            result.append(iovec(iov_base: b.baseAddress, iov_len: n))
            budget -= n
            if budget == 0 { break }
        }
        return result
    }

    /// Converts a guest `filesize`/offset to `off_t` (`EINVAL` when it does not fit).
    private func offset(_ v: UInt64) throws(WASIErrno) -> off_t {
        guard v <= UInt64(Int64.max) else { throw .inval }
        return off_t(v)
    }

    package func fd_write(_ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ nwritten: UInt32)
        throws
    {
        let d = try descriptor(fd, .fdWrite)
        let vecs = try hostIovecs(m, iovs, count)
        _ = try m.check(nwritten, 4)
        let n = try Host.retry { vecs.withUnsafeBufferPointer { writev(d.hostFD, $0.baseAddress, Int32($0.count)) } }
        try m.setU32(nwritten, UInt32(n))
    }

    package func fd_read(_ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ nread: UInt32) throws {
        let d = try descriptor(fd, .fdRead)
        let vecs = try hostIovecs(m, iovs, count)
        _ = try m.check(nread, 4)
        let n = try Host.retry { vecs.withUnsafeBufferPointer { readv(d.hostFD, $0.baseAddress, Int32($0.count)) } }
        try m.setU32(nread, UInt32(n))
    }

    package func fd_pwrite(
        _ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ at: UInt64, _ nwritten: UInt32
    ) throws {
        let d = try descriptor(fd, [.fdWrite, .fdSeek])
        let vecs = try hostIovecs(m, iovs, count)
        let off = try offset(at)
        _ = try m.check(nwritten, 4)
        let n = try Host.retry { vecs.withUnsafeBufferPointer { pwritev(d.hostFD, $0.baseAddress, Int32($0.count), off) } }
        try m.setU32(nwritten, UInt32(n))
    }

    package func fd_pread(
        _ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ at: UInt64, _ nread: UInt32
    ) throws {
        let d = try descriptor(fd, [.fdRead, .fdSeek])
        let vecs = try hostIovecs(m, iovs, count)
        let off = try offset(at)
        _ = try m.check(nread, 4)
        let n = try Host.retry { vecs.withUnsafeBufferPointer { preadv(d.hostFD, $0.baseAddress, Int32($0.count), off) } }
        try m.setU32(nread, UInt32(n))
    }

    package func fd_seek(_ m: GuestMemory, _ fd: UInt32, _ delta: UInt64, _ whence: UInt32, _ newOffset: UInt32) throws {
        let signed = Int64(bitPattern: delta)
        let needed: WASIRights = signed == 0 && whence == UInt32(WASIConst.whenceCur) ? .fdTell : .fdSeek
        guard let d = table[fd] else { throw WASIErrno.badf }
        // A zero-distance relative seek is a `tell`: either right allows it.
        guard d.rightsBase.contains(needed) || d.rightsBase.contains(.fdSeek) else { throw WASIErrno.notcapable }
        let hostWhence: Int32
        switch whence {
        case UInt32(WASIConst.whenceSet): hostWhence = SEEK_SET
        case UInt32(WASIConst.whenceCur): hostWhence = SEEK_CUR
        case UInt32(WASIConst.whenceEnd): hostWhence = SEEK_END
        default: throw WASIErrno.inval
        }
        _ = try m.check(newOffset, 8)
        let r = try Host.retry { lseek(d.hostFD, off_t(signed), hostWhence) }
        try m.setU64(newOffset, UInt64(r))
    }

    package func fd_tell(_ m: GuestMemory, _ fd: UInt32, _ offset: UInt32) throws {
        let d = try descriptor(fd, .fdTell)
        _ = try m.check(offset, 8)
        let r = try Host.retry { lseek(d.hostFD, 0, SEEK_CUR) }
        try m.setU64(offset, UInt64(r))
    }

    package func fd_close(_ fd: UInt32) throws {
        guard table.remove(fd) != nil else { throw WASIErrno.badf }
    }

    /// Moves `from` to `to`, closing what `to` was. Both must be open.
    package func fd_renumber(_ from: UInt32, _ to: UInt32) throws {
        guard let d = table[from], table[to] != nil else { throw WASIErrno.badf }
        if from == to { return }
        table.set(to, d)
        table.remove(from)
    }

    package func fd_datasync(_ fd: UInt32) throws {
        let d = try descriptor(fd, .fdDatasync)
        #if os(Linux)
        _ = try Host.retry { fdatasync(d.hostFD) }
        #else
        _ = try Host.retry { fsync(d.hostFD) }
        #endif
    }

    package func fd_sync(_ fd: UInt32) throws {
        let d = try descriptor(fd, .fdSync)
        _ = try Host.retry { fsync(d.hostFD) }
    }

    package func fd_advise(_ fd: UInt32, _ at: UInt64, _ len: UInt64, _ advice: UInt32) throws {
        let d = try descriptor(fd, .fdAdvise)
        guard advice <= 5 else { throw WASIErrno.inval }
        let off = try offset(at), length = try offset(len)
        #if os(Linux)
        let hostAdvice: Int32 = [
            POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM, POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,
            POSIX_FADV_NOREUSE,
        ][Int(advice)]
        let r = posix_fadvise(d.hostFD, off, length, hostAdvice)
        if r != 0 { throw WASIErrno(hostErrno: r) }
        #else
        _ = (d, off, length)
        #endif
    }

    package func fd_allocate(_ fd: UInt32, _ at: UInt64, _ len: UInt64) throws {
        let d = try descriptor(fd, .fdAllocate)
        let off = try offset(at), length = try offset(len)
        guard off.addingReportingOverflow(length).overflow == false else { throw WASIErrno.fbig }
        #if os(Linux)
        var r: Int32
        repeat { r = posix_fallocate(d.hostFD, off, length) } while r == EINTR
        if r != 0 { throw WASIErrno(hostErrno: r) }
        #else
        _ = (d, off, length)
        throw WASIErrno.notsup
        #endif
    }

    package func fd_fdstat_get(_ m: GuestMemory, _ fd: UInt32, _ out: UInt32) throws {
        let d = try descriptor(fd)
        let p = try m.buffer(out, UInt32(WASIConst.fdstatSize))
        p.initializeMemory(as: UInt8.self, repeating: 0)
        try m.setU8(out, d.filetype.rawValue)
        try m.setU16(out + 2, d.fdflags)
        try m.setU64(out + 8, d.rightsBase.rawValue)
        try m.setU64(out + 16, d.rightsInheriting.rawValue)
    }

    /// Only `append` and `nonblock` can change after opening (`ENOTSUP` for the
    /// sync flags, as the host cannot change them); stdio's host flags are the
    /// embedder's and are left alone.
    package func fd_fdstat_set_flags(_ fd: UInt32, _ flags: UInt32) throws {
        let d = try descriptor(fd, .fdFdstatSetFlags)
        guard flags <= UInt32(WASIConst.fdflagsAll) else { throw WASIErrno.inval }
        let new = UInt16(flags)
        let syncFlags = WASIConst.fdflagDsync | WASIConst.fdflagRsync | WASIConst.fdflagSync
        if (new ^ d.fdflags) & syncFlags != 0 { throw WASIErrno.notsup }
        if new == d.fdflags { return }
        guard d.ownsHostFD else { throw WASIErrno.notsup }
        var hostFlags = try Host.retry { fcntl(d.hostFD, F_GETFL) }
        hostFlags &= ~(O_APPEND | O_NONBLOCK)
        if new & WASIConst.fdflagAppend != 0 { hostFlags |= O_APPEND }
        if new & WASIConst.fdflagNonblock != 0 { hostFlags |= O_NONBLOCK }
        _ = try Host.retry { fcntl(d.hostFD, F_SETFL, hostFlags) }
        d.fdflags = new
    }

    /// Rights can only be dropped (`ENOTCAPABLE` when asked to add one).
    package func fd_fdstat_set_rights(_ fd: UInt32, _ base: UInt64, _ inheriting: UInt64) throws {
        let d = try descriptor(fd)
        let b = WASIRights(rawValue: base), i = WASIRights(rawValue: inheriting)
        guard d.rightsBase.isSuperset(of: b), d.rightsInheriting.isSuperset(of: i) else { throw WASIErrno.notcapable }
        d.rightsBase = b
        d.rightsInheriting = i
    }

    /// Writes a `filestat` (64 bytes) for host `stat` `st`.
    func writeFilestat(_ m: GuestMemory, _ out: UInt32, _ st: stat) throws {
        let p = try m.buffer(out, UInt32(WASIConst.filestatSize))
        p.initializeMemory(as: UInt8.self, repeating: 0)
        try m.setU64(out, UInt64(truncatingIfNeeded: st.st_dev))
        try m.setU64(out + 8, UInt64(truncatingIfNeeded: st.st_ino))
        try m.setU8(out + 16, WASIFiletype(mode: st.st_mode).rawValue)
        try m.setU64(out + 24, UInt64(truncatingIfNeeded: st.st_nlink))
        try m.setU64(out + 32, UInt64(truncatingIfNeeded: st.st_size))
        #if os(Linux)
        try m.setU64(out + 40, Host.nanoseconds(st.st_atim))
        try m.setU64(out + 48, Host.nanoseconds(st.st_mtim))
        try m.setU64(out + 56, Host.nanoseconds(st.st_ctim))
        #else
        try m.setU64(out + 40, Host.nanoseconds(st.st_atimespec))
        try m.setU64(out + 48, Host.nanoseconds(st.st_mtimespec))
        try m.setU64(out + 56, Host.nanoseconds(st.st_ctimespec))
        #endif
    }

    package func fd_filestat_get(_ m: GuestMemory, _ fd: UInt32, _ out: UInt32) throws {
        let d = try descriptor(fd, .fdFilestatGet)
        _ = try m.check(out, UInt64(WASIConst.filestatSize))
        try writeFilestat(m, out, try Host.fstat(d.hostFD))
    }

    package func fd_filestat_set_size(_ fd: UInt32, _ size: UInt64) throws {
        let d = try descriptor(fd, .fdFilestatSetSize)
        let s = try offset(size)
        _ = try Host.retry { ftruncate(d.hostFD, s) }
    }

    /// The two `timespec`s of `futimens`/`utimensat` for WASI times and `fstflags`.
    static func times(_ atim: UInt64, _ mtim: UInt64, _ flags: UInt32) throws(WASIErrno) -> [timespec] {
        guard flags <= UInt32(WASIConst.fstAll) else { throw .inval }
        let f = UInt16(flags)
        func one(_ t: UInt64, set: UInt16, now: UInt16) throws(WASIErrno) -> timespec {
            if f & set != 0 && f & now != 0 { throw .inval }
            var ts = timespec()
            if f & set != 0 { return Host.makeTimespec(nanoseconds: t) }
            ts.tv_nsec = f & now != 0 ? Host.utimeNow : Host.utimeOmit
            return ts
        }
        return [
            try one(atim, set: WASIConst.fstAtim, now: WASIConst.fstAtimNow),
            try one(mtim, set: WASIConst.fstMtim, now: WASIConst.fstMtimNow),
        ]
    }

    package func fd_filestat_set_times(_ fd: UInt32, _ atim: UInt64, _ mtim: UInt64, _ flags: UInt32) throws {
        let d = try descriptor(fd, .fdFilestatSetTimes)
        let ts = try WASI.times(atim, mtim, flags)
        _ = try Host.retry { ts.withUnsafeBufferPointer { futimens(d.hostFD, $0.baseAddress) } }
    }

    /// Only preopened directories have a prestat; others are `EBADF`.
    package func fd_prestat_get(_ m: GuestMemory, _ fd: UInt32, _ out: UInt32) throws {
        guard let d = table[fd], let name = d.preopenPath else { throw WASIErrno.badf }
        _ = try m.check(out, 8)
        try m.setU32(out, UInt32(WASIConst.preopenDir))
        try m.setU32(out + 4, UInt32(name.utf8.count))
    }

    /// Writes the preopen's guest path (no NUL). A buffer shorter than the
    /// name is `ENAMETOOLONG`, as in Wasmtime.
    package func fd_prestat_dir_name(_ m: GuestMemory, _ fd: UInt32, _ path: UInt32, _ len: UInt32) throws {
        guard let d = table[fd], let name = d.preopenPath else { throw WASIErrno.badf }
        let bytes = Array(name.utf8)
        guard bytes.count <= Int(len) else { throw WASIErrno.nametoolong }
        try m.write(path, bytes)
    }

    /// Directory entries: `.` and `..` first (as Wasmtime), then the host's
    /// entries in the host's order; the cookie of an entry is its index + 1.
    package func fd_readdir(
        _ m: GuestMemory, _ fd: UInt32, _ buf: UInt32, _ len: UInt32, _ cookie: UInt64, _ bufused: UInt32
    ) throws {
        let d = try descriptor(fd, .fdReaddir)
        guard d.isDirectory else { throw WASIErrno.notdir }
        let out = try m.buffer(buf, len)
        _ = try m.check(bufused, 4)
        let entries = try WASI.directoryEntries(d.hostFD)
        var used = 0
        var index = cookie
        while index < UInt64(entries.count), used < out.count {
            let e = entries[Int(index)]
            var record = [UInt8](repeating: 0, count: WASIConst.direntSize)
            record.withUnsafeMutableBytes { r in
                r.storeBytes(of: (index + 1).littleEndian, toByteOffset: 0, as: UInt64.self)
                r.storeBytes(of: e.ino.littleEndian, toByteOffset: 8, as: UInt64.self)
                r.storeBytes(of: UInt32(e.name.count).littleEndian, toByteOffset: 16, as: UInt32.self)
                r.storeBytes(of: e.type.rawValue, toByteOffset: 20, as: UInt8.self)
            }
            record += e.name
            let n = min(record.count, out.count - used)
            record.withUnsafeBytes { out.baseAddress!.advanced(by: used).copyMemory(from: $0.baseAddress!, byteCount: n) }
            used += n
            index += 1
        }
        try m.setU32(bufused, UInt32(used))
    }

    /// One directory entry as `fd_readdir` reports it.
    struct DirectoryEntry {
        var name: [UInt8]
        var ino: UInt64
        var type: WASIFiletype
    }

    /// Reads the whole directory `dirFD` (through a fresh handle, so the
    /// descriptor's own position never matters).
    static func directoryEntries(_ dirFD: Int32) throws(WASIErrno) -> [DirectoryEntry] {
        let fd = try Host.openat(dirFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard let dir = fdopendir(fd) else {
            let e = WASIErrno.fromHost
            Host.close(fd)
            throw e
        }
        defer { closedir(dir) }
        let selfIno = UInt64(truncatingIfNeeded: (try? Host.fstat(dirFD))?.st_ino ?? 0)
        var dot = DirectoryEntry(name: [UInt8(ascii: ".")], ino: selfIno, type: .directory)
        var dotdot = DirectoryEntry(name: [UInt8(ascii: "."), UInt8(ascii: ".")], ino: 0, type: .directory)
        var rest: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let ent = readdir(dir) else {
                if errno != 0 { throw .fromHost }
                break
            }
            let name: [UInt8] = withUnsafeBytes(of: &ent.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            let ino = UInt64(truncatingIfNeeded: ent.pointee.d_ino)
            if name == [UInt8(ascii: ".")] {
                if selfIno == 0 { dot.ino = ino }
                continue
            }
            if name == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                dotdot.ino = ino
                continue
            }
            var type = WASIFiletype(direntType: ent.pointee.d_type)
            if type == nil {
                var st = stat()
                let ok = name.withUnsafeBufferPointer { b in
                    (Array(b) + [0]).withUnsafeBufferPointer {
                        $0.withMemoryRebound(to: CChar.self) { fstatat(fd, $0.baseAddress!, &st, AT_SYMLINK_NOFOLLOW) }
                    }
                }
                type = ok == 0 ? WASIFiletype(mode: st.st_mode) : .unknown
            }
            rest.append(DirectoryEntry(name: name, ino: ino, type: type ?? .unknown))
        }
        return [dot, dotdot] + rest
    }
}
