#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWasmoon
import WasmCore
import WasmOptimizer
import WasmRuntime

/// Per-module facts the function compiler needs.
struct ModuleEnv {
    /// How code calls the module's own functions.
    enum Calls {
        /// `call label`: every function is compiled into the same assembler (eager).
        case direct([Label])
        /// `call [rip + table word]`, or a direct call to code already compiled: the function
        /// is compiled alone (on first call) into a code space whose table holds every
        /// function's current address; `origin` is the address the code will start at,
        /// `stubs` the first per-function stub's (see JITModuleCode+Lazy.swift).
        case throughTable(CodeSpace, origin: UnsafeRawPointer, stubs: UnsafeRawPointer)
    }

    var importCount: Int
    var functionTypes: [UInt32]
    var typeIDs: [Int32]
    /// Whether each type is final: a `call_indirect` to it needs no subtype check beyond equality.
    var finalTypes: [Bool]
    var calls: Calls
    var trapTail: Label
    var hostStub: Label
    /// The resume stub: continues at a catch's landing (rax) in the frame the unwinder found.
    var resumeStub: Label
    var listing: Bool
    /// Emit `--trace-calls` hooks: entry/exit helper calls, and tail calls as call + return.
    var traced = false
    /// The extensions the code may use; the others get fallback sequences.
    var features: CPUFeatures = .configured
    /// Whether each global (imports first) is a v128.
    var vectorGlobals: [Bool]
    /// The function type of each tag (imports first).
    var tagTypes: [FuncType]
    /// Whether each memory (imports first) is 64-bit (memory64: explicitly bounds-checked).
    var memory64: [Bool]
    /// Whether each table (imports first) is indexed by i64 (table64).
    var table64: [Bool]
    /// Emit the epoch check at function entries and loop headers (`Engine.epochInterruption`).
    var interruptible = false
    /// Emit fuel charges at the start of every straight-line run (`Engine.consumesFuel`).
    var consumesFuel = false
    /// Which compiler compiles the functions.
    var tier: JITTier = .baseline
    /// What the optimizing tier shares between the module's functions (nil on the baseline).
    var optimizer: OptimizerModuleContext?
    /// Where the optimizing tier's declines are counted (the engine's).
    var declineLog: DeclineLog?
    /// Tiered: when functions move up, and the stub their code calls then.
    var tierUp: TierUpPolicy?
    var tierUpStub: Label?
    /// Calls to defined functions go through the table (tiered modules, whichever tier compiles).
    var tieredCalls: Bool { tierUp != nil }

    func globalIsVector(_ i: Int) -> Bool { i < vectorGlobals.count && vectorGlobals[i] }

    init(module: WasmCore.Module, calls: Calls, trapTail: Label, hostStub: Label, resumeStub: Label, listing: Bool,
         traced: Bool, features: CPUFeatures) {
        importCount = module.importedFunctionTypes.count
        functionTypes = module.allFunctionTypeIndices
        typeIDs = TypeRegistry.shared.ids(for: module)
        finalTypes = (0..<module.types.count).map { module.typeDeclaration($0).isFinal }
        self.calls = calls
        self.trapTail = trapTail
        self.hostStub = hostStub
        self.resumeStub = resumeStub
        self.listing = listing
        self.traced = traced
        self.features = features
        vectorGlobals = module.allGlobals.map { $0.valueType == .v128 }
        tagTypes = module.allTags.map { module.types[Int($0)] }
        memory64 = module.allMemories.map(\.is64)
        table64 = module.allTables.map { $0.addressType == .i64 }
    }
}

