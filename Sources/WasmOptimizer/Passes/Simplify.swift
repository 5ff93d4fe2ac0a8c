import WasmCore

/// The first passes, run together to a fixed point (a few rounds):
/// - trivial block parameters: one whose every incoming value is the same value (or itself)
///   is that value — the SSA builder leaves one wherever a local merely passes through a merge;
/// - constant folding of the integer operators (`IntegerFolding`), and of branches on a constant;
/// - global value numbering (`ValueNumbering`);
/// - loop-invariant code motion (`LoopInvariants`);
/// - straight-line blocks merged: a block that jumps to one whose only predecessor it is
///   takes over its instructions and terminator;
/// - redundant loads (`RedundantLoads`);
/// - dead code: instructions with no effect whose results nothing uses.
public enum Simplify {
    /// Simplifies `function` in place.
    public static func run(_ function: inout IRFunction) {
        for _ in 0..<2 {
            var changed = removeTrivialParameters(&function)
            changed = foldConstants(&function) || changed
            // One dominator tree for both (value numbering changes no control flow).
            let reachable = IRVerifier.reachableBlocks(function)
            let dominators = IRVerifier.immediateDominators(function, reachable: reachable)
            changed = ValueNumbering.run(&function, dominators: dominators) || changed
            changed = LoopInvariants.run(&function, reachable: reachable, dominators: dominators) || changed
            changed = mergeBlocks(&function) || changed
            changed = RedundantLoads.run(&function) || changed
            changed = removeDeadCode(&function) || changed
            if !changed { break }
        }
    }

    /// Replaces every use of a value by its substitute (followed transitively).
    static func substitute(_ map: ValueMap, in function: inout IRFunction) {
        guard !map.isEmpty else { return }
        func resolve(_ value: IRValue) -> IRValue { map.resolve(value) }
        func isMapped(_ value: IRValue) -> Bool { map[value] != nil }
        for i in function.valueLists.indices where isMapped(function.valueLists[i]) {
            function.valueLists[i] = resolve(function.valueLists[i])
        }
        for b in function.blocks.indices {
            for i in function.blocks[b].instructions.indices
            where function.blocks[b].instructions[i].operation.containsOperand(where: isMapped) {
                function.blocks[b].instructions[i].operation = function.blocks[b].instructions[i].operation.mapOperands(resolve)
            }
            function.blocks[b].terminator = function.blocks[b].terminator?.mapValues(resolve)
        }
    }

    /// Merges each block ending in a jump into a block with no other predecessor (not the
    /// entry); the merged block's parameters take the jump's arguments.
    static func mergeBlocks(_ function: inout IRFunction) -> Bool {
        let reachable = IRVerifier.reachableBlocks(function)
        var predecessorCount = [Int](repeating: 0, count: function.blocks.count)
        for b in function.blocks.indices where reachable[b] {
            function.blocks[b].terminator?.forEachEdge { predecessorCount[Int($0.target.index)] += 1 }
        }
        var map = ValueMap(count: function.valueTypes.count)
        var changed = false
        for b in function.blocks.indices where reachable[b] {
            while case .jump(let edge)? = function.blocks[b].terminator {
                let target = Int(edge.target.index)
                guard target != 0, target != b, predecessorCount[target] == 1 else { break }
                let merged = function.blocks[target]
                for (parameter, argument) in zip(merged.parameters, edge.arguments) { map[parameter] = argument }
                function.blocks[b].instructions += merged.instructions
                function.blocks[b].terminator = merged.terminator
                function.blocks[b].terminatorSource = merged.terminatorSource
                function.blocks[target] = IRBlock(parameters: [], instructions: [], terminator: .trap(.unreachable))
                predecessorCount[target] = 0
                changed = true
            }
        }
        substitute(map, in: &function)
        return changed
    }

