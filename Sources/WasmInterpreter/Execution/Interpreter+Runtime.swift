import WasmCore
import WasmRuntime

/// The dispatch loop's slow paths: everything that touches Swift objects
/// (instances, host closures, segments) or builds a trap. Kept out of line so
/// the loop itself stays free of reference counting.
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

    /// The hot pointers of an instance.
    @inline(never)
    static func instanceState(_ instance: UnsafeMutableRawPointer) -> (
        UnsafeMutablePointer<VMInstanceContext>, UnsafeMutableRawPointer, UnsafeMutablePointer<VMMemoryDefinition>
    ) {
        let ctx = Unmanaged<Instance>.fromOpaque(instance).takeUnretainedValue().context
        let mem = ctx.pointee.memory0 ?? noMemory
        return (ctx, mem.pointee.base, mem)
    }

    /// Type id, owning instance and function index of a funcref, without reference counting.
    @inline(__always)
    static func functionFields(_ raw: UInt64) -> (typeID: Int32, instance: UnsafeMutableRawPointer?, index: UInt32) {
        // A funcref is the address of the function's VMFuncRef record.
        let record = UnsafePointer<VMFuncRef>(bitPattern: UInt(truncatingIfNeeded: raw)).unsafelyUnwrapped
        return record.pointee.function.unsafelyUnwrapped._withUnsafeGuaranteedRef { fn in
            (fn.typeID, unsafeBitCast(fn.instance, to: UnsafeMutableRawPointer?.self), fn.index)
        }
    }

    /// Where a call that left the current instance continues.
    struct ExternalCall {
        /// The wasm function to enter (its instance in `instance`), or nil when
        /// a host function already ran and wrote its results.
        var callee: UnsafeMutablePointer<FunctionInfo>?
        var instance: UnsafeMutableRawPointer
    }

    /// Calls a function that is not a wasm function of the calling instance:
    /// runs a host function with arguments from `args` (results written back
    /// there), or resolves a wasm function of another instance for the loop to enter.
    @inline(never)
    static func callExternal(
        _ raw: UInt64, args: UnsafeMutablePointer<UInt64>, caller: UnsafeMutableRawPointer,
        state: UnsafeMutablePointer<ThreadState>, top: UnsafeMutablePointer<UInt64>, frameTop: UnsafeMutablePointer<CallFrame>
    ) throws -> ExternalCall {
        let function = Function.fromRawReference(raw)!
        if let instance = function.instance, let code = instance.module.code as? InterpreterModuleCode {
            return ExternalCall(
                callee: code.functions + Int(function.index),
                instance: Unmanaged.passUnretained(instance).toOpaque())
        }
        // A host function (or a function run by another engine): call it with boxed values.
        let type = function.type
        var arguments: [Value] = []
        arguments.reserveCapacity(type.params.count)
        for (i, t) in type.params.enumerated() { arguments.append(RawValue.decode(args[i], as: t)) }
        let savedTop = state.pointee.top, savedFrameTop = state.pointee.frameTop
        state.pointee.top = top
        state.pointee.frameTop = frameTop
        defer {
            state.pointee.top = savedTop
            state.pointee.frameTop = savedFrameTop
        }
        let results: [Value]
        switch function.kind {
        case .host(let body):
            let callerInstance = Unmanaged<Instance>.fromOpaque(caller).takeUnretainedValue()
            results = try body(Caller(instance: callerInstance), arguments)
        case .wasm:
            results = try function.call(arguments)
        }
        guard results.count == type.results.count, zip(results, type.results).allSatisfy({ $0.type == $1 }) else {
            throw CallError(
                "host function returned (\(results.map(\.type.description).joined(separator: " "))), expected (\(type.results.map(\.description).joined(separator: " ")))"
            )
        }
        for (i, v) in results.enumerated() { args[i] = RawValue.encode(v) }
        return ExternalCall(callee: nil, instance: caller)
    }

    // MARK: Memory and table slow paths

    static func instance(_ p: UnsafeMutableRawPointer) -> Instance {
        Unmanaged<Instance>.fromOpaque(p).takeUnretainedValue()
    }

    @inline(never)
    static func memoryGrow(_ inst: UnsafeMutableRawPointer, delta: UInt32) -> UInt64 {
        let r = instance(inst).memories[0].grow(by: UInt64(delta))
        return r < 0 ? UInt64(UInt32.max) : UInt64(r)
    }

    /// memory.init; false when out of bounds.
    @inline(never)
    static func memoryInit(_ inst: UnsafeMutableRawPointer, segment: Int, d: UInt32, s: UInt32, n: UInt32) -> Bool {
        let instance = instance(inst)
        let memory = instance.memories[0]
        return instance.dataSegments[segment].withUnsafeBytes { bytes in
            guard UInt64(s) + UInt64(n) <= UInt64(bytes.count), UInt64(d) + UInt64(n) <= UInt64(memory.byteCount) else {
                return false
            }
            if n > 0 { (memory.base + Int(d)).copyMemory(from: bytes.baseAddress! + Int(s), byteCount: Int(n)) }
            return true
        }
    }

    @inline(never)
    static func dataDrop(_ inst: UnsafeMutableRawPointer, segment: Int) {
        instance(inst).dataSegments[segment] = []
    }

    @inline(never)
    static func tableGrow(_ inst: UnsafeMutableRawPointer, table: Int, delta: UInt32, fill: UInt64) -> UInt64 {
        let r = instance(inst).tables[table].grow(by: UInt64(delta), fill: fill)
        return r < 0 ? UInt64(UInt32.max) : UInt64(r)
    }

    /// table.init; false when out of bounds.
    @inline(never)
    static func tableInit(_ inst: UnsafeMutableRawPointer, table: Int, segment: Int, d: UInt32, s: UInt32, n: UInt32) -> Bool {
        let instance = instance(inst)
        let t = instance.tables[table]
        let items = instance.elementSegments[segment]
        guard UInt64(s) + UInt64(n) <= UInt64(items.count), UInt64(d) + UInt64(n) <= UInt64(t.count) else { return false }
        for k in 0..<Int(n) { t.setRaw(items[Int(s) + k], at: Int(d) + k) }
        return true
    }

    @inline(never)
    static func elemDrop(_ inst: UnsafeMutableRawPointer, segment: Int) {
        instance(inst).elementSegments[segment] = []
    }

    // MARK: Traps

    /// Backtraces keep at most this many innermost frames.
    static let maxBacktraceFrames = 256

    /// Builds a trap whose backtrace starts at `pc` in `cur` and walks the saved frames.
    @inline(never)
    static func makeTrap(
        _ code: TrapCode, pc: UnsafeMutablePointer<UInt64>, cur: UnsafeMutablePointer<FunctionInfo>,
        frame: UnsafeMutablePointer<CallFrame>, frameBase: UnsafeMutablePointer<CallFrame>
    ) -> Trap {
        var frames = [describe(cur, pc: pc)]
        var f = frame
        while f > frameBase && frames.count < maxBacktraceFrames {
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
        if defined >= 0 && defined < owner.sourceMaps.count && position >= 0,
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
