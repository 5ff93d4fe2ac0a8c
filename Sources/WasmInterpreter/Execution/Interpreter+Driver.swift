import WasmCore
import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The driver around the call-free loop: it runs `run`, and on each exit does
/// what the loop cannot — host and cross-instance calls, memory and table
/// growth, bulk operations, instance switches, building traps — then resumes.
extension Interpreter {
    /// An empty memory for instances without one (never accessed: validation forbids it).
    nonisolated(unsafe) static let noMemory: UnsafeMutablePointer<VMMemoryDefinition> = {
        let size = MemoryLayout<VMMemoryDefinition>.size
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let p = raw.bindMemory(to: VMMemoryDefinition.self, capacity: 1)
        p.pointee.base = raw
        return p
    }()

    /// Runs `entry`, whose frame at `entryFP` is already initialised, until it returns.
    static func execute(
        entry: UnsafeMutablePointer<FunctionInfo>, entryFP: UnsafeMutablePointer<UInt64>,
        instance: UnsafeMutableRawPointer, state: UnsafeMutablePointer<ThreadState>
    ) throws {
        var r = Registers(
            pc: entry.pointee.code, fp: entryFP, cur: entry, frame: state.pointee.frameTop, instance: instance,
            ctx: Interpreter.instance(instance).context, memBase: noMemory.pointee.base, memDef: noMemory,
            frameBase: state.pointee.frameTop, framesEnd: state.pointee.framesEnd, stackEnd: state.pointee.stackEnd)
        loadInstance(&r)
        if let counts = profileCounts {
            r.profileCounts = counts
            r.profileTable = handlerTable
        }
        while true {
            switch run(&r) {
            case .returned: return
            case .trap:
                if let callee = r.pendingCallee {
                    r.pendingCallee = nil
                    // An untranslated callee: translate it and run the call instruction again.
                    if r.trap == .callStackExhausted && !InterpreterModuleCode.isTranslated(callee) {
                        try InterpreterModuleCode.ensureTranslated(callee)
                        continue
                    }
                }
                throw makeTrap(r.trap, r)
            case .switchInstance: loadInstance(&r)
            case .slow:
                do {
                    try executeSlow(&r, state: state)
                } catch let thrown as WasmException {
                    // Out of a host function or a nested invoke, at the call instruction. A
                    // tail call had left its frame: the handlers around it do not apply.
                    switch Word.op(r.pc.pointee) {
                    case .returnCallImport, .returnCallIndirect, .returnCallIndirectSlow, .returnCallRef,
                        .returnCallRefSlow:
                        try unwind(thrown.exception, &r, leavingFrame: true)
                    default:
                        try unwind(thrown.exception, &r)
                    }
                }
            case .next: continue
            }
        }
    }

    /// `WASMOON_INTERP_PROFILE=1`: instructions executed per opcode, per function
    /// (function index space) and per pair of consecutive opcodes, printed to stderr at exit.
    nonisolated(unsafe) static let profileCounts: UnsafeMutablePointer<UInt64>? = {
        guard let v = getenv("WASMOON_INTERP_PROFILE"), v.pointee != 0 else { return nil }
        let size = Word.opcodeLimit + profiledFunctions + profiledPairs + 1
        let counts = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
        atexit {
            guard let counts = Interpreter.profileCounts else { return }
            let ops = Word.opcodeLimit
            let total = (0..<ops).reduce(UInt64(0)) { $0 &+ counts[$1] }
            var lines = "interpreter profile: \(total) instructions\n"
            for i in (0..<ops).sorted(by: { counts[$0] > counts[$1] }) where counts[i] > 0 {
                let name = Op(rawValue: UInt16(i)).map { "\($0)" } ?? "op\(i)"
                let pct = Double(counts[i]) * 100 / Double(max(total, 1))
                lines += "\(name)\t\(counts[i])\t\((pct * 100).rounded() / 100)%\n"
            }
            lines += "hottest functions (index: instructions):\n"
            let perFunction = counts + ops
            let functions = (0..<profiledFunctions).filter { perFunction[$0] > 0 }
            for f in functions.sorted(by: { perFunction[$0] > perFunction[$1] }).prefix(15) {
                let pct = Double(perFunction[f]) * 100 / Double(max(total, 1))
                let name = f == profiledFunctions - 1 ? "\(f)+" : "\(f)"
                lines += "func \(name)\t\(perFunction[f])\t\((pct * 100).rounded() / 100)%\n"
            }
            lines += "commonest pairs (first, then second):\n"
            let pairs = counts + ops + profiledFunctions
            for p in (0..<profiledPairs).filter({ pairs[$0] > 0 }).sorted(by: { pairs[$0] > pairs[$1] }).prefix(25) {
                let first = Op(rawValue: UInt16(p / ops)).map { "\($0)" } ?? "op\(p / ops)"
                let second = Op(rawValue: UInt16(p % ops)).map { "\($0)" } ?? "op\(p % ops)"
                let pct = Double(pairs[p]) * 100 / Double(max(total, 1))
                lines += "\(first) \(second)\t\(pairs[p])\t\((pct * 100).rounded() / 100)%\n"
            }
            _ = lines.withCString { write(2, $0, strlen($0)) }
        }
        return counts
    }()

