#if canImport(Glibc)
import Glibc
#endif
import WasmCore
@_spi(Engine) import WasmRuntime

/// Runtime calls out of JIT code (C calling convention). The first argument
/// is the calling instance's `VMInstanceContext*`. Trapping helpers return 0
/// or a `TrapCode` raw value.
enum Helpers {
    @inline(__always)
    static func instance(_ ctx: UnsafeMutableRawPointer) -> Instance {
        let p = ctx.assumingMemoryBound(to: VMInstanceContext.self)
        return Unmanaged<Instance>.fromOpaque(p.pointee.instance!).takeUnretainedValue()
    }

    static func address<F>(_ f: F) -> UInt { unsafeBitCast(f, to: UInt.self) }


    typealias H1 = @convention(c) (UnsafeMutableRawPointer, UInt32) -> UInt64
    typealias HHost = @convention(c) (UnsafeRawPointer, UnsafeMutablePointer<UInt64>, UnsafeMutableRawPointer?,
                                      UnsafeMutableRawPointer) -> UInt32

    typealias HRound = @convention(c) (UnsafeMutableRawPointer, UInt64, UInt32) -> UInt64

    /// ceil/floor/trunc/nearest of f32 (kinds 0-3) or f64 (4-7) bits, for CPUs without
    /// SSE4.1: the interpreter's `FloatOps` (a NaN comes back quieted, as `roundss`/`roundsd`
    /// return it).
    static let round: UInt = address({ (_, bits, kind) in
        if kind < 4 {
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            let r: Float = switch kind & 3 {
            case 0: FloatOps.ceil(x)
            case 1: FloatOps.floor(x)
            case 2: FloatOps.trunc(x)
            default: FloatOps.nearest(x)
            }
            return UInt64(r.bitPattern)
        }
        let x = Double(bitPattern: bits)
        let r: Double = switch kind & 3 {
        case 0: FloatOps.ceil(x)
        case 1: FloatOps.floor(x)
        case 2: FloatOps.trunc(x)
        default: FloatOps.nearest(x)
        }
        return r.bitPattern
    } as HRound)

