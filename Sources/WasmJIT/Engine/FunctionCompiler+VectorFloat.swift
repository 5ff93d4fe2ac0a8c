import WasmCore
@_spi(Engine) import WasmRuntime

/// The register forms of the float rows of the SIMD table: arithmetic, comparisons, wasm's
/// min/max (NaN-propagating, -0 < +0), rounding, conversions (saturating where wasm says),
/// and relaxed SIMD's fused multiply-add (FMA3).
extension FunctionCompiler {
    /// The extension a float row's sequence needs (`[]`: SSE2), or nil without a sequence.
    static func floatSequenceNeeds(_ op: VectorOp) -> CPUFeatures? {
        switch op {
        case .f32x4Eq, .f32x4Ne, .f32x4Lt, .f32x4Gt, .f32x4Le, .f32x4Ge, .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Gt,
            .f64x2Le, .f64x2Ge, .f32x4Abs, .f32x4Neg, .f64x2Abs, .f64x2Neg, .f32x4Sqrt, .f64x2Sqrt, .f32x4Min,
            .f32x4Max, .f64x2Min, .f64x2Max, .f32x4RelaxedMin, .f32x4RelaxedMax, .f64x2RelaxedMin, .f64x2RelaxedMax,
            .f32x4ConvertI32x4S, .f32x4ConvertI32x4U, .i32x4TruncSatF32x4S, .i32x4RelaxedTruncF32x4S,
            .i32x4TruncSatF64x2SZero, .i32x4RelaxedTruncF64x2SZero, .f64x2ConvertLowI32x4S, .f64x2ConvertLowI32x4U,
            .f32x4DemoteF64x2Zero, .f64x2PromoteLowF32x4:
            return []
        case .f32x4Ceil, .f32x4Floor, .f32x4Trunc, .f32x4Nearest, .f64x2Ceil, .f64x2Floor, .f64x2Trunc, .f64x2Nearest,
            .i32x4TruncSatF32x4U, .i32x4RelaxedTruncF32x4U, .i32x4TruncSatF64x2UZero, .i32x4RelaxedTruncF64x2UZero:
            return .sse41
        case .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd:
            return .fma
        default:
            return nil
        }
    }

    /// `cmpps`/`cmppd` predicates.
    static let equal: UInt8 = 0, less: UInt8 = 1, lessOrEqual: UInt8 = 2, unordered: UInt8 = 3, notEqual: UInt8 = 4

