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

        init(kind: UInt16, immediate: UInt64, type: ValueType, operands: [IRValue]) {
            self.kind = kind
            self.immediate = immediate
            switch type {
            case .i32: self.type = 0
            case .i64: self.type = 1
            case .f32: self.type = 2
            case .f64: self.type = 3
            default: self.type = 4
            }
            first = operands.count > 0 ? operands[0].id : -1
            second = operands.count > 1 ? operands[1].id : -1
            third = operands.count > 2 ? operands[2].id : -1
        }
    }

    static func key(_ instruction: IRInstruction, _ function: IRFunction) -> Key? {
        guard instruction.results.count == 1 else { return nil }
        let type = function.valueTypes[Int(instruction.results[0].id)]
        switch instruction.operation {
        case .constant(let bits): return Key(kind: 0, immediate: bits, type: type, operands: [])
        case .numeric(let op, let operands):
            return Key(kind: 1 + UInt16(op.rawValue), immediate: 0, type: type, operands: operands)
        case .select(let c, let t, let f): return Key(kind: 0x8000, immediate: 0, type: type, operands: [c, t, f])
        default: return nil
        }
    }

    /// Removes recomputations; true if it removed any.
    @discardableResult
    public static func run(_ function: inout IRFunction) -> Bool {
        let reachable = IRVerifier.reachableBlocks(function)
        let idom = IRVerifier.immediateDominators(function, reachable: reachable)
        var children = [[Int]](repeating: [], count: function.blocks.count)
        for b in function.blocks.indices where b != 0 {
            if let parent = idom[b] { children[parent].append(b) }
        }
        var table: [Key: IRValue] = [:]
        var map = ValueMap(count: function.valueTypes.count)
        func resolve(_ value: IRValue) -> IRValue { map[value] ?? value }
        // Preorder over the dominator tree, with the table scoped to the path from the entry.
        var stack: [(block: Int, added: [Key]?)] = function.blocks.isEmpty ? [] : [(0, nil)]
        while let (b, added) = stack.popLast() {
            if let added {  // leaving b's subtree
                for key in added { table[key] = nil }
                continue
            }
            var keys: [Key] = []
            var kept: [IRInstruction] = []
            for var instruction in function.blocks[b].instructions {
                if !map.isEmpty, instruction.operation.containsOperand(where: { map[$0] != nil }) {
                    instruction.operation = instruction.operation.mapOperands(resolve)
                }
                if let key = key(instruction, function) {
                    if let earlier = table[key] {
                        map[instruction.results[0]] = earlier
                        continue
                    }
                    table[key] = instruction.results[0]
                    keys.append(key)
                }
                kept.append(instruction)
            }
            function.blocks[b].instructions = kept
            stack.append((b, keys))
            for child in children[b].reversed() { stack.append((child, nil)) }
        }
        Simplify.substitute(map, in: &function)
        return !map.isEmpty
    }
}
