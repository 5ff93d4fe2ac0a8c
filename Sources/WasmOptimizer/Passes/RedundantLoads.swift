import WasmCore

/// Redundant-load elimination inside a block: a load of the bytes a previous load or store
/// of the block accessed, at the same address value, offset and width, with nothing in between
/// that may have written them, takes that value instead (store-to-load forwarding). Two
/// accesses through the same address value with byte ranges that do not overlap cannot alias;
/// through different values they may, and a store then forgets what it may overwrite. Calls
/// and bulk memory operations forget everything.
///
/// Only exact matches are reused, so a removed load could not have trapped: the access before
/// it touched the same bytes and did not trap.
enum RedundantLoads {
    struct Key: Hashable {
        var address: IRValue
        var offset: UInt64
        var op: LoadOp
    }

    /// The load that reads back what `op` stored, bit for bit.
    static func reload(_ op: StoreOp) -> LoadOp? {
        switch op {
        case .i32Store: .i32Load
        case .i64Store: .i64Load
        case .f32Store: .f32Load
        case .f64Store: .f64Load
        default: nil
        }
    }

    static func run(_ function: inout IRFunction) -> Bool {
        var map = ValueMap(count: function.valueTypes.count)
        for b in function.blocks.indices {
            var available: [Key: IRValue] = [:]
            var kept: [IRInstruction] = []
            kept.reserveCapacity(function.blocks[b].instructions.count)
            for instruction in function.blocks[b].instructions {
                switch instruction.operation {
                case .load(let op, let memarg, let address):
                    let key = Key(address: address, offset: memarg.offset, op: op)
                    if let value = available[key] {
                        map[instruction.results[0]] = value
                        continue
                    }
                    available[key] = instruction.results[0]
                case .store(let op, let memarg, let address, let value):
                    let start = memarg.offset, end = memarg.offset + UInt64(op.byteWidth)
                    available = available.filter { key, _ in
                        key.address == address
                            && (key.offset + UInt64(key.op.byteWidth) <= start || key.offset >= end)
                    }
                    if let load = reload(op) { available[Key(address: address, offset: memarg.offset, op: load)] = value }
                case .call, .callIndirect, .memoryFill, .memoryCopy, .memoryGrow:
                    available.removeAll()
                default: break
                }
                kept.append(instruction)
            }
            function.blocks[b].instructions = kept
        }
        Simplify.substitute(map, in: &function)
        return !map.isEmpty
    }
}
