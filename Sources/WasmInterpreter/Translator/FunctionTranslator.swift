import WasmCore
import WasmRuntime

/// A branch offset to patch once its target is known.
struct Fixup {
    /// Word holding the offset.
    var at: Int
    /// The instruction head the offset is relative to.
    var base: Int
    /// The offset lives in bits 32..<64 of the head word (one-word branches)
    /// rather than in a whole word of its own.
    var inHead: Bool
    /// The offset is the low 32 bits of a word whose high bits hold a slot (`addBrI32…`).
    var low32 = false
}

/// One entry of the wasm control stack during translation.
struct ControlFrame {
    enum Kind { case function, block, loop, `if` }
    var kind: Kind
    /// Operand stack height below the block's params.
    var height: Int
    var paramCount: Int
    var resultCount: Int
    /// Code position of a loop's first instruction (its branch target).
    var loopStart = 0
    /// Forward branches to the end of the block.
    var fixups: [Fixup] = []
    /// An `if`'s branch to its `else` arm (or to its end when it has none).
    var elseFixup: Fixup?
    /// Some branch targets the end, so code after `end` is reachable.
    var endReachable = false
    /// A loop whose first instruction is a conditional branch out of it
    /// (`loop (br_if $exit cond) …`): that (two-word) branch's head word and
    /// target control. A `br` back to the loop then tests the inverted
    /// condition itself and jumps past the head (loop rotation).
    var headBranch: (word: UInt64, target: Int)?

    /// A `try_table` or legacy `try`: its region in `handlerRegions` (-1 for other blocks).
    var region = -1
    /// A legacy `try`: the slot its `catch` clauses keep the caught exception in (for `rethrow`).
    var exceptionSlot = -1

    /// Values a branch to this label carries.
    var labelArity: Int { kind == .loop ? paramCount : resultCount }
}

/// A `try_table`'s body in the code, and where each of its catch clauses lands: the driver
/// unwinding an exception looks for the innermost region holding the throwing instruction
/// (or the call it came out of), writes the payload to the clause's slots and jumps to its stub,
/// which branches to the clause's label like a `br`.
typealias TryRegion = HandlerRegion<CatchStub>

/// One catch clause of a `try_table` or a legacy `try`, translated.
struct CatchStub {
    var clause: Catch
    /// Code position of the stub (a legacy `catch`: of the clause's body).
    var target: Int
    /// Where the payload goes: the tag's values.
    var firstSlot: Int
    /// Slots of the tag's values (0 for `catch_all`).
    var valueSlots: Int
    /// Where the `exnref` goes (the `_ref` forms: after the values; a legacy clause: its `try`'s
    /// exception slot), or -1.
    var referenceSlot: Int
}

/// Translates one validated function body into register code in a single
/// pass over its instructions.
///
/// The wasm operand stack is tracked as a list of frame slots (`stack`): entry
/// `d` is either a *temporary* living in its home slot `stackBase + d`, or a
/// reference to a local's slot (`local.get` copies nothing) or to a constant's
/// slot in the per-function constant area. References are turned into copies
/// ("materialised") only when needed: when a `local.set`/`local.tee` would
/// overwrite a local still referenced, at block boundaries, and for call
/// arguments and branch values, which must sit at fixed slots.
///
/// Frame layout: `[params][locals][constants][operand stack][scratch]`. A v128 takes two
/// consecutive slots everywhere (a parameter, a local, two stack entries, low half first), so
/// counts of params, results, block values and call arguments are slot counts; SIMD
/// instructions read and write both slots of the pairs they are given.
struct FunctionTranslator {
    let types: [FuncType]
    /// Type index of every function in the function index space.
    let functionTypes: [UInt32]
    let importCount: Int
    /// Address of each function's `FunctionInfo` (embedded in `call`).
    let functionInfos: UnsafeMutablePointer<FunctionInfo>
    let functionIndex: UInt32

