import WasmCore

/// The internal instruction set of the interpreter. Bits 8..<16 of every
/// instruction's head word hold one of these; it indexes the handler table
/// (`Interpreter.handlerTable`). See `Docs/Interpreter.md` for the operand layouts.
///
/// Head word: bits 8..<16 = `Op` (bits 0..<8 are zero). Field names used in the
/// comments: `A` = bits 16..<32, `B` = 32..<48,
/// `C` = 48..<64 of the head word (frame slot indices); `w1`, `w2` = the words
/// after the head; `rel` = a signed code offset (in words) relative to the head.
enum Op: UInt8, CaseIterable {
    // MARK: Control and data movement
    /// Trap "unreachable".
    case unreachable = 0
    /// `fp[C] = fp[A]`
    case copy
    /// `fp[C] = w1`
    case const64
    /// `pc += rel(bits 32..<64)`
    case br
    /// `pc += rel(w[1 + min(u32 fp[A], count)])`, count = bits 32..<64; count + 1 entries follow.
    case brTable
    /// Return to the caller; results are already in `fp[0..<n]`.
    case ret
    /// `fp[0] = fp[A]`, then return.
    case ret1
    /// Call the defined function whose `FunctionInfo` address is w1; its frame starts at `fp + A`.
    case call
    /// Call imported function index w1 (host or another instance); frame/args at `fp + A`.
    case callImport
    /// `call_indirect`: args at `fp + A`, element index in `fp[B]`, w1 = type index | table index << 32.
    case callIndirect
    /// Tail call of a defined function (w1 = `FunctionInfo` address); args already in `fp[0..<n]`.
    case returnCall
    /// Tail call of imported function index w1; args already in `fp[0..<n]`.
    case returnCallImport
    /// Tail `call_indirect`: element index in `fp[B]`, w1 as for `callIndirect`; args already in `fp[0..<n]`.
    case returnCallIndirect
    /// `callIndirect` and `returnCallIndirect` always done by the driver (call tracing).
    case callIndirectSlow, returnCallIndirectSlow
    /// `fp[C] = fp[w1] != 0 ? fp[A] : fp[B]`
    case select
    /// `fp[C] = *globals[bits 16..<48]`
    case globalGet
    /// `*globals[bits 16..<48] = fp[C]`
    case globalSet
    /// `fp[C] = funcref of function index bits 16..<48`
    case refFunc

    // MARK: Memory. The address is u32(fp[A] + fp[B]): a fused `i32.add`, or B = a slot holding 0.
    /// Loads: C = destination, w1 = static offset. Raw-value forms (`load32` serves i32.load,
    /// f32.load and i64.load32_u; `load8U` serves i32.load8_u and i64.load8_u; …).
    case load32, load64, load8S32, load8U, load16S32, load16U, load8S64, load16S64, load32S64
    /// `load32`/`load64` at `u32((fp[A] << k) + fp[B]) + offset`: a fused `i32.shl` by a
    /// constant k (scaled index); w1 = offset | k << 32.
    case load32Shl, load64Shl
    /// Stores: C = value slot, w1 = static offset.
    case store32, store64, store8, store16
    /// `fp[C] = memory.size`
    case memorySize
    /// `fp[C] = memory.grow(fp[A])`
    case memoryGrow
    /// memory.init: A = d, B = s, C = n, w1 = data index.
    case memoryInit
    /// data.drop of data index bits 16..<48.
    case dataDrop
    /// memory.copy: A = d, B = s, C = n.
    case memoryCopy
    /// memory.fill: A = d, B = value, C = n.
    case memoryFill

    // MARK: Tables (w1 = table index, or two indices packed low | high << 32)
    /// `fp[C] = table[fp[A]]`
    case tableGet
    /// `table[fp[A]] = fp[B]`
    case tableSet
    /// `fp[C] = table.size`
    case tableSize
    /// `fp[C] = table.grow(fp[B], init: fp[A])`
    case tableGrow
    /// table.fill: A = i, B = value, C = n.
    case tableFill
    /// table.copy: A = d, B = s, C = n, w1 = dst | src << 32.
    case tableCopy
    /// table.init: A = d, B = s, C = n, w1 = table | elem << 32.
    case tableInit
    /// elem.drop of element index bits 16..<48.
    case elemDrop

    // MARK: Conditional branches: `if cond { pc += rel(w1) } else { pc += 2 }`
    /// Taken when `fp[A] & fp[B]` is non-zero / zero: `i32.and`/`i64.and` + `br_if`, and
    /// a plain `br_if x` as `x & x` (i32 slots are zero-extended, so this serves i64 too).
    case brAndNZ, brAndZ
    /// Fused comparisons: taken when `fp[A] op fp[B]`.
    case brI32Eq, brI32Ne, brI32LtS, brI32LtU, brI32GtS, brI32GtU, brI32LeS, brI32LeU, brI32GeS, brI32GeU
    case brI64Eq, brI64Ne, brI64LtS, brI64LtU, brI64GtS, brI64GtU, brI64LeS, brI64LeU, brI64GeS, brI64GeU

