import WasmCore
import WasmRuntime

/// Conditions on the value stack: tests and comparisons fused with a following `br_if`/`if`
/// (`cmp; jcc`), or materialized as 0/1; `select` as `cmov`.
extension FunctionCompiler {
    /// Sets flags so that `.ne` means "the i32 operand is nonzero"; releases it.
    mutating func testNonzero(_ c: Opnd, _ a: inout X64Assembler) {
        switch c {
        case .reg(let r, _), .pin(let r): a.test(.i32, r, r)
        case .mem(let m): a.cmp(.i32, m, Int32(0))
        default:
            let r = intoGPR(c, .i32, &a)
            a.test(.i32, r, r)
            freeGPR(r)
            return
        }
        release(c)
    }

    /// Flags are set; branch to `depth` when `cc`. The flush and the branch moves are
    /// `mov`s only.
    mutating func condBranch(_ cc: Condition, _ depth: UInt32, _ a: inout X64Assembler) {
        flushAll(&a)
        let c = controls[controls.count - 1 - Int(depth)]
        if sp - c.branchArity == c.height || c.branchArity == 0 {
            a.j(cc, c.label)
        } else {
            let skip = a.newLabel()
            a.j(cc.negated, skip)
            branch(depth, &a)
            a.bind(skip)
        }
    }

    /// Flags are set; enter the `if` when `cc`.
    mutating func condIf(_ cc: Condition, _ bt: BlockType, _ a: inout X64Assembler) {
        let (p, r) = blockArity(bt)
        flushAll(&a)
        var h = -1
        if p > 0 {
            h = nextHidden
            nextHidden += p
            let t = scratchGPR(&a)
            for i in 0..<p {
                a.mov(.i64, t, slot(sp - p + i))
                a.mov(.i64, hidden(h + i), t)
            }
        }
        let elseLabel = a.newLabel("else")
        a.j(cc.negated, elseLabel)
        controls.append(Control(kind: .if, label: a.newLabel(), elseLabel: elseLabel, height: sp - p, params: p,
                                results: r, hidden: h, blockType: bt))
    }

    /// A condition is in the flags: fuse with a following `br_if`/`if`, else
    /// materialize it as an i32 0/1.
    mutating func finishCondition(_ cc: Condition, _ a: inout X64Assembler) {
        let next = currentInstruction + 1
        if next < code.instructions.count {
            switch code.instructions[next] {
            case .brIf(let d):
                fuseNext(&a)
                condBranch(cc, d, &a)
                return
            case .if(let bt):
                fuseNext(&a)
                condIf(cc, bt, &a)
                return
            default: break
            }
        }
        let r = allocGPR(&a)  // may spill: a mov, flags survive
        a.setcc(cc, r)
        a.movzx(.i32, r, .i8, r)
        pushGPR(r)
    }

    mutating func fuseNext(_ a: inout X64Assembler) {
        fusedNext = true
        let next = currentInstruction + 1
        if env.listing {
            a.comment("@\(String(code.offsets[next], radix: 16)) \(Self.describe(code.instructions[next])) (fused)")
        }
    }

    mutating func emitSelect(_ a: inout X64Assembler) {
        let c = pop(), b = pop(), v = pop()
        if case .imm(let k) = c {
            if Int32(truncatingIfNeeded: k) != 0 { release(b); pushOpnd(v, &a) } else { release(v); pushOpnd(b, &a) }
            return
        }
        let r = intoGPR(v, .i64, &a)
        var rb: GPR? = nil
        switch b {
        case .mem: break
        default: rb = intoGPR(b, .i64, &a)
        }
        testNonzero(c, &a)
        if let rb {
            a.cmov(.e, .i64, r, rb)
            freeGPR(rb)
        } else if case .mem(let m) = b {
            a.cmov(.e, .i64, r, m)
        }
        pushGPR(r, dirty: true)
    }

    mutating func pushOpnd(_ o: Opnd, _ a: inout X64Assembler) {
        switch o {
        case .imm(let c): pushVal(.const(c))
        case .reg(let r, let d): pushGPR(r, dirty: d)
        case .xreg(let x): pushVal(.xmm(x))
        case .mem(let m):
            let r = allocGPR(&a)
            a.mov(.i64, r, m)
            pushGPR(r, dirty: true)
        case .pin(let p):
            let r = allocGPR(&a)
            a.mov(.i64, r, p)
            pushGPR(r)
        }
    }
}
