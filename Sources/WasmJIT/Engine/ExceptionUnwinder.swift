import WasmCore
import WasmRuntime

/// The catch handlers of one compiled function's `try_table` and legacy `try` blocks, for the
/// unwinder. Offsets are code offsets (from the module code's base once recorded in the `CodeMap`).
struct HandlerTable {
    /// One catch clause: what it catches, where it continues, where the payload goes.
    struct Handler {
        var clause: Catch
        /// The landing code: resets rsp, reloads r15/r14 and the pinned XMM locals, jumps to the
        /// label (or the legacy clause's body).
        var landing: Int
        /// rbp-relative byte offset of each payload slot (`Exception.slots` order): the slots
        /// of the target label's height.
        var payloadOffsets: [Int32]
        /// Where the `exnref` goes (catch_ref, catch_all_ref: after the payload; a legacy
        /// clause: its `try`'s hidden slot), if anywhere.
        var referenceOffset: Int32?
    }

    /// The bodies, in the order they start (see `HandlerRegion`).
    var regions: [HandlerRegion<Handler>] = []
    /// Calls whose frame is already left in wasm's terms: tail calls made as a call and a
    /// return (to another instance, or traced). No handler of this frame covers them.
    var frameless: [Range<Int>] = []

    func shifted(by origin: Int) -> HandlerTable {
        var table = self
        for r in table.regions.indices {
            table.regions[r].start += origin
            table.regions[r].end += origin
            for h in table.regions[r].handlers.indices { table.regions[r].handlers[h].landing += origin }
        }
        table.frameless = frameless.map { ($0.lowerBound + origin)..<($0.upperBound + origin) }
        return table
    }

    /// The handler for `exception` at code offset `offset` (inside a call instruction), with
    /// the frame's tags.
    func handler(at offset: Int, for exception: Exception, tags: [Tag]) -> Handler? {
        if frameless.contains(where: { $0.contains(offset) }) { return nil }
        return findHandler(in: regions, at: offset) { $0.clause.accepts(exception, tags: tags) }
    }
}

/// Unwinding a wasm exception through JIT frames (Docs/JIT.md, "Exceptions").
///
/// Code that throws (the `throw`/`throw_ref` sequence, or the host stub when a host function
/// threw a `WasmException`) stores rbx and r12 in the thread state and calls in here with
/// its return address and rbp. The unwinder walks the rbp chain up to the entry
/// trampoline's frame, keeping the values the pinned registers had in each frame: at the
/// throw they are live (r10/r11: in the throwing frame's C-call slots, where the call into
/// C put them), and leaving a frame restores the ones its prologue saved. At the first
/// frame with a matching handler it writes the payload into the target label's slots and
/// returns the landing's address, with the registers and rbp in the thread state; the code
/// jumps to the resume stub, which loads them and jumps to the landing. With no handler the
/// exception is stored as a `WasmException` (the pending error) and 0 is returned: the code
/// leaves through the trap path, and `invoke` throws it.
enum ExceptionUnwinder {
    typealias HThrow = @convention(c) (UnsafeMutableRawPointer, UInt32, UnsafeMutablePointer<UInt64>?,
                                       UnsafeMutableRawPointer, UInt, UInt) -> UInt
    typealias HThrowRef = @convention(c) (UnsafeMutableRawPointer, UInt64, UInt64, UnsafeMutableRawPointer, UInt,
                                          UInt) -> UInt

    /// `throw`: (ctx, tag index, address of the top operand slot, thread, rbp, return address).
    static let throwException: UInt = Helpers.address({ (ctx, tagIndex, top, thread, rbp, pc) in
        let instance = Helpers.instance(ctx)
        let tag = instance.tags[Int(tagIndex)]
        let params = tag.type.params
        let n = RawValue.slotCount(params)
        var slots = [UInt64](repeating: 0, count: n)
        if let top {
            // Operand slot base+j is at top[n-1-j]; a v128 is (high, low) in slot order.
            var s = 0
            for t in params {
                if t == .v128 {
                    slots[s] = top[n - 2 - s]
                    slots[s + 1] = top[n - 1 - s]
                    s += 2
                } else {
                    slots[s] = top[n - 1 - s]
                    s += 1
                }
            }
        }
        let exception = Exception(tag: tag, slots: slots)
        instance.store.keep(exception)
        return unwind(exception, thread: thread, pc: pc, rbp: rbp)
    } as HThrow)

    /// `throw_ref` of a non-null reference (the code checks null): (ctx, exnref, -, thread, rbp, return address).
    static let throwReference: UInt = Helpers.address({ (_, raw, _, thread, rbp, pc) in
        unwind(Exception.fromRawReference(raw)!, thread: thread, pc: pc, rbp: rbp)
    } as HThrowRef)

