import WasmCore
import WasmOptimizer

/// The linear order of an IR function's blocks and each value's live range in it: the
/// register allocator's input (Docs/Optimizer.md, "Code generation").
///
/// Blocks are laid out in reverse postorder (a loop's body follows its header). Every block
/// header, instruction and terminator takes one slot `k`; operands are read at position `2k`
/// and results written at `2k + 1`, so a result may take the register of an operand whose
/// last use is the same instruction. A value's interval is the hull of its definition, its
/// uses and the blocks it is live into or out of (from a backward dataflow over bit sets):
/// one range per value, no holes. Constants get no interval: code rematerializes them where
/// they are used, as immediates where x86 allows.
struct LiveIntervals {
    /// Reachable blocks in reverse postorder (block indices).
    var order: [Int] = []
    /// Per value: first and last position (-1: no interval: a constant, or never used).
    var start: [Int32]
    var end: [Int32]
    /// Per value: how many times an instruction, a terminator or an edge reads it.
    var useCount: [Int32]
    /// Positions of the instructions that call out (wasm calls, runtime helpers): values
    /// live across one must be in a register the callee preserves, or in a stack slot.
    var callPositions: [Int32] = []
    /// Positions of divisions and remainders, which clobber rdx (the allocator's one
    /// register that an instruction other than a call clobbers).
    var rdxClobbers: [Int32] = []
    /// Per value: its bits when it is a constant.
    var constants: [UInt64?]
    /// Compares whose only use is the branch or `select` right after them: they set the
    /// flags there and produce no value (no interval).
    var fusedCompares: Set<Int32> = []

    /// The largest liveness problem (blocks × 64-bit words of values) the tier takes on.
    static let maxLivenessWords = 8 << 20

    init(_ function: IRFunction, features: CPUFeatures) throws(IRDecline) {
        let valueCount = function.valueTypes.count
        start = Array(repeating: -1, count: valueCount)
        end = Array(repeating: -1, count: valueCount)
        useCount = Array(repeating: 0, count: valueCount)
        constants = Array(repeating: nil, count: valueCount)
        order = function.reversePostorder()
        let words = (valueCount + 63) / 64
        if order.count * words > Self.maxLivenessWords {
            throw IRDecline("too large for the register allocator's liveness sets")
        }
        for block in function.blocks {
            for instruction in block.instructions {
                if case .constant(let bits) = instruction.operation { constants[Int(instruction.results[0].id)] = bits }
                instruction.operation.forEachOperand(in: function) { useCount[Int($0.id)] += 1 }
            }
            if let terminator = block.terminator {
                terminator.forEachOperand { useCount[Int($0.id)] += 1 }
                terminator.forEachEdge { edge in edge.arguments.forEach { useCount[Int($0.id)] += 1 } }
            }
        }
        findFusedCompares(function)
        computeRanges(function, words: words, features: features)
    }

    /// A compare (or `eqz`) that is its block's last instruction and is read only by the
    /// block's `branch`, or one read only by the `select` right after it.
    mutating func findFusedCompares(_ function: IRFunction) {
        for block in function.blocks {
            let instructions = block.instructions
            for (i, instruction) in instructions.enumerated() {
                guard case .numeric(let op, _) = instruction.operation, Self.isFusible(op) else { continue }
                let value = instruction.results[0]
                guard useCount[Int(value.id)] == 1 else { continue }
                if i == instructions.count - 1 {
                    if case .branch(let condition, _, _)? = block.terminator, condition == value {
                        fusedCompares.insert(value.id)
                    }
                } else if case .select(let condition, let ifTrue, let ifFalse) = instructions[i + 1].operation,
                    condition == value, ifTrue != value, ifFalse != value,
                    [.i32, .i64].contains(function.valueTypes[Int(ifTrue.id)])
                {
                    fusedCompares.insert(value.id)
                }
            }
        }
    }

    /// Compares whose outcome is one x86 condition code (integer compares, eqz, and the
    /// ordered float compares; float `eq`/`ne` need the parity flag as well).
    static func isFusible(_ op: NumericOp) -> Bool {
        switch op.kind {
        case .test: return true
        case .compare:
            switch op {
            case .f32Eq, .f32Ne, .f64Eq, .f64Ne: return false
            default: return true
            }
        default: return false
        }
    }

