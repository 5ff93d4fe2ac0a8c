import CWasmoon
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
/// wasm byte offsets for trap backtraces. Shared by every instance of the module.
///
/// Functions are translated on their first call (`CompileMode.lazy`) or all in
/// `prepare` (`.eager`). An untranslated function's `FunctionInfo` has
/// `frameSize == untranslatedFrameSize`, so large that the call instructions'
/// stack check fails: their cold path (`Interpreter.callStackExhausted`) names the
/// callee, the driver translates it and runs the call again. Its `code` is
/// `Interpreter.lazyEntry`, which sends any other way in (a race with another
/// thread's translation) to the driver too. Translation runs under `lock`; it
/// stores `frameSize` last, with release order, so a reader that sees the real
/// frame size also sees the code and the frame template.
final class InterpreterModuleCode: EngineModuleCode, @unchecked Sendable {
    let module: WasmCore.Module
    let importedFunctionCount: Int
    /// `FunctionInfo` for every function index (imports first).
    let functions: UnsafeMutablePointer<FunctionInfo>
    let functionCount: Int
    /// Type index of every function (imports first).
    let functionTypes: [UInt32]
    /// Calls are translated for the call tracer (see `FunctionTranslator.traced`).
    let traced: Bool
    /// Functions check the epoch at entries and loop headers (`Engine.epochInterruption`).
    let interruptible: Bool
    /// Functions consume their store's fuel (`Engine.consumesFuel`).
    let consumesFuel: Bool
    /// Guards translation, `sourceMaps` and `allocations`.
    let lock = Mutex()
    /// Per defined function: sorted (code offset, module byte offset) pairs (empty until translated).
    private var sourceMaps: [[(code: UInt32, wasm: UInt32)]]
    /// Per defined function: its `try_table`s, inner ones first (empty until translated).
    private var tryRegions: [[TryRegion]]
    /// The function type of each tag (imports first).
    let tagTypes: [FuncType]
    /// Allocations to free with the module.
    private var allocations: [UnsafeMutablePointer<UInt64>] = []
    /// The type of every global (imports first): the translator moves a v128 global as two slots.
    let globalTypes: [ValueType]
    /// For the translator's typing of SIMD bodies (built on first use, under `lock`).
    private var validationContext: ValidationContext?

    /// The frame size of a function not translated yet: more slots than any stack has
    /// (2^40 words; added to a frame pointer it stays far below 2^64).
    static let untranslatedFrameSize = 1 << 40

    init(module: WasmCore.Module, traced: Bool, interruptible: Bool = false, consumesFuel: Bool = false) {
        self.interruptible = interruptible
        self.consumesFuel = consumesFuel
        self.module = module
        self.traced = traced
        importedFunctionCount = module.importedFunctionTypes.count
        functionCount = importedFunctionCount + module.functions.count
        functionTypes = module.allFunctionTypeIndices
        functions = .allocate(capacity: max(functionCount, 1))
        sourceMaps = Array(repeating: [], count: module.codes.count)
        tryRegions = Array(repeating: [], count: module.codes.count)
        tagTypes = module.allTags.map { module.types[Int($0)] }
        globalTypes = module.allGlobals.map(\.valueType)
    }

    deinit {
        functions.deallocate()
        for a in allocations { a.deallocate() }
    }

    /// Copies `words` into a stable allocation owned by this module (call under `lock`).
    private func store(_ words: [UInt64]) -> UnsafeMutablePointer<UInt64> {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: max(words.count, 1))
        p.initialize(repeating: 0, count: max(words.count, 1))
        if !words.isEmpty { p.update(from: words, count: words.count) }
        allocations.append(p)
        return p
    }

    /// Has this function (of any module) been translated? Imports count as translated.
    static func isTranslated(_ info: UnsafeMutablePointer<FunctionInfo>) -> Bool {
        frameSize(info) != untranslatedFrameSize
    }

    /// The function's frame size, loaded with acquire order (for code outside the loop).
    static func frameSize(_ info: UnsafeMutablePointer<FunctionInfo>) -> Int {
        let raw = UnsafeMutableRawPointer(info) + MemoryLayout<FunctionInfo>.offset(of: \.frameSize)!
        return Int(wasmoon_load_acquire(raw.assumingMemoryBound(to: Int64.self)))
    }

    /// Translates `info`'s function unless it is already (`info` belongs to any module).
    static func ensureTranslated(_ info: UnsafeMutablePointer<FunctionInfo>) throws {
        if isTranslated(info) { return }
        let owner = Unmanaged<InterpreterModuleCode>.fromOpaque(info.pointee.owner).takeUnretainedValue()
        try owner.translate(index: Int(info.pointee.functionIndex))
    }

    /// Translates defined function `index` (function index space) if no thread has yet.
    func translate(index: Int) throws {
        try lock.withLock {
            let info = functions + index
            if Self.isTranslated(info) { return }
            let definedIndex = index - importedFunctionCount
            let body = module.codes[definedIndex]
            let decoded = try body.decoded()
            let type = module.types[Int(functionTypes[index])]
            var typing: FunctionValidator?
            if module.usesSIMD {
                if validationContext == nil { validationContext = ValidationContext(module: module) }
                typing = FunctionValidator(context: validationContext!)
                try typing!.reset(functionIndex: UInt32(index), localDeclarations: body.localDeclarations)
            }
            var translator = FunctionTranslator(
                body: body, decoded: decoded, type: type, functionIndex: UInt32(index), types: module.types,
                functionTypes: functionTypes, importCount: importedFunctionCount, functionInfos: functions,
                globalTypes: globalTypes, typing: typing, traced: traced, tagTypes: tagTypes,
                memory64: module.allMemories.map(\.is64), table64: module.allTables.map { $0.addressType == .i64 },
                interruptible: interruptible, consumesFuel: consumesFuel)
            let (words, frameSize) = try translator.translate(decoded)
            let localSlots = translator.localsEnd - translator.paramCount
            let template = [UInt64](repeating: 0, count: localSlots) + translator.constValues
            sourceMaps[definedIndex] = translator.sourceMap.withUnsafeBufferPointer { Array($0) }  // exactly its size
            tryRegions[definedIndex] = translator.handlerRegions.regions
            info.pointee.initTemplate = store(template)
            info.pointee.initCount = template.count
            info.pointee.code = store(words)
            let raw = UnsafeMutableRawPointer(info) + MemoryLayout<FunctionInfo>.offset(of: \.frameSize)!
            wasmoon_store_release(raw.assumingMemoryBound(to: Int64.self), Int64(frameSize))
        }
    }

    /// The catch clause of defined function `definedIndex` that takes `exception` thrown at code
    /// `position` (the throwing instruction, or the call it came out of): the innermost
    /// `try_table` around it, its first clause that matches. `tags` are the instance's tags.
    func handler(definedIndex: Int, at position: Int, for exception: Exception, tags: [Tag]) -> CatchStub? {
        let regions = lock.withLock { definedIndex < tryRegions.count ? tryRegions[definedIndex] : [] }
        return findHandler(in: regions, at: position) { $0.clause.accepts(exception, tags: tags) }
    }

    /// The module byte offset of the wasm instruction that the code at
    /// `position` (words from the function's start) was translated from.
    func wasmOffset(definedIndex: Int, codePosition: Int) -> UInt32? {
        let map = lock.withLock { definedIndex < sourceMaps.count ? sourceMaps[definedIndex] : [] }
        var lo = 0, hi = map.count
        // Last entry with code <= position.
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(map[mid].code) <= codePosition { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : map[lo - 1].wasm
    }
}