    typealias HSubtype = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, UInt32) -> UInt32

    /// `call_indirect` to a type that has declared subtypes, when the ids differ: 0 when the
    /// callee's type (its `VMFuncRef`) is a subtype of type id `expected`, else the trap.
    static let checkSubtype: UInt = address({ (_, funcRef, expected) in
        let actual = funcRef.assumingMemoryBound(to: VMFuncRef.self).pointee.typeID
        return TypeRegistry.shared.isSubtype(actual, of: Int32(bitPattern: expected))
            ? 0 : UInt32(TrapCode.indirectCallTypeMismatch.rawValue)
    } as HSubtype)

    /// Runs a bulk operation of `Memory`/`Table`: 0, or the trap's code.
    @inline(__always)
    static func trapping(_ body: () throws(Trap) -> Void) -> UInt32 {
        do throws(Trap) {
            try body()
            return 0
        } catch {
            return UInt32(error.code.rawValue)
        }
    }

    // Bulk memory and table operations: each takes its memory or table index and operands as
    // raw slots (a 32-bit memory's or table's operands are zero-extended by the caller).
    typealias HGrow = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt64, UInt64) -> UInt64
    typealias HFill = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt64, UInt64, UInt64) -> UInt32
    typealias HBulk = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt64, UInt64, UInt64) -> UInt32

    /// `memory.grow` (memory, delta, unused): the old size or -1 of the memory's address type.
    static let memoryGrow: UInt = address({ (ctx, memory, delta, _) in
        instance(ctx).memories[Int(memory)].growResult(by: delta)
    } as HGrow)

    /// `memory.init` (memory, segment, d, s, n).
    static let memoryInit: UInt = address({ (ctx, memory, segment, d, s, n) in
        let inst = instance(ctx)
        return trapping { () throws(Trap) in
            try inst.memories[Int(memory)].initialize(at: d, from: inst.dataSegments[Int(segment)], offset: s, count: n)
        }
    } as HBulk)

    /// `memory.copy` (destination memory, source memory, d, s, n).
    static let memoryCopy: UInt = address({ (ctx, dst, src, d, s, n) in
        let inst = instance(ctx)
        return trapping { () throws(Trap) in
            try inst.memories[Int(dst)].copy(to: d, from: s, count: n, in: inst.memories[Int(src)])
        }
    } as HBulk)

    /// `memory.fill` (memory, d, value, n).
    static let memoryFill: UInt = address({ (ctx, memory, d, value, n) in
        trapping { () throws(Trap) in
            try instance(ctx).memories[Int(memory)].fill(at: d, value: UInt8(truncatingIfNeeded: value), count: n)
        }
    } as HFill)

    /// `table.grow` (table, delta, fill value).
    static let tableGrow: UInt = address({ (ctx, t, delta, fill) in
        instance(ctx).tables[Int(t)].growResult(by: delta, fill: fill)
    } as HGrow)

    /// `table.fill` (table, i, value, n).
    static let tableFill: UInt = address({ (ctx, t, i, value, n) in
        trapping { () throws(Trap) in try instance(ctx).tables[Int(t)].fill(at: i, value: value, count: n) }
    } as HFill)

    /// `table.copy` (destination table, source table, d, s, n).
    static let tableCopy: UInt = address({ (ctx, dt, st, d, s, n) in
        let inst = instance(ctx)
        return trapping { () throws(Trap) in try inst.tables[Int(dt)].copy(to: d, from: s, count: n, in: inst.tables[Int(st)]) }
    } as HBulk)

    /// `table.init` (table, segment, d, s, n).
    static let tableInit: UInt = address({ (ctx, t, segment, d, s, n) in
        let inst = instance(ctx)
        return trapping { () throws(Trap) in
            try inst.tables[Int(t)].initialize(at: d, from: inst.elementSegments[Int(segment)], offset: s, count: n)
        }
    } as HBulk)

    static let dataDrop: UInt = address({ (ctx, seg) in
        instance(ctx).dataSegments[Int(seg)] = []
        return 0
    } as H1)

    static let elemDrop: UInt = address({ (ctx, seg) in
        instance(ctx).elementSegments[Int(seg)] = []
        return 0
    } as H1)

    /// Walks the rbp chain from the trap up to the entry trampoline's frame
    /// (entry rsp + 48) and stores the PCs in the thread state.
    static let captureBacktrace: UInt = address({ (thread: UnsafeMutableRawPointer) in
        let state = thread.assumingMemoryBound(to: JITThreadState.self)
        let out = state.pointee.backtrace
        out[0] = state.pointee.trapPC
        var n = 1
        var rbp = state.pointee.trapRBP
        let limit = state.pointee.entryRSP + 48
        while n < JITThreadState.maxBacktrace, rbp != 0, rbp < limit, rbp & 7 == 0 {
            let p = UnsafePointer<UInt>(bitPattern: rbp)!
            out[n] = p[1]
            n += 1
            rbp = p[0]
        }
        state.pointee.backtraceCount = n
    } as @convention(c) (UnsafeMutableRawPointer) -> Void)

    typealias HTrace = @convention(c) (UnsafeMutableRawPointer, UInt32, UnsafeMutablePointer<UInt64>,
                                       UnsafeMutableRawPointer) -> UInt32

    /// `--trace-calls`: function `index` of the calling instance is entered; its
    /// arguments are in its incoming area (`area[K-1-i]`, K = max(params, results)).
    /// Traced calls nest at most `TraceStack.maxDepth` deep ("call stack exhausted"
    /// beyond, as on the interpreter, whose traced calls are nested runs).
    static let traceEnter: UInt = address({ (ctx, index, area, thread) in
        let inst = instance(ctx)
        guard let tracer = inst.store.engine.callTracer else { return 0 }
        let stack = TraceStack.of(thread.assumingMemoryBound(to: JITThreadState.self))
        guard stack.functions.count < TraceStack.maxDepth else { return UInt32(TrapCode.callStackExhausted.rawValue) }
        let f = inst.functions[Int(index)]
        let k = max(RawValue.slotCount(f.type.params), RawValue.slotCount(f.type.results))
        let arguments = AreaLayout.tracerSlots(area: area, k: k, as: f.type.params)
        stack.functions.append(f)
        tracer.enter(f, arguments: arguments)
        return 0
    } as HTrace)

    /// `--trace-calls`: function `index` returns; its results are in its area.
    static let traceExit: UInt = address({ (ctx, index, area, thread) in
        let inst = instance(ctx)
        guard let tracer = inst.store.engine.callTracer else { return 0 }
        let f = inst.functions[Int(index)]
        let k = max(RawValue.slotCount(f.type.params), RawValue.slotCount(f.type.results))
        let results = AreaLayout.tracerSlots(area: area, k: k, as: f.type.results)
        _ = TraceStack.of(thread.assumingMemoryBound(to: JITThreadState.self)).functions.popLast()
        tracer.exit(f, results: results)
        return 0
    } as HTrace)

    /// Compiles a function on its first call (see JITModuleCode+Lazy.swift): returns
    /// its code address, or 0 after storing the error.
    static let compileOnFirstCall: UInt = address({ (code, index, thread) in
        let module = Unmanaged<JITModuleCode>.fromOpaque(code).takeUnretainedValue()
        do {
            return try module.compileOnFirstCall(definedIndex: Int(index))
        } catch {
            let state = thread.assumingMemoryBound(to: JITThreadState.self)
            state.pointee.pendingError = Unmanaged.passRetained(ErrorBox(error)).toOpaque()
            return 0
        }
    } as @convention(c) (UnsafeMutableRawPointer, UInt32, UnsafeMutableRawPointer) -> UInt)

    /// The tier-up stub (JITModuleCode+TierUp.swift): a function's counter reached zero.
    static let requestTierUp: UInt = address({ (code, index) in
        Unmanaged<JITModuleCode>.fromOpaque(code).takeUnretainedValue().requestTierUp(definedIndex: Int(index))
    } as @convention(c) (UnsafeMutableRawPointer, UInt32) -> Void)

    /// Calls a host function: `area` holds K = max(params, results) slots,
    /// param/result i at area[K-1-i]. Returns 1 after storing the thrown error, 2 when it
    /// is a wasm exception.
    static let hostCall: UInt = address({ (funcRef, area, callerCtx, thread) in
        let ref = funcRef.assumingMemoryBound(to: VMFuncRef.self)
        let function = ref.pointee.function!.takeUnretainedValue()
        let type = function.type
        let k = max(RawValue.slotCount(type.params), RawValue.slotCount(type.results))
        let args = AreaLayout.values(area: area, k: k, as: type.params)
        let caller = callerCtx.map { instance($0) }
        do {
            let results = try function.callHost(caller: caller, args)  // checked against `type`
            AreaLayout.store(results, area: area, k: k)
            return 0
        } catch {
            let state = thread.assumingMemoryBound(to: JITThreadState.self)
            state.pointee.pendingError = Unmanaged.passRetained(ErrorBox(error)).toOpaque()
            return error is WasmException ? 2 : 1  // 2: the host stub unwinds it into wasm
        }
    } as HHost)
}
