import WasmCore
import WasmRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The register-based interpreter tier. `prepare` translates every defined
/// function of a validated module into register code once; `invoke` runs a
/// function on the calling thread's execution stack. Stateless and thread-safe:
/// per-module code is immutable and execution state is per thread.
public final class InterpreterEngine: ExecutionEngine {
    /// Told about every call when set. Its modules are translated so that every wasm call
    /// goes through `invoke` (a nested run per call: slower, and the call depth is then
    /// limited by `ThreadState.maxNesting`).
    let callTracer: (any CallTracer)?

    public init(callTracer: (any CallTracer)? = nil) { self.callTracer = callTracer }

    public func prepare(_ module: WasmCore.Module) throws -> any EngineModuleCode {
        let code = InterpreterModuleCode(module: module)
        let functionTypes = module.allFunctionTypeIndices
        let owner = UnsafeRawPointer(Unmanaged.passUnretained(code).toOpaque())
        let importCount = code.importedFunctionCount
        let placeholder = Interpreter.returnStub
        // Entries first, so that calls can embed their callees' addresses.
        for index in 0..<code.functionCount {
            let type = module.types[Int(functionTypes[index])]
            (code.functions + index).initialize(
                to: FunctionInfo(
                    code: placeholder, frameSize: 0, paramCount: type.params.count, resultCount: type.results.count,
                    initCount: 0, initTemplate: placeholder, functionIndex: UInt32(index),
                    moduleFunctions: code.functions, owner: owner))
        }
        code.sourceMaps.reserveCapacity(module.codes.count)
        for (definedIndex, body) in module.codes.enumerated() {
            let index = importCount + definedIndex
            let type = module.types[Int(functionTypes[index])]
            let decoded = try body.decoded()
            var translator = FunctionTranslator(
                body: body, decoded: decoded, type: type, functionIndex: UInt32(index), types: module.types,
                functionTypes: functionTypes, importCount: importCount, functionInfos: code.functions,
                traced: callTracer != nil)
            let (words, frameSize) = try translator.translate(decoded)
            let template = [UInt64](repeating: 0, count: body.localCount) + translator.constValues
            let info = code.functions + index
            info.pointee.code = code.store(words)
            info.pointee.frameSize = frameSize
            info.pointee.initCount = template.count
            info.pointee.initTemplate = code.store(template)
            code.sourceMaps.append(translator.sourceMap.withUnsafeBufferPointer { Array($0) })  // exactly its size
        }
        if getenv("WASMOON_INTERP_LISTING") != nil {
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
        let state = try ThreadState.current()
        let base = state.pointee.top
        let frameBase = state.pointee.frameTop
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
        for (i, a) in arguments.enumerated() { base[i] = RawValue.encode(a) }
        Interpreter.initFrame(base, info)
        state.pointee.nesting += 1
        defer {
            state.pointee.nesting -= 1
            state.pointee.top = base
            state.pointee.frameTop = frameBase
        }
        if let tracer = callTracer {
            tracer.enter(function, arguments: Array(UnsafeBufferPointer(start: base, count: arguments.count)))
            do {
                try Interpreter.execute(
                    entry: info, entryFP: base, instance: Unmanaged.passUnretained(instance).toOpaque(), state: state)
            } catch let trap as Trap {
                tracer.trap(function, trap)
                throw trap
            }
            tracer.exit(function, results: Array(UnsafeBufferPointer(start: base, count: function.type.results.count)))
        } else {
            try Interpreter.execute(
                entry: info, entryFP: base, instance: Unmanaged.passUnretained(instance).toOpaque(), state: state)
        }
        return function.type.results.enumerated().map { RawValue.decode(base[$0.offset], as: $0.element) }
    }
}
