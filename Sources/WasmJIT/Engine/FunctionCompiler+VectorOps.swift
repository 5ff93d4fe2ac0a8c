import WasmCore
@_spi(Engine) import WasmRuntime

/// The register forms of the SIMD table's `vector` rows: integer lanes here, float lanes in
/// FunctionCompiler+VectorFloat.swift. Each sequence computes exactly `VectorSemantics` (the
/// interpreter's); `SIMDOperationTests` compares them on random and edge-case lanes. A row
/// whose sequence needs an extension the CPU lacks returns false before touching the value
/// stack, and the slot-based code calls the runtime for it.
extension FunctionCompiler {
    /// `op x, y` with the result in the first operand's register (`x = op(x, y)`), the
    /// extension the instruction needs.
    static func inPlaceBinary(_ op: VectorOp) -> (PackedOp, CPUFeatures)? {
        switch op {
        case .i8x16Add: (.paddb, [])
        case .i16x8Add: (.paddw, [])
        case .i32x4Add: (.paddd, [])
        case .i64x2Add: (.paddq, [])
        case .i8x16Sub: (.psubb, [])
        case .i16x8Sub: (.psubw, [])
        case .i32x4Sub: (.psubd, [])
        case .i64x2Sub: (.psubq, [])
        case .i16x8Mul: (.pmullw, [])
        case .i32x4Mul: (.pmulld, .sse41)
        case .i8x16AddSatS: (.paddsb, [])
        case .i8x16AddSatU: (.paddusb, [])
        case .i8x16SubSatS: (.psubsb, [])
        case .i8x16SubSatU: (.psubusb, [])
        case .i16x8AddSatS: (.paddsw, [])
        case .i16x8AddSatU: (.paddusw, [])
        case .i16x8SubSatS: (.psubsw, [])
        case .i16x8SubSatU: (.psubusw, [])
        case .i8x16AvgrU: (.pavgb, [])
        case .i16x8AvgrU: (.pavgw, [])
        case .i8x16MinS: (.pminsb, .sse41)
        case .i8x16MinU: (.pminub, [])
        case .i8x16MaxS: (.pmaxsb, .sse41)
        case .i8x16MaxU: (.pmaxub, [])
        case .i16x8MinS: (.pminsw, [])
        case .i16x8MinU: (.pminuw, .sse41)
        case .i16x8MaxS: (.pmaxsw, [])
        case .i16x8MaxU: (.pmaxuw, .sse41)
        case .i32x4MinS: (.pminsd, .sse41)
        case .i32x4MinU: (.pminud, .sse41)
        case .i32x4MaxS: (.pmaxsd, .sse41)
        case .i32x4MaxU: (.pmaxud, .sse41)
        case .v128And: (.pand, [])
        case .v128Or: (.por, [])
        case .v128Xor: (.pxor, [])
        case .i8x16Eq: (.pcmpeqb, [])
        case .i16x8Eq: (.pcmpeqw, [])
        case .i32x4Eq: (.pcmpeqd, [])
        case .i64x2Eq: (.pcmpeqq, .sse41)
        case .i8x16GtS: (.pcmpgtb, [])
        case .i16x8GtS: (.pcmpgtw, [])
        case .i32x4GtS: (.pcmpgtd, [])
        case .i64x2GtS: (.pcmpgtq, .sse42)
        case .f32x4Add: (.addps, [])
        case .f32x4Sub: (.subps, [])
        case .f32x4Mul: (.mulps, [])
        case .f32x4Div: (.divps, [])
        case .f64x2Add: (.addpd, [])
        case .f64x2Sub: (.subpd, [])
        case .f64x2Mul: (.mulpd, [])
        case .f64x2Div: (.divpd, [])
        case .i8x16NarrowI16x8S: (.packsswb, [])
        case .i8x16NarrowI16x8U: (.packuswb, [])
        case .i16x8NarrowI32x4S: (.packssdw, [])
        case .i16x8NarrowI32x4U: (.packusdw, .sse41)
        case .i32x4DotI16x8S: (.pmaddwd, [])
        default: nil
        }
    }

