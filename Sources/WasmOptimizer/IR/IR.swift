import WasmCore

// The optimizing tier's intermediate representation: SSA over basic blocks with block
// parameters instead of phi nodes (a branch passes the values its target's parameters take).
// Built from a validated wasm function by `IRBuilder`; checked by `IRVerifier`.

/// An SSA value: defined once, by an instruction or as a block parameter.
public struct IRValue: Hashable, Sendable, CustomStringConvertible {
    /// Its number in the function (`IRFunction.valueTypes` index).
    public let id: Int32
    /// `v12`.
    public var description: String { "v\(id)" }
}

/// A basic block of an `IRFunction`.
public struct IRBlockID: Hashable, Sendable, CustomStringConvertible {
    /// Its index in `IRFunction.blocks`.
    public let index: Int32
    /// `b3`.
    public var description: String { "b\(index)" }
}

/// What an instruction computes. Operands are SSA values; immediates are as in wasm.
public enum IROperation: Sendable {
    /// A constant of a numeric type, as its bits (i32/f32 in the low 32 bits).
    case constant(UInt64)
    /// A numeric operator of the wasm instruction table on its operands.
    case numeric(NumericOp, IRNumericOperands)
    /// `condition != 0 ? ifTrue : ifFalse`.
    case select(condition: IRValue, ifTrue: IRValue, ifFalse: IRValue)
    /// A load from memory 0 at `address` + the memarg's offset (bounds checked).
    case load(LoadOp, MemArg, address: IRValue)
    /// A store to memory 0 (no result).
    case store(StoreOp, MemArg, address: IRValue, value: IRValue)
    /// A global's value.
    case globalGet(UInt32)
    /// Sets a mutable global (no result).
    case globalSet(UInt32, IRValue)
    /// Memory 0's size in pages.
    case memorySize
    /// `memory.grow` on memory 0: the old size in pages, or -1.
    case memoryGrow(IRValue)
    /// A direct call of function `index` (imports first): one result per result type.
    case call(UInt32, IRValueList)
    /// A call through table `table` at `callee`, checked against type `typeIndex`.
    case callIndirect(typeIndex: UInt32, table: UInt32, callee: IRValue, arguments: IRValueList)
    /// `memory.fill` on memory 0 (no result).
    case memoryFill(destination: IRValue, value: IRValue, count: IRValue)
    /// `memory.copy` within memory 0 (no result).
    case memoryCopy(destination: IRValue, source: IRValue, count: IRValue)

    /// The values the operation reads (a call's arguments from `function`'s side table).
    public func operands(in function: IRFunction) -> [IRValue] {
        switch self {
        case .constant, .globalGet, .memorySize: []
        case .numeric(_, let values): Array(values)
        case .call(_, let values): Array(function.values(values))
        case .select(let c, let t, let f): [c, t, f]
        case .load(_, _, let address): [address]
        case .store(_, _, let address, let value): [address, value]
        case .globalSet(_, let value), .memoryGrow(let value): [value]
        case .callIndirect(_, _, let callee, let arguments): Array(function.values(arguments)) + [callee]
        case .memoryFill(let d, let v, let n): [d, v, n]
        case .memoryCopy(let d, let s, let n): [d, s, n]
        }
    }
}

extension IROperation {
    /// Calls `body` on each value the operation reads, in `operands` order, without building
    /// an array (the passes' hot loops); a call's arguments come from `function`'s side table.
    @inlinable
    public func forEachOperand(in function: IRFunction, _ body: (IRValue) -> Void) {
        switch self {
        case .constant, .globalGet, .memorySize: break
        case .numeric(_, let values): values.forEach(body)
        case .call(_, let values): function.values(values).forEach(body)
        case .select(let c, let t, let f): body(c); body(t); body(f)
        case .load(_, _, let address): body(address)
        case .store(_, _, let address, let value): body(address); body(value)
        case .globalSet(_, let value), .memoryGrow(let value): body(value)
        case .callIndirect(_, _, let callee, let arguments): function.values(arguments).forEach(body); body(callee)
        case .memoryFill(let d, let v, let n): body(d); body(v); body(n)
        case .memoryCopy(let d, let s, let n): body(d); body(s); body(n)
        }
    }
}

