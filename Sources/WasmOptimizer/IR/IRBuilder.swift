import WasmCore

/// Builds the SSA form of one validated wasm function (`IRFunction`), or declines it
/// (`IRDecline`) when it uses something the optimizing tier does not handle yet.
///
/// Locals become SSA values on the fly (Braun et al., "Simple and Efficient Construction of
/// Static Single Assignment Form", 2013): each block records the value each local has at its
/// end; reading a local a block has not written asks its predecessors, and where several
/// meet, the block gains a parameter that every edge into it supplies. A block is sealed once
/// all its predecessors are known (a loop header at the loop's `end`), and only a sealed
/// block with one predecessor reads through to it. The wasm operand stack holds SSA values;
/// values a label carries travel as edge arguments to the label's block parameters.
///
/// Helpers that only read are `mutating` too, as `OptimizingCompiler`'s are (a non-mutating
/// call from a mutating method copies the whole builder).
public struct IRBuilder {
    let module: Module
    let context: ValidationContext
    var function: IRFunction
    /// The locals' types: parameters, then declared locals.
    let localTypes: [ValueType]
    /// Per block: the value of each local at the block's end (so far). The block being built
    /// keeps its locals in `currentValues` instead, and hands them over when it ends.
    var definitions: LocalDefinitions
    /// The value of each local at the current point, valid where `currentOwner` is
    /// `generation` (a local read or written lately: the common case, without hashing). It
    /// stays valid from block to block along the code: a block that continues the one just
    /// ended (after `br_if`, an `if`'s then-block) keeps every local; at a merge or a loop
    /// header only the locals the region just left (or the loop) assigns are dropped
    /// (`LocalAssignments`): any other local has the same value on every path there.
    var currentValues: [Int32]
    var currentOwner: [Int32]
    var generation: Int32 = 0
    /// The locals the current block wrote or looked up itself (`touchedIn` is its index), in
    /// first-touch order: what `terminate` hands over to `definitions`.
    var currentTouched: [Int32] = []
    var touchedIn: [Int32]
    /// Per block: the locals whose values its parameters after the label values are, in order.
    var phiLocals: [[Int]] = []
    /// Per block: where control comes from (block, index of the edge in its terminator).
    var predecessors = BuilderPredecessors()
    var sealed: [Bool] = []
    /// Per block: whether it is a loop's header (the target of back edges).
    var loopHeaders: [Bool] = []
    /// The locals each construct assigns somewhere inside (`LocalAssignments`): a loop header
    /// needs a parameter only for those of its loop.
    var assignments = LocalAssignments()
    /// Per loop header block: its loop's region in `assignments`.
    var headerLoops: [Int32: Int32] = [:]
    /// The block instructions go to; nil while the code is unreachable.
    var current: IRBlockID?
    var stack: [IRValue] = []
    var frames: [Frame] = []
    /// The index of the wasm instruction being built (what `emit` records as the source).
    var source: Int32 = -1

    /// A wasm control construct being built.
    struct Frame {
        enum Kind { case function, block, loop, `if` }
        var kind: Kind
        /// Where a branch to this label goes: the loop header, else the continuation.
        var label: IRBlockID
        /// The block after `end`.
        var continuation: IRBlockID
        /// Types a branch to the label carries (loop: parameters; others: results).
        var labelTypes: [ValueType]
        var resultTypes: [ValueType]
        /// The operand stack's height below the construct's parameters.
        var height: Int
        /// An `if`'s else block, until `else` (or `end`) builds it; its parameters' values.
        var elseBlock: IRBlockID?
        var parameters: [IRValue]
        /// The construct's region in `assignments` (-1: none known).
        var region: Int32 = -1
    }

    /// Builds function `definedIndex` (counting defined functions only) of `module`.
    public static func build(_ module: Module, definedIndex: Int) throws(IRDecline) -> IRFunction {
        try build(module, definedIndex: definedIndex, context: ValidationContext(module: module))
    }

    /// Builds function `definedIndex` with the module's `context` computed beforehand (once per
    /// module: `OptimizerModuleContext`).
    public static func build(_ module: Module, definedIndex: Int, context: ValidationContext) throws(IRDecline)
        -> IRFunction
    {
        let typeIndex = Int(module.functions[definedIndex])
        let body = module.codes[definedIndex]
        let type = module.types[typeIndex]
        let locals = type.params + body.expandedLocals
        for valueType in locals + type.results where !valueType.isNumeric || valueType == .v128 {
            throw IRDecline(valueType == .v128 ? "v128 values" : "reference values")
        }
        let decoded: DecodedBody
        do { decoded = try body.decoded() } catch { throw IRDecline("undecodable body: \(error)") }
        var builder = IRBuilder(module: module, context: context, type: type, localTypes: locals,
                                expectedDefinitions: decoded.instructions.count / 2)
        try builder.buildBody(decoded.instructions)
        builder.function.sourceOffsets = decoded.offsets
        return builder.function
    }

