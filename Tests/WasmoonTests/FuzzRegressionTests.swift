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

    /// A module of two functions: the first calls the second, of type `() -> (i32 × results)`,
    /// `calls` times, then ends in `unreachable`. Valid; every call leaves `results` values
    /// on the operand stack.
    static func manyCallResults(results: Int, calls: Int) -> [UInt8] {
        let uleb = { (v: Int) in DecoderUnitTests.uleb(UInt64(v)) }, section = DecoderUnitTests.section
        let types: [UInt8] = [0x02, 0x60, 0x00, 0x00, 0x60, 0x00] + uleb(results) + Array(repeating: 0x7F, count: results)
        let caller: [UInt8] = [0x00] + [UInt8]([0x10, 0x01]).repeated(calls) + [0x00, 0x0B]
        let callee: [UInt8] = [0x00, 0x00, 0x0B]
        let code: [UInt8] = [0x02] + uleb(caller.count) + caller + uleb(callee.count) + callee
        return DecoderUnitTests.header + section(1, types) + section(3, [0x02, 0x00, 0x01])
            + section(10, code)
    }

    /// 2000 calls of a function with 4000 results (a 10 KB module): the interpreter's
    /// translator copied its whole operand stack on every call (an array slice kept the
    /// buffer shared across `removeSubrange`) and only checked the frame size after the
    /// whole body, so the time grew quadratically — minutes for a 16 KB module (FuzzDecode
    /// timeout). Both tiers now refuse the frame as soon as it is too large.
    @Test func manyCallResultsIsRefusedQuickly() throws {
        let bytes = Self.manyCallResults(results: 4000, calls: 2000)
        try ModuleValidator.validate(try BinaryDecoder.decode(bytes))
        for tier in [Tier.interpreter, .jit] {
            let runtime = try Runtime(tier: tier)
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                #expect(throws: (any Error).self, "tier \(tier)") { _ = try runtime.compile(bytes: bytes) }
            }
            #expect(elapsed < .seconds(20), "tier \(tier)")
        }
    }
}

extension Array {
    /// The array's elements, `count` times over.
    fileprivate func repeated(_ count: Int) -> [Element] {
        Array(Swift.repeatElement(self, count: count).joined())
    }
}