    static func instance(_ p: UnsafeMutableRawPointer) -> Instance {
        Unmanaged<Instance>.fromOpaque(p).takeUnretainedValue()
    }

    /// Points the registers at `r.instance`'s context and memory.
    static func loadInstance(_ r: inout Registers) {
        let ctx = instance(r.instance).context
        let mem = ctx.pointee.memory0 ?? noMemory
        r.ctx = ctx
        r.memDef = mem
        r.memBase = mem.pointee.base
    }

    /// Executes the slow instruction at `r.pc` and advances past it (or into a callee).
    static func executeSlow(_ r: inout Registers, state: UnsafeMutablePointer<ThreadState>) throws {
        let pc = r.pc, fp = r.fp, w = pc.pointee
        // Operand slots B, C as u32 values (only for instructions that have them).
        var b: Int { Int(u32(fp[Word.b(w)])) }
        var c: Int { Int(u32(fp[Word.c(w)])) }
        // An address, index or length operand of a memory or table of `type`.
        func operand(_ slot: Int, _ type: AddressType) -> UInt64 { type == .i64 ? fp[slot] : UInt64(u32(fp[slot])) }
        let inst = instance(r.instance)
        switch Word.op(w) {
        case .lazyEntry:
            // A function entered before its translation was published (another thread's).
            let callee = r.cur
            try InterpreterModuleCode.ensureTranslated(callee)
            r.pc = callee.pointee.code
            guard InterpreterModuleCode.frameSize(callee) <= r.stackEnd - r.fp else {
                throw makeTrap(.callStackExhausted, r)
            }
            initFrame(r.fp, callee)
        case .callImport:
            let raw = r.ctx.pointee.functions[Int(truncatingIfNeeded: pc[1])]
            let n = Word.b(w)
            gatherArguments(n, from: fp, slots: pc + 2, to: fp + Word.a(w))
            try call(raw, args: fp + Word.a(w), returnPC: pc + 2 + (n + 3) / 4, &r, state: state)
        case .callIndirect, .callIndirectSlow:
            let raw = try indirectTarget(pc[1], index: fp[Word.b(w)], r)
            let n = Word.c(w)
            gatherArguments(n, from: fp, slots: pc + 2, to: fp + Word.a(w))
            try call(raw, args: fp + Word.a(w), returnPC: pc + 2 + (n + 3) / 4, &r, state: state)
        case .returnCallImport:
            try tailCall(r.ctx.pointee.functions[Int(truncatingIfNeeded: pc[1])], &r, state: state)
        case .returnCallIndirect, .returnCallIndirectSlow:
            try tailCall(try indirectTarget(pc[1], index: fp[Word.b(w)], r), &r, state: state)
        case .throw:
            let tag = inst.tags[Int(truncatingIfNeeded: pc[1])]
            let n = Word.b(w)
            let slots = UnsafeRawPointer(pc + 2).assumingMemoryBound(to: UInt16.self)
            let exception = Exception(tag: tag, slots: (0..<n).map { fp[Int(slots[$0])] })
            inst.store.keep(exception)
            try unwind(exception, &r)
        case .throwRef:
            guard let exception = Exception.fromRawReference(fp[Word.a(w)]) else {
                throw makeTrap(.nullExceptionReference, r)
            }
            try unwind(exception, &r)
        case .callRef, .callRefSlow:
            let raw = fp[Word.b(w)]
            guard raw != 0 else { throw makeTrap(.nullFunctionReference, r) }
            let n = Word.c(w)
            gatherArguments(n, from: fp, slots: pc + 2, to: fp + Word.a(w))
            try call(raw, args: fp + Word.a(w), returnPC: pc + 2 + (n + 3) / 4, &r, state: state)
        case .returnCallRef, .returnCallRefSlow:
            let raw = fp[Word.b(w)]
            guard raw != 0 else { throw makeTrap(.nullFunctionReference, r) }
            try tailCall(raw, &r, state: state)
        case .memoryGrow:
            let memory = inst.memories[Int(truncatingIfNeeded: pc[1])]
            fp[Word.c(w)] = memory.growResult(by: operand(Word.a(w), memory.type.addressType))
            r.pc += 2
        case .memoryInit:
            let memory = inst.memories[Int(truncatingIfNeeded: pc[1] &>> 32)]
            let segment = inst.dataSegments[Int(truncatingIfNeeded: pc[1] & 0xFFFF_FFFF)]
            try trapping(r) { () throws(Trap) in
                try memory.initialize(
                    at: operand(Word.a(w), memory.type.addressType), from: segment, offset: UInt64(b), count: UInt64(c))
            }
            r.pc += 2
        case .dataDrop:
            inst.dataSegments[Word.index(w)] = []
            r.pc += 1
        case .memoryCopy:
            let dst = inst.memories[Int(truncatingIfNeeded: pc[1] & 0xFFFF_FFFF)]
            let src = inst.memories[Int(truncatingIfNeeded: pc[1] &>> 32)]
            let (d, s) = (dst.type.addressType, src.type.addressType)
            try trapping(r) { () throws(Trap) in
                try dst.copy(
                    to: operand(Word.a(w), d), from: operand(Word.b(w), s), count: operand(Word.c(w), .min(d, s)), in: src)
            }
            r.pc += 2
        case .memoryFill:
            let memory = inst.memories[Int(truncatingIfNeeded: pc[1])]
            let type = memory.type.addressType
            try trapping(r) { () throws(Trap) in
                try memory.fill(
                    at: operand(Word.a(w), type), value: UInt8(truncatingIfNeeded: fp[Word.b(w)]),
                    count: operand(Word.c(w), type))
            }
            r.pc += 2
        case .tableGrow:
            let table = inst.tables[Int(truncatingIfNeeded: pc[1])]
            fp[Word.c(w)] = table.growResult(by: operand(Word.b(w), table.addressType), fill: fp[Word.a(w)])
            r.pc += 2
        case .tableFill:
            let table = inst.tables[Int(truncatingIfNeeded: pc[1])]
            let type = table.addressType
            try trapping(r) { () throws(Trap) in
                try table.fill(at: operand(Word.a(w), type), value: fp[Word.b(w)], count: operand(Word.c(w), type))
            }
            r.pc += 2
        case .tableCopy:
            let dst = inst.tables[Int(truncatingIfNeeded: pc[1] & 0xFFFF_FFFF)]
            let src = inst.tables[Int(truncatingIfNeeded: pc[1] &>> 32)]
            let (d, s) = (dst.addressType, src.addressType)
            try trapping(r) { () throws(Trap) in
                try dst.copy(
                    to: operand(Word.a(w), d), from: operand(Word.b(w), s), count: operand(Word.c(w), .min(d, s)), in: src)
            }
            r.pc += 2
        case .tableInit:
            let table = inst.tables[Int(truncatingIfNeeded: pc[1] & 0xFFFF_FFFF)]
            let segment = inst.elementSegments[Int(truncatingIfNeeded: pc[1] &>> 32)]
            try trapping(r) { () throws(Trap) in
                try table.initialize(
                    at: operand(Word.a(w), table.addressType), from: segment, offset: UInt64(b), count: UInt64(c))
            }
            r.pc += 2
        case .elemDrop:
            inst.elementSegments[Word.index(w)] = []
            r.pc += 1
        default:
            throw InterpreterError("internal interpreter error: \(Word.op(w)) is not a slow instruction")
        }
    }

