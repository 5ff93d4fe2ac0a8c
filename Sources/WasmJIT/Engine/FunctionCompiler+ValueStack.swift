import WasmCore
import WasmRuntime

/// Where an entry of the abstract wasm value stack is (Liftoff/Winch style).
///
/// The canonical state at every control-flow boundary (block/loop/if/else/end,
/// branches, calls, helper calls) is "everything `.mem`", i.e. in its depth slot, so
/// merges stay trivial. Between boundaries values stay in registers or are not
/// materialized at all (constants, deferred `local.get`).
enum StackVal {
    /// In its depth slot.
    case mem
    /// A constant: i32/f32 as their 32-bit pattern sign-extended, i64/f64 as is.
    case const(Int64)
    /// In a GPR. Not `dirty`: an i32 is zero-extended. `dirty`: if the value is an
    /// i32, its upper half may be anything (64-bit consumers must zero-extend).
    case gpr(GPR, dirty: Bool)
    /// In an XMM register (f32: low 32 bits; upper bits are junk).
    case xmm(XMM)
    /// A deferred `local.get`; `local.set/tee` of that local materializes it first.
    case local(Int)
    /// A v128 in an XMM register. A v128 takes two slots (`RawValue.slotCount`): this entry
    /// is its second, whose slot address is where its 16 bytes start (slots grow downwards),
    /// and the entry below it is `.upper`.
    case vec(XMM)
    /// A v128 constant, not materialized (`vectorConstantOrder[index]`): an instruction that
    /// takes it as a source reads it from the constant pool (16-byte aligned) in place.
    case vconst(Int)
    /// The first slot of the v128 whose entry is just above; it has no place of its own.
    /// In memory, a v128 is `.upper, .mem`. Only vector entries follow an `.upper`, which is
    /// how `drop` and `select` tell a v128 from a scalar.
    case upper
}

/// A popped operand. Registers in `.reg`/`.xreg` are owned by the instruction
/// (still marked used) until it releases or reuses them.
enum Opnd {
    case imm(Int64)
    case reg(GPR, Bool)  // register, dirty
    case xreg(XMM)
    case mem(Mem)
    /// A pinned local's register: read-only, not owned (an i32 is zero-extended).
    case pin(GPR)
}

extension FunctionCompiler {
    /// Value-stack GPRs (`pool`): rax, rdx, rsi, rdi, r8, r9, rcx (rcx last: variable
    /// shifts want it). rbx, r12, r11, r10 hold pinned locals and are callee-saved. The XMM
    /// pool (`xmmPool`) is every XMM register but those pinned to locals.

    // MARK: Registers

    mutating func allocGPR(_ a: inout X64Assembler) -> GPR {
        for r in pool where gprUsed & (1 << r.rawValue) == 0 {
            gprUsed |= 1 << r.rawValue
            return r
        }
        // Spill the oldest register entry; its register passes to the caller.
        for i in 0..<vals.count {
            if case .gpr(let r, _) = vals[i] {
                a.mov(.i64, slot(i), r)
                vals[i] = .mem
                return r
            }
        }
        a.fail("out of GPRs: all \(pool.count) value-stack registers are held by operands")
        return pool[0]
    }

    mutating func allocXMM(_ a: inout X64Assembler) -> XMM {
        for x in xmmPool where xmmUsed & (1 << x.rawValue) == 0 {
            xmmUsed |= 1 << x.rawValue
            return x
        }
        for i in 0..<vals.count {
            if case .xmm(let x) = vals[i] {
                a.movsd(slot(i), x)
                vals[i] = .mem
                return x
            }
            if case .vec(let x) = vals[i] {
                a.movdqu(slot(i), x)
                vals[i] = .mem
                return x
            }
        }
        a.fail("out of XMM registers: all 16 are held by operands")
        return .xmm0
    }