    mutating func computeRanges(_ function: IRFunction, words: Int, features: CPUFeatures) {
        let blockCount = function.blocks.count
        var headerSlot = [Int32](repeating: -1, count: blockCount)
        var terminatorSlot = [Int32](repeating: -1, count: blockCount)
        var slot: Int32 = 0
        var tracked = [Bool](repeating: false, count: function.valueTypes.count)
        for v in tracked.indices { tracked[v] = constants[v] == nil && !fusedCompares.contains(Int32(v)) }
        func isTracked(_ value: IRValue) -> Bool { tracked[Int(value.id)] }
        func define(_ value: IRValue, at position: Int32) {
            guard isTracked(value) else { return }
            let v = Int(value.id)
            if start[v] < 0 || position < start[v] { start[v] = position }
            if end[v] < position { end[v] = position }
        }
        func use(_ value: IRValue, at position: Int32) {
            guard isTracked(value) else { return }
            let v = Int(value.id)
            if start[v] < 0 || position < start[v] { start[v] = position }
            if end[v] < position { end[v] = position }
        }
        for b in order {
            let block = function.blocks[b]
            headerSlot[b] = slot
            for parameter in block.parameters { define(parameter, at: 2 * slot + 1) }
            slot += 1
            for instruction in block.instructions {
                instruction.operation.forEachOperand(in: function) { use($0, at: 2 * slot) }
                if instruction.operation.callsOut(features) { callPositions.append(2 * slot) }
                if case .numeric(let op, _) = instruction.operation, Self.clobbersRDX(op) { rdxClobbers.append(2 * slot) }
                for result in instruction.results { define(result, at: 2 * slot + 1) }
                slot += 1
            }
            terminatorSlot[b] = slot
            if let terminator = block.terminator {
                terminator.forEachOperand { use($0, at: 2 * slot) }
                terminator.forEachEdge { edge in edge.arguments.forEach { use($0, at: 2 * slot) } }
            }
            slot += 1
        }
        // Liveness: live-in(b) = uses(b) ∪ (live-out(b) − defs(b)), live-out(b) = ∪ live-in(successors).
        // Each block's upward-exposed uses and definitions are found once; the fixpoint then
        // works on words only.
        var uses = [UInt64](repeating: 0, count: blockCount * words)
        var defs = [UInt64](repeating: 0, count: blockCount * words)
        for b in order {
            let base = b * words
            func set(_ value: IRValue) {
                guard tracked[Int(value.id)] else { return }
                uses[base + Int(value.id) >> 6] |= 1 << UInt64(value.id & 63)
            }
            func clear(_ value: IRValue) {
                uses[base + Int(value.id) >> 6] &= ~(1 << UInt64(value.id & 63))
                defs[base + Int(value.id) >> 6] |= 1 << UInt64(value.id & 63)
            }
            let block = function.blocks[b]
            if let terminator = block.terminator {
                terminator.forEachOperand(set)
                terminator.forEachEdge { $0.arguments.forEach(set) }
            }
            for instruction in block.instructions.reversed() {
                instruction.results.forEach(clear)
                instruction.operation.forEachOperand(in: function, set)
            }
            block.parameters.forEach(clear)
        }
        var liveIn = [UInt64](repeating: 0, count: blockCount * words)
        var liveOut = [UInt64](repeating: 0, count: blockCount * words)
        var changed = true
        while changed {
            changed = false
            for b in order.reversed() {
                let base = b * words
                function.blocks[b].terminator?.forEachEdge { edge in
                    let t = Int(edge.target.index) * words
                    for w in 0..<words { liveOut[base + w] |= liveIn[t + w] }
                }
                for w in 0..<words {
                    let bits = uses[base + w] | (liveOut[base + w] & ~defs[base + w])
                    if bits != liveIn[base + w] {
                        liveIn[base + w] = bits
                        changed = true
                    }
                }
            }
        }
        for b in order {
            let entry = 2 * headerSlot[b], exit = 2 * terminatorSlot[b] + 1
            for w in 0..<words {
                var bits = liveIn[b * words + w]
                while bits != 0 {
                    let v = w * 64 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    if start[v] < 0 || entry < start[v] { start[v] = entry }
                    if end[v] < entry { end[v] = entry }
                }
                bits = liveOut[b * words + w]
                while bits != 0 {
                    let v = w * 64 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    if start[v] < 0 || exit < start[v] { start[v] = exit }
                    if end[v] < exit { end[v] = exit }
                }
            }
        }
        // A value defined and never read needs no place (its instruction may still run).
        for v in 0..<useCount.count where useCount[v] == 0 {
            start[v] = -1
            end[v] = -1
        }
    }

    /// Whether value `v`'s interval contains a call (it must survive it).
    func crossesCall(_ v: Int) -> Bool { Self.contains(callPositions, after: start[v], before: end[v]) }

    /// Whether value `v`'s interval contains a division (it cannot live in rdx).
    func crossesDivision(_ v: Int) -> Bool { Self.contains(rdxClobbers, after: start[v], before: end[v]) }

    /// Whether sorted `positions` has one strictly between `from` and `to`.
    static func contains(_ positions: [Int32], after from: Int32, before to: Int32) -> Bool {
        var lo = 0, hi = positions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if positions[mid] <= from { lo = mid + 1 } else { hi = mid }
        }
        return lo < positions.count && positions[lo] < to
    }

    static func clobbersRDX(_ op: NumericOp) -> Bool {
        switch op {
        case .i32DivS, .i32DivU, .i32RemS, .i32RemU, .i64DivS, .i64DivU, .i64RemS, .i64RemU: return true
        default: return false
        }
    }
}

extension IROperation {
    /// Whether the code for it calls out of the function (a wasm call or a runtime helper),
    /// clobbering the registers callees may use.
    func callsOut(_ features: CPUFeatures) -> Bool {
        switch self {
        case .call, .callIndirect, .memoryGrow, .memoryFill, .memoryCopy: return true
        case .numeric(let op, _): return OptimizingCompiler.usesRuntimeCall(op, features)
        default: return false
        }
    }
}
