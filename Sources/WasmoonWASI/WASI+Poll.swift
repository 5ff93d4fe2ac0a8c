import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// poll_oneoff and the sock_* functions.
extension WASI {
    private struct Event {
        var userdata: UInt64
        var error: WASIErrno
        var type: UInt8
        var nbytes: UInt64 = 0
        var flags: UInt16 = 0
    }

    /// Waits for the first of several events: clock timeouts (relative or
    /// absolute) and fd readiness. Regular files are always ready; other
    /// descriptors are polled on the host. Returns every event that is ready
    /// when the wait ends.
    package func poll_oneoff(_ m: GuestMemory, _ input: UInt32, _ output: UInt32, _ count: UInt32, _ nevents: UInt32)
        throws
    {
        guard count > 0 else { throw WASIErrno.inval }
        _ = try m.check(input, UInt64(count) * UInt64(WASIConst.subscriptionSize))
        _ = try m.check(output, UInt64(count) * UInt64(WASIConst.eventSize))
        _ = try m.check(nevents, 4)

        var ready: [Event] = []
        var clocks: [(userdata: UInt64, remaining: UInt64)] = []
        var polled: [(userdata: UInt64, type: UInt8)] = []
        var pollfds: [pollfd] = []

        for i in 0..<count {
            let s = input + i * UInt32(WASIConst.subscriptionSize)
            let userdata = try m.u64(s)
            let tag = try m.u8(s + 8)
            switch tag {
            case WASIConst.eventClock:
                let id = try m.u32(s + 16)
                let timeout = try m.u64(s + 24)
                let flags = try m.u16(s + 40)
                do {
                    var remaining = timeout
                    if flags & WASIConst.subclockAbstime != 0 {
                        let now = try self.now(id)
                        remaining = timeout > now ? timeout - now : 0
                    } else {
                        _ = try WASI.hostClock(id)
                    }
                    clocks.append((userdata, remaining))
                } catch {
                    ready.append(Event(userdata: userdata, error: error, type: tag))
                }
            case WASIConst.eventFdRead, WASIConst.eventFdWrite:
                let fd = try m.u32(s + 16)
                guard let d = table[fd] else {
                    ready.append(Event(userdata: userdata, error: .badf, type: tag))
                    continue
                }
                guard d.rightsBase.contains(.pollFdReadwrite) else {
                    ready.append(Event(userdata: userdata, error: .notcapable, type: tag))
                    continue
                }
                if d.filetype == .regularFile {
                    var nbytes: UInt64 = 0
                    if tag == WASIConst.eventFdRead, let st = try? Host.fstat(d.hostFD) {
                        let pos = lseek(d.hostFD, 0, SEEK_CUR)
                        if pos >= 0 && st.st_size > pos { nbytes = UInt64(st.st_size - pos) }
                    }
                    ready.append(Event(userdata: userdata, error: .success, type: tag, nbytes: nbytes))
                } else {
                    let events = Int16(tag == WASIConst.eventFdRead ? POLLIN : POLLOUT)
                    pollfds.append(pollfd(fd: d.hostFD, events: events, revents: 0))
                    polled.append((userdata, tag))
                }
            default:
                throw WASIErrno.inval
            }
        }

        let start = try now(WASIConst.clockMonotonic)
        // How long to wait at most (nil: until an fd is ready).
        let timeout = ready.isEmpty ? clocks.map(\.remaining).min() : 0
        while true {
            let waited = (try now(WASIConst.clockMonotonic)) &- start
            let remaining = timeout.map { $0 > waited ? $0 - waited : 0 }
            if pollfds.isEmpty {
                if let r = remaining, r > 0 { WASI.sleep(nanoseconds: r) }
            } else {
                // poll(2) takes milliseconds: round up so we never wake early.
                let ms: Int32 = remaining.map { Int32(min(($0 + 999_999) / 1_000_000, UInt64(Int32.max))) } ?? -1
                let r = pollfds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), ms) }
                if r < 0 {
                    if errno == EINTR { continue }
                    throw WASIErrno.fromHost
                }
            }
            let elapsed = (try now(WASIConst.clockMonotonic)) &- start
            for (i, p) in pollfds.enumerated() where p.revents != 0 {
                var e = Event(userdata: polled[i].userdata, error: .success, type: polled[i].type)
                if p.revents & Int16(POLLNVAL) != 0 {
                    e.error = .badf
                } else if p.revents & Int16(POLLERR) != 0 {
                    e.error = .io
                }
                if p.revents & Int16(POLLHUP) != 0 { e.flags = WASIConst.eventFdReadwriteHangup }
                #if os(Linux)
                if e.type == WASIConst.eventFdRead {
                    var available: Int32 = 0
                    if ioctl(p.fd, UInt(0x541B) /* FIONREAD */, &available) == 0 { e.nbytes = UInt64(max(0, available)) }
                }
                #endif
                ready.append(e)
            }
            for c in clocks where c.remaining <= elapsed {
                ready.append(Event(userdata: c.userdata, error: .success, type: WASIConst.eventClock))
            }
            if !ready.isEmpty { break }
            // Woken early (a signal, or a coarser host clock): wait for the rest.
            for i in pollfds.indices { pollfds[i].revents = 0 }
        }

        let n = min(ready.count, Int(count))
        for (i, e) in ready.prefix(n).enumerated() {
            let o = output + UInt32(i) * UInt32(WASIConst.eventSize)
            let p = try m.buffer(o, UInt32(WASIConst.eventSize))
            p.initializeMemory(as: UInt8.self, repeating: 0)
            try m.setU64(o, e.userdata)
            try m.setU16(o + 8, e.error.rawValue)
            try m.setU8(o + 10, e.type)
            if e.type != WASIConst.eventClock {
                try m.setU64(o + 16, e.nbytes)
                try m.setU16(o + 24, e.flags)
            }
        }
        try m.setU32(nevents, UInt32(n))
    }

    static func sleep(nanoseconds: UInt64) {
        var request = Host.makeTimespec(nanoseconds: nanoseconds)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    // MARK: Sockets
    // The guest can only hold a socket when the embedder passes one as stdio;
    // on anything else these return `ENOTSOCK` (or `EBADF` for a closed fd).

    private func socket(_ fd: UInt32, _ rights: WASIRights) throws(WASIErrno) -> Descriptor {
        guard let d = table[fd] else { throw .badf }
        guard d.filetype == .socketStream || d.filetype == .socketDgram else { throw .notsock }
        guard d.rightsBase.isSuperset(of: rights) else { throw .notcapable }
        return d
    }

    package func sock_accept(_ m: GuestMemory, _ fd: UInt32, _ flags: UInt32, _ result: UInt32) throws {
        let d = try socket(fd, .sockAccept)
        guard flags & ~UInt32(WASIConst.fdflagNonblock) == 0 else { throw WASIErrno.inval }
        _ = try m.check(result, 4)
        guard table.count < configuration.maxOpenDescriptors else { throw WASIErrno.mfile }
        let s = try Host.retry { accept(d.hostFD, nil, nil) }
        if flags & UInt32(WASIConst.fdflagNonblock) != 0 {
            _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
        }
        _ = fcntl(s, F_SETFD, FD_CLOEXEC)
        let new = Descriptor(
            hostFD: s, ownsHostFD: true, filetype: .socketStream,
            rightsBase: WASIRights.streamBase.union(.sockShutdown), rightsInheriting: [], fdflags: UInt16(flags))
        try m.setU32(result, table.insert(new))
    }

    package func sock_recv(
        _ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ riflags: UInt32, _ datalen: UInt32,
        _ roflags: UInt32
    ) throws {
        let d = try socket(fd, .fdRead)
        guard riflags & ~3 == 0 else { throw WASIErrno.inval }
        var vecs = try hostIovecs(m, iovs, count)
        _ = try m.check(datalen, 4)
        _ = try m.check(roflags, 2)
        var hostFlags: Int32 = 0
        if riflags & 1 != 0 { hostFlags |= Int32(MSG_PEEK) }
        if riflags & 2 != 0 { hostFlags |= Int32(MSG_WAITALL) }
        var message = msghdr()
        let n = try vecs.withUnsafeMutableBufferPointer { b throws(WASIErrno) in
            message.msg_iov = b.baseAddress
            message.msg_iovlen = b.count
            return try Host.retry { recvmsg(d.hostFD, &message, hostFlags) }
        }
        try m.setU32(datalen, UInt32(n))
        try m.setU16(roflags, message.msg_flags & Int32(MSG_TRUNC) != 0 ? 1 : 0)
    }

    package func sock_send(
        _ m: GuestMemory, _ fd: UInt32, _ iovs: UInt32, _ count: UInt32, _ siflags: UInt32, _ datalen: UInt32
    ) throws {
        let d = try socket(fd, .fdWrite)
        var vecs = try hostIovecs(m, iovs, count)
        _ = try m.check(datalen, 4)
        var message = msghdr()
        let n = try vecs.withUnsafeMutableBufferPointer { b throws(WASIErrno) in
            message.msg_iov = b.baseAddress
            message.msg_iovlen = b.count
            return try Host.retry { sendmsg(d.hostFD, &message, Int32(MSG_NOSIGNAL)) }
        }
        try m.setU32(datalen, UInt32(n))
    }

    package func sock_shutdown(_ fd: UInt32, _ how: UInt32) throws {
        let d = try socket(fd, .sockShutdown)
        let hostHow: Int32
        switch how {
        case 1: hostHow = Int32(SHUT_RD)
        case 2: hostHow = Int32(SHUT_WR)
        case 3: hostHow = Int32(SHUT_RDWR)
        default: throw WASIErrno.inval
        }
        _ = try Host.retry { shutdown(d.hostFD, hostHow) }
    }
}