/// Per-thread state the JIT code reaches through r13.
struct JITThreadState {
    var stackLimit: UInt
    var entryRSP: UInt
    var trapCode: UInt64
    var trapPC: UInt
    var trapRBP: UInt
    var pendingError: UnsafeMutableRawPointer?  // Unmanaged<ErrorBox>
    /// PCs of the trapping frames (innermost first), captured by the trap stub
    /// while the wasm frames are still intact.
    var backtrace: UnsafeMutablePointer<UInt>
    var backtraceCount: Int
    /// The wasm functions entered and not yet left on this thread, while calls are
    /// traced (`Unmanaged<TraceStack>`, created on first use).
    var traceStack: UnsafeMutableRawPointer? = nil
    /// Exception unwinding (ExceptionUnwinder.swift): the pinned registers of the frame that
    /// catches (in `FunctionCompiler.pinCandidates` order: rbx, r12, r11, r10; the code that
    /// starts an unwind stores rbx and r12 here first), its rbp, read by the resume stub.
    var unwindRBX: UInt = 0
    var unwindR12: UInt = 0
    var unwindR11: UInt = 0
    var unwindR10: UInt = 0
    var landingRBP: UInt = 0
    /// The lowest `stackLimit` this thread's stack allows (its end, less `stackMargin`);
    /// a call under a stack budget (`Engine.maxWasmStack`) raises `stackLimit` above it.
    var threadStackLimit: UInt = 0

    static let maxBacktrace = 256

    /// Byte offsets of the fields compiled code reads and writes.
    static let stackLimitOffset = Int32(MemoryLayout<JITThreadState>.offset(of: \.stackLimit)!)
    static let trapRBPOffset = Int32(MemoryLayout<JITThreadState>.offset(of: \.trapRBP)!)
    static let entryRSPOffset = Int32(MemoryLayout<JITThreadState>.offset(of: \.entryRSP)!)
    static let trapCodeOffset = Int32(MemoryLayout<JITThreadState>.offset(of: \.trapCode)!)
    static let trapPCOffset = Int32(MemoryLayout<JITThreadState>.offset(of: \.trapPC)!)
    static let unwindRBXOffset = Int32(MemoryLayout<JITThreadState>.offset(of: \.unwindRBX)!)
    static let unwindR12Offset = Int32(MemoryLayout<JITThreadState>.offset(of: \.unwindR12)!)
    static let unwindR11Offset = Int32(MemoryLayout<JITThreadState>.offset(of: \.unwindR11)!)
    static let unwindR10Offset = Int32(MemoryLayout<JITThreadState>.offset(of: \.unwindR10)!)
    static let landingRBPOffset = Int32(MemoryLayout<JITThreadState>.offset(of: \.landingRBP)!)
}

final class ErrorBox {
    let error: any Error
    init(_ error: any Error) { self.error = error }
}

nonisolated(unsafe) private var threadKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Host error code returned by the entry trampoline (not a `TrapCode`).
let hostErrorCode: UInt64 = 255

extension JITThreadState {
    /// Stack kept free below the limit for host calls and runtime helpers.
    static let stackMargin = 256 * 1024

    static func current() -> UnsafeMutablePointer<JITThreadState> {
        if let p = pthread_getspecific(threadKey) { return p.assumingMemoryBound(to: JITThreadState.self) }
        wasmoon_ensure_sigaltstack()
        let p = UnsafeMutablePointer<JITThreadState>.allocate(capacity: 1)
        let limit = wasmoon_thread_stack_limit(stackMargin)
        p.initialize(to: JITThreadState(stackLimit: limit, entryRSP: 0, trapCode: 0,
                                        trapPC: 0, trapRBP: 0, pendingError: nil,
                                        backtrace: .allocate(capacity: maxBacktrace), backtraceCount: 0,
                                        threadStackLimit: limit))
        pthread_setspecific(threadKey, p)
        return p
    }
}

/// The baseline x86-64 JIT tier: compiles each defined function of a module on its first call
/// (`CompileMode.lazy`) or all of them when it is prepared (`.eager`); runs wasm on the calling
/// thread's stack.
public final class JITEngine: ExecutionEngine {
    /// Keep listings (for `wasmoon explore`).
    let listing: Bool
    /// Reports every wasm call (`--trace-calls`): compiled code calls `Helpers.traceEnter`
    /// and `traceExit`, tail calls become calls, and `invoke` reports what a trap unwinds.
    let callTracer: (any CallTracer)?

