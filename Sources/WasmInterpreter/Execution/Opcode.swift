import WasmCore

/// The internal instruction set of the interpreter. Bits 6..<16 of every
/// instruction's head word hold one of these; bits 0..<16 index the handler table
/// (`Interpreter.handlerTable`, whose entries repeat each handler for the 64 values of
/// bits 0..<6, the constant k of fused pairs). See `Docs/Interpreter.md` for the operand layouts.
///
/// Head word: bits 0..<6 = k (fused pairs) or zero, bits 6..<16 = `Op`. Field names used in the
/// comments: `A` = bits 16..<32, `B` = 32..<48,
/// `C` = 48..<64 of the head word (frame slot indices); `w1`, `w2` = the words
/// after the head; `rel` = a signed code offset (in words) relative to the head.
enum Op: UInt16, CaseIterable {
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
    /// `call_ref`: args at `fp + A`, the reference in `fp[B]`, C = argument slots, w1 = type index.
    case callRef
    /// Tail `call_ref`: the reference in `fp[B]`, w1 = type index; args already in `fp[0..<n]`.
    case returnCallRef
    /// `callRef` and `returnCallRef` always done by the driver (call tracing).
    case callRefSlow, returnCallRefSlow
    /// Trap "null reference" when `fp[A]` is null (`ref.as_non_null`).
    case refAsNonNull
    /// `throw` (driver): w1 = tag index, B = payload slots, listed after w1 as for calls.
    case `throw`
    /// `throw_ref` (driver): the `exnref` in `fp[A]`.
    case throwRef
    /// The code of a function not translated yet (`Interpreter.lazyEntry`): the driver
    /// translates the running function and continues at its first instruction.
    case lazyEntry
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
    /// `load32`/`load64` at `u32(((fp[A] op fp[B]) << k) + fp[base]) + offset` (op = `|` or `+`):
    /// an index computed by `i32.or`/`i32.add`, scaled, added to a base; k = `Word.k`,
    /// w1 = offset | base slot << 32.
    case load32OrShl, load64OrShl, load32AddShl, load64AddShl
    /// Stores: C = value slot, w1 = static offset.
    case store32, store64, store8, store16
    /// `fp[C] = memory.size`
    case memorySize
    /// `fp[C] = memory.grow(fp[A])` of memory w1.
    case memoryGrow
    /// memory.init: A = d, B = s, C = n, w1 = data index | memory index << 32.
    case memoryInit
    /// data.drop of data index bits 16..<48.
    case dataDrop
    /// memory.copy: A = d, B = s, C = n, w1 = destination memory | source memory << 32.
    case memoryCopy
    /// memory.fill: A = d, B = value, C = n, w1 = memory index.
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
    /// A counted loop's step and test: `fp[C] = u32(fp[A] + fp[B])`, then taken when
    /// `fp[C] op fp[z]`; w1 = rel (low 32 bits, signed) | z << 32 (`Op.afterAdd`).
    case addBrI32Eq, addBrI32Ne, addBrI32LtS, addBrI32LtU, addBrI32GtS, addBrI32GtU, addBrI32LeS, addBrI32LeU
    case addBrI32GeS, addBrI32GeU