/// A run of values in `IRFunction.valueLists`: a call's arguments. Kept out of the instruction
/// so that instructions are plain data (copied without reference counting).
public struct IRValueList: Sendable, Equatable {
    /// The first value's index in `IRFunction.valueLists`.
    public let start: Int32
    /// How many values.
    public let count: Int32
}

/// One instruction: its operation and the values it defines (none, one, or a call's results).
public struct IRInstruction: Sendable {
    /// What it computes.
    public var operation: IROperation
    /// The values it defines, in result order.
    public var results: IRResults
    /// The index of the wasm instruction it comes from in the decoded body (-1: none), for
    /// backtraces and trap sites: the function's own body, or the inlined callee's.
    public var source: Int32 = -1
    /// For an instruction inlined from a callee: its `IRFunction.inlinedCalls` entry (-1: none).
    public var inlinedCall: Int32 = -1
}

/// A numeric operator's one or two operands, kept inline (an instruction allocates nothing).
public struct IRNumericOperands: RandomAccessCollection, Sendable, Equatable {
    private let firstOperand: IRValue
    private let secondOperand: IRValue
    private let length: UInt8

    /// One operand (a unary operator).
    public init(_ operand: IRValue) {
        firstOperand = operand
        secondOperand = operand
        length = 1
    }

    /// Two operands (a binary operator).
    public init(_ left: IRValue, _ right: IRValue) {
        firstOperand = left
        secondOperand = right
        length = 2
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(length) }
    public subscript(position: Int) -> IRValue { position == 0 ? firstOperand : secondOperand }

    /// The operands passed through `transform`.
    public func mapped(_ transform: (IRValue) -> IRValue) -> IRNumericOperands {
        length == 1 ? Self(transform(firstOperand)) : Self(transform(firstOperand), transform(secondOperand))
    }
}

/// The values an instruction defines: consecutive value ids, so that an instruction holds no
/// array (none, one, or a call's results).
public struct IRResults: RandomAccessCollection, Sendable, Equatable {
    /// The first value's id.
    public let base: Int32
    private let length: Int32

    /// `count` values from id `base` on.
    public init(base: Int32, count: Int) {
        self.base = base
        length = Int32(count)
    }

    /// No values.
    public static let none = IRResults(base: 0, count: 0)

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(length) }
    public subscript(position: Int) -> IRValue { IRValue(id: base + Int32(position)) }
}

/// A call the inliner replaced by the callee's body (for backtraces through inlined code).
public struct IRInlinedCall: Sendable {
    /// The callee's function index (imports first).
    public var callee: UInt32
    /// The call instruction's index in the caller's decoded body.
    public var callSite: Int32
}

/// A control-flow edge: the target block and the values for its parameters (a run of the
/// function's `valueLists`, so that terminators are plain data).
public struct IREdge: Sendable, Equatable {
    /// Where control goes.
    public var target: IRBlockID
    /// One value per parameter of `target`.
    public var arguments: IRValueList

    /// An edge to `target` passing the values of `arguments`.
    public init(target: IRBlockID, arguments: IRValueList) {
        self.target = target
        self.arguments = arguments
    }
}

/// A run of edges in `IRFunction.edgeLists`: a `br_table`'s targets.
public struct IREdgeList: Sendable, Equatable {
    /// The first edge's index in `IRFunction.edgeLists`.
    public let start: Int32
    /// How many edges.
    public let count: Int32
}

/// How a block ends. Plain data: value and edge lists live in the function's side tables.
public enum IRTerminator: Sendable {
    /// Goes to one block.
    case jump(IREdge)
    /// `condition != 0` goes to `ifTrue`, else to `ifFalse`.
    case branch(condition: IRValue, ifTrue: IREdge, ifFalse: IREdge)
    /// `targets[index]`, or `fallback` when `index` is out of range (`br_table`).
    case table(index: IRValue, targets: IREdgeList, fallback: IREdge)
    /// Returns these values from the function.
    case `return`(IRValueList)
    /// Traps (`unreachable`).
    case trap(TrapReason)

