import Testing
import WasmCore
import Wasmoon

/// Inputs found by the fuzz targets (FuzzTesting/, Docs/Fuzzing.md) that crashed or hung
/// Wasmoon: each must now come back as an error. The bytes are the minimised reproducers.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.filter { !$0.isWhitespace }
        var out: [UInt8] = []
        var i = digits.startIndex
        while i < digits.endIndex {
            let j = digits.index(i, offsetBy: 2)
            out.append(UInt8(digits[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// One `() -> ()` function declaring 2^32-1 i32 locals: valid (the spec allows up to
    /// 2^32-1), but the JIT crashed on an Int32 overflow computing the locals' frame
    /// displacements. Both tiers now refuse it at compile time with an implementation-limit
    /// error (the interpreter already did).
    static let manyLocals = bytes(
        """
        0061736d 01000000 01040160 0000 03020100 0a0a0108 01ffffffff0f7f0b
        """)

    @Test func manyLocalsIsValidButRefusedByBothTiers() throws {
        let module = try BinaryDecoder.decode(Self.manyLocals)
        try ModuleValidator.validate(module)
        for tier in [Tier.interpreter, .jit] {
            let runtime = try Runtime(tier: tier)
            #expect(throws: (any Error).self, "tier \(tier)") { _ = try runtime.compile(bytes: Self.manyLocals) }
        }
    }

    /// Folded instructions nested a few thousand deep: WasmKit's WAT parser recurses once
    /// per level and overflowed the stack (FuzzWAT under ASan: at about 3000 levels; a
    /// release build without sanitizers goes deeper, but not unboundedly). The front end now
    /// refuses nesting deeper than `TextFormat.maxNestingDepth` before calling the parser.
    @Test func deeplyNestedTextIsAnError() throws {
        let n = 5000
        let text = "(module (func " + String(repeating: "(block ", count: n) + String(repeating: ")", count: n) + "))"
        let error = #expect(throws: TextFormatError.self) { _ = try TextFormat.wat2wasm(text) }
        #expect(error?.message.contains("nesting too deep") == true)
        #expect(error?.line == 1)
        #expect(error?.column == 1 + "(module (func ".utf8.count + 7 * (TextFormat.maxNestingDepth - 2))
    }

    /// The nesting check counts only parentheses the lexer would see: not those in strings
    /// or comments, and depth exactly `maxNestingDepth` is accepted.
    @Test func nestingCheckSkipsStringsAndComments() throws {
        let limit = TextFormat.maxNestingDepth
        try TextFormat.checkNesting(String(repeating: "(", count: limit))
        #expect(throws: TextFormatError.self) { try TextFormat.checkNesting(String(repeating: "(", count: limit + 1)) }
        let hidden = "\"" + String(repeating: "(", count: 2 * limit) + "\\\" ((\""
            + " ;; " + String(repeating: "(", count: 2 * limit) + "\n"
            + " (; (; " + String(repeating: "(", count: 2 * limit) + " ;) ;)"
        try TextFormat.checkNesting(hidden + String(repeating: "(", count: limit))
        let bytes = try TextFormat.wat2wasm("(module (func (block (; ((( ;) (nop)) ;; (((\n))")
        #expect(try BinaryDecoder.decode(bytes).codes.count == 1)
    }
}
