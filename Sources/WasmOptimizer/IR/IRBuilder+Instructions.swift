import WasmCore

/// The wasm instructions, one by one, onto `IRBuilder`'s blocks.
extension IRBuilder {
    mutating func buildBody(_ instructions: [Instruction]) throws(IRDecline) {
        assignments = LocalAssignments(instructions, localCount: localTypes.count)
        // Exception handling, even in unreachable code (whose constructs are skipped by
        // counting only the ones the tier knows), is declined before anything is built.
        if assignments.usesExceptions { throw IRDecline("exceptions") }
        reserve(blocks: assignments.blockEstimate, values: instructions.count)
        let entry = newBlock(parameters: function.type.params, sealed: true)
        enter(entry)
        for (local, value) in function[entry].parameters.enumerated() { writeLocal(local, value, in: entry) }
        for local in function.type.params.count..<localTypes.count {
            writeLocal(local, emitValue(.constant(0), localTypes[local]), in: entry)
        }
        let exit = newBlock(parameters: function.type.results, sealed: false)
        frames.append(
            Frame(kind: .function, label: exit, continuation: exit, labelTypes: function.type.results,
                  resultTypes: function.type.results, height: 0, elseBlock: nil, parameters: []))
        var skipDepth = 0  // constructs opened inside unreachable code
        for (index, instruction) in instructions.enumerated() {
            source = Int32(index)
            if current == nil {
                switch instruction {
                case .block, .loop, .if: skipDepth += 1
                    continue
                case .end where skipDepth > 0: skipDepth -= 1
                    continue
                case .else where skipDepth > 0: continue
                case .end, .else: break
                default: continue
                }
            }
            try build(instruction)
            if frames.isEmpty { break }
        }
        let results = function[exit].parameters
        enter(exit)
        sealed[Int(exit.index)] = true
        let first = predecessors.first(of: exit)
        if first < 0 {
            function[exit].terminator = .trap(.unreachable)  // no path returns
            current = nil
        } else if predecessors.count(of: exit) == 1, predecessors.edge(first) == 0,
            case .jump(let edge)? = function[predecessors.source(first)].terminator, edge.target == exit
        {
            // One path returns (straight-line code, mostly): it returns itself, and the exit
            // block stays unreachable, so no pass has a block and parameters to remove.
            function[predecessors.source(first)].terminator = .return(edge.arguments)
            function[exit].terminator = .trap(.unreachable)
            function[exit].parameters = []
            current = nil
        } else {
            terminate(.return(function.makeList(results)))
        }
    }


    mutating func pop() -> IRValue { stack.removeLast() }

    mutating func blockSignature(_ type: BlockType) -> (params: [ValueType], results: [ValueType]) {
        switch type {
        case .empty: ([], [])
        case .value(let t): ([], [t])
        case .typeIndex(let i): (module.types[Int(i)].params, module.types[Int(i)].results)
        }
    }

    /// The branch to the label `depth` frames out, carrying the top of the stack.
    mutating func branchEdge(depth: UInt32) -> IREdge {
        let frame = frames[frames.count - 1 - Int(depth)]
        return edge(to: frame.label, carrying: stack[(stack.count - frame.labelTypes.count)...])
    }