    /// Comparisons written with another one: `op(y, x)` (`swapped`) and/or its complement
    /// (`negated`), and the extension it needs.
    static func derivedCompare(_ op: VectorOp) -> (PackedOp, swapped: Bool, negated: Bool, CPUFeatures)? {
        switch op {
        case .i8x16Ne: (.pcmpeqb, false, true, [])
        case .i16x8Ne: (.pcmpeqw, false, true, [])
        case .i32x4Ne: (.pcmpeqd, false, true, [])
        case .i64x2Ne: (.pcmpeqq, false, true, .sse41)
        case .i8x16LtS: (.pcmpgtb, true, false, [])
        case .i16x8LtS: (.pcmpgtw, true, false, [])
        case .i32x4LtS: (.pcmpgtd, true, false, [])
        case .i64x2LtS: (.pcmpgtq, true, false, .sse42)
        case .i8x16LeS: (.pcmpgtb, false, true, [])
        case .i16x8LeS: (.pcmpgtw, false, true, [])
        case .i32x4LeS: (.pcmpgtd, false, true, [])
        case .i64x2LeS: (.pcmpgtq, false, true, .sse42)
        case .i8x16GeS: (.pcmpgtb, true, true, [])
        case .i16x8GeS: (.pcmpgtw, true, true, [])
        case .i32x4GeS: (.pcmpgtd, true, true, [])
        case .i64x2GeS: (.pcmpgtq, true, true, .sse42)
        case .f32x4Pmin: (.minps, true, false, [])
        case .f32x4Pmax: (.maxps, true, false, [])
        case .f64x2Pmin: (.minpd, true, false, [])
        case .f64x2Pmax: (.maxpd, true, false, [])
        case .v128Andnot: (.pandn, true, false, [])
        default: nil
        }
    }

    /// Unsigned comparisons: `x == max(x, y)` (ge) or `x == min(x, y)` (le), or the complement.
    static func unsignedCompare(_ op: VectorOp) -> (minMax: PackedOp, eq: PackedOp, negated: Bool, CPUFeatures)? {
        switch op {
        case .i8x16GeU: (.pmaxub, .pcmpeqb, false, [])
        case .i8x16LeU: (.pminub, .pcmpeqb, false, [])
        case .i8x16LtU: (.pmaxub, .pcmpeqb, true, [])
        case .i8x16GtU: (.pminub, .pcmpeqb, true, [])
        case .i16x8GeU: (.pmaxuw, .pcmpeqw, false, .sse41)
        case .i16x8LeU: (.pminuw, .pcmpeqw, false, .sse41)
        case .i16x8LtU: (.pmaxuw, .pcmpeqw, true, .sse41)
        case .i16x8GtU: (.pminuw, .pcmpeqw, true, .sse41)
        case .i32x4GeU: (.pmaxud, .pcmpeqd, false, .sse41)
        case .i32x4LeU: (.pminud, .pcmpeqd, false, .sse41)
        case .i32x4LtU: (.pmaxud, .pcmpeqd, true, .sse41)
        case .i32x4GtU: (.pminud, .pcmpeqd, true, .sse41)
        default: nil
        }
    }

    /// The extension a row's sequence below needs (`[]`: SSE2), or nil when it has none.
    static func vectorSequenceNeeds(_ op: VectorOp) -> CPUFeatures? {
        if let (_, f) = inPlaceBinary(op) { return f }
        if let d = derivedCompare(op) { return d.3 }
        if let u = unsignedCompare(op) { return u.3 }
        switch op {
        case .i8x16Splat, .i16x8Splat, .i32x4Splat, .i64x2Splat, .f32x4Splat, .f64x2Splat, .v128Not, .v128Bitselect,
            .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect,
            .v128AnyTrue, .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue, .i8x16Bitmask, .i16x8Bitmask,
            .i32x4Bitmask, .i64x2Bitmask, .i8x16Neg, .i16x8Neg, .i32x4Neg, .i64x2Neg, .i64x2Abs, .i64x2Mul,
            .i8x16Shl, .i8x16ShrS, .i8x16ShrU, .i16x8Shl, .i16x8ShrS, .i16x8ShrU, .i32x4Shl, .i32x4ShrS, .i32x4ShrU,
            .i64x2Shl, .i64x2ShrS, .i64x2ShrU, .i16x8ExtendLowI8x16S, .i16x8ExtendHighI8x16S, .i16x8ExtendLowI8x16U,
            .i16x8ExtendHighI8x16U, .i32x4ExtendLowI16x8S, .i32x4ExtendHighI16x8S, .i32x4ExtendLowI16x8U,
            .i32x4ExtendHighI16x8U, .i64x2ExtendLowI32x4S, .i64x2ExtendHighI32x4S, .i64x2ExtendLowI32x4U,
            .i64x2ExtendHighI32x4U, .i16x8ExtmulLowI8x16S, .i16x8ExtmulHighI8x16S, .i16x8ExtmulLowI8x16U,
            .i16x8ExtmulHighI8x16U, .i32x4ExtmulLowI16x8S, .i32x4ExtmulHighI16x8S, .i32x4ExtmulLowI16x8U,
            .i32x4ExtmulHighI16x8U, .i64x2ExtmulLowI32x4U, .i64x2ExtmulHighI32x4U, .i32x4ExtaddPairwiseI16x8S,
            .i32x4ExtaddPairwiseI16x8U:
            return []
        case .i8x16Abs, .i16x8Abs, .i32x4Abs, .i8x16Swizzle, .i8x16RelaxedSwizzle, .i16x8ExtaddPairwiseI8x16S,
            .i16x8ExtaddPairwiseI8x16U, .i16x8Q15mulrSatS, .i16x8RelaxedQ15mulrS, .i8x16Popcnt:
            return .ssse3
        case .i64x2ExtmulLowI32x4S, .i64x2ExtmulHighI32x4S:
            return .sse41
        case .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS:
            return .ssse3
        default:
            return floatSequenceNeeds(op)
        }
    }