    /// Runs a bulk operation of `Memory`/`Table`; its trap gets the running frames' backtrace.
    @inline(__always)
    static func trapping(_ r: Registers, _ body: () throws(Trap) -> Void) throws(Trap) {
        do throws(Trap) { try body() } catch { throw makeTrap(error.code, r) }
    }

    /// The function a `call_indirect` reaches, after its checks (which trap).
    static func indirectTarget(_ imm: UInt64, index: UInt64, _ r: Registers) throws(Trap) -> UInt64 {
        let table = r.ctx.pointee.tables[Int(truncatingIfNeeded: imm &>> 32)]
        let i = Int(truncatingIfNeeded: u32(index))
        guard i < table.pointee.count else { throw makeTrap(.undefinedElement, r) }
        let raw = table.pointee.elements[i]
        guard raw != 0 else { throw makeTrap(.uninitializedElement, r) }
        let expected = r.ctx.pointee.typeIDs[Int(truncatingIfNeeded: imm & 0xFFFF_FFFF)]
        let actual = functionFields(raw).typeID
        guard actual == expected || TypeRegistry.shared.isSubtype(actual, of: expected) else {
            throw makeTrap(.indirectCallTypeMismatch, r)
        }
        return raw
    }

    /// Unwinds `exception` from the instruction at `r.pc` to the innermost handler in this
    /// invoke's frames: writes the payload to the handler's slots and continues at its stub.
    /// With no handler, the frames are left as they are and the exception leaves the invoke
    /// as a `WasmException` (a host frame or the embedder decides on it).
    /// `leavingFrame`: the running frame is gone (a tail call out of it threw), so the search
    /// starts at its caller.
    static func unwind(_ exception: Exception, _ r: inout Registers, leavingFrame: Bool = false) throws {
        var position = r.pc - r.cur.pointee.code
        var skipFrame = leavingFrame
        while true {
            if skipFrame {
                skipFrame = false
                guard r.frame > r.frameBase else { throw WasmException(exception) }
                r.frame -= 1
                let caller = r.frame.pointee
                r.fp = caller.fp
                r.cur = caller.info
                r.pc = caller.returnPC
                if caller.instance != r.instance {
                    r.instance = caller.instance
                    loadInstance(&r)
                }
                position = caller.returnPC - caller.info.pointee.code - 1
            }
            let info = r.cur
            let owner = Unmanaged<InterpreterModuleCode>.fromOpaque(info.pointee.owner).takeUnretainedValue()
            let definedIndex = Int(info.pointee.functionIndex) - owner.importedFunctionCount
            if let stub = owner.handler(
                definedIndex: definedIndex, at: position, for: exception, tags: instance(r.instance).tags)
            {
                if stub.valueSlots > 0 {
                    for i in 0..<stub.valueSlots { r.fp[stub.firstSlot + i] = exception.slots[i] }
                }
                if stub.referenceSlot >= 0 { r.fp[stub.referenceSlot] = exception.rawReference }
                r.pc = info.pointee.code + stub.target
                return
            }
            // Not here: on to the caller, inside the call instruction it returns after.
            skipFrame = true
        }
    }

