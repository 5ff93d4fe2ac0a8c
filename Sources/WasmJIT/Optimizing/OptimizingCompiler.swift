import WasmCore
import WasmOptimizer
import WasmRuntime

/// The optimizing tier's back end: compiles one function's SSA form (`IRFunction`, after the
/// `Simplify` passes) to x86-64 with the registers `LinearScan` chose. Its code keeps the
/// baseline's calling convention and frame conventions, so the tiers call each other freely,
/// backtraces walk both, and the exception unwinder restores what either saved
/// (Docs/Optimizer.md, "Code generation"):
///
///     [rbp+16+8*(K-1-i)]  param/result i (K = max(params, results)), caller-owned
///     [rbp+8]             return address           [rbp]  saved rbp
///     [rbp-8], [rbp-16]   r15 / r14 saved around calls that may switch instance
///     [rbp-8*(3+k)]       k < S: saved rbx, r12, r11, r10 (S = the prefix the code uses)
///     [rbp-8*(3+S)], [rbp-8*(4+S)]  r10 / r11 around calls into C
///     [rbp-8*(5+S+j)]     spill slot j; after them, one slot for a runtime call's result
///     [rbp-F, rbp-F+8*A)  the outgoing argument area of the largest call (A slots): a call
///                         with k slots has argument i at [rsp + 8*(k-1-i)], rsp = rbp - F
///
/// Its helpers that only read are `mutating` all the same: a non-mutating method called (not
/// inlined) from a mutating one gets a copy of the whole struct, and copying its 768 bytes
/// on every operand lookup was a tenth of the emission time.
struct OptimizingCompiler {
    let module: WasmCore.Module
    let env: ModuleEnv
    let functionIndex: Int
    let type: FuncType
    let function: IRFunction
    let instructionOffsets: [UInt32]
    let intervals: LiveIntervals
    let locations: [ValueLocation]
    let savedRegisterCount: Int
    let spillSlotCount: Int
    /// Slots of the function's own argument area, and of the largest outgoing one.
    let ownAreaSlots: Int
    var areaSlots = 0
    var frameSize = 0
    var blockLabels: [Label] = []
    var epilogue = Label(id: 0)
    var trapSites: [(label: Label, code: UInt8, position: SourcePosition)] = []
    var sourceMap: [(Int, UInt32)] = []
    var sourceInlined: [Int32] = []
    var trapReturns: [(Int, UInt32)] = []
    var trapInlined: [Int32] = []
    /// The calls inlined into the function, and the instruction offsets of the callee of each
    /// (by inlined call, as `IRInstruction.inlinedCall` numbers them).
    var inlinedCalls: [InlinedCall] = []
    var inlinedCallOffsets: [[UInt32]] = []
    /// Out-of-line code emitted after the body: an edge's moves before its jump.
    var edgeStubs: [(label: Label, edge: IREdge)] = []
    var jumpTables: [(label: Label, targets: [Label])] = []
    var floatConstants: [UInt64: Label] = [:]
    var floatConstantOrder: [UInt64] = []
    var calleeLabels: [Int: FunctionCompiler.DefinedTarget] = [:]
    var entryLabel: Label?
    /// The wasm instruction whose code is being emitted (trap sites record it).
    var currentSource = SourcePosition(moduleOffset: 0, inlined: -1)

    /// Where an instruction comes from: its module offset, and the inlined call it belongs to (-1: none).
    struct SourcePosition {
        var moduleOffset: UInt32
        var inlined: Int32
    }
    /// Blocks that a back edge enters (loop headers: the epoch check goes there).
    var loopHeaders: [Bool] = []
    /// Time spent in each phase for this function (`record` passes it on).
    var phases = OptimizerPhaseTimes()

