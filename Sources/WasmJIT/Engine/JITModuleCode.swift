#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWasmoon
import WasmCore
import WasmRuntime

/// What the code map keeps of one compiled function, whichever tier compiled it. Code
/// offsets are relative to the compiler's assembler offset 0.
struct CompiledFunctionRecord {
    /// Ascending (code offset, module offset of the wasm instruction whose code starts there).
    var sourceMap: [(Int, UInt32)]
    /// (return address of an explicit trap site's call, module offset of its instruction).
    var trapReturns: [(Int, UInt32)]
    /// Optimized code with inlined calls: per `sourceMap` entry, then per `trapReturns` entry,
    /// the `inlinedCalls` index of the call its instruction was inlined from (-1: none).
    /// Empty when nothing was inlined.
    var sourceInlined: [Int32] = []
    var trapInlined: [Int32] = []
    /// The calls inlined: the callee, and the module offset of the call instruction.
    var inlinedCalls: [InlinedCall] = []
    /// How many of rbx, r12, r11, r10 (in that order) the prologue saved at [rbp-24] down.
    var savedRegisterCount: Int
    /// Catch handlers (functions with `try_table` or legacy `try` blocks).
    var handlerTable: HandlerTable?
    /// Compiled by the optimizing tier.
    var optimized = false
    /// The optimizing tier's time per phase (zero for the baseline).
    var phases = OptimizerPhaseTimes()
}

/// A call whose callee's code was inlined into the caller's (optimizing tier).
struct InlinedCall {
    /// The callee's function index.
    var callee: UInt32
    /// The module offset of the call instruction in the caller.
    var callSite: UInt32
}

/// Where each compiled function's code lies, and what maps its code back to wasm
/// instructions (backtraces). Entries are added in ascending code order: all at once
/// (eager) or one per compile (lazy; code is bump-allocated, so still ascending).
struct CodeMap {
    /// Per compiled function: its code range (offsets from the code base) and defined index.
    var starts: [Int] = []
    var ends: [Int] = []
    var definedIndices: [Int] = []
    /// Per compiled function, ascending code offsets and the module offset of the wasm
    /// instruction whose code starts there; an instruction that emitted no code shares
    /// its offset with the next one and is left out.
    var codeOffsets: [[UInt32]] = []
    var wasmOffsets: [[UInt32]] = []
    /// Compile time of each function, in seconds.
    var seconds: [Double] = []
    /// Return address (code offset) of each explicit trap site -> module offset.
    var trapSites: [Int: UInt32] = [:]
    /// Trap sites in inlined code -> the call they were inlined from.
    var trapSitesInlined: [Int: InlinedCall] = [:]
    /// Per compiled function: for each `codeOffsets` entry, the call its code was inlined
    /// from (-1: none); empty for functions without inlined code.
    var inlinedAt: [[Int32]] = []
    var inlinedCalls: [[InlinedCall]] = []
    /// Per compiled function: how many pinned registers its prologue saved (the unwinder
    /// restores them, see ExceptionUnwinder.swift).
    var pinnedCounts: [UInt8] = []
    /// The catch handlers of the compiled functions that have `try_table` blocks, by entry.
    var handlerTables: [Int: HandlerTable] = [:]
    /// Per compiled function: whether the optimizing tier compiled it.
    var optimized: [Bool] = []
    /// The optimizing tier's time per phase, summed over the functions it compiled.
    var optimizerPhases = OptimizerPhaseTimes()
    /// The functions the optimizing tier declined (defined index → reason).
    var declines: [Int: String] = [:]
    /// Tiered: when each entry's optimized code was published, in seconds after the module
    /// was prepared (by entry).
    var optimizedAt: [Int: Double] = [:]

    /// Records a compiled function. `origin` is the code offset of the compiler's
    /// assembler offset 0 (the offsets in `record` are relative to it).
    mutating func add(_ record: CompiledFunctionRecord, definedIndex: Int, start: Int, end: Int, origin: Int,
                      seconds time: Double) {
        starts.append(start)
        ends.append(end)
        definedIndices.append(definedIndex)
        // The lookup takes the last entry at or before a PC, so of the entries sharing a
        // code offset only the last matters.
        var code: [UInt32] = [], wasm: [UInt32] = [], inlined: [Int32] = []
        code.reserveCapacity(record.sourceMap.count)
        wasm.reserveCapacity(record.sourceMap.count)
        let hasInlined = !record.sourceInlined.isEmpty
        for (n, (at, moduleOffset)) in record.sourceMap.enumerated() {
            let offset = UInt32(origin + at)
            if code.last == offset {
                wasm[wasm.count - 1] = moduleOffset
                if hasInlined { inlined[inlined.count - 1] = record.sourceInlined[n] }
            } else {
                code.append(offset)
                wasm.append(moduleOffset)
                if hasInlined { inlined.append(record.sourceInlined[n]) }
            }
        }
        codeOffsets.append(code.withUnsafeBufferPointer { Array($0) })  // a copy of exactly its size
        wasmOffsets.append(wasm.withUnsafeBufferPointer { Array($0) })
        inlinedAt.append(inlined)
        inlinedCalls.append(record.inlinedCalls)
        for (n, (ret, moduleOffset)) in record.trapReturns.enumerated() {
            trapSites[origin + ret] = moduleOffset
            if n < record.trapInlined.count, record.trapInlined[n] >= 0 {
                trapSitesInlined[origin + ret] = record.inlinedCalls[Int(record.trapInlined[n])]
            }
        }
        pinnedCounts.append(UInt8(record.savedRegisterCount))
        if let table = record.handlerTable { handlerTables[starts.count - 1] = table.shifted(by: origin) }
        seconds.append(time)
        optimized.append(record.optimized)
        optimizerPhases.add(record.phases)
    }

