import WasmCore
import WasmRuntime

/// Single-pass compiler of one wasm function to x86-64 (baseline tier).
///
/// Frame model (see Docs/JIT.md): the canonical place of a wasm operand is a frame
/// slot chosen by its stack depth; between control-flow boundaries values live in
/// registers, as constants or as deferred local reads (the abstract value stack,
/// FunctionCompiler+ValueStack.swift), and everything is flushed to its slot at
/// boundaries, so merges need no shuffling beyond copying branch values to the
/// target's slots. The hottest i32/i64 locals live in rbx/r12/r11/r10 (callee-saved
/// between wasm functions). Pinned: r15 = VMInstanceContext*, r14 = memory 0 base,
/// r13 = per-thread JIT state. rbp chain for backtraces.
///
///     [rbp+16+8*(K-1-i)]  param/result i (K = max(params, results)), caller-owned
///     [rbp+8]             return address
///     [rbp]               saved rbp
///     [rbp-8], [rbp-16]   saved r15 / r14 around calls that may switch instance
///     [rbp-8*(3+k)]       saved pinned register k; the last two: r10/r11 around C calls
///     [rbp-8*(3+P+j)]     non-param local j
///     [rbp-8*(3+P+L+h)]   hidden slot h (params of `if` blocks, restored at `else`)
///     [rbp-8*(3+P+L+H+d)] operand stack slot of depth d
///
/// Helpers that only read are `mutating` all the same, as in `OptimizingCompiler`: a
/// non-mutating method called from a mutating one gets a copy of the whole (760-byte) struct.
struct FunctionCompiler {
    struct Control {
        enum Kind { case block, loop, `if`, function }
        var kind: Kind
        var label: Label
        var elseLabel: Label?
        var height: Int
        var params: Int
        var results: Int
        var hidden: Int  // first hidden slot saving the params (if blocks with params), else -1
        /// The block's type (the function's own results for `.function`).
        var blockType: BlockType = .empty
        /// A `try_table` or legacy `try`: its region in `handlerRegions` (-1: none), and a legacy
        /// `try`'s hidden slot for the exception its clauses caught (-1: none).
        var region = -1
        var exceptionSlot = -1
        /// Slots of the values a branch to this label carries.
        var branchArity: Int { kind == .loop ? params : results }
    }

    let module: WasmCore.Module
    let env: ModuleEnv
    let body: FunctionBody
    /// The body's instructions, decoded for this compile only.
    let code: DecodedBody
    let type: FuncType
    let functionIndex: Int

