/// The types of a function's locals, parameters first. Stored expanded (one
/// entry per local) when there are few, and as runs when a body declares very
/// many (a valid body may declare up to 2^32-1), so memory stays bounded.
public struct LocalTypes: Sendable {
    /// Up to this many locals are stored expanded.
    public static let expansionLimit: UInt64 = 1 << 16

    private var expanded: [ValueType] = []
    /// Exclusive end index of each run; empty when expanded.
    private var runEnds: [UInt64] = []
    private var runTypes: [ValueType] = []
    /// Number of locals including parameters.
    public let count: UInt64

    public init(params: [ValueType], declarations: [(count: UInt32, type: ValueType)]) {
        let total = declarations.reduce(UInt64(params.count)) { $0 + UInt64($1.count) }
        count = total
        if total <= Self.expansionLimit {
            expanded.reserveCapacity(Int(total))
            expanded.append(contentsOf: params)
            for d in declarations { expanded.append(contentsOf: repeatElement(d.type, count: Int(d.count))) }
        } else {
            var end: UInt64 = 0
            for p in params {
                end += 1
                runEnds.append(end)
                runTypes.append(p)
            }
            for d in declarations where d.count > 0 {
                end += UInt64(d.count)
                runEnds.append(end)
                runTypes.append(d.type)
            }
        }
    }

    public init(_ types: [ValueType]) {
        expanded = types
        count = UInt64(types.count)
    }

    /// The type of local `index`, or nil when there is no such local.
    @inlinable
    public subscript(index: UInt32) -> ValueType? {
        UInt64(index) < count ? lookup(index) : nil
    }

    @usableFromInline
    func lookup(_ index: UInt32) -> ValueType {
        if runEnds.isEmpty { return expanded[Int(index)] }
        // First run whose end is past `index`.
        var low = 0
        var high = runEnds.count - 1
        let i = UInt64(index)
        while low < high {
            let mid = (low + high) / 2
            if runEnds[mid] > i { high = mid } else { low = mid + 1 }
        }
        return runTypes[low]
    }
}
