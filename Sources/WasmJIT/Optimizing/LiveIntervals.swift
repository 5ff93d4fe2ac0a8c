import WasmCore
import WasmOptimizer

/// The linear order of an IR function's blocks and each value's live range in it: the
/// register allocator's input (Docs/Optimizer.md, "Code generation").
///
/// Blocks are laid out in reverse postorder (a loop's body follows its header). Every block
/// header, instruction and terminator takes one slot `k`; operands are read at position `2k`
/// and results written at `2k + 1`, so a result may take the register of an operand whose
/// last use is the same instruction. A value's interval is the hull of its definition, its
/// uses and the blocks it is live into or out of (found by walking backwards from each use in
/// another block to the definition): one range per value, no holes. Constants get no interval: code rematerializes them where
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
    var fusedCompares: FlagSet

    /// The most (value, block) pairs the liveness walk visits before the tier gives up on a
    /// function (its work grows with values × blocks they live through).
    static let maxLivenessSteps = 200_000_000

    init(_ function: IRFunction, features: CPUFeatures) throws(IRDecline) {
        let valueCount = function.valueTypes.count
        start = Array(repeating: -1, count: valueCount)
        end = Array(repeating: -1, count: valueCount)
        useCount = Array(repeating: 0, count: valueCount)
        constants = Array(repeating: nil, count: valueCount)
        fusedCompares = FlagSet(count: valueCount)
        order = function.reversePostorder()
        for block in function.blocks {
            for instruction in block.instructions {
                if case .constant(let bits) = instruction.operation { constants[Int(instruction.results[0].id)] = bits }
                instruction.operation.forEachOperand(in: function) { useCount[Int($0.id)] += 1 }
            }
            if let terminator = block.terminator {
                terminator.forEachOperand(in: function) { useCount[Int($0.id)] += 1 }
                terminator.forEachEdge(in: function) { edge in function.values(edge.arguments).forEach { useCount[Int($0.id)] += 1 } }
            }
        }
        findFusedCompares(function)
        try computeRanges(function, features: features)
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
                        fusedCompares.insert(Int(value.id))
                    }
                } else if case .select(let condition, let ifTrue, let ifFalse) = instructions[i + 1].operation,
                    condition == value, ifTrue != value, ifFalse != value,
                    [.i32, .i64].contains(function.valueTypes[Int(ifTrue.id)])
                {
                    fusedCompares.insert(Int(value.id))
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

    mutating func computeRanges(_ function: IRFunction, features: CPUFeatures) throws(IRDecline) {
        let blockCount = function.blocks.count
        let valueCount = function.valueTypes.count
        var headerSlot = [Int32](repeating: -1, count: blockCount)
        var terminatorSlot = [Int32](repeating: -1, count: blockCount)
        var definingBlock = [Int32](repeating: -1, count: valueCount)
        var tracked = [Bool](repeating: false, count: valueCount)
        for v in tracked.indices { tracked[v] = constants[v] == nil }
        for v in tracked.indices where fusedCompares.contains(v) { tracked[v] = false }
        // Positions, and the hull of each value's definition and uses; a use in another block
        // than the definition's is kept for the liveness walk below.
        let ranges = RangeBuilder(count: valueCount)
        defer { ranges.release() }
        var crossUses: [(value: Int32, block: Int32)] = []
        var slot: Int32 = 0
        for b in order {
            let block = function.blocks[b]
            let blockID = Int32(b)
            headerSlot[b] = slot
            for parameter in block.parameters where tracked[Int(parameter.id)] {
                definingBlock[Int(parameter.id)] = blockID
                ranges.extend(Int(parameter.id), to: 2 * slot + 1)
            }
            slot += 1
            for instruction in block.instructions {
                instruction.operation.forEachOperand(in: function) { operand in
                    guard tracked[Int(operand.id)] else { return }
                    ranges.extend(Int(operand.id), to: 2 * slot)
                    if definingBlock[Int(operand.id)] != blockID { crossUses.append((operand.id, blockID)) }
                }
                if instruction.operation.callsOut(features) { callPositions.append(2 * slot) }
                if case .numeric(let op, _) = instruction.operation, Self.clobbersRDX(op) { rdxClobbers.append(2 * slot) }
                for result in instruction.results where tracked[Int(result.id)] {
                    definingBlock[Int(result.id)] = blockID
                    ranges.extend(Int(result.id), to: 2 * slot + 1)
                }
                slot += 1
            }
            terminatorSlot[b] = slot
            if let terminator = block.terminator {
                terminator.forEachOperand(in: function) { operand in
                    guard tracked[Int(operand.id)] else { return }
                    ranges.extend(Int(operand.id), to: 2 * slot)
                    if definingBlock[Int(operand.id)] != blockID { crossUses.append((operand.id, blockID)) }
                }
                terminator.forEachEdge(in: function) { edge in
                    for operand in function.values(edge.arguments) where tracked[Int(operand.id)] {
                        ranges.extend(Int(operand.id), to: 2 * slot)
                        if definingBlock[Int(operand.id)] != blockID { crossUses.append((operand.id, blockID)) }
                    }
                }
            }
            slot += 1
        }
        // A value defined in a block that the reverse postorder puts after a use is only
        // possible across a back edge, which SSA rules out: every block a use reaches backwards
        // without passing the definition has the value live on entry, and each of its
        // predecessors live on exit. Walked per value (Appel's path exploration), so the work is
        // what the intervals cover, not blocks × values.
        var reachable = [Bool](repeating: false, count: blockCount)
        for b in order { reachable[b] = true }
        let predecessors = IRPredecessors(function, reachable: reachable)
        // The cross-block uses grouped by value (a counting sort).
        var useStart = [Int32](repeating: 0, count: valueCount + 1)
        for use in crossUses { useStart[Int(use.value) + 1] += 1 }
        for v in 0..<valueCount { useStart[v + 1] += useStart[v] }
        var useBlocks = [Int32](repeating: 0, count: crossUses.count)
        var next = useStart
        for use in crossUses {
            useBlocks[Int(next[Int(use.value)])] = use.block
            next[Int(use.value)] += 1
        }
        // The walk is the liveness hot loop: plain memory (no bounds or uniqueness checks).
        let liveInFor = UnsafeMutablePointer<Int32>.allocate(capacity: max(blockCount, 1))  // the value last found live into each block
        liveInFor.initialize(repeating: -1, count: blockCount)
        let work = UnsafeMutablePointer<Int32>.allocate(capacity: max(blockCount, 1))  // each block once per value
        defer {
            liveInFor.deallocate()
            work.deallocate()
        }
        var steps = 0
        try predecessors.start.withUnsafeBufferPointer { predecessorStart throws(IRDecline) in
            try predecessors.blocks.withUnsafeBufferPointer { predecessorBlocks throws(IRDecline) in
                try headerSlot.withUnsafeBufferPointer { headerSlot throws(IRDecline) in
                    try terminatorSlot.withUnsafeBufferPointer { terminatorSlot throws(IRDecline) in
                        for v in 0..<valueCount where useStart[v] < useStart[v + 1] {
                            let definition = definingBlock[v]
                            let value = Int32(v)
                            for u in Int(useStart[v])..<Int(useStart[v + 1]) {
                                // A block goes on the stack when it is marked: once per value.
                                var top = 0
                                let first = useBlocks[u]
                                guard liveInFor[Int(first)] != value else { continue }
                                liveInFor[Int(first)] = value
                                work[0] = first
                                top = 1
                                while top > 0 {
                                    top -= 1
                                    let b = Int(work[top])
                                    ranges.extend(v, to: 2 * headerSlot[b])
                                    for p in Int(predecessorStart[b])..<Int(predecessorStart[b + 1]) {
                                        let predecessor = predecessorBlocks[p]
                                        ranges.extend(v, to: 2 * terminatorSlot[Int(predecessor)] + 1)
                                        if predecessor != definition && liveInFor[Int(predecessor)] != value {
                                            liveInFor[Int(predecessor)] = value
                                            work[top] = predecessor
                                            top += 1
                                        }
                                    }
                                    steps += 1
                                }
                            }
                            if steps > Self.maxLivenessSteps { throw IRDecline("too large for the register allocator's liveness") }
                        }
                    }
                }
            }
        }
        start = ranges.starts
        end = ranges.ends
        // A value defined and never read needs no place (its instruction may still run).
        for v in 0..<useCount.count where useCount[v] == 0 {
            start[v] = -1
            end[v] = -1
        }
    }

    /// Per value, the first and last position seen so far (-1: none yet). The liveness hot
    /// loop extends them once per use and per block a value is live through: plain memory,
    /// without the uniqueness check of an array written inside closures.
    struct RangeBuilder {
        private let start: UnsafeMutablePointer<Int32>
        private let end: UnsafeMutablePointer<Int32>
        private let count: Int

        /// Every value without a range.
        init(count: Int) {
            self.count = count
            start = .allocate(capacity: max(count, 1))
            start.initialize(repeating: -1, count: count)
            end = .allocate(capacity: max(count, 1))
            end.initialize(repeating: -1, count: count)
        }

        func extend(_ v: Int, to position: Int32) {
            if start[v] < 0 || position < start[v] { start[v] = position }
            if end[v] < position { end[v] = position }
        }

        /// The first positions, by value.
        var starts: [Int32] { Array(UnsafeBufferPointer(start: start, count: count)) }
        /// The last positions, by value.
        var ends: [Int32] { Array(UnsafeBufferPointer(start: end, count: count)) }

        /// Frees the memory (after `starts` and `ends` were read).
        func release() {
            start.deallocate()
            end.deallocate()
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

/// A set of small non-negative integers (value ids) as one flag per member: no hashing.
struct FlagSet {
    private var flags: [Bool]

    /// An empty set for members below `count`.
    init(count: Int) { flags = Array(repeating: false, count: count) }

    func contains(_ member: Int) -> Bool { member >= 0 && member < flags.count && flags[member] }
    func contains(_ member: Int32) -> Bool { contains(Int(member)) }
    mutating func insert(_ member: Int) { flags[member] = true }
}