    /// Why a `trap` terminator traps.
    public enum TrapReason: Sendable { case unreachable }

    /// The edges out of the block, in order.
    public func edges(in function: IRFunction) -> [IREdge] {
        switch self {
        case .jump(let edge): [edge]
        case .branch(_, let ifTrue, let ifFalse): [ifTrue, ifFalse]
        case .table(_, let targets, let fallback): Array(function.edges(targets)) + [fallback]
        case .return, .trap: []
        }
    }

    /// Calls `body` on each value the terminator itself reads (edge arguments aside).
    @inlinable
    public func forEachOperand(in function: IRFunction, _ body: (IRValue) -> Void) {
        switch self {
        case .branch(let condition, _, _): body(condition)
        case .table(let index, _, _): body(index)
        case .return(let values): function.values(values).forEach(body)
        case .jump, .trap: break
        }
    }

    /// Calls `body` on each edge out of the block, in `edges` order, without building an array.
    @inlinable
    public func forEachEdge(in function: IRFunction, _ body: (IREdge) -> Void) {
        switch self {
        case .jump(let edge): body(edge)
        case .branch(_, let ifTrue, let ifFalse): body(ifTrue); body(ifFalse)
        case .table(_, let targets, let fallback): function.edges(targets).forEach(body); body(fallback)
        case .return, .trap: break
        }
    }

    /// How many edges leave the block.
    public var edgeCount: Int {
        switch self {
        case .jump: 1
        case .branch: 2
        case .table(_, let targets, _): Int(targets.count) + 1
        case .return, .trap: 0
        }
    }

    /// Edge `index` (in `edges` order); nil past the last edge.
    public func edge(_ index: Int, in function: IRFunction) -> IREdge? {
        guard index >= 0, index < edgeCount else { return nil }
        return switch self {
        case .jump(let edge): edge
        case .branch(_, let ifTrue, let ifFalse): index == 0 ? ifTrue : ifFalse
        case .table(_, let targets, let fallback):
            index < targets.count ? function.edgeLists[Int(targets.start) + index] : fallback
        case .return, .trap: nil
        }
    }

    /// The block edge `index` (in `edges` order) goes to; nil past the last edge.
    public func successor(_ index: Int, in function: IRFunction) -> Int? {
        edge(index, in: function).map { Int($0.target.index) }
    }

    /// The values the terminator itself reads (edge arguments aside).
    public func operands(in function: IRFunction) -> [IRValue] {
        switch self {
        case .branch(let condition, _, _): [condition]
        case .table(let index, _, _): [index]
        case .return(let values): Array(function.values(values))
        case .jump, .trap: []
        }
    }

    /// The value it branches on (`branch` condition, `table` index), if any.
    public var condition: IRValue? {
        switch self {
        case .branch(let condition, _, _): condition
        case .table(let index, _, _): index
        case .jump, .return, .trap: nil
        }
    }

    /// The same terminator with its condition or index passed through `transform` (values in
    /// side-table lists are not looked at: `Simplify.substitute` maps those as a whole).
    public func mapCondition(_ transform: (IRValue) -> IRValue) -> IRTerminator {
        switch self {
        case .branch(let condition, let ifTrue, let ifFalse):
            .branch(condition: transform(condition), ifTrue: ifTrue, ifFalse: ifFalse)
        case .table(let index, let targets, let fallback): .table(index: transform(index), targets: targets, fallback: fallback)
        case .jump, .return, .trap: self
        }
    }
}

/// A basic block: parameters, straight-line instructions, one terminator.
public struct IRBlock: Sendable {
    /// The values the block's predecessors pass in (what phi nodes are elsewhere).
    public var parameters: [IRValue] = []
    /// The instructions, in order.
    public var instructions: [IRInstruction] = []
    /// How the block ends (nil only while it is being built).
    public var terminator: IRTerminator?
    /// The wasm instruction the terminator comes from (-1: none), for a `trap` terminator's site.
    public var terminatorSource: Int32 = -1
}