    /// Slots of the parameters and of the results.
    let paramCount: Int
    let resultCount: Int
    /// End of params + locals: slots below this are locals.
    let localsEnd: Int
    /// The slot of each local (params first) and whether it is a v128, when the function has a
    /// v128 param or local; nil when every local takes one slot (local i is slot i).
    let localSlots: [Int]?
    let vectorLocals: [Bool]?
    /// The type of every global (imported first).
    let globalTypes: [ValueType]
    /// A validator following the body, for operand types the instructions do not spell out
    /// (`drop`, `select` of a v128); only in modules that use SIMD.
    var typing: FunctionValidator?
    /// First operand stack slot (after the constants).
    let stackBase: Int
    /// Pooled constants: raw value → slot.
    let constSlots: [UInt64: Int]
    /// Pooled constants in slot order.
    let constValues: [UInt64]
    /// A constant slot holding 0 (pooled whenever the function accesses memory).
    var zeroSlot: Int { constSlots[0]! }

    var code: [UInt64] = []
    /// Slot of each operand stack entry.
    var stack: [Int] = []
    var controls: [ControlFrame] = []
    var maxDepth = 0
    /// False while translating dead code (after br, return, unreachable…).
    var reachable = true
    /// Nesting of blocks opened inside dead code.
    var skipNesting = 0
    /// Head position of the last emitted instruction if it wrote its result
    /// (field C) to the home slot of stack entry `lastProducerDepth`; else -1.
    var lastProducer = -1
    var lastProducerDepth = -1
    /// The producer emitted right before `lastProducer` (consumed by it), when nothing
    /// was emitted in between; else -1. For fusing `i32.shl` into a scaled load.
    var previousProducer = -1
    var previousProducerDepth = -1
    /// Code position of the last label (a branch target).
    var labelPosition = 0
    /// Head position of the producer of each operand stack depth (possibly stale: check it).
    var producerAt: [Int] = []
    /// The last emitted instruction if it was an integer comparison (for fusing with br_if/if).
    var lastCompare: (pos: Int, op: NumericOp, a: Int, b: Int, depth: Int)?
    /// When `lastCompare` is an `eqz`: the position of the `i32.and`/`i64.and` right before
    /// it whose temporary it tests (a branch on the eqz then tests the and's operands); else -1.
    var eqzOfAnd = -1
    /// When `lastCompare` is an i32 comparison: the position of the `i32.add` right before
    /// it (a branch on the comparison then fuses with that add when it reads its result); else -1.
    var compareAfterAdd = -1
    /// Head position of the last emitted instruction.
    var lastHead = -1
    /// Set when `typing` failed (an internal error: the body was validated).
    var translationError: InterpreterError?
    /// (code position, module byte offset) of each translated instruction.
    var sourceMap: [(code: UInt32, wasm: UInt32)] = []
    /// The function's `try_table`s and legacy `try`s, in the order they start.
    var handlerRegions = HandlerRegionRecorder<CatchStub>()
    /// The first of the slots (after the locals) that legacy `try`s keep caught exceptions
    /// in, one per nesting level.
    let exceptionSlotBase: Int
    /// The function type of each tag (imports first).
    let tagTypes: [FuncType]
    /// Whether each memory (imports first) is 64-bit, and each table.
    let memory64: [Bool]
    let table64: [Bool]
    /// Emit `interruptCheck` at the function's entry and every loop header (epoch interruption).
    let interruptible: Bool
    /// Emit `consumeFuel` at the start of every straight-line run (fuel metering, `FuelMeter`).
    let consumesFuel: Bool

    /// Constants beyond this many distinct values are materialised by instructions.
    static let maxPooledConstants = 128

    /// Every call leaves the loop (to the driver, which traces it): direct calls as
    /// `callImport`, indirect ones as `callIndirectSlow` (and their tail forms).
    let traced: Bool

