import Foundation
import Testing
import WAT
import WasmParser  // WasmFeatureSet (build fix applied in the cli branch)
import WasmCore

/// Runs the validator over the spec gate (wasm-2.0 without SIMD, plus the two
/// tail-call files): every module the scripts treat as valid must decode and
/// validate; every `assert_invalid` module must be rejected, and when our
/// validator is the one rejecting it, its message must start with the
/// script's expected text.
@Suite("Validator spec gate")
struct ValidatorSpecTests {
    /// Outcome counts of one script, printed as a summary line.
    struct Tally {
        var valid = 0
        var invalidByValidator = 0
        var invalidByDecoder = 0
        var invalidByWAT = 0
        /// `assert_invalid` modules WAT cannot encode faithfully (see `hasLossySelect`).
        var notFaithfullyEncodable = 0
        var skippedDirectives = 0
    }

    enum Outcome {
        case valid
        case invalid(String)
        case malformed(String)
        case notEncodable(String)
    }


    /// Encodes (if text), decodes and validates one module.
    static func check(_ source: ModuleSource) -> Outcome {
        let bytes: [UInt8]
        do {
            switch source {
            case .text(var wat): bytes = try wat.encode()
            case .binary(let b): bytes = b
            case .quote(let q): bytes = try wat2wasm(String(decoding: q, as: UTF8.self), features: [.referenceTypes, .tailCall, .simd])
            }
        } catch {
            return .notEncodable("\(error)")
        }
        return check(bytes)
    }

    static func check(_ wat: Wat) -> Outcome { check(.text(wat)) }

    static func check(_ bytes: [UInt8]) -> Outcome {
        let module: WasmCore.Module
        do {
            module = try BinaryDecoder.decode(bytes)
        } catch {
            return .malformed(error.message)
        }
        do {
            try ModuleValidator.validate(module)
            return .valid
        } catch {
            return .invalid(error.description)
        }
    }

    /// WAT 0.4.2 encodes `(select (result t*))` with no type as the untyped
    /// `select` and with several types keeps only the first, so a module that
    /// is invalid for its select arity reaches us as a different module. Those
    /// cases are checked on hand-written binaries in `ValidatorBinaryTests`.
    static func hasLossySelect(_ text: String) -> Bool {
        var rest = Substring(text)
        while let range = rest.range(of: "(select (result") {
            rest = rest[range.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { return false }
            let types = rest[..<close].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            if types.count != 1 { return true }
        }
        return false
    }

    /// The text of the directive starting on line index `start`: lines up to
    /// where its parentheses balance (strings and comments are not special-cased;
    /// this only scopes a search).
    static func directiveText(_ lines: [Substring], from start: Int) -> String {
        var depth = 0
        var out: [Substring] = []
        for line in lines[start...] {
            out.append(line)
            for c in line {
                if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            }
            if depth <= 0 { break }
        }
        return out.joined(separator: "\n")
    }

    @Test(arguments: SharedData.gateFiles() + SharedData.simdGateFiles())
    func specScript(_ url: URL) throws {
        let name = url.lastPathComponent
        let text = try String(contentsOf: url, encoding: .utf8)
        var wast = try parseWAST(text, features: [.referenceTypes, .tailCall, .simd])
        var tally = Tally()
        var failures: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)

        func expectValid(_ outcome: Outcome, _ location: Location) {
            switch outcome {
            case .valid: tally.valid += 1
            case .invalid(let m): failures.append("\(name):\(location.computeLineAndColumn().line): valid module rejected by validator: \(m)")
            case .malformed(let m): failures.append("\(name):\(location.computeLineAndColumn().line): valid module rejected by decoder: \(m)")
            case .notEncodable(let m): failures.append("\(name):\(location.computeLineAndColumn().line): valid module not encodable by WAT: \(m)")
            }
        }

        while let (result, location) = wast.nextDirectiveResult() {
            let directive: WASTDirective
            switch result {
            case .success(let d): directive = d
            case .failure(let e):
                // A directive WAT cannot parse. A module it defines must be valid, so that is a failure;
                // an `assert_invalid` counts as rejected; anything else is only counted.
                let line = location.computeLineAndColumn().line
                let source = line - 1 < lines.count ? lines[line - 1] : ""
                if e.module != nil {
                    failures.append("\(name):\(line): module not parsable by WAT: \(e.error)")
                } else if source.contains("assert_invalid") {
                    tally.invalidByWAT += 1
                } else {
                    tally.skippedDirectives += 1
                    if !source.contains("assert_malformed") {
                        print("note: \(name):\(line): directive skipped (WAT): \(e.error)")
                    }
                }
                continue
            }
            switch directive {
            case .module(let m):
                expectValid(Self.check(m.source), location)
            case .assertReturn(.wat(let wat), _), .assertTrap(.wat(let wat), _):
                expectValid(Self.check(wat), location)
            case .assertUnlinkable(let wat, _):
                expectValid(Self.check(wat), location)
            case .assertInvalid(let m, let expected):
                switch Self.check(m.source) {
                case .valid:
                    failures.append("\(name):\(location.computeLineAndColumn().line): invalid module accepted; expected \"\(expected)\"")
                case .invalid(let got):
                    if got.hasPrefix(expected) {
                        tally.invalidByValidator += 1
                        break
                    }
                    let line = location.computeLineAndColumn().line
                    let snippet = Self.directiveText(lines, from: line - 1)
                    if case .text = m.source, Self.hasLossySelect(snippet) {
                        tally.notFaithfullyEncodable += 1
                    } else {
                        failures.append("\(name):\(line): message mismatch: expected \"\(expected)\", got \"\(got)\"")
                    }
                case .malformed: tally.invalidByDecoder += 1
                case .notEncodable: tally.invalidByWAT += 1
                }
            default:
                break
            }
        }
        print("validator gate \(name): \(tally.valid) valid, invalid rejected by validator \(tally.invalidByValidator) / decoder \(tally.invalidByDecoder) / WAT \(tally.invalidByWAT) (+\(tally.notFaithfullyEncodable) lossy), skipped \(tally.skippedDirectives), failures \(failures.count)")
        // Failures of the text front end that tests/spec-known-failures.txt lists are expected.
        for failure in failures {
            let line = failure.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 0
            if !SharedData.isKnownSpecFailure(url, line: line) { Issue.record(Comment(rawValue: failure)) }
        }
    }
}