    var L = 0  // slots of the non-param locals
    var P = 0  // saved pinned registers (callee-saved slots below the r14 slot)
    /// The first slot of each local (params first); a v128 takes two slots (`RawValue.slotCount`).
    var localSlot: [Int] = []
    /// Whether each local is a v128.
    var localIsVector: [Bool] = []
    /// The register a local lives in for the whole function (nil: its home slot).
    var pinOf: [GPR?] = []
    var localIs64: [Bool] = []
    var pinnedRegs: [GPR] = []
    /// The XMM register a v128/f32/f64 local lives in (nil: its home slot), see
    /// FunctionCompiler+PinnedXMM.swift; the pinned ones; the value stack's XMM pool (the rest).
    var xmmPinOf: [XMM?] = []
    var pinnedXMMs: [(local: Int, register: XMM)] = []
    var xmmPool: [XMM] = XMM.allCases
    var pool: [GPR] = []
    var H = 0  // hidden slots
    var K = 0
    var nParams = 0  // slots of the params
    var maxDepth = 0
    /// The abstract value stack (see FunctionCompiler+ValueStack.swift); its count is
    /// the wasm stack depth.
    var vals: [StackVal] = []
    var gprUsed: UInt16 = 0
    var xmmUsed: UInt16 = 0
    /// Set by an instruction that also compiled the next one (compare + br_if/if).
    var fusedNext = false
    var sp: Int {
        get { vals.count }
        set {
            while vals.count > newValue {
                switch vals.removeLast() {
                case .gpr(let r, _): freeGPR(r)
                case .xmm(let x), .vec(let x): freeXMM(x)
                default: break
                }
            }
            while vals.count < newValue { vals.append(.mem) }
            if newValue > maxDepth { maxDepth = newValue }
        }
    }
    var controls: [Control] = []
    var frameFixups: [Int] = []
    var trapSites: [(Label, UInt8, Int)] = []
    var currentInstruction = 0
    /// (code offset of a trap site's return address, wasm instruction index).
    var trapReturns: [(Int, Int)] = []
    var deadDepth = 0
    var dead = false
    var nextHidden = 0
    /// (code offset, wasm instruction index) for listings and backtraces.
    var sourceMap: [(Int, Int)] = []
    /// The v128 constants the code loads (`movdqu x, [rip + label]`), emitted after it.
    var vectorConstants: [V128: Label] = [:]
    var vectorConstantOrder: [V128] = []
    var vectorConstantIndex: [V128: Int] = [:]
    /// Lazy compiles: the targets of the defined functions this one calls, and its own entry.
    var calleeLabels: [Int: DefinedTarget] = [:]
    var entryLabel: Label?
    /// Exception handling (FunctionCompiler+Exceptions.swift): whether the body has handlers
    /// (`try_table` or legacy `try` blocks), their regions in the order they start, tail calls
    /// made as call + return inside them, the first hidden slot of legacy `try`s' caught
    /// exceptions (one per nesting level), and the finished table.
    var hasHandlers = false
    var handlerRegions = HandlerRegionRecorder<PendingHandler>()
    var framelessCalls: [Range<Int>] = []
    var exceptionSlotBase = 0
    var handlerTable: HandlerTable?
    /// Tiered code: the out-of-line tier-up calls (site, return label, stub).
    var tierUpSites: [(Label, Label, Label)] = []

    init(module: WasmCore.Module, env: ModuleEnv, definedIndex: Int) throws {
        self.module = module
        self.env = env
        self.body = module.codes[definedIndex]
        self.code = try body.decoded()
        self.functionIndex = env.importCount + definedIndex
        self.type = module.types[Int(env.functionTypes[functionIndex])]
        nParams = RawValue.slotCount(type.params)
        K = max(nParams, RawValue.slotCount(type.results))
        L = body.localDeclarations.reduce(0) { $0 + Int($1.count) * RawValue.slotCount($1.type) }
        for ins in code.instructions {
            switch ins {
            case .if(let bt): H += blockArity(bt).0
            case .tryTable, .legacyTry: hasHandlers = true
            default: break
            }
        }
        exceptionSlotBase = H
        if hasHandlers { H += legacyTryNesting(code.instructions) }
        try checkFrameSize()  // before any per-local table is allocated
        let types = type.params + body.expandedLocals
        localSlot.reserveCapacity(types.count)
        localIsVector.reserveCapacity(types.count)
        var next = 0
        for t in types {
            localSlot.append(next)
            localIsVector.append(t == .v128)
            next += RawValue.slotCount(t)
        }
        choosePinnedLocals(types)
    }

    static let pinCandidates: [GPR] = [.rbx, .r12, .r11, .r10]
    /// Value-stack registers. r10/r11 are not in it even when unpinned: pinned
    /// registers are callee-saved between wasm functions, so no wasm code may use them
    /// as scratch.
    static let basePool: [GPR] = [.rax, .rdx, .rsi, .rdi, .r8, .r9, .rcx]