    init(module: Module, context: ValidationContext, type: FuncType, localTypes: [ValueType], expectedDefinitions: Int = 0) {
        self.module = module
        self.context = context
        function = IRFunction(type: type)
        self.localTypes = localTypes
        definitions = LocalDefinitions(expectedCount: expectedDefinitions)
        currentValues = Array(repeating: -1, count: localTypes.count)
        currentOwner = Array(repeating: -1, count: localTypes.count)
        touchedIn = Array(repeating: -1, count: localTypes.count)
    }

    // MARK: Blocks and edges

    /// Makes room in the per-block and per-value tables for about `blocks` blocks and `values`
    /// values (the body's size says), so that they do not grow step by step.
    mutating func reserve(blocks: Int, values: Int) {
        function.blocks.reserveCapacity(blocks)
        function.valueTypes.reserveCapacity(values)
        function.valueLists.reserveCapacity(2 * blocks)
        phiLocals.reserveCapacity(blocks)
        sealed.reserveCapacity(blocks)
        loopHeaders.reserveCapacity(blocks)
        predecessors = BuilderPredecessors(expectedBlocks: blocks)
    }

    mutating func newBlock(parameters types: [ValueType], sealed isSealed: Bool) -> IRBlockID {
        let id = function.newBlock()
        phiLocals.append([])
        predecessors.addBlock()
        sealed.append(isSealed)
        loopHeaders.append(false)
        for type in types { function[id].parameters.append(function.newValue(type)) }
        return id
    }

    /// An edge to `target` carrying `values` for its label parameters (`terminate` adds the
    /// locals its other parameters stand for).
    mutating func edge(to target: IRBlockID, carrying values: some Collection<IRValue>) -> IREdge {
        function.makeEdge(to: target, passing: values)
    }

    /// An edge to `target` carrying the top `count` values, which leave the stack.
    mutating func popEdge(to target: IRBlockID, count: Int) -> IREdge {
        let made = function.makeEdge(to: target, passing: stack[(stack.count - count)...])
        stack.removeLast(count)
        return made
    }

    /// Ends the current block with `terminator` and records it as a predecessor of its targets.
    /// First every edge gets the current values of the locals its target's parameters stand for;
    /// reading them may add parameters to a target (a loop header reached from its own body),
    /// so this goes on until no edge lacks an argument.
    mutating func terminate(_ terminator: IRTerminator) {
        guard let block = current else { return }
        // The block's locals go to the shared record first: its edges read them below, and
        // later blocks through them.
        for local in currentTouched { definitions[Int(block.index), Int(local)] = IRValue(id: currentValues[Int(local)]) }
        currentTouched.removeAll(keepingCapacity: true)
        current = nil  // from here on the block's locals are read from `definitions`
        function[block].terminator = terminator
        function[block].terminatorSource = source
        let edgeCount = terminator.edgeCount
        var complete = false
        while !complete {
            complete = true
            for index in 0..<edgeCount {
                guard let edge = function[block].terminator!.edge(index, in: function) else { continue }
                let target = Int(edge.target.index)
                let parameterCount = function.blocks[target].parameters.count
                let labelCount = parameterCount - phiLocals[target].count
                if Int(edge.arguments.count) < parameterCount {
                    let local = phiLocals[target][Int(edge.arguments.count) - labelCount]
                    appendArgument(readLocal(local, in: block), from: block, edge: index)
                    complete = false
                }
            }
        }
        for index in 0..<edgeCount {
            guard let edge = function[block].terminator!.edge(index, in: function) else { continue }
            predecessors.append(from: block, edge: index, to: edge.target)
        }
    }

    mutating func emit(_ operation: IROperation, results types: [ValueType]) -> IRResults {
        let results = function.newValues(types)
        append(IRInstruction(operation: operation, results: results, source: source))
        return results
    }

    /// Appends to the current block: the first instruction makes room for a few (a block has
    /// about four; growing from one by doubling was most of the builder's allocations).
    mutating func append(_ instruction: IRInstruction) {
        let b = Int(current!.index)
        if function.blocks[b].instructions.capacity == 0 { function.blocks[b].instructions.reserveCapacity(4) }
        function.blocks[b].instructions.append(instruction)
    }

    mutating func emitValue(_ operation: IROperation, _ type: ValueType) -> IRValue {
        let value = function.newValue(type)
        append(IRInstruction(operation: operation, results: IRResults(base: value.id, count: 1), source: source))
        return value
    }

    // MARK: Locals as SSA values

