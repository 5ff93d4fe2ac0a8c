import WasmCore
import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A WASI preview1 (`wasi_snapshot_preview1`) environment for one guest program.
///
/// ```swift
/// let wasi = try WASI(configuration: WASIConfiguration(arguments: ["prog"], preopens: [(dir, "/")]))
/// wasi.define(in: linker)
/// let instance = try linker.instantiate(module)
/// do { _ = try instance.function("_start")!.call([]) }
/// catch { if let code = wasi.exitCode(from: error) { … } else { throw error } }
/// ```
///
/// The guest sees only its arguments, its environment, stdio and the preopened
/// directories; every path is resolved inside a preopen by `SandboxPath`.
/// Errors come back to the guest as WASI errnos; a guest pointer outside its
/// memory traps ("out of bounds memory access"); `proc_exit` throws
/// `ProcessExit`. One WASI object serves one program run on one thread.
public final class WASI {
    /// The module name the functions are defined under.
    public static let moduleName = "wasi_snapshot_preview1"

    package let configuration: WASIConfiguration
    package var table = DescriptorTable()
    /// `argv` strings, each NUL-terminated.
    let argumentBytes: [[UInt8]]
    /// `KEY=VALUE` strings, each NUL-terminated.
    let environmentBytes: [[UInt8]]

    /// Opens the preopened directories and sets up stdio.
    /// Throws `WasmoonError.configuration` when a preopen cannot be opened or an argument or
    /// environment entry cannot be passed to a C program (NUL byte, `=` in a name).
    public init(configuration: WASIConfiguration) throws(WasmoonError) {
        self.configuration = configuration
        for arg in configuration.arguments where arg.utf8.contains(0) {
            throw .configuration("argument contains a NUL byte: \(arg.debugDescription)")
        }
        for (key, value) in configuration.environment {
            if key.isEmpty || key.utf8.contains(UInt8(ascii: "=")) || key.utf8.contains(0) || value.utf8.contains(0) {
                throw .configuration("invalid environment variable name or value: \(key.debugDescription)")
            }
        }
        argumentBytes = configuration.arguments.map { Array($0.utf8) + [0] }
        environmentBytes = configuration.environment.map { Array("\($0.0)=\($0.1)".utf8) + [0] }

        WASI.ignoreSIGPIPE
        for fd in [configuration.stdin, configuration.stdout, configuration.stderr] {
            _ = table.insert(Descriptor.borrowed(hostFD: fd))
        }
        for (hostPath, guestPath) in configuration.preopens {
            let fd = hostPath.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            if fd < 0 {
                let reason = String(cString: strerror(errno))
                table.removeAll()
                throw .configuration("cannot open preopened directory \(hostPath): \(reason)")
            }
            _ = table.insert(
                Descriptor(
                    hostFD: fd, ownsHostFD: true, filetype: .directory, rightsBase: .directoryBase,
                    rightsInheriting: .directoryInheriting, fdflags: 0, preopenPath: guestPath))
        }
    }

    /// Closes every descriptor the guest still has open (stdio's host
    /// descriptors stay open). Also done when the object is freed.
    public func close() {
        table.removeAll()
    }

    /// The exit status a `proc_exit` asked for, if `error` is one.
    public func exitCode(from error: Error) -> Int32? { WASI.exitCode(from: error) }

    /// The exit status a `proc_exit` asked for, if `error` is one.
    public static func exitCode(from error: Error) -> Int32? {
        if let error = error as? WasmoonError { return error.exitCode }
        return (error as? ProcessExit)?.code
    }

    /// Runs a WASI command: calls `instance`'s entry (the default export `""`, else `_start`)
    /// and returns its exit status: 0 when the entry returns, the status `proc_exit` asked
    /// for otherwise. A trap or another failure is thrown. An instance without an entry is
    /// a `WasmoonError.unknownExport("_start")`.
    public func start(_ instance: Instance) throws(WasmoonError) -> Int32 {
        guard let entry = instance.function("") ?? instance.function("_start") else { throw .unknownExport("_start") }
        do {
            _ = try entry.call([])
            return 0
        } catch {
            guard let code = error.exitCode else { throw error }
            return code
        }
    }

    /// Prepares a WASI reactor (a module meant to be called into): calls its `_initialize`
    /// export, if it has one, once, before any other export.
    public func initialize(_ instance: Instance) throws(WasmoonError) {
        _ = try instance.function("_initialize")?.call([])
    }

    /// A write to a closed pipe must come back as `EPIPE`, not kill the host.
    /// (Process-wide, done once, as Rust programs such as Wasmtime do.)
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    // MARK: Descriptor look-up

    /// The descriptor `fd`, which must have `rights` (else `EBADF` / `ENOTCAPABLE`).
    package func descriptor(_ fd: UInt32, _ rights: WASIRights = []) throws(WASIErrno) -> Descriptor {
        guard let d = table[fd] else { throw .badf }
        guard d.rightsBase.isSuperset(of: rights) else { throw .notcapable }
        return d
    }