    /// A wasm function of another instance (or of no interpreter module): its code and instance.
    static func wasmTarget(_ function: Function) -> (UnsafeMutablePointer<FunctionInfo>, UnsafeMutableRawPointer)? {
        guard let instance = function.instance, let code = instance.module.code as? InterpreterModuleCode else {
            return nil
        }
        return (code.functions + Int(function.index), Unmanaged.passUnretained(instance).toOpaque())
    }

    /// Are calls traced? Then every wasm call is a nested `invoke`, which reports it.
    static func traced(_ r: Registers) -> Bool {
        instance(r.instance).store.engine.callTracer != nil
    }

    /// A call leaving the running instance: enters a wasm callee (pushing a
    /// frame), or runs a host function and continues at `returnPC`.
    static func call(
        _ raw: UInt64, args: UnsafeMutablePointer<UInt64>, returnPC: UnsafeMutablePointer<UInt64>, _ r: inout Registers,
        state: UnsafeMutablePointer<ThreadState>
    ) throws {
        let function = Function.fromRawReference(raw)!
        guard r.frame != r.framesEnd else { throw makeTrap(.callStackExhausted, r) }
        if !traced(r), let (callee, calleeInstance) = wasmTarget(function) {
            try InterpreterModuleCode.ensureTranslated(callee)
            guard callee.pointee.frameSize <= r.stackEnd - args else { throw makeTrap(.callStackExhausted, r) }
            r.frame.pointee = CallFrame(returnPC: returnPC, fp: r.fp, info: r.cur, instance: r.instance)
            r.frame += 1
            initFrame(args, callee)
            r.fp = args
            r.cur = callee
            r.pc = callee.pointee.code
            r.instance = calleeInstance
            loadInstance(&r)
        } else {
            try callHost(function, args: args, r, state: state)
            r.pc = returnPC
        }
    }