    static func removeTrivialParameters(_ function: inout IRFunction) -> Bool {
        let reachable = IRVerifier.reachableBlocks(function)
        var incoming = [[IREdge]](repeating: [], count: function.blocks.count)
        for b in function.blocks.indices where reachable[b] {
            function.blocks[b].terminator?.forEachEdge { incoming[Int($0.target.index)].append($0) }
        }
        var map = ValueMap(count: function.valueTypes.count)
        var removed = [Set<Int>](repeating: [], count: function.blocks.count)
        for b in function.blocks.indices.dropFirst() where reachable[b] {
            for (position, parameter) in function.blocks[b].parameters.enumerated() {
                // The one value other than the parameter itself that the edges pass, if there is one.
                var only: IRValue?
                var trivial = true
                for edge in incoming[b] {
                    let value = edge.arguments[position]
                    if value == parameter || value == only { continue }
                    if only == nil {
                        only = value
                    } else {
                        trivial = false
                        break
                    }
                }
                if trivial, let only {
                    map[parameter] = only
                    removed[b].insert(position)
                }
            }
        }
        guard !map.isEmpty else { return false }
        for b in function.blocks.indices {
            if !removed[b].isEmpty {
                function.blocks[b].parameters = function.blocks[b].parameters.enumerated()
                    .filter { !removed[b].contains($0.offset) }.map(\.element)
            }
            function.blocks[b].terminator = function.blocks[b].terminator?.mapEdges { edge in
                let gone = removed[Int(edge.target.index)]
                guard !gone.isEmpty else { return edge }
                var edge = edge
                edge.arguments = edge.arguments.enumerated().filter { !gone.contains($0.offset) }.map(\.element)
                return edge
            }
        }
        substitute(map, in: &function)
        return true
    }

    static func foldConstants(_ function: inout IRFunction) -> Bool {
        var constants = [UInt64?](repeating: nil, count: function.valueTypes.count)
        var changed = false
        // Constants first, in any order; then folding until nothing new folds.
        for block in function.blocks {
            for instruction in block.instructions {
                if case .constant(let bits) = instruction.operation { constants[Int(instruction.results[0].id)] = bits }
            }
        }
        var folded = true
        while folded {
            folded = false
            for b in function.blocks.indices {
                for i in function.blocks[b].instructions.indices {
                    let instruction = function.blocks[b].instructions[i]
                    guard case .numeric(let op, let operands) = instruction.operation else { continue }
                    let known = operands.compactMap { constants[Int($0.id)] }
                    guard known.count == operands.count, let value = IntegerFolding.fold(op, known) else { continue }
                    function.blocks[b].instructions[i].operation = .constant(value)
                    constants[Int(instruction.results[0].id)] = value
                    folded = true
                    changed = true
                }
            }
        }
        for b in function.blocks.indices {
            if case .branch(let condition, let ifTrue, let ifFalse)? = function.blocks[b].terminator,
                let bits = constants[Int(condition.id)]
            {
                function.blocks[b].terminator = .jump(UInt32(truncatingIfNeeded: bits) != 0 ? ifTrue : ifFalse)
                changed = true
            }
        }
        return changed
    }

    static func removeDeadCode(_ function: inout IRFunction) -> Bool {
        var live = [Bool](repeating: false, count: function.valueTypes.count)
        var work: [IRValue] = []
        func use(_ value: IRValue) {
            if !live[Int(value.id)] {
                live[Int(value.id)] = true
                work.append(value)
            }
        }
        // Where each value is defined: block and instruction index (-1: a block parameter).
        var definerBlock = [Int32](repeating: -1, count: function.valueTypes.count)
        var definerIndex = [Int32](repeating: -1, count: function.valueTypes.count)
        for b in function.blocks.indices {
            for (i, instruction) in function.blocks[b].instructions.enumerated() {
                for result in instruction.results {
                    definerBlock[Int(result.id)] = Int32(b)
                    definerIndex[Int(result.id)] = Int32(i)
                }
                if instruction.operation.hasEffect { instruction.operation.forEachOperand(in: function, use) }
            }
            if let terminator = function.blocks[b].terminator {
                terminator.forEachOperand(use)
                terminator.forEachEdge { $0.arguments.forEach(use) }
            }
        }
        while let value = work.popLast() {
            let b = definerBlock[Int(value.id)]
            guard b >= 0 else { continue }
            function.blocks[Int(b)].instructions[Int(definerIndex[Int(value.id)])].operation.forEachOperand(in: function, use)
        }
        var changed = false
        for b in function.blocks.indices {
            let before = function.blocks[b].instructions.count
            function.blocks[b].instructions.removeAll { instruction in
                !instruction.operation.hasEffect && !instruction.results.contains { live[Int($0.id)] }
            }
            changed = changed || function.blocks[b].instructions.count != before
        }
        return changed
    }
}

extension IROperation {
    /// Whether the operation does more than compute its results: writes, calls, may trap.
    var hasEffect: Bool {
        switch self {
        case .constant, .select, .globalGet, .memorySize: false
        case .numeric(let op, _): op.canTrap
        case .load, .store, .globalSet, .memoryGrow, .call, .callIndirect, .memoryFill, .memoryCopy: true
        }
    }