    // MARK: Numeric: binary `fp[C] = fp[A] op fp[B]`, unary `fp[C] = op fp[A]`.
    // One per `NumericOp`, of the same name (`Op.numeric(_:)`).
    // BEGIN NUMERIC OPS (scripts/gen-instructions.py)
    // test
    case i32Eqz, i64Eqz
    // compare
    case i32Eq, i32Ne, i32LtS, i32LtU, i32GtS, i32GtU, i32LeS, i32LeU, i32GeS, i32GeU, i64Eq, i64Ne, i64LtS, i64LtU,
             i64GtS, i64GtU, i64LeS, i64LeU, i64GeS, i64GeU, f32Eq, f32Ne, f32Lt, f32Gt, f32Le, f32Ge, f64Eq, f64Ne,
             f64Lt, f64Gt, f64Le, f64Ge
    // unary
    case i32Clz, i32Ctz, i32Popcnt, i64Clz, i64Ctz, i64Popcnt, f32Abs, f32Neg, f32Ceil, f32Floor, f32Trunc, f32Nearest,
             f32Sqrt, f64Abs, f64Neg, f64Ceil, f64Floor, f64Trunc, f64Nearest, f64Sqrt, i32Extend8S, i32Extend16S,
             i64Extend8S, i64Extend16S, i64Extend32S
    // binary
    case i32Add, i32Sub, i32Mul, i32DivS, i32DivU, i32RemS, i32RemU, i32And, i32Or, i32Xor, i32Shl, i32ShrS, i32ShrU,
             i32Rotl, i32Rotr, i64Add, i64Sub, i64Mul, i64DivS, i64DivU, i64RemS, i64RemU, i64And, i64Or, i64Xor,
             i64Shl, i64ShrS, i64ShrU, i64Rotl, i64Rotr, f32Add, f32Sub, f32Mul, f32Div, f32Min, f32Max, f32Copysign,
             f64Add, f64Sub, f64Mul, f64Div, f64Min, f64Max, f64Copysign
    // convert
    case i32WrapI64, i32TruncF32S, i32TruncF32U, i32TruncF64S, i32TruncF64U, i64ExtendI32S, i64ExtendI32U,
             i64TruncF32S, i64TruncF32U, i64TruncF64S, i64TruncF64U, f32ConvertI32S, f32ConvertI32U, f32ConvertI64S,
             f32ConvertI64U, f32DemoteF64, f64ConvertI32S, f64ConvertI32U, f64ConvertI64S, f64ConvertI64U,
             f64PromoteF32, i32ReinterpretF32, i64ReinterpretF64, f32ReinterpretI32, f64ReinterpretI64,
             i32TruncSatF32S, i32TruncSatF32U, i32TruncSatF64S, i32TruncSatF64U, i64TruncSatF32S, i64TruncSatF32U,
             i64TruncSatF64S, i64TruncSatF64U
    // END NUMERIC OPS

