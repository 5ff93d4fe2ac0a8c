/// The SSA builder's record of which value each local has at the end of each block (so far):
/// one open-addressing table keyed by (block, local) for the whole function, instead of a
/// dictionary per block (hashing with `Hasher` and an allocation per block were a tenth of
/// the optimizing tier's time on GCC's cc1).
struct LocalDefinitions {
    private var keys: [UInt64]
    private var values: [Int32]
    private var count = 0
    private var mask: Int

    /// A table with room for about `expectedCount` entries before it grows.
    init(expectedCount: Int = 0) {
        var size = 64
        while size < 2 * expectedCount { size *= 2 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
    }

    private static func key(_ block: Int, _ local: Int) -> UInt64 { UInt64(block) << 32 | UInt64(local) }

    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    /// The value of `local` at the end of `block`, if the block defines or has looked it up.
    subscript(block: Int, local: Int) -> IRValue? {
        get {
            let key = Self.key(block, local)
            var index = slot(key)
            while values[index] >= 0 {
                if keys[index] == key { return IRValue(id: values[index]) }
                index = (index + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { return }  // entries are never removed
            insert(Self.key(block, local), newValue.id)
        }
    }

    private mutating func insert(_ key: UInt64, _ value: Int32) {
        var index = slot(key)
        while values[index] >= 0 {
            if keys[index] == key {
                values[index] = value
                return
            }
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = value
        count += 1
        if 2 * count > mask { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: 0, count: 2 * oldKeys.count)
        values = Array(repeating: -1, count: 2 * oldKeys.count)
        mask = keys.count - 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where value >= 0 { insert(key, value) }
    }
}
