/// A cursor over the bytes of a WebAssembly binary: fixed-width little-endian
/// values, LEB128 integers with the spec's length and range rules, lengths,
/// and UTF-8 names.
///
/// Reads are bounded by the whole buffer, not by the enclosing section: like
/// the reference interpreter, the decoder reads a section's content from the
/// module's byte stream and only afterwards checks that the section consumed
/// exactly its declared size ("section size mismatch"). Running off the end of
/// the buffer is "unexpected end of section or function".
public struct ByteReader: Sendable {
    /// The whole input.
    public let bytes: [UInt8]
    /// Index of the next byte to read.
    public var position: Int

    public init(_ bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// True when every byte has been read.
    @inlinable public var isAtEnd: Bool { position >= bytes.count }

    /// Bytes left after `position`.
    @inlinable public var remaining: Int { bytes.count - position }

    /// The next byte without consuming it, or nil at the end.
    @inlinable public func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    /// The error for reading past the end of the input.
    @usableFromInline func unexpectedEnd() -> DecodeError {
        DecodeError("unexpected end of section or function", offset: bytes.count)
    }

    // MARK: Bytes

    @inlinable public mutating func readByte() throws(DecodeError) -> UInt8 {
        guard position < bytes.count else { throw unexpectedEnd() }
        let b = bytes[position]
        position &+= 1
        return b
    }

    /// Reads `count` raw bytes; a negative count is an unexpected end too.
    public mutating func readBytes(_ count: Int) throws(DecodeError) -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else { throw unexpectedEnd() }
        let out = Array(bytes[position..<(position + count)])
        position += count
        return out
    }

    /// Skips `count` bytes; a negative count is an unexpected end too.
    public mutating func skip(_ count: Int) throws(DecodeError) {
        guard count >= 0, count <= bytes.count - position else { throw unexpectedEnd() }
        position += count
    }

    /// A little-endian 32-bit word (f32 bit patterns, the header).
    public mutating func readUInt32LE() throws(DecodeError) -> UInt32 {
        guard bytes.count - position >= 4 else {
            position = bytes.count
            throw unexpectedEnd()
        }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * i) }
        position += 4
        return v
    }

    /// A little-endian 64-bit word (f64 bit patterns).
    public mutating func readUInt64LE() throws(DecodeError) -> UInt64 {
        guard bytes.count - position >= 8 else {
            position = bytes.count
            throw unexpectedEnd()
        }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * i) }
        position += 8
        return v
    }

    // MARK: LEB128

    /// An unsigned LEB128 integer of at most `bits` bits (1...64).
    ///
    /// Spec rules (§5.2.2): at most ceil(bits/7) bytes, else "integer
    /// representation too long"; in the last allowed byte the bits beyond
    /// `bits` must be zero, else "integer too large". Padded encodings
    /// (`0x80 0x00`) within the length limit are accepted.
    @inlinable public mutating func readUnsignedLEB(bits: Int) throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var left = bits
        while true {
            if left <= 0 { throw DecodeError("integer representation too long", offset: position) }
            let b = try readByte()
            if left < 7 && Int(b & 0x7F) >= (1 << left) {
                throw DecodeError("integer too large", offset: position - 1)
            }
            result |= UInt64(b & 0x7F) &<< shift
            if b & 0x80 == 0 { return result }
            shift &+= 7
            left -= 7
        }
    }

    /// A signed LEB128 integer of at most `bits` bits (1...64), sign-extended.
    ///
    /// In the last allowed byte the unused bits and the sign bit must all be
    /// equal ("integer too large" otherwise); a longer encoding is "integer
    /// representation too long".
    @inlinable public mutating func readSignedLEB(bits: Int) throws(DecodeError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var left = bits
        while true {
            if left <= 0 { throw DecodeError("integer representation too long", offset: position) }
            let b = try readByte()
            if left < 7 {
                let mask = UInt8(truncatingIfNeeded: (-1 << (left - 1))) & 0x7F
                let m = b & mask
                if m != 0 && m != mask { throw DecodeError("integer too large", offset: position - 1) }
            }
            result |= UInt64(b & 0x7F) &<< shift
            shift &+= 7
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 { result |= ~0 &<< shift }
                return Int64(bitPattern: result)
            }
            left -= 7
        }
    }

    /// A `u32` LEB128 (indices, counts).
    @inlinable public mutating func readU32() throws(DecodeError) -> UInt32 {
        // Fast path: one byte.
        if position < bytes.count {
            let b = bytes[position]
            if b < 0x80 {
                position &+= 1
                return UInt32(b)
            }
        }
        return UInt32(truncatingIfNeeded: try readUnsignedLEB(bits: 32))
    }

    /// A `u64` LEB128.
    public mutating func readU64() throws(DecodeError) -> UInt64 { try readUnsignedLEB(bits: 64) }

    /// An `s32` LEB128 (`i32.const`).
    @inlinable public mutating func readS32() throws(DecodeError) -> Int32 {
        Int32(truncatingIfNeeded: try readSignedLEB(bits: 32))
    }

    /// An `s33` LEB128 (block types).
    public mutating func readS33() throws(DecodeError) -> Int64 { try readSignedLEB(bits: 33) }

    /// An `s64` LEB128 (`i64.const`).
    @inlinable public mutating func readS64() throws(DecodeError) -> Int64 { try readSignedLEB(bits: 64) }

    /// A one-bit unsigned LEB128 (the limits flag): 0 or 1.
    public mutating func readU1() throws(DecodeError) -> Bool { try readUnsignedLEB(bits: 1) == 1 }

    // MARK: Lengths and names

    /// A `u32` length or vector count, which cannot exceed the bytes left in
    /// the input (counted from the length itself): "length out of bounds".
    public mutating func readLength() throws(DecodeError) -> Int {
        let start = position
        let n = Int(try readU32())
        if n > bytes.count - start { throw DecodeError("length out of bounds", offset: start) }
        return n
    }

    /// A name: a length-prefixed, well-formed UTF-8 string.
    public mutating func readName() throws(DecodeError) -> String {
        let start = position
        let n = try readLength()
        guard n <= bytes.count - position else {
            position = bytes.count
            throw unexpectedEnd()
        }
        let range = position..<(position + n)
        guard UTF8Validation.isValid(bytes[range]) else {
            throw DecodeError("malformed UTF-8 encoding", offset: start)
        }
        position += n
        return String(decoding: bytes[range], as: UTF8.self)
    }
}

/// Strict UTF-8 validation (Unicode §3.9, spec §5.2.4): no overlong forms, no
/// surrogates, nothing above U+10FFFF, no truncated sequences.
public enum UTF8Validation {
    public static func isValid(_ s: ArraySlice<UInt8>) -> Bool {
        var i = s.startIndex
        let end = s.endIndex
        while i < end {
            let b0 = s[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let need: Int
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return false
            }
            guard end - i > need else { return false }
            let b1 = s[i + 1]
            guard b1 >= lo && b1 <= hi else { return false }
            for k in 2..<(need + 1) where !(0x80...0xBF).contains(s[i + k]) { return false }
            i += need + 1
        }
        return true
    }
}