    mutating func fastVectorOp(_ op: VectorOp, _ a: inout X64Assembler) -> Bool {
        guard let needs = Self.vectorSequenceNeeds(op), env.features.isSuperset(of: needs) else { return false }
        if let (p, _) = Self.inPlaceBinary(op) {
            let y = popVectorSource(&a), x = popVectorRegister(&a)
            packed(p, x, y, &a)
            release(y)
            pushVector(x)
            return true
        }
        if let (p, swapped, negated, _) = Self.derivedCompare(op) {
            let y = popVector(&a), x = popVector(&a)
            let d = vectorRegister(swapped ? y : x, &a), s = vectorSource(swapped ? x : y, &a)
            packed(p, d, s, &a)
            if negated { vectorNot(d, &a) }
            release(s)
            pushVector(d)
            return true
        }
        if let (minMax, eq, negated, _) = Self.unsignedCompare(op) {
            let y = popVectorRegister(&a), x = popVectorRegister(&a)
            a.packed(minMax, y, x)
            a.packed(eq, x, y)
            if negated { vectorNot(x, &a) }
            freeXMM(y)
            pushVector(x)
            return true
        }
        switch op {
        case .i8x16Splat, .i16x8Splat, .i32x4Splat, .i64x2Splat, .f32x4Splat, .f64x2Splat:
            fastSplat(op, &a)
        case .v128Not:
            let x = popVectorRegister(&a)
            vectorNot(x, &a)
            pushVector(x)
        case .v128Bitselect, .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect,
            .i64x2RelaxedLaneselect:
            let m = popVectorRegister(&a), y = popVectorRegister(&a), x = popVectorRegister(&a)
            a.packed(.pand, x, m)
            a.packed(.pandn, m, y)
            a.packed(.por, x, m)
            freeXMM(y)
            freeXMM(m)
            pushVector(x)
        case .v128AnyTrue:
            let x = popVectorRegister(&a)
            if env.features.contains(.sse41) {
                a.packed(.ptest, x, x)
                freeXMM(x)
                finishCondition(.ne, &a)
            } else {
                let z = vectorConstant(.zero, &a)
                a.packed(.pcmpeqb, x, z)
                freeXMM(z)
                let r = allocGPR(&a)
                a.pmovmskb(r, x)
                freeXMM(x)
                a.cmp(.i32, r, 0xFFFF)
                freeGPR(r)
                finishCondition(.ne, &a)
            }
        case .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue:
            let x = popVectorRegister(&a)
            let z = vectorConstant(.zero, &a)
            switch op {
            case .i8x16AllTrue: a.packed(.pcmpeqb, z, x)
            case .i16x8AllTrue: a.packed(.pcmpeqw, z, x)
            case .i32x4AllTrue: a.packed(.pcmpeqd, z, x)
            default:
                if env.features.contains(.sse41) {
                    a.packed(.pcmpeqq, z, x)
                } else {
                    // A 64-bit lane is zero when both of its 32-bit halves are.
                    a.packed(.pcmpeqd, z, x)
                    a.packed(.pshufd, x, z, 0xB1)
                    a.packed(.pand, z, x)
                }
            }
            let r = allocGPR(&a)
            a.pmovmskb(r, z)
            freeXMM(z)
            freeXMM(x)
            a.test(.i32, r, r)
            freeGPR(r)
            finishCondition(.e, &a)
        case .i8x16Bitmask, .i16x8Bitmask, .i32x4Bitmask, .i64x2Bitmask:
            let x = popVectorRegister(&a)
            let r = allocGPR(&a)
            switch op {
            case .i8x16Bitmask: a.pmovmskb(r, x)
            case .i16x8Bitmask:
                a.packed(.packsswb, x, x)
                a.pmovmskb(r, x)
                a.movzx(.i32, r, .i8, r)
            case .i32x4Bitmask: a.movmskps(r, x)
            default: a.movmskpd(r, x)
            }
            freeXMM(x)
            pushGPR(r)
        case .i8x16Neg, .i16x8Neg, .i32x4Neg, .i64x2Neg:
            let x = popVectorRegister(&a)
            let z = vectorConstant(.zero, &a)
            a.packed(op == .i8x16Neg ? .psubb : op == .i16x8Neg ? .psubw : op == .i32x4Neg ? .psubd : .psubq, z, x)
            freeXMM(x)
            pushVector(z)
        case .i8x16Abs, .i16x8Abs, .i32x4Abs:
            let x = popVectorRegister(&a)
            a.packed(op == .i8x16Abs ? .pabsb : op == .i16x8Abs ? .pabsw : .pabsd, x, x)
            pushVector(x)
        case .i64x2Abs:
            let x = popVectorRegister(&a)
            let t = copyVector(x, &a)
            a.packed(.psrad, t, 31)
            a.packed(.pshufd, t, t, 0xF5)
            a.packed(.pxor, x, t)
            a.packed(.psubq, x, t)
            freeXMM(t)
            pushVector(x)
        case .i64x2Mul:
            // lo(a)·lo(b) + (hi(a)·lo(b) + lo(a)·hi(b)) << 32
            let y = popVectorRegister(&a), x = popVectorRegister(&a)
            let t = copyVector(x, &a), u = copyVector(y, &a)
            a.packed(.psrlq, t, 32)
            a.packed(.pmuludq, t, y)
            a.packed(.psrlq, u, 32)
            a.packed(.pmuludq, u, x)
            a.packed(.paddq, t, u)
            a.packed(.psllq, t, 32)
            a.packed(.pmuludq, x, y)
            a.packed(.paddq, x, t)
            freeXMM(t)
            freeXMM(u)
            freeXMM(y)
            pushVector(x)
        case .i8x16Popcnt:
            let x = popVectorRegister(&a)
            let nibbles = constantSource(VectorSemantics.splat8(0x0F), &a)
            let high = copyVector(x, &a)
            a.packed(.psrlw, high, 4)
            packed(.pand, high, nibbles, &a)
            packed(.pand, x, nibbles, &a)
            let counts = V128(bytes: [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4])
            let lowCounts = vectorConstant(counts, &a), highCounts = vectorConstant(counts, &a)
            a.packed(.pshufb, lowCounts, x)
            a.packed(.pshufb, highCounts, high)
            a.packed(.paddb, lowCounts, highCounts)
            freeXMM(x)
            freeXMM(high)
            freeXMM(highCounts)
            pushVector(lowCounts)
        case .i8x16Swizzle, .i8x16RelaxedSwizzle:
            // Indices ≥ 16 saturate to ≥ 0x80, which pshufb turns into 0 (constant indices:
            // at compile time).
            let indices = popVector(&a)
            if case .constant(let v) = indices {
                let x = popVectorRegister(&a)
                packed(.pshufb, x, constantSource(V128(bytes: v.bytes.map { $0 < 16 ? $0 : 0x80 }), &a), &a)
                pushVector(x)
                return true
            }
            let y = vectorRegister(indices, &a), x = popVectorRegister(&a)
            packed(.paddusb, y, constantSource(VectorSemantics.splat8(0x70), &a), &a)
            a.packed(.pshufb, x, y)
            freeXMM(y)
            pushVector(x)
        case .i16x8Q15mulrSatS, .i16x8RelaxedQ15mulrS:
            // pmulhrsw wraps -32768 · -32768 to -32768: flip those lanes to 32767.
            let y = popVectorSource(&a), x = popVectorRegister(&a)
            packed(.pmulhrsw, x, y, &a)
            release(y)
            let m = vectorConstant(VectorSemantics.splat16(0x8000), &a)
            a.packed(.pcmpeqw, m, x)
            a.packed(.pxor, x, m)
            freeXMM(m)
            pushVector(x)
        case .i8x16Shl, .i8x16ShrS, .i8x16ShrU, .i16x8Shl, .i16x8ShrS, .i16x8ShrU, .i32x4Shl, .i32x4ShrS, .i32x4ShrU,
            .i64x2Shl, .i64x2ShrS, .i64x2ShrU:
            fastVectorShift(op, &a)
        case .i16x8ExtendLowI8x16S, .i32x4ExtendLowI16x8S, .i64x2ExtendLowI32x4S:
            let x = popVectorRegister(&a)
            extendLowSigned(x, bits: op == .i16x8ExtendLowI8x16S ? 8 : op == .i32x4ExtendLowI16x8S ? 16 : 32, &a)
            pushVector(x)
        case .i16x8ExtendHighI8x16S, .i32x4ExtendHighI16x8S, .i64x2ExtendHighI32x4S:
            let x = popVectorRegister(&a)
            extendHighSigned(x, bits: op == .i16x8ExtendHighI8x16S ? 8 : op == .i32x4ExtendHighI16x8S ? 16 : 32, &a)
            pushVector(x)
        case .i16x8ExtendLowI8x16U, .i32x4ExtendLowI16x8U, .i64x2ExtendLowI32x4U:
            let x = popVectorRegister(&a)
            extendLowUnsigned(x, bits: op == .i16x8ExtendLowI8x16U ? 8 : op == .i32x4ExtendLowI16x8U ? 16 : 32, &a)
            pushVector(x)
        case .i16x8ExtendHighI8x16U, .i32x4ExtendHighI16x8U, .i64x2ExtendHighI32x4U:
            let x = popVectorRegister(&a)
            extendHighUnsigned(x, bits: op == .i16x8ExtendHighI8x16U ? 8 : op == .i32x4ExtendHighI16x8U ? 16 : 32, &a)
            pushVector(x)
        case .i16x8ExtmulLowI8x16S, .i16x8ExtmulHighI8x16S, .i16x8ExtmulLowI8x16U, .i16x8ExtmulHighI8x16U:
            let y = popVectorRegister(&a), x = popVectorRegister(&a)
            for r in [x, y] {
                switch op {
                case .i16x8ExtmulLowI8x16S: extendLowSigned(r, bits: 8, &a)
                case .i16x8ExtmulHighI8x16S: extendHighSigned(r, bits: 8, &a)
                case .i16x8ExtmulLowI8x16U: extendLowUnsigned(r, bits: 8, &a)
                default: extendHighUnsigned(r, bits: 8, &a)
                }
            }
            a.packed(.pmullw, x, y)
            freeXMM(y)
            pushVector(x)
        case .i32x4ExtmulLowI16x8S, .i32x4ExtmulHighI16x8S, .i32x4ExtmulLowI16x8U, .i32x4ExtmulHighI16x8U:
            // The low and high halves of the 32-bit products, interleaved.
            let y = popVectorRegister(&a), x = popVectorRegister(&a)
            let high = copyVector(x, &a)
            let signed = op == .i32x4ExtmulLowI16x8S || op == .i32x4ExtmulHighI16x8S
            a.packed(.pmullw, x, y)
            a.packed(signed ? .pmulhw : .pmulhuw, high, y)
            let low = op == .i32x4ExtmulLowI16x8S || op == .i32x4ExtmulLowI16x8U
            a.packed(low ? .punpcklwd : .punpckhwd, x, high)
            freeXMM(high)
            freeXMM(y)
            pushVector(x)
        case .i64x2ExtmulLowI32x4S, .i64x2ExtmulHighI32x4S, .i64x2ExtmulLowI32x4U, .i64x2ExtmulHighI32x4U:
            let y = popVectorRegister(&a), x = popVectorRegister(&a)
            let low = op == .i64x2ExtmulLowI32x4S || op == .i64x2ExtmulLowI32x4U
            a.packed(.pshufd, x, x, low ? 0x50 : 0xFA)
            a.packed(.pshufd, y, y, low ? 0x50 : 0xFA)
            a.packed(op == .i64x2ExtmulLowI32x4S || op == .i64x2ExtmulHighI32x4S ? .pmuldq : .pmuludq, x, y)
            freeXMM(y)
            pushVector(x)
        case .i16x8ExtaddPairwiseI8x16S, .i16x8ExtaddPairwiseI8x16U:
            // pmaddubsw: unsigned bytes of its first operand times signed bytes of its second.
            let x = popVectorRegister(&a)
            if op == .i16x8ExtaddPairwiseI8x16S {
                let ones = vectorConstant(VectorSemantics.splat8(1), &a)
                a.packed(.pmaddubsw, ones, x)
                freeXMM(x)
                pushVector(ones)
            } else {
                packed(.pmaddubsw, x, constantSource(VectorSemantics.splat8(1), &a), &a)
                pushVector(x)
            }
        case .i32x4ExtaddPairwiseI16x8S, .i32x4ExtaddPairwiseI16x8U:
            let x = popVectorRegister(&a)
            if op == .i32x4ExtaddPairwiseI16x8U {
                // Signed pairs of x - 32768, then + 65536 per lane.
                packed(.pxor, x, constantSource(VectorSemantics.splat16(0x8000), &a), &a)
            }
            packed(.pmaddwd, x, constantSource(VectorSemantics.splat16(1), &a), &a)
            if op == .i32x4ExtaddPairwiseI16x8U {
                packed(.paddd, x, constantSource(VectorSemantics.splat32(0x1_0000), &a), &a)
            }
            pushVector(x)
        case .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS:
            fastRelaxedDot(op, &a)
        default:
            return fastVectorFloat(op, &a)
        }
        return true
    }

