import WasmCore

/// The integer operators' results on known operands: what constant folding computes (and the
/// IR evaluator the tests use). Nil for an operator it does not fold: floats, and division or
/// remainder that would trap.
package enum IntegerFolding {
    package static func fold(_ op: NumericOp, _ operands: [UInt64]) -> UInt64? {
        if operands.count == 1 { return unary(op, operands[0]) }
        guard operands.count == 2 else { return nil }
        return binary(op, operands[0], operands[1])
    }

    static func bool(_ value: Bool) -> UInt64 { value ? 1 : 0 }
    static func u32(_ value: UInt32) -> UInt64 { UInt64(value) }

    static func unary(_ op: NumericOp, _ x: UInt64) -> UInt64? {
        let a = UInt32(truncatingIfNeeded: x)
        switch op {
        case .i32Eqz: return bool(a == 0)
        case .i64Eqz: return bool(x == 0)
        case .i32Clz: return UInt64(a.leadingZeroBitCount)
        case .i32Ctz: return UInt64(a.trailingZeroBitCount)
        case .i32Popcnt: return UInt64(a.nonzeroBitCount)
        case .i64Clz: return UInt64(x.leadingZeroBitCount)
        case .i64Ctz: return UInt64(x.trailingZeroBitCount)
        case .i64Popcnt: return UInt64(x.nonzeroBitCount)
        case .i32WrapI64: return u32(a)
        case .i64ExtendI32S: return UInt64(bitPattern: Int64(Int32(bitPattern: a)))
        case .i64ExtendI32U: return u32(a)
        case .i32Extend8S: return u32(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a))))
        case .i32Extend16S: return u32(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a))))
        case .i64Extend8S: return UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: x)))
        case .i64Extend16S: return UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: x)))
        case .i64Extend32S: return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: x)))
        default: return nil
        }
    }

    static func binary(_ op: NumericOp, _ x: UInt64, _ y: UInt64) -> UInt64? {
        let a = UInt32(truncatingIfNeeded: x), b = UInt32(truncatingIfNeeded: y)
        let sa = Int32(bitPattern: a), sb = Int32(bitPattern: b)
        let sx = Int64(bitPattern: x), sy = Int64(bitPattern: y)
        switch op {
        case .i32Eq: return bool(a == b)
        case .i32Ne: return bool(a != b)
        case .i32LtS: return bool(sa < sb)
        case .i32LtU: return bool(a < b)
        case .i32GtS: return bool(sa > sb)
        case .i32GtU: return bool(a > b)
        case .i32LeS: return bool(sa <= sb)
        case .i32LeU: return bool(a <= b)
        case .i32GeS: return bool(sa >= sb)
        case .i32GeU: return bool(a >= b)
        case .i64Eq: return bool(x == y)
        case .i64Ne: return bool(x != y)
        case .i64LtS: return bool(sx < sy)
        case .i64LtU: return bool(x < y)
        case .i64GtS: return bool(sx > sy)
        case .i64GtU: return bool(x > y)
        case .i64LeS: return bool(sx <= sy)
        case .i64LeU: return bool(x <= y)
        case .i64GeS: return bool(sx >= sy)
        case .i64GeU: return bool(x >= y)
        case .i32Add: return u32(a &+ b)
        case .i32Sub: return u32(a &- b)
        case .i32Mul: return u32(a &* b)
        case .i32DivS: return b == 0 || (sa == .min && sb == -1) ? nil : u32(UInt32(bitPattern: sa / sb))
        case .i32DivU: return b == 0 ? nil : u32(a / b)
        case .i32RemS: return b == 0 ? nil : (sb == -1 ? 0 : u32(UInt32(bitPattern: sa % sb)))
        case .i32RemU: return b == 0 ? nil : u32(a % b)
        case .i32And: return u32(a & b)
        case .i32Or: return u32(a | b)
        case .i32Xor: return u32(a ^ b)
        case .i32Shl: return u32(a << (b & 31))
        case .i32ShrS: return u32(UInt32(bitPattern: sa >> Int32(b & 31)))
        case .i32ShrU: return u32(a >> (b & 31))
        case .i32Rotl: return u32(a.rotated(left: b & 31))
        case .i32Rotr: return u32(a.rotated(left: (32 - (b & 31)) & 31))
        case .i64Add: return x &+ y
        case .i64Sub: return x &- y
        case .i64Mul: return x &* y
        case .i64DivS: return y == 0 || (sx == .min && sy == -1) ? nil : UInt64(bitPattern: sx / sy)
        case .i64DivU: return y == 0 ? nil : x / y
        case .i64RemS: return y == 0 ? nil : (sy == -1 ? 0 : UInt64(bitPattern: sx % sy))
        case .i64RemU: return y == 0 ? nil : x % y
        case .i64And: return x & y
        case .i64Or: return x | y
        case .i64Xor: return x ^ y
        case .i64Shl: return x << (y & 63)
        case .i64ShrS: return UInt64(bitPattern: sx >> Int64(y & 63))
        case .i64ShrU: return x >> (y & 63)
        case .i64Rotl: return x.rotated(left: y & 63)
        case .i64Rotr: return x.rotated(left: (64 - (y & 63)) & 63)
        default: return nil
        }
    }
}

extension FixedWidthInteger {
    /// The bits rotated left by `count` (below the bit width).
    fileprivate func rotated(left count: Self) -> Self {
        count == 0 ? self : (self << count) | (self >> (Self(Self.bitWidth) - count))
    }
}
