#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open guest descriptor.
package final class Descriptor {
    /// The host descriptor behind it.
    package let hostFD: Int32
    /// Whether closing the guest descriptor closes `hostFD` (false for stdio,
    /// whose host descriptors belong to the embedder).
    package let ownsHostFD: Bool
    package let filetype: WASIFiletype
    package var rightsBase: WASIRights
    package var rightsInheriting: WASIRights
    /// The `fdflags` the guest asked for (append, dsync, nonblock, rsync, sync).
    package var fdflags: UInt16
    /// The guest path of a preopened directory; nil for everything else.
    package let preopenPath: String?

    package init(
        hostFD: Int32, ownsHostFD: Bool, filetype: WASIFiletype, rightsBase: WASIRights,
        rightsInheriting: WASIRights, fdflags: UInt16, preopenPath: String? = nil
    ) {
        self.hostFD = hostFD
        self.ownsHostFD = ownsHostFD
        self.filetype = filetype
        self.rightsBase = rightsBase
        self.rightsInheriting = rightsInheriting
        self.fdflags = fdflags
        self.preopenPath = preopenPath
    }

    deinit {
        if ownsHostFD { Host.close(hostFD) }
    }

    package var isDirectory: Bool { filetype == .directory }

    /// The rights an object of this kind can have at most.
    static func rightsMask(filetype: WASIFiletype, hostFD: Int32) -> WASIRights {
        switch filetype {
        case .directory: .directoryBase
        case .regularFile, .blockDevice: .regularFileBase
        case .characterDevice: isatty(hostFD) != 0 ? .ttyBase : .regularFileBase
        case .socketStream, .socketDgram: WASIRights.streamBase.union([.sockShutdown, .sockAccept])
        default: .streamBase
        }
    }

    /// A descriptor for a host descriptor the embedder owns (stdio).
    static func borrowed(hostFD: Int32) -> Descriptor {
        var st = stat()
        let filetype: WASIFiletype = fstat(hostFD, &st) == 0 ? WASIFiletype(mode: st.st_mode) : .unknown
        let hostFlags = fcntl(hostFD, F_GETFL)
        var fdflags: UInt16 = 0
        if hostFlags >= 0 {
            if hostFlags & O_APPEND != 0 { fdflags |= WASIConst.fdflagAppend }
            if hostFlags & O_NONBLOCK != 0 { fdflags |= WASIConst.fdflagNonblock }
        }
        return Descriptor(
            hostFD: hostFD, ownsHostFD: false, filetype: filetype,
            rightsBase: rightsMask(filetype: filetype, hostFD: hostFD), rightsInheriting: [], fdflags: fdflags)
    }
}

/// The guest's descriptor numbers. A new descriptor gets the lowest free number.
package struct DescriptorTable {
    private var entries: [Descriptor?] = []
    package private(set) var count = 0

    package init() {}

    package subscript(fd: UInt32) -> Descriptor? {
        Int(fd) < entries.count ? entries[Int(fd)] : nil
    }

    /// Adds `d` at the lowest free number.
    package mutating func insert(_ d: Descriptor) -> UInt32 {
        if count < entries.count, let free = entries.firstIndex(where: { $0 == nil }) {
            entries[free] = d
            count += 1
            return UInt32(free)
        }
        entries.append(d)
        count += 1
        return UInt32(entries.count - 1)
    }

    /// Puts `d` at `fd`, replacing (and so closing) whatever was there.
    package mutating func set(_ fd: UInt32, _ d: Descriptor) {
        while entries.count <= Int(fd) { entries.append(nil) }
        if entries[Int(fd)] == nil { count += 1 }
        entries[Int(fd)] = d
    }

    /// Removes and returns the descriptor at `fd`.
    @discardableResult
    package mutating func remove(_ fd: UInt32) -> Descriptor? {
        guard Int(fd) < entries.count, let d = entries[Int(fd)] else { return nil }
        entries[Int(fd)] = nil
        count -= 1
        while let last = entries.last, last == nil { entries.removeLast() }
        return d
    }

    package mutating func removeAll() {
        entries.removeAll()
        count = 0
    }
}
