import Testing
import Wasmoon

/// Numeric semantics on the interpreter: wrapping, traps, float edge cases.
@Suite("Interpreter numerics")
struct InterpreterNumericTests {
    static let wat = """
        (module
          (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
          (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
          (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
          (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
          (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
          (func (export "shl64") (param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1)))
          (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
          (func (export "rotr64") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
          (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
          (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
          (func (export "popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
          (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
          (func (export "extend_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
          (func (export "extend_s") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
          (func (export "extend8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
          (func (export "fmin") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
          (func (export "fmax") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
          (func (export "dmin") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
          (func (export "dmax") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
          (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
          (func (export "dnearest") (param f64) (result f64) (f64.nearest (local.get 0)))
          (func (export "fabs") (param f32) (result f32) (f32.abs (local.get 0)))
          (func (export "fneg") (param f32) (result f32) (f32.neg (local.get 0)))
          (func (export "dneg") (param f64) (result f64) (f64.neg (local.get 0)))
          (func (export "copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
          (func (export "trunc_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "trunc_u") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
          (func (export "trunc_s64") (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))
          (func (export "trunc_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
          (func (export "sat_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
          (func (export "sat_u64") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
          (func (export "u64_to_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
          (func (export "eqz_const") (result i32) (i32.eqz (i32.const 0)))
          (func (export "reinterpret") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
        )
        """

    let h: InterpreterHarness
    init() throws { h = try InterpreterHarness(Self.wat) }

    @Test func integerDivision() throws {
        #expect(try h.call("div_s", .s32(-7), .s32(2)) == [.s32(-3)])
        #expect(try h.call("div_u", .s32(-7), .s32(2)) == [.i32(0x7FFF_FFFC)])
        #expect(try h.call("rem_s", .s32(-7), .s32(2)) == [.s32(-1)])
        #expect(try h.call("rem_u", .s32(-7), .s32(2)) == [.i32(1)])
        #expect(try h.call("rem_s", .s32(Int32.min), .s32(-1)) == [.i32(0)])
        #expect(try h.call("rem_s64", .s64(Int64.min), .s64(-1)) == [.i64(0)])
        h.expectTrap(.integerOverflow, "div_s", .s32(Int32.min), .s32(-1))
        h.expectTrap(.integerOverflow, "div_s64", .s64(Int64.min), .s64(-1))
        h.expectTrap(.integerDivideByZero, "div_s", .i32(1), .i32(0))
        h.expectTrap(.integerDivideByZero, "div_u", .i32(1), .i32(0))
        h.expectTrap(.integerDivideByZero, "rem_s", .i32(1), .i32(0))
        h.expectTrap(.integerDivideByZero, "rem_u", .i32(1), .i32(0))
        h.expectTrap(.integerDivideByZero, "rem_s64", .i64(1), .i64(0))
    }

    @Test func shiftsAndBits() throws {
        #expect(try h.call("shl", .i32(1), .i32(33)) == [.i32(2)])
        #expect(try h.call("shr_s", .s32(-8), .i32(33)) == [.s32(-4)])
        #expect(try h.call("shl64", .i64(1), .i64(65)) == [.i64(2)])
        #expect(try h.call("rotl", .i32(0x8000_0001), .i32(1)) == [.i32(3)])
        #expect(try h.call("rotl", .i32(0x1234_5678), .i32(32)) == [.i32(0x1234_5678)])
        #expect(try h.call("rotr64", .i64(1), .i64(1)) == [.i64(0x8000_0000_0000_0000)])
        #expect(try h.call("clz", .i32(0)) == [.i32(32)])
        #expect(try h.call("clz", .i32(1)) == [.i32(31)])
        #expect(try h.call("ctz64", .i64(0)) == [.i64(64)])
        #expect(try h.call("popcnt", .i32(0xFFFF_FFFF)) == [.i32(32)])
        #expect(try h.call("add", .i32(0xFFFF_FFFF), .i32(2)) == [.i32(1)])
        #expect(try h.call("mul64", .i64(0x1_0000_0001), .i64(0x1_0000_0001)) == [.i64(0x2_0000_0001)])
    }

