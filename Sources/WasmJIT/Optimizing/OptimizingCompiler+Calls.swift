import WasmCore
import WasmOptimizer
import WasmRuntime

/// Memory accesses, calls (direct, through a `VMFuncRef`, indirect) and runtime helper calls.
extension OptimizingCompiler {
    // MARK: Memory 0

    /// The operand addressing `address` + `offset` in memory 0 (r14 is its base, guard pages
    /// catch what lies beyond it). rcx may be used, and rax for an offset of 2 GiB or more.
    mutating func effectiveAddress(_ address: IRValue, offset: UInt64, _ a: inout X64Assembler) -> Mem {
        if case .immediate(let v) = intOperand(address) {
            let ea = UInt64(UInt32(truncatingIfNeeded: v)) + offset
            if ea < 1 << 31 { return Mem(.r14, Int32(ea)) }
            a.mov(.i64, .rcx, Int64(bitPattern: ea))
            return Mem(.r14, .rcx, .x1, 0)
        }
        let r = intRegister(address, scratch: .rcx, .i32, &a)
        if offset < 1 << 31 { return Mem(.r14, r, .x1, Int32(offset)) }
        if r == .rcx {
            a.mov(.i64, .rax, Int64(bitPattern: offset))
            a.add(.i64, .rcx, .rax)
        } else {
            a.mov(.i64, .rcx, Int64(bitPattern: offset))
            a.add(.i64, .rcx, r)
        }
        return Mem(.r14, .rcx, .x1, 0)
    }

    mutating func emitLoad(_ op: LoadOp, _ memarg: MemArg, address: IRValue, result: IRValue, _ a: inout X64Assembler) {
        let m = effectiveAddress(address, offset: memarg.offset, &a)
        if op == .f32Load || op == .f64Load {
            let x = resultXMM(result)
            if op == .f32Load { a.movss(x, m) } else { a.movsd(x, m) }
            finish(result, x, &a)
            return
        }
        let d = resultRegister(result)
        switch op {
        case .i32Load, .i64Load32U: a.mov(.i32, d, m)
        case .i64Load: a.mov(.i64, d, m)
        case .i32Load8S: a.movsx(.i32, d, .i8, m)
        case .i32Load8U, .i64Load8U: a.movzx(.i32, d, .i8, m)
        case .i32Load16S: a.movsx(.i32, d, .i16, m)
        case .i32Load16U, .i64Load16U: a.movzx(.i32, d, .i16, m)
        case .i64Load8S: a.movsx(.i64, d, .i8, m)
        case .i64Load16S: a.movsx(.i64, d, .i16, m)
        case .i64Load32S: a.movsxd(d, m)
        default: _ = a.require(false, "\(op) reached the optimizing tier")
        }
        finish(result, d, &a)
    }

    mutating func emitStore(_ op: StoreOp, _ memarg: MemArg, address: IRValue, value: IRValue,
                            _ a: inout X64Assembler) {
        let m = effectiveAddress(address, offset: memarg.offset, &a)
        if op == .f32Store || op == .f64Store {
            let x = floatRegister(value, scratch: .xmm0, &a)
            if op == .f32Store { a.movss(m, x) } else { a.movsd(m, x) }
            return
        }
        let size: OperandSize
        switch op {
        case .i32Store8, .i64Store8: size = .i8
        case .i32Store16, .i64Store16: size = .i16
        case .i32Store, .i64Store32: size = .i32
        default: size = .i64
        }
        switch intOperand(value) {
        case .register(let r): a.mov(size, m, r)
        case .immediate(let v) where size != .i64 || Int32(exactly: v) != nil:
            a.mov(size, m, Int32(truncatingIfNeeded: v))
        default:
            load(intOperand(value), into: .rax, size == .i64 ? .i64 : .i32, &a)
            a.mov(size, m, .rax)
        }
    }

    // MARK: Calls

    /// The arguments of a call with a `k`-slot area into the outgoing area (rax is free).
    mutating func storeArguments(_ arguments: [IRValue], slots k: Int, _ a: inout X64Assembler) {
        for (i, argument) in arguments.enumerated() { store(argument, to: outgoing(i, of: k), &a) }
    }

    /// The results of a call from the outgoing area to their places.
    mutating func loadResults(_ results: IRResults, slots k: Int, _ a: inout X64Assembler) {
        for (j, result) in results.enumerated() {
            let slot = outgoing(j, of: k)
            switch location(result) {
            case .gpr(let r): a.mov(valueType(result) == .i32 ? .i32 : .i64, r, slot)
            case .xmm(let x): a.movsd(x, slot)
            case .stack(let s):
                a.mov(valueType(result) == .i32 ? .i32 : .i64, .rax, slot)
                a.mov(.i64, spillSlot(s), .rax)
            case .none, .constant: break
            }
        }
    }

    mutating func emitCall(function f: Int, arguments: [IRValue], results: IRResults, _ a: inout X64Assembler) throws {
        let t = module.types[Int(env.functionTypes[f])]
        let k = max(t.params.count, t.results.count)
        storeArguments(arguments, slots: k, &a)
        if f >= env.importCount {
            switch definedTarget(f - env.importCount, &a) {
            case .code(let label): a.call(label)
            case .tableWord(let label): a.call(Mem.rip(label))
            }
            a.lea(.i64, .rsp, Mem(.rbp, Int32(-frameSize)))
        } else {
            a.mov(.i64, .rax, Mem(.r15, VMOffsets.functions))
            a.mov(.i64, .rax, Mem(.rax, Int32(8 * f)))
            callFuncRef(&a)
        }
        loadResults(results, slots: k, &a)
    }

