import Foundation
import Testing
import Wasmoon
import WasmCore
import WasmJIT

/// Golden listings: each `tests/disas/*.wat` holds a module and, after the marker line,
/// the expected `wasmoon explore` output as `;;` comments. `WASMOON_BLESS=1` rewrites them.
@Suite("JIT listings")
struct JITListingTests {
    static let marker = ";; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----"
    static let directory = SharedData.repoRoot.appendingPathComponent("tests/disas")
    static let files: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".wat") }.sorted()

    @Test(arguments: files)
    func golden(_ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let source: String
        let expected: String
        if let r = text.range(of: Self.marker) {
            source = String(text[..<r.lowerBound])
            expected = text[r.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
                .filter { $0.hasPrefix(";;") }
                .map { $0.hasPrefix(";; ") ? String($0.dropFirst(3)) : String($0.dropFirst(2)) }
                .joined(separator: "\n")
        } else {
            source = text.hasSuffix("\n") ? text : text + "\n"
            expected = ""
        }
        let module = try BinaryDecoder.decode(try TextFormat.wat2wasm(source))
        let listing = try JITExplorer.listing(module, features: .all).trimmingCharacters(in: .newlines)
        if ProcessInfo.processInfo.environment["WASMOON_BLESS"] == "1" {
            let body = listing.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? ";;" : ";; " + $0 }.joined(separator: "\n")
            try (source + Self.marker + "\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(listing == expected, "\(name): listing changed (WASMOON_BLESS=1 to accept)")
    }
}