    /// Whether the JIT can run here: Linux on x86-64 (the trap handler reads Linux's
    /// x86-64 signal context). Elsewhere the package builds with the interpreter only.
    public static var isSupported: Bool { wasmoon_jit_supported() != 0 }

    /// The x86-64 extensions the code may use (`CPUFeatures.configured` unless told).
    public let features: CPUFeatures

    /// When functions are compiled.
    public let compileMode: CompileMode
    /// Compiled code checks the epoch against its store's deadline (`Engine.epochInterruption`).
    public let interruptible: Bool
    /// Compiled code consumes its store's fuel (`Engine.consumesFuel`).
    public let consumesFuel: Bool
    /// Which compilers compile the functions.
    public let tier: JITTier
    /// When functions move to the optimizing tier (`tier` `.tiered`).
    public let tierUp: TierUpPolicy
    let declineLog = DeclineLog()

    public init(
        callTracer: (any CallTracer)? = nil, features: CPUFeatures = .configured, compileMode: CompileMode = .lazy,
        interruptible: Bool = false, consumesFuel: Bool = false, tier: JITTier = .baseline,
        tierUp: TierUpPolicy = TierUpPolicy()
    ) {
        listing = false
        self.tier = tier
        self.tierUp = tierUp
        self.consumesFuel = consumesFuel
        self.callTracer = callTracer
        self.features = features
        self.compileMode = compileMode
        self.interruptible = interruptible
        wasmoon_install_signal_handlers()
    }

    init(listing: Bool, features: CPUFeatures = .configured, tier: JITTier = .baseline) {
        self.listing = listing
        self.tier = tier
        tierUp = TierUpPolicy()
        callTracer = nil
        self.features = features
        compileMode = .eager
        interruptible = false
        consumesFuel = false
        wasmoon_install_signal_handlers()
    }

    public func prepare(_ module: WasmCore.Module) throws -> any EngineModuleCode {
        // Tiered code lives in a code space, where optimized code can be added as it runs;
        // eager then means every function on the baseline before the run.
        if (compileMode == .lazy || tier == .tiered) && !listing {
            let code = try JITModuleCode.prepareLazily(
                module, traced: callTracer != nil, features: features, interruptible: interruptible,
                consumesFuel: consumesFuel, tier: tier, declineLog: declineLog, tierUp: tierUp)
            if compileMode == .eager {
                for i in module.codes.indices { _ = try code.compileOnFirstCall(definedIndex: i) }
            }
            return code
        }
        var a = X64Assembler(capacity: 64 * 1024, listing: listing)
        return try JITEngine.compile(
            module, &a, listing: listing, traced: callTracer != nil, features: features, interruptible: interruptible,
            consumesFuel: consumesFuel, tier: tier, declineLog: declineLog)
    }

    /// Compiles every defined function into one assembler (eager mode, listings).
    static func compile(
        _ module: WasmCore.Module, _ a: inout X64Assembler, listing: Bool, traced: Bool = false,
        features: CPUFeatures, interruptible: Bool = false, consumesFuel: Bool = false, tier: JITTier = .baseline,
        declineLog: DeclineLog? = nil
    ) throws -> JITModuleCode {
        let t0 = clock()
        let importCount = module.importedFunctionTypes.count
        var labels: [Label] = []
        for i in 0..<module.codes.count { labels.append(a.newLabel("func\(importCount + i)")) }
        let stubs = Stubs.emit(&a)
        var env = ModuleEnv(module: module, calls: .direct(labels), trapTail: stubs.trapTail, hostStub: stubs.hostStub,
                            resumeStub: stubs.resumeStub, listing: listing, traced: traced, features: features)
        env.interruptible = interruptible
        env.consumesFuel = consumesFuel
        env.tier = tier == .tiered ? .baseline : tier  // listings: tiered shows the baseline's code
        if env.tier == .optimized { env.optimizer = OptimizerModuleContext(module: module) }
        env.declineLog = declineLog
        var map = CodeMap()
        for i in 0..<module.codes.count {
            let f0 = clock()
            a.align(16)
            let start = a.offset
            let record = try compileFunction(module, env: env, definedIndex: i, &a, entry: labels[i], map: &map)
            map.add(record, definedIndex: i, start: start, end: a.offset, origin: 0,
                    seconds: Double(clock() - f0) / Double(CLOCKS_PER_SEC))
        }
        a.finish()
        if let error = a.completionError { throw JITError("internal compiler error: \(error)") }
        let memory = try ExecutableMemory(a)
        return JITModuleCode(eager: memory, module: module, map: map, entryOffset: stubs.entry,
                             trapStubOffset: stubs.trapStub, compileSeconds: Double(clock() - t0) / Double(CLOCKS_PER_SEC))
    }

