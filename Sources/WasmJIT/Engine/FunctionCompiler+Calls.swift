import WasmCore
import WasmRuntime

/// Calls: direct calls (to code, or through the lazy code space's table), calls through a
/// `VMFuncRef` (imports, `call_indirect`, other instances, the host), and tail calls.
extension FunctionCompiler {
    /// Direct call. Args are the top N slots; results replace them.
    mutating func emitCall(function f: Int, _ a: inout X64Assembler) throws {
        let t = module.types[Int(env.functionTypes[f])]
        let n = RawValue.slotCount(t.params), r = RawValue.slotCount(t.results), k = max(n, r)
        let base = sp - n
        need(base + k)
        if f >= env.importCount {
            saveXMMPins(&a)
            a.lea(.i64, .rsp, slot(base + k - 1))
            switch definedTarget(f - env.importCount, &a) {
            case .code(let label): a.call(label)
            case .tableWord(let label): a.call(Mem.rip(label))
            }
            resetRsp(&a)
            reloadXMMPins(&a)
        } else {
            a.mov(.i64, .rax, Mem(.r15, VMOffsets.functions))
            a.mov(.i64, .rax, Mem(.rax, Int32(8 * f)))
            callFuncRef(base: base, k: k, &a)
        }
        resetStack(to: base, pushing: t.results)
    }

    /// Where a call to a defined function goes.
    enum DefinedTarget {
        /// The callee's code: `call label`.
        case code(Label)
        /// The callee's word in the code-space table: `call [rip + label]` (lazy
        /// compiles, for a callee not compiled yet).
        case tableWord(Label)
    }