/// A function in SSA form. Block 0 is the entry; its parameters are the wasm parameters.
public struct IRFunction: Sendable {
    /// The blocks; unreachable ones may remain (`IRVerifier` checks every block anyway).
    public var blocks: [IRBlock] = []
    /// The type of every value, by id.
    public var valueTypes: [ValueType] = []
    /// The function's wasm type.
    public var type: FuncType
    /// The calls inlined into it (`IRInstruction.inlinedCall`).
    public var inlinedCalls: [IRInlinedCall] = []
    /// The value lists (`IRValueList`: calls' and edges' arguments, returned values), one
    /// after another. An edge's list has room to grow in place up to `growableCapacity` of its
    /// count (the SSA builder appends to edges as it finds parameters).
    public var valueLists: [IRValue] = []
    /// The `br_table` target lists (`IREdgeList`), one after another.
    public var edgeLists: [IREdge] = []
    /// Whether it has a loop (a `loop` the builder reached, or one inlined): loop-invariant
    /// code motion has nothing to do otherwise.
    public var hasLoops = false
    /// The module offset of each instruction of the decoded wasm body it was built from (what
    /// `IRInstruction.source` indexes; the builder decodes the body once, the back end maps
    /// sources to offsets with this).
    public var sourceOffsets: [UInt32] = []

    /// A function of `type` with no blocks yet.
    public init(type: FuncType) { self.type = type }

    /// A new value of `type`.
    public mutating func newValue(_ type: ValueType) -> IRValue {
        valueTypes.append(type)
        return IRValue(id: Int32(valueTypes.count - 1))
    }

    /// New values of `types`, with consecutive ids (an instruction's results).
    public mutating func newValues<Types: Collection<ValueType>>(_ types: Types) -> IRResults {
        let base = Int32(valueTypes.count)
        valueTypes.append(contentsOf: types)
        return IRResults(base: base, count: types.count)
    }

    /// A new empty block.
    public mutating func newBlock() -> IRBlockID {
        blocks.append(IRBlock())
        return IRBlockID(index: Int32(blocks.count - 1))
    }

    /// Stores `values` in the side table as a new list.
    public mutating func makeList(_ values: some Collection<IRValue>) -> IRValueList {
        let start = Int32(valueLists.count)
        valueLists.append(contentsOf: values)
        return IRValueList(start: start, count: Int32(values.count))
    }

    /// The values of `list`.
    @inlinable
    public func values(_ list: IRValueList) -> ArraySlice<IRValue> {
        valueLists[Int(list.start) ..< Int(list.start + list.count)]
    }

    /// The edges of `list`.
    @inlinable
    public func edges(_ list: IREdgeList) -> ArraySlice<IREdge> {
        edgeLists[Int(list.start) ..< Int(list.start + list.count)]
    }

