import WasmCore
import WasmRuntime

// TEMPORARY: stands in for WasmInterpreter.InterpreterEngine until the `interp` branch
// merges; deleted in that merge.
final class InterpreterEngine: ExecutionEngine {
    final class Code: EngineModuleCode {}
    init() {}
    func prepare(_ module: WasmCore.Module) throws -> any EngineModuleCode { Code() }
    func invoke(_ function: Function, arguments: [Value]) throws -> [Value] {
        throw CallError("the interpreter is not merged yet")
    }
}