    public func invoke(_ function: Function, arguments: [Value]) throws -> [Value] {
        guard case .wasm = function.kind, let instance = function.instance,
            let code = instance.module.code as? JITModuleCode, let target = function.funcRef.pointee.entry
        else { throw JITError("function \(function.debugName) was not compiled by the JIT") }
        let state = JITThreadState.current()
        // A call from the host (no wasm frame below it on this thread) under a stack budget:
        // the prologues' limit rises to the budget below this frame; restored when it returns.
        if state.pointee.entryRSP == 0, let budget = function.store.engine.maxWasmStack {
            var marker: UInt8 = 0
            let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            let budgeted = here > UInt(max(budget, 0)) ? here - UInt(max(budget, 0)) : 0
            state.pointee.stackLimit = max(state.pointee.threadStackLimit, budgeted)
        }
        defer { if state.pointee.entryRSP == 0 { state.pointee.stackLimit = state.pointee.threadStackLimit } }
        let type = function.type
        let k = max(RawValue.slotCount(type.params), RawValue.slotCount(type.results))
        var values = AreaLayout.slots(arguments)
        if values.count < max(k, 1) { values.append(contentsOf: repeatElement(0, count: max(k, 1) - values.count)) }
        let traceStack = callTracer.map { _ in TraceStack.of(state) }
        let traceHeight = traceStack?.functions.count ?? 0
        let rc = values.withUnsafeMutableBufferPointer { buf in
            code.entryFunction(UnsafeMutableRawPointer(instance.context), target, buf.baseAddress!,
                               UnsafeMutableRawPointer(state), k)
        }
        if rc != 0 {
            if UInt64(rc) == hostErrorCode, let e = state.pointee.pendingError {
                state.pointee.pendingError = nil
                let error = Unmanaged<ErrorBox>.fromOpaque(e).takeRetainedValue().error
                if let traceStack, let tracer = callTracer {
                    traceStack.unwind(to: traceHeight, tracer: tracer, trap: error as? Trap)
                }
                throw error
            }
            let trapCode = TrapCode(rawValue: UInt8(truncatingIfNeeded: rc)) ?? .unreachable
            let bt = JITModuleCode.backtrace(UnsafeBufferPointer(start: state.pointee.backtrace,
                                                        count: state.pointee.backtraceCount))
            let trap = Trap(trapCode, backtrace: bt)
            if let traceStack, let tracer = callTracer { traceStack.unwind(to: traceHeight, tracer: tracer, trap: trap) }
            throw trap
        }
        return values.withUnsafeBufferPointer { AreaLayout.values($0.baseAddress!, as: type.results) }
    }
}

/// The functions a thread has entered and not left while calls are traced, so that a
/// trap (which leaves JIT code in one jump) can be reported for every frame it unwinds.
final class TraceStack {
    var functions: [Function] = []
    /// How deep traced calls may nest (the interpreter's limit for nested runs).
    static let maxDepth = 200

    static func of(_ state: UnsafeMutablePointer<JITThreadState>) -> TraceStack {
        if let p = state.pointee.traceStack { return Unmanaged<TraceStack>.fromOpaque(p).takeUnretainedValue() }
        let stack = TraceStack()
        state.pointee.traceStack = Unmanaged.passRetained(stack).toOpaque()  // lives as long as the thread state
        return stack
    }

