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

    /// How many accesses a block remembers at once (the oldest is forgotten first): bounds the
    /// linear searches below on long straight-line blocks.
    static let capacity = 64

    @discardableResult
    static func run(_ function: inout IRFunction) -> Bool {
        var map = ValueMap(count: function.valueTypes.count)
        var available: [(key: Key, value: IRValue)] = []
        available.reserveCapacity(capacity)
        for b in function.blocks.indices {
            available.removeAll(keepingCapacity: true)
            var instructions = function.blocks[b].instructions
            function.blocks[b].instructions = []  // so that `instructions` is the only reference
            var kept = 0
            for index in instructions.indices {
                let instruction = instructions[index]
                switch instruction.operation {
                case .load(let op, let memarg, let address):
                    let key = Key(address: address, offset: memarg.offset, op: op)
                    if let known = available.last(where: { $0.key == key }) {
                        map[instruction.results[0]] = known.value
                        continue
                    }
                    remember(key, instruction.results[0], in: &available)
                case .store(let op, let memarg, let address, let value):
                    let start = memarg.offset, end = memarg.offset + UInt64(op.byteWidth)
                    available.removeAll { entry in
                        entry.key.address != address
                            || (entry.key.offset + UInt64(entry.key.op.byteWidth) > start && entry.key.offset < end)
                    }
                    if let load = reload(op) { remember(Key(address: address, offset: memarg.offset, op: load), value, in: &available) }
                case .call, .callIndirect, .memoryFill, .memoryCopy, .memoryGrow:
                    available.removeAll(keepingCapacity: true)
                default: break
                }
                if kept != index { instructions[kept] = instruction }
                kept += 1
            }
            instructions.removeLast(instructions.count - kept)
            function.blocks[b].instructions = instructions
        }
        Simplify.substitute(map, in: &function)
        return !map.isEmpty
    }

    static func remember(_ key: Key, _ value: IRValue, in available: inout [(key: Key, value: IRValue)]) {
        if available.count == capacity { available.removeFirst() }
        available.append((key, value))
    }
}