    /// Builds, simplifies and allocates function `definedIndex`; throws `IRDecline` for a
    /// function the tier does not take (the baseline compiles it instead).
    init(module: WasmCore.Module, env: ModuleEnv, definedIndex: Int) throws {
        if env.consumesFuel { throw IRDecline("fuel metering") }
        if env.traced { throw IRDecline("call tracing") }
        self.module = module
        self.env = env
        functionIndex = env.importCount + definedIndex
        type = module.types[Int(module.functions[definedIndex])]
        let shared = env.optimizer ?? OptimizerModuleContext(module: module)
        var clock = JITModuleCode.wallSeconds()
        func lap() -> Double {
            let now = JITModuleCode.wallSeconds()
            defer { clock = now }
            return now - clock
        }
        // A small leaf may have been built and simplified already, as a callee to inline: the
        // same function these phases would make (inlining has nothing to do in a leaf).
        let index = UInt32(functionIndex)
        let inlineSized = Self.isInlineSized(module, definedIndex: definedIndex)
        var function: IRFunction
        if inlineSized, case let known?? = shared.knownInlineBody(index) {
            function = known
            phases.build = lap()
        } else {
            function = try IRBuilder.build(module, definedIndex: definedIndex, context: shared.validation)
            phases.build = lap()
            let leaf = !function.makesCalls
            _ = Inlining.run(&function, budget: Self.inliningBudget,
                             callee: Self.inlineCandidates(shared, importCount: env.importCount, caller: definedIndex))
            phases.inlining = lap()
            Simplify.run(&function)
            phases.simplify = lap()
            // For a later caller: what `inlineCandidates` would build (only a leaf's: for a
            // function with calls that would depend on what was inlined, so on compile order).
            if inlineSized && leaf { shared.recordInlineBody(index, Self.isInlinable(function) ? function : nil) }
        }
        self.function = function
        instructionOffsets = function.sourceOffsets
        for call in function.inlinedCalls {
            // The inlined body was built from the callee's decoded body: its offsets are there.
            if case let body?? = shared.knownInlineBody(call.callee) {
                inlinedCallOffsets.append(body.sourceOffsets)
            } else {
                inlinedCallOffsets.append(try module.codes[Int(call.callee) - env.importCount].decoded().offsets)
            }
            inlinedCalls.append(InlinedCall(callee: call.callee, callSite: instructionOffsets[Int(call.callSite)]))
        }
        intervals = try LiveIntervals(function, features: env.features)
        phases.liveness = lap()
        let allocation = LinearScan(function, intervals)
        phases.allocation = lap()
        locations = allocation.locations
        savedRegisterCount = allocation.savedRegisterCount
        spillSlotCount = allocation.spillSlotCount
        ownAreaSlots = max(RawValue.slotCount(type.params), RawValue.slotCount(type.results))
        for block in function.blocks {
            for instruction in block.instructions {
                switch instruction.operation {
                case .call(let callee, _):
                    let t = module.types[Int(env.functionTypes[Int(callee)])]
                    areaSlots = max(areaSlots, t.params.count, t.results.count)
                case .callIndirect(let typeIndex, _, _, _):
                    if !env.finalTypes[Int(typeIndex)] { throw IRDecline("call_indirect to a type with subtypes") }
                    let t = module.types[Int(typeIndex)]
                    areaSlots = max(areaSlots, t.params.count, t.results.count)
                default: break
                }
            }
        }
        frameSize = (8 * (5 + savedRegisterCount + spillSlotCount + areaSlots) + 15) & ~15
        var position = [Int](repeating: -1, count: function.blocks.count)
        for (n, b) in intervals.order.enumerated() { position[b] = n }
        var headers = [Bool](repeating: false, count: function.blocks.count)
        for b in intervals.order {
            function.blocks[b].terminator?.forEachEdge(in: function) { edge in
                if position[Int(edge.target.index)] <= position[b] { headers[Int(edge.target.index)] = true }
            }
        }
        loopHeaders = headers
    }

    /// The most instructions inlining may add to one function.
    static let inliningBudget = 2000
    /// Wasm bodies larger than this are not even considered for inlining.
    static let inliningBodyBytes = 160
    /// Simplified callees up to this many instructions are inlined.
    static let inliningInstructions = 40