    // MARK: SIMD. A v128 takes two consecutive slots (low half first): a vector operand or
    // result at slot X is `fp[X]`, `fp[X + 1]`. Table rows (generated): binary `C = A op B`,
    // unary `C = op A`, ternary `C = op(A, B, fp[w1])` (two words), shifts `C = A op fp[B]`,
    // splats `C = splat fp[A]`, reductions (any_true, all_true, bitmask) `fp[C] = op A`;
    // lanes: extract `fp[C] = A[k]`, replace `C = A with [k] = fp[B]` (lane k = `Word.k`).
    // BEGIN VECTOR OPS (scripts/gen-instructions.py)
    // vector
    case i8x16Swizzle, i8x16Splat, i16x8Splat, i32x4Splat, i64x2Splat, f32x4Splat, f64x2Splat, i8x16Eq, i8x16Ne,
             i8x16LtS, i8x16LtU, i8x16GtS, i8x16GtU, i8x16LeS, i8x16LeU, i8x16GeS, i8x16GeU, i16x8Eq, i16x8Ne,
             i16x8LtS, i16x8LtU, i16x8GtS, i16x8GtU, i16x8LeS, i16x8LeU, i16x8GeS, i16x8GeU, i32x4Eq, i32x4Ne,
             i32x4LtS, i32x4LtU, i32x4GtS, i32x4GtU, i32x4LeS, i32x4LeU, i32x4GeS, i32x4GeU, f32x4Eq, f32x4Ne, f32x4Lt,
             f32x4Gt, f32x4Le, f32x4Ge, f64x2Eq, f64x2Ne, f64x2Lt, f64x2Gt, f64x2Le, f64x2Ge, v128Not, v128And,
             v128Andnot, v128Or, v128Xor, v128Bitselect, v128AnyTrue, f32x4DemoteF64x2Zero, f64x2PromoteLowF32x4,
             i8x16Abs, i8x16Neg, i8x16Popcnt, i8x16AllTrue, i8x16Bitmask, i8x16NarrowI16x8S, i8x16NarrowI16x8U,
             f32x4Ceil, f32x4Floor, f32x4Trunc, f32x4Nearest, i8x16Shl, i8x16ShrS, i8x16ShrU, i8x16Add, i8x16AddSatS,
             i8x16AddSatU, i8x16Sub, i8x16SubSatS, i8x16SubSatU, f64x2Ceil, f64x2Floor, i8x16MinS, i8x16MinU,
             i8x16MaxS, i8x16MaxU, f64x2Trunc, i8x16AvgrU, i16x8ExtaddPairwiseI8x16S, i16x8ExtaddPairwiseI8x16U,
             i32x4ExtaddPairwiseI16x8S, i32x4ExtaddPairwiseI16x8U, i16x8Abs, i16x8Neg, i16x8Q15mulrSatS, i16x8AllTrue,
             i16x8Bitmask, i16x8NarrowI32x4S, i16x8NarrowI32x4U, i16x8ExtendLowI8x16S, i16x8ExtendHighI8x16S,
             i16x8ExtendLowI8x16U, i16x8ExtendHighI8x16U, i16x8Shl, i16x8ShrS, i16x8ShrU, i16x8Add, i16x8AddSatS,
             i16x8AddSatU, i16x8Sub, i16x8SubSatS, i16x8SubSatU, f64x2Nearest, i16x8Mul, i16x8MinS, i16x8MinU,
             i16x8MaxS, i16x8MaxU, i16x8AvgrU, i16x8ExtmulLowI8x16S, i16x8ExtmulHighI8x16S, i16x8ExtmulLowI8x16U,
             i16x8ExtmulHighI8x16U, i32x4Abs, i32x4Neg, i32x4AllTrue, i32x4Bitmask, i32x4ExtendLowI16x8S,
             i32x4ExtendHighI16x8S, i32x4ExtendLowI16x8U, i32x4ExtendHighI16x8U, i32x4Shl, i32x4ShrS, i32x4ShrU,
             i32x4Add, i32x4Sub, i32x4Mul, i32x4MinS, i32x4MinU, i32x4MaxS, i32x4MaxU, i32x4DotI16x8S,
             i32x4ExtmulLowI16x8S, i32x4ExtmulHighI16x8S, i32x4ExtmulLowI16x8U, i32x4ExtmulHighI16x8U, i64x2Abs,
             i64x2Neg, i64x2AllTrue, i64x2Bitmask, i64x2ExtendLowI32x4S, i64x2ExtendHighI32x4S, i64x2ExtendLowI32x4U,
             i64x2ExtendHighI32x4U, i64x2Shl, i64x2ShrS, i64x2ShrU, i64x2Add, i64x2Sub, i64x2Mul, i64x2Eq, i64x2Ne,
             i64x2LtS, i64x2GtS, i64x2LeS, i64x2GeS, i64x2ExtmulLowI32x4S, i64x2ExtmulHighI32x4S, i64x2ExtmulLowI32x4U,
             i64x2ExtmulHighI32x4U, f32x4Abs, f32x4Neg, f32x4Sqrt, f32x4Add, f32x4Sub, f32x4Mul, f32x4Div, f32x4Min,
             f32x4Max, f32x4Pmin, f32x4Pmax, f64x2Abs, f64x2Neg, f64x2Sqrt, f64x2Add, f64x2Sub, f64x2Mul, f64x2Div,
             f64x2Min, f64x2Max, f64x2Pmin, f64x2Pmax, i32x4TruncSatF32x4S, i32x4TruncSatF32x4U, f32x4ConvertI32x4S,
             f32x4ConvertI32x4U, i32x4TruncSatF64x2SZero, i32x4TruncSatF64x2UZero, f64x2ConvertLowI32x4S,
             f64x2ConvertLowI32x4U, i8x16RelaxedSwizzle, i32x4RelaxedTruncF32x4S, i32x4RelaxedTruncF32x4U,
             i32x4RelaxedTruncF64x2SZero, i32x4RelaxedTruncF64x2UZero, f32x4RelaxedMadd, f32x4RelaxedNmadd,
             f64x2RelaxedMadd, f64x2RelaxedNmadd, i8x16RelaxedLaneselect, i16x8RelaxedLaneselect,
             i32x4RelaxedLaneselect, i64x2RelaxedLaneselect, f32x4RelaxedMin, f32x4RelaxedMax, f64x2RelaxedMin,
             f64x2RelaxedMax, i16x8RelaxedQ15mulrS, i16x8RelaxedDotI8x16I7x16S, i32x4RelaxedDotI8x16I7x16AddS
    // lane
    case i8x16ExtractLaneS, i8x16ExtractLaneU, i8x16ReplaceLane, i16x8ExtractLaneS, i16x8ExtractLaneU,
             i16x8ReplaceLane, i32x4ExtractLane, i32x4ReplaceLane, i64x2ExtractLane, i64x2ReplaceLane,
             f32x4ExtractLane, f32x4ReplaceLane, f64x2ExtractLane, f64x2ReplaceLane
    // END VECTOR OPS
    /// `C = w1, w2` (low, high).
    case const128
    /// `C = A` (two slots).
    case copy128
    /// `C = fp[w1] != 0 ? A : B` (two slots each).
    case select128
    /// `C = *globals[bits 16..<48]` / `*globals[…] = C` (two slots).
    case globalGet128, globalSet128
    /// `C = i8x16.shuffle(A, B)`; w1, w2 = the 16 lane indices (low, high).
    case shuffle128
    /// Vector loads at `u32(fp[A] + fp[B]) + w1` into C: v128.load, the extending loads
    /// (8 bytes widened), the splats and the zero-extending loads.
    case load128, load8x8S, load8x8U, load16x4S, load16x4U, load32x2S, load32x2U
    case load8Splat, load16Splat, load32Splat, load64Splat, load32Zero, load64Zero
    /// `v128.store` of C at `u32(fp[A] + fp[B]) + w1`.
    case store128
    /// Lane loads `C = B with lane k loaded from u32(fp[A]) + w1`; lane stores of lane k of B.
    case load8Lane, load16Lane, load32Lane, load64Lane, store8Lane, store16Lane, store32Lane, store64Lane

