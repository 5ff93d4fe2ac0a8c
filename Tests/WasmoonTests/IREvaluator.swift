import WasmCore
import WasmOptimizer

/// Runs an `IRFunction` directly (tests only): integer operators (`IntegerFolding`), select,
/// integer loads and stores of a byte array, globals. What it cannot run comes back as
/// `unsupported`, so a test compares only what both sides computed.
struct IREvaluator {
    enum Outcome: Equatable {
        case values([UInt64])
        case trap
        case unsupported
    }

    var memory: [UInt8]
    var globals: [UInt64]

    mutating func run(_ function: IRFunction, _ arguments: [UInt64], fuel: Int = 1_000_000) -> Outcome {
        var values = [UInt64](repeating: 0, count: function.valueTypes.count)
        var block = 0
        var incoming = arguments
        var steps = 0
        while steps < fuel {
            steps += 1
            let current = function.blocks[block]
            for (parameter, value) in zip(current.parameters, incoming) { values[Int(parameter.id)] = value }
            for instruction in current.instructions {
                func value(_ v: IRValue) -> UInt64 { values[Int(v.id)] }
                func set(_ result: UInt64) {
                    let type = function.valueTypes[Int(instruction.results[0].id)]
                    values[Int(instruction.results[0].id)] = type == .i32 ? result & 0xFFFF_FFFF : result
                }
                switch instruction.operation {
                case .constant(let bits): set(bits)
                case .numeric(let op, let operands):
                    guard let result = IntegerFolding.fold(op, operands.map(value)) else {
                        if op.canTrap, [NumericOp.i32DivS, .i32DivU, .i32RemS, .i32RemU, .i64DivS, .i64DivU, .i64RemS, .i64RemU].contains(op) {
                            return .trap
                        }
                        return .unsupported
                    }
                    set(result)
                case .select(let c, let t, let f): set(UInt32(truncatingIfNeeded: value(c)) != 0 ? value(t) : value(f))
                case .globalGet(let index): set(globals[Int(index)])
                case .globalSet(let index, let v): globals[Int(index)] = value(v)
                case .load(let op, let memarg, let address):
                    let start = UInt64(UInt32(truncatingIfNeeded: value(address))) + memarg.offset
                    guard op.resultType == .i32 || op.resultType == .i64 else { return .unsupported }
                    guard start + UInt64(op.byteWidth) <= UInt64(memory.count) else { return .trap }
                    var bits: UInt64 = 0
                    for i in 0..<op.byteWidth { bits |= UInt64(memory[Int(start) + i]) << (8 * i) }
                    let signed = op.name.hasSuffix("_s")
                    if signed && op.byteWidth < 8 {
                        let shift = UInt64(64 - 8 * op.byteWidth)
                        bits = UInt64(bitPattern: Int64(bitPattern: bits << shift) >> Int64(shift))
                    }
                    set(bits)
                case .store(let op, let memarg, let address, let v):
                    let start = UInt64(UInt32(truncatingIfNeeded: value(address))) + memarg.offset
                    guard op.valueType == .i32 || op.valueType == .i64 else { return .unsupported }
                    guard start + UInt64(op.byteWidth) <= UInt64(memory.count) else { return .trap }
                    for i in 0..<op.byteWidth { memory[Int(start) + i] = UInt8(truncatingIfNeeded: value(v) >> (8 * i)) }
                case .memorySize: set(UInt64(memory.count / 65536))
                case .memoryGrow, .call, .callIndirect, .memoryFill, .memoryCopy: return .unsupported
                }
            }
            func take(_ edge: IREdge) {
                block = Int(edge.target.index)
                incoming = function.values(edge.arguments).map { values[Int($0.id)] }
            }
            switch current.terminator {
            case .jump(let edge)?: take(edge)
            case .branch(let c, let t, let f)?: take(UInt32(truncatingIfNeeded: values[Int(c.id)]) != 0 ? t : f)
            case .table(let index, let targets, let fallback)?:
                let i = Int(UInt32(truncatingIfNeeded: values[Int(index.id)]))
                take(i < targets.count ? function.edgeLists[Int(targets.start) + i] : fallback)
            case .return(let results)?: return .values(function.values(results).map { values[Int($0.id)] })
            case .trap?, nil: return .trap
            }
        }
        return .unsupported
    }
}