    /// Whether some operand held in the instruction itself satisfies `predicate` (without
    /// building an array). A call's arguments are not looked at: they are in the function's
    /// side table, which `Simplify.substitute` maps as a whole.
    func containsOperand(where predicate: (IRValue) -> Bool) -> Bool {
        switch self {
        case .constant, .globalGet, .memorySize: false
        case .numeric(_, let values): values.contains(where: predicate)
        case .call: false
        case .select(let c, let t, let f): predicate(c) || predicate(t) || predicate(f)
        case .load(_, _, let address): predicate(address)
        case .store(_, _, let address, let value): predicate(address) || predicate(value)
        case .globalSet(_, let value), .memoryGrow(let value): predicate(value)
        case .callIndirect(_, _, let callee, _): predicate(callee)
        case .memoryFill(let d, let v, let n): predicate(d) || predicate(v) || predicate(n)
        case .memoryCopy(let d, let s, let n): predicate(d) || predicate(s) || predicate(n)
        }
    }

    /// The same operation with every operand held in the instruction itself passed through
    /// `transform` (a call's arguments stay in the side table: see `containsOperand`).
    func mapOperands(_ transform: (IRValue) -> IRValue) -> IROperation {
        switch self {
        case .constant, .globalGet, .memorySize: self
        case .numeric(let op, let values): .numeric(op, values.mapped(transform))
        case .call: self
        case .select(let c, let t, let f): .select(condition: transform(c), ifTrue: transform(t), ifFalse: transform(f))
        case .load(let op, let memarg, let address): .load(op, memarg, address: transform(address))
        case .store(let op, let memarg, let address, let value):
            .store(op, memarg, address: transform(address), value: transform(value))
        case .globalSet(let index, let value): .globalSet(index, transform(value))
        case .memoryGrow(let value): .memoryGrow(transform(value))
        case .callIndirect(let typeIndex, let table, let callee, let arguments):
            .callIndirect(typeIndex: typeIndex, table: table, callee: transform(callee), arguments: arguments)
        case .memoryFill(let d, let v, let n): .memoryFill(destination: transform(d), value: transform(v), count: transform(n))
        case .memoryCopy(let d, let s, let n): .memoryCopy(destination: transform(d), source: transform(s), count: transform(n))
        }
    }
}

extension IRTerminator {
    /// The same terminator with every edge passed through `transform`.
    func mapEdges(_ transform: (IREdge) -> IREdge) -> IRTerminator {
        switch self {
        case .jump(let edge): .jump(transform(edge))
        case .branch(let condition, let ifTrue, let ifFalse):
            .branch(condition: condition, ifTrue: transform(ifTrue), ifFalse: transform(ifFalse))
        case .table(let index, let targets, let fallback):
            .table(index: index, targets: targets.map(transform), fallback: transform(fallback))
        case .return, .trap: self
        }
    }

    /// The same terminator with every value it reads or passes through `transform`.
    func mapValues(_ transform: (IRValue) -> IRValue) -> IRTerminator {
        let moved = mapEdges { IREdge(target: $0.target, arguments: $0.arguments.map(transform)) }
        switch moved {
        case .branch(let condition, let ifTrue, let ifFalse):
            return .branch(condition: transform(condition), ifTrue: ifTrue, ifFalse: ifFalse)
        case .table(let index, let targets, let fallback):
            return .table(index: transform(index), targets: targets, fallback: fallback)
        case .return(let values): return .return(values.map(transform))
        case .jump, .trap: return moved
        }
    }
}

/// Value substitutions as an array indexed by value id (the passes' maps: no hashing).
struct ValueMap {
    private var target: [Int32]
    private(set) var isEmpty = true

    init(count: Int) { target = Array(repeating: -1, count: count) }

    subscript(value: IRValue) -> IRValue? {
        get { target[Int(value.id)] < 0 ? nil : IRValue(id: target[Int(value.id)]) }
        set {
            target[Int(value.id)] = newValue?.id ?? -1
            if newValue != nil { isEmpty = false }
        }
    }

    /// The value's final substitute (itself when it has none).
    func resolve(_ value: IRValue) -> IRValue {
        var id = value.id
        var steps = 0
        while target[Int(id)] >= 0, target[Int(id)] != id, steps < target.count {
            id = target[Int(id)]
            steps += 1
        }
        return IRValue(id: id)
    }
}