    /// The directory descriptor `fd` for a path operation (`EBADF`, `ENOTDIR`, `ENOTCAPABLE`).
    package func directory(_ fd: UInt32, _ rights: WASIRights) throws(WASIErrno) -> Descriptor {
        guard let d = table[fd] else { throw .badf }
        guard d.isDirectory else { throw .notdir }
        guard d.rightsBase.isSuperset(of: rights) else { throw .notcapable }
        return d
    }
}

// MARK: - Registration

extension WASI {
    /// Registers every preview1 function under `wasi_snapshot_preview1`.
    /// The functions keep this object alive for as long as the linker's store.
    public func define(in linker: Linker) {
        typealias Args = [Value]
        let I = ValueType.i32, L = ValueType.i64

        /// A function returning an errno: runs `body` on the caller's memory.
        func errnoFunction(_ name: String, _ params: [ValueType], _ body: @escaping (GuestMemory, Args) throws -> Void) {
            linker.defineFunction(module: WASI.moduleName, name: name, type: FuncType(params: params, results: [.i32])) {
                caller, args in
                guard let memory = caller.memory else {
                    throw WASIError("\(WASI.moduleName).\(name) needs the calling module to have a memory")
                }
                return [.i32(UInt32(try WASI.errnoResult { try body(GuestMemory(memory), args) }))]
            }
        }

        /// A function returning an errno that does not touch memory.
        func plainFunction(_ name: String, _ params: [ValueType], _ body: @escaping (Args) throws -> Void) {
            linker.defineFunction(module: WASI.moduleName, name: name, type: FuncType(params: params, results: [.i32])) {
                _, args in [.i32(UInt32(try WASI.errnoResult { try body(args) }))]
            }
        }

        errnoFunction("args_get", [I, I]) { m, a in try self.args_get(m, a[0].u32, a[1].u32) }
        errnoFunction("args_sizes_get", [I, I]) { m, a in try self.args_sizes_get(m, a[0].u32, a[1].u32) }
        errnoFunction("environ_get", [I, I]) { m, a in try self.environ_get(m, a[0].u32, a[1].u32) }
        errnoFunction("environ_sizes_get", [I, I]) { m, a in try self.environ_sizes_get(m, a[0].u32, a[1].u32) }
        errnoFunction("clock_res_get", [I, I]) { m, a in try self.clock_res_get(m, a[0].u32, a[1].u32) }
        errnoFunction("clock_time_get", [I, L, I]) { m, a in try self.clock_time_get(m, a[0].u32, a[1].u64, a[2].u32) }
        plainFunction("fd_advise", [I, L, L, I]) { a in try self.fd_advise(a[0].u32, a[1].u64, a[2].u64, a[3].u32) }
        plainFunction("fd_allocate", [I, L, L]) { a in try self.fd_allocate(a[0].u32, a[1].u64, a[2].u64) }
        plainFunction("fd_close", [I]) { a in try self.fd_close(a[0].u32) }
        plainFunction("fd_datasync", [I]) { a in try self.fd_datasync(a[0].u32) }
        errnoFunction("fd_fdstat_get", [I, I]) { m, a in try self.fd_fdstat_get(m, a[0].u32, a[1].u32) }
        plainFunction("fd_fdstat_set_flags", [I, I]) { a in try self.fd_fdstat_set_flags(a[0].u32, a[1].u32) }
        plainFunction("fd_fdstat_set_rights", [I, L, L]) { a in
            try self.fd_fdstat_set_rights(a[0].u32, a[1].u64, a[2].u64)
        }
        errnoFunction("fd_filestat_get", [I, I]) { m, a in try self.fd_filestat_get(m, a[0].u32, a[1].u32) }
        plainFunction("fd_filestat_set_size", [I, L]) { a in try self.fd_filestat_set_size(a[0].u32, a[1].u64) }
        plainFunction("fd_filestat_set_times", [I, L, L, I]) { a in
            try self.fd_filestat_set_times(a[0].u32, a[1].u64, a[2].u64, a[3].u32)
        }
        errnoFunction("fd_pread", [I, I, I, L, I]) { m, a in
            try self.fd_pread(m, a[0].u32, a[1].u32, a[2].u32, a[3].u64, a[4].u32)
        }
        errnoFunction("fd_prestat_get", [I, I]) { m, a in try self.fd_prestat_get(m, a[0].u32, a[1].u32) }
        errnoFunction("fd_prestat_dir_name", [I, I, I]) { m, a in
            try self.fd_prestat_dir_name(m, a[0].u32, a[1].u32, a[2].u32)
        }
        errnoFunction("fd_pwrite", [I, I, I, L, I]) { m, a in
            try self.fd_pwrite(m, a[0].u32, a[1].u32, a[2].u32, a[3].u64, a[4].u32)
        }
        errnoFunction("fd_read", [I, I, I, I]) { m, a in try self.fd_read(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32) }
        errnoFunction("fd_readdir", [I, I, I, L, I]) { m, a in
            try self.fd_readdir(m, a[0].u32, a[1].u32, a[2].u32, a[3].u64, a[4].u32)
        }
        plainFunction("fd_renumber", [I, I]) { a in try self.fd_renumber(a[0].u32, a[1].u32) }
        errnoFunction("fd_seek", [I, L, I, I]) { m, a in try self.fd_seek(m, a[0].u32, a[1].u64, a[2].u32, a[3].u32) }
        plainFunction("fd_sync", [I]) { a in try self.fd_sync(a[0].u32) }
        errnoFunction("fd_tell", [I, I]) { m, a in try self.fd_tell(m, a[0].u32, a[1].u32) }
        errnoFunction("fd_write", [I, I, I, I]) { m, a in try self.fd_write(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32) }
        errnoFunction("path_create_directory", [I, I, I]) { m, a in
            try self.path_create_directory(m, a[0].u32, a[1].u32, a[2].u32)
        }
        errnoFunction("path_filestat_get", [I, I, I, I, I]) { m, a in
            try self.path_filestat_get(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32)
        }
        errnoFunction("path_filestat_set_times", [I, I, I, I, L, L, I]) { m, a in
            try self.path_filestat_set_times(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u64, a[5].u64, a[6].u32)
        }
        errnoFunction("path_link", [I, I, I, I, I, I, I]) { m, a in
            try self.path_link(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32, a[5].u32, a[6].u32)
        }
        errnoFunction("path_open", [I, I, I, I, I, L, L, I, I]) { m, a in
            try self.path_open(
                m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32, a[5].u64, a[6].u64, a[7].u32, a[8].u32)
        }
        errnoFunction("path_readlink", [I, I, I, I, I, I]) { m, a in
            try self.path_readlink(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32, a[5].u32)
        }
        errnoFunction("path_remove_directory", [I, I, I]) { m, a in
            try self.path_remove_directory(m, a[0].u32, a[1].u32, a[2].u32)
        }
        errnoFunction("path_rename", [I, I, I, I, I, I]) { m, a in
            try self.path_rename(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32, a[5].u32)
        }
        errnoFunction("path_symlink", [I, I, I, I, I]) { m, a in
            try self.path_symlink(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32)
        }
        errnoFunction("path_unlink_file", [I, I, I]) { m, a in
            try self.path_unlink_file(m, a[0].u32, a[1].u32, a[2].u32)
        }
        errnoFunction("poll_oneoff", [I, I, I, I]) { m, a in try self.poll_oneoff(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32) }
        linker.defineFunction(module: WASI.moduleName, name: "proc_exit", type: FuncType(params: [I], results: [])) {
            _, a in
            try self.proc_exit(a[0].u32)
            return []
        }
        plainFunction("proc_raise", [I]) { a in try self.proc_raise(a[0].u32) }
        plainFunction("sched_yield", []) { _ in try self.sched_yield() }
        errnoFunction("random_get", [I, I]) { m, a in try self.random_get(m, a[0].u32, a[1].u32) }
        errnoFunction("sock_accept", [I, I, I]) { m, a in try self.sock_accept(m, a[0].u32, a[1].u32, a[2].u32) }
        errnoFunction("sock_recv", [I, I, I, I, I, I]) { m, a in
            try self.sock_recv(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32, a[5].u32)
        }
        errnoFunction("sock_send", [I, I, I, I, I]) { m, a in
            try self.sock_send(m, a[0].u32, a[1].u32, a[2].u32, a[3].u32, a[4].u32)
        }
        plainFunction("sock_shutdown", [I, I]) { a in try self.sock_shutdown(a[0].u32, a[1].u32) }
    }

    /// Every preview1 function name with its wasm type, in witx order.
    public static let functionNames: [String] = [
        "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
        "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
        "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
        "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
        "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
        "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
        "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
        "sock_recv", "sock_send", "sock_shutdown",
    ]

    /// Runs a function body: success is 0, a thrown `WASIErrno` is its value,
    /// anything else (a `Trap`, `ProcessExit`) propagates.
    package static func errnoResult(_ body: () throws -> Void) throws -> UInt16 {
        do {
            try body()
            return WASIErrno.success.rawValue
        } catch let e as WASIErrno {
            return e.rawValue
        }
    }
}

extension Value {
    /// The i32 payload (host functions are only called with their declared types).
    @inline(__always) var u32: UInt32 {
        if case .i32(let v) = self { return v }
        return 0
    }
    /// The i64 payload.
    @inline(__always) var u64: UInt64 {
        if case .i64(let v) = self { return v }
        return 0
    }
}