    /// The callees `Inlining` may copy into defined function `caller`: small defined functions
    /// that make no calls, built and simplified once per module (`OptimizerModuleContext`).
    static func inlineCandidates(_ shared: OptimizerModuleContext, importCount: Int, caller: Int) -> (UInt32) -> IRFunction? {
        let module = shared.module
        return { index in
            let defined = Int(index) - importCount
            guard defined >= 0, defined != caller, isInlineSized(module, definedIndex: defined) else { return nil }
            return shared.inlineBody(index) {
                // (Simplify removes no call: a body that makes one is no candidate before it either.)
                guard var body = try? IRBuilder.build(module, definedIndex: defined, context: shared.validation),
                    !body.makesCalls
                else { return nil }
                Simplify.run(&body)
                return isInlinable(body) ? body : nil
            }
        }
    }

    /// Whether defined function `definedIndex`'s body is small enough to be considered for inlining.
    static func isInlineSized(_ module: WasmCore.Module, definedIndex: Int) -> Bool {
        module.codes[definedIndex].codeEnd - module.codes[definedIndex].bodyOffset <= inliningBodyBytes
    }

    /// Whether a simplified body may be inlined: a leaf of at most `inliningInstructions`.
    static func isInlinable(_ body: IRFunction) -> Bool {
        !body.makesCalls && body.instructionCount <= inliningInstructions
    }

    // MARK: Frame

    func spillSlot(_ j: Int) -> Mem { Mem(.rbp, Int32(-8 * (5 + savedRegisterCount + j))) }
    /// Where a runtime call for a numeric operator leaves its result.
    var helperResultSlot: Mem { spillSlot(spillSlotCount) }
    var r10CallSlot: Mem { Mem(.rbp, Int32(-8 * (3 + savedRegisterCount))) }
    var r11CallSlot: Mem { Mem(.rbp, Int32(-8 * (4 + savedRegisterCount))) }
    /// Slot `i` of an outgoing area of `k` slots (argument or result i).
    func outgoing(_ i: Int, of k: Int) -> Mem { Mem(.rbp, Int32(-frameSize + 8 * (k - 1 - i))) }
    /// Param or result `i` in the function's own area.
    func incoming(_ i: Int) -> Mem { Mem(.rbp, Int32(16 + 8 * (ownAreaSlots - 1 - i))) }

    /// What the code map keeps of this function (after `compile`).
    var record: CompiledFunctionRecord {
        var record = CompiledFunctionRecord(sourceMap: sourceMap, trapReturns: trapReturns,
                                            savedRegisterCount: savedRegisterCount, handlerTable: nil, optimized: true)
        record.phases = phases
        if !inlinedCalls.isEmpty {
            record.sourceInlined = sourceInlined
            record.trapInlined = trapInlined
            record.inlinedCalls = inlinedCalls
        }
        return record
    }

    /// The module offset of an instruction (of the function, or of a callee inlined into it).
    mutating func position(source: Int32, inlinedCall: Int32) -> SourcePosition {
        if inlinedCall >= 0 {
            return SourcePosition(moduleOffset: inlinedCallOffsets[Int(inlinedCall)][Int(source)], inlined: inlinedCall)
        }
        return SourcePosition(moduleOffset: instructionOffsets[Int(source)], inlined: -1)
    }

    mutating func recordSource(_ position: SourcePosition, at offset: Int) {
        currentSource = position
        sourceMap.append((offset, position.moduleOffset))
        sourceInlined.append(position.inlined)
    }

    // MARK: Driver