    init(
        body: FunctionBody, decoded: DecodedBody, type: FuncType, functionIndex: UInt32, types: [FuncType], functionTypes: [UInt32],
        importCount: Int, functionInfos: UnsafeMutablePointer<FunctionInfo>, globalTypes: [ValueType] = [],
        typing: FunctionValidator? = nil, traced: Bool = false, tagTypes: [FuncType] = [], memory64: [Bool] = [],
        table64: [Bool] = [], interruptible: Bool = false, consumesFuel: Bool = false
    ) {
        self.interruptible = interruptible
        self.consumesFuel = consumesFuel
        self.memory64 = memory64
        self.table64 = table64
        self.traced = traced
        self.tagTypes = tagTypes
        self.globalTypes = globalTypes
        self.typing = typing
        self.types = types
        self.functionTypes = functionTypes
        self.importCount = importCount
        self.functionInfos = functionInfos
        self.functionIndex = functionIndex
        paramCount = RawValue.slotCount(type.params)
        resultCount = RawValue.slotCount(type.results)
        let hasVectorLocal = type.params.contains(.v128) || body.localDeclarations.contains { $0.type == .v128 }
        if hasVectorLocal, paramCount + body.localCount * 2 <= FunctionTranslator.maxFrameSlots {
            var slots: [Int] = [], vectors: [Bool] = [], next = 0
            for t in type.params + body.localDeclarations.flatMap({ Array(repeating: $0.type, count: Int($0.count)) }) {
                slots.append(next)
                vectors.append(t == .v128)
                next += RawValue.slotCount(t)
            }
            localSlots = slots
            vectorLocals = vectors
            exceptionSlotBase = next
        } else {
            // Without v128 locals (or with more than a frame can hold: translation fails on the
            // first instruction), local i is slot i.
            localSlots = nil
            vectorLocals = nil
            exceptionSlotBase = hasVectorLocal ? paramCount + body.localCount * 2 : paramCount + body.localCount
        }
        localsEnd = exceptionSlotBase + legacyTryNesting(decoded.instructions)

        // Pool the most frequent constants into frame slots.
        // Constants are weighted by 8^(enclosing loops), so those in inner loops win slots.
        var counts: [UInt64: Int] = [:]
        var firstSeen: [UInt64] = []
        var usesMemory = false
        var blocks: [Bool] = []
        var loops = 0
        for ins in decoded.instructions {
            switch ins {
            case .load, .store, .laneMemory: usesMemory = true
            case .block, .if, .tryTable, .legacyTry: blocks.append(false)
            case .loop:
                blocks.append(true)
                loops += 1
            case .end, .delegate:
                if blocks.popLast() == true { loops -= 1 }
            default: break
            }
            guard let v = FunctionTranslator.constantValue(ins) else { continue }
            if counts[v] == nil { firstSeen.append(v) }
            counts[v, default: 0] += 1 << (3 * min(loops, 6))
        }
        if usesMemory {
            // Loads and stores address fp[A] + fp[B]; without a fused add, B is a slot holding 0.
            if counts[0] == nil { firstSeen.insert(0, at: 0) }
            counts[0] = Int.max
        }
        var chosen = firstSeen
        if chosen.count > FunctionTranslator.maxPooledConstants {
            chosen = Array(
                firstSeen.enumerated().sorted { l, r in
                    let cl = counts[l.element]!, cr = counts[r.element]!
                    return cl != cr ? cl > cr : l.offset < r.offset
                }.prefix(FunctionTranslator.maxPooledConstants).map(\.element))
        }
        var slots: [UInt64: Int] = [:]
        for (i, v) in chosen.enumerated() { slots[v] = localsEnd + i }
        constSlots = slots
        constValues = chosen
        stackBase = localsEnd + chosen.count
    }

    static func constantValue(_ ins: Instruction) -> UInt64? {
        switch ins {
        case .i32Const(let v): UInt64(UInt32(bitPattern: v))
        case .i64Const(let v): UInt64(bitPattern: v)
        case .f32Const(let v): UInt64(v)
        case .f64Const(let v): v
        case .refNull: 0
        default: nil
        }
    }

    // MARK: Operand stack

    @inline(__always) func home(_ depth: Int) -> Int { stackBase + depth }

    /// The (first) slot of local `index`.
    @inline(__always) func slot(ofLocal index: Int) -> Int { localSlots?[index] ?? index }

    /// Whether local `index` is a v128.
    @inline(__always) func isVectorLocal(_ index: Int) -> Bool { vectorLocals?[index] ?? false }