    @Test func widthConversions() throws {
        #expect(try h.call("wrap", .i64(0x1_2345_6789)) == [.i32(0x2345_6789)])
        #expect(try h.call("extend_u", .i32(0xFFFF_FFFF)) == [.i64(0xFFFF_FFFF)])
        #expect(try h.call("extend_s", .i32(0xFFFF_FFFF)) == [.i64(UInt64.max)])
        #expect(try h.call("extend8", .i32(0x80)) == [.s32(-128)])
        #expect(try h.call("eqz_const") == [.i32(1)])
        #expect(try h.call("reinterpret", .double(-0.0)) == [.i64(0x8000_0000_0000_0000)])
    }

    @Test func floatMinMax() throws {
        #expect(try h.call("fmin", .float(0.0), .float(-0.0)) == [.float(-0.0)])
        #expect(try h.call("fmin", .float(-0.0), .float(0.0)) == [.float(-0.0)])
        #expect(try h.call("fmax", .float(-0.0), .float(0.0)) == [.float(0.0)])
        #expect(try h.call("dmax", .double(0.0), .double(-0.0)) == [.double(0.0)])
        #expect(try h.call("dmin", .double(1.5), .double(-2)) == [.double(-2)])
        guard case .f32(let bits) = try h.call("fmin", .float(.nan), .float(1))[0] else { return }
        #expect(Float(bitPattern: bits).isNaN)
        guard case .f64(let dbits) = try h.call("dmax", .double(1), .double(.nan))[0] else { return }
        #expect(Double(bitPattern: dbits).isNaN)
    }

    @Test func roundingAndSignBits() throws {
        #expect(try h.call("nearest", .float(2.5)) == [.float(2)])
        #expect(try h.call("nearest", .float(3.5)) == [.float(4)])
        #expect(try h.call("nearest", .float(-0.5)) == [.float(-0.0)])
        #expect(try h.call("dnearest", .double(-1.5)) == [.double(-2)])
        // NaN payloads survive abs, neg, copysign.
        #expect(try h.call("fabs", .f32(0xFFA0_0001)) == [.f32(0x7FA0_0001)])
        #expect(try h.call("fneg", .f32(0x7FA0_0001)) == [.f32(0xFFA0_0001)])
        #expect(try h.call("dneg", .f64(0x7FF0_0000_0000_0001)) == [.f64(0xFFF0_0000_0000_0001)])
        #expect(try h.call("copysign", .f32(0x7FA0_0001), .float(-1)) == [.f32(0xFFA0_0001)])
    }

    @Test func truncation() throws {
        #expect(try h.call("trunc_s", .float(-2147483648.0)) == [.s32(Int32.min)])
        #expect(try h.call("trunc_s", .float(-1.9)) == [.s32(-1)])
        #expect(try h.call("trunc_u", .double(4294967295.9)) == [.i32(UInt32.max)])
        #expect(try h.call("trunc_u", .double(-0.9)) == [.i32(0)])
        #expect(try h.call("trunc_s64", .double(-9223372036854775808.0)) == [.s64(Int64.min)])
        h.expectTrap(.integerOverflow, "trunc_s", .float(2147483648.0))
        h.expectTrap(.invalidConversionToInteger, "trunc_s", .float(.nan))
        h.expectTrap(.integerOverflow, "trunc_u", .double(-1))
        h.expectTrap(.integerOverflow, "trunc_u", .double(4294967296.0))
        h.expectTrap(.integerOverflow, "trunc_s64", .double(9223372036854775808.0))
        h.expectTrap(.integerOverflow, "trunc_u64", .float(-1))
        h.expectTrap(.invalidConversionToInteger, "trunc_u64", .float(.nan))
        #expect(try h.call("sat_s", .float(.nan)) == [.i32(0)])
        #expect(try h.call("sat_s", .float(3e9)) == [.s32(Int32.max)])
        #expect(try h.call("sat_s", .float(-3e9)) == [.s32(Int32.min)])
        #expect(try h.call("sat_u64", .double(-5)) == [.i64(0)])
        #expect(try h.call("sat_u64", .double(1e20)) == [.i64(UInt64.max)])
        #expect(try h.call("u64_to_f32", .i64(UInt64.max)) == [.float(18446744073709551616.0)])
        #expect(try h.call("u64_to_f32", .i64(0x8000_0080_0000_0001)) == [.f32(0x5F00_0001)])
    }
}