    mutating func compile(_ a: inout X64Assembler, entry: Label) throws {
        let started = JITModuleCode.wallSeconds()
        defer { phases.emission = JITModuleCode.wallSeconds() - started }
        entryLabel = entry
        // The prologue's traps (stack exhausted, interrupt) are reported at the first
        // instruction, as the baseline reports them.
        currentSource = SourcePosition(moduleOffset: instructionOffsets.first ?? 0, inlined: -1)
        blockLabels = function.blocks.indices.map { _ in a.newLabel() }
        let sourceCount = function.instructionCount + function.blocks.count  // about one per instruction
        sourceMap.reserveCapacity(sourceCount)
        sourceInlined.reserveCapacity(sourceCount)
        epilogue = a.newLabel("epilogue")
        a.bind(entry)
        a.push(.rbp)
        a.mov(.i64, .rbp, .rsp)
        a.lea(.i64, .rsp, Mem(.rbp, Int32(-frameSize)))
        a.cmp(.i64, .rsp, Mem(.r13, JITThreadState.stackLimitOffset))
        a.j(.b, trapLabel(.callStackExhausted, &a))
        for k in 0..<savedRegisterCount { a.mov(.i64, Mem(.rbp, Int32(-8 * (3 + k))), LinearScan.calleeSaved[k]) }
        emitInterruptCheck(&a)
        // The parameters, from the caller's area to their places.
        for (i, parameter) in function.blocks[0].parameters.enumerated() {
            let t = function.valueTypes[Int(parameter.id)]
            switch locations[Int(parameter.id)] {
            case .gpr(let r): a.mov(t == .i32 ? .i32 : .i64, r, incoming(i))
            case .xmm(let x): a.movsd(x, incoming(i))
            case .stack(let j):
                a.mov(.i64, .rax, incoming(i))
                a.mov(.i64, spillSlot(j), .rax)
            case .none, .constant: break
            }
        }
        for (n, b) in intervals.order.enumerated() {
            a.bind(blockLabels[b])
            if loopHeaders[b] { emitInterruptCheck(&a) }
            let block = function.blocks[b]
            for (i, instruction) in block.instructions.enumerated() {
                if instruction.source >= 0 {
                    recordSource(position(source: instruction.source, inlinedCall: instruction.inlinedCall), at: a.offset)
                }
                try emit(instruction, previous: i > 0 ? block.instructions[i - 1] : nil, &a)
                if let failure = a.failure { throw internalError(failure) }
            }
            if block.terminatorSource >= 0 {
                recordSource(position(source: block.terminatorSource, inlinedCall: -1), at: a.offset)
            }
            let next = n + 1 < intervals.order.count ? intervals.order[n + 1] : -1
            emitTerminator(block, fusedCompare: block.instructions.last, next: next, &a)
            if let failure = a.failure { throw internalError(failure) }
        }
        a.bind(epilogue)
        for k in 0..<savedRegisterCount { a.mov(.i64, LinearScan.calleeSaved[k], Mem(.rbp, Int32(-8 * (3 + k)))) }
        a.leave()
        a.ret()
        var s = 0
        while s < edgeStubs.count {  // stubs may add none, but iterate by index anyway
            let stub = edgeStubs[s]
            a.bind(stub.label)
            emitEdgeMoves(stub.edge, &a)
            a.jmp(blockLabels[Int(stub.edge.target.index)])
            s += 1
        }
        for (label, code, position) in trapSites {
            a.bind(label)
            if code == 0 { a.mov(.i32, .rdi, .rax) } else { a.mov(.i32, .rdi, Int64(code)) }  // 0: code in eax
            a.call(env.trapTail)
            trapReturns.append((a.offset, position.moduleOffset))
            trapInlined.append(position.inlined)
        }
        if !jumpTables.isEmpty {
            a.align(4, fill: .int3)
            for (label, targets) in jumpTables {
                a.bind(label)
                for target in targets { a.emitLabelDelta32(target, from: label) }
            }
        }
        if !floatConstantOrder.isEmpty {
            a.align(8, fill: .int3)
            for bits in floatConstantOrder {
                a.bind(floatConstants[bits]!)
                a.emit64(bits)
            }
        }
        if let failure = a.failure { throw internalError(failure) }
    }

    /// An internal compiler error (a bug of ours, never the module's fault).
    func internalError(_ message: String) -> JITError {
        let name = module.functionName(UInt32(functionIndex)).map { " '\($0)'" } ?? ""
        return JITError("internal compiler error (optimizing tier) in function \(functionIndex)\(name): \(message)")
    }

    /// An out-of-line trap site for the current instruction; code 0: the trap code is in eax.
    mutating func trapLabel(_ code: TrapCode?, _ a: inout X64Assembler) -> Label {
        let label = a.newLabel("trap")
        trapSites.append((label, code?.rawValue ?? 0, currentSource))
        return label
    }

