import WAT
import WasmParser

/// The WebAssembly text format front end: WAT → binary, through WasmKit's `WAT`
/// library with an explicit feature set (the wasm 2.0 core plus tail calls).
/// Errors come back as `TextFormatError`, with a 1-based line and column.
public enum TextFormat {
    /// The proposals the text parser accepts beyond the wasm 1.0 core.
    /// (Multi-value, bulk memory, sign extension and saturating conversions are always on.)
    package static let features: WasmFeatureSet = [.referenceTypes, .tailCall, .simd]

    /// Translates a `.wat` text into a binary module.
    /// - Parameter nameSection: emit a `name` section (function names for backtraces).
    public static func wat2wasm(_ text: String, nameSection: Bool = true) throws(TextFormatError) -> [UInt8] {
        try checkNesting(text)
        do {
            return try WAT.wat2wasm(text, features: features, options: EncodeOptions(nameSection: nameSection))
        } catch {
            throw TextFormatError(error)
        }
    }

    /// How deeply parentheses may nest. WasmKit's text parser descends recursively into
    /// nested (folded) forms, so a deep enough nesting overflows the stack and crashes the
    /// process (found by fuzzing: FuzzWAT, Docs/Fuzzing.md); the spec suite nests at most
    /// 43 deep.
    public static let maxNestingDepth = 1000

    /// Rejects text whose parentheses nest deeper than `maxNestingDepth`, before WasmKit's
    /// parser sees it. Strings, line comments and (nested) block comments are skipped, as
    /// the lexer does; anything else malformed is left to the parser.
    public static func checkNesting(_ text: String) throws(TextFormatError) {
        let found = text.utf8.withContiguousStorageIfAvailable { deepestOffset($0) } ?? deepestOffset(Array(text.utf8))
        guard let offset = found else { return }
        var line = 1
        var lineStart = 0
        for (i, b) in text.utf8.prefix(offset).enumerated() where b == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        throw TextFormatError(
            message: "nesting too deep (more than \(maxNestingDepth) parentheses)", line: line,
            column: offset - lineStart + 1)
    }

    /// The byte offset of the first `(` nested deeper than `maxNestingDepth`, or nil.
    static func deepestOffset<C: RandomAccessCollection>(_ bytes: C) -> Int? where C.Element == UInt8, C.Index == Int {
        let lparen = UInt8(ascii: "("), rparen = UInt8(ascii: ")"), semicolon = UInt8(ascii: ";")
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        var depth = 0
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b == quote {  // a string: up to the closing quote, over escapes
                i += 1
                while i < end && bytes[i] != quote { i += bytes[i] == backslash ? 2 : 1 }
                i += 1
            } else if b == semicolon && i + 1 < end && bytes[i + 1] == semicolon {  // ;; to end of line
                while i < end && bytes[i] != newline { i += 1 }
            } else if b == lparen && i + 1 < end && bytes[i + 1] == semicolon {  // (; block comment ;), nests
                var comments = 1
                i += 2
                while i < end && comments > 0 {
                    if bytes[i] == lparen && i + 1 < end && bytes[i + 1] == semicolon {
                        comments += 1
                        i += 2
                    } else if bytes[i] == semicolon && i + 1 < end && bytes[i + 1] == rparen {
                        comments -= 1
                        i += 2
                    } else {
                        i += 1
                    }
                }
            } else {
                if b == lparen {
                    depth += 1
                    if depth > maxNestingDepth { return i }
                } else if b == rparen && depth > 0 {
                    depth -= 1
                }
                i += 1
            }
        }
        return nil
    }

    /// Encodes a module the WAST parser already parsed.
    package static func encode(_ wat: consuming Wat) throws(TextFormatError) -> [UInt8] {
        do {
            return try wat.encode()
        } catch {
            throw TextFormatError(error)
        }
    }
}

extension TextFormatError {
    package init(_ error: WatParserError) {
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
    package static func oneBased(_ position: (line: Int, column: Int)) -> (line: Int, column: Int) {
        position.line == 1 ? (1, position.column + 1) : (position.line, position.column)
    }
}
