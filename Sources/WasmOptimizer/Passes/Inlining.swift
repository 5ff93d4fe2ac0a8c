import WasmCore

/// Inlining of small leaf functions: a direct call of a function the `callee` closure offers
/// (already simplified; it makes no calls of its own) is replaced by a copy of its blocks.
/// The calling block is split at the call: its first part jumps to the copy of the callee's
/// entry, passing the arguments to its parameters; every `return` of the copy jumps to the
/// second part, whose parameters are the call's results. `Simplify` then removes the
/// parameters that have one incoming value, which is where the arguments meet the callee's
/// uses. Inlined instructions keep their position in the callee's body and name the call
/// (`IRFunction.inlinedCalls`), so that a trap inside shows the callee's frame and the caller's.
///
/// Compiler-rt's `__multi3` (the 64×64→128-bit multiply that clang emits for curve25519
/// arithmetic) is the case that matters: a dozen instructions whose call, frame and result
/// round trip through memory cost more than the multiply. Cranelift does not inline.
public enum Inlining {
    /// Inlines the calls `callee` accepts, up to `budget` copied instructions in all.
    /// Returns whether anything was inlined.
    public static func run(_ function: inout IRFunction, budget: Int, callee: (UInt32) -> IRFunction?) -> Bool {
        var remaining = budget
        var changed = false
        var b = 0
        var scanFrom = 0  // the instructions of block b before this hold no call left to try
        while b < function.blocks.count {
            guard let i = function.blocks[b].instructions[scanFrom...].firstIndex(where: {
                if case .call = $0.operation, $0.inlinedCall == -1 { return true }
                return false
            }) else {
                b += 1
                scanFrom = 0
                continue
            }
            scanFrom = i
            let call = function.blocks[b].instructions[i]
            guard case .call(let index, let arguments) = call.operation, let body = callee(index),
                !body.makesCalls,
                body.instructionCount <= remaining
            else {
                // Not inlined: mark it so the search moves past it (the mark is cleared below).
                function.blocks[b].instructions[i].inlinedCall = -2
                continue
            }
            remaining -= body.instructionCount
            inline(body, index: index, call: call, arguments: Array(function.values(arguments)), at: i, in: b,
                   into: &function)
            changed = true
        }
        for b in function.blocks.indices {
            for i in function.blocks[b].instructions.indices where function.blocks[b].instructions[i].inlinedCall == -2 {
                function.blocks[b].instructions[i].inlinedCall = -1
            }
        }
        return changed
    }

    static func inline(_ body: IRFunction, index: UInt32, call: IRInstruction, arguments: [IRValue], at i: Int,
                       in b: Int, into function: inout IRFunction) {
        let site = Int32(function.inlinedCalls.count)
        if body.hasLoops { function.hasLoops = true }
        function.inlinedCalls.append(IRInlinedCall(callee: index, callSite: call.source))
        // The continuation: the rest of the block, with the call's results as its parameters.
        let continuation = function.newBlock()
        function[continuation].parameters = Array(call.results)
        function[continuation].instructions = Array(function.blocks[b].instructions[(i + 1)...])
        function[continuation].terminator = function.blocks[b].terminator
        function[continuation].terminatorSource = function.blocks[b].terminatorSource
        // The callee's blocks and values, renumbered.
        var values = [IRValue?](repeating: nil, count: body.valueTypes.count)
        func map(_ value: IRValue) -> IRValue {
            if let known = values[Int(value.id)] { return known }
            let fresh = function.newValue(body.valueTypes[Int(value.id)])
            values[Int(value.id)] = fresh
            return fresh
        }
        // Results first, each instruction's in consecutive ids (`IRResults`); a use may come
        // before its definition in block order.
        for block in body.blocks {
            for instruction in block.instructions where !instruction.results.isEmpty {
                let fresh = function.newValues(instruction.results.map { body.valueTypes[Int($0.id)] })
                for (calleeValue, callerValue) in zip(instruction.results, fresh) { values[Int(calleeValue.id)] = callerValue }
            }
        }
        let firstBlock = Int32(function.blocks.count)
        for _ in body.blocks { _ = function.newBlock() }
        func mapBlock(_ block: IRBlockID) -> IRBlockID { IRBlockID(index: firstBlock + block.index) }
        for (n, block) in body.blocks.enumerated() {
            var copy = IRBlock()
            copy.parameters = block.parameters.map(map)
            copy.instructions = block.instructions.map { instruction in
                var moved = instruction
                moved.operation = instruction.operation.mapOperands(map)
                moved.results = instruction.results.isEmpty
                    ? .none : IRResults(base: map(instruction.results[0]).id, count: instruction.results.count)
                moved.inlinedCall = site
                return moved
            }
            // The copy's edges and returned values go to the caller's side tables.
            // (Mapped first: mapping may add values to `function`.)
            func copied(_ edge: IREdge) -> IREdge {
                let arguments = body.values(edge.arguments).map(map)
                return function.makeEdge(to: mapBlock(edge.target), passing: arguments)
            }
            switch block.terminator {
            case .return(let results)?:
                let returned = body.values(results).map(map)
                copy.terminator = .jump(function.makeEdge(to: continuation, passing: returned))
            case .jump(let edge)?:
                copy.terminator = .jump(copied(edge))
            case .branch(let condition, let ifTrue, let ifFalse)?:
                let taken = copied(ifTrue), notTaken = copied(ifFalse)
                copy.terminator = .branch(condition: map(condition), ifTrue: taken, ifFalse: notTaken)
            case .table(let index, let targets, let fallback)?:
                let edges = body.edges(targets).map(copied)
                let last = copied(fallback)
                copy.terminator = .table(index: map(index), targets: function.makeEdges(edges), fallback: last)
            case .trap?, nil:
                copy.terminator = .trap(.unreachable)
            }
            copy.terminatorSource = call.source  // a trap terminator is reported at the call
            function.blocks[Int(firstBlock) + n] = copy
        }
        function.blocks[b].instructions.removeSubrange(i...)
        function.blocks[b].terminator = .jump(function.makeEdge(to: IRBlockID(index: firstBlock), passing: arguments))
    }
}

extension IRFunction {
    /// Whether some instruction calls a function (a leaf makes none: what `Inlining` copies).
    public var makesCalls: Bool {
        blocks.contains { block in
            block.instructions.contains {
                switch $0.operation {
                case .call, .callIndirect: true
                default: false
                }
            }
        }
    }
}