    /// `x = ~x`.
    mutating func vectorNot(_ x: XMM, _ a: inout X64Assembler) {
        packed(.pxor, x, constantSource(V128(low: .max, high: .max), &a), &a)
    }

    mutating func fastSplat(_ op: VectorOp, _ a: inout X64Assembler) {
        let s = pop()
        if case .imm(let c) = s {
            let bits = UInt64(bitPattern: c)
            let v: V128 = switch op {
            case .i8x16Splat: VectorSemantics.splat8(bits)
            case .i16x8Splat: VectorSemantics.splat16(bits)
            case .i32x4Splat, .f32x4Splat: VectorSemantics.splat32(bits)
            default: VectorSemantics.splat64(bits)
            }
            pushVectorConstant(v, &a)
            return
        }
        switch op {
        case .i8x16Splat, .i16x8Splat:
            let r = intoGPR(s, .i32, &a)
            let x = allocXMM(&a)
            broadcast(r, into: x, byte: op == .i8x16Splat, from: .reg(r, false), &a)
            freeGPR(r)
            pushVector(x)
        case .i32x4Splat, .f32x4Splat:
            let x = intoXMM(s, f64: false, &a)
            a.packed(.pshufd, x, x, 0)
            pushVector(x)
        default:
            let x = intoXMM(s, f64: true, &a)
            a.packed(.punpcklqdq, x, x)
            pushVector(x)
        }
    }

