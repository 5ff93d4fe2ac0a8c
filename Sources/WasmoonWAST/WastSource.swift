import Wasmoon
import WAT

/// The text of one `.wast` script, and the way back from the text parser's `Location`s to it:
/// line numbers, and the keyword and text of a directive.
///
/// Line numbers are counted forward from the previous query, so asking for the line of every
/// directive of a script, in order, costs one pass over its text. (WAT's
/// `Location.computeLineAndColumn()` splits the whole prefix of the script on every call: on
/// a script of thousands of directives that was most of a spec run's time.) The numbers are
/// the same as `computeLineAndColumn().line`: 1 + the newlines before the location.
public struct WastSource: Sendable {
    public let text: String
    /// A position whose line is known (at or before the last one asked for), and that line.
    private var cursor: String.Index
    private var cursorLine = 1

    public init(_ text: String) {
        self.text = text
        cursor = text.startIndex
    }

    /// The 1-based line of `location`, a location in `text` (as parsed by `parseWAST(text)`).
    public mutating func line(of location: Location) -> Int {
        guard let index = index(of: location) else { return location.computeLineAndColumn().line }
        if index < cursor {
            cursor = text.startIndex
            cursorLine = 1
        }
        cursorLine += text.utf8[cursor..<index].count { $0 == UInt8(ascii: "\n") }
        cursor = index
        return cursorLine
    }

    /// Where `location` is in `text`. WAT keeps the index of a location internal; it is read
    /// by reflection, and when that fails (a later WAT stores it differently) it is found
    /// again from the location's line and column, the slow way.
    func index(of location: Location) -> String.Index? {
        if let index = reflectedIndex(of: location) { return index }
        let scalars = text.unicodeScalars
        let (line, column) = TextFormatError.oneBased(location.computeLineAndColumn())
        guard line >= 1 else { return nil }
        var i = scalars.startIndex
        var newlines = 0
        while newlines < line - 1 {
            guard i < scalars.endIndex else { return nil }
            if scalars[i] == "\n" { newlines += 1 }
            i = scalars.index(after: i)
        }
        for _ in 1..<max(column, 1) where i < scalars.endIndex { i = scalars.index(after: i) }
        return i
    }

    /// The keyword after the `(` at `location` (e.g. "assert_malformed").
    /// The fast path of `index(of:)`: the location's stored index, or nil when this WAT
    /// keeps it some other way (a test checks that it does not).
    package func reflectedIndex(of location: Location) -> String.Index? {
        guard let index = Mirror(reflecting: location).children.first(where: { $0.label == "index" })?.value
            as? String.Index, index <= text.endIndex
        else { return nil }
        return index
    }

    func directiveKeyword(at location: Location) -> String? {
        let scalars = text.unicodeScalars
        guard var i = index(of: location), i < scalars.endIndex, scalars[i] == "(" else { return nil }
        i = scalars.index(after: i)
        while i < scalars.endIndex, scalars[i] == " " || scalars[i] == "\n" || scalars[i] == "\t" { i = scalars.index(after: i) }
        var word = ""
        while i < scalars.endIndex, scalars[i].properties.isAlphabetic || scalars[i] == "_" {
            word.unicodeScalars.append(scalars[i])
            i = scalars.index(after: i)
        }
        return word.isEmpty ? nil : word
    }

    /// The text of the parenthesised directive starting at `location`, through its
    /// matching `)` (strings and comments are skipped while matching).
    func directiveText(at location: Location) -> String? {
        let scalars = text.unicodeScalars
        guard let start = index(of: location), start < scalars.endIndex, scalars[start] == "(" else { return nil }
        var depth = 0
        var i = start
        func peek(_ offset: Int) -> Unicode.Scalar? {
            var j = i
            for _ in 0..<offset {
                guard j < scalars.endIndex else { return nil }
                j = scalars.index(after: j)
            }
            return j < scalars.endIndex ? scalars[j] : nil
        }
        func advance(_ n: Int = 1) {
            for _ in 0..<n where i < scalars.endIndex { i = scalars.index(after: i) }
        }
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\"" {
                advance()
                while i < scalars.endIndex, scalars[i] != "\"" { advance(scalars[i] == "\\" ? 2 : 1) }
                advance()
            } else if c == ";", peek(1) == ";" {
                while i < scalars.endIndex, scalars[i] != "\n" { advance() }
            } else if c == "(", peek(1) == ";" {
                var commentDepth = 0
                repeat {
                    if scalars[i] == "(", peek(1) == ";" {
                        commentDepth += 1
                        advance(2)
                    } else if scalars[i] == ";", peek(1) == ")" {
                        commentDepth -= 1
                        advance(2)
                    } else {
                        advance()
                    }
                } while commentDepth > 0 && i < scalars.endIndex
            } else if c == "(" {
                depth += 1
                advance()
            } else if c == ")" {
                depth -= 1
                advance()
                if depth == 0 { return String(String.UnicodeScalarView(scalars[start..<i])) }
            } else {
                advance()
            }
        }
        return nil
    }
}