    /// The host stub, after a host function threw a `WasmException` (the pending error):
    /// (thread, return address into the calling wasm frame, its rbp).
    static let unwindFromHost: UInt = Helpers.address({ (thread, pc, rbp) in
        let state = thread.assumingMemoryBound(to: JITThreadState.self)
        guard let box = state.pointee.pendingError else { return 0 }
        let error = Unmanaged<ErrorBox>.fromOpaque(box).takeUnretainedValue().error
        guard let thrown = error as? WasmException else { return 0 }
        Unmanaged<ErrorBox>.fromOpaque(box).release()
        state.pointee.pendingError = nil
        return unwind(thrown.exception, thread: thread, pc: pc, rbp: rbp)
    } as @convention(c) (UnsafeMutableRawPointer, UInt, UInt) -> UInt)

    /// Finds the handler from the frame at (`pc`, `rbp`) outwards; see the type's comment.
    static func unwind(_ exception: Exception, thread: UnsafeMutableRawPointer, pc start: UInt, rbp frameBase: UInt) -> UInt {
        let state = thread.assumingMemoryBound(to: JITThreadState.self)
        // rbx, r12, r11, r10 (FunctionCompiler.pinCandidates order).
        var registers: (UInt, UInt, UInt, UInt) = (state.pointee.unwindRBX, state.pointee.unwindR12, 0, 0)
        var pc = start, rbp = frameBase, innermost = true, left = 0
        let limit = state.pointee.entryRSP + 48  // the entry trampoline's frame
        while rbp != 0, rbp < limit, rbp & 7 == 0, let code = CodeRegistry.shared.code(containing: pc) {
            let frame = UnsafeMutablePointer<UInt>(bitPattern: rbp)!
            guard let (pinned, table) = code.unwindInfo(returnAddress: pc) else { break }
            if innermost {
                // The call into C that started this saved r10/r11 in the frame's C-call slots.
                registers.3 = frame[-(3 + pinned)]
                registers.2 = frame[-(4 + pinned)]
                innermost = false
            }
            if let table {
                // A function with try_table blocks keeps its instance context at [rbp-8].
                let context = UnsafeMutableRawPointer(bitPattern: frame[-1])!
                let offset = Int(pc - 1 - UInt(bitPattern: code.codeBase))
                if let handler = table.handler(at: offset, for: exception, tags: Helpers.instance(context).tags) {
                    let base = UnsafeMutableRawPointer(bitPattern: rbp)!
                    for (i, at) in handler.payloadOffsets.enumerated() {
                        base.storeBytes(of: exception.slots[i], toByteOffset: Int(at), as: UInt64.self)
                    }
                    if let at = handler.referenceOffset {
                        base.storeBytes(of: exception.rawReference, toByteOffset: Int(at), as: UInt64.self)
                    }
                    state.pointee.unwindRBX = registers.0
                    state.pointee.unwindR12 = registers.1
                    state.pointee.unwindR11 = registers.2
                    state.pointee.unwindR10 = registers.3
                    state.pointee.landingRBP = rbp
                    if left > 0, let stack = state.pointee.traceStack {
                        // Traced calls: the frames left return to no tracer.
                        let traced = Unmanaged<TraceStack>.fromOpaque(stack).takeUnretainedValue()
                        traced.functions.removeLast(min(left, traced.functions.count))
                    }
                    return UInt(bitPattern: code.codeBase) + UInt(handler.landing)
                }
            }
            // Leave the frame: the registers its prologue saved get their caller's values back.
            if pinned > 0 { registers.0 = frame[-3] }
            if pinned > 1 { registers.1 = frame[-4] }
            if pinned > 2 { registers.2 = frame[-5] }
            if pinned > 3 { registers.3 = frame[-6] }
            pc = frame[1]
            rbp = frame[0]
            left += 1
        }
        state.pointee.pendingError = Unmanaged.passRetained(ErrorBox(WasmException(exception))).toOpaque()
        return 0
    }
}

extension JITModuleCode {
    /// For the function whose call returns to `returnAddress`: how many pinned registers its
    /// prologue saved, and its handlers (nil without try_table blocks).
    func unwindInfo(returnAddress: UInt) -> (Int, HandlerTable?)? {
        let offset = Int(returnAddress - 1 - UInt(bitPattern: codeBase))
        return lock.withLock {
            guard let entry = map.entry(containing: offset) else { return nil }
            return (Int(map.pinnedCounts[entry]), map.handlerTables[entry])
        }
    }
}