    /// Whether the operand `depth` values below the top is a v128 (from `typing`; false in
    /// modules without SIMD, where no value is).
    func operandIsVector(depth: Int) -> Bool { typing?.operandType(depth: depth) == .v128 }

    mutating func push(_ slot: Int) {
        stack.append(slot)
        if stack.count > maxDepth { maxDepth = stack.count }
    }

    /// Pushes a temporary in its home slot and returns that slot.
    @discardableResult
    mutating func pushTemp() -> Int {
        let slot = home(stack.count)
        push(slot)
        return slot
    }

    mutating func pop() -> Int { stack.removeLast() }

    /// Reserves `n` slots above the current stack top (scratch space).
    mutating func reserve(_ n: Int) { maxDepth = max(maxDepth, stack.count + n) }

    /// Makes entry `i` a temporary in its home slot.
    mutating func materialize(_ i: Int) {
        let h = home(i)
        if stack[i] != h {
            emit(Word.make(.copy, a: stack[i], c: h))
            stack[i] = h
        }
    }

    // MARK: Emission

    mutating func emit(_ word: UInt64) {
        lastHead = code.count
        code.append(word)
        lastProducer = -1
        lastCompare = nil
    }

    /// Emits an instruction whose result goes to field C = the home slot of a
    /// new top entry, then pushes that entry. Extra words follow the head.
    mutating func emitProducer(_ op: Op, a: Int = 0, b: Int = 0, extra: UInt64? = nil) {
        let dst = home(stack.count)
        let pos = code.count
        let previous = lastProducer, previousDepth = lastProducerDepth
        emit(Word.make(op, a: a, b: b, c: dst))
        if let e = extra { code.append(e) }
        push(dst)
        lastProducer = pos
        lastProducerDepth = stack.count - 1
        previousProducer = previous
        previousProducerDepth = previousDepth
        while producerAt.count < stack.count { producerAt.append(-1) }
        producerAt[stack.count - 1] = pos
    }

    /// A branch target: no peephole may look across it.
    mutating func placeLabel() {
        labelPosition = code.count
        lastProducer = -1
        lastCompare = nil
    }

    mutating func patch(_ f: Fixup, to target: Int) {
        let rel = target - f.base
        if f.inHead {
            code[f.at] = (code[f.at] & 0xFFFF_FFFF) | UInt64(UInt32(truncatingIfNeeded: rel)) << 32
        } else if f.low32 {
            code[f.at] = (code[f.at] & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(truncatingIfNeeded: rel))
        } else {
            code[f.at] = UInt64(bitPattern: Int64(rel))
        }
    }

    /// Emits `dst ← src` moves that may overlap (a parallel assignment),
    /// using fresh scratch slots above the stack top to break cycles.
    mutating func parallelMove(_ moves: [(dst: Int, src: Int)]) {
        var pending = moves.filter { $0.dst != $0.src }
        var scratch = home(stack.count)
        while !pending.isEmpty {
            if let k = pending.firstIndex(where: { m in !pending.contains(where: { $0.src == m.dst }) }) {
                let m = pending.remove(at: k)
                emit(Word.make(.copy, a: m.src, c: m.dst))
            } else {
                let d = pending[0].dst
                reserve(scratch - stackBase + 1)
                emit(Word.make(.copy, a: d, c: scratch))
                for j in pending.indices where pending[j].src == d { pending[j].src = scratch }
                scratch += 1
            }
        }
    }

    // MARK: Driver