    mutating func fastVectorFloat(_ op: VectorOp, _ a: inout X64Assembler) -> Bool {
        switch op {
        case .f32x4Eq, .f32x4Ne, .f32x4Lt, .f32x4Le, .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Le:
            let predicate: UInt8 = switch op {
            case .f32x4Eq, .f64x2Eq: Self.equal
            case .f32x4Ne, .f64x2Ne: Self.notEqual
            case .f32x4Lt, .f64x2Lt: Self.less
            default: Self.lessOrEqual
            }
            let y = popVectorRegister(&a), x = popVectorRegister(&a)
            a.packed(isF64(op) ? .cmppd : .cmpps, x, y, predicate)
            freeXMM(y)
            pushVector(x)
        case .f32x4Gt, .f32x4Ge, .f64x2Gt, .f64x2Ge:
            // a > b is b < a.
            let y = popVectorRegister(&a), x = popVectorRegister(&a)
            let predicate = op == .f32x4Gt || op == .f64x2Gt ? Self.less : Self.lessOrEqual
            a.packed(isF64(op) ? .cmppd : .cmpps, y, x, predicate)
            freeXMM(x)
            pushVector(y)
        case .f32x4Abs, .f32x4Neg, .f64x2Abs, .f64x2Neg:
            let x = popVectorRegister(&a)
            let m = allocXMM(&a)
            a.packed(.pcmpeqd, m, m)
            switch op {
            case .f32x4Abs: a.packed(.psrld, m, 1)
            case .f64x2Abs: a.packed(.psrlq, m, 1)
            case .f32x4Neg: a.packed(.pslld, m, 31)
            default: a.packed(.psllq, m, 63)
            }
            a.packed(op == .f32x4Abs || op == .f64x2Abs ? .andps : .xorps, x, m)
            freeXMM(m)
            pushVector(x)
        case .f32x4Sqrt, .f64x2Sqrt:
            let x = popVectorRegister(&a)
            a.packed(op == .f32x4Sqrt ? .sqrtps : .sqrtpd, x, x)
            pushVector(x)
        case .f32x4Min, .f64x2Min, .f32x4RelaxedMin, .f64x2RelaxedMin:
            fastFloatMin(isF64(op), &a)
        case .f32x4Max, .f64x2Max, .f32x4RelaxedMax, .f64x2RelaxedMax:
            fastFloatMax(isF64(op), &a)
        case .f32x4Ceil, .f32x4Floor, .f32x4Trunc, .f32x4Nearest, .f64x2Ceil, .f64x2Floor, .f64x2Trunc, .f64x2Nearest:
            let mode: RoundingMode = switch op {
            case .f32x4Ceil, .f64x2Ceil: .up
            case .f32x4Floor, .f64x2Floor: .down
            case .f32x4Trunc, .f64x2Trunc: .towardZero
            default: .nearest
            }
            let x = popVectorRegister(&a)
            a.packed(isF64(op) ? .roundpd : .roundps, x, x, mode.rawValue)
            pushVector(x)
        case .f32x4ConvertI32x4S:
            let x = popVectorRegister(&a)
            a.packed(.cvtdq2ps, x, x)
            pushVector(x)
        case .f32x4ConvertI32x4U:
            // The low 16 bits convert exactly; the high part halved (to stay positive) converts
            // exactly too, is doubled, and the one addition rounds.
            let x = popVectorRegister(&a)
            let low = copyVector(x, &a)
            a.packed(.pslld, low, 16)
            a.packed(.psrld, low, 16)
            a.packed(.psubd, x, low)
            a.packed(.cvtdq2ps, low, low)
            a.packed(.psrld, x, 1)
            a.packed(.cvtdq2ps, x, x)
            a.packed(.addps, x, x)
            a.packed(.addps, x, low)
            freeXMM(low)
            pushVector(x)
        case .i32x4TruncSatF32x4S, .i32x4RelaxedTruncF32x4S:
            // NaN lanes zeroed first; cvttps2dq gives 0x80000000 out of range, which the lanes
            // that were positive turn into 0x7fffffff.
            let x = popVectorRegister(&a)
            let t = copyVector(x, &a)
            a.packed(.cmpps, t, t, Self.equal)
            a.packed(.andps, x, t)
            a.packed(.pxor, t, x)
            a.packed(.cvttps2dq, x, x)
            a.packed(.pand, t, x)
            a.packed(.psrad, t, 31)
            a.packed(.pxor, x, t)
            freeXMM(t)
            pushVector(x)
        case .i32x4TruncSatF32x4U, .i32x4RelaxedTruncF32x4U:
            fastTruncSatF32x4U(&a)
        case .i32x4TruncSatF64x2SZero, .i32x4RelaxedTruncF64x2SZero:
            // min(x, 2147483647.0) with NaN lanes 0 (minpd returns its second operand then).
            let x = popVectorRegister(&a)
            let t = copyVector(x, &a)
            a.packed(.cmppd, t, t, Self.equal)
            packed(.andpd, t, constantSource(VectorSemantics.splat64((2147483647.0 as Double).bitPattern), &a), &a)
            a.packed(.minpd, x, t)
            a.packed(.cvttpd2dq, x, x)
            freeXMM(t)
            pushVector(x)
        case .i32x4TruncSatF64x2UZero, .i32x4RelaxedTruncF64x2UZero:
            // Clamped to [0, 2^32 - 1] (NaN to 0), truncated, + 2^52: the integer is then the
            // low 32 bits of each double.
            let x = popVectorRegister(&a)
            let z = vectorConstant(.zero, &a)
            a.packed(.maxpd, x, z)
            packed(.minpd, x, constantSource(VectorSemantics.splat64((4294967295.0 as Double).bitPattern), &a), &a)
            a.packed(.roundpd, x, x, RoundingMode.towardZero.rawValue)
            packed(.addpd, x, constantSource(VectorSemantics.splat64((4503599627370496.0 as Double).bitPattern), &a), &a)
            a.packed(.shufps, x, z, 0x88)
            freeXMM(z)
            pushVector(x)
        case .f64x2ConvertLowI32x4S:
            let x = popVectorRegister(&a)
            a.packed(.cvtdq2pd, x, x)
            pushVector(x)
        case .f64x2ConvertLowI32x4U:
            // Each u32 under the exponent of 2^52 is the double 2^52 + u; minus 2^52.
            let x = popVectorRegister(&a)
            packed(.unpcklps, x, constantSource(VectorSemantics.splat32(0x4330_0000), &a), &a)
            packed(.subpd, x, constantSource(VectorSemantics.splat64((4503599627370496.0 as Double).bitPattern), &a), &a)
            pushVector(x)
        case .f32x4DemoteF64x2Zero, .f64x2PromoteLowF32x4:
            let x = popVectorRegister(&a)
            a.packed(op == .f32x4DemoteF64x2Zero ? .cvtpd2ps : .cvtps2pd, x, x)
            pushVector(x)
        case .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd:
            let z = popVectorRegister(&a), y = popVectorRegister(&a), x = popVectorRegister(&a)
            let fused: FusedOp = switch op {
            case .f32x4RelaxedMadd: .vfmadd231ps
            case .f32x4RelaxedNmadd: .vfnmadd231ps
            case .f64x2RelaxedMadd: .vfmadd231pd
            default: .vfnmadd231pd
            }
            a.fused(fused, z, x, y)
            freeXMM(x)
            freeXMM(y)
            pushVector(z)
        default:
            // Every row has a sequence or is refused by `vectorSequenceNeeds` first.
            a.fail("no register form for \(op)")
        }
        return true
    }

