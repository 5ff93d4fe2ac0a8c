import WasmRuntime

/// Bounds-checked access to the calling instance's linear memory.
///
/// Every guest pointer goes through here. A range that is not entirely inside
/// memory traps with "out of bounds memory access", as Wasmtime does (the witx
/// rule: a function that must dereference an out-of-bounds pointer traps).
/// Memory cannot grow during a host call (WASI never calls back into wasm), so
/// the base and size are read once.
package struct GuestMemory {
    package let base: UnsafeMutableRawPointer
    package let size: UInt64

    package init(_ memory: Memory) {
        base = memory.base
        size = UInt64(memory.byteCount)
    }

    package init(base: UnsafeMutableRawPointer, size: Int) {
        self.base = base
        self.size = UInt64(size)
    }

    /// Checks that `[offset, offset + count)` lies in memory; returns the start address.
    @inline(__always)
    package func check(_ offset: UInt32, _ count: UInt64) throws(Trap) -> UnsafeMutableRawPointer {
        let o = UInt64(offset)
        guard o <= size, count <= size - o else { throw Trap(.outOfBoundsMemoryAccess) }
        return base + Int(o)
    }

    /// A view of `count` bytes at `offset`.
    package func buffer(_ offset: UInt32, _ count: UInt32) throws(Trap) -> UnsafeMutableRawBufferPointer {
        let p = try check(offset, UInt64(count))
        return UnsafeMutableRawBufferPointer(start: p, count: Int(count))
    }

    package func u8(_ offset: UInt32) throws(Trap) -> UInt8 {
        try check(offset, 1).load(as: UInt8.self)
    }
    package func u16(_ offset: UInt32) throws(Trap) -> UInt16 {
        UInt16(littleEndian: try check(offset, 2).loadUnaligned(as: UInt16.self))
    }
    package func u32(_ offset: UInt32) throws(Trap) -> UInt32 {
        UInt32(littleEndian: try check(offset, 4).loadUnaligned(as: UInt32.self))
    }
    package func u64(_ offset: UInt32) throws(Trap) -> UInt64 {
        UInt64(littleEndian: try check(offset, 8).loadUnaligned(as: UInt64.self))
    }

    package func setU8(_ offset: UInt32, _ v: UInt8) throws(Trap) {
        try check(offset, 1).storeBytes(of: v, as: UInt8.self)
    }
    package func setU16(_ offset: UInt32, _ v: UInt16) throws(Trap) {
        try check(offset, 2).storeBytes(of: v.littleEndian, toByteOffset: 0, as: UInt16.self)
    }
    package func setU32(_ offset: UInt32, _ v: UInt32) throws(Trap) {
        try check(offset, 4).storeBytes(of: v.littleEndian, toByteOffset: 0, as: UInt32.self)
    }
    package func setU64(_ offset: UInt32, _ v: UInt64) throws(Trap) {
        try check(offset, 8).storeBytes(of: v.littleEndian, toByteOffset: 0, as: UInt64.self)
    }

    /// Copies `bytes` to `offset`.
    package func write(_ offset: UInt32, _ bytes: some Collection<UInt8>) throws(Trap) {
        let p = try check(offset, UInt64(bytes.count))
        var i = 0
        for b in bytes {
            p.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }

    /// Reads a guest string (`path` arguments): UTF-8, no NUL bytes.
    /// Invalid UTF-8 is `EILSEQ`; an embedded NUL is `EINVAL`.
    package func string(_ offset: UInt32, _ count: UInt32) throws -> String {
        let buf = try buffer(offset, count)
        if buf.contains(0) { throw WASIErrno.inval }
        guard let s = String(validating: buf, as: UTF8.self) else { throw WASIErrno.ilseq }
        return s
    }

    /// Reads an array of `iovec`/`ciovec` (`{ buf: u32, buf_len: u32 }`) and
    /// checks that every buffer lies in memory.
    package func iovecs(_ offset: UInt32, _ count: UInt32) throws(Trap) -> [UnsafeMutableRawBufferPointer] {
        _ = try check(offset, UInt64(count) * UInt64(WASIConst.iovecSize))
        var result: [UnsafeMutableRawBufferPointer] = []
        result.reserveCapacity(Int(count))
        for i in 0..<count {
            let at = offset &+ i &* UInt32(WASIConst.iovecSize)
            let ptr = try u32(at)
            let len = try u32(at &+ 4)
            result.append(try buffer(ptr, len))
        }
        return result
    }
}
