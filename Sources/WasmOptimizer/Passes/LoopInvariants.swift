import WasmCore

/// Loop-invariant code motion: a pure, non-trapping instruction inside a loop whose operands
/// are all defined outside it moves to the loop's preheader (the one block outside the loop
/// that jumps to its header), so it runs once instead of once per iteration. A loop's blocks
/// are visited in reverse postorder, so chains of invariant instructions move together in one pass.
///
/// A cheap operator with a constant operand (an address `p + 56`, a mask) stays where it is:
/// it costs one instruction in the loop, while its result kept alive across the whole loop
/// takes a register, and under pressure a spill and a reload on every use.
public enum LoopInvariants {
    /// Moves invariant instructions out of loops; true if it moved any.
    @discardableResult
    public static func run(_ function: inout IRFunction) -> Bool {
        let analysis = IRVerifier.dominatorAnalysis(function, reachable: IRVerifier.reachableBlocks(function))
        return run(&function, dominators: analysis.dominators, order: analysis.order, predecessors: analysis.predecessors)
    }

    /// Moves invariant instructions out of loops given the immediate dominators, the reverse
    /// postorder and the predecessors of the reachable blocks (`IRVerifier.dominatorAnalysis`);
    /// true if it moved any.
    @discardableResult
    public static func run(_ function: inout IRFunction, dominators idom: [Int?], order: [Int],
                           predecessors: IRPredecessors) -> Bool {
        guard function.hasLoops else { return false }
        let blockCount = function.blocks.count
        var reachable = [Bool](repeating: false, count: blockCount)
        for b in order { reachable[b] = true }
        var isConstant = [Bool](repeating: false, count: function.valueTypes.count)
        var rpoPosition = [Int32](repeating: Int32.max, count: blockCount)
        for (position, b) in order.enumerated() { rpoPosition[b] = Int32(position) }
        for block in function.blocks {
            for instruction in block.instructions {
                if case .constant = instruction.operation { isConstant[Int(instruction.results[0].id)] = true }
            }
        }
        // Per block and per value, the header of the loop being looked at when it was found
        // inside it (stamps instead of a set per loop: the work is the loop's size, not the function's).
        var blockInLoop = [Int32](repeating: -1, count: blockCount)
        var valueInLoop = [Int32](repeating: -1, count: function.valueTypes.count)
        var body: [Int] = []
        var work: [Int] = []
        var moved = false
        for header in 0..<blockCount where reachable[header] {
            let incoming = predecessors.range(of: header)
            // Back edges: from blocks the header dominates; exactly one other predecessor, ending in
            // a jump. (A block a header dominates comes after it in reverse postorder: that test
            // first, so that the dominator tree is walked for back edges only.)
            var preheader = -1, outsideCount = 0
            work.removeAll(keepingCapacity: true)
            for p in incoming {
                let predecessor = Int(predecessors.blocks[p])
                if rpoPosition[predecessor] >= rpoPosition[header] && IRVerifier.dominates(header, predecessor, idom) {
                    work.append(predecessor)
                } else {
                    preheader = predecessor
                    outsideCount += 1
                }
            }
            guard !work.isEmpty, outsideCount == 1, case .jump? = function.blocks[preheader].terminator else { continue }
            // The loop: the header and every block that reaches a latch without passing it.
            let stamp = Int32(header)
            body.removeAll(keepingCapacity: true)
            blockInLoop[header] = stamp
            body.append(header)
            while let b = work.popLast() {
                guard blockInLoop[b] != stamp else { continue }
                blockInLoop[b] = stamp
                body.append(b)
                for p in predecessors.range(of: b) { work.append(Int(predecessors.blocks[p])) }
            }
            // Reverse postorder: a value's definition comes before its uses, so one pass moves
            // whole chains (an instruction whose operands just moved is invariant by then).
            body.sort { rpoPosition[$0] < rpoPosition[$1] }
            for b in body {
                for parameter in function.blocks[b].parameters { valueInLoop[Int(parameter.id)] = stamp }
                for instruction in function.blocks[b].instructions {
                    for result in instruction.results { valueInLoop[Int(result.id)] = stamp }
                }
            }
            for b in body {
                var kept = 0
                let count = function.blocks[b].instructions.count
                for i in 0..<count {
                    let instruction = function.blocks[b].instructions[i]
                    var invariant = isMovable(instruction.operation, isConstant: isConstant)
                    if invariant {
                        instruction.operation.forEachOperand(in: function) { operand in
                            if valueInLoop[Int(operand.id)] == stamp { invariant = false }
                        }
                    }
                    if invariant {
                        function.blocks[preheader].instructions.append(instruction)
                        for result in instruction.results { valueInLoop[Int(result.id)] = -1 }
                        moved = true
                    } else {
                        if kept != i { function.blocks[b].instructions[kept] = instruction }
                        kept += 1
                    }
                }
                if kept < count { function.blocks[b].instructions.removeLast(count - kept) }
            }
        }
        return moved
    }

    /// Pure and unable to trap: safe to run once before the loop even if the loop would not
    /// have run it.
    static func isMovable(_ operation: IROperation, isConstant: [Bool]) -> Bool {
        switch operation {
        case .constant, .select: return true
        case .numeric(let op, let operands):
            if op.canTrap { return false }
            if isCheap(op) && operands.contains(where: { isConstant[Int($0.id)] }) { return false }
            return true
        default: return false
        }
    }

    /// One x86 instruction (with an immediate operand).
    static func isCheap(_ op: NumericOp) -> Bool {
        switch op {
        case .i32Add, .i32Sub, .i32And, .i32Or, .i32Xor, .i32Shl, .i32ShrS, .i32ShrU, .i32Rotl, .i32Rotr,
            .i64Add, .i64Sub, .i64And, .i64Or, .i64Xor, .i64Shl, .i64ShrS, .i64ShrU, .i64Rotl, .i64Rotr:
            return true
        default: return false
        }
    }
}