    /// Makes `block` the one instructions go to, with every local unknown (the entry, the exit).
    mutating func enter(_ block: IRBlockID) {
        generation += 1
        current = block
    }

    /// Makes `block` the one instructions go to, where the locals have the values of the
    /// current point except those `region` assigns (nil: all of them, for a block whose one
    /// predecessor is the block just ended; a negative region: none of them).
    mutating func enter(_ block: IRBlockID, forgetting region: Int32?) {
        if let region {
            if region < 0 {
                generation += 1
            } else {
                for local in assignments.assigned(in: region) { currentOwner[Int(local)] = -1 }
            }
        }
        current = block
    }

    mutating func writeLocal(_ local: Int, _ value: IRValue, in block: IRBlockID) {
        if block == current {
            if touchedIn[local] != block.index {
                touchedIn[local] = block.index
                currentTouched.append(Int32(local))
            }
            currentOwner[local] = generation
            currentValues[local] = value.id
        } else {
            definitions[Int(block.index), local] = value
        }
    }

    mutating func readLocal(_ local: Int, in block: IRBlockID) -> IRValue {
        if block == current {
            if currentOwner[local] == generation { return IRValue(id: currentValues[local]) }
        } else if let value = definitions[Int(block.index), local] {
            return value
        }
        let value: IRValue
        let first = predecessors.first(of: block)
        if sealed[Int(block.index)] && predecessors.count(of: block) == 1 {
            value = readLocal(local, in: predecessors.source(first))
        } else if loopHeaders[Int(block.index)], let loop = headerLoops[block.index],
            !assignments.assigns(region: loop, local: local), first >= 0
        {
            // The loop never assigns the local: its value is the one on entry (the first edge).
            value = readLocal(local, in: predecessors.source(first))
        } else if sealed[Int(block.index)] && !loopHeaders[Int(block.index)] {
            // A merge whose predecessors are all known and which no path from it reaches again
            // (a cycle passes a loop header, which stops the recursion): a parameter only when
            // the predecessors disagree. (Elsewhere `Simplify` removes the trivial ones.)
            var only: IRValue? = nil, agree = true
            var entry = first
            while entry >= 0 {
                let argument = readLocal(local, in: predecessors.source(entry))
                if only == nil { only = argument } else if only != argument { agree = false }
                entry = predecessors.following(entry)
            }
            if agree, let only {
                value = only
            } else {
                value = addParameter(for: local, to: block)
                passLocal(local, alongEdgesInto: block)  // (each predecessor has it recorded by now)
            }
        } else {
            // A parameter: every edge into the block, now and later, passes the local's value.
            value = addParameter(for: local, to: block)
            writeLocal(local, value, in: block)
            passLocal(local, alongEdgesInto: block)
        }
        writeLocal(local, value, in: block)
        return value
    }

    /// Appends the value `local` has at the end of each predecessor of `block` to the edge
    /// from there (the argument for the parameter just added for it).
    mutating func passLocal(_ local: Int, alongEdgesInto block: IRBlockID) {
        var entry = predecessors.first(of: block)
        while entry >= 0 {
            let pred = predecessors.source(entry)
            appendArgument(readLocal(local, in: pred), from: pred, edge: predecessors.edge(entry))
            entry = predecessors.following(entry)
        }
    }

    /// A new parameter of `block` standing for `local` (its edges' arguments come after).
    mutating func addParameter(for local: Int, to block: IRBlockID) -> IRValue {
        let value = function.newValue(localTypes[local])
        function[block].parameters.append(value)
        phiLocals[Int(block.index)].append(local)
        return value
    }

    /// Adds an argument to edge `edge` of `block`'s terminator.
    mutating func appendArgument(_ value: IRValue, from block: IRBlockID, edge: Int) {
        guard let terminator = function[block].terminator else { return }
        switch terminator {
        case .jump(var e):
            function.appendArgument(value, to: &e.arguments)
            function[block].terminator = .jump(e)
        case .branch(let condition, var ifTrue, var ifFalse):
            if edge == 0 {
                function.appendArgument(value, to: &ifTrue.arguments)
            } else {
                function.appendArgument(value, to: &ifFalse.arguments)
            }
            function[block].terminator = .branch(condition: condition, ifTrue: ifTrue, ifFalse: ifFalse)
        case .table(let index, let targets, var fallback):
            if edge < targets.count {
                var arguments = function.edgeLists[Int(targets.start) + edge].arguments
                function.appendArgument(value, to: &arguments)
                function.edgeLists[Int(targets.start) + edge].arguments = arguments
            } else {
                function.appendArgument(value, to: &fallback.arguments)
                function[block].terminator = .table(index: index, targets: targets, fallback: fallback)
            }
        case .return, .trap: break
        }
    }
}
