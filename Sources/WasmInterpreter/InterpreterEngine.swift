import WasmCore
import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The register-based interpreter tier. `prepare` sets a validated module up
/// for translation into register code, function by function on first call
/// (`CompileMode.lazy`) or all at once (`.eager`); `invoke` runs a function on
/// the calling thread's execution stack. Thread-safe: translation is serialised
/// per module (`InterpreterModuleCode`) and execution state is per thread.
public final class InterpreterEngine: ExecutionEngine {
    /// Told about every call when set. Its modules are translated so that every wasm call
    /// goes through `invoke` (a nested run per call: slower, and the call depth is then
    /// limited by `ThreadState.maxNesting`).
    let callTracer: (any CallTracer)?
    /// When functions are translated.
    public let compileMode: CompileMode
    /// Translated code checks the epoch against its store's deadline (`Engine.epochInterruption`).
    public let interruptible: Bool
    /// Translated code consumes its store's fuel (`Engine.consumesFuel`).
    public let consumesFuel: Bool

    public init(
        callTracer: (any CallTracer)? = nil, compileMode: CompileMode = .lazy, interruptible: Bool = false,
        consumesFuel: Bool = false
    ) {
        self.consumesFuel = consumesFuel
        self.callTracer = callTracer
        self.compileMode = compileMode
        self.interruptible = interruptible
    }

    public func prepare(_ module: WasmCore.Module) throws -> any EngineModuleCode {
        let code = InterpreterModuleCode(
            module: module, traced: callTracer != nil, interruptible: interruptible, consumesFuel: consumesFuel)
        let owner = UnsafeRawPointer(Unmanaged.passUnretained(code).toOpaque())
        let importCount = code.importedFunctionCount
        // Entries first, so that calls can embed their callees' addresses.
        for index in 0..<code.functionCount {
            let type = module.types[Int(code.functionTypes[index])]
            let defined = index >= importCount
            (code.functions + index).initialize(
                to: FunctionInfo(
                    code: defined ? Interpreter.lazyEntry : Interpreter.returnStub,
                    frameSize: defined ? InterpreterModuleCode.untranslatedFrameSize : 0,
                    paramCount: RawValue.slotCount(type.params), resultCount: RawValue.slotCount(type.results),
                    initCount: 0, initTemplate: Interpreter.returnStub, functionIndex: UInt32(index),
                    moduleFunctions: code.functions, owner: owner))
        }
        // The frame limit, checked up front so that a lazy module is refused as an eager one
        // is: parameters, locals and the operand stack's height as validation counted it
        // (translation can only add constants and scratch slots; should those pass the limit,
        // the function's first call reports it).
        for (definedIndex, body) in module.codes.enumerated() {
            let index = importCount + definedIndex
            // (A v128 takes two slots: this count is at most half the slots then, and the
            // translator checks the rest.)
            let params = module.types[Int(code.functionTypes[index])].params.count
            let slots = params + body.localCount + Int(body.maxOperandHeight)
            if slots > FunctionTranslator.maxFrameSlots {
                throw FunctionTranslator.frameTooLarge(slots, functionIndex: UInt32(index))
            }
        }
        let listing = getenv("WASMOON_INTERP_LISTING") != nil
        if compileMode == .eager || listing {
            for index in importCount..<code.functionCount { try code.translate(index: index) }
        }
        if listing {
            let text = (importCount..<code.functionCount).map { code.listing(function: $0) }.joined()
            var bytes = Array(text.utf8)
            _ = write(2, &bytes, bytes.count)
        }
        return code
    }

    public func invoke(_ function: Function, arguments: [Value]) throws -> [Value] {
        guard case .wasm = function.kind, let instance = function.instance,
            let code = instance.module.code as? InterpreterModuleCode
        else {
            throw InterpreterError("function \(function.debugName) was not prepared by the interpreter")
        }
        let info = code.functions + Int(function.index)
        try InterpreterModuleCode.ensureTranslated(info)
        let state = try ThreadState.current()
        let base = state.pointee.top
        let frameBase = state.pointee.frameTop
        // A call from the host (not a nested one) under a stack budget: the value stack and the
        // frame records it may use end earlier; restored when it returns.
        if state.pointee.nesting == 0, let budget = function.store.engine.maxWasmStack {
            state.pointee.stackEnd = min(state.pointee.stackEnd, base + max(budget, 0) / MemoryLayout<UInt64>.stride)
            state.pointee.framesEnd = min(
                state.pointee.framesEnd, frameBase + max(budget / ThreadState.bytesPerFrame, 1))
        }
        defer {
            if state.pointee.nesting == 0 {
                state.pointee.stackEnd = state.pointee.stackBase + ThreadState.stackSlots
                state.pointee.framesEnd = state.pointee.framesBase + ThreadState.maxFrames
            }
        }
        guard state.pointee.nesting < ThreadState.maxNesting,
            info.pointee.frameSize <= state.pointee.stackEnd - base
        else {
            // The frame is the function that could not be entered, at its first
            // instruction (where the JIT's prologue check reports it too).
            let body = code.module.codes[Int(function.index) - code.importedFunctionCount]
            let first = body.codeOffset
            throw Trap(.callStackExhausted, backtrace: [
                Trap.Frame(functionIndex: function.index, functionName: code.module.functionName(function.index),
                           moduleOffset: first, functionOffset: first - body.bodyOffset)
            ])
        }
        var at = 0
        for a in arguments { at += RawValue.store(a, to: base + at) }
        Interpreter.initFrame(base, info)
        state.pointee.nesting += 1
        defer {
            state.pointee.nesting -= 1
            state.pointee.top = base
            state.pointee.frameTop = frameBase
        }
        if let tracer = callTracer {
            tracer.enter(function, arguments: Array(UnsafeBufferPointer(start: base, count: at)))
            do {
                try Interpreter.execute(
                    entry: info, entryFP: base, instance: Unmanaged.passUnretained(instance).toOpaque(), state: state)
            } catch let trap as Trap {
                tracer.trap(function, trap)
                throw trap
            }
            tracer.exit(function, results: Array(UnsafeBufferPointer(start: base, count: Int(info.pointee.resultCount))))
        } else {
            try Interpreter.execute(
                entry: info, entryFP: base, instance: Unmanaged.passUnretained(instance).toOpaque(), state: state)
        }
        return RawValue.decode(base, as: function.type.results)
    }
}
