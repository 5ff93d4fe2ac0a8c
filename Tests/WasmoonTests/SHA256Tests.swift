import Testing
import WasmoonCommands
import Wasmoon

/// SHA-256 known answers (FIPS 180-4 examples, and values from an independent implementation).
@Suite("SHA-256")
struct SHA256Tests {
    static let answers: [(String, [UInt8], String)] = [
        ("empty", [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("448 bits", Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("one zero page", [UInt8](repeating: 0, count: 65536), "de2f256064a0af797747c2b97505dc0b9f3df0de4f489eac731c23ae9ca9cc31"),
        ("0...255 three times", Array((0..<768).map { UInt8($0 % 256) }),
         "f3a25aa93aa2fbba28d79260535bbd6a5eb0fc1c24a8b0f04e12b484c1dfe363"),
    ]

    @Test func knownAnswers() {
        for (name, input, digest) in Self.answers {
            #expect(SHA256.hex(SHA256.hash(input)) == digest, "\(name)")
        }
    }

    @Test func millionAs() {
        var s = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { s.update(chunk) }
        #expect(SHA256.hex(s.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Feeding the input in pieces of any size gives the one-shot digest.
    @Test(arguments: [1, 3, 63, 64, 65, 127, 200])
    func incrementalUpdatesAgree(_ piece: Int) {
        let input = Array((0..<768).map { UInt8($0 % 256) })
        var s = SHA256()
        var i = 0
        while i < input.count {
            s.update(Array(input[i..<min(i + piece, input.count)]))
            i += piece
        }
        #expect(SHA256.hex(s.finalize()) == "f3a25aa93aa2fbba28d79260535bbd6a5eb0fc1c24a8b0f04e12b484c1dfe363")
    }
}
