import WasmCore
import WasmRuntime

/// v128, f32 and f64 locals that live in XMM registers for the whole function, as the hottest
/// i32/i64 locals live in rbx/r12/r11/r10. The locals used most inside loops (8^loop depth
/// per use, at least one use in a loop) get xmm15 downwards, at most eight; the value stack
/// keeps the other registers (at least eight: no SIMD sequence needs more than six at once).
///
/// Every XMM register is caller-saved (the value stack of any callee uses them all), so a
/// pinned local's home slot is its copy across calls: each call, call through a funcref and
/// runtime call stores the pinned registers to their homes first and loads them back after.
/// Nothing else changes at control flow: a pinned local is always in its register, so merges
/// need no moves. `local.get` copies the register (the copy is the instruction's to modify).
extension FunctionCompiler {
    static let xmmPinCandidates: [XMM] = [.xmm15, .xmm14, .xmm13, .xmm12, .xmm11, .xmm10, .xmm9, .xmm8]

    mutating func chooseXMMPins(_ types: [ValueType], weight: [Int]) {
        xmmPinOf = Array(repeating: nil, count: types.count)
        let candidates = types.indices.filter {
            (types[$0] == .v128 || types[$0] == .f64 || types[$0] == .f32) && weight[$0] >= 8
        }.sorted { weight[$0] > weight[$1] || (weight[$0] == weight[$1] && $0 < $1) }
        for (k, i) in candidates.prefix(Self.xmmPinCandidates.count).enumerated() {
            let x = Self.xmmPinCandidates[k]
            xmmPinOf[i] = x
            pinnedXMMs.append((i, x))
        }
        let pinned = Set(pinnedXMMs.map(\.register))
        xmmPool = XMM.allCases.filter { !pinned.contains($0) }
    }

    /// The prologue: params loaded into their registers, the other pinned locals zeroed.
    mutating func loadXMMPins(params: [ValueType], _ a: inout X64Assembler) {
        for (i, x) in pinnedXMMs {
            if i < params.count { loadPinned(i, x, &a) } else { a.xorps(x, x) }
        }
    }

    mutating func loadPinned(_ i: Int, _ x: XMM, _ a: inout X64Assembler) {
        if localIsVector[i] {
            a.movdqu(x, vectorLocal(i))
        } else {
            a.movsd(x, local(i))  // f32 or f64: the slot's 64 bits (an f32 reads its low half)
        }
    }

    /// Before a call: the pinned registers to their homes.
    mutating func saveXMMPins(_ a: inout X64Assembler) {
        for (i, x) in pinnedXMMs {
            if localIsVector[i] { a.movdqu(vectorLocal(i), x) } else { a.movsd(local(i), x) }
        }
    }

    /// After a call: the pinned registers from their homes.
    mutating func reloadXMMPins(_ a: inout X64Assembler) {
        for (i, x) in pinnedXMMs { loadPinned(i, x, &a) }
    }

    /// `local.get` of a pinned local: a copy in a value-stack register.
    mutating func pinnedXMMGet(_ i: Int, _ a: inout X64Assembler) {
        guard let pin = xmmPinOf[i] else { return }
        let x = allocXMM(&a)
        a.movaps(x, pin)
        if localIsVector[i] { pushVector(x) } else { pushVal(.xmm(x)) }
    }

    /// `local.set`/`local.tee` of a pinned local.
    mutating func pinnedXMMSet(_ i: Int, tee: Bool, _ a: inout X64Assembler) {
        guard let pin = xmmPinOf[i] else { return }
        if localIsVector[i] {
            let x = popVectorRegister(&a)
            a.movaps(pin, x)
            if tee { pushVector(x) } else { freeXMM(x) }
            return
        }
        let v = pop()
        switch v {
        case .xreg(let x):
            a.movaps(pin, x)
            if tee { pushVal(.xmm(x)) } else { freeXMM(x) }
        case .imm(let c):
            if c == 0 {
                a.xorps(pin, pin)
            } else {
                let t = scratchGPR(&a)
                a.mov(.i64, t, c)
                a.movq(pin, t)
            }
            if tee { pushVal(.const(c)) }
        case .mem(let m):
            a.movsd(pin, m)
            if tee { pinnedXMMGet(i, &a) }
        case .reg(let r, let dirty):
            a.movq(pin, r)
            if tee { pushGPR(r, dirty: dirty) } else { freeGPR(r) }
        case .pin(let r):
            a.movq(pin, r)
            if tee { pinnedXMMGet(i, &a) }
        }
    }
}
