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
}
