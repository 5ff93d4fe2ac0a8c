import WasmCore
import WasmOptimizer
import WasmRuntime

/// Compiles defined function `definedIndex` with the compiler `env.tier` asks for: the
/// optimizing tier when it accepts the function, else the baseline (the decline's reason is
/// recorded in `map`). Declines happen before any code is emitted, so `a` holds only the
/// compiler's code that ran.
func compileFunction(
    _ module: WasmCore.Module, env: ModuleEnv, definedIndex: Int, _ a: inout X64Assembler, entry: Label,
    map: inout CodeMap
) throws -> CompiledFunctionRecord {
    if env.tier == .optimized {
        do {
            var compiler = try OptimizingCompiler(module: module, env: env, definedIndex: definedIndex)
            try compiler.compile(&a, entry: entry)
            return compiler.record
        } catch let decline as IRDecline {
            map.declines[definedIndex] = decline.reason
            env.declineLog?.record(decline.reason)
        }
    }
    var compiler = try FunctionCompiler(module: module, env: env, definedIndex: definedIndex)
    try compiler.compile(&a, entry: entry)
    return compiler.record
}

extension JITModuleCode {
    /// The functions the optimizing tier declined so far (defined index → reason).
    public var optimizerDeclines: [Int: String] { lock.withLock { map.declines } }
    /// How many functions the optimizing tier compiled so far.
    public var optimizedFunctionCount: Int { lock.withLock { map.optimized.filter { $0 }.count } }
}

/// The reasons the optimizing tier gave for the functions it declined, over every module an
/// engine compiled (what the decline list in tests/optimizer-declines.txt is checked against).
final class DeclineLog: @unchecked Sendable {
    private let lock = Mutex()
    private var counts: [String: Int] = [:]

    func record(_ reason: String) { lock.withLock { counts[reason, default: 0] += 1 } }

    /// How many functions were declined for each reason.
    var reasons: [String: Int] { lock.withLock { counts } }
}

extension JITEngine {
    /// Why the optimizing tier declined functions of the modules this engine compiled
    /// (reason → number of functions); empty on the baseline tier.
    public var optimizerDeclines: [String: Int] { declineLog.reasons }
}