    mutating func build(_ instruction: Instruction) throws(IRDecline) {
        switch instruction {
        case .nop: break
        case .unreachable:
            terminate(.trap(.unreachable))
        case .block(let type):
            let signature = blockSignature(type)
            let continuation = newBlock(parameters: signature.results, sealed: false)
            frames.append(
                Frame(kind: .block, label: continuation, continuation: continuation, labelTypes: signature.results,
                      resultTypes: signature.results, height: stack.count - signature.params.count, elseBlock: nil,
                      parameters: [], region: assignments.region(at: Int(source)) ?? -1))
        case .loop(let type):
            let signature = blockSignature(type)
            let header = newBlock(parameters: signature.params, sealed: false)
            loopHeaders[Int(header.index)] = true
            function.hasLoops = true
            let loop = assignments.region(at: Int(source))
            if let loop { headerLoops[header.index] = loop }
            let continuation = newBlock(parameters: signature.results, sealed: false)
            terminate(.jump(popEdge(to: header, count: signature.params.count)))
            enter(header, forgetting: loop ?? -1)
            let height = stack.count
            stack.append(contentsOf: function[header].parameters)
            frames.append(
                Frame(kind: .loop, label: header, continuation: continuation, labelTypes: signature.params,
                      resultTypes: signature.results, height: height, elseBlock: nil, parameters: [], region: loop ?? -1))
        case .if(let type):
            let signature = blockSignature(type)
            let condition = pop()
            let parameters = Array(stack.suffix(signature.params.count))
            let thenBlock = newBlock(parameters: [], sealed: false)
            let elseBlock = newBlock(parameters: [], sealed: false)
            let continuation = newBlock(parameters: signature.results, sealed: false)
            terminate(.branch(condition: condition, ifTrue: edge(to: thenBlock, carrying: []),
                              ifFalse: edge(to: elseBlock, carrying: [])))
            sealed[Int(thenBlock.index)] = true
            sealed[Int(elseBlock.index)] = true
            enter(thenBlock, forgetting: nil)
            frames.append(
                Frame(kind: .if, label: continuation, continuation: continuation, labelTypes: signature.results,
                      resultTypes: signature.results, height: stack.count - signature.params.count,
                      elseBlock: elseBlock, parameters: parameters, region: assignments.region(at: Int(source)) ?? -1))
        case .else:
            var frame = frames.removeLast()
            if current != nil {
                terminate(.jump(popEdge(to: frame.continuation, count: frame.resultTypes.count)))
            }
            stack.removeLast(stack.count - frame.height)
            stack.append(contentsOf: frame.parameters)
            enter(frame.elseBlock!, forgetting: assignments.region(at: Int(source)) ?? -1)
            frame.elseBlock = nil
            frames.append(frame)
        case .end:
            let frame = frames.removeLast()
            if frame.kind == .function {
                if current != nil { terminate(.jump(popEdge(to: frame.continuation, count: frame.resultTypes.count))) }
                return
            }
            if current != nil {
                terminate(.jump(popEdge(to: frame.continuation, count: frame.resultTypes.count)))
            }
            if let elseBlock = frame.elseBlock {
                // An `if` without `else`: the false path passes the parameters on as the results.
                enter(elseBlock, forgetting: frame.region)
                terminate(.jump(edge(to: frame.continuation, carrying: frame.parameters)))
            }
            if frame.kind == .loop { sealed[Int(frame.label.index)] = true }
            sealed[Int(frame.continuation.index)] = true
            stack.removeLast(stack.count - frame.height)
            if predecessors.count(of: frame.continuation) == 0 {
                current = nil  // nothing reaches the code after this construct
                function[frame.continuation].terminator = .trap(.unreachable)
            } else {
                enter(frame.continuation, forgetting: frame.region)
                stack.append(contentsOf: function[frame.continuation].parameters.prefix(frame.resultTypes.count))
            }
        case .br(let depth):
            terminate(.jump(branchEdge(depth: depth)))
        case .brIf(let depth):
            let condition = pop()
            let taken = branchEdge(depth: depth)
            let next = newBlock(parameters: [], sealed: true)
            terminate(.branch(condition: condition, ifTrue: taken, ifFalse: edge(to: next, carrying: [])))
            enter(next, forgetting: nil)
        case .brTable(let table):
            let index = pop()
            let targets = table.targets.map { branchEdge(depth: $0) }
            let fallback = branchEdge(depth: table.defaultTarget)
            terminate(.table(index: index, targets: function.makeEdges(targets), fallback: fallback))
        case .return:
            terminate(.jump(branchEdge(depth: UInt32(frames.count - 1))))
        default:
            try buildOperation(instruction)
        }
    }