    // MARK: Numeric: binary `fp[C] = fp[A] op fp[B]`, unary `fp[C] = op fp[A]`.
    // Same order as `NumericOp` (see `Op.numeric`).
    case i32Eqz, i32Eq, i32Ne, i32LtS, i32LtU, i32GtS, i32GtU, i32LeS, i32LeU, i32GeS, i32GeU
    case i64Eqz, i64Eq, i64Ne, i64LtS, i64LtU, i64GtS, i64GtU, i64LeS, i64LeU, i64GeS, i64GeU
    case f32Eq, f32Ne, f32Lt, f32Gt, f32Le, f32Ge
    case f64Eq, f64Ne, f64Lt, f64Gt, f64Le, f64Ge
    case i32Clz, i32Ctz, i32Popcnt, i32Add, i32Sub, i32Mul, i32DivS, i32DivU, i32RemS, i32RemU
    case i32And, i32Or, i32Xor, i32Shl, i32ShrS, i32ShrU, i32Rotl, i32Rotr
    case i64Clz, i64Ctz, i64Popcnt, i64Add, i64Sub, i64Mul, i64DivS, i64DivU, i64RemS, i64RemU
    case i64And, i64Or, i64Xor, i64Shl, i64ShrS, i64ShrU, i64Rotl, i64Rotr
    case f32Abs, f32Neg, f32Ceil, f32Floor, f32Trunc, f32Nearest, f32Sqrt
    case f32Add, f32Sub, f32Mul, f32Div, f32Min, f32Max, f32Copysign
    case f64Abs, f64Neg, f64Ceil, f64Floor, f64Trunc, f64Nearest, f64Sqrt
    case f64Add, f64Sub, f64Mul, f64Div, f64Min, f64Max, f64Copysign
    case i32WrapI64, i32TruncF32S, i32TruncF32U, i32TruncF64S, i32TruncF64U
    case i64ExtendI32S, i64ExtendI32U, i64TruncF32S, i64TruncF32U, i64TruncF64S, i64TruncF64U
    case f32ConvertI32S, f32ConvertI32U, f32ConvertI64S, f32ConvertI64U, f32DemoteF64
    case f64ConvertI32S, f64ConvertI32U, f64ConvertI64S, f64ConvertI64U, f64PromoteF32
    case i32ReinterpretF32, i64ReinterpretF64, f32ReinterpretI32, f64ReinterpretI64
    case i32Extend8S, i32Extend16S, i64Extend8S, i64Extend16S, i64Extend32S
    case i32TruncSatF32S, i32TruncSatF32U, i32TruncSatF64S, i32TruncSatF64U
    case i64TruncSatF32S, i64TruncSatF32U, i64TruncSatF64S, i64TruncSatF64U

    // MARK: Fused pairs: a binary operation and a shift or rotation by a constant k,
    // held in bits 0..<8 of the head word (`Word.k`). The translator fuses a pair when
    // the first result is a temporary that only the second reads (see `Fusion`).
    /// `fp[C] = (fp[A] op fp[B]) sh k`; the order of the cases is `Fusion.opThenShift`'s.
    case i32AddShl, i32AddShrU, i32AddRotl, i32XorShl, i32XorShrU, i32XorRotl
    case i32AndShl, i32AndShrU, i32AndRotl, i32MulShl, i32MulShrU, i32MulRotl
    case i64AddShl, i64AddShrU, i64AddRotl, i64XorShl, i64XorShrU, i64XorRotl
    case i64AndShl, i64AndShrU, i64AndRotl, i64MulShl, i64MulShrU, i64MulRotl
    /// `fp[C] = (fp[A] sh k) op fp[B]`; the order of the cases is `Fusion.shiftThenOp`'s.
    case i32ShlAdd, i32ShlXor, i32ShlAnd, i32ShlOr, i32ShrUAdd, i32ShrUXor
    case i32ShrUAnd, i32ShrUOr, i32RotlAdd, i32RotlXor, i32RotlAnd, i32RotlOr
    case i64ShlAdd, i64ShlXor, i64ShlAnd, i64ShlOr, i64ShrUAdd, i64ShrUXor
    case i64ShrUAnd, i64ShrUOr, i64RotlAdd, i64RotlXor, i64RotlAnd, i64RotlOr
}

/// Which pairs of numeric instructions fuse into one `Op`, and how.
enum Fusion {
    /// The shifts and rotations that fuse, in case order (rotr becomes rotl by width - k).
    enum Shift: Int { case shl, shrU, rotl }

