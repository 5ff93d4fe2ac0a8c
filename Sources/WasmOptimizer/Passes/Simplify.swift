import WasmCore

/// The first passes, each once, in this order (a second round found almost nothing once the
/// trivial parameters are removed to a fixed point, and cost a third of the compile time):
/// - trivial block parameters: one whose every incoming value is the same value (or itself)
///   is that value — the SSA builder leaves one wherever a local merely passes through a merge
///   (once: running it again after value numbering saved 0.015% of resvg's code for 3% of the
///   compile time);
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
        removeTrivialParameters(&function)
        foldConstants(&function)
        // One dominator tree for both (value numbering changes no control flow).
        let reachable = IRVerifier.reachableBlocks(function)
        let analysis = IRVerifier.dominatorAnalysis(function, reachable: reachable)
        ValueNumbering.run(&function, dominators: analysis.dominators)
        LoopInvariants.run(&function, dominators: analysis.dominators, order: analysis.order,
                           predecessors: analysis.predecessors)
        mergeBlocks(&function, reachable: reachable)  // (neither pass above changes control flow)
        RedundantLoads.run(&function)
        removeDeadCode(&function)
    }

    /// Replaces every use of a value by its substitute (followed transitively). The
    /// instructions of the blocks `operandsDone` marks are left as they are (a pass that
    /// substituted their operands itself as it went).
    static func substitute(_ map: ValueMap, in function: inout IRFunction, operandsDone: [Bool]? = nil) {
        guard !map.isEmpty else { return }
        func resolve(_ value: IRValue) -> IRValue { map.resolve(value) }
        func isMapped(_ value: IRValue) -> Bool { map[value] != nil }
        for i in function.valueLists.indices where isMapped(function.valueLists[i]) {
            function.valueLists[i] = resolve(function.valueLists[i])
        }
        for b in function.blocks.indices {
            if let operandsDone, operandsDone[b] {
                if let condition = function.blocks[b].terminator?.condition, isMapped(condition) {
                    function.blocks[b].terminator = function.blocks[b].terminator?.mapCondition(resolve)
                }
                continue
            }
            for i in function.blocks[b].instructions.indices
            where function.blocks[b].instructions[i].operation.containsOperand(where: isMapped) {
                function.blocks[b].instructions[i].operation = function.blocks[b].instructions[i].operation.mapOperands(resolve)
            }
            // (Edge arguments and returned values are in `valueLists`, done above.)
            if let condition = function.blocks[b].terminator?.condition, isMapped(condition) {
                function.blocks[b].terminator = function.blocks[b].terminator?.mapCondition(resolve)
            }
        }
    }

    /// Merges each block ending in a jump into a block with no other predecessor (not the
    /// entry); the merged block's parameters take the jump's arguments.
    @discardableResult
    static func mergeBlocks(_ function: inout IRFunction, reachable known: [Bool]? = nil) -> Bool {
        let reachable = known ?? IRVerifier.reachableBlocks(function)
        var predecessorCount = [Int](repeating: 0, count: function.blocks.count)
        for b in function.blocks.indices where reachable[b] {
            function.blocks[b].terminator?.forEachEdge(in: function) { predecessorCount[Int($0.target.index)] += 1 }
        }
        var map = ValueMap(count: function.valueTypes.count)
        var changed = false
        for b in function.blocks.indices where reachable[b] {
            while case .jump(let edge)? = function.blocks[b].terminator {
                let target = Int(edge.target.index)
                guard target != 0, target != b, predecessorCount[target] == 1 else { break }
                let merged = function.blocks[target]
                for (parameter, argument) in zip(merged.parameters, function.values(edge.arguments)) { map[parameter] = argument }
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

    /// Removes each block parameter whose incoming edges all pass one same value (or the
    /// parameter itself): its uses take that value. A removal can make other parameters
    /// trivial (a loop header's parameter passed on to an inner loop's), so the parameters that
    /// receive a removed one are looked at again, until none is left to remove.
    @discardableResult
    static func removeTrivialParameters(_ function: inout IRFunction) -> Bool {
        // (Only the entry has parameters in most small functions: nothing to look at.)
        guard function.blocks.dropFirst().contains(where: { !$0.parameters.isEmpty }) else { return false }
        let reachable = IRVerifier.reachableBlocks(function)
        let (map, parameterBlock) = trivialParameters(function, reachable: reachable)
        guard !map.isEmpty else { return false }
        var losesParameters = [Bool](repeating: false, count: function.blocks.count)
        for v in parameterBlock.indices where parameterBlock[v] >= 0 && map[IRValue(id: Int32(v))] != nil {
            losesParameters[Int(parameterBlock[v])] = true
        }
        let isRemoved = { (value: IRValue) in parameterBlock[Int(value.id)] >= 0 && map[value] != nil }
        // The edges first (their lists are filtered in place by the parameters they pass to),
        // then the parameters. Unreachable blocks keep their edges as they are (no code is made for them).
        func filter(_ edge: inout IREdge) {
            guard losesParameters[Int(edge.target.index)] else { return }
            var kept: Int32 = 0
            let start = Int(edge.arguments.start)
            for (position, parameter) in function.blocks[Int(edge.target.index)].parameters.enumerated()
            where position < Int(edge.arguments.count) && !isRemoved(parameter) {
                function.valueLists[start + Int(kept)] = function.valueLists[start + position]
                kept += 1
            }
            edge.arguments = IRValueList(start: edge.arguments.start, count: kept)
        }
        for b in function.blocks.indices where reachable[b] {
            switch function.blocks[b].terminator {
            case .jump(var edge)?:
                filter(&edge)
                function.blocks[b].terminator = .jump(edge)
            case .branch(let condition, var ifTrue, var ifFalse)?:
                filter(&ifTrue)
                filter(&ifFalse)
                function.blocks[b].terminator = .branch(condition: condition, ifTrue: ifTrue, ifFalse: ifFalse)
            case .table(let index, let targets, var fallback)?:
                for e in Int(targets.start)..<Int(targets.start + targets.count) {
                    var edge = function.edgeLists[e]
                    filter(&edge)
                    function.edgeLists[e] = edge
                }
                filter(&fallback)
                function.blocks[b].terminator = .table(index: index, targets: targets, fallback: fallback)
            case .return?, .trap?, nil: break
            }
        }
        for b in function.blocks.indices where losesParameters[b] {
            function.blocks[b].parameters.removeAll(where: isRemoved)
        }
        substitute(map, in: &function)
        return true
    }

    /// The trivial parameters of `function` and what each stands for (followed transitively),
    /// and the block of each parameter (-1: not a parameter of a reachable block but the
    /// entry). Reads `function` only (a borrowed parameter: no copy of it per use).
    static func trivialParameters(_ function: IRFunction, reachable: [Bool]) -> (ValueMap, [Int32]) {
        let blockCount = function.blocks.count
        let valueCount = function.valueTypes.count
        // Which block each parameter belongs to and at which position.
        var parameterBlock = [Int32](repeating: -1, count: valueCount)
        var parameterPosition = [Int32](repeating: -1, count: valueCount)
        for b in 1..<max(blockCount, 1) where reachable[b] {
            for (position, parameter) in function.blocks[b].parameters.enumerated() {
                parameterBlock[Int(parameter.id)] = Int32(b)
                parameterPosition[Int(parameter.id)] = Int32(position)
            }
        }
        // The edges into each block, as (source block, edge index), in one array.
        var incomingStart = [Int32](repeating: 0, count: blockCount + 1)
        // The parameters each value is passed to, in one array (a value can be passed to many).
        var passedStart = [Int32](repeating: 0, count: valueCount + 1)
        for b in 0..<blockCount where reachable[b] {
            function.blocks[b].terminator?.forEachEdge(in: function) { edge in
                incomingStart[Int(edge.target.index) + 1] += 1
                guard edge.target.index != 0 else { return }
                for argument in function.values(edge.arguments) { passedStart[Int(argument.id) + 1] += 1 }
            }
        }
        for b in 0..<blockCount { incomingStart[b + 1] += incomingStart[b] }
        for v in 0..<valueCount { passedStart[v + 1] += passedStart[v] }
        var incoming = [IREdge](repeating: IREdge(target: IRBlockID(index: 0), arguments: IRValueList(start: 0, count: 0)),
                                count: Int(incomingStart[blockCount]))
        var passedTo = [Int32](repeating: 0, count: Int(passedStart[valueCount]))
        var incomingFilled = incomingStart, passedFilled = passedStart
        for b in 0..<blockCount where reachable[b] {
            function.blocks[b].terminator?.forEachEdge(in: function) { edge in
                let target = Int(edge.target.index)
                incoming[Int(incomingFilled[target])] = edge
                incomingFilled[target] += 1
                guard target != 0 else { return }
                function.blocks[target].parameters.withUnsafeBufferPointer { parameters in
                    for (position, argument) in function.values(edge.arguments).enumerated() {
                        passedTo[Int(passedFilled[Int(argument.id)])] = parameters[position].id
                        passedFilled[Int(argument.id)] += 1
                    }
                }
            }
        }
        var map = ValueMap(count: valueCount)
        var work: [Int32] = []
        for v in (0..<valueCount).reversed() where parameterBlock[v] >= 0 { work.append(Int32(v)) }
        while let parameter = work.popLast() {
            let p = Int(parameter)
            guard map[IRValue(id: parameter)] == nil else { continue }
            let b = Int(parameterBlock[p]), position = Int(parameterPosition[p])
            // The one value other than the parameter itself that the edges pass, if there is one.
            var only: Int32 = -1
            var trivial = true
            for e in Int(incomingStart[b])..<Int(incomingStart[b + 1]) {
                let value = map.resolve(function.valueLists[Int(incoming[e].arguments.start) + position]).id
                if value == parameter || value == only { continue }
                if only < 0 {
                    only = value
                } else {
                    trivial = false
                    break
                }
            }
            guard trivial, only >= 0 else { continue }
            map[IRValue(id: parameter)] = IRValue(id: only)
            for k in Int(passedStart[p])..<Int(passedStart[p + 1]) where map[IRValue(id: passedTo[k])] == nil {
                work.append(passedTo[k])
            }
        }
        return (map, parameterBlock)
    }

    @discardableResult
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
                    guard operands.allSatisfy({ constants[Int($0.id)] != nil }),
                        let value = IntegerFolding.fold(op, operands.map { constants[Int($0.id)]! })
                    else { continue }
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

    @discardableResult
    static func removeDeadCode(_ function: inout IRFunction) -> Bool {
        guard let live = liveValues(function) else { return false }
        var changed = false
        for b in function.blocks.indices {
            let isDead = { (instruction: IRInstruction) in
                !instruction.operation.hasEffect && !instruction.results.contains { live[Int($0.id)] }
            }
            guard function.blocks[b].instructions.contains(where: isDead) else { continue }
            function.blocks[b].instructions.removeAll(where: isDead)
            changed = true
        }
        return changed
    }
}

extension Simplify {
    /// Which values something with an effect (or a terminator) needs, directly or not; nil
    /// when no instruction could be dead. Reads `function` only (borrowed: no copy per use).
    static func liveValues(_ function: IRFunction) -> [Bool]? {
        // (Closure literals below, not a local function: a local function that captures
        // mutable state costs a dynamic exclusivity check on every call.)
        var live = [Bool](repeating: false, count: function.valueTypes.count)
        var work: [IRValue] = []
        // Where each value is defined: block and instruction index (-1: a block parameter).
        var definerBlock = [Int32](repeating: -1, count: function.valueTypes.count)
        var definerIndex = [Int32](repeating: -1, count: function.valueTypes.count)
        var anyDead = false
        for b in function.blocks.indices {
            for (i, instruction) in function.blocks[b].instructions.enumerated() {
                for result in instruction.results {
                    definerBlock[Int(result.id)] = Int32(b)
                    definerIndex[Int(result.id)] = Int32(i)
                }
                if instruction.operation.hasEffect {
                    instruction.operation.forEachOperand(in: function) { value in
                        if !live[Int(value.id)] {
                            live[Int(value.id)] = true
                            work.append(value)
                        }
                    }
                } else {
                    anyDead = true  // a candidate, at least
                }
            }
            if let terminator = function.blocks[b].terminator {
                terminator.forEachOperand(in: function) { value in
                    if !live[Int(value.id)] {
                        live[Int(value.id)] = true
                        work.append(value)
                    }
                }
                terminator.forEachEdge(in: function) { edge in
                    for value in function.values(edge.arguments) where !live[Int(value.id)] {
                        live[Int(value.id)] = true
                        work.append(value)
                    }
                }
            }
        }
        guard anyDead else { return nil }
        while let value = work.popLast() {
            let b = definerBlock[Int(value.id)]
            guard b >= 0 else { continue }
            function.blocks[Int(b)].instructions[Int(definerIndex[Int(value.id)])].operation.forEachOperand(in: function) {
                operand in
                if !live[Int(operand.id)] {
                    live[Int(operand.id)] = true
                    work.append(operand)
                }
            }
        }
        return live
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