    /// The instructions that stay inside one block.
    mutating func buildOperation(_ instruction: Instruction) throws(IRDecline) {
        switch instruction {
        case .drop: _ = pop()
        case .select, .typedSelect:
            let condition = pop(), ifFalse = pop(), ifTrue = pop()
            let type = function.valueTypes[Int(ifTrue.id)]
            stack.append(emitValue(.select(condition: condition, ifTrue: ifTrue, ifFalse: ifFalse), type))
        case .localGet(let local): stack.append(readLocal(Int(local), in: current!))
        case .localSet(let local): writeLocal(Int(local), pop(), in: current!)
        case .localTee(let local): writeLocal(Int(local), stack.last!, in: current!)
        case .globalGet(let index):
            let type = context.globals[Int(index)].valueType
            if !type.isNumeric || type == .v128 { throw IRDecline(type == .v128 ? "v128 values" : "reference values") }
            stack.append(emitValue(.globalGet(index), context.globals[Int(index)].valueType))
        case .globalSet(let index): _ = emit(.globalSet(index, pop()), results: [])
        case .i32Const(let v): stack.append(emitValue(.constant(UInt64(UInt32(bitPattern: v))), .i32))
        case .i64Const(let v): stack.append(emitValue(.constant(UInt64(bitPattern: v)), .i64))
        case .f32Const(let bits): stack.append(emitValue(.constant(UInt64(bits)), .f32))
        case .f64Const(let bits): stack.append(emitValue(.constant(bits), .f64))
        case .numeric(let op):
            let operands: IRNumericOperands
            if op.arity == 1 {
                operands = IRNumericOperands(pop())
            } else {
                let right = pop()
                operands = IRNumericOperands(pop(), right)
            }
            stack.append(emitValue(.numeric(op, operands), op.resultType))
        case .load(let op, let memarg):
            try requireMemory0(memarg.memory)
            if op.resultType == .v128 { throw IRDecline("v128 values") }
            let address = pop()
            stack.append(emitValue(.load(op, memarg, address: address), op.resultType))
        case .store(let op, let memarg):
            try requireMemory0(memarg.memory)
            if op == .v128Store { throw IRDecline("v128 values") }
            let value = pop(), address = pop()
            _ = emit(.store(op, memarg, address: address, value: value), results: [])
        case .memorySize(let memory):
            try requireMemory0(memory)
            stack.append(emitValue(.memorySize, .i32))
        case .memoryGrow(let memory):
            try requireMemory0(memory)
            stack.append(emitValue(.memoryGrow(pop()), .i32))
        case .call(let index):
            let type = module.types[Int(context.functionTypeIndices[Int(index)])]
            if type.params.contains(where: { !$0.isNumeric || $0 == .v128 })
                || type.results.contains(where: { !$0.isNumeric || $0 == .v128 })
            {
                throw IRDecline(type.params.contains(.v128) || type.results.contains(.v128) ? "v128 values" : "reference values")
            }
            let list = function.makeList(stack[(stack.count - type.params.count)...])
            stack.removeLast(type.params.count)
            stack.append(contentsOf: emit(.call(index, list), results: type.results))
        case .callIndirect(let typeIndex, let tableIndex):
            let type = module.types[Int(typeIndex)]
            if type.params.contains(where: { !$0.isNumeric || $0 == .v128 })
                || type.results.contains(where: { !$0.isNumeric || $0 == .v128 })
            {
                throw IRDecline(type.params.contains(.v128) || type.results.contains(.v128) ? "v128 values" : "reference values")
            }
            guard context.tables[Int(tableIndex)].addressType == .i32 else { throw IRDecline("table instructions") }
            let callee = pop()
            let arguments = function.makeList(stack[(stack.count - type.params.count)...])
            stack.removeLast(type.params.count)
            stack.append(contentsOf: emit(
                .callIndirect(typeIndex: typeIndex, table: tableIndex, callee: callee, arguments: arguments),
                results: type.results))
        case .memoryFill(let memory):
            try requireMemory0(memory)
            let count = pop(), value = pop(), destination = pop()
            _ = emit(.memoryFill(destination: destination, value: value, count: count), results: [])
        case .memoryCopy(let destinationMemory, let sourceMemory):
            try requireMemory0(destinationMemory)
            try requireMemory0(sourceMemory)
            let count = pop(), source = pop(), destination = pop()
            _ = emit(.memoryCopy(destination: destination, source: source, count: count), results: [])
        default:
            throw IRDecline(Self.declinedName(instruction))
        }
    }

    /// Memory 0, 32-bit: the only memory the tier addresses so far.
    mutating func requireMemory0(_ memory: UInt32) throws(IRDecline) {
        guard memory == 0 else { throw IRDecline("multi-memory") }
        guard let first = context.memories.first, !first.is64 else { throw IRDecline("memory64") }
    }

    /// The instruction's family, for the decline list (tests/optimizer-declines.txt).
    static func declinedName(_ instruction: Instruction) -> String {
        switch instruction {
        case .vector, .v128Const, .vectorLane, .laneMemory, .i8x16Shuffle: return "v128 values"
        case .tableGet, .tableSet, .tableSize, .tableGrow, .tableFill, .tableCopy, .tableInit, .elemDrop:
            return "table instructions"
        case .memoryInit, .dataDrop: return "passive data segments"
        case .returnCall, .returnCallIndirect, .returnCallRef: return "tail calls"
        case .tryTable, .throw, .throwRef, .legacyTry, .legacyCatch, .legacyCatchAll, .rethrow, .delegate:
            return "exceptions"
        case .refNull, .refIsNull, .refFunc, .refAsNonNull, .brOnNull, .brOnNonNull, .callRef: return "reference values"
        default:
            let text = "\(instruction)"
            return String(text.prefix { $0 != "(" })
        }
    }
}