    @inline(__always) mutating func freeGPR(_ r: GPR) { gprUsed &= ~(1 << r.rawValue) }
    @inline(__always) mutating func freeXMM(_ x: XMM) { xmmUsed &= ~(1 << x.rawValue) }

    mutating func release(_ o: Opnd) {
        switch o {
        case .reg(let r, _): freeGPR(r)
        case .xreg(let x): freeXMM(x)
        default: break
        }
    }

    /// A pool register for a moment (not marked used): a free one, else the register of
    /// the oldest register-resident stack entry, which is spilled to its slot first (a
    /// `mov`: flags survive). Every register is free again at a boundary, so this only
    /// fails when every pool register is owned by popped operands, which no instruction
    /// does; that is an internal compiler error, thrown after the instruction.
    mutating func scratchGPR(_ a: inout X64Assembler) -> GPR {
        for r in pool where gprUsed & (1 << r.rawValue) == 0 { return r }
        for i in 0..<vals.count {
            if case .gpr(let r, _) = vals[i] {
                a.mov(.i64, slot(i), r)
                vals[i] = .mem
                freeGPR(r)
                return r
            }
        }
        a.fail("no scratch GPR: all \(pool.count) value-stack registers are held by operands")
        return pool[0]
    }

    /// Makes `r` ours: a stack entry holding it moves to another register (or its slot).
    mutating func reserve(_ r: GPR, _ a: inout X64Assembler) {
        if gprUsed & (1 << r.rawValue) == 0 {
            gprUsed |= 1 << r.rawValue
            return
        }
        for i in 0..<vals.count {
            if case .gpr(let q, let dirty) = vals[i], q == r {
                if let n = pool.first(where: { gprUsed & (1 << $0.rawValue) == 0 }) {
                    gprUsed |= 1 << n.rawValue
                    a.mov(.i64, n, r)
                    vals[i] = .gpr(n, dirty: dirty)
                } else {
                    a.mov(.i64, slot(i), r)
                    vals[i] = .mem
                }
                return
            }
        }
        a.fail("reserve of \(r), which a popped operand owns")
    }

    // MARK: Stack

    mutating func pushVal(_ v: StackVal) {
        vals.append(v)
        if vals.count > maxDepth { maxDepth = vals.count }
    }

    mutating func pushGPR(_ r: GPR, dirty: Bool = false) { pushVal(.gpr(r, dirty: dirty)) }

    mutating func pop() -> Opnd {
        let d = vals.count - 1
        switch vals.removeLast() {
        case .mem: return .mem(slot(d))
        case .const(let c): return .imm(c)
        case .gpr(let r, let dirty): return .reg(r, dirty)
        case .xmm(let x), .vec(let x): return .xreg(x)
        case .local(let i):
            if let r = pinOf[i] { return .pin(r) }
            return .mem(local(i))
        case .upper, .vconst:
            // Validated code never pops a vector as a scalar; doing so is a compiler bug.
            return .mem(slot(d))
        }
    }

    /// Puts every entry into its depth slot (the canonical state). Emits only `mov`s
    /// (flags survive).
    mutating func flushAll(_ a: inout X64Assembler) {
        var pending = false
        for i in 0..<vals.count {
            switch vals[i] {
            case .mem: break
            case .gpr(let r, _):
                a.mov(.i64, slot(i), r)
                freeGPR(r)
                vals[i] = .mem
            case .xmm(let x):
                a.movsd(slot(i), x)
                freeXMM(x)
                vals[i] = .mem
            case .vec(let x):
                a.movdqu(slot(i), x)
                freeXMM(x)
                vals[i] = .mem
            case .upper: break
            case .const, .local, .vconst: pending = true
            }
        }
        if !pending { return }
        let t = scratchGPR(&a)
        for i in 0..<vals.count {
            switch vals[i] {
            case .const(let c):
                if let c32 = Int32(exactly: c) {
                    a.mov(.i64, slot(i), c32)
                } else {
                    a.movabs(t, UInt64(bitPattern: c))
                    a.mov(.i64, slot(i), t)
                }
                vals[i] = .mem
            case .local(let j):
                if let r = pinOf[j] {
                    a.mov(.i64, slot(i), r)
                } else {
                    a.mov(.i64, t, local(j))
                    a.mov(.i64, slot(i), t)
                }
                vals[i] = .mem
            case .vconst(let k):
                // The 16 bytes start at this (the second) slot's address.
                let v = vectorConstantOrder[k]
                a.movabs(t, v.low)
                a.mov(.i64, slot(i), t)
                a.movabs(t, v.high)
                a.mov(.i64, Mem(.rbp, slot(i).disp + 8), t)
                vals[i] = .mem
            default: break
            }
        }
    }

