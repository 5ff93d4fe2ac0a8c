// The wasi_snapshot_preview1 ABI: error numbers, rights, flags and the byte
// layouts of the structs the guest passes (all little-endian, wasm32).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A WASI preview1 error number (`errno`), as returned to the guest.
package enum WASIErrno: UInt16, Error, Sendable, CaseIterable {
    case success = 0
    case toobig = 1
    case acces = 2
    case addrinuse = 3
    case addrnotavail = 4
    case afnosupport = 5
    case again = 6
    case already = 7
    case badf = 8
    case badmsg = 9
    case busy = 10
    case canceled = 11
    case child = 12
    case connaborted = 13
    case connrefused = 14
    case connreset = 15
    case deadlk = 16
    case destaddrreq = 17
    case dom = 18
    case dquot = 19
    case exist = 20
    case fault = 21
    case fbig = 22
    case hostunreach = 23
    case idrm = 24
    case ilseq = 25
    case inprogress = 26
    case intr = 27
    case inval = 28
    case io = 29
    case isconn = 30
    case isdir = 31
    case loop = 32
    case mfile = 33
    case mlink = 34
    case msgsize = 35
    case multihop = 36
    case nametoolong = 37
    case netdown = 38
    case netreset = 39
    case netunreach = 40
    case nfile = 41
    case nobufs = 42
    case nodev = 43
    case noent = 44
    case noexec = 45
    case nolck = 46
    case nolink = 47
    case nomem = 48
    case nomsg = 49
    case noprotoopt = 50
    case nospc = 51
    case nosys = 52
    case notconn = 53
    case notdir = 54
    case notempty = 55
    case notrecoverable = 56
    case notsock = 57
    case notsup = 58
    case notty = 59
    case nxio = 60
    case overflow = 61
    case ownerdead = 62
    case perm = 63
    case pipe = 64
    case proto = 65
    case protonosupport = 66
    case prototype = 67
    case range = 68
    case rofs = 69
    case spipe = 70
    case srch = 71
    case stale = 72
    case timedout = 73
    case txtbsy = 74
    case xdev = 75
    /// Extension: the capability (preopen, right) does not allow the operation.
    case notcapable = 76

    /// Maps a host (POSIX) `errno` value to its WASI counterpart.
    /// Unknown values become `EIO`, never success.
    package init(hostErrno e: Int32) {
        switch e {
        case E2BIG: self = .toobig
        case EACCES: self = .acces
        case EADDRINUSE: self = .addrinuse
        case EADDRNOTAVAIL: self = .addrnotavail
        case EAFNOSUPPORT: self = .afnosupport
        case EAGAIN: self = .again
        case EALREADY: self = .already
        case EBADF: self = .badf
        case EBADMSG: self = .badmsg
        case EBUSY: self = .busy
        case ECANCELED: self = .canceled
        case ECHILD: self = .child
        case ECONNABORTED: self = .connaborted
        case ECONNREFUSED: self = .connrefused
        case ECONNRESET: self = .connreset
        case EDEADLK: self = .deadlk
        case EDESTADDRREQ: self = .destaddrreq
        case EDOM: self = .dom
        case EDQUOT: self = .dquot
        case EEXIST: self = .exist
        case EFAULT: self = .fault
        case EFBIG: self = .fbig
        case EHOSTUNREACH: self = .hostunreach
        case EIDRM: self = .idrm
        case EILSEQ: self = .ilseq
        case EINPROGRESS: self = .inprogress
        case EINTR: self = .intr
        case EINVAL: self = .inval
        case EIO: self = .io
        case EISCONN: self = .isconn
        case EISDIR: self = .isdir
        case ELOOP: self = .loop
        case EMFILE: self = .mfile
        case EMLINK: self = .mlink
        case EMSGSIZE: self = .msgsize
        case EMULTIHOP: self = .multihop
        case ENAMETOOLONG: self = .nametoolong
        case ENETDOWN: self = .netdown
        case ENETRESET: self = .netreset
        case ENETUNREACH: self = .netunreach
        case ENFILE: self = .nfile
        case ENOBUFS: self = .nobufs
        case ENODEV: self = .nodev
        case ENOENT: self = .noent
        case ENOEXEC: self = .noexec
        case ENOLCK: self = .nolck
        case ENOLINK: self = .nolink
        case ENOMEM: self = .nomem
        case ENOMSG: self = .nomsg
        case ENOPROTOOPT: self = .noprotoopt
        case ENOSPC: self = .nospc
        case ENOSYS: self = .nosys
        case ENOTCONN: self = .notconn
        case ENOTDIR: self = .notdir
        case ENOTEMPTY: self = .notempty
        case ENOTRECOVERABLE: self = .notrecoverable
        case ENOTSOCK: self = .notsock
        case ENOTSUP, EOPNOTSUPP: self = .notsup
        case ENOTTY: self = .notty
        case ENXIO: self = .nxio
        case EOVERFLOW: self = .overflow
        case EOWNERDEAD: self = .ownerdead
        case EPERM: self = .perm
        case EPIPE: self = .pipe
        case EPROTO: self = .proto
        case EPROTONOSUPPORT: self = .protonosupport
        case EPROTOTYPE: self = .prototype
        case ERANGE: self = .range
        case EROFS: self = .rofs
        case ESPIPE: self = .spipe
        case ESRCH: self = .srch
        case ESTALE: self = .stale
        case ETIMEDOUT: self = .timedout
        case ETXTBSY: self = .txtbsy
        case EXDEV: self = .xdev
        default: self = .io
        }
    }

    /// The current host `errno`, mapped.
    static var fromHost: WASIErrno { WASIErrno(hostErrno: errno) }
}

