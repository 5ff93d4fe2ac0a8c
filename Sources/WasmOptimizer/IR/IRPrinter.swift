import WasmCore

/// The text form of an `IRFunction`, for tests and `--jit-stats`-style listings:
///
/// ```
/// b0(v0:i32):
///   v1:i32 = i32.const 1
///   v2:i32 = i32.add v0, v1
///   return v2
/// ```
extension IRFunction: CustomStringConvertible {
    /// The whole function, block by block.
    public var description: String {
        var lines: [String] = []
        func typed(_ value: IRValue) -> String { "\(value):\(valueTypes[Int(value.id)])" }
        func list(_ values: [IRValue]) -> String { values.map(\.description).joined(separator: ", ") }
        func show(_ edge: IREdge) -> String { "\(edge.target)(\(list(Array(values(edge.arguments)))))" }
        for (index, block) in blocks.enumerated() {
            lines.append("b\(index)(\(block.parameters.map(typed).joined(separator: ", "))):")
            for instruction in block.instructions {
                let results = instruction.results.map(typed).joined(separator: ", ")
                let text: String
                switch instruction.operation {
                case .constant(let bits): text = "const 0x\(String(bits, radix: 16))"
                case .numeric(let op, let operands): text = "\(op.name) \(list(Array(operands)))"
                case .select(let c, let t, let f): text = "select \(c), \(t), \(f)"
                case .load(let op, let memarg, let address): text = "\(op.name) \(address) offset=\(memarg.offset)"
                case .store(let op, let memarg, let address, let value):
                    text = "\(op.name) \(address), \(value) offset=\(memarg.offset)"
                case .globalGet(let index): text = "global.get \(index)"
                case .globalSet(let index, let value): text = "global.set \(index), \(value)"
                case .memorySize: text = "memory.size"
                case .memoryGrow(let value): text = "memory.grow \(value)"
                case .call(let index, let arguments): text = "call \(index)(\(list(Array(values(arguments)))))"
                case .callIndirect(let typeIndex, let table, let callee, let arguments):
                    text = "call_indirect type \(typeIndex) table \(table) [\(callee)](\(list(Array(values(arguments)))))"
                case .memoryFill(let d, let v, let n): text = "memory.fill \(d), \(v), \(n)"
                case .memoryCopy(let d, let s, let n): text = "memory.copy \(d), \(s), \(n)"
                }
                lines.append("  " + (results.isEmpty ? text : "\(results) = \(text)"))
            }
            switch block.terminator {
            case .jump(let edge)?: lines.append("  jump \(show(edge))")
            case .branch(let condition, let ifTrue, let ifFalse)?:
                lines.append("  branch \(condition), \(show(ifTrue)), \(show(ifFalse))")
            case .table(let index, let targets, let fallback)?:
                lines.append("  table \(index), [\(edges(targets).map(show).joined(separator: ", "))], \(show(fallback))")
            case .return(let returned)?: lines.append("  return \(list(Array(values(returned))))")
            case .trap?: lines.append("  trap unreachable")
            case nil: lines.append("  (no terminator)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