    // MARK: Fused pairs (`Fusion`): generated, in the order `Fusion` computes.
    // BEGIN FUSED OPS (scripts/gen-fused-ops.py)
    // i32: (x op y) sh k
    case i32AddShl, i32AddShrS, i32AddShrU, i32AddRotl
    case i32SubShl, i32SubShrS, i32SubShrU, i32SubRotl
    case i32MulShl, i32MulShrS, i32MulShrU, i32MulRotl
    case i32AndShl, i32AndShrS, i32AndShrU, i32AndRotl
    case i32OrShl, i32OrShrS, i32OrShrU, i32OrRotl
    case i32XorShl, i32XorShrS, i32XorShrU, i32XorRotl
    // i64: (x op y) sh k
    case i64AddShl, i64AddShrS, i64AddShrU, i64AddRotl
    case i64SubShl, i64SubShrS, i64SubShrU, i64SubRotl
    case i64MulShl, i64MulShrS, i64MulShrU, i64MulRotl
    case i64AndShl, i64AndShrS, i64AndShrU, i64AndRotl
    case i64OrShl, i64OrShrS, i64OrShrU, i64OrRotl
    case i64XorShl, i64XorShrS, i64XorShrU, i64XorRotl
    // i32: (x sh k) op y
    case i32ShlAdd, i32ShlSub, i32ShlMul, i32ShlAnd, i32ShlOr, i32ShlXor
    case i32ShrSAdd, i32ShrSSub, i32ShrSMul, i32ShrSAnd, i32ShrSOr, i32ShrSXor
    case i32ShrUAdd, i32ShrUSub, i32ShrUMul, i32ShrUAnd, i32ShrUOr, i32ShrUXor
    case i32RotlAdd, i32RotlSub, i32RotlMul, i32RotlAnd, i32RotlOr, i32RotlXor
    // i64: (x sh k) op y
    case i64ShlAdd, i64ShlSub, i64ShlMul, i64ShlAnd, i64ShlOr, i64ShlXor
    case i64ShrSAdd, i64ShrSSub, i64ShrSMul, i64ShrSAnd, i64ShrSOr, i64ShrSXor
    case i64ShrUAdd, i64ShrUSub, i64ShrUMul, i64ShrUAnd, i64ShrUOr, i64ShrUXor
    case i64RotlAdd, i64RotlSub, i64RotlMul, i64RotlAnd, i64RotlOr, i64RotlXor
    // i32: (x op1 y) op2 z
    case i32AddAdd, i32AddSub, i32AddMul, i32AddAnd, i32AddOr, i32AddXor
    case i32SubAdd, i32SubSub, i32SubMul, i32SubAnd, i32SubOr, i32SubXor
    case i32MulAdd, i32MulSub, i32MulMul, i32MulAnd, i32MulOr, i32MulXor
    case i32AndAdd, i32AndSub, i32AndMul, i32AndAnd, i32AndOr, i32AndXor
    case i32OrAdd, i32OrSub, i32OrMul, i32OrAnd, i32OrOr, i32OrXor
    case i32XorAdd, i32XorSub, i32XorMul, i32XorAnd, i32XorOr, i32XorXor
    // i64: (x op1 y) op2 z
    case i64AddAdd, i64AddSub, i64AddMul, i64AddAnd, i64AddOr, i64AddXor
    case i64SubAdd, i64SubSub, i64SubMul, i64SubAnd, i64SubOr, i64SubXor
    case i64MulAdd, i64MulSub, i64MulMul, i64MulAnd, i64MulOr, i64MulXor
    case i64AndAdd, i64AndSub, i64AndMul, i64AndAnd, i64AndOr, i64AndXor
    case i64OrAdd, i64OrSub, i64OrMul, i64OrAnd, i64OrOr, i64OrXor
    case i64XorAdd, i64XorSub, i64XorMul, i64XorAnd, i64XorOr, i64XorXor
    // END FUSED OPS

