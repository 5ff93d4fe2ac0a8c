/// One decoded WebAssembly instruction with its immediates. The decoder turns
/// each code body into an array of these (with a parallel array of byte
/// offsets); the validator and both engines consume that array.
public enum Instruction: Hashable, Sendable {
    // Control
    case unreachable
    case nop
    case block(BlockType)
    case loop(BlockType)
    case `if`(BlockType)
    case `else`
    /// Ends a block, loop, if, or the function body itself.
    case end
    case br(UInt32)
    case brIf(UInt32)
    case brTable(BrTable)
    case `return`
    case call(UInt32)
    case callIndirect(typeIndex: UInt32, tableIndex: UInt32)
    case returnCall(UInt32)
    case returnCallIndirect(typeIndex: UInt32, tableIndex: UInt32)
    /// Throws an exception of tag `index` with the tag's parameters from the stack.
    case `throw`(UInt32)
    /// Throws the exception of the `exnref` on the stack again (traps on null).
    case throwRef
    /// A block whose exceptions are caught by its handlers, tried in order.
    case tryTable(BlockType, TryTable)
    /// Legacy exception handling (the phase-out proposal, what clang emits by default):
    /// `try bt` opens a block whose `catch tag` / `catch_all` clauses follow its body; `delegate l`
    /// ends one instead, sending its exceptions to label `l`'s handlers; `rethrow l` throws again
    /// the exception caught by the `catch` at label `l`.
    case legacyTry(BlockType)
    case legacyCatch(UInt32)
    case legacyCatchAll
    case delegate(UInt32)
    case rethrow(UInt32)
    /// Calls the function reference on top of the stack, of type index `typeIndex`.
    case callRef(UInt32)
    case returnCallRef(UInt32)
    /// Branches when the reference on top is null (popping it); leaves it non-null otherwise.
    case brOnNull(UInt32)
    /// Branches with the reference when it is not null; drops it otherwise.
    case brOnNonNull(UInt32)

    // Parametric
    case drop
    /// Untyped `select` (0x1B).
    case select
    /// Typed `select t*` (0x1C); valid only with exactly one type.
    case typedSelect([ValueType])

    // Variables
    case localGet(UInt32)
    case localSet(UInt32)
    case localTee(UInt32)
    case globalGet(UInt32)
    case globalSet(UInt32)

    // Tables
    case tableGet(UInt32)
    case tableSet(UInt32)
    case tableInit(elemIndex: UInt32, tableIndex: UInt32)
    case elemDrop(UInt32)
    case tableCopy(dstTable: UInt32, srcTable: UInt32)
    case tableGrow(UInt32)
    case tableSize(UInt32)
    case tableFill(UInt32)

    // Memory
    case load(LoadOp, MemArg)
    case store(StoreOp, MemArg)
    case memorySize(UInt32)
    case memoryGrow(UInt32)
    case memoryInit(dataIndex: UInt32, memory: UInt32)
    case dataDrop(UInt32)
    case memoryCopy(dstMemory: UInt32, srcMemory: UInt32)
    case memoryFill(UInt32)

    // Constants (floats as bit patterns)
    case i32Const(Int32)
    case i64Const(Int64)
    case f32Const(UInt32)
    case f64Const(UInt64)

    // References
    case refNull(HeapType)
    case refIsNull
    case refFunc(UInt32)
    /// Traps on null; otherwise the same reference, typed non-null.
    case refAsNonNull

    // Everything that only pops and pushes numbers.
    case numeric(NumericOp)

    // SIMD
    case v128Const(V128)
    /// SIMD operations without immediates.
    case vector(VectorOp)
    /// `extract_lane` / `replace_lane` with the lane index.
    case vectorLane(VectorLaneOp, lane: UInt8)
    /// `v128.loadN_lane` / `v128.storeN_lane`.
    case laneMemory(LaneMemoryOp, MemArg, lane: UInt8)
    /// The 16 lane indices (each below 32) as a vector, lane 0 in the lowest byte.
    case i8x16Shuffle(V128)
}

/// The catch clauses of a `try_table`. A final class so that `Instruction` stays small.
public final class TryTable: Hashable, Sendable {
    public let catches: [Catch]

    public init(catches: [Catch]) { self.catches = catches }

    public static func == (lhs: TryTable, rhs: TryTable) -> Bool { lhs.catches == rhs.catches }
    public func hash(into hasher: inout Hasher) { hasher.combine(catches) }
}

/// One catch clause: which exceptions it catches and the label it branches to.
public struct Catch: Hashable, Sendable {
    public enum Kind: UInt8, Hashable, Sendable {
        /// `catch x l`: exceptions of tag x; the label gets the tag's values.
        case tag = 0
        /// `catch_ref x l`: the same plus the `exnref`.
        case tagReference = 1
        /// `catch_all l`: any exception; no values.
        case all = 2
        /// `catch_all_ref l`: any exception; the `exnref`.
        case allReference = 3
    }

    public var kind: Kind
    /// The tag index (for `tag` and `tagReference`).
    public var tag: UInt32
    public var label: UInt32

    public init(kind: Kind, tag: UInt32 = 0, label: UInt32) {
        self.kind = kind
        self.tag = tag
        self.label = label
    }

    /// Does the clause catch by tag (and so carry the tag's values)?
    public var matchesTag: Bool { kind == .tag || kind == .tagReference }
    /// Does the label also get the `exnref`?
    public var passesReference: Bool { kind == .tagReference || kind == .allReference }
}

/// The immediates of `br_table`: the label targets and the default label.
/// A final class so that `Instruction` stays small; it is immutable.
public final class BrTable: Hashable, Sendable {
    public let targets: [UInt32]
    public let defaultTarget: UInt32

    public init(targets: [UInt32], defaultTarget: UInt32) {
        self.targets = targets
        self.defaultTarget = defaultTarget
    }

    public static func == (lhs: BrTable, rhs: BrTable) -> Bool {
        lhs.targets == rhs.targets && lhs.defaultTarget == rhs.defaultTarget
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(targets)
        hasher.combine(defaultTarget)
    }
}