    func isF64(_ op: VectorOp) -> Bool {
        switch op {
        case .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Gt, .f64x2Le, .f64x2Ge, .f64x2Min, .f64x2Max, .f64x2RelaxedMin,
            .f64x2RelaxedMax, .f64x2Ceil, .f64x2Floor, .f64x2Trunc, .f64x2Nearest:
            true
        default: false
        }
    }

    /// wasm's min: minps both ways (each returns its second operand on NaN or equal zeros),
    /// or'd (-0 wins), NaN lanes made the canonical NaN.
    mutating func fastFloatMin(_ f64: Bool, _ a: inout X64Assembler) {
        let y = popVectorRegister(&a), x = popVectorRegister(&a)
        let t = copyVector(x, &a)
        a.packed(f64 ? .minpd : .minps, t, y)
        a.packed(f64 ? .minpd : .minps, y, x)
        a.packed(f64 ? .orpd : .orps, t, y)
        a.movdqa(x, t)
        a.packed(f64 ? .cmppd : .cmpps, x, y, Self.unordered)
        a.packed(f64 ? .orpd : .orps, t, x)
        if f64 { a.packed(.psrlq, x, 13) } else { a.packed(.psrld, x, 10) }
        a.packed(f64 ? .andnpd : .andnps, x, t)
        freeXMM(t)
        freeXMM(y)
        pushVector(x)
    }

    /// wasm's max: maxps both ways; their xor marks the lanes that differ (±0, NaN); or-ing it
    /// in makes NaN lanes NaN and subtracting it turns -0 into +0; NaN lanes made canonical.
    mutating func fastFloatMax(_ f64: Bool, _ a: inout X64Assembler) {
        let y = popVectorRegister(&a), x = popVectorRegister(&a)
        let t = copyVector(x, &a)
        a.packed(f64 ? .maxpd : .maxps, t, y)
        a.packed(f64 ? .maxpd : .maxps, y, x)
        a.packed(f64 ? .xorpd : .xorps, y, t)
        a.packed(f64 ? .orpd : .orps, t, y)
        a.movdqa(x, t)
        a.packed(f64 ? .subpd : .subps, x, y)
        a.packed(f64 ? .cmppd : .cmpps, t, t, Self.unordered)
        if f64 { a.packed(.psrlq, t, 13) } else { a.packed(.psrld, t, 10) }
        a.packed(f64 ? .andnpd : .andnps, t, x)
        freeXMM(x)
        freeXMM(y)
        pushVector(t)
    }

    /// i32x4.trunc_sat_f32x4_u: NaN and negatives to 0; lanes ≥ 2^31 converted as x - 2^31 and
    /// added back; lanes ≥ 2^32 saturate.
    mutating func fastTruncSatF32x4U(_ a: inout X64Assembler) {
        let x = popVectorRegister(&a)
        let s = vectorConstant(.zero, &a)
        a.packed(.maxps, x, s)
        loadVectorConstant(s, VectorSemantics.splat32(UInt64((2147483648.0 as Float).bitPattern)), &a)
        let t = copyVector(x, &a)
        a.packed(.subps, t, s)
        a.packed(.cmpps, s, t, Self.lessOrEqual)
        a.packed(.cvttps2dq, t, t)
        a.packed(.pxor, t, s)
        a.packed(.pxor, s, s)
        a.packed(.pmaxsd, t, s)
        a.packed(.cvttps2dq, x, x)
        a.packed(.paddd, x, t)
        freeXMM(s)
        freeXMM(t)
        pushVector(x)
    }
}