    // MARK: Memories other than a 32-bit memory 0, table64 (last: the ops above keep their codes)
    /// `fp[C] = memory.size` of memory w1 (not memory 0).
    case memorySizeOf
    /// The prefix of an access to another memory than a 32-bit memory 0 (multi-memory, memory64):
    /// checks `address + offset + size` against memory `w2 & 0xFFFF_FFFF`'s size (address =
    /// fp[A], u32 unless bit 48 of w2; offset = w1; size = bits 32..<48 of w2), then runs the next
    /// instruction (the access itself, at address 0) with the memory registers pointing at the
    /// accessed byte. `memoryRestore` follows the access.
    case memoryAccess
    /// Points the memory registers at memory 0 again (after a `memoryAccess` and its access).
    case memoryRestore
    /// `fp[C] = min(fp[A], 2^32 - 1)`: a table64 index, for the table instructions, which read
    /// u32 indices (no table holds 2^32 - 1 elements, so the clamped index is out of bounds).
    case clampIndex
    /// Trap `interrupt` once the engine's epoch has reached the store's deadline (at function
    /// entries and loop headers, with epoch interruption only).
    case interruptCheck
    /// Subtract bits 16..<48 from the store's fuel; below zero, trap `all fuel consumed` (at the
    /// start of every straight-line run, with fuel metering only: `FuelMeter`).
    case consumeFuel
}

/// Which pairs of numeric instructions fuse into one `Op`, and how. Three families, for
/// i32 and i64 (k = `Word.k`, a constant shift amount; z = the slot in w1):
/// `(x op y) sh k` and `(x sh k) op y` in one word, `(x op1 y) op2 z` in two; op one of
/// add, sub, mul, and, or, xor; sh one of shl, shr_s, shr_u, rotl (rotr is rotl by width - k).
/// The fused op of each pair and the membership tests are generated (`FusedOps.swift`).
enum Fusion {
    enum Shift { case shl, shrS, shrU, rotl }

    /// Whether a fusable binary op (add, sub, mul, and, or, xor) is i64; nil for any other op.
    static func binaryIsWide(_ op: Op) -> Bool? {
        switch op {
        case .i32Add, .i32Sub, .i32Mul, .i32And, .i32Or, .i32Xor: false
        case .i64Add, .i64Sub, .i64Mul, .i64And, .i64Or, .i64Xor: true
        default: nil
        }
    }

    /// A shift or rotation: its kind, whether it is i64 and whether it is a rotr.
    static func shift(_ op: Op) -> (Shift, wide: Bool, rotr: Bool)? {
        switch op {
        case .i32Shl: (.shl, false, false)
        case .i32ShrS: (.shrS, false, false)
        case .i32ShrU: (.shrU, false, false)
        case .i32Rotl: (.rotl, false, false)
        case .i32Rotr: (.rotl, false, true)
        case .i64Shl: (.shl, true, false)
        case .i64ShrS: (.shrS, true, false)
        case .i64ShrU: (.shrU, true, false)
        case .i64Rotl: (.rotl, true, false)
        case .i64Rotr: (.rotl, true, true)
        default: nil
        }
    }

    /// `(x op y) sh k`
    static func opThenShift(_ op: Op, _ sh: Op) -> Op? {
        guard let (s, wide, _) = shift(sh), binaryIsWide(op) == wide else { return nil }
        return opThenShift(op, s)
    }

    /// `(x sh k) op y`
    static func shiftThenOp(_ sh: Op, _ op: Op) -> Op? {
        guard let (s, wide, _) = shift(sh), binaryIsWide(op) == wide else { return nil }
        return shiftThenOp(s, op)
    }

    /// Whether a binary op may take its operands in either order.
    static func isCommutative(_ op: Op) -> Bool { op != .i32Sub && op != .i64Sub }
}