    /// The epoch check (`Engine.epochInterruption`) at the entry and at loop headers; rax and
    /// rcx are free there (they never hold a value across instructions).
    mutating func emitInterruptCheck(_ a: inout X64Assembler) {
        guard env.interruptible else { return }
        SharedSequences.epochCheck(&a, trap: trapLabel(.interrupt, &a))
    }

    // MARK: Terminators

    mutating func emitTerminator(_ block: IRBlock, fusedCompare last: IRInstruction?, next: Int, _ a: inout X64Assembler) {
        switch block.terminator {
        case .jump(let edge)?:
            emitEdgeMoves(edge, &a)
            if Int(edge.target.index) != next { a.jmp(blockLabels[Int(edge.target.index)]) }
        case .branch(let condition, let ifTrue, let ifFalse)?:
            var cc: Condition
            if intervals.fusedCompares.contains(condition.id), let last, case .numeric(let op, let operands) = last.operation {
                cc = emitCompare(op, operands, &a)
            } else if case .constant(let bits) = locations[Int(condition.id)] {
                let edge = UInt32(truncatingIfNeeded: bits) != 0 ? ifTrue : ifFalse
                emitEdgeMoves(edge, &a)
                if Int(edge.target.index) != next { a.jmp(blockLabels[Int(edge.target.index)]) }
                return
            } else {
                testNonZero(condition, &a)
                cc = .ne
            }
            var taken = ifTrue, notTaken = ifFalse
            if Int(ifTrue.target.index) == next && !needsMoves(ifFalse) {
                swap(&taken, &notTaken)
                cc = cc.negated
            }
            a.j(cc, edgeTarget(taken, &a))
            emitEdgeMoves(notTaken, &a)
            if Int(notTaken.target.index) != next { a.jmp(blockLabels[Int(notTaken.target.index)]) }
        case .table(let index, let targets, let fallback)?:
            let r = intRegister(index, scratch: .rcx, .i32, &a)
            a.cmp(.i32, r, Int32(bitPattern: UInt32(targets.count)))
            a.j(.ae, edgeTarget(fallback, &a))
            let table = a.newLabel("table")
            jumpTables.append((table, function.edges(targets).map { edgeTarget($0, &a) }))
            a.lea(.i64, .rax, .rip(table))
            a.movsxd(.rcx, Mem(.rax, r, .x4, 0))
            a.add(.i64, .rax, .rcx)
            a.jmp(.rax)
        case .return(let values)?:
            for (j, value) in function.values(values).enumerated() {
                store(value, to: incoming(j), &a)
            }
            if next != -1 { a.jmp(epilogue) }
        case .trap?, nil:
            a.jmp(trapLabel(.unreachable, &a))
        }
    }

    /// Whether taking `edge` moves values into its target's parameters.
    mutating func needsMoves(_ edge: IREdge) -> Bool {
        let parameters = function.blocks[Int(edge.target.index)].parameters
        for (argument, parameter) in zip(function.values(edge.arguments), parameters) {
            let to = locations[Int(parameter.id)]
            if to != .none && to != locations[Int(argument.id)] { return true }
        }
        return false
    }

    /// Where a conditional jump along `edge` goes: the target, or a stub doing its moves first.
    mutating func edgeTarget(_ edge: IREdge, _ a: inout X64Assembler) -> Label {
        guard needsMoves(edge) else { return blockLabels[Int(edge.target.index)] }
        let stub = a.newLabel("edge")
        edgeStubs.append((stub, edge))
        return stub
    }

    mutating func emitEdgeMoves(_ edge: IREdge, _ a: inout X64Assembler) {
        guard edge.arguments.count > 0, needsMoves(edge) else { return }
        let parameters = function.blocks[Int(edge.target.index)].parameters
        let locations = locations
        emitParallelMoves(zip(function.values(edge.arguments), parameters).lazy.map {
            (from: locations[Int($0.0.id)], to: locations[Int($0.1.id)])
        }, &a)
    }
}
