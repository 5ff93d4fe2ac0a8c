import WasmCore

/// Loop-invariant code motion: a pure, non-trapping instruction inside a loop whose operands
/// are all defined outside it moves to the loop's preheader (the one block outside the loop
/// that jumps to its header), so it runs once instead of once per iteration. Runs until
/// nothing moves, so that chains of invariant instructions move together.
///
/// A cheap operator with a constant operand (an address `p + 56`, a mask) stays where it is:
/// it costs one instruction in the loop, while its result kept alive across the whole loop
/// takes a register, and under pressure a spill and a reload on every use.
public enum LoopInvariants {
    /// Moves invariant instructions out of loops; true if it moved any.
    @discardableResult
    public static func run(_ function: inout IRFunction) -> Bool {
        let reachable = IRVerifier.reachableBlocks(function)
        return run(&function, reachable: reachable, dominators: IRVerifier.immediateDominators(function, reachable: reachable))
    }

    /// Moves invariant instructions out of loops given the reachable blocks and their immediate
    /// dominators; true if it moved any.
    @discardableResult
    public static func run(_ function: inout IRFunction, reachable: [Bool], dominators idom: [Int?]) -> Bool {
        func dominates(_ a: Int, _ b: Int) -> Bool { IRVerifier.dominates(a, b, idom) }
        var predecessors = [[Int]](repeating: [], count: function.blocks.count)
        for b in function.blocks.indices where reachable[b] {
            function.blocks[b].terminator?.forEachEdge { predecessors[Int($0.target.index)].append(b) }
        }
        var isConstant = [Bool](repeating: false, count: function.valueTypes.count)
        for block in function.blocks {
            for instruction in block.instructions {
                if case .constant = instruction.operation { isConstant[Int(instruction.results[0].id)] = true }
            }
        }
        var moved = false
        for header in function.blocks.indices where reachable[header] {
            // Back edges: from blocks the header dominates.
            let latches = predecessors[header].filter { dominates(header, $0) }
            guard !latches.isEmpty else { continue }
            let outside = predecessors[header].filter { !dominates(header, $0) }
            guard outside.count == 1, let preheader = outside.first,
                case .jump? = function.blocks[preheader].terminator
            else { continue }
            // The loop: the header and every block that reaches a latch without passing it.
            var body: Set<Int> = [header]
            var work = latches
            while let b = work.popLast() {
                guard body.insert(b).inserted else { continue }
                work.append(contentsOf: predecessors[b])
            }
            var definedInside = [Bool](repeating: false, count: function.valueTypes.count)
            for b in body {
                for parameter in function.blocks[b].parameters { definedInside[Int(parameter.id)] = true }
                for instruction in function.blocks[b].instructions {
                    for result in instruction.results { definedInside[Int(result.id)] = true }
                }
            }
            var changed = true
            while changed {
                changed = false
                for b in body.sorted() {
                    var kept: [IRInstruction] = []
                    for instruction in function.blocks[b].instructions {
                        if isMovable(instruction.operation, isConstant: { isConstant[Int($0.id)] }),
                            !instruction.operation.containsOperand(where: { definedInside[Int($0.id)] })
                        {
                            function.blocks[preheader].instructions.append(instruction)
                            for result in instruction.results { definedInside[Int(result.id)] = false }
                            changed = true
                            moved = true
                        } else {
                            kept.append(instruction)
                        }
                    }
                    function.blocks[b].instructions = kept
                }
            }
        }
        return moved
    }

    /// Pure and unable to trap: safe to run once before the loop even if the loop would not
    /// have run it.
    static func isMovable(_ operation: IROperation, isConstant: (IRValue) -> Bool) -> Bool {
        switch operation {
        case .constant, .select: return true
        case .numeric(let op, let operands):
            if op.canTrap { return false }
            if isCheap(op) && operands.contains(where: isConstant) { return false }
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