    /// After an unconditional transfer: code that follows is reached only through
    /// labels, where everything is in its slot.
    mutating func resetStackState() {
        for i in 0..<vals.count {
            if case .upper = vals[i] { continue }
            vals[i] = .mem
        }
        gprUsed = 0
        xmmUsed = 0
    }

    /// Drops the value stack down to `height` slots, then pushes values of `types` that are
    /// in their slots (a block's results at its end, a call's results).
    mutating func resetStack(to height: Int, pushing types: [ValueType]) {
        sp = height
        for t in types {
            if t == .v128 { vals.append(.upper) }
            vals.append(.mem)
        }
        need(vals.count)
    }

    /// Entries that are deferred reads of local `i` are loaded before it changes.
    mutating func materializeLocal(_ i: Int, _ a: inout X64Assembler) {
        for k in 0..<vals.count {
            if case .local(let j) = vals[k], j == i {
                let r = allocGPR(&a)
                if let p = pinOf[i] {
                    a.mov(.i64, r, p)
                    vals[k] = .gpr(r, dirty: false)
                } else {
                    a.mov(.i64, r, local(i))
                    vals[k] = .gpr(r, dirty: true)
                }
            }
        }
    }

    // MARK: Operands

    mutating func loadImm(_ r: GPR, _ c: Int64, _ s: OperandSize, _ a: inout X64Assembler) {
        if s == .i64 { a.mov(.i64, r, c) } else { a.mov(.i32, r, Int64(UInt32(truncatingIfNeeded: c))) }
    }

    /// An owned GPR holding the operand (an i32 read from memory is zero-extended;
    /// a register operand is returned as is, maybe dirty).
    mutating func intoGPR(_ o: Opnd, _ s: OperandSize, _ a: inout X64Assembler) -> GPR {
        switch o {
        case .reg(let r, _): return r
        case .imm(let c):
            let r = allocGPR(&a)
            loadImm(r, c, s, &a)
            return r
        case .mem(let m):
            let r = allocGPR(&a)
            a.mov(s == .i64 ? .i64 : .i32, r, m)
            return r
        case .xreg(let x):
            let r = allocGPR(&a)
            a.movd(s == .i64 ? .i64 : .i32, r, x)
            freeXMM(x)
            return r
        case .pin(let p):
            let r = allocGPR(&a)
            a.mov(s == .i64 ? .i64 : .i32, r, p)
            return r
        }
    }

    /// An owned GPR holding the zero-extended i32 operand.
    mutating func intoClean32(_ o: Opnd, _ a: inout X64Assembler) -> GPR {
        let r = intoGPR(o, .i32, &a)
        if case .reg(_, true) = o { a.mov(.i32, r, r) }
        return r
    }