    /// Shifts by a scalar count, taken modulo the lane width.
    mutating func fastVectorShift(_ op: VectorOp, _ a: inout X64Assembler) {
        let width: Int
        switch op {
        case .i8x16Shl, .i8x16ShrS, .i8x16ShrU: width = 8
        case .i16x8Shl, .i16x8ShrS, .i16x8ShrU: width = 16
        case .i32x4Shl, .i32x4ShrS, .i32x4ShrU: width = 32
        default: width = 64
        }
        // i8x16.shr_s shifts 16-bit lanes holding each byte in their high half: by n + 8.
        let extra = op == .i8x16ShrS ? 8 : 0
        let s = pop()
        let x = popVectorRegister(&a)
        var count: XMM? = nil
        var constant = 0
        if case .imm(let c) = s {
            constant = Int(c) & (width - 1)
        } else {
            let r = intoGPR(s, .i32, &a)
            a.and(.i32, r, Int32(width - 1))
            if extra != 0 { a.add(.i32, r, Int32(extra)) }
            let t = allocXMM(&a)
            a.movd(t, r)
            freeGPR(r)
            count = t
        }
        /// `shift x` by the count (register or immediate).
        func shift(_ byRegister: PackedOp, _ byImmediate: PackedShiftImm, _ r: XMM, _ a: inout X64Assembler) {
            if let count { a.packed(byRegister, r, count) } else { a.packed(byImmediate, r, UInt8(constant + extra)) }
        }
        var result = x
        switch op {
        case .i16x8Shl: shift(.psllw, .psllw, x, &a)
        case .i16x8ShrS: shift(.psraw, .psraw, x, &a)
        case .i16x8ShrU: shift(.psrlw, .psrlw, x, &a)
        case .i32x4Shl: shift(.pslld, .pslld, x, &a)
        case .i32x4ShrS: shift(.psrad, .psrad, x, &a)
        case .i32x4ShrU: shift(.psrld, .psrld, x, &a)
        case .i64x2Shl: shift(.psllq, .psllq, x, &a)
        case .i64x2ShrU: shift(.psrlq, .psrlq, x, &a)
        case .i64x2ShrS:
            // ((x >>> n) ^ m) - m with m = 1 << 63 >>> n sign-extends.
            let m = vectorConstant(VectorSemantics.splat64(1 << 63), &a)
            shift(.psrlq, .psrlq, m, &a)
            shift(.psrlq, .psrlq, x, &a)
            a.packed(.pxor, x, m)
            a.packed(.psubq, x, m)
            freeXMM(m)
        case .i8x16ShrS:
            let low = copyVector(x, &a)
            a.packed(.punpcklbw, low, low)
            a.packed(.punpckhbw, x, x)
            shift(.psraw, .psraw, low, &a)
            shift(.psraw, .psraw, x, &a)
            a.packed(.packsswb, low, x)
            freeXMM(x)
            result = low
        default:
            // i8x16.shl / shr_u as 16-bit shifts; bits that crossed from one byte into the
            // other are masked off.
            let left = op == .i8x16Shl
            if count == nil {
                shift(.psllw, left ? .psllw : .psrlw, x, &a)
                let keep = left ? UInt64(0xFF << constant) & 0xFF : UInt64(0xFF >> constant)
                packed(.pand, x, constantSource(VectorSemantics.splat8(keep), &a), &a)
            } else {
                // (shifted x & the byte that stayed in place) | shifted (x & the other byte).
                let m = vectorConstant(VectorSemantics.splat16(left ? 0xFF00 : 0x00FF), &a)
                let t = copyVector(x, &a)
                a.packed(.pand, t, m)
                shift(left ? .psllw : .psrlw, .psllw, t, &a)
                shift(left ? .psllw : .psrlw, .psllw, x, &a)
                a.packed(.pandn, m, x)
                a.packed(.por, m, t)
                freeXMM(t)
                freeXMM(x)
                result = m
            }
        }
        if let count { freeXMM(count) }
        pushVector(result)
    }

