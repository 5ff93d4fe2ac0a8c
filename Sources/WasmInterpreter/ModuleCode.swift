import WasmCore
import WasmRuntime

/// Everything the dispatch loop needs to enter a function, at a stable
/// address (the translator embeds these addresses in `call` instructions).
/// One per function index of a module; entries of imported functions only
/// carry their index.
struct FunctionInfo {
    /// First instruction.
    var code: UnsafeMutablePointer<UInt64>
    /// Slots the frame needs: params, locals, constants, operand stack, scratch.
    var frameSize: Int
    var paramCount: Int
    var resultCount: Int
    /// Slots after the params initialised on entry from `initTemplate`:
    /// the declared locals (zeros) followed by the function's constants.
    var initCount: Int
    var initTemplate: UnsafeMutablePointer<UInt64>
    /// Index in the module's function index space.
    var functionIndex: UInt32
    /// The function table of the module this function belongs to (indexed by function index).
    var moduleFunctions: UnsafeMutablePointer<FunctionInfo>
    /// The owning `InterpreterModuleCode` (unretained; it outlives every frame).
    var owner: UnsafeRawPointer
}

/// The interpreter's translation of one module: register code for each
/// defined function plus the side tables that map code positions back to
/// wasm byte offsets for trap backtraces. Immutable after `prepare`;
/// shared by every instance of the module.
final class InterpreterModuleCode: EngineModuleCode, @unchecked Sendable {
    let module: WasmCore.Module
    let importedFunctionCount: Int
    /// `FunctionInfo` for every function index (imports first).
    let functions: UnsafeMutablePointer<FunctionInfo>
    let functionCount: Int
    /// Per defined function: sorted (code offset, module byte offset) pairs.
    var sourceMaps: [[(code: UInt32, wasm: UInt32)]] = []
    /// Allocations to free with the module.
    private var allocations: [UnsafeMutablePointer<UInt64>] = []

    init(module: WasmCore.Module) {
        self.module = module
        importedFunctionCount = module.importedFunctionTypes.count
        functionCount = importedFunctionCount + module.functions.count
        functions = .allocate(capacity: max(functionCount, 1))
    }

    deinit {
        functions.deallocate()
        for a in allocations { a.deallocate() }
    }

    /// Copies `words` into a stable allocation owned by this module.
    func store(_ words: [UInt64]) -> UnsafeMutablePointer<UInt64> {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: max(words.count, 1))
        p.initialize(repeating: 0, count: max(words.count, 1))
        if !words.isEmpty { p.update(from: words, count: words.count) }
        allocations.append(p)
        return p
    }

    /// The module byte offset of the wasm instruction that the code at
    /// `position` (words from the function's start) was translated from.
    func wasmOffset(definedIndex: Int, codePosition: Int) -> UInt32? {
        let map = sourceMaps[definedIndex]
        var lo = 0, hi = map.count
        // Last entry with code <= position.
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(map[mid].code) <= codePosition { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : map[lo - 1].wasm
    }
}