    /// The entry whose code contains `offset`.
    func entry(containing offset: Int) -> Int? {
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] <= offset { lo = mid + 1 } else { hi = mid }
        }
        let i = lo - 1
        guard i >= 0, offset < ends[i] else { return nil }
        return i
    }
}

/// Machine code of one module: trampolines, stubs and its defined functions, either
/// all compiled when the module is prepared (eager) or each on its first call (lazy,
/// see JITModuleCode+Lazy.swift).
public final class JITModuleCode: EngineModuleCode, @unchecked Sendable {
    let module: WasmCore.Module
    let importCount: Int
    /// The first code byte; trampolines and stubs start here.
    let codeBase: UnsafeRawPointer
    /// The bytes registered with the trap handler from `codeBase` (lazy: the whole space).
    let codeLimit: Int
    let entryOffset: Int
    let registration: Int32
    /// Eager: the module's code pages.
    let memory: ExecutableMemory?
    /// Lazy: the code space, and where the per-function stubs start in it.
    let space: CodeSpace?
    let stubsOffset: Int
    /// Lazy: where the module stubs a function's code calls are (trap tail, host calls).
    let trapTailOffset: Int
    let hostStubOffset: Int
    let resumeStubOffset: Int
    /// Tiered: the tier-up stub's offset; the functions asked to tier up; when the module was prepared.
    let tierUpStubOffset: Int
    var tierUpRequested = Set<Int>()
    let preparedAt = JITModuleCode.wallSeconds()
    /// What a lazy compile needs besides the module (the eager env's calls are unused).
    let lazyEnv: ModuleEnv?
    /// Guards `map` and `totalSeconds` (lazy compiles add to them) and serializes compiles.
    let lock = Mutex()
    var map: CodeMap
    var totalSeconds: Double

    init(eager memory: ExecutableMemory, module: WasmCore.Module, map: CodeMap, entryOffset: Int,
         trapStubOffset: Int, compileSeconds: Double) {
        self.module = module
        importCount = module.importedFunctionTypes.count
        self.memory = memory
        space = nil
        stubsOffset = 0
        trapTailOffset = 0
        hostStubOffset = 0
        resumeStubOffset = 0
        tierUpStubOffset = 0
        lazyEnv = nil
        codeBase = memory.base
        codeLimit = memory.codeSize
        if PerfMap.isEnabled {
            for (k, start) in map.starts.enumerated() {
                PerfMap.record(address: UInt(bitPattern: memory.base + start), size: map.ends[k] - start, module: module,
                               functionIndex: module.importedFunctionTypes.count + map.definedIndices[k])
            }
        }
        self.entryOffset = entryOffset
        self.map = map
        totalSeconds = compileSeconds
        let start = UInt(bitPattern: memory.base)
        registration = wasmoon_register_code(start, start + UInt(memory.codeSize), start + UInt(trapStubOffset))
        CodeRegistry.shared.add(self)
    }

    init(lazy space: CodeSpace, module: WasmCore.Module, env: ModuleEnv, entryOffset: Int, trapStubOffset: Int,
         trapTailOffset: Int, hostStubOffset: Int, resumeStubOffset: Int, stubsOffset: Int, tierUpStubOffset: Int = 0,
         compileSeconds: Double) {
        self.tierUpStubOffset = tierUpStubOffset
        self.trapTailOffset = trapTailOffset
        self.hostStubOffset = hostStubOffset
        self.resumeStubOffset = resumeStubOffset
        self.module = module
        importCount = module.importedFunctionTypes.count
        memory = nil
        self.space = space
        self.stubsOffset = stubsOffset
        lazyEnv = env
        codeBase = space.codeBase
        codeLimit = space.capacity
        self.entryOffset = entryOffset
        map = CodeMap()
        totalSeconds = compileSeconds
        let start = UInt(bitPattern: space.codeBase)
        registration = wasmoon_register_code(start, start + UInt(space.capacity), start + UInt(trapStubOffset))
        CodeRegistry.shared.add(self)
    }

    deinit {
        CodeRegistry.shared.remove(self)
        wasmoon_unregister_code(registration)
    }

