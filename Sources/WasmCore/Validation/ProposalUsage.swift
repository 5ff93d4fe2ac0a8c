/// The WebAssembly proposals past 2.0 that an engine can switch off: a module that uses a
/// switched-off one is refused with its name (`EngineConfiguration.proposals`).
public struct WasmProposals: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The bits, one per proposal.
    public let rawValue: UInt32
    /// Creates a set from its bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// 128-bit SIMD (`v128` and its operators).
    public static let simd = WasmProposals(rawValue: 1 << 0)
    /// Relaxed SIMD's operators (`f32x4.relaxed_madd`, …).
    public static let relaxedSIMD = WasmProposals(rawValue: 1 << 1)
    /// Exception handling: tags, `throw`, `try_table`, `exnref`, and the legacy `try`.
    public static let exceptions = WasmProposals(rawValue: 1 << 2)
    /// Tail calls (`return_call`, `return_call_indirect`, `return_call_ref`).
    public static let tailCalls = WasmProposals(rawValue: 1 << 3)
    /// Typed function references: non-nullable and concrete reference types, `call_ref`,
    /// `br_on_null`, `ref.as_non_null`.
    public static let functionReferences = WasmProposals(rawValue: 1 << 4)
    /// 64-bit memories and tables.
    public static let memory64 = WasmProposals(rawValue: 1 << 5)
    /// More than one memory, or an access to a memory other than 0.
    public static let multiMemory = WasmProposals(rawValue: 1 << 6)
    /// Arithmetic (`i32.add`, …) in constant expressions.
    public static let extendedConst = WasmProposals(rawValue: 1 << 7)

    /// Every proposal this runtime implements (the default).
    public static let all: WasmProposals = [
        .simd, .relaxedSIMD, .exceptions, .tailCalls, .functionReferences, .memory64, .multiMemory, .extendedConst,
    ]

    /// Each proposal with the name messages use.
    public static let named: [(proposal: WasmProposals, name: String)] = [
        (.simd, "SIMD"), (.relaxedSIMD, "relaxed SIMD"), (.exceptions, "exception handling"),
        (.tailCalls, "tail calls"), (.functionReferences, "typed function references"), (.memory64, "memory64"),
        (.multiMemory, "multi-memory"), (.extendedConst, "extended constant expressions"),
    ]

    /// The proposals' names, comma-separated.
    public var description: String {
        WasmProposals.named.filter { contains($0.proposal) }.map(\.name).joined(separator: ", ")
    }
}

/// Finds where a module first uses one of some proposals (the check behind switching
/// proposals off). It reads types, imports, globals, tables, memories, segments and every
/// function body, so it runs only when some proposal is off.
public enum ProposalUsage {
    /// The first use in `module` of a proposal in `proposals`: which, what, and the byte offset
    /// (0 when the construct has none, as for a type).
    public static func firstUse(in module: Module, among proposals: WasmProposals) throws(DecodeError)
        -> (proposal: WasmProposals, what: String, offset: Int)?
    {
        var scan = Scan(proposals: proposals)
        for type in module.types { scan.check(type.params + type.results, "a function type") }
        for imp in module.imports {
            switch imp.descriptor {
            case .global(let g): scan.check(g.valueType, "an imported global")
            case .table(let t): scan.table(t)
            case .memory(let m): scan.memory(m)
            case .tag: scan.note(.exceptions, "an imported tag")
            case .function: break
            }
        }
        for table in module.tables { scan.table(table) }
        for memory in module.memories { scan.memory(memory) }
        if module.allMemories.count > 1 { scan.note(.multiMemory, "\(module.allMemories.count) memories") }
        if !module.tags.isEmpty { scan.note(.exceptions, "a tag") }
        for global in module.globals {
            scan.check(global.type.valueType, "a global")
            scan.constant(global.initializer)
        }
        for initializer in module.tableInitializers { if let initializer { scan.constant(initializer) } }
        for segment in module.elements {
            scan.check(.ref(segment.type), "an element segment")
            if case .active(_, let offset) = segment.mode { scan.constant(offset) }
            for item in segment.items { scan.constant(item) }
        }
        for segment in module.datas {
            if case .active(let memory, let offset) = segment.mode {
                if memory != 0 { scan.note(.multiMemory, "a data segment of memory \(memory)") }
                scan.constant(offset)
            }
        }
        if let found = scan.found { return found }
        for body in module.codes {
            for run in body.localDeclarations { scan.check(run.type, "a local") }
            if let found = scan.found { return found }
            let decoded = try body.decoded()
            for (instruction, offset) in zip(decoded.instructions, decoded.offsets) {
                scan.instruction(instruction, at: Int(offset))
                if let found = scan.found { return found }
            }
        }
        return nil
    }

