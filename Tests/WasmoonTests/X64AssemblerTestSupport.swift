import Foundation
import Testing
import WasmJIT

/// Runs one-instruction encodings and checks bytes and listing text, recording a
/// test issue (with the failing case) for each mismatch.
struct X64EncodingChecker {
    var count = 0

    mutating func check(_ text: String, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation,
                        _ emit: (inout X64Assembler) -> Void) {
        count += 1
        var a = X64Assembler(listing: true)
        emit(&a)
        let got = a.bytes
        if got != bytes {
            Issue.record("\(text): bytes \(x64HexString(got)), expected \(x64HexString(bytes))", sourceLocation: sourceLocation)
        }
        let lines = a.listing
        if lines.count != 1 || lines[0].text != text || lines[0].offset != 0 || lines[0].length != got.count {
            Issue.record("\(text): listing \(lines.map(\.text)), expected [\"\(text)\"]", sourceLocation: sourceLocation)
        }
        // The same emission with the listing off gives the same bytes and no lines.
        var quiet = X64Assembler(listing: false)
        emit(&quiet)
        if quiet.bytes != got || !quiet.listing.isEmpty {
            Issue.record("\(text): differs with the listing off", sourceLocation: sourceLocation)
        }
    }

    func finish(expected: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(count == expected, sourceLocation: sourceLocation)
    }
}

func x64HexString(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
}