    /// The fused op for `(x op y) sh k`: op one of add, xor, and, mul (of `wide` = i64).
    static func opThenShift(_ op: Op, _ sh: Shift) -> Op? {
        let wide: Bool, index: Int
        switch op {
        case .i32Add: (wide, index) = (false, 0)
        case .i32Xor: (wide, index) = (false, 1)
        case .i32And: (wide, index) = (false, 2)
        case .i32Mul: (wide, index) = (false, 3)
        case .i64Add: (wide, index) = (true, 0)
        case .i64Xor: (wide, index) = (true, 1)
        case .i64And: (wide, index) = (true, 2)
        case .i64Mul: (wide, index) = (true, 3)
        default: return nil
        }
        return Op(rawValue: Op.i32AddShl.rawValue + UInt8((wide ? 12 : 0) + index * 3 + sh.rawValue))
    }

    /// The fused op for `(x sh k) op y`: op one of add, xor, and, or (of `wide` = i64).
    static func shiftThenOp(_ sh: Shift, _ op: Op) -> Op? {
        let wide: Bool, index: Int
        switch op {
        case .i32Add: (wide, index) = (false, 0)
        case .i32Xor: (wide, index) = (false, 1)
        case .i32And: (wide, index) = (false, 2)
        case .i32Or: (wide, index) = (false, 3)
        case .i64Add: (wide, index) = (true, 0)
        case .i64Xor: (wide, index) = (true, 1)
        case .i64And: (wide, index) = (true, 2)
        case .i64Or: (wide, index) = (true, 3)
        default: return nil
        }
        return Op(rawValue: Op.i32ShlAdd.rawValue + UInt8((wide ? 12 : 0) + sh.rawValue * 4 + index))
    }

    /// A shift or rotation: its kind, whether it is 64-bit and whether it is a rotr.
    static func shift(_ op: Op) -> (Shift, wide: Bool, rotr: Bool)? {
        switch op {
        case .i32Shl: (.shl, false, false)
        case .i32ShrU: (.shrU, false, false)
        case .i32Rotl: (.rotl, false, false)
        case .i32Rotr: (.rotl, false, true)
        case .i64Shl: (.shl, true, false)
        case .i64ShrU: (.shrU, true, false)
        case .i64Rotl: (.rotl, true, false)
        case .i64Rotr: (.rotl, true, true)
        default: nil
        }
    }
}

extension Op {
    /// The handler for a `NumericOp`: the numeric cases are declared in the same order.
    static let numericTable: [NumericOp: Op] = {
        var table: [NumericOp: Op] = [:]
        let base = Op.i32Eqz.rawValue
        for (i, op) in NumericOp.allCases.enumerated() { table[op] = Op(rawValue: base + UInt8(i))! }
        precondition(table[.i64TruncSatF64U] == .i64TruncSatF64U, "Op numeric cases out of order")
        return table
    }()

    static func numeric(_ op: NumericOp) -> Op { numericTable[op]! }
}

/// Head-word field accessors and builders.
enum Word {
    @inline(__always) static func a(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF) }
    @inline(__always) static func b(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w &>> 32) & 0xFFFF) }
    @inline(__always) static func c(_ w: UInt64) -> Int { Int(truncatingIfNeeded: w &>> 48) }
    /// Signed 32-bit field at bits 32..<64 (branch offsets).
    @inline(__always) static func rel(_ w: UInt64) -> Int { Int(truncatingIfNeeded: Int64(bitPattern: w) &>> 32) }
    /// The constant shift amount of a fused pair (bits 0..<8).
    @inline(__always) static func k(_ w: UInt64) -> UInt64 { w & 0xFF }
    /// Unsigned 32-bit field at bits 16..<48 (global, function, segment indices).
    @inline(__always) static func index(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF_FFFF) }

    /// The opcode byte (bits 8..<16; it indexes `Interpreter.handlerTable`).
    static func head(_ op: Op) -> UInt64 { UInt64(op.rawValue) << 8 }
    /// The opcode of a head word (every head word the translator writes holds a valid one).
    @inline(__always) static func op(_ w: UInt64) -> Op {
        unsafeBitCast(UInt8(truncatingIfNeeded: w &>> 8), to: Op.self)
    }
    /// The opcode of a word that may not be a head word (listings).
    static func decodedOp(_ w: UInt64) -> Op? { Op(rawValue: UInt8(truncatingIfNeeded: w &>> 8)) }
    static func make(_ op: Op, a: Int = 0, b: Int = 0, c: Int = 0) -> UInt64 {
        head(op) | UInt64(a) << 16 | UInt64(b) << 32 | UInt64(c) << 48
    }
    static func make(_ op: Op, index: Int, c: Int = 0) -> UInt64 {
        head(op) | UInt64(index) << 16 | UInt64(c) << 48
    }
    static func make(_ op: Op, a: Int = 0, rel: Int) -> UInt64 {
        head(op) | UInt64(a) << 16 | UInt64(UInt32(truncatingIfNeeded: rel)) << 32
    }
    /// Replaces the opcode of a head word, keeping its fields.
    static func withOp(_ word: UInt64, _ op: Op) -> UInt64 { (word & ~0xFFFF) | head(op) }
}
