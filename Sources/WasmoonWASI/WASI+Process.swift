import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Arguments, environment, clocks, randomness, process control.
extension WASI {
    /// Writes `strings` as a pointer array at `pointers` and the bytes at `buffer`.
    private func writeStrings(_ m: GuestMemory, _ strings: [[UInt8]], _ pointers: UInt32, _ buffer: UInt32) throws {
        let total = strings.reduce(0) { $0 + $1.count }
        _ = try m.check(pointers, UInt64(strings.count) * 4)
        _ = try m.check(buffer, UInt64(total))
        var at = buffer
        for (i, s) in strings.enumerated() {
            try m.setU32(pointers + UInt32(i) * 4, at)
            try m.write(at, s)
            at &+= UInt32(s.count)  // may reach 2^32 after the last string
        }
    }

    private func writeSizes(_ m: GuestMemory, _ strings: [[UInt8]], _ countPtr: UInt32, _ sizePtr: UInt32) throws {
        let total = strings.reduce(0) { $0 + $1.count }
        guard total <= UInt32.max else { throw WASIErrno.overflow }
        try m.setU32(countPtr, UInt32(strings.count))
        try m.setU32(sizePtr, UInt32(total))
    }

    package func args_get(_ m: GuestMemory, _ argv: UInt32, _ argvBuf: UInt32) throws {
        try writeStrings(m, argumentBytes, argv, argvBuf)
    }

    package func args_sizes_get(_ m: GuestMemory, _ argc: UInt32, _ argvBufSize: UInt32) throws {
        try writeSizes(m, argumentBytes, argc, argvBufSize)
    }

    package func environ_get(_ m: GuestMemory, _ environ: UInt32, _ environBuf: UInt32) throws {
        try writeStrings(m, environmentBytes, environ, environBuf)
    }

    package func environ_sizes_get(_ m: GuestMemory, _ count: UInt32, _ bufSize: UInt32) throws {
        try writeSizes(m, environmentBytes, count, bufSize)
    }

    /// The host clock behind a WASI clock id (`EINVAL` for an unknown id).
    static func hostClock(_ id: UInt32) throws(WASIErrno) -> clockid_t {
        switch id {
        case WASIConst.clockRealtime: CLOCK_REALTIME
        case WASIConst.clockMonotonic: CLOCK_MONOTONIC
        case WASIConst.clockProcessCPUTime: CLOCK_PROCESS_CPUTIME_ID
        case WASIConst.clockThreadCPUTime: CLOCK_THREAD_CPUTIME_ID
        default: throw .inval
        }
    }

    /// The current time of WASI clock `id` in nanoseconds (the configured hook, or the host).
    package func now(_ id: UInt32) throws(WASIErrno) -> UInt64 {
        let clock = try WASI.hostClock(id)
        if let hook = configuration.clock, let wasiID = WASIClockID(rawValue: id) { return hook(wasiID) }
        var ts = timespec()
        guard clock_gettime(clock, &ts) == 0 else { throw .fromHost }
        return Host.nanoseconds(ts)
    }

    package func clock_res_get(_ m: GuestMemory, _ id: UInt32, _ resolution: UInt32) throws {
        let clock = try WASI.hostClock(id)
        var ts = timespec()
        guard clock_getres(clock, &ts) == 0 else { throw WASIErrno.fromHost }
        try m.setU64(resolution, max(1, Host.nanoseconds(ts)))
    }

    package func clock_time_get(_ m: GuestMemory, _ id: UInt32, _ precision: UInt64, _ time: UInt32) throws {
        let t = try now(id)
        try m.setU64(time, t)
    }

    package func random_get(_ m: GuestMemory, _ buf: UInt32, _ len: UInt32) throws {
        let out = try m.buffer(buf, len)
        if len == 0 { return }
        if let hook = configuration.random {
            hook(out)
            return
        }
        var rng = SystemRandomNumberGenerator()
        var i = 0
        while i < out.count {
            var word = rng.next()
            let n = min(8, out.count - i)
            withUnsafeBytes(of: &word) { out.baseAddress!.advanced(by: i).copyMemory(from: $0.baseAddress!, byteCount: n) }
            i += n
        }
    }

    /// Ends the program: throws `ProcessExit` with the guest's status.
    package func proc_exit(_ code: UInt32) throws {
        throw ProcessExit(code: Int32(bitPattern: code))
    }

    /// Signals are not supported (as in Wasmtime): `ENOTSUP`.
    package func proc_raise(_ signal: UInt32) throws {
        throw WASIErrno.notsup
    }

    package func sched_yield() throws {
        hostSchedYield()
    }
}

private func hostSchedYield() { _ = sched_yield() }
