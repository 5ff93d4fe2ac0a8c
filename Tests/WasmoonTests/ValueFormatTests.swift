import Testing
import Wasmoon

/// cli.md's value formats: what `--invoke` prints and which argument texts it accepts.
@Suite("Value formatting and parsing")
struct ValueFormatTests {
    @Test(arguments: [
        (Value.i32(0), "0"), (.i32(0xFFFF_FFFF), "-1"), (.i32(0x8000_0000), "-2147483648"),
        (.i64(.max), "-1"), (.i64(1 << 63), "-9223372036854775808"), (.i64(42), "42"),
    ])
    func integers(_ value: Value, _ text: String) {
        #expect(ValueFormat.format(value) == text)
    }

    @Test(arguments: [
        (Float(1).bitPattern, "1"), (Float(-0.0).bitPattern, "-0"), (Float(0.1).bitPattern, "0.1"),
        (Float(1.5).bitPattern, "1.5"), (Float(3.4028235e38).bitPattern, "3.4028235e+38"),
        (Float(1e-45).bitPattern, "1e-45"), (0x7F80_0000, "inf"), (0xFF80_0000, "-inf"),
        (0x7FC0_0000, "nan"), (0xFFC0_0000, "-nan"), (0x7F80_0001, "nan:0x1"), (0xFFA0_0000, "-nan:0x200000"),
    ] as [(UInt32, String)])
    func f32(_ bits: UInt32, _ text: String) {
        #expect(ValueFormat.format(.f32(bits)) == text)
        // Every printed float parses back to the same bits.
        #expect(ValueFormat.parse(text, as: .f32) == .f32(bits))
    }

    @Test(arguments: [
        (Double(2).bitPattern, "2"), (Double(-0.0).bitPattern, "-0"), (Double(0.1).bitPattern, "0.1"),
        (Double(1e300).bitPattern, "1e+300"), (Double(123456.789).bitPattern, "123456.789"),
        (Double.leastNonzeroMagnitude.bitPattern, "5e-324"), (0x7FF0_0000_0000_0000, "inf"),
        (0x7FF8_0000_0000_0000, "nan"), (0x7FF0_0000_0000_0001, "nan:0x1"),
        (0xFFF4_0000_0000_0000, "-nan:0x4000000000000"),
    ] as [(UInt64, String)])
    func f64(_ bits: UInt64, _ text: String) {
        #expect(ValueFormat.format(.f64(bits)) == text)
        #expect(ValueFormat.parse(text, as: .f64) == .f64(bits))
    }

    @Test func references() {
        #expect(ValueFormat.format(.funcRef(nil)) == "null")
        #expect(ValueFormat.format(.externRef(nil)) == "null")
        #expect(ValueFormat.format(.externRef(ExternRef(id: 3))) == "extern")
        #expect(ValueFormat.parse("null", as: .funcref) == .funcRef(nil))
        #expect(ValueFormat.parse("null", as: .externref) == .externRef(nil))
        #expect(ValueFormat.parse("9", as: .externref) == .externRef(ExternRef(id: 9)))
        #expect(ValueFormat.parse("1", as: .funcref) == nil)
        // Typed references and exnref: null only where the type is nullable.
        #expect(ValueFormat.format(.exnRef(nil)) == "null")
        #expect(ValueFormat.parse("null", as: .exnref) == .exnRef(nil))
        #expect(ValueFormat.parse("null", as: .ref(RefType(nullable: true, .concrete(0)))) == .funcRef(nil))
        #expect(ValueFormat.parse("null", as: .ref(RefType(nullable: false, .concrete(0)))) == nil)
        #expect(ValueFormat.parse("null", as: .ref(RefType(nullable: false, .extern))) == nil)
    }

    @Test(arguments: [
        ("5", 5), ("-3", 0xFFFF_FFFD), ("+7", 7), ("4294967295", 0xFFFF_FFFF), ("-2147483648", 0x8000_0000),
        ("0x10", 16), ("0XfF", 255), ("-0x1", 0xFFFF_FFFF), ("1_000", 1000), ("0xffff_ffff", 0xFFFF_FFFF),
    ] as [(String, UInt32)])
    func i32Arguments(_ text: String, _ bits: UInt32) {
        #expect(ValueFormat.parse(text, as: .i32) == .i32(bits))
    }

    @Test(arguments: ["", "-", "4294967296", "-2147483649", "1.5", "0x", "x1", "1_", "_1", "1__0", "--1", "0x1g", " 1"])
    func badI32Arguments(_ text: String) {
        #expect(ValueFormat.parse(text, as: .i32) == nil)
    }

    @Test func i64Arguments() {
        #expect(ValueFormat.parse("18446744073709551615", as: .i64) == .i64(.max))
        #expect(ValueFormat.parse("-9223372036854775808", as: .i64) == .i64(1 << 63))
        #expect(ValueFormat.parse("0x7fffffffffffffff", as: .i64) == .i64(UInt64(Int64.max)))
        #expect(ValueFormat.parse("18446744073709551616", as: .i64) == nil)
        #expect(ValueFormat.parse("-9223372036854775809", as: .i64) == nil)
    }

    @Test func floatArguments() {
        #expect(ValueFormat.parse("1e-7", as: .f64) == .f64(Double(1e-7).bitPattern))
        #expect(ValueFormat.parse("-0x1p-1", as: .f64) == .f64(Double(-0.5).bitPattern))
        #expect(ValueFormat.parse("0x1.8p1", as: .f32) == .f32(Float(3).bitPattern))
        #expect(ValueFormat.parse(".5", as: .f32) == .f32(Float(0.5).bitPattern))
        #expect(ValueFormat.parse("+inf", as: .f64) == .f64(Double.infinity.bitPattern))
        #expect(ValueFormat.parse("-infinity", as: .f32) == .f32((-Float.infinity).bitPattern))
        #expect(ValueFormat.parse("5", as: .f32) == .f32(Float(5).bitPattern))
        // f32 literals round once, from the decimal text (not through f64).
        #expect(ValueFormat.parse("16777217", as: .f32) == .f32(Float(16_777_216).bitPattern))
        for bad in ["", "nan:0x0", "nan:0x800000", "1e39", "one", "1.0.0", "0x", "--1", "nan(1)"] {
            #expect(ValueFormat.parse(bad, as: .f32) == nil, "\(bad)")
        }
        #expect(ValueFormat.parse("nan:0x10000000000000", as: .f64) == nil)
        #expect(ValueFormat.parse("1e309", as: .f64) == nil)
    }
}
