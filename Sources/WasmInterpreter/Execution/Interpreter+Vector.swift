import WasmCore
@_spi(Engine) import WasmRuntime

/// SIMD in the interpreter. A v128 takes two consecutive frame slots, its low half first, so
/// the translator moves vectors as pairs of ordinary slots; what a vector instruction computes
/// is `VectorSemantics` (WasmRuntime), shared with the JIT's helpers. The handlers of the
/// instruction table's SIMD rows are generated (`Generated/VectorHandlers.swift`) from the
/// building blocks below; `makeVectorHandler` has the rest (constants, moves, memory).

@inline(__always) func vector(_ fp: UnsafeMutablePointer<UInt64>, _ slot: Int) -> V128 {
    V128(low: fp[slot], high: fp[slot &+ 1])
}

@inline(__always) func setVector(_ fp: UnsafeMutablePointer<UInt64>, _ slot: Int, _ v: V128) {
    fp[slot] = v.low
    fp[slot &+ 1] = v.high
}

extension Interpreter {
    /// `C = op(A)`
    @inline(__always)
    static func vectorUnary(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (V128) -> V128
    ) -> Exit {
        let w = pc.pointee
        setVector(fp, Word.c(w), op(vector(fp, Word.a(w))))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `C = op(A, B)`
    @inline(__always)
    static func vectorBinary(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (V128, V128) -> V128
    ) -> Exit {
        let w = pc.pointee
        setVector(fp, Word.c(w), op(vector(fp, Word.a(w)), vector(fp, Word.b(w))))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `C = op(A, B, fp[w1])` (two words).
    @inline(__always)
    static func vectorTernary(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (V128, V128, V128) -> V128
    ) -> Exit {
        let w = pc.pointee
        let third = vector(fp, Int(truncatingIfNeeded: pc[1]))
        setVector(fp, Word.c(w), op(vector(fp, Word.a(w)), vector(fp, Word.b(w)), third))
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// `C = op(A, fp[B])`: shifts, the count a scalar.
    @inline(__always)
    static func vectorShift(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (V128, UInt64) -> V128
    ) -> Exit {
        let w = pc.pointee
        setVector(fp, Word.c(w), op(vector(fp, Word.a(w)), fp[Word.b(w)]))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `C = op(fp[A])`: splats.
    @inline(__always)
    static func vectorSplat(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (UInt64) -> V128
    ) -> Exit {
        let w = pc.pointee
        setVector(fp, Word.c(w), op(fp[Word.a(w)]))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `fp[C] = op(A)`: any_true, all_true, bitmask.
    @inline(__always)
    static func vectorReduce(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (V128) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        fp[Word.c(w)] = op(vector(fp, Word.a(w)))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `fp[C] = op(A, k)`: extract_lane, lane k.
    @inline(__always)
    static func vectorExtract(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (V128, Int) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        fp[Word.c(w)] = op(vector(fp, Word.a(w)), Int(truncatingIfNeeded: Word.k(w)))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `C = op(A, fp[B], k)`: replace_lane, lane k.
    @inline(__always)
    static func vectorReplace(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (V128, UInt64, Int) -> V128
    ) -> Exit {
        let w = pc.pointee
        setVector(fp, Word.c(w), op(vector(fp, Word.a(w)), fp[Word.b(w)], Int(truncatingIfNeeded: Word.k(w))))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `C = load(ea)` for `size` bytes at `ea = u32(fp[A] + fp[B]) + w1`.
    @inline(__always)
    static func vectorLoad(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, size: UInt64,
        _ load: (UnsafeMutableRawPointer) -> V128
    ) -> Exit {
        let w = pc.pointee
        let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
        if ea &+ size > ms { return trap(.outOfBoundsMemoryAccess, pc, fp, r) }
        setVector(fp, Word.c(w), load(m + Int(truncatingIfNeeded: ea)))
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// `C = op(B, bits, k)` with `size` bytes loaded at `ea = u32(fp[A]) + w1`: a lane load.
    @inline(__always)
    static func laneLoad(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, size: UInt64,
        _ load: (UnsafeMutableRawPointer) -> UInt64, _ insert: (V128, UInt64, Int) -> V128
    ) -> Exit {
        let w = pc.pointee
        let ea = UInt64(u32(fp[Word.a(w)])) &+ pc[1]
        if ea &+ size > ms { return trap(.outOfBoundsMemoryAccess, pc, fp, r) }
        let bits = load(m + Int(truncatingIfNeeded: ea))
        setVector(fp, Word.c(w), insert(vector(fp, Word.b(w)), bits, Int(truncatingIfNeeded: Word.k(w))))
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// Stores `size` bytes of lane k of B at `ea = u32(fp[A]) + w1`.
    @inline(__always)
    static func laneStore(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, size: UInt64,
        _ extract: (V128, Int) -> UInt64, _ store: (UnsafeMutableRawPointer, UInt64) -> Void
    ) -> Exit {
        let w = pc.pointee
        let ea = UInt64(u32(fp[Word.a(w)])) &+ pc[1]
        if ea &+ size > ms { return trap(.outOfBoundsMemoryAccess, pc, fp, r) }
        store(m + Int(truncatingIfNeeded: ea), extract(vector(fp, Word.b(w)), Int(truncatingIfNeeded: Word.k(w))))
        return then(pc + 2, fp, m, ms, t, r)
    }
}

@inline(__always) private func bytes8(_ p: UnsafeMutableRawPointer) -> UInt64 { p.loadUnaligned(as: UInt64.self) }

/// The SIMD handlers that are not rows of the instruction table (or not only): moves,
/// constants, globals, shuffle, loads and stores. Then the generated ones. Nil for other ops.
// swiftlint:disable:next cyclomatic_complexity function_body_length
func makeVectorHandler(_ op: Op) -> Handler? {
    switch op {
    case .const128:
        return { pc, fp, m, ms, t, r in
            setVector(fp, Word.c(pc.pointee), V128(low: pc[1], high: pc[2]))
            return Interpreter.then(pc + 3, fp, m, ms, t, r)
        }
    case .copy128:
        return { pc, fp, m, ms, t, r in Interpreter.vectorUnary(pc, fp, m, ms, t, r) { $0 } }
    case .select128:
        return { pc, fp, m, ms, t, r in
            let w = pc.pointee
            let pick = fp[Int(truncatingIfNeeded: pc[1])] != 0 ? Word.a(w) : Word.b(w)
            setVector(fp, Word.c(w), vector(fp, pick))
            return Interpreter.then(pc + 2, fp, m, ms, t, r)
        }
    case .globalGet128:
        return { pc, fp, m, ms, t, r in
            let w = pc.pointee
            let g = r.pointee.ctx.pointee.globals[Word.index(w)]
            setVector(fp, Word.c(w), V128(low: g[0], high: g[1]))
            return Interpreter.then(pc + 1, fp, m, ms, t, r)
        }
    case .globalSet128:
        return { pc, fp, m, ms, t, r in
            let w = pc.pointee
            let g = r.pointee.ctx.pointee.globals[Word.index(w)]
            let v = vector(fp, Word.c(w))
            g[0] = v.low
            g[1] = v.high
            return Interpreter.then(pc + 1, fp, m, ms, t, r)
        }
    case .shuffle128:
        return { pc, fp, m, ms, t, r in
            let w = pc.pointee
            let lanes = V128(low: pc[1], high: pc[2])
            setVector(fp, Word.c(w), VectorSemantics.i8x16Shuffle(vector(fp, Word.a(w)), vector(fp, Word.b(w)), lanes: lanes))
            return Interpreter.then(pc + 3, fp, m, ms, t, r)
        }
    case .load128:
        return { pc, fp, m, ms, t, r in
            Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 16) { V128(low: bytes8($0), high: bytes8($0 + 8)) }
        }
    case .load8x8S: return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { VectorSemantics.load8x8S(bytes8($0)) } }
    case .load8x8U: return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { VectorSemantics.load8x8U(bytes8($0)) } }
    case .load16x4S: return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { VectorSemantics.load16x4S(bytes8($0)) } }
    case .load16x4U: return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { VectorSemantics.load16x4U(bytes8($0)) } }
    case .load32x2S: return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { VectorSemantics.load32x2S(bytes8($0)) } }
    case .load32x2U: return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { VectorSemantics.load32x2U(bytes8($0)) } }
    case .load8Splat:
        return { pc, fp, m, ms, t, r in
            Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 1) { VectorSemantics.splat8(UInt64($0.load(as: UInt8.self))) }
        }
    case .load16Splat:
        return { pc, fp, m, ms, t, r in
            Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 2) { VectorSemantics.splat16(UInt64($0.loadUnaligned(as: UInt16.self))) }
        }
    case .load32Splat:
        return { pc, fp, m, ms, t, r in
            Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 4) { VectorSemantics.splat32(UInt64($0.loadUnaligned(as: UInt32.self))) }
        }
    case .load64Splat:
        return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { VectorSemantics.splat64(bytes8($0)) } }
    case .load32Zero:
        return { pc, fp, m, ms, t, r in
            Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 4) { V128(low: UInt64($0.loadUnaligned(as: UInt32.self)), high: 0) }
        }
    case .load64Zero:
        return { pc, fp, m, ms, t, r in Interpreter.vectorLoad(pc, fp, m, ms, t, r, size: 8) { V128(low: bytes8($0), high: 0) } }
    case .store128:
        return { pc, fp, m, ms, t, r in
            let w = pc.pointee
            let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
            if ea &+ 16 > ms { return Interpreter.trap(.outOfBoundsMemoryAccess, pc, fp, r) }
            let p = m + Int(truncatingIfNeeded: ea)
            p.storeBytes(of: fp[Word.c(w)], as: UInt64.self)
            (p + 8).storeBytes(of: fp[Word.c(w) &+ 1], as: UInt64.self)
            return Interpreter.then(pc + 2, fp, m, ms, t, r)
        }
    case .load8Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneLoad(pc, fp, m, ms, t, r, size: 1, { UInt64($0.load(as: UInt8.self)) }) {
                VectorSemantics.replaceLane8($0, $1, lane: $2)
            }
        }
    case .load16Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneLoad(pc, fp, m, ms, t, r, size: 2, { UInt64($0.loadUnaligned(as: UInt16.self)) }) {
                VectorSemantics.replaceLane16($0, $1, lane: $2)
            }
        }
    case .load32Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneLoad(pc, fp, m, ms, t, r, size: 4, { UInt64($0.loadUnaligned(as: UInt32.self)) }) {
                VectorSemantics.replaceLane32($0, $1, lane: $2)
            }
        }
    case .load64Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneLoad(pc, fp, m, ms, t, r, size: 8, { bytes8($0) }) { VectorSemantics.replaceLane64($0, $1, lane: $2) }
        }
    case .store8Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneStore(pc, fp, m, ms, t, r, size: 1, { VectorSemantics.extractLane8($0, lane: $1) }) {
                $0.storeBytes(of: UInt8(truncatingIfNeeded: $1), as: UInt8.self)
            }
        }
    case .store16Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneStore(pc, fp, m, ms, t, r, size: 2, { VectorSemantics.extractLane16($0, lane: $1) }) {
                $0.storeBytes(of: UInt16(truncatingIfNeeded: $1), as: UInt16.self)
            }
        }
    case .store32Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneStore(pc, fp, m, ms, t, r, size: 4, { VectorSemantics.extractLane32($0, lane: $1) }) {
                $0.storeBytes(of: UInt32(truncatingIfNeeded: $1), as: UInt32.self)
            }
        }
    case .store64Lane:
        return { pc, fp, m, ms, t, r in
            Interpreter.laneStore(pc, fp, m, ms, t, r, size: 8, { VectorSemantics.extractLane64($0, lane: $1) }) {
                $0.storeBytes(of: $1, as: UInt64.self)
            }
        }
    default:
        return makeTableVectorHandler(op)
    }
}