    /// Pops back to `height`, telling the tracer each popped function was left by `trap`
    /// (innermost first); other errors (a WASI exit) just pop.
    func unwind(to height: Int, tracer: any CallTracer, trap: Trap?) {
        while functions.count > height {
            let f = functions.removeLast()
            if let trap { tracer.trap(f, trap) }
        }
    }
}

public struct JITError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Module-level stubs: the entry trampoline (Swift → wasm), the trap stub
/// (signal handler and explicit traps land here), and the host-call stub.
enum Stubs {
    struct Offsets {
        var entry: Int
        var trapStub: Int
        var trapTail: Label
        var hostStub: Label
        var resumeStub: Label
    }

    static func emit(_ a: inout X64Assembler) -> Offsets {
        let exit = a.newLabel("exit"), trapStub = a.newLabel("trap_stub"), trapTail = a.newLabel("trap_tail")
        let hostStub = a.newLabel("host_stub"), resumeStub = a.newLabel("resume_stub")
        // entry(ctx rdi, target rsi, values rdx, thread rcx, k r8) -> trap code (0 = ok)
        let entry = a.offset
        a.push(.rbp)
        a.mov(.i64, .rbp, .rsp)
        a.push(.rbx)
        a.push(.r12)
        a.push(.r13)
        a.push(.r14)
        a.push(.r15)
        a.mov(.i64, .r13, .rcx)
        a.mov(.i64, .rax, Mem(.r13, JITThreadState.entryRSPOffset))
        a.push(.rax)
        a.mov(.i64, Mem(.r13, JITThreadState.entryRSPOffset), .rsp)
        a.mov(.i64, .r15, .rdi)
        let noMem = a.newLabel()
        a.mov(.i64, .rax, Mem(.r15, VMOffsets.memory0))
        a.test(.i64, .rax, .rax)
        a.j(.e, noMem)
        a.mov(.i64, .r14, Mem(.rax, VMOffsets.memoryBase))
        a.bind(noMem)
        a.mov(.i64, .r12, .rdx)
        a.mov(.i64, .rbx, .r8)
        a.lea(.i64, .rax, Mem(base: nil, index: .rbx, scale: .x8, disp: 15))
        a.and(.i64, .rax, -16)
        a.sub(.i64, .rsp, .rax)
        let inLoop = a.newLabel(), inDone = a.newLabel()
        a.xor(.i32, .rcx, .rcx)
        a.bind(inLoop)
        a.cmp(.i64, .rcx, .rbx)
        a.j(.ae, inDone)
        a.mov(.i64, .rax, Mem(.r12, .rcx, .x8, 0))
        a.mov(.i64, .rdx, .rbx)
        a.sub(.i64, .rdx, .rcx)
        a.mov(.i64, Mem(.rsp, .rdx, .x8, -8), .rax)
        a.inc(.i64, .rcx)
        a.jmp(inLoop)
        a.bind(inDone)
        a.call(.rsi)
        // A tail call may have moved the return address: recompute the area base.
        a.mov(.i64, .rsp, Mem(.r13, JITThreadState.entryRSPOffset))
        a.lea(.i64, .rax, Mem(base: nil, index: .rbx, scale: .x8, disp: 15))
        a.and(.i64, .rax, -16)
        a.sub(.i64, .rsp, .rax)
        let outLoop = a.newLabel(), outDone = a.newLabel()
        a.xor(.i32, .rcx, .rcx)
        a.bind(outLoop)
        a.cmp(.i64, .rcx, .rbx)
        a.j(.ae, outDone)
        a.mov(.i64, .rdx, .rbx)
        a.sub(.i64, .rdx, .rcx)
        a.mov(.i64, .rax, Mem(.rsp, .rdx, .x8, -8))
        a.mov(.i64, Mem(.r12, .rcx, .x8, 0), .rax)
        a.inc(.i64, .rcx)
        a.jmp(outLoop)
        a.bind(outDone)
        a.xor(.i32, .rax, .rax)
        a.bind(exit)
        a.mov(.i64, .rsp, Mem(.r13, JITThreadState.entryRSPOffset))
        a.pop(.rcx)
        a.mov(.i64, Mem(.r13, JITThreadState.entryRSPOffset), .rcx)
        a.pop(.r15)
        a.pop(.r14)
        a.pop(.r13)
        a.pop(.r12)
        a.pop(.rbx)
        a.pop(.rbp)
        a.ret()
        // trap stub: edi = code, rsi = pc (signal handler or trap_tail)
        a.align(16)
        let trapStubOffset = a.offset
        a.bind(trapStub)
        a.mov(.i64, Mem(.r13, JITThreadState.trapCodeOffset), .rdi)
        a.mov(.i64, Mem(.r13, JITThreadState.trapPCOffset), .rsi)
        a.mov(.i64, Mem(.r13, JITThreadState.trapRBPOffset), .rbp)
        a.and(.i64, .rsp, -16)
        a.mov(.i64, .rdi, .r13)
        a.movabs(.rax, UInt64(Helpers.captureBacktrace))
        a.call(.rax)
        a.mov(.i64, .rax, Mem(.r13, JITThreadState.trapCodeOffset))
        a.jmp(exit)
        // trap tail: reached by `call` from a trap site; the return address is the PC
        a.bind(trapTail)
        a.pop(.rsi)
        a.jmp(trapStub)
        // host stub: rax = VMFuncRef*, args/results area at [rsp+8]
        a.align(16)
        a.bind(hostStub)
        a.push(.rbp)
        a.mov(.i64, .rbp, .rsp)
        a.and(.i64, .rsp, -16)
        a.mov(.i64, .rdi, .rax)
        a.lea(.i64, .rsi, Mem(.rbp, 16))
        a.mov(.i64, .rdx, .r15)
        a.mov(.i64, .rcx, .r13)
        a.movabs(.rax, UInt64(Helpers.hostCall))
        a.call(.rax)
        let failed = a.newLabel(), hostError = a.newLabel()
        a.test(.i32, .rax, .rax)
        a.j(.ne, failed)
        a.leave()
        a.ret()
        a.bind(failed)
        // 2: the host function threw a wasm exception; unwind from the call site.
        a.cmp(.i32, .rax, 2)
        a.j(.ne, hostError)
        a.mov(.i64, Mem(.r13, JITThreadState.unwindRBXOffset), .rbx)
        a.mov(.i64, Mem(.r13, JITThreadState.unwindR12Offset), .r12)
        a.mov(.i64, .rdi, .r13)
        a.mov(.i64, .rsi, Mem(.rbp, 8))
        a.mov(.i64, .rdx, Mem(.rbp, 0))
        a.movabs(.rax, UInt64(ExceptionUnwinder.unwindFromHost))
        a.call(.rax)
        a.test(.i64, .rax, .rax)
        a.j(.ne, resumeStub)
        a.bind(hostError)
        a.mov(.i32, .rdi, Int64(hostErrorCode))
        a.mov(.i64, .rsi, Mem(.rbp, 8))
        a.mov(.i64, .rbp, Mem(.rbp, 0))
        a.jmp(trapStub)
        // resume stub: rax = a catch's landing; the unwinder left the frame's rbp and pinned
        // registers in the thread state. The landing resets rsp from rbp.
        a.align(16)
        a.bind(resumeStub)
        a.mov(.i64, .rbx, Mem(.r13, JITThreadState.unwindRBXOffset))
        a.mov(.i64, .r12, Mem(.r13, JITThreadState.unwindR12Offset))
        a.mov(.i64, .r11, Mem(.r13, JITThreadState.unwindR11Offset))
        a.mov(.i64, .r10, Mem(.r13, JITThreadState.unwindR10Offset))
        a.mov(.i64, .rbp, Mem(.r13, JITThreadState.landingRBPOffset))
        a.jmp(.rax)
        return Offsets(entry: entry, trapStub: trapStubOffset, trapTail: trapTail, hostStub: hostStub,
                       resumeStub: resumeStub)
    }
}