    mutating func intoXMM(_ o: Opnd, f64: Bool, _ a: inout X64Assembler) -> XMM {
        switch o {
        case .xreg(let x): return x
        case .mem(let m):
            let x = allocXMM(&a)
            if f64 { a.movsd(x, m) } else { a.movss(x, m) }
            return x
        case .reg(let r, _):
            let x = allocXMM(&a)
            a.movd(f64 ? .i64 : .i32, x, r)
            freeGPR(r)
            return x
        case .pin(let p):
            let x = allocXMM(&a)
            a.movd(f64 ? .i64 : .i32, x, p)
            return x
        case .imm(let c):
            let x = allocXMM(&a)
            if c == 0 {
                a.xorps(x, x)
            } else {
                let t = allocGPR(&a)
                loadImm(t, c, f64 ? .i64 : .i32, &a)
                a.movd(f64 ? .i64 : .i32, x, t)
                freeGPR(t)
            }
            return x
        }
    }

    /// ALU `op r, src` with the source folded as an immediate or memory operand.
    mutating func aluOperand(_ op: ALUOp, _ s: OperandSize, _ r: GPR, _ b: Opnd, _ a: inout X64Assembler) {
        switch b {
        case .imm(let c):
            if s != .i64 {
                a.alu(op, s, r, Int32(truncatingIfNeeded: c))
            } else if let c32 = Int32(exactly: c) {
                a.alu(op, s, r, c32)
            } else {
                let t = allocGPR(&a)
                loadImm(t, c, .i64, &a)
                a.alu(op, s, r, t)
                freeGPR(t)
            }
        case .reg(let t, _):
            a.alu(op, s, r, t)
            freeGPR(t)
        case .mem(let m):
            a.alu(op, s, r, m)
        case .pin(let p):
            a.alu(op, s, r, p)
        case .xreg:
            let t = intoGPR(b, s, &a)
            a.alu(op, s, r, t)
            freeGPR(t)
        }
    }

    // MARK: Fast paths