    /// Pins the most used i32/i64 locals (uses in loops weigh more) to registers for
    /// the whole function. Pinned registers are callee-saved in the wasm convention.
    mutating func choosePinnedLocals(_ types: [ValueType]) {
        let n = types.count
        pinOf = Array(repeating: nil, count: n)
        localIs64 = types.map { $0 == .i64 }
        var weight = [Int](repeating: 0, count: n)
        var isLoop: [Bool] = []  // per open block: is it a loop?
        var loopDepth = 0
        var w = 1  // 8^min(loop depth, 4)
        for ins in code.instructions {
            switch ins {
            case .block, .if, .tryTable, .legacyTry: isLoop.append(false)
            case .loop:
                isLoop.append(true)
                loopDepth += 1
                if loopDepth <= 4 { w *= 8 }
            case .end, .delegate:
                if isLoop.popLast() == true {
                    loopDepth -= 1
                    if loopDepth < 4 { w /= 8 }
                }
            case .localGet(let i), .localSet(let i), .localTee(let i): weight[Int(i)] += w
            default: break
            }
        }
        let cands = (0..<n).filter { (types[$0] == .i32 || types[$0] == .i64) && weight[$0] >= 3 }
            .sorted { weight[$0] > weight[$1] }
        for (k, i) in cands.prefix(Self.pinCandidates.count).enumerated() {
            pinOf[i] = Self.pinCandidates[k]
            pinnedRegs.append(Self.pinCandidates[k])
        }
        P = pinnedRegs.count + 2  // + r10/r11 saved around calls into C
        pool = Self.basePool
        chooseXMMPins(types, weight: weight)
    }

    /// Around a call into C (helpers, host functions): r10/r11 are callee-saved for
    /// wasm code (ours or a caller's pinned locals) but not for C.
    mutating func savePins(_ a: inout X64Assembler) {
        a.mov(.i64, savedPin(P - 2), .r10)
        a.mov(.i64, savedPin(P - 1), .r11)
    }

    mutating func reloadPins(_ a: inout X64Assembler) {
        a.mov(.i64, .r10, savedPin(P - 2))
        a.mov(.i64, .r11, savedPin(P - 1))
    }

    @inline(__always) func savedPin(_ k: Int) -> Mem { Mem(.rbp, Int32(-8 * (3 + k))) }

    mutating func restorePinnedRegisters(_ a: inout X64Assembler) {
        for (k, r) in pinnedRegs.enumerated() { a.mov(.i64, r, savedPin(k)) }
    }

    /// Slots of a block's params and results.
    mutating func blockArity(_ bt: BlockType) -> (Int, Int) {
        switch bt {
        case .empty: return (0, 0)
        case .value(let t): return (0, RawValue.slotCount(t))
        case .typeIndex(let i):
            let t = module.types[Int(i)]
            return (RawValue.slotCount(t.params), RawValue.slotCount(t.results))
        }
    }

    /// The types of a block's params.
    mutating func blockParamTypes(_ bt: BlockType) -> [ValueType] {
        if case .typeIndex(let i) = bt { return module.types[Int(i)].params }
        return []
    }

    /// The types of a block's results (the function's for the function's own block).
    mutating func blockResultTypes(_ c: Control) -> [ValueType] {
        if c.kind == .function { return type.results }
        switch c.blockType {
        case .empty: return []
        case .value(let t): return [t]
        case .typeIndex(let i): return module.types[Int(i)].results
        }
    }

    // MARK: Frame addressing

    @inline(__always) func slot(_ d: Int) -> Mem { Mem(.rbp, Int32(-8 * (3 + P + L + H + d))) }
    @inline(__always) func hidden(_ h: Int) -> Mem { Mem(.rbp, Int32(-8 * (3 + P + L + h))) }
    /// The home of local `i` (its first slot; see `vectorLocal` for a v128).
    @inline(__always) func local(_ i: Int) -> Mem { localSlotMem(localSlot[i]) }
    /// The 16 bytes of v128 local `i`: its second slot's address (slots grow downwards).
    @inline(__always) func vectorLocal(_ i: Int) -> Mem { localSlotMem(localSlot[i] + 1) }
    @inline(__always) func localSlotMem(_ s: Int) -> Mem {
        s < nParams ? Mem(.rbp, Int32(16 + 8 * (K - 1 - s))) : Mem(.rbp, Int32(-8 * (3 + P + s - nParams)))
    }
    var top: Mem { slot(sp - 1) }