    /// The target of a call to defined function `definedIndex` (see `FunctionCompiler.definedTarget`).
    mutating func definedTarget(_ definedIndex: Int, _ a: inout X64Assembler) -> FunctionCompiler.DefinedTarget {
        switch env.calls {
        case .direct(let labels): return .code(labels[definedIndex])
        case .throughTable(let space, let origin, let stubs):
            if definedIndex == functionIndex - env.importCount, let entry = entryLabel { return .code(entry) }
            if let target = calleeLabels[definedIndex] { return target }
            let label = a.newLabel()
            let word = space.table[definedIndex]
            let target: FunctionCompiler.DefinedTarget
            // Tiered: a callee compiled by the baseline may be optimized later; the table has it then.
            if !env.tieredCalls && word != UInt(bitPattern: stubs + JITModuleCode.stubSize * definedIndex + 6) {
                a.bind(label, toOffset: Int(bitPattern: word) - Int(bitPattern: origin))
                target = .code(label)
            } else {
                a.bind(label, toOffset: Int(bitPattern: space.tableAddress(definedIndex)) - Int(bitPattern: origin))
                target = .tableWord(label)
            }
            calleeLabels[definedIndex] = target
            return target
        }
    }

    /// rax = VMFuncRef*: a call that may switch instance or go to the host (the arguments are
    /// in the outgoing area). r10/r11 go to their C-call slots around a host call, where the
    /// exception unwinder looks for them.
    mutating func callFuncRef(_ a: inout X64Assembler) {
        let host = a.newLabel(), after = a.newLabel()
        SharedSequences.enterCallee(&a, host: host)
        a.call(Mem(.rax, VMOffsets.funcRefEntry))
        a.jmp(after)
        a.bind(host)
        a.mov(.i64, r10CallSlot, .r10)
        a.mov(.i64, r11CallSlot, .r11)
        a.call(env.hostStub)
        a.mov(.i64, .r10, r10CallSlot)
        a.mov(.i64, .r11, r11CallSlot)
        a.bind(after)
        a.mov(.i64, .r15, Mem(.rbp, -8))
        a.mov(.i64, .r14, Mem(.rbp, -16))
        a.lea(.i64, .rsp, Mem(.rbp, Int32(-frameSize)))
    }

    mutating func emitCallIndirect(typeIndex: Int, table: Int, callee: IRValue, arguments: [IRValue],
                                   results: IRResults, _ a: inout X64Assembler) {
        let t = module.types[typeIndex]
        let k = max(t.params.count, t.results.count)
        storeArguments(arguments, slots: k, &a)
        load(intOperand(callee), into: .rax, .i32, &a)
        a.mov(.i64, .rcx, Mem(.r15, VMOffsets.tables))
        a.mov(.i64, .rcx, Mem(.rcx, Int32(8 * table)))
        a.cmp(.i64, .rax, Mem(.rcx, VMOffsets.tableCount))
        a.j(.ae, trapLabel(.undefinedElement, &a))
        a.mov(.i64, .rcx, Mem(.rcx, VMOffsets.tableElements))
        a.mov(.i64, .rax, Mem(.rcx, .rax, .x8, 0))
        a.test(.i64, .rax, .rax)
        a.j(.e, trapLabel(.uninitializedElement, &a))
        a.cmp(.i32, Mem(.rax, VMOffsets.funcRefTypeID), env.typeIDs[typeIndex])
        a.j(.ne, trapLabel(.indirectCallTypeMismatch, &a))
        callFuncRef(&a)
        loadResults(results, slots: k, &a)
    }

    // MARK: Runtime helpers

    /// Calls a C helper `(ctx, rsi, rdx, rcx, r8, r9)` with `arguments` in rsi… (integers, or
    /// float bits); a trapping helper returns 0 or a trap code. Values live across the call
    /// are in rbx/r12/r10/r11 or stack slots (the allocator sees to it); C does not preserve
    /// r10/r11, so they wait in their C-call slots.
    mutating func emitHelperCall(_ helper: UInt, arguments: [ValueLocation], trapping: Bool,
                                 _ a: inout X64Assembler, before: ((inout X64Assembler) -> Void)? = nil) {
        let registers: [GPR] = [.rsi, .rdx, .rcx, .r8, .r9]
        var moves: [(from: ValueLocation, to: ValueLocation)] = [(.gpr(.r15), .gpr(.rdi))]
        for (i, argument) in arguments.enumerated() { moves.append((argument, .gpr(registers[i]))) }
        emitParallelMoves(moves, park: .rax, &a)
        before?(&a)
        a.mov(.i64, r10CallSlot, .r10)
        a.mov(.i64, r11CallSlot, .r11)
        a.and(.i64, .rsp, -16)
        a.movabs(.rax, UInt64(helper))
        a.call(.rax)
        a.lea(.i64, .rsp, Mem(.rbp, Int32(-frameSize)))
        a.mov(.i64, .r10, r10CallSlot)
        a.mov(.i64, .r11, r11CallSlot)
        if trapping {
            a.test(.i32, .rax, .rax)
            a.j(.ne, trapLabel(nil, &a))
        }
    }
}
