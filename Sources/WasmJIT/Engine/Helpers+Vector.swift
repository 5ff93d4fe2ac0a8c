import WasmCore
@_spi(Engine) import WasmRuntime

/// Where JIT code keeps values between Swift and wasm: an argument area holds slot `s` (in
/// signature order, a v128 taking two, `RawValue.slotCount`) at `area[k - 1 - s]`, so slots grow
/// downwards and a v128 in slots s, s+1 has its 16 bytes at `area[k - 2 - s]` (low half) and
/// `area[k - 1 - s]` (high half), one unaligned 16-byte load away. The entry trampoline copies
/// `values[s]` to `area[k - 1 - s]`: in slot order, a v128 is (high, low).
enum AreaLayout {
    /// The slots of `values` in slot order (a v128 as high, low).
    static func slots(_ values: [Value]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(values.count)
        for v in values {
            if case .v128(let x) = v {
                out.append(x.high)
                out.append(x.low)
            } else {
                out.append(RawValue.encode(v))
            }
        }
        return out
    }

    /// The values of `types` in slot order from `slots` (as `slots(_:)` writes them).
    static func values(_ slots: UnsafePointer<UInt64>, as types: [ValueType]) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(types.count)
        var s = 0
        for t in types {
            if t == .v128 {
                out.append(.v128(V128(low: slots[s + 1], high: slots[s])))
                s += 2
            } else {
                out.append(RawValue.decode(slots[s], as: t))
                s += 1
            }
        }
        return out
    }

    /// The values of `types` in an argument area of `k` slots.
    static func values(area: UnsafeMutablePointer<UInt64>, k: Int, as types: [ValueType]) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(types.count)
        var s = 0
        for t in types {
            if t == .v128 {
                out.append(.v128(V128(low: area[k - 2 - s], high: area[k - 1 - s])))
                s += 2
            } else {
                out.append(RawValue.decode(area[k - 1 - s], as: t))
                s += 1
            }
        }
        return out
    }

    /// Writes `values` into an argument area of `k` slots.
    static func store(_ values: [Value], area: UnsafeMutablePointer<UInt64>, k: Int) {
        var s = 0
        for v in values {
            if case .v128(let x) = v {
                area[k - 2 - s] = x.low
                area[k - 1 - s] = x.high
                s += 2
            } else {
                area[k - 1 - s] = RawValue.encode(v)
                s += 1
            }
        }
    }

    /// The raw slots of `types` in an argument area, in the order `CallTracer` takes them
    /// (consecutive, a v128's low half first).
    static func tracerSlots(area: UnsafeMutablePointer<UInt64>, k: Int, as types: [ValueType]) -> [UInt64] {
        RawValue.encode(values(area: area, k: k, as: types))
    }
}

extension Helpers {
    typealias HVector = @convention(c) (UnsafeMutableRawPointer, UInt32, UnsafeRawPointer, UnsafeRawPointer,
                                        UnsafeRawPointer, UnsafeMutableRawPointer) -> Void

    /// A SIMD instruction of the table run by `VectorSemantics` (JIT code without a sequence
    /// for it, or on a CPU without the extension the sequence needs). `op`: the `VectorOp`
    /// raw value, or `0x8000_0000 | lane << 16 | VectorLaneOp` raw value; the operands and the
    /// result are in frame slots (see `VectorSemantics.apply`).
    static let vectorOp: UInt = address({ (_, op, a, b, c, result) in
        if op & 0x8000_0000 == 0 {
            guard let vectorOp = VectorOp(rawValue: UInt16(truncatingIfNeeded: op)) else { return }
            VectorSemantics.apply(vectorOp, a, b, c, to: result)
        } else {
            guard let laneOp = VectorLaneOp(rawValue: UInt16(truncatingIfNeeded: op)) else { return }
            VectorSemantics.apply(laneOp, lane: Int((op >> 16) & 0xFF), a, b, c, to: result)
        }
    } as HVector)

    /// `i8x16.shuffle` without SSSE3: `a`, `b` the operands, `c` the 16 lane indices.
    static let vectorShuffle: UInt = address({ (_, _, a, b, c, result) in
        let lanes = VectorSemantics.vector(c)
        VectorSemantics.put(VectorSemantics.i8x16Shuffle(VectorSemantics.vector(a), VectorSemantics.vector(b), lanes: lanes), result)
    } as HVector)
}