    /// The scan's state: what to look for, and the first use found.
    private struct Scan {
        let proposals: WasmProposals
        var found: (proposal: WasmProposals, what: String, offset: Int)?

        mutating func note(_ proposal: WasmProposals, _ what: @autoclosure () -> String, at offset: Int = 0) {
            if found == nil && proposals.contains(proposal) { found = (proposal, what(), offset) }
        }

        mutating func check(_ types: [ValueType], _ what: String, at offset: Int = 0) {
            for type in types { check(type, what, at: offset) }
        }

        mutating func check(_ type: ValueType, _ what: String, at offset: Int = 0) {
            switch type {
            case .v128: note(.simd, "v128 in \(what)", at: offset)
            case .ref(let ref):
                if ref.heapType.top == .exception { note(.exceptions, "exnref in \(what)", at: offset) }
                if !ref.isNullable { note(.functionReferences, "a non-nullable reference in \(what)", at: offset) }
                if case .concrete = ref.heapType {
                    note(.functionReferences, "a typed function reference in \(what)", at: offset)
                }
            default: break
            }
        }

        mutating func table(_ table: TableType) {
            check(.ref(table.elementType), "a table")
            if table.addressType == .i64 { note(.memory64, "a 64-bit table") }
        }

        mutating func memory(_ memory: MemoryType) {
            if memory.is64 { note(.memory64, "a 64-bit memory") }
        }

        mutating func constant(_ expression: ConstExpr) {
            for instruction in expression.instructions {
                switch instruction {
                case .numeric: note(.extendedConst, "arithmetic in a constant expression")
                default: self.instruction(instruction, at: 0)
                }
            }
        }

        mutating func memoryIndex(_ index: UInt32, at offset: Int) {
            if index != 0 { note(.multiMemory, "an access to memory \(index)", at: offset) }
        }

        mutating func blockType(_ type: BlockType, at offset: Int) {
            if case .value(let value) = type { check(value, "a block type", at: offset) }
        }

        mutating func instruction(_ instruction: Instruction, at offset: Int) {
            switch instruction {
            case .block(let t), .loop(let t), .if(let t): blockType(t, at: offset)
            case .tryTable(let t, _), .legacyTry(let t):
                blockType(t, at: offset)
                note(.exceptions, "\(instruction)", at: offset)
            case .throw, .throwRef, .legacyCatch, .legacyCatchAll, .delegate, .rethrow:
                note(.exceptions, "\(instruction)", at: offset)
            case .returnCall, .returnCallIndirect:
                note(.tailCalls, "\(instruction)", at: offset)
            case .returnCallRef:
                note(.tailCalls, "\(instruction)", at: offset)
                note(.functionReferences, "\(instruction)", at: offset)
            case .callRef, .brOnNull, .brOnNonNull, .refAsNonNull:
                note(.functionReferences, "\(instruction)", at: offset)
            case .typedSelect(let types): check(types, "select", at: offset)
            case .refNull(let heap): check(.ref(RefType(nullable: true, heap)), "ref.null", at: offset)
            case .load(let op, let memarg):
                if op.resultType == .v128 { note(.simd, "a SIMD load", at: offset) }
                memoryIndex(memarg.memory, at: offset)
            case .store(let op, let memarg):
                if op.valueType == .v128 { note(.simd, "a SIMD store", at: offset) }
                memoryIndex(memarg.memory, at: offset)
            case .memorySize(let m), .memoryGrow(let m), .memoryFill(let m), .memoryInit(_, let m):
                memoryIndex(m, at: offset)
            case .memoryCopy(let destination, let source):
                memoryIndex(destination, at: offset)
                memoryIndex(source, at: offset)
            case .v128Const, .vectorLane, .i8x16Shuffle: note(.simd, "a SIMD operator", at: offset)
            case .laneMemory(_, let memarg, _):
                note(.simd, "a SIMD operator", at: offset)
                memoryIndex(memarg.memory, at: offset)
            case .vector(let op):
                note(.simd, "a SIMD operator", at: offset)
                if op.isRelaxed { note(.relaxedSIMD, op.name, at: offset) }
            default: break
            }
        }
    }
}
