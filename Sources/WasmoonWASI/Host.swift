// Thin wrappers over the host system calls WASI needs: each retries EINTR
// and reports failure as a WASI errno.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Host {
    #if os(Linux)
    /// `O_PATH`: a descriptor usable only as a directory anchor for `*at` calls.
    static let oPath: Int32 = 0o10000000
    /// Linux implements `O_RSYNC` as `O_SYNC`.
    static let oRsync: Int32 = O_SYNC
    #else
    static let oPath: Int32 = O_RDONLY
    static let oRsync: Int32 = O_SYNC
    #endif
    static let utimeNow: Int = (1 << 30) - 1
    static let utimeOmit: Int = (1 << 30) - 2

    /// Runs `body` until it does not fail with EINTR; a negative result becomes the mapped errno.
    @inline(__always)
    static func retry<T: BinaryInteger>(_ body: () -> T) throws(WASIErrno) -> T {
        while true {
            let r = body()
            if r >= 0 { return r }
            if errno == EINTR { continue }
            throw WASIErrno.fromHost
        }
    }

    static func openat(_ dir: Int32, _ name: String, _ flags: Int32, _ mode: mode_t = 0) throws(WASIErrno) -> Int32 {
        try retry { name.withCString { Glibc_openat(dir, $0, flags, mode) } }
    }

    static func fstat(_ fd: Int32) throws(WASIErrno) -> stat {
        var st = stat()
        _ = try retry { Glibc_fstat(fd, &st) }
        return st
    }

    /// `fstatat` without following a final symlink.
    static func lstatat(_ dir: Int32, _ name: String) throws(WASIErrno) -> stat {
        var st = stat()
        _ = try retry { name.withCString { fstatat(dir, $0, &st, AT_SYMLINK_NOFOLLOW) } }
        return st
    }

    /// The target of the symlink `name` in `dir`, or nil when `name` is not a
    /// symlink or does not exist.
    static func readSymlink(_ dir: Int32, _ name: String) throws(WASIErrno) -> [UInt8]? {
        var size = 256
        while true {
            var buf = [UInt8](repeating: 0, count: size)
            let n = name.withCString { p in
                buf.withUnsafeMutableBytes { readlinkat(dir, p, $0.baseAddress!.assumingMemoryBound(to: CChar.self), size) }
            }
            if n < 0 {
                switch errno {
                case EINTR: continue
                case EINVAL, ENOENT: return nil
                default: throw WASIErrno.fromHost
                }
            }
            if n < size { return Array(buf[0..<n]) }
            size *= 2
            if size > 1 << 20 { throw WASIErrno.nametoolong }
        }
    }

    static func close(_ fd: Int32) {
        _ = Glibc_close(fd)
    }

    static func makeTimespec(nanoseconds ns: UInt64) -> timespec {
        var ts = timespec()
        ts.tv_sec = Int(ns / 1_000_000_000)
        ts.tv_nsec = Int(ns % 1_000_000_000)
        return ts
    }

    static func nanoseconds(_ ts: timespec) -> UInt64 {
        UInt64(max(0, ts.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, ts.tv_nsec))
    }
}

// Unambiguous names for libc functions that `Host` shadows.
@inline(__always) private func Glibc_openat(_ d: Int32, _ p: UnsafePointer<CChar>, _ f: Int32, _ m: mode_t) -> Int32 {
    openat(d, p, f, m)
}
@inline(__always) private func Glibc_fstat(_ fd: Int32, _ st: UnsafeMutablePointer<stat>) -> Int32 { fstat(fd, st) }
@inline(__always) private func Glibc_close(_ fd: Int32) -> Int32 { close(fd) }
