import Foundation
import Testing
import WasmCore
import WasmRuntime
import WasmoonWASI

#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory tree for WASI tests, removed when the object goes away.
final class ScratchDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-wasi-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let p = bytes.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw WASIError("mkdtemp failed")
        }
        url = URL(fileURLWithPath: String(cString: p))
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent(relative), withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(relative))
    }

    func symlink(_ relative: String, to target: String) throws {
        guard Glibc.symlink(target, url.appendingPathComponent(relative).path) == 0 else {
            throw WASIError("symlink \(relative) failed")
        }
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    func exists(_ relative: String) -> Bool {
        var st = stat()
        return lstat(url.appendingPathComponent(relative).path, &st) == 0
    }
}

/// A linear memory for calling WASI functions directly, with a bump allocator.
final class GuestFixture {
    let memory: Memory
    let m: GuestMemory
    private var next: UInt32 = 64

    init(pages: UInt64 = 1) throws {
        memory = try Memory(type: MemoryType(limits: Limits(min: pages)))
        m = GuestMemory(memory)
    }

    /// `count` zeroed bytes, 8-aligned.
    func alloc(_ count: Int) -> UInt32 {
        let at = next
        next += UInt32((count + 7) & ~7)
        precondition(UInt64(next) <= m.size, "guest fixture out of memory")
        return at
    }

    /// Copies `s` into memory; returns (pointer, length).
    func string(_ s: String) throws -> (UInt32, UInt32) {
        let bytes = Array(s.utf8)
        let p = alloc(max(bytes.count, 1))
        try m.write(p, bytes)
        return (p, UInt32(bytes.count))
    }

    /// An iovec array over the given buffers (pointer, length) pairs.
    func iovecs(_ buffers: [(UInt32, UInt32)]) throws -> UInt32 {
        let p = alloc(8 * buffers.count)
        for (i, b) in buffers.enumerated() {
            try m.setU32(p + UInt32(8 * i), b.0)
            try m.setU32(p + UInt32(8 * i + 4), b.1)
        }
        return p
    }

    func bytes(_ at: UInt32, _ count: UInt32) throws -> [UInt8] { Array(try m.buffer(at, count)) }
    func text(_ at: UInt32, _ count: UInt32) throws -> String { String(decoding: try bytes(at, count), as: UTF8.self) }
}

/// Runs a WASI function body and returns its errno.
func wasiErrno(_ body: () throws -> Void) throws -> WASIErrno {
    WASIErrno(rawValue: try WASI.errnoResult(body))!
}

/// A pipe whose read end collects what the guest writes.
final class CapturePipe {
    let readFD: Int32
    let writeFD: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw WASIError("pipe failed") }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Everything written so far (non-blocking drain).
    func drain() -> String {
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(readFD, &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
