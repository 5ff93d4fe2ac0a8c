import WasmCore

/// Checks an `IRFunction`'s invariants: every reachable block ends in a terminator; every
/// edge passes one value of the right type per parameter of its target; every value is used
/// only where its definition dominates the use; numeric operators get operands of their types.
/// Passes run it in tests after each transformation.
public enum IRVerifier {
    /// Throws a description of the first broken invariant.
    public static func verify(_ function: IRFunction) throws(IRDecline) {
        let reachable = reachableBlocks(function)
        let dominators = immediateDominators(function, reachable: reachable)
        // Where each value is defined: (block, position; -1 for a block parameter).
        var definition = [(block: Int, position: Int)?](repeating: nil, count: function.valueTypes.count)
        for (b, block) in function.blocks.enumerated() {
            for value in block.parameters { definition[Int(value.id)] = (b, -1) }
            for (i, instruction) in block.instructions.enumerated() {
                for value in instruction.results {
                    guard definition[Int(value.id)] == nil else { throw IRDecline("\(value) defined twice") }
                    definition[Int(value.id)] = (b, i)
                }
            }
        }
        func dominates(_ a: Int, _ b: Int) -> Bool { IRVerifier.dominates(a, b, dominators) }
        func check(_ value: IRValue, usedIn block: Int, at position: Int) throws(IRDecline) {
            guard value.id >= 0, Int(value.id) < definition.count, let def = definition[Int(value.id)] else {
                throw IRDecline("b\(block): \(value) is not defined")
            }
            let ok = def.block == block ? def.position < position : dominates(def.block, block)
            guard ok else { throw IRDecline("b\(block): the definition of \(value) does not dominate its use") }
        }
        for b in reachable.indices where reachable[b] {
            let block = function.blocks[b]
            for (i, instruction) in block.instructions.enumerated() {
                for operand in instruction.operation.operands(in: function) { try check(operand, usedIn: b, at: i) }
                if case .numeric(let op, let operands) = instruction.operation {
                    let types = operands.map { function.valueTypes[Int($0.id)] }
                    guard types == op.signature.operands else {
                        throw IRDecline("b\(b): \(op.name) applied to (\(types.map(\.description).joined(separator: " ")))")
                    }
                }
            }
            guard let terminator = block.terminator else { throw IRDecline("b\(b) has no terminator") }
            let end = block.instructions.count
            for operand in terminator.operands(in: function) { try check(operand, usedIn: b, at: end) }
            for edge in terminator.edges(in: function) {
                let target = function.blocks[Int(edge.target.index)]
                let arguments = function.values(edge.arguments)
                guard arguments.count == target.parameters.count else {
                    throw IRDecline("b\(b) → \(edge.target): \(arguments.count) arguments for \(target.parameters.count) parameters")
                }
                for (argument, parameter) in zip(arguments, target.parameters) {
                    try check(argument, usedIn: b, at: end)
                    guard function.valueTypes[Int(argument.id)] == function.valueTypes[Int(parameter.id)] else {
                        throw IRDecline("b\(b) → \(edge.target): \(argument) has another type than \(parameter)")
                    }
                }
            }
        }
    }

    /// Does block `a` dominate block `b`, given each block's immediate dominator?
    public static func dominates(_ a: Int, _ b: Int, _ immediateDominators: [Int?]) -> Bool {
        var block = b
        while true {
            if block == a { return true }
            guard let up = immediateDominators[block], up != block else { return false }
            block = up
        }
    }

    /// Which blocks the entry reaches.
    public static func reachableBlocks(_ function: IRFunction) -> [Bool] {
        var reached = [Bool](repeating: false, count: function.blocks.count)
        var work = function.blocks.isEmpty ? [] : [0]
        while let b = work.popLast() {
            guard !reached[b] else { continue }
            reached[b] = true
            function.blocks[b].terminator?.forEachEdge(in: function) { work.append(Int($0.target.index)) }
        }
        return reached
    }

    /// Each reachable block's immediate dominator (the entry's is itself), by Cooper, Harvey and
    /// Kennedy's iteration over reverse postorder.
    public static func immediateDominators(_ function: IRFunction, reachable: [Bool]) -> [Int?] {
        dominatorAnalysis(function, reachable: reachable).dominators
    }

    /// The immediate dominators with the reverse postorder and the predecessors computed on
    /// the way (loop-invariant code motion needs both too).
    public static func dominatorAnalysis(_ function: IRFunction, reachable: [Bool])
        -> (dominators: [Int?], order: [Int], predecessors: IRPredecessors)
    {
        let blockCount = function.blocks.count
        let order = function.reversePostorder()
        var number = [Int32](repeating: -1, count: blockCount)  // postorder numbers
        for (i, b) in order.enumerated() { number[b] = Int32(order.count - 1 - i) }
        let predecessors = IRPredecessors(function, reachable: reachable)
        var idom = [Int32](repeating: -1, count: blockCount)
        guard !order.isEmpty else { return (Array(repeating: nil, count: blockCount), order, predecessors) }
        idom[0] = 0
        var changed = true
        while changed {
            changed = false
            for b in order where b != 0 {
                var candidate: Int32 = -1
                for p in predecessors.range(of: b) {
                    var c = predecessors.blocks[p]
                    guard idom[Int(c)] >= 0 else { continue }
                    guard candidate >= 0 else {
                        candidate = c
                        continue
                    }
                    var a = candidate
                    while a != c {
                        while number[Int(a)] < number[Int(c)] { a = idom[Int(a)] }
                        while number[Int(c)] < number[Int(a)] { c = idom[Int(c)] }
                    }
                    candidate = a
                }
                if candidate >= 0, idom[b] != candidate {
                    idom[b] = candidate
                    changed = true
                }
            }
        }
        return (idom.map { $0 < 0 ? nil : Int($0) }, order, predecessors)
    }
}
