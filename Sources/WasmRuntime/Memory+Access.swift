import WasmCore

/// A number that can be loaded from and stored to a linear memory, little-endian as wasm
/// lays it out: the fixed-width integers, `Float` and `Double`.
public protocol MemoryScalar {
    /// Reads the value from `MemoryLayout<Self>.size` bytes at `pointer` (any alignment).
    static func load(littleEndianFrom pointer: UnsafeRawPointer) -> Self
    /// Writes the value to `MemoryLayout<Self>.size` bytes at `pointer` (any alignment).
    func store(littleEndianTo pointer: UnsafeMutableRawPointer)
}

extension MemoryScalar where Self: FixedWidthInteger {
    /// Reads a little-endian integer.
    public static func load(littleEndianFrom pointer: UnsafeRawPointer) -> Self {
        Self(littleEndian: pointer.loadUnaligned(as: Self.self))
    }
    /// Writes a little-endian integer.
    public func store(littleEndianTo pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: littleEndian, as: Self.self)
    }
}

extension Int8: MemoryScalar {}
extension UInt8: MemoryScalar {}
extension Int16: MemoryScalar {}
extension UInt16: MemoryScalar {}
extension Int32: MemoryScalar {}
extension UInt32: MemoryScalar {}
extension Int64: MemoryScalar {}
extension UInt64: MemoryScalar {}

extension Float: MemoryScalar {
    /// Reads an IEEE single from its little-endian bits.
    public static func load(littleEndianFrom pointer: UnsafeRawPointer) -> Float {
        Float(bitPattern: .load(littleEndianFrom: pointer))
    }
    /// Writes the number's bits, little-endian.
    public func store(littleEndianTo pointer: UnsafeMutableRawPointer) { bitPattern.store(littleEndianTo: pointer) }
}

extension Double: MemoryScalar {
    /// Reads an IEEE double from its little-endian bits.
    public static func load(littleEndianFrom pointer: UnsafeRawPointer) -> Double {
        Double(bitPattern: .load(littleEndianFrom: pointer))
    }
    /// Writes the number's bits, little-endian.
    public func store(littleEndianTo pointer: UnsafeMutableRawPointer) { bitPattern.store(littleEndianTo: pointer) }
}

/// Access to a memory's bytes for embedders and host functions. Every access is
/// bounds-checked against the memory's current size and throws
/// `WasmoonError.trap(out of bounds memory access)` outside it, like a wasm access would.
extension Memory {
    /// The memory's current bytes. The buffer is valid only inside `body`: a `grow` (by wasm
    /// or the host) may move it.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: byteCount))
    }

    /// The memory's current bytes, writable. Valid only inside `body`, as for `withUnsafeBytes`.
    public func withUnsafeMutableBytes<Result>(_ body: (UnsafeMutableRawBufferPointer) throws -> Result) rethrows
        -> Result
    {
        try body(UnsafeMutableRawBufferPointer(start: base, count: byteCount))
    }

    /// The address of `count` bytes at `offset`, or the out-of-bounds trap.
    private func address(_ offset: UInt64, _ count: Int) throws(WasmoonError) -> UnsafeMutableRawPointer {
        guard count >= 0, contains(offset, count: UInt64(count)) else { throw .trap(Trap(.outOfBoundsMemoryAccess)) }
        return base + Int(offset)
    }

    /// Copies `count` bytes out of memory.
    public func read(at offset: UInt64, count: Int) throws(WasmoonError) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: try address(offset, count), count: count))
    }

    /// Copies bytes into memory.
    public func write(_ bytes: [UInt8], at offset: UInt64) throws(WasmoonError) {
        let target = try address(offset, bytes.count)
        bytes.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// Loads a little-endian number: `memory.load(UInt32.self, at: 16)`.
    public func load<T: MemoryScalar>(_ type: T.Type, at offset: UInt64) throws(WasmoonError) -> T {
        T.load(littleEndianFrom: try address(offset, MemoryLayout<T>.size))
    }

    /// Stores a little-endian number: `memory.store(UInt32(7), at: 16)`.
    public func store<T: MemoryScalar>(_ value: T, at offset: UInt64) throws(WasmoonError) {
        value.store(littleEndianTo: try address(offset, MemoryLayout<T>.size))
    }

    /// Decodes `count` bytes at `offset` as UTF-8 (invalid sequences become U+FFFD).
    public func string(at offset: UInt64, count: Int) throws(WasmoonError) -> String {
        String(decoding: UnsafeRawBufferPointer(start: try address(offset, count), count: count), as: UTF8.self)
    }

    /// Decodes the NUL-terminated UTF-8 string at `offset` (a C string). Traps when no NUL
    /// comes before the end of memory.
    public func cString(at offset: UInt64) throws(WasmoonError) -> String {
        let start = try address(offset, 0)
        let available = byteCount - Int(offset)
        let bytes = UnsafeRawBufferPointer(start: start, count: available)
        guard let end = bytes.firstIndex(of: 0) else { throw .trap(Trap(.outOfBoundsMemoryAccess)) }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// Writes `string`'s UTF-8 bytes (no terminator) at `offset`; returns how many were written.
    @discardableResult
    public func write(string: String, at offset: UInt64) throws(WasmoonError) -> Int {
        let bytes = Array(string.utf8)
        try write(bytes, at: offset)
        return bytes.count
    }
}