    /// Compile time so far (eager: the whole module), in seconds.
    public var compileSeconds: Double { lock.withLock { totalSeconds } }
    /// Compile time of each compiled function, in the order they were compiled.
    public var perFunctionSeconds: [Double] { lock.withLock { map.seconds } }
    /// Bytes of code (lazy: trampolines, stubs and the functions compiled so far).
    public var codeSize: Int { memory?.codeSize ?? space.map { space in lock.withLock { space.used } } ?? 0 }
    /// The number of functions compiled so far.
    public var functionCount: Int { lock.withLock { map.starts.count } }

    /// A function's entry: its code (eager), or its stub, which jumps to its code once
    /// compiled and compiles it before that (lazy).
    public func entry(definedIndex: Int) -> UnsafeRawPointer? {
        if space != nil { return codeBase + stubsOffset + Self.stubSize * definedIndex }
        return codeBase + map.starts[definedIndex]
    }

    typealias EntryFn = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer, UnsafeMutablePointer<UInt64>,
                                        UnsafeMutableRawPointer, Int) -> Int32
    var entryFunction: EntryFn { unsafeBitCast(codeBase + entryOffset, to: EntryFn.self) }

    /// The code range of each defined function, by defined index (eager modules).
    var functionRanges: [Range<Int>] {
        lock.withLock {
            var ranges = [Range<Int>](repeating: 0..<0, count: module.codes.count)
            for (n, i) in map.definedIndices.enumerated() { ranges[i] = map.starts[n]..<map.ends[n] }
            return ranges
        }
    }

    /// The frames of a trap's PCs (innermost first), in whichever modules' code they are:
    /// a trap in a function called through an import shows its callers in other modules.
    static func backtrace(_ pcs: UnsafeBufferPointer<UInt>) -> [Trap.Frame] {
        var frames: [Trap.Frame] = []
        for (n, pc) in pcs.enumerated() {
            // The modules on this thread's stack are alive: their instances are in use.
            guard let code = CodeRegistry.shared.code(containing: pc) else { continue }
            frames += code.frames(pc: pc, innermost: n == 0)
        }
        return frames
    }

    /// The wasm frames of a PC in this module's code: the faulting or trapping PC
    /// (`innermost`) or a return address. One frame, or two where the code was inlined
    /// (the callee's, then the caller's at the call).
    func frames(pc: UInt, innermost: Bool) -> [Trap.Frame] {
        lock.withLock {
            let offset = Int(pc - UInt(bitPattern: codeBase))
            var moduleOffset: UInt32? = innermost ? map.trapSites[offset] : nil
            var inlined: InlinedCall? = moduleOffset != nil ? map.trapSitesInlined[offset] : nil
            // Faulting PC (innermost) or a return address (callers, trap sites): look up the instruction before it.
            let target = innermost && moduleOffset == nil ? offset : offset - 1
            guard let entry = map.entry(containing: target) else { return [] }
            let definedIndex = map.definedIndices[entry]
            if moduleOffset == nil {
                let offs = map.codeOffsets[entry]
                var lo = 0, hi = offs.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if Int(offs[mid]) <= target { lo = mid + 1 } else { hi = mid }
                }
                if lo > 0 {
                    moduleOffset = map.wasmOffsets[entry][lo - 1]
                    let marks = map.inlinedAt[entry]
                    if !marks.isEmpty, marks[lo - 1] >= 0 { inlined = map.inlinedCalls[entry][Int(marks[lo - 1])] }
                }
            }
            let caller = frame(definedIndex: definedIndex, moduleOffset: inlined?.callSite ?? moduleOffset)
            guard let inlined, Int(inlined.callee) >= importCount else { return [caller] }
            return [frame(definedIndex: Int(inlined.callee) - importCount, moduleOffset: moduleOffset), caller]
        }
    }

    func frame(definedIndex: Int, moduleOffset: UInt32?) -> Trap.Frame {
        let index = UInt32(importCount + definedIndex)
        let bodyOffset = module.codes[definedIndex].bodyOffset
        let functionOffset = moduleOffset.flatMap { $0 >= bodyOffset ? $0 - bodyOffset : nil }
        return Trap.Frame(functionIndex: index, functionName: module.functionName(index),
                          moduleOffset: moduleOffset, functionOffset: functionOffset)
    }
}

/// Every live module's code range, to find the module of a PC in a backtrace.
final class CodeRegistry: @unchecked Sendable {
    static let shared = CodeRegistry()
    private let lock = Mutex()
    /// (first byte, one past the last byte a return address can be, module code).
    private var entries: [(start: UInt, end: UInt, code: Unmanaged<JITModuleCode>)] = []

    func add(_ code: JITModuleCode) {
        let start = UInt(bitPattern: code.codeBase)
        lock.withLock { entries.append((start, start + UInt(code.codeLimit), Unmanaged.passUnretained(code))) }
    }

    func remove(_ code: JITModuleCode) {
        let start = UInt(bitPattern: code.codeBase)
        lock.withLock { entries.removeAll { $0.start == start } }
    }

    /// A return address may be a code's end (a trap site closing the last function).
    func code(containing pc: UInt) -> JITModuleCode? {
        lock.withLock { entries.first { pc >= $0.start && pc <= $0.end }?.code.takeUnretainedValue() }
    }
}
