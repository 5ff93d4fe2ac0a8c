import Foundation
import Testing
import WasmoonWAST
import WAT
import WasmCore
import Wasmoon

/// Runs the binary decoder over the spec gate (wasm-2.0 without SIMD, plus the
/// tail-call files): every well-formed module must decode, every binary
/// `assert_malformed` module must be rejected with the expected message
/// (prefix match, as the spec's own runner does).
@Suite struct DecoderSpecTests {
    /// Per-file tallies, printed as a summary line.
    struct Tally {
        var decoded = 0
        var rejected = 0
        var failures = 0
        var mismatches = 0
        var skippedQuoted = 0
        var skippedText = 0
        var watFailures = 0
    }

    /// tests/decoder-spec-differences.txt: "PATH:LINE" → reason.
    static let knownDifferences = SharedData.lineList("tests/decoder-spec-differences.txt")

    @Test func knownDifferencesAreReadable() {
        #expect(Self.knownDifferences.keys.allSatisfy { $0.hasPrefix("core/") || $0.hasPrefix("wasm-2.0/") })
    }

    @Test(arguments: SharedData.gateFiles() + SharedData.simdGateFiles())
    func decodesSpecFile(_ url: URL) throws {
        let file = url.lastPathComponent
        let listedPath = url.deletingLastPathComponent().lastPathComponent + "/" + file
        var listedLines = Set(
            Self.knownDifferences.keys.filter { $0.hasPrefix(listedPath + ":") }.compactMap { Int($0.split(separator: ":")[1]) })
        /// A failure at a listed line is expected: it is taken off the list of this file's lines.
        func isKnown(_ line: Int) -> Bool { listedLines.remove(line) != nil }
        let text = try String(contentsOf: url, encoding: .utf8)
        var wast = try parseWAST(text, features: [.referenceTypes, .tailCall, .simd])
        var tally = Tally()

        func where_(_ line: Int) -> String { "\(file):\(line)" }

        /// A module that must be well formed: decode it and record a failure if it is rejected.
        func expectDecodes(_ bytes: [UInt8], line: Int, what: String) {
            do {
                _ = try BinaryDecoder.decode(bytes)
                tally.decoded += 1
            } catch {
                if isKnown(line) { return }
                tally.failures += 1
                Issue.record("\(where_(line)): \(what) should decode, got \"\(error)\"")
            }
        }

        /// Encodes a text module with WAT; nil (counted) when WAT cannot.
        func encode(_ wat: Wat, line: Int) -> [UInt8]? {
            var copy = wat
            do {
                return try copy.encode()
            } catch {
                tally.watFailures += 1
                print("note: \(where_(line)): WAT could not encode: \(error)")
                return nil
            }
        }

        func checkWellFormed(_ source: ModuleSource, line: Int, what: String) {
            switch source {
            case .binary(let bytes):
                expectDecodes(bytes, line: line, what: what)
            case .text(let wat):
                if let bytes = encode(wat, line: line) { expectDecodes(bytes, line: line, what: what) }
            case .quote(let q):
                guard let wat = try? parseWAT(String(decoding: q, as: UTF8.self), features: [.referenceTypes, .tailCall, .simd])
                else {
                    tally.skippedQuoted += 1
                    return
                }
                if let bytes = encode(wat, line: line) { expectDecodes(bytes, line: line, what: what) }
            }
        }

        var source = WastSource(text)
        while let (result, location) = wast.nextDirectiveResult() {
            let line = source.line(of: location)
            let directive: WASTDirective
            switch result {
            case .success(let d): directive = d
            case .failure(let e):
                tally.watFailures += 1
                print("note: \(where_(line)): WAT could not parse directive: \(e.error)")
                continue
            }
            switch directive {
            case .module(let m):
                checkWellFormed(m.source, line: line, what: "module")
            case .assertInvalid(let m, _):
                // Invalid but well formed: the decoder must accept it.
                checkWellFormed(m.source, line: line, what: "assert_invalid module")
            case .assertMalformed(let m, let message):
                guard case .binary(let bytes) = m.source else {
                    // Text-format errors belong to the WAT parser.
                    if case .quote = m.source { tally.skippedQuoted += 1 } else { tally.skippedText += 1 }
                    continue
                }
                do {
                    _ = try BinaryDecoder.decode(bytes)
                    tally.failures += 1
                    Issue.record("\(where_(line)): expected malformed \"\(message)\", but the module decoded")
                } catch {
                    if error.message.hasPrefix(message) {
                        tally.rejected += 1
                    } else if isKnown(line) {
                        tally.rejected += 1
                    } else {
                        tally.mismatches += 1
                        Issue.record("\(where_(line)): expected \"\(message)\", got \"\(error)\"")
                    }
                }
            case .assertTrap(.wat(let wat), _), .assertReturn(.wat(let wat), _):
                if let bytes = encode(wat, line: line) { expectDecodes(bytes, line: line, what: "module") }
            case .assertUnlinkable(let wat, _):
                if let bytes = encode(wat, line: line) {
                    expectDecodes(bytes, line: line, what: "assert_unlinkable module")
                }
            default:
                break
            }
        }
        print(
            "decoder-spec \(file): decoded \(tally.decoded), rejected \(tally.rejected), "
                + "failures \(tally.failures), mismatches \(tally.mismatches), "
                + "skipped text/quoted malformed \(tally.skippedText)/\(tally.skippedQuoted), WAT failures \(tally.watFailures)"
        )
        #expect(tally.failures == 0 && tally.mismatches == 0)
        #expect(listedLines.isEmpty, "tests/decoder-spec-differences.txt lists \(listedPath) lines that pass now: \(listedLines.sorted())")
    }
}
