/// What the guests of one store may take, for running untrusted code: set on `Store.limits`
/// before instantiating. `nil` is no limit beyond the runtime's own (a 32-bit memory's 4 GiB,
/// a 64-bit memory's 8 GiB, `Table.maxElements`).
///
/// A memory or table may not grow past its limit (`memory.grow` and `table.grow` return -1, as
/// the spec allows), and one whose initial size is already past it fails instantiation with a
/// `ResourceError`, as does an instance or a memory or table beyond the counts.
public struct StoreLimits: Sendable, Hashable {
    /// Bytes any one memory may hold.
    public var maxMemoryBytes: UInt64?
    /// Elements any one table may hold.
    public var maxTableElements: UInt64?
    /// Instances the store may create.
    public var maxInstances: Int?
    /// Memories the store's instances may define (imported ones are counted where defined).
    public var maxMemories: Int?
    /// Tables the store's instances may define.
    public var maxTables: Int?

    /// Limits; nil for any of them is no limit beyond the runtime's own.
    public init(
        maxMemoryBytes: UInt64? = nil, maxTableElements: UInt64? = nil, maxInstances: Int? = nil,
        maxMemories: Int? = nil, maxTables: Int? = nil
    ) {
        self.maxMemoryBytes = maxMemoryBytes
        self.maxTableElements = maxTableElements
        self.maxInstances = maxInstances
        self.maxMemories = maxMemories
        self.maxTables = maxTables
    }

    /// The largest page count a memory may reach under these limits (nil: no limit here).
    var maxMemoryPages: UInt64? { maxMemoryBytes.map { $0 / UInt64(Memory.pageSize) } }
}

/// How many instances, memories and tables a store has created, against its limits.
struct StoreCounts {
    var instances = 0
    var memories = 0
    var tables = 0

    /// Counts a new instance defining `memories` memories and `tables` tables; throws when
    /// that takes the store past `limits`.
    mutating func add(instanceWith memories: Int, tables: Int, limits: StoreLimits) throws(ResourceError) {
        if let max = limits.maxInstances, instances + 1 > max {
            throw ResourceError("instance limit of \(max) reached")
        }
        if let max = limits.maxMemories, self.memories + memories > max {
            throw ResourceError("memory limit of \(max) reached")
        }
        if let max = limits.maxTables, self.tables + tables > max {
            throw ResourceError("table limit of \(max) reached")
        }
        instances += 1
        self.memories += memories
        self.tables += tables
    }
}