    /// Translates the body. Returns the code and the frame size.
    mutating func translate(_ body: DecodedBody) throws -> (code: [UInt64], frameSize: Int) {
        controls.append(ControlFrame(kind: .function, height: 0, paramCount: 0, resultCount: resultCount))
        if interruptible && InterruptChecks.needsEntryCheck(body.instructions) { emit(Word.make(.interruptCheck)) }
        chargeFuel(forRunAt: 0, body.instructions)
        for (i, ins) in body.instructions.enumerated() {
            defer {
                // The validator sees every instruction, reachable or not, after it was translated.
                if typing != nil {
                    do { try typing!.visit(ins, offset: body.offsets[i]) } catch {
                        typing = nil
                        translationError = InterpreterError("internal interpreter error: the typing of function \(functionIndex) failed: \(error)")
                    }
                }
            }
            if !reachable {
                switch ins {
                case .block, .loop, .if, .tryTable, .legacyTry:
                    skipNesting += 1
                    continue
                case .else where skipNesting == 0, .end where skipNesting == 0, .delegate where skipNesting == 0,
                    .legacyCatch where skipNesting == 0, .legacyCatchAll where skipNesting == 0:
                    break
                case .end, .delegate:
                    skipNesting -= 1
                    continue
                default:
                    continue
                }
            }
            let position = UInt32(code.count)
            while let last = sourceMap.last, last.code >= position { sourceMap.removeLast() }
            sourceMap.append((position, body.offsets[i]))
            try translate(ins)
            if let translationError { throw translationError }
            // Give up as soon as the frame is too large, not after translating the whole
            // body: a small body can otherwise grow the operand stack quadratically
            // (calls of a function with thousands of results; found by fuzzing).
            if stackBase + maxDepth > 0xFFFF { throw frameTooLarge(stackBase + maxDepth) }
            if controls.isEmpty { break }
            if consumesFuel && FuelMeter.endsRun(ins) { chargeFuel(forRunAt: i + 1, body.instructions) }
        }
        threadReturns()
        let frameSize = max(stackBase + maxDepth, resultCount, paramCount)
        guard frameSize <= 0xFFFF else { throw frameTooLarge(frameSize) }
        return (code, frameSize)
    }

    /// Fuel metering: charges the straight-line run at `start` (reachable code only).
    mutating func chargeFuel(forRunAt start: Int, _ instructions: [Instruction]) {
        guard consumesFuel, reachable, start < instructions.count else { return }
        let cost = FuelMeter.runCost(from: start, in: instructions)
        emit(Word.make(.consumeFuel, index: Int(min(cost, Int64(UInt32.max)))))
    }

    /// Frame slots are 16-bit operand fields.
    static let maxFrameSlots = 0xFFFF

    func frameTooLarge(_ slots: Int) -> InterpreterError {
        Self.frameTooLarge(slots, functionIndex: functionIndex)
    }

    static func frameTooLarge(_ slots: Int, functionIndex: UInt32) -> InterpreterError {
        InterpreterError("function \(functionIndex) needs \(slots) frame slots; the interpreter supports at most 65535")
    }
}

extension FunctionTranslator {
    /// Words of the instruction at `pc`.
    func instructionLength(at pc: Int) -> Int {
        let w = code[pc]
        let op = Word.op(w)
        switch op {
        case .brTable: return Int(truncatingIfNeeded: w >> 32) + 2
        case .call, .callImport: return 2 + (Word.b(w) + 3) / 4
        case .callIndirect, .callIndirectSlow, .callRef, .callRefSlow: return 2 + (Word.c(w) + 3) / 4
        case .throw: return 2 + (Word.b(w) + 3) / 4
        default: return op.length
        }
    }

    /// Peephole on the finished code: a `br` to a return becomes that return,
    /// and `copy a → X` followed by `ret1 X` becomes `ret1 a`. Both keep every
    /// instruction's size, so no branch offset changes.
    mutating func threadReturns() {
        var pc = 0
        var previous = -1
        while pc < code.count {
            let w = code[pc]
            let op = Word.op(w)
            if op == .br {
                let target = code[pc + Word.rel(w)]
                let targetOp = Word.decodedOp(target)
                if targetOp == .ret1 || targetOp == .ret { code[pc] = target }
            }
            let now = code[pc]
            if Word.decodedOp(now) == .ret1, previous >= 0,
                Word.decodedOp(code[previous]) == .copy,
                Word.c(code[previous]) == Word.a(now)
            {
                code[previous] = Word.make(.ret1, a: Word.a(code[previous]))
            }
            previous = pc
            pc += instructionLength(at: pc)
        }
    }
}

/// The interpreter cannot run a (valid) module, e.g. a function too large for its operand encoding.
public struct InterpreterError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