    /// Instructions handled on the register-resident value stack; false: the caller
    /// flushes and uses the slot-based code.
    mutating func compileFast(_ ins: Instruction, _ a: inout X64Assembler) -> Bool {
        switch ins {
        case .nop: return true
        case .drop:
            if topIsVector { release(popVector(&a)) } else { release(pop()) }
        case .i32Const(let v): pushVal(.const(Int64(v)))
        case .i64Const(let v): pushVal(.const(v))
        case .f32Const(let v): pushVal(.const(Int64(Int32(bitPattern: v))))
        case .f64Const(let v): pushVal(.const(Int64(bitPattern: v)))
        case .localGet(let i) where xmmPinOf[Int(i)] != nil: pinnedXMMGet(Int(i), &a)
        case .localSet(let i) where xmmPinOf[Int(i)] != nil: pinnedXMMSet(Int(i), tee: false, &a)
        case .localTee(let i) where xmmPinOf[Int(i)] != nil: pinnedXMMSet(Int(i), tee: true, &a)
        case .localGet(let i) where localIsVector[Int(i)]:
            let x = allocXMM(&a)
            a.movdqu(x, vectorLocal(Int(i)))
            pushVector(x)
        case .localSet(let i) where localIsVector[Int(i)]:
            let x = vectorRegister(popVector(&a), &a)
            a.movdqu(vectorLocal(Int(i)), x)
            freeXMM(x)
        case .localTee(let i) where localIsVector[Int(i)]:
            let x = vectorRegister(popVector(&a), &a)
            a.movdqu(vectorLocal(Int(i)), x)
            pushVector(x)
        case .localGet(let i): pushVal(.local(Int(i)))
        case .localSet(let i):
            let v = pop()
            materializeLocal(Int(i), &a)
            storeLocal(Int(i), v, &a)
            release(v)
        case .localTee(let i):
            let v = pop()
            materializeLocal(Int(i), &a)
            switch v {
            case .imm(let c):
                storeLocal(Int(i), v, &a)
                pushVal(.const(c))
            case .mem:
                storeLocal(Int(i), v, &a)
                pushVal(.local(Int(i)))
            case .reg(let r, let dirty):
                storeLocal(Int(i), v, &a)
                pushGPR(r, dirty: dirty)
            case .xreg(let x):
                storeLocal(Int(i), v, &a)
                pushVal(.xmm(x))
            case .pin:
                storeLocal(Int(i), v, &a)
                pushVal(.local(Int(i)))
            }
        case .globalGet(let i) where env.globalIsVector(Int(i)):
            let r = allocGPR(&a)
            a.mov(.i64, r, Mem(.r15, VMOffsets.globals))
            a.mov(.i64, r, Mem(r, Int32(8 * i)))
            let x = allocXMM(&a)
            a.movdqu(x, Mem(r, 0))
            freeGPR(r)
            pushVector(x)
        case .globalSet(let i) where env.globalIsVector(Int(i)):
            let x = vectorRegister(popVector(&a), &a)
            let t = allocGPR(&a)
            a.mov(.i64, t, Mem(.r15, VMOffsets.globals))
            a.mov(.i64, t, Mem(t, Int32(8 * i)))
            a.movdqu(Mem(t, 0), x)
            freeGPR(t)
            freeXMM(x)
        case .globalGet(let i):
            let r = allocGPR(&a)
            a.mov(.i64, r, Mem(.r15, VMOffsets.globals))
            a.mov(.i64, r, Mem(r, Int32(8 * i)))
            a.mov(.i64, r, Mem(r, 0))
            pushGPR(r, dirty: true)
        case .globalSet(let i):
            let v = pop()
            let r = intoGPR(v, .i64, &a)
            let t = allocGPR(&a)
            a.mov(.i64, t, Mem(.r15, VMOffsets.globals))
            a.mov(.i64, t, Mem(t, Int32(8 * i)))
            a.mov(.i64, Mem(t, 0), r)
            freeGPR(t)
            freeGPR(r)
        case .select, .typedSelect:
            if vals.count >= 3, case .upper = vals[vals.count - 3] { emitVectorSelect(&a) } else { emitSelect(&a) }
        case .brIf(let d):
            let c = pop()
            testNonzero(c, &a)
            condBranch(.ne, d, &a)
        case .if(let bt):
            let c = pop()
            testNonzero(c, &a)
            condIf(.ne, bt, &a)
        case .brTable(let t):
            fastBrTable(t, &a)
            markDead()
        case .load(let op, let m) where op.resultType == .v128:
            return fastVectorLoad(op, m, &a)
        case .store(let op, let m) where op.valueType == .v128:
            fastVectorStore(m, &a)
        case .load(let op, let m):
            fastLoad(op, m, &a)
        case .store(let op, let m):
            fastStore(op, m, &a)
        case .numeric(let op):
            return fastNumeric(op, &a)
        case .v128Const, .vector, .vectorLane, .laneMemory, .i8x16Shuffle:
            return fastVector(ins, &a)
        default:
            return false
        }
        return true
    }

    mutating func storeLocal(_ i: Int, _ v: Opnd, _ a: inout X64Assembler) {
        if let p = pinOf[i] {
            let s: OperandSize = localIs64[i] ? .i64 : .i32  // i32: zero-extends
            switch v {
            case .imm(let c): loadImm(p, c, s, &a)
            case .reg(let r, _): a.mov(s, p, r)
            case .xreg(let x): a.movd(s, p, x)
            case .mem(let m): a.mov(s, p, m)
            case .pin(let q): if q != p { a.mov(s, p, q) }
            }
            return
        }
        let m = local(i)
        switch v {
        case .imm(let c):
            if let c32 = Int32(exactly: c) {
                a.mov(.i64, m, c32)
            } else {
                let t = scratchGPR(&a)
                a.movabs(t, UInt64(bitPattern: c))
                a.mov(.i64, m, t)
            }
        case .reg(let r, _): a.mov(.i64, m, r)
        case .pin(let r): a.mov(.i64, m, r)
        case .xreg(let x): a.movsd(m, x)
        case .mem(let src):
            if src == m { return }
            let t = scratchGPR(&a)
            a.mov(.i64, t, src)
            a.mov(.i64, m, t)
        }
    }
}