    /// The relaxed dot products (deterministic: signed bytes; see `VectorSemantics`).
    mutating func fastRelaxedDot(_ op: VectorOp, _ a: inout X64Assembler) {
        let c: XMM? = op == .i32x4RelaxedDotI8x16I7x16AddS ? popVectorRegister(&a) : nil
        let y = popVectorRegister(&a), x = popVectorRegister(&a)
        let xHigh = copyVector(x, &a), yHigh = copyVector(y, &a)
        extendLowSigned(x, bits: 8, &a)
        extendLowSigned(y, bits: 8, &a)
        extendHighSigned(xHigh, bits: 8, &a)
        extendHighSigned(yHigh, bits: 8, &a)
        if let c {
            // Four products per 32-bit lane, exact: pairs in i32 (pmaddwd), then pairs of pairs.
            a.packed(.pmaddwd, x, y)
            a.packed(.pmaddwd, xHigh, yHigh)
            a.packed(.phaddd, x, xHigh)
            a.packed(.paddd, x, c)
            freeXMM(c)
        } else {
            a.packed(.pmullw, x, y)
            a.packed(.pmullw, xHigh, yHigh)
            a.packed(.phaddw, x, xHigh)
        }
        freeXMM(y)
        freeXMM(xHigh)
        freeXMM(yHigh)
        pushVector(x)
    }
}
