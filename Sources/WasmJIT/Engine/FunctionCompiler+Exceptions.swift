import WasmCore
import WasmRuntime

/// Exception handling: a `try_table` or legacy `try` records the code range of its body (a
/// `HandlerRegion`) and one landing per catch clause (emitted after the function's code, off
/// the path that does not throw); `throw`, `throw_ref` and `rethrow` call the unwinder
/// (ExceptionUnwinder.swift). Nothing is added to code that does not throw but the prologue
/// of a function with handlers, which stores r15/r14 at [rbp-8]/[rbp-16] (its landings reload
/// them from there).
extension FunctionCompiler {
    /// A catch clause being compiled: its landing, and where the landing goes (a `try_table`
    /// clause's label, or a legacy clause's body).
    struct PendingHandler {
        var clause: Catch
        var landing: Label
        var target: Label
        var payloadOffsets: [Int32]
        var referenceOffset: Int32?
    }

    /// rbp-relative byte offset of operand slot `d`.
    func slotDisplacement(_ d: Int) -> Int32 { Int32(-8 * (3 + P + L + H + d)) }

    /// Where a payload of `types` goes when the label's values start at operand depth `height`
    /// (a v128 as (high, low) in slot order, as everywhere in frames); and the next free depth.
    mutating func payloadOffsets(_ types: [ValueType], height: Int) -> ([Int32], Int) {
        var offsets: [Int32] = []
        var s = 0
        for t in types {
            if t == .v128 {
                offsets.append(slotDisplacement(height + s + 1))  // low half
                offsets.append(slotDisplacement(height + s))
                s += 2
            } else {
                offsets.append(slotDisplacement(height + s))
                s += 1
            }
        }
        return (offsets, height + s)
    }

    /// `try_table`: a block whose body's code range has handlers. Catch labels are relative to
    /// the context outside the block; the payload goes to the target's slots.
    mutating func enterTryTable(_ bt: BlockType, _ table: TryTable, _ a: inout X64Assembler) {
        let (p, r) = blockArity(bt)
        var handlers: [PendingHandler] = []
        for clause in table.catches {
            let target = controls[controls.count - 1 - Int(clause.label)]
            let types = clause.matchesTag ? env.tagTypes[Int(clause.tag)].params : []
            let (offsets, next) = payloadOffsets(types, height: target.height)
            need(next + 1)
            handlers.append(PendingHandler(
                clause: clause, landing: a.newLabel("catch"), target: target.label, payloadOffsets: offsets,
                referenceOffset: clause.passesReference ? slotDisplacement(next) : nil))
        }
        controls.append(Control(kind: .block, label: a.newLabel(), elseLabel: nil, height: sp - p, params: p, results: r,
                                hidden: -1, blockType: bt))
        controls[controls.count - 1].region = handlerRegions.open(control: controls.count - 1, at: a.offset,
                                                                  handlers: handlers)
    }

    /// Legacy `try`: a block with a region; its clauses keep the caught exception in the hidden
    /// slot of its nesting level (for `rethrow`).
    mutating func enterLegacyTry(_ bt: BlockType, _ a: inout X64Assembler) {
        let level = controls.filter { $0.exceptionSlot >= 0 }.count
        let (p, r) = blockArity(bt)
        var c = Control(kind: .block, label: a.newLabel(), elseLabel: nil, height: sp - p, params: p, results: r,
                        hidden: -1, blockType: bt)
        c.exceptionSlot = exceptionSlotBase + level
        controls.append(c)
        controls[controls.count - 1].region = handlerRegions.open(control: controls.count - 1, at: a.offset)
    }

    /// Legacy `catch tag` / `catch_all` (`tag` nil): the previous part of the `try` ends (like
    /// `else`); the clause's body starts with the payload at the block's height.
    mutating func legacyCatch(tag: UInt32?, _ a: inout X64Assembler) {
        let top = controls.count - 1
        if !dead { a.jmp(controls[top].label) }  // the results are in their slots (flushed)
        handlerRegions.close(control: top, at: a.offset)
        dead = false
        let c = controls[top]
        let body = a.newLabel("catch_body")
        a.bind(body)
        let types = tag.map { env.tagTypes[Int($0)].params } ?? []
        resetStack(to: c.height, pushing: types)
        let (offsets, _) = payloadOffsets(types, height: c.height)
        let clause = tag.map { Catch(kind: .tag, tag: $0, label: 0) } ?? Catch(kind: .all, label: 0)
        handlerRegions.addHandler(PendingHandler(
            clause: clause, landing: a.newLabel("catch"), target: body, payloadOffsets: offsets,
            referenceOffset: hidden(c.exceptionSlot).disp), to: c.region)
    }