/// WASI rights (`rights` bit set): what a descriptor may be used for.
package struct WASIRights: OptionSet, Sendable, Hashable {
    package let rawValue: UInt64
    package init(rawValue: UInt64) { self.rawValue = rawValue }

    package static let fdDatasync = WASIRights(rawValue: 1 << 0)
    package static let fdRead = WASIRights(rawValue: 1 << 1)
    package static let fdSeek = WASIRights(rawValue: 1 << 2)
    package static let fdFdstatSetFlags = WASIRights(rawValue: 1 << 3)
    package static let fdSync = WASIRights(rawValue: 1 << 4)
    package static let fdTell = WASIRights(rawValue: 1 << 5)
    package static let fdWrite = WASIRights(rawValue: 1 << 6)
    package static let fdAdvise = WASIRights(rawValue: 1 << 7)
    package static let fdAllocate = WASIRights(rawValue: 1 << 8)
    package static let pathCreateDirectory = WASIRights(rawValue: 1 << 9)
    package static let pathCreateFile = WASIRights(rawValue: 1 << 10)
    package static let pathLinkSource = WASIRights(rawValue: 1 << 11)
    package static let pathLinkTarget = WASIRights(rawValue: 1 << 12)
    package static let pathOpen = WASIRights(rawValue: 1 << 13)
    package static let fdReaddir = WASIRights(rawValue: 1 << 14)
    package static let pathReadlink = WASIRights(rawValue: 1 << 15)
    package static let pathRenameSource = WASIRights(rawValue: 1 << 16)
    package static let pathRenameTarget = WASIRights(rawValue: 1 << 17)
    package static let pathFilestatGet = WASIRights(rawValue: 1 << 18)
    package static let pathFilestatSetSize = WASIRights(rawValue: 1 << 19)
    package static let pathFilestatSetTimes = WASIRights(rawValue: 1 << 20)
    package static let fdFilestatGet = WASIRights(rawValue: 1 << 21)
    package static let fdFilestatSetSize = WASIRights(rawValue: 1 << 22)
    package static let fdFilestatSetTimes = WASIRights(rawValue: 1 << 23)
    package static let pathSymlink = WASIRights(rawValue: 1 << 24)
    package static let pathRemoveDirectory = WASIRights(rawValue: 1 << 25)
    package static let pathUnlinkFile = WASIRights(rawValue: 1 << 26)
    package static let pollFdReadwrite = WASIRights(rawValue: 1 << 27)
    package static let sockShutdown = WASIRights(rawValue: 1 << 28)
    package static let sockAccept = WASIRights(rawValue: 1 << 29)

    /// Every right preview1 defines.
    package static let all = WASIRights(rawValue: (1 << 30) - 1)

    /// Rights that make sense on a regular file.
    package static let regularFileBase: WASIRights = [
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite, .fdAdvise,
        .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes, .pollFdReadwrite,
    ]

    /// Rights that make sense on a directory (no reading, writing or seeking of bytes).
    package static let directoryBase: WASIRights = [
        .fdFdstatSetFlags, .fdSync, .fdAdvise, .pathCreateDirectory, .pathCreateFile, .pathLinkSource,
        .pathLinkTarget, .pathOpen, .fdReaddir, .pathReadlink, .pathRenameSource, .pathRenameTarget,
        .pathFilestatGet, .pathFilestatSetSize, .pathFilestatSetTimes, .fdFilestatGet, .fdFilestatSetTimes,
        .pathSymlink, .pathRemoveDirectory, .pathUnlinkFile, .pollFdReadwrite,
    ]

    /// What a directory passes on to what is opened through it.
    package static let directoryInheriting: WASIRights = directoryBase.union(regularFileBase)

    /// Rights of a terminal: no seek or tell (wasi-libc's `isatty` relies on that).
    package static let ttyBase: WASIRights = [.fdRead, .fdFdstatSetFlags, .fdWrite, .fdFilestatGet, .pollFdReadwrite]

    /// Rights of a pipe, socket or other unseekable stream.
    package static let streamBase: WASIRights = [
        .fdRead, .fdFdstatSetFlags, .fdWrite, .fdFilestatGet, .pollFdReadwrite, .fdDatasync, .fdSync,
        .fdAdvise,
    ]
}