    mutating func push() {
        sp += 1
        if sp > maxDepth { maxDepth = sp }
    }

    mutating func need(_ depth: Int) { if depth > maxDepth { maxDepth = depth } }

    /// lea rsp, [rbp - frameSize] (displacement patched when the frame size is known).
    mutating func resetRsp(_ a: inout X64Assembler) {
        a.lea(.i64, .rsp, Mem(.rbp, Int32.min))
        frameFixups.append(a.offset - 4)
    }

    /// A fresh out-of-line trap site for the current instruction (precise backtraces).
    mutating func trapLabel(_ a: inout X64Assembler, _ code: TrapCode) -> Label {
        let l = a.newLabel("trap_\(code)")
        trapSites.append((l, code.rawValue, currentInstruction))
        return l
    }

    mutating func dynTrapLabel(_ a: inout X64Assembler) -> Label {
        let l = a.newLabel("trap_dynamic")
        trapSites.append((l, 0, currentInstruction))
        return l
    }

    // MARK: Driver

    /// The text-format name and immediates of an instruction, for listings.
    static func describe(_ ins: Instruction) -> String {
        switch ins {
        case .numeric(let op): return op.name
        case .load(_, let arg), .store(_, let arg):
            return ins.name + memarg(arg)
        case .vector(let op): return op.name
        case .vectorLane(let op, let lane): return "\(op.name) \(lane)"
        case .laneMemory(let op, let arg, let lane): return op.name + memarg(arg) + " \(lane)"
        case .v128Const(let v): return "v128.const \(v)"
        case .i8x16Shuffle(let lanes): return "i8x16.shuffle " + lanes.bytes.map(String.init).joined(separator: " ")
        case .block(let bt), .loop(let bt), .if(let bt):
            switch bt {
            case .empty: return ins.name
            case .value(let t): return ins.name + " (result \(t))"
            case .typeIndex(let i): return ins.name + " (type \(i))"
            }
        default:
            // The immediates as Swift prints the case's associated values.
            let text = "\(ins)"
            guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return ins.name }
            return ins.name + " " + text[text.index(after: open)..<text.index(before: text.endIndex)]
        }
    }

    static func memarg(_ arg: MemArg) -> String {
        (arg.memory != 0 ? " \(arg.memory)" : "") + (arg.offset != 0 ? " offset=\(arg.offset)" : "") + " align=\(1 << arg.align)"
    }

    /// Implementation limit: frame slots (locals, hidden slots, operand stack) per function.
    /// Slots are addressed with 32-bit displacements from rbp, and a frame of 8 MiB would
    /// not fit the stack anyway. (A valid body may declare up to 2^32-1 locals.)
    static let maxFrameSlots = 1 << 20

    /// Throws when the frame (so far) exceeds `maxFrameSlots`.
    func checkFrameSize() throws {
        let slots = L + H + maxDepth
        if slots > Self.maxFrameSlots || K > Self.maxFrameSlots {
            throw JITError(
                "function \(functionIndex) needs \(max(slots, K)) frame slots; the JIT supports at most \(Self.maxFrameSlots)")
        }
    }

    mutating func compile(_ a: inout X64Assembler, entry: Label) throws {
        try checkFrameSize()
        entryLabel = entry
        let firstListingLine = a.lines.count
        a.bind(entry)
        a.push(.rbp)
        a.mov(.i64, .rbp, .rsp)
        resetRsp(&a)
        a.cmp(.i64, .rsp, Mem(.r13, JITThreadState.stackLimitOffset))
        a.j(.b, trapLabel(&a, .callStackExhausted))
        emitTierUpCount(atEntry: true, &a)
        if env.interruptible && InterruptChecks.needsEntryCheck(code.instructions) { emitInterruptCheck(&a) }
        if hasHandlers {  // the landings reload them from here
            a.mov(.i64, Mem(.rbp, -8), .r15)
            a.mov(.i64, Mem(.rbp, -16), .r14)
        }
        // Zero the non-parameter locals.
        if L > 0 {
            if L <= 8 {
                for j in 0..<L { a.mov(.i64, localSlotMem(nParams + j), Int32(0)) }
            } else {
                a.xor(.i32, .rax, .rax)
                a.mov(.i32, .rcx, Int64(L))
                a.lea(.i64, .rdi, Mem(.rbp, Int32(-8 * (2 + P + L))))
                a.emit(bytes: [0xF3, 0x48, 0xAB])  // rep stosq
            }
        }
        // Pinned locals: save the registers (callee-saved), load params, zero the rest.
        for (k, r) in pinnedRegs.enumerated() { a.mov(.i64, savedPin(k), r) }
        for i in 0..<pinOf.count {
            guard let r = pinOf[i] else { continue }
            if i < type.params.count { a.mov(localIs64[i] ? .i64 : .i32, r, local(i)) } else { a.xor(.i32, r, r) }
        }
        loadXMMPins(params: type.params, &a)
        if env.traced { emitTraceHook(Helpers.traceEnter, trapping: true, &a) }
        let endLabel = a.newLabel("end")
        controls.append(Control(kind: .function, label: endLabel, elseLabel: nil, height: 0, params: 0,
                                results: RawValue.slotCount(type.results), hidden: -1))
        let instructions = code.instructions
        var idx = 0
        emitFuelCharge(forRunAt: 0, &a)
        while idx < instructions.count {
            let ins = instructions[idx]
            if env.listing { a.comment("@\(String(code.offsets[idx], radix: 16)) \(Self.describe(ins))") }
            sourceMap.append((a.offset, idx))
            currentInstruction = idx
            try compile(ins, &a)
            if let failure = a.failure { throw internalError(failure, at: idx) }
            if L + H + maxDepth > Self.maxFrameSlots { try checkFrameSize() }
            if controls.isEmpty { break }
            if fusedNext {
                fusedNext = false
                idx += 1
            }
            if env.consumesFuel && FuelMeter.endsRun(instructions[idx]) { emitFuelCharge(forRunAt: idx + 1, &a) }
            idx += 1
        }
        // Epilogue: results from slots 0..<R to the caller's area.
        for j in 0..<RawValue.slotCount(type.results) {
            a.mov(.i64, .rax, slot(j))
            a.mov(.i64, Mem(.rbp, Int32(16 + 8 * (K - 1 - j))), .rax)
        }
        if env.traced { emitTraceHook(Helpers.traceExit, trapping: false, &a) }
        restorePinnedRegisters(&a)
        a.leave()
        a.ret()
        // Out-of-line traps.
        for (label, code, instruction) in trapSites {
            a.bind(label)
            if code == 0 { a.mov(.i32, .rdi, .rax) } else { a.mov(.i32, .rdi, Int64(code)) }  // 0: code in eax
            a.call(env.trapTail)
            trapReturns.append((a.offset, instruction))
        }
        emitTierUpSites(&a)
        emitLandings(&a)
        emitVectorConstants(&a)
        if let failure = a.failure { throw internalError(failure, at: instructions.count - 1) }
        let frameSize = (8 * (2 + P + L + H + maxDepth) + 15) & ~15
        for pos in frameFixups { a.patch32(at: pos, UInt32(bitPattern: Int32(-frameSize))) }
        handlerTable = makeHandlerTable(a)
        if a.isListingEnabled {
            let placeholder = "lea rsp, [rbp - 0x80000000]"
            for i in firstListingLine..<a.lines.count where a.lines[i].text == placeholder {
                a.lines[i].text = "lea rsp, [rbp - 0x\(String(frameSize, radix: 16))]"
            }
        }
    }

    /// What the code map keeps of this function (after `compile`).
    var record: CompiledFunctionRecord {
        let offsets = code.offsets
        return CompiledFunctionRecord(
            sourceMap: sourceMap.map { ($0.0, offsets[$0.1]) }, trapReturns: trapReturns.map { ($0.0, offsets[$0.1]) },
            savedRegisterCount: pinnedRegs.count, handlerTable: handlerTable)
    }

    /// An internal compiler error (a bug of ours, never the module's fault), naming the
    /// function and the wasm offset of the instruction being compiled.
    func internalError(_ message: String, at instruction: Int) -> JITError {
        let name = module.functionName(UInt32(functionIndex)).map { " '\($0)'" } ?? ""
        let offset = instruction < code.offsets.count ? code.offsets[instruction] : 0
        return JITError("internal compiler error in function \(functionIndex)\(name) at 0x\(String(offset, radix: 16)): \(message)")
    }

    /// Copies the top `n` values to slots starting at depth `to`.
    mutating func moveTop(_ n: Int, to: Int, _ a: inout X64Assembler) {
        let from = sp - n
        if from == to { return }
        for i in 0..<n {
            a.mov(.i64, .rax, slot(from + i))
            a.mov(.i64, slot(to + i), .rax)
        }
    }

    mutating func branch(_ depth: UInt32, _ a: inout X64Assembler) {
        let c = controls[controls.count - 1 - Int(depth)]
        moveTop(c.branchArity, to: c.height, &a)
        a.jmp(c.label)
    }

    mutating func markDead() {
        dead = true
        deadDepth = 0
        resetStackState()
    }

    // MARK: Instructions

    mutating func compile(_ ins: Instruction, _ a: inout X64Assembler) throws {
        if dead {
            switch ins {
            case .block, .loop, .if, .tryTable, .legacyTry: deadDepth += 1; return
            case .end, .delegate:
                if deadDepth > 0 { deadDepth -= 1; return }
            case .else, .legacyCatch, .legacyCatchAll:
                if deadDepth > 0 { return }
            default: return
            }
        }
        if compileFast(ins, &a) { return }
        flushAll(&a)
        switch ins {
        case .unreachable:
            a.jmp(trapLabel(&a, .unreachable))
            markDead()
        case .block(let bt):
            let (p, r) = blockArity(bt)
            controls.append(Control(kind: .block, label: a.newLabel(), elseLabel: nil, height: sp - p, params: p,
                                    results: r, hidden: -1, blockType: bt))
        case .loop(let bt):
            let (p, r) = blockArity(bt)
            let l = a.newLabel("loop")
            a.bind(l)
            emitInterruptCheck(&a)
            emitTierUpCount(atEntry: false, &a)
            controls.append(Control(kind: .loop, label: l, elseLabel: nil, height: sp - p, params: p, results: r,
                                    hidden: -1, blockType: bt))
        case .else:
            var c = controls.removeLast()
            if !dead { a.jmp(c.label) }
            dead = false
            a.bind(c.elseLabel!)
            c.elseLabel = nil
            resetStack(to: c.height, pushing: blockParamTypes(c.blockType))
            for i in 0..<c.params {
                a.mov(.i64, .rcx, hidden(c.hidden + i))
                a.mov(.i64, slot(c.height + i), .rcx)
            }
            controls.append(c)
        case .end:
            handlerRegions.close(control: controls.count - 1, at: a.offset)
            let c = controls.removeLast()
            dead = false
            if let e = c.elseLabel { a.bind(e) }  // if without else: params == results, already in place
            if c.kind != .loop { a.bind(c.label) }
            resetStack(to: c.height, pushing: blockResultTypes(c))
        case .br(let d):
            branch(d, &a)
            markDead()
        case .return:
            branch(UInt32(controls.count - 1), &a)
            markDead()
        case .call(let f):
            try emitCall(function: Int(f), &a)
        case .callIndirect(let ti, let table):
            emitCallIndirect(typeIndex: Int(ti), table: Int(table), tail: false, &a)
        case .returnCall(let f):
            if env.traced {  // a call then a return, so the tracer sees this frame return
                let start = a.offset
                try emitCall(function: Int(f), &a)
                markFrameless(from: start, &a)
                branch(UInt32(controls.count - 1), &a)
            } else {
                let start = a.offset
                try emitReturnCall(function: Int(f), &a)
                markFrameless(from: start, &a)  // an import: a call and a return
            }
            markDead()
        case .returnCallIndirect(let ti, let table):
            let start = a.offset
            emitCallIndirect(typeIndex: Int(ti), table: Int(table), tail: !env.traced, &a)
            markFrameless(from: start, &a)
            if env.traced { branch(UInt32(controls.count - 1), &a) }
            markDead()
        case .tableGet, .tableSet, .tableSize, .tableGrow, .tableFill, .tableCopy, .tableInit, .elemDrop, .memorySize,
            .memoryGrow, .memoryInit, .dataDrop, .memoryCopy, .memoryFill:
            emitTableOrMemory(ins, &a)
        case .refNull:
            push()
            a.mov(.i64, top, Int32(0))
        case .refIsNull:
            a.xor(.i32, .rax, .rax)
            a.cmp(.i64, top, Int32(0))
            a.setcc(.e, .rax)
            a.mov(.i64, top, .rax)
        case .tryTable(let bt, let table):
            enterTryTable(bt, table, &a)
        case .throw(let tag):
            emitThrow(tag: Int(tag), &a)
        case .throwRef:
            emitThrowReference(&a)
        case .legacyTry(let bt):
            enterLegacyTry(bt, &a)
        case .legacyCatch(let tag):
            legacyCatch(tag: tag, &a)
        case .legacyCatchAll:
            legacyCatch(tag: nil, &a)
        case .delegate(let depth):
            delegate(Int(depth), a)
            try compile(.end, &a)
        case .rethrow(let depth):
            emitRethrow(Int(depth), &a)
        case .refAsNonNull:
            a.cmp(.i64, top, Int32(0))
            a.j(.e, trapLabel(&a, .nullReference))
        case .brOnNull(let d):
            a.cmp(.i64, top, Int32(0))
            sp -= 1
            condBranch(.e, d, &a)
            push()
        case .brOnNonNull(let d):
            a.cmp(.i64, top, Int32(0))
            condBranch(.ne, d, &a)
            sp -= 1
        case .callRef(let ti):
            emitCallRef(typeIndex: Int(ti), tail: false, &a)
        case .returnCallRef(let ti):
            let start = a.offset
            emitCallRef(typeIndex: Int(ti), tail: !env.traced, &a)
            markFrameless(from: start, &a)
            if env.traced { branch(UInt32(controls.count - 1), &a) }
            markDead()
        case .refFunc(let f):
            a.mov(.i64, .rax, Mem(.r15, VMOffsets.functions))
            a.mov(.i64, .rax, Mem(.rax, Int32(8 * f)))
            push()
            a.mov(.i64, top, .rax)
        case .numeric(let op):
            try emitNumeric(op, &a)
        case .nop, .drop, .if, .brIf, .brTable, .select, .typedSelect, .localGet, .localSet, .localTee,
            .globalGet, .globalSet, .load, .store, .i32Const, .i64Const, .f32Const, .f64Const:
            // Always compiled by `compileFast` (FunctionCompiler+ValueStack.swift).
            throw JITError("internal JIT error: \(Self.describe(ins)) has a register form but reached the slot-based code")
        case .v128Const, .vector, .vectorLane, .laneMemory, .i8x16Shuffle:
            // The slot-based form of every SIMD instruction: a call into the runtime.
            emitVectorHelperCall(ins, &a)
        }
    }
}
