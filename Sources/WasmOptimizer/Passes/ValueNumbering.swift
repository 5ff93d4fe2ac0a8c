import WasmCore

/// Global value numbering over the dominator tree: an instruction that computes what a
/// dominating one already computed (the same pure operation on the same values) is removed,
/// and its uses take the earlier result. Pure here: constants, numeric operators, select. A
/// trapping operator (a division) may be reused too: the one that dominates it ran first and
/// would have trapped. Loads, globals and `memory.size` are left alone (a store or a call in
/// between can change what they read).
public enum ValueNumbering {
    /// What makes two instructions compute the same value.
    struct Key: Hashable {
        var kind: UInt16  // 0 constant, 1 numeric (+ op), 0x8000 select
        var type: UInt8  // 0 i32, 1 i64, 2 f32, 3 f64, 4 other
        var immediate: UInt64
        /// Up to three operand ids (-1: none).
        var first: Int32, second: Int32, third: Int32

        init(kind: UInt16, immediate: UInt64, type: ValueType, first: Int32 = -1, second: Int32 = -1, third: Int32 = -1) {
            self.kind = kind
            self.immediate = immediate
            switch type {
            case .i32: self.type = 0
            case .i64: self.type = 1
            case .f32: self.type = 2
            case .f64: self.type = 3
            default: self.type = 4
            }
            self.first = first
            self.second = second
            self.third = third
        }
    }

    static func key(_ instruction: IRInstruction, _ function: IRFunction) -> Key? {
        guard instruction.results.count == 1 else { return nil }
        let type = function.valueTypes[Int(instruction.results[0].id)]
        switch instruction.operation {
        case .constant(let bits): return Key(kind: 0, immediate: bits, type: type)
        case .numeric(let op, let operands):
            return Key(kind: 1 + UInt16(op.rawValue), immediate: 0, type: type, first: operands[0].id,
                       second: operands.count > 1 ? operands[1].id : -1)
        case .select(let c, let t, let f):
            return Key(kind: 0x8000, immediate: 0, type: type, first: c.id, second: t.id, third: f.id)
        default: return nil
        }
    }

    /// Removes recomputations; true if it removed any.
    @discardableResult
    public static func run(_ function: inout IRFunction) -> Bool {
        let reachable = IRVerifier.reachableBlocks(function)
        return run(&function, dominators: IRVerifier.immediateDominators(function, reachable: reachable))
    }

    /// Removes recomputations given the function's immediate dominators; true if it removed any.
    @discardableResult
    public static func run(_ function: inout IRFunction, dominators idom: [Int?]) -> Bool {
        // The dominator tree's children of each block, in one array (block order within a parent).
        let blockCount = function.blocks.count
        var childStart = [Int32](repeating: 0, count: blockCount + 1)
        for b in 1..<max(blockCount, 1) { if let parent = idom[b] { childStart[parent + 1] += 1 } }
        for b in 0..<blockCount { childStart[b + 1] += childStart[b] }
        var children = [Int32](repeating: 0, count: Int(childStart[blockCount]))
        var filled = childStart
        for b in 1..<max(blockCount, 1) {
            if let parent = idom[b] {
                children[Int(filled[parent])] = Int32(b)
                filled[parent] += 1
            }
        }
        var table = ScopedTable(capacity: function.instructionCount)
        var map = ValueMap(count: function.valueTypes.count)
        // Preorder over the dominator tree, with the table scoped to the path from the entry:
        // a block's entries leave when its subtree is done (`mark` is the table's log length).
        var stack: [(block: Int, mark: Int)] = function.blocks.isEmpty ? [] : [(0, -1)]
        // The blocks whose instructions' operands the walk substitutes (a definition dominates
        // its uses, so its substitute is known by the time a use is reached).
        var visited = [Bool](repeating: false, count: blockCount)
        while let (b, mark) = stack.popLast() {
            if mark >= 0 {  // leaving b's subtree
                table.removeEntries(after: mark)
                continue
            }
            visited[b] = true
            let entered = table.logLength
            var instructions = function.blocks[b].instructions
            function.blocks[b].instructions = []  // so that `instructions` is the only reference
            var kept = 0
            for index in instructions.indices {
                var instruction = instructions[index]
                if !map.isEmpty, instruction.operation.containsOperand(where: { map[$0] != nil }) {
                    instruction.operation = instruction.operation.mapOperands { map[$0] ?? $0 }
                }
                if let key = key(instruction, function) {
                    if let earlier = table.find(key) {
                        map[instruction.results[0]] = IRValue(id: earlier)
                        continue
                    }
                    table.insert(key, instruction.results[0].id)
                }
                instructions[kept] = instruction
                kept += 1
            }
            instructions.removeLast(instructions.count - kept)
            function.blocks[b].instructions = instructions
            stack.append((b, entered))
            for k in stride(from: Int(childStart[b + 1]) - 1, through: Int(childStart[b]), by: -1) {
                stack.append((Int(children[k]), -1))
            }
        }
        Simplify.substitute(map, in: &function, operandsDone: visited)
        return !map.isEmpty
    }

    /// The keys of the instructions on the current dominator-tree path and their values: open
    /// addressing with linear probing, sized once for every instruction so it never grows.
    /// Entries leave in the reverse order of their arrival, so a leaving entry is never inside
    /// the probe chain of one that stays, and clearing its slot is a complete removal.
    struct ScopedTable {
        private var keys: [Key]
        private var values: [Int32]
        private var log: [Int] = []
        private let mask: Int

        init(capacity: Int) {
            var size = 16
            while size < 2 * capacity + 1 { size *= 2 }
            mask = size - 1
            keys = Array(repeating: Key(kind: 0, immediate: 0, type: .i32), count: size)
            values = Array(repeating: -1, count: size)
        }

        /// How many entries were inserted and not yet removed.
        var logLength: Int { log.count }

        private func slot(_ key: Key) -> Int {
            var hash = UInt64(key.kind) &* 0x9E37_79B9_7F4A_7C15
            hash = (hash ^ UInt64(key.type) ^ key.immediate) &* 0xC2B2_AE3D_27D4_EB4F
            hash = (hash ^ UInt64(UInt32(bitPattern: key.first))) &* 0x1656_67B1_9E37_79F9
            hash = (hash ^ UInt64(UInt32(bitPattern: key.second)) ^ (UInt64(UInt32(bitPattern: key.third)) << 32))
                &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: hash >> 29) & mask
        }

        func find(_ key: Key) -> Int32? {
            var index = slot(key)
            while values[index] >= 0 {
                if keys[index] == key { return values[index] }
                index = (index + 1) & mask
            }
            return nil
        }

        mutating func insert(_ key: Key, _ value: Int32) {
            var index = slot(key)
            while values[index] >= 0 { index = (index + 1) & mask }
            keys[index] = key
            values[index] = value
            log.append(index)
        }

        /// Removes the entries inserted after the log had `length` entries.
        mutating func removeEntries(after length: Int) {
            while log.count > length { values[log.removeLast()] = -1 }
        }
    }
}