/// WASI `filetype`.
package enum WASIFiletype: UInt8, Sendable {
    case unknown = 0
    case blockDevice = 1
    case characterDevice = 2
    case directory = 3
    case regularFile = 4
    case socketDgram = 5
    case socketStream = 6
    case symbolicLink = 7

    /// The file type of a host `st_mode`.
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFBLK: self = .blockDevice
        case S_IFCHR: self = .characterDevice
        case S_IFDIR: self = .directory
        case S_IFREG: self = .regularFile
        case S_IFSOCK: self = .socketStream
        case S_IFLNK: self = .symbolicLink
        default: self = .unknown
        }
    }

    /// The file type of a `dirent.d_type`, or nil when the host did not say.
    init?(direntType t: UInt8) {
        switch Int(t) {
        case Int(DT_BLK): self = .blockDevice
        case Int(DT_CHR): self = .characterDevice
        case Int(DT_DIR): self = .directory
        case Int(DT_REG): self = .regularFile
        case Int(DT_SOCK): self = .socketStream
        case Int(DT_LNK): self = .symbolicLink
        case Int(DT_FIFO): self = .unknown
        default: return nil
        }
    }
}

/// WASI constants grouped by the type they belong to.
enum WASIConst {
    // fdflags
    static let fdflagAppend: UInt16 = 1 << 0
    static let fdflagDsync: UInt16 = 1 << 1
    static let fdflagNonblock: UInt16 = 1 << 2
    static let fdflagRsync: UInt16 = 1 << 3
    static let fdflagSync: UInt16 = 1 << 4
    static let fdflagsAll: UInt16 = 0x1F

    // oflags
    static let oflagCreat: UInt16 = 1 << 0
    static let oflagDirectory: UInt16 = 1 << 1
    static let oflagExcl: UInt16 = 1 << 2
    static let oflagTrunc: UInt16 = 1 << 3
    static let oflagsAll: UInt16 = 0xF

    // lookupflags
    static let lookupSymlinkFollow: UInt32 = 1 << 0

    // fstflags
    static let fstAtim: UInt16 = 1 << 0
    static let fstAtimNow: UInt16 = 1 << 1
    static let fstMtim: UInt16 = 1 << 2
    static let fstMtimNow: UInt16 = 1 << 3
    static let fstAll: UInt16 = 0xF

    // whence
    static let whenceSet: UInt8 = 0
    static let whenceCur: UInt8 = 1
    static let whenceEnd: UInt8 = 2

    // clockid
    static let clockRealtime: UInt32 = 0
    static let clockMonotonic: UInt32 = 1
    static let clockProcessCPUTime: UInt32 = 2
    static let clockThreadCPUTime: UInt32 = 3

    // eventtype
    static let eventClock: UInt8 = 0
    static let eventFdRead: UInt8 = 1
    static let eventFdWrite: UInt8 = 2

    // subclockflags
    static let subclockAbstime: UInt16 = 1 << 0

    // eventrwflags
    static let eventFdReadwriteHangup: UInt16 = 1 << 0

    // preopentype
    static let preopenDir: UInt8 = 0

    // sdflags
    static let sdflagsAll: UInt8 = 0x3

    // struct sizes
    static let direntSize = 24
    static let filestatSize = 64
    static let fdstatSize = 24
    static let subscriptionSize = 48
    static let eventSize = 32
    static let iovecSize = 8
}

/// The WASI clocks.
public enum WASIClockID: UInt32, Sendable {
    case realtime = 0
    case monotonic = 1
    case processCPUTime = 2
    case threadCPUTime = 3
}
