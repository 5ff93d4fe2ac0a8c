/// A malformed binary: the bytes do not follow the binary format (spec §5).
/// `message` uses the spec test suite's wording ("unexpected end", "integer too large", …).
public struct DecodeError: Error, Sendable, CustomStringConvertible {
    /// What is malformed, in the spec test suite's wording.
    public var message: String
    /// Byte offset in the input where decoding failed.
    public var offset: Int

    /// An error saying `message` about byte `offset` of the input.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at offset 0x\(String(offset, radix: 16)))" }

    /// A construct of a proposal this runtime does not implement yet: "unsupported
    /// feature: FEATURE (WHAT)", e.g. `unsupported feature: SIMD (0xfd prefix)`.
    public static func unsupported(_ feature: String, _ what: String, offset: Int) -> DecodeError {
        DecodeError("unsupported feature: \(feature) (\(what))", offset: offset)
    }

    /// Whether this error names an unimplemented proposal rather than a malformed module.
    public var isUnsupportedFeature: Bool { message.hasPrefix("unsupported feature: ") }
}

/// An invalid module: well formed, but rejected by validation (spec §3).
/// `message` uses the spec test suite's wording ("type mismatch", "unknown local", …).
public struct ValidationError: Error, Sendable, CustomStringConvertible {
    /// Why the module is invalid, in the spec test suite's wording.
    public var message: String
    /// Index (in the function index space) of the function at fault, if any.
    public var functionIndex: UInt32?
    /// Byte offset in the module of the offending instruction or section entry, if known.
    public var offset: Int?

    /// An error saying `message`, with the function and byte offset at fault when known.
    public init(_ message: String, functionIndex: UInt32? = nil, offset: Int? = nil) {
        self.message = message
        self.functionIndex = functionIndex
        self.offset = offset
    }

    public var description: String {
        var s = message
        if let f = functionIndex { s += " (in function \(f)" + (offset.map { " at offset 0x\(String($0, radix: 16))" } ?? "") + ")" }
        else if let o = offset { s += " (at offset 0x\(String(o, radix: 16)))" }
        return s
    }
}