    /// A tail call leaving the running instance; arguments are in `fp[0...]`.
    static func tailCall(_ raw: UInt64, _ r: inout Registers, state: UnsafeMutablePointer<ThreadState>) throws {
        let function = Function.fromRawReference(raw)!
        if !traced(r), let (callee, calleeInstance) = wasmTarget(function) {
            try InterpreterModuleCode.ensureTranslated(callee)
            guard callee.pointee.frameSize <= r.stackEnd - r.fp else { throw makeTrap(.callStackExhausted, r) }
            initFrame(r.fp, callee)
            r.cur = callee
            r.pc = callee.pointee.code
            r.instance = calleeInstance
            loadInstance(&r)
        } else {
            try callHost(function, args: r.fp, r, state: state)
            r.pc = returnStub
        }
    }

    /// Calls a host function (or a function of another engine) with boxed
    /// values from `args`, writing its results back there. Re-entrant: a
    /// nested invoke starts above the running frame.
    static func callHost(
        _ function: Function, args: UnsafeMutablePointer<UInt64>, _ r: Registers, state: UnsafeMutablePointer<ThreadState>
    ) throws {
        let type = function.type
        let arguments = RawValue.decode(args, as: type.params)
        let savedTop = state.pointee.top, savedFrameTop = state.pointee.frameTop
        state.pointee.top = max(r.fp + r.cur.pointee.frameSize, args + RawValue.slotCount(type.params))
        state.pointee.frameTop = r.frame
        defer {
            state.pointee.top = savedTop
            state.pointee.frameTop = savedFrameTop
        }
        let results: [Value]
        switch function.kind {
        case .host:
            results = try function.callHost(caller: instance(r.instance), arguments)
        case .wasm:
            // Passed on as the engines pass errors through wasm frames (an exception stays
            // catchable by the handlers around this call).
            do { results = try function.call(arguments) } catch { throw error.underlying }
        }
        var at = 0
        for v in results { at += RawValue.store(v, to: args + at) }
    }

    // MARK: Traps

    /// Backtraces keep at most this many innermost frames.
    static let maxBacktraceFrames = 256

    /// A trap at `r.pc` in `r.cur`, with the backtrace of the saved frames.
    @inline(never)
    static func makeTrap(_ code: TrapCode, _ r: Registers) -> Trap {
        var frames = [describe(r.cur, pc: r.pc)]
        var f = r.frame
        while f > r.frameBase && frames.count < maxBacktraceFrames {
            f -= 1
            frames.append(describe(f.pointee.info, pc: f.pointee.returnPC - 1))
        }
        return Trap(code, backtrace: frames)
    }

    static func describe(_ info: UnsafeMutablePointer<FunctionInfo>, pc: UnsafeMutablePointer<UInt64>) -> Trap.Frame {
        let owner = Unmanaged<InterpreterModuleCode>.fromOpaque(info.pointee.owner).takeUnretainedValue()
        let index = info.pointee.functionIndex
        let defined = Int(index) - owner.importedFunctionCount
        let position = pc - info.pointee.code
        var moduleOffset: UInt32?
        var functionOffset: UInt32?
        if defined >= 0 && defined < owner.module.codes.count && position >= 0,
            let offset = owner.wasmOffset(definedIndex: defined, codePosition: position)
        {
            moduleOffset = offset
            let bodyOffset = owner.module.codes[defined].bodyOffset
            functionOffset = offset >= bodyOffset ? offset - bodyOffset : nil
        }
        return Trap.Frame(
            functionIndex: index, functionName: owner.module.functionName(index), moduleOffset: moduleOffset,
            functionOffset: functionOffset)
    }
}