    /// How many slots an edge's argument list of `count` values occupies: room to grow in
    /// place (powers of two), so that appending one at a time costs amortized constant time.
    static func growableCapacity(_ count: Int) -> Int {
        count == 0 ? 0 : max(2, 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount))
    }

    /// An edge to `target` passing `arguments` (stored with room to grow).
    public mutating func makeEdge(to target: IRBlockID, passing arguments: some Collection<IRValue>) -> IREdge {
        let start = Int32(valueLists.count)
        valueLists.append(contentsOf: arguments)
        let padding = Self.growableCapacity(arguments.count) - arguments.count
        if padding > 0 { valueLists.append(contentsOf: repeatElement(IRValue(id: 0), count: padding)) }
        return IREdge(target: target, arguments: IRValueList(start: start, count: Int32(arguments.count)))
    }

    /// Appends `value` to an edge's argument list (one `makeEdge` made, or one filtered in place
    /// since): in its room when there is some, else moved to the end with twice the room.
    public mutating func appendArgument(_ value: IRValue, to list: inout IRValueList) {
        let count = Int(list.count), start = Int(list.start)
        if start + count == valueLists.count {  // at the end: grow there, with the room the count implies
            valueLists.append(value)
            let padding = Self.growableCapacity(count + 1) - (count + 1)
            if padding > 0 { valueLists.append(contentsOf: repeatElement(IRValue(id: 0), count: padding)) }
        } else if count < Self.growableCapacity(count) {
            valueLists[start + count] = value
        } else {
            let moved = Array(values(list)) + [value]
            list = makeEdge(to: IRBlockID(index: 0), passing: moved).arguments
            return
        }
        list = IRValueList(start: list.start, count: list.count + 1)
    }

    /// Stores `edges` in the edge side table as a new list.
    public mutating func makeEdges(_ edges: [IREdge]) -> IREdgeList {
        let start = Int32(edgeLists.count)
        edgeLists.append(contentsOf: edges)
        return IREdgeList(start: start, count: Int32(edges.count))
    }

    /// The block `id`.
    public subscript(id: IRBlockID) -> IRBlock {
        get { blocks[Int(id.index)] }
        // In place: a get-then-set would copy the block's instruction array on every append.
        _modify { yield &blocks[Int(id.index)] }
    }

    /// The blocks the entry reaches, entry first, in reverse postorder (a depth-first walk
    /// with an explicit stack: no recursion however deep the control flow nests).
    public func reversePostorder() -> [Int] {
        guard !blocks.isEmpty else { return [] }
        var visited = [Bool](repeating: false, count: blocks.count)
        var postorder: [Int] = []
        postorder.reserveCapacity(blocks.count)
        var stack: [(block: Int, next: Int)] = [(0, 0)]
        visited[0] = true
        while let top = stack.last {
            if let target = blocks[top.block].terminator?.successor(top.next, in: self) {
                stack[stack.count - 1].next += 1
                if !visited[target] {
                    visited[target] = true
                    stack.append((target, 0))
                }
            } else {
                postorder.append(top.block)
                stack.removeLast()
            }
        }
        return postorder.reversed()
    }

    /// How many instructions the blocks hold (terminators aside).
    public var instructionCount: Int { blocks.reduce(0) { $0 + $1.instructions.count } }
}

/// Why the optimizing tier does not take a function: the baseline keeps running it.
public struct IRDecline: Error, Sendable, CustomStringConvertible {
    /// What the tier does not handle, e.g. `call_indirect`.
    public var reason: String
    /// A decline for `reason`.
    public init(_ reason: String) { self.reason = reason }
    /// The reason.
    public var description: String { reason }
}

/// Each block's predecessors, counting edges from reachable blocks only, in one array: block
/// `b`'s are `blocks[range(of: b)]` (a block appears once per edge; dominators, loops and
/// liveness walk them).
public struct IRPredecessors: Sendable {
    /// Where each block's predecessors begin in `blocks` (block count + 1 entries).
    public let start: [Int32]
    /// The predecessors of every block, one block's after another's.
    public let blocks: [Int32]

    /// The predecessors in `function`, given which blocks are reachable.
    public init(_ function: IRFunction, reachable: [Bool]) {
        let blockCount = function.blocks.count
        var start = [Int32](repeating: 0, count: blockCount + 1)
        for b in 0..<blockCount where reachable[b] {
            function.blocks[b].terminator?.forEachEdge(in: function) { start[Int($0.target.index) + 1] += 1 }
        }
        for b in 0..<blockCount { start[b + 1] += start[b] }
        var blocks = [Int32](repeating: 0, count: Int(start[blockCount]))
        var filled = start
        for b in 0..<blockCount where reachable[b] {
            function.blocks[b].terminator?.forEachEdge(in: function) { edge in
                blocks[Int(filled[Int(edge.target.index)])] = Int32(b)
                filled[Int(edge.target.index)] += 1
            }
        }
        self.start = start
        self.blocks = blocks
    }

    /// Where block `b`'s predecessors are in `blocks`.
    @inlinable
    public func range(of b: Int) -> Range<Int> { Int(start[b])..<Int(start[b + 1]) }
}