extension Op {
    /// Conditional branches whose w1 is the branch offset (`brAndNZ` through `brI64GeU`).
    var isConditionalBranch: Bool {
        switch self {
        case .brAndNZ, .brAndZ, .brI32Eq, .brI32Ne, .brI32LtS, .brI32LtU, .brI32GtS, .brI32GtU, .brI32LeS, .brI32LeU,
            .brI32GeS, .brI32GeU, .brI64Eq, .brI64Ne, .brI64LtS, .brI64LtU, .brI64GtS, .brI64GtU, .brI64LeS, .brI64LeU,
            .brI64GeS, .brI64GeU:
            true
        default: false
        }
    }

    /// The counted-loop op (`addBrI32…`) that adds, then branches like this i32 compare-and-branch.
    var afterAdd: Op? {
        switch self {
        case .brI32Eq: .addBrI32Eq
        case .brI32Ne: .addBrI32Ne
        case .brI32LtS: .addBrI32LtS
        case .brI32LtU: .addBrI32LtU
        case .brI32GtS: .addBrI32GtS
        case .brI32GtU: .addBrI32GtU
        case .brI32LeS: .addBrI32LeS
        case .brI32LeU: .addBrI32LeU
        case .brI32GeS: .addBrI32GeS
        case .brI32GeU: .addBrI32GeU
        default: nil
        }
    }

    /// A counted-loop op (`addBrI32…`): w1 = rel (low 32 bits, signed) | z << 32.
    var isAddBranch: Bool {
        switch self {
        case .addBrI32Eq, .addBrI32Ne, .addBrI32LtS, .addBrI32LtU, .addBrI32GtS, .addBrI32GtU, .addBrI32LeS,
            .addBrI32LeU, .addBrI32GeS, .addBrI32GeU:
            true
        default: false
        }
    }

    /// A numeric op or a fused pair of them: reads slots A and B (and z), writes C.
    var isNumericOrFused: Bool { numericOp != nil || Fusion.isFused(self) }
}

/// Head-word field accessors and builders.
enum Word {
    @inline(__always) static func a(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF) }
    @inline(__always) static func b(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w &>> 32) & 0xFFFF) }
    @inline(__always) static func c(_ w: UInt64) -> Int { Int(truncatingIfNeeded: w &>> 48) }
    /// Signed 32-bit field at bits 32..<64 (branch offsets).
    @inline(__always) static func rel(_ w: UInt64) -> Int { Int(truncatingIfNeeded: Int64(bitPattern: w) &>> 32) }
    /// The constant shift amount of a fused pair (bits 0..<6).
    @inline(__always) static func k(_ w: UInt64) -> UInt64 { w & 0x3F }
    /// Unsigned 32-bit field at bits 16..<48 (global, function, segment indices).
    @inline(__always) static func index(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF_FFFF) }

    /// Opcodes fit in 10 bits.
    static let opcodeLimit = 1024
    /// The opcode field (bits 6..<16).
    static func head(_ op: Op) -> UInt64 { UInt64(op.rawValue) << 6 }
    /// The handler table index of a head word: its opcode and k (bits 0..<16).
    @inline(__always) static func dispatchIndex(_ w: UInt64) -> Int { Int(truncatingIfNeeded: w & 0xFFFF) }
    /// The opcode of a head word (every head word the translator writes holds a valid one).
    @inline(__always) static func op(_ w: UInt64) -> Op {
        unsafeBitCast(UInt16(truncatingIfNeeded: w &>> 6) & 0x3FF, to: Op.self)
    }
    /// The opcode of a word that may not be a head word (listings).
    static func decodedOp(_ w: UInt64) -> Op? { Op(rawValue: UInt16(truncatingIfNeeded: w &>> 6) & 0x3FF) }
    static func make(_ op: Op, a: Int = 0, b: Int = 0, c: Int = 0) -> UInt64 {
        head(op) | UInt64(a) << 16 | UInt64(b) << 32 | UInt64(c) << 48
    }
    static func make(_ op: Op, index: Int, c: Int = 0) -> UInt64 {
        head(op) | UInt64(index) << 16 | UInt64(c) << 48
    }
    static func make(_ op: Op, a: Int = 0, rel: Int) -> UInt64 {
        head(op) | UInt64(a) << 16 | UInt64(UInt32(truncatingIfNeeded: rel)) << 32
    }
    /// Replaces the opcode of a head word, keeping its fields (not k).
    static func withOp(_ word: UInt64, _ op: Op) -> UInt64 { (word & ~0xFFFF) | head(op) }
}