    /// The target of a call to defined function `definedIndex`. Compiled alone (lazy), a
    /// function calls itself and functions already compiled directly (their code never
    /// moves), the others through their table word: one label per callee and compile.
    mutating func definedTarget(_ definedIndex: Int, _ a: inout X64Assembler) -> DefinedTarget {
        switch env.calls {
        case .direct(let labels): return .code(labels[definedIndex])
        case .throughTable(let space, let origin, let stubs):
            // Tiered: every call goes through the table, where an optimized callee appears.
            let tiered = env.tieredCalls
            if !tiered, definedIndex == functionIndex - env.importCount, let entry = entryLabel { return .code(entry) }
            if let target = calleeLabels[definedIndex] { return target }
            let label = a.newLabel()
            let word = space.table[definedIndex]
            let target: DefinedTarget
            if !tiered && word != UInt(bitPattern: stubs + JITModuleCode.stubSize * definedIndex + 6) {
                // Compiled (the word is written under the module lock, which this compile holds).
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

    /// rax = VMFuncRef*; the call may switch instance or go to the host.
    mutating func callFuncRef(base: Int, k: Int, _ a: inout X64Assembler) {
        let host = a.newLabel(), after = a.newLabel()
        saveXMMPins(&a)
        SharedSequences.enterCallee(&a, host: host)
        a.lea(.i64, .rsp, slot(base + k - 1))
        a.call(Mem(.rax, VMOffsets.funcRefEntry))
        a.jmp(after)
        a.bind(host)
        savePins(&a)
        a.lea(.i64, .rsp, slot(base + k - 1))
        a.call(env.hostStub)
        reloadPins(&a)
        a.bind(after)
        a.mov(.i64, .r15, Mem(.rbp, -8))
        a.mov(.i64, .r14, Mem(.rbp, -16))
        resetRsp(&a)
        reloadXMMPins(&a)
    }

    mutating func emitCallIndirect(typeIndex: Int, table: Int, tail: Bool, _ a: inout X64Assembler) {
        let t = module.types[typeIndex]
        let typeID = env.typeIDs[typeIndex]
        a.mov(tableSize(UInt32(table)), .rax, top)
        sp -= 1
        tableDef(table, into: .rcx, &a)
        a.cmp(.i64, .rax, Mem(.rcx, VMOffsets.tableCount))
        a.j(.ae, trapLabel(&a, .undefinedElement))
        a.mov(.i64, .rcx, Mem(.rcx, VMOffsets.tableElements))
        a.mov(.i64, .rax, Mem(.rcx, .rax, .x8, 0))
        a.test(.i64, .rax, .rax)
        a.j(.e, trapLabel(&a, .uninitializedElement))
        a.cmp(.i32, Mem(.rax, VMOffsets.funcRefTypeID), typeID)
        if env.finalTypes[typeIndex] {
            a.j(.ne, trapLabel(&a, .indirectCallTypeMismatch))
        } else {
            // A declared subtype of the expected type also matches: ask the registry.
            let matched = a.newLabel()
            a.j(.e, matched)
            need(sp + 1)
            a.mov(.i64, slot(sp), .rax)  // the slot above the top is free
            a.mov(.i64, .rsi, .rax)
            a.mov(.i32, .rdx, Int64(typeID))
            helperCall(Helpers.checkSubtype, &a, trapping: true)
            a.mov(.i64, .rax, slot(sp))
            a.bind(matched)
        }
        emitFuncRefCall(t, tail: tail, &a)
    }

    /// `call_ref` / `return_call_ref`: the reference on top, null traps.
    mutating func emitCallRef(typeIndex: Int, tail: Bool, _ a: inout X64Assembler) {
        a.mov(.i64, .rax, top)
        sp -= 1
        a.test(.i64, .rax, .rax)
        a.j(.e, trapLabel(&a, .nullFunctionReference))
        emitFuncRefCall(module.types[typeIndex], tail: tail, &a)
    }

    /// Calls (or tail-calls) the checked `VMFuncRef*` in rax with the arguments on the stack.
    mutating func emitFuncRefCall(_ t: FuncType, tail: Bool, _ a: inout X64Assembler) {
        if tail {
            emitTailFuncRef(t, &a)
        } else {
            let n = RawValue.slotCount(t.params), r = RawValue.slotCount(t.results), k = max(n, r)
            let base = sp - n
            need(base + k)
            callFuncRef(base: base, k: k, &a)
            resetStack(to: base, pushing: t.results)
        }
    }

    /// return_call of a direct function.
    mutating func emitReturnCall(function f: Int, _ a: inout X64Assembler) throws {
        let t = module.types[Int(env.functionTypes[f])]
        if f >= env.importCount {
            switch definedTarget(f - env.importCount, &a) {
            case .code(let label): tailJump(t, &a) { a, _ in a.jmp(label) }
            case .tableWord(let label): tailJump(t, &a) { a, _ in a.jmp(Mem.rip(label)) }
            }
        } else {
            a.mov(.i64, .rax, Mem(.r15, VMOffsets.functions))
            a.mov(.i64, .rax, Mem(.rax, Int32(8 * f)))
            emitTailFuncRef(t, &a)
        }
    }

    /// rax = VMFuncRef* (checked). Same-instance wasm callee: real tail call;
    /// otherwise an ordinary call followed by a return.
    mutating func emitTailFuncRef(_ t: FuncType, _ a: inout X64Assembler) {
        let slow = a.newLabel()
        a.cmp(.i64, .r15, Mem(.rax, VMOffsets.funcRefContext))
        a.j(.ne, slow)
        a.mov(.i64, .r9, .rax)
        let saveSp = sp
        tailJump(t, &a) { a, _ in a.jmp(Mem(.r9, VMOffsets.funcRefEntry)) }
        sp = saveSp
        a.bind(slow)
        let n = RawValue.slotCount(t.params), r = RawValue.slotCount(t.results), k = max(n, r)
        let base = sp - n
        need(base + k)
        callFuncRef(base: base, k: k, &a)
        resetStack(to: base, pushing: t.results)
        branch(UInt32(controls.count - 1), &a)
    }

    /// Moves the top N values into a new argument area replacing ours, drops
    /// this frame and jumps (the jump is emitted by `jump`; r9 is preserved).
    mutating func tailJump(_ t: FuncType, _ a: inout X64Assembler, jump: (inout X64Assembler, Int) -> Void) {
        let n = RawValue.slotCount(t.params), k1 = max(n, RawValue.slotCount(t.results))
        let topOff = 16 + 8 * K
        let ra = topOff - 8 * k1 - 8
        // Temporaries below both our frame and the new return-address slot.
        restorePinnedRegisters(&a)
        resetRsp(&a)
        a.lea(.i64, .rax, Mem(.rbp, Int32(ra)))
        a.cmp(.i64, .rsp, .rax)
        a.cmov(.a, .i64, .rsp, .rax)
        for i in 0..<n {
            a.mov(.i64, .rax, slot(sp - n + i))
            a.push(.rax)
        }
        a.mov(.i64, .rcx, Mem(.rbp, 8))
        a.mov(.i64, .rdx, Mem(.rbp, 0))
        for i in 0..<n {
            a.mov(.i64, .rax, Mem(.rsp, Int32(8 * (n - 1 - i))))
            a.mov(.i64, Mem(.rbp, Int32(topOff - 8 * (i + 1))), .rax)
        }
        a.mov(.i64, Mem(.rbp, Int32(ra)), .rcx)
        a.lea(.i64, .rsp, Mem(.rbp, Int32(ra)))
        a.mov(.i64, .rbp, .rdx)
        jump(&a, n)
    }

    // MARK: Runtime calls

    mutating func tableDef(_ t: Int, into r: GPR, _ a: inout X64Assembler) {
        a.mov(.i64, r, Mem(.r15, VMOffsets.tables))
        a.mov(.i64, r, Mem(r, Int32(8 * t)))
    }

    /// `--trace-calls` hook: `helper(ctx, function index, incoming area, thread state)`.
    mutating func emitTraceHook(_ helper: UInt, trapping: Bool, _ a: inout X64Assembler) {
        a.mov(.i32, .rsi, Int64(functionIndex))
        a.lea(.i64, .rdx, Mem(.rbp, 16))
        a.mov(.i64, .rcx, .r13)
        helperCall(helper, &a, trapping: trapping)
    }

    /// Calls a C helper `(ctx, rsi, rdx, rcx, r8, r9)`; the caller loaded rsi…r9.
    /// A trapping helper returns 0 or a trap code.
    mutating func helperCall(_ fn: UInt, _ a: inout X64Assembler, trapping: Bool) {
        saveXMMPins(&a)
        savePins(&a)
        a.and(.i64, .rsp, -16)
        a.mov(.i64, .rdi, .r15)
        a.movabs(.rax, UInt64(fn))
        a.call(.rax)
        resetRsp(&a)
        reloadPins(&a)
        reloadXMMPins(&a)
        if trapping {
            a.test(.i32, .rax, .rax)
            a.j(.ne, dynTrapLabel(&a))
        }
    }
}
