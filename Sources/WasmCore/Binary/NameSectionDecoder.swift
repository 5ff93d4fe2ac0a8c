/// Decodes the payload of the `name` custom section (spec appendix 7.4.1):
/// the module name (subsection 0), function names (1) and local names (2).
/// Other subsections are skipped. A malformed payload yields nil and never
/// makes the module malformed.
enum NameSectionDecoder {
    static func decode(_ payload: [UInt8]) -> NameSection? {
        var r = ByteReader(payload)
        var names = NameSection()
        do {
            var lastID = -1
            while !r.isAtEnd {
                let id = Int(try r.readByte())
                // Known subsections must each appear at most once, in order.
                if id <= 2 {
                    if id <= lastID { return nil }
                    lastID = id
                }
                let size = try r.readLength()
                let end = r.position + size
                guard end <= payload.count else { return nil }
                switch id {
                case 0:
                    names.moduleName = try r.readName()
                case 1:
                    names.functionNames = try readNameMap(&r)
                case 2:
                    let n = try r.readLength()
                    var result: [UInt32: [UInt32: String]] = [:]
                    for _ in 0..<n {
                        let function = try r.readU32()
                        result[function] = try readNameMap(&r)
                    }
                    names.localNames = result
                default:
                    r.position = end
                }
                if r.position != end { return nil }
            }
        } catch {
            return nil
        }
        return names
    }

    /// A `namemap`: a vector of (index, name) pairs.
    private static func readNameMap(_ r: inout ByteReader) throws(DecodeError) -> [UInt32: String] {
        let n = try r.readLength()
        var map: [UInt32: String] = [:]
        map.reserveCapacity(n)
        for _ in 0..<n {
            let index = try r.readU32()
            map[index] = try r.readName()
        }
        return map
    }
}
