import WAT
import WasmParser

/// The WebAssembly text format front end: WAT → binary, through WasmKit's `WAT`
/// library with an explicit feature set (the wasm 2.0 core plus tail calls).
/// Errors come back as `TextFormatError`, with a 1-based line and column.
public enum TextFormat {
    /// The proposals the text parser accepts beyond the wasm 1.0 core.
    /// (Multi-value, bulk memory, sign extension and saturating conversions are always on.)
    static let features: WasmFeatureSet = [.referenceTypes, .tailCall]

    /// Translates a `.wat` text into a binary module.
    /// - Parameter nameSection: emit a `name` section (function names for backtraces).
    public static func wat2wasm(_ text: String, nameSection: Bool = true) throws(TextFormatError) -> [UInt8] {
        do {
            return try WAT.wat2wasm(text, features: features, options: EncodeOptions(nameSection: nameSection))
        } catch {
            throw TextFormatError(error)
        }
    }

    /// Encodes a module the WAST parser already parsed.
    static func encode(_ wat: consuming Wat) throws(TextFormatError) -> [UInt8] {
        do {
            return try wat.encode()
        } catch {
            throw TextFormatError(error)
        }
    }
}

/// A text-format (WAT/WAST) syntax or resolution error.
public struct TextFormatError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, without the location.
    public var message: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?

    public init(message: String, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }

    init(_ error: WatParserError) {
        var message = error.description
        if let location = error.location {
            // WatParserError only exposes its message through `description`, which is
            // "MESSAGE at Location(...)": cut the location off, we print our own.
            let suffix = " at \(location)"
            if message.hasSuffix(suffix) { message.removeLast(suffix.count) }
            let (line, column) = TextFormatError.oneBased(location.computeLineAndColumn())
            self.init(message: message, line: line, column: column)
        } else {
            self.init(message: message)
        }
    }

    /// WAT reports 1-based lines, but columns that are 0-based on the first line and
    /// 1-based after (distance from the preceding newline). Make both 1-based.
    static func oneBased(_ position: (line: Int, column: Int)) -> (line: Int, column: Int) {
        position.line == 1 ? (1, position.column + 1) : (position.line, position.column)
    }

    /// `LINE:COLUMN: MESSAGE`, or just the message when the location is unknown.
    public var description: String {
        guard let line else { return message }
        return "\(line):\(column ?? 1): \(message)"
    }
}
