import WasmCore
import WasmRuntime

/// Exception handling: `try_table` records the code range of its body and one landing per
/// catch clause (emitted after the function's code, off the path that does not throw);
/// `throw` and `throw_ref` call the unwinder (ExceptionUnwinder.swift). Nothing is added to
/// code that does not throw but the prologue of a function with `try_table` blocks, which
/// stores r15/r14 at [rbp-8]/[rbp-16] (its landings reload them from there).
extension FunctionCompiler {
    /// A catch clause being compiled: its landing, and the label it branches to.
    struct PendingHandler {
        var clause: Catch
        var landing: Label
        var target: Label
        var payloadOffsets: [Int32]
        var referenceOffset: Int32
    }

    /// A `try_table` body: open (end = -1) or closed.
    struct PendingRegion {
        var start: Int
        var end: Int
        var handlers: [PendingHandler]
    }

    /// rbp-relative byte offset of operand slot `d`.
    func slotDisplacement(_ d: Int) -> Int32 { Int32(-8 * (3 + P + L + H + d)) }

    /// `try_table`: a block whose body's code range has handlers. Catch labels are relative to
    /// the context outside the block; the payload goes to the target's slots (a v128 as
    /// (high, low) in slot order, as everywhere in frames).
    mutating func enterTryTable(_ bt: BlockType, _ table: TryTable, _ a: inout X64Assembler) {
        let (p, r) = blockArity(bt)
        var handlers: [PendingHandler] = []
        for clause in table.catches {
            let target = controls[controls.count - 1 - Int(clause.label)]
            let types = clause.matchesTag ? env.tagTypes[Int(clause.tag)].params : []
            var offsets: [Int32] = []
            var s = 0
            for t in types {
                if t == .v128 {
                    offsets.append(slotDisplacement(target.height + s + 1))  // low half
                    offsets.append(slotDisplacement(target.height + s))
                    s += 2
                } else {
                    offsets.append(slotDisplacement(target.height + s))
                    s += 1
                }
            }
            need(target.height + s + 1)
            handlers.append(PendingHandler(clause: clause, landing: a.newLabel("catch"), target: target.label,
                                           payloadOffsets: offsets, referenceOffset: slotDisplacement(target.height + s)))
        }
        tryRegions.append(PendingRegion(start: a.offset, end: -1, handlers: handlers))
        openTryRegions.append(tryRegions.count - 1)
        var c = Control(kind: .block, label: a.newLabel(), elseLabel: nil, height: sp - p, params: p, results: r,
                        hidden: -1, blockType: bt)
        c.closesTryRegion = true
        controls.append(c)
    }

    /// The `end` of a `try_table`: its body's code ends here.
    mutating func closeTryRegion(_ a: inout X64Assembler) {
        guard let index = openTryRegions.popLast() else { return }
        tryRegions[index].end = a.offset
        closedTryRegions.append(index)
    }

    /// Records a call in a `try_table` body after which this frame is left in wasm's terms
    /// (a tail call made as a call and a return): the frame's handlers do not cover it.
    mutating func markFrameless(from start: Int, _ a: inout X64Assembler) {
        if !openTryRegions.isEmpty { framelessCalls.append(start..<a.offset) }
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
    /// then the branch (the unwinder wrote the values to the label's slots).
    mutating func emitLandings(_ a: inout X64Assembler) {
        for region in tryRegions {
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

    /// The handler table, once the landings are bound (nil without `try_table` blocks).
    func makeHandlerTable(_ a: borrowing X64Assembler) -> HandlerTable? {
        guard hasTryTable else { return nil }
        var table = HandlerTable()
        table.frameless = framelessCalls
        for region in closedTryRegions.map({ tryRegions[$0] }) {  // innermost first: the order blocks end in
            table.regions.append(HandlerTable.Region(start: region.start, end: region.end, handlers: region.handlers.map {
                HandlerTable.Handler(clause: $0.clause, landing: a.offset(of: $0.landing) ?? 0,
                                     payloadOffsets: $0.payloadOffsets, referenceOffset: $0.referenceOffset)
            }))
        }
        return table
    }
}