    /// Legacy `delegate l`: what the `try`'s body throws goes to the region open at label `l`
    /// (counted from outside the `try`). The caller then ends the block as `end` does.
    mutating func delegate(_ depth: Int, _ a: borrowing X64Assembler) {
        let top = controls.count - 1
        handlerRegions.delegate(control: top, toLabel: top - 1 - depth, at: a.offset)
    }

    /// Legacy `rethrow l`: throws the exception the clause at label `l` caught (never null).
    mutating func emitRethrow(_ depth: Int, _ a: inout X64Assembler) {
        a.mov(.i64, .rsi, hidden(controls[controls.count - 1 - depth].exceptionSlot))
        emitUnwind(ExceptionUnwinder.throwReference, &a)
    }

    /// Records a call in a handler region after which this frame is left in wasm's terms
    /// (a tail call made as a call and a return): the frame's handlers do not cover it.
    mutating func markFrameless(from start: Int, _ a: inout X64Assembler) {
        if handlerRegions.isInsideRegion { framelessCalls.append(start..<a.offset) }
    }

    /// `throw tag`: the tag's values are the top slots (flushed).
    mutating func emitThrow(tag: Int, _ a: inout X64Assembler) {
        let n = RawValue.slotCount(env.tagTypes[tag].params)
        a.mov(.i32, .rsi, Int64(tag))
        if n > 0 { a.lea(.i64, .rdx, slot(sp - 1)) } else { a.xor(.i32, .rdx, .rdx) }
        emitUnwind(ExceptionUnwinder.throwException, &a)
    }

    /// `throw_ref`: null traps; else the exception is thrown again.
    mutating func emitThrowReference(_ a: inout X64Assembler) {
        a.mov(.i64, .rsi, top)
        a.test(.i64, .rsi, .rsi)
        a.j(.e, trapLabel(&a, .nullExceptionReference))
        emitUnwind(ExceptionUnwinder.throwReference, &a)
    }

    /// Calls an unwinding helper (rsi, rdx loaded): rbx/r12 to the thread state, then
    /// `helper(ctx, rsi, rdx, thread, rbp, return address)`; it returns the landing to resume at,
    /// or 0: uncaught, leave through the trap path with the pending error.
    mutating func emitUnwind(_ helper: UInt, _ a: inout X64Assembler) {
        let site = a.newLabel()
        a.bind(site)
        a.mov(.i64, Mem(.r13, JITThreadState.unwindRBXOffset), .rbx)
        a.mov(.i64, Mem(.r13, JITThreadState.unwindR12Offset), .r12)
        a.mov(.i64, .rcx, .r13)
        a.mov(.i64, .r8, .rbp)
        a.lea(.i64, .r9, Mem.rip(site, 1))  // a "return address" inside this instruction's code
        helperCall(helper, &a, trapping: false)
        a.test(.i64, .rax, .rax)
        a.j(.ne, env.resumeStub)
        a.mov(.i32, .rax, Int64(hostErrorCode))
        a.jmp(dynTrapLabel(&a))
        markDead()
    }

    /// The landings, after the function's code: rsp from rbp, the instance and memory
    /// base back, the pinned XMM locals from their home slots (stored before every call),
    /// then the jump (the unwinder wrote the values to the label's slots).
    mutating func emitLandings(_ a: inout X64Assembler) {
        for region in handlerRegions.regions {
            for handler in region.handlers {
                a.bind(handler.landing)
                resetRsp(&a)
                a.mov(.i64, .r15, Mem(.rbp, -8))
                a.mov(.i64, .r14, Mem(.rbp, -16))
                reloadXMMPins(&a)
                a.jmp(handler.target)
            }
        }
    }

    /// The handler table, once the landings are bound (nil without handler regions).
    func makeHandlerTable(_ a: borrowing X64Assembler) -> HandlerTable? {
        guard hasHandlers else { return nil }
        var table = HandlerTable()
        table.frameless = framelessCalls
        table.regions = handlerRegions.regions.map { region in
            HandlerRegion(start: region.start, end: region.end, parent: region.parent,
                          delegateTarget: region.delegateTarget, handlers: region.handlers.map {
                HandlerTable.Handler(clause: $0.clause, landing: a.offset(of: $0.landing) ?? 0,
                                     payloadOffsets: $0.payloadOffsets, referenceOffset: $0.referenceOffset)
            })
        }
        return table
    }
}
