#if canImport(Glibc)
import Glibc
#endif
import WasmCore
import WasmRuntime

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

    static let oobMemory = UInt32(TrapCode.outOfBoundsMemoryAccess.rawValue)
    static let oobTable = UInt32(TrapCode.outOfBoundsTableAccess.rawValue)

    typealias H1 = @convention(c) (UnsafeMutableRawPointer, UInt32) -> UInt64
    typealias H3 = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt32) -> UInt32
    typealias H4 = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt32, UInt32) -> UInt32
    typealias H5 = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt32, UInt32, UInt32) -> UInt32
    typealias HGrow = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt64) -> UInt64
    typealias HFill = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt64, UInt32) -> UInt32
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

    static let memoryGrow: UInt = address({ (ctx, delta) in
        let r = instance(ctx).memories[0].grow(by: UInt64(delta))
        return r < 0 ? UInt64(UInt32.max) : UInt64(r)
    } as H1)

    static let memoryInit: UInt = address({ (ctx, seg, d, s, n) in
        let inst = instance(ctx)
        let memory = inst.memories[0]
        return inst.dataSegments[Int(seg)].withUnsafeBytes { bytes in
            guard UInt64(s) + UInt64(n) <= UInt64(bytes.count), UInt64(d) + UInt64(n) <= UInt64(memory.byteCount) else {
                return oobMemory
            }
            if n > 0 { (memory.base + Int(d)).copyMemory(from: bytes.baseAddress! + Int(s), byteCount: Int(n)) }
            return 0
        }
    } as H4)

    typealias HSubtype = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, UInt32) -> UInt32

    /// `call_indirect` to a type that has declared subtypes, when the ids differ: 0 when the
    /// callee's type (its `VMFuncRef`) is a subtype of type id `expected`, else the trap.
    static let checkSubtype: UInt = address({ (_, funcRef, expected) in
        let actual = funcRef.assumingMemoryBound(to: VMFuncRef.self).pointee.typeID
        return TypeRegistry.shared.isSubtype(actual, of: Int32(bitPattern: expected))
            ? 0 : UInt32(TrapCode.indirectCallTypeMismatch.rawValue)
    } as HSubtype)

    static let dataDrop: UInt = address({ (ctx, seg) in
        instance(ctx).dataSegments[Int(seg)] = []
        return 0
    } as H1)

    static let memoryCopy: UInt = address({ (ctx, d, s, n) in
        let memory = instance(ctx).memories[0]
        let size = UInt64(memory.byteCount)
        guard UInt64(s) + UInt64(n) <= size, UInt64(d) + UInt64(n) <= size else { return oobMemory }
        if n > 0 { (memory.base + Int(d)).copyMemory(from: memory.base + Int(s), byteCount: Int(n)) }
        return 0
    } as H3)

    static let memoryFill: UInt = address({ (ctx, d, v, n) in
        let memory = instance(ctx).memories[0]
        guard UInt64(d) + UInt64(n) <= UInt64(memory.byteCount) else { return oobMemory }
        if n > 0 { (memory.base + Int(d)).initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: v), count: Int(n)) }
        return 0
    } as H3)

    static let tableGrow: UInt = address({ (ctx, t, delta, fill) in
        let r = instance(ctx).tables[Int(t)].grow(by: UInt64(delta), fill: fill)
        return r < 0 ? UInt64(UInt32.max) : UInt64(r)
    } as HGrow)

    static let tableFill: UInt = address({ (ctx, t, i, v, n) in
        let table = instance(ctx).tables[Int(t)]
        guard UInt64(i) + UInt64(n) <= UInt64(table.count) else { return oobTable }
        for k in 0..<Int(n) { table.setRaw(v, at: Int(i) + k) }
        return 0
    } as HFill)

    static let tableCopy: UInt = address({ (ctx, dt, st, d, s, n) in
        let inst = instance(ctx)
        let dst = inst.tables[Int(dt)], src = inst.tables[Int(st)]
        guard UInt64(s) + UInt64(n) <= UInt64(src.count), UInt64(d) + UInt64(n) <= UInt64(dst.count) else {
            return oobTable
        }
        if n == 0 { return 0 }
        let from = src.definition.pointee.elements + Int(s), to = dst.definition.pointee.elements + Int(d)
        memmove(to, from, Int(n) * 8)
        return 0
    } as H5)

    static let tableInit: UInt = address({ (ctx, t, seg, d, s, n) in
        let inst = instance(ctx)
        let table = inst.tables[Int(t)]
        let items = inst.elementSegments[Int(seg)]
        guard UInt64(s) + UInt64(n) <= UInt64(items.count), UInt64(d) + UInt64(n) <= UInt64(table.count) else {
            return oobTable
        }
        for k in 0..<Int(n) { table.setRaw(items[Int(s) + k], at: Int(d) + k) }
        return 0
    } as H5)

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
