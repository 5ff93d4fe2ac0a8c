/// The strict binary decoder (spec §5): turns the bytes of a `.wasm` file into
/// a `Module`, or throws a `DecodeError` worded like the spec test suite.
///
/// Feature set: WebAssembly 2.0 without SIMD (sign extension, non-trapping
/// float-to-int, multi-value, bulk memory, reference types) plus tail calls.
public enum BinaryDecoder {
    /// Decodes a whole module. Function bodies are decoded and validated as they are read
    /// (`Module.bodyValidation`); each keeps only its byte range (`FunctionBody.decoded()`).
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Module {
        var parser = ModuleParser(bytes)
        return try parser.parseModule()
    }
}

/// Section ids of the binary format.
enum SectionID: UInt8 {
    case custom = 0, type, `import`, function, table, memory, global, export, start, element, code, data, dataCount

    /// Position in the required section order (custom sections excluded):
    /// the data count section sits between the element and code sections.
    var order: Int {
        switch self {
        case .custom: 0
        case .type: 1
        case .import: 2
        case .function: 3
        case .table: 4
        case .memory: 5
        case .global: 6
        case .export: 7
        case .start: 8
        case .element: 9
        case .dataCount: 10
        case .code: 11
        case .data: 12
        }
    }
}

/// The single-pass module decoder behind `BinaryDecoder.decode`. It reads the
/// module front to back with one `ByteReader`; each section's content is read
/// from the module's stream and then checked against the section's size.
struct ModuleParser {
    var reader: ByteReader
    var module = Module()
    /// Set when a function body uses `memory.init` or `data.drop`, which need a data count section.
    var usesDataIndices = false
    /// Whether `decodeExpression` is decoding a function body (not a constant expression).
    var decodingFunction = false
    /// Scratch stacks reused across function bodies.
    var controlStack: [UInt8] = []
    var scratchOffsets: [UInt32] = []
    /// The validator of function bodies, reused from one body to the next (its stacks keep their capacity).
    var scratchValidator: FunctionValidator?

    init(_ bytes: [UInt8]) {
        reader = ByteReader(bytes)
    }

    // MARK: Module

    mutating func parseModule() throws(DecodeError) -> Module {
        try parseHeader()
        var lastOrder = 0
        while let id = reader.peek() {
            let idOffset = reader.position
            guard let section = SectionID(rawValue: id) else {
                if id == 13 { throw DecodeError.unsupported("exception handling", "tag section", offset: idOffset) }
                throw DecodeError("malformed section id", offset: idOffset)
            }
            if section != .custom {
                if section.order <= lastOrder {
                    throw DecodeError("unexpected content after last section", offset: idOffset)
                }
                lastOrder = section.order
            }
            reader.position += 1
            let size = try reader.readLength()
            let start = reader.position
            switch section {
            case .custom: try parseCustomSection(size: size)
            case .type: try parseTypeSection()
            case .import: try parseImportSection()
            case .function: try parseFunctionSection()
            case .table: try parseTableSection()
            case .memory: try parseMemorySection()
            case .global: try parseGlobalSection()
            case .export: try parseExportSection()
            case .start: module.start = try reader.readU32()
            case .element: try parseElementSection()
            case .dataCount: module.dataCount = try reader.readU32()
            case .code: try parseCodeSection()
            case .data: try parseDataSection()
            }
            if reader.position != start + size {
                throw DecodeError("section size mismatch", offset: start)
            }
        }
        let end = reader.bytes.count
        if module.functions.count != module.codes.count {
            throw DecodeError("function and code section have inconsistent lengths", offset: end)
        }
        if let n = module.dataCount, Int(n) != module.datas.count {
            throw DecodeError("data count and data section have inconsistent lengths", offset: end)
        }
        if module.dataCount == nil && usesDataIndices {
            throw DecodeError("data count section required", offset: end)
        }
        return module
    }

    mutating func parseHeader() throws(DecodeError) {
        let magic: UInt32
        do { magic = try reader.readUInt32LE() } catch { throw DecodeError("unexpected end", offset: error.offset) }
        guard magic == 0x6D73_6100 else { throw DecodeError("magic header not detected", offset: 0) }
        let version: UInt32
        do { version = try reader.readUInt32LE() } catch { throw DecodeError("unexpected end", offset: error.offset) }
        guard version == 1 else { throw DecodeError("unknown binary version", offset: 4) }
    }

    /// A vector count; reserves no more than the bytes left could hold.
    mutating func readCount() throws(DecodeError) -> Int {
        try reader.readLength()
    }

    // MARK: Types

    /// A value type (one byte). A byte with the continuation bit set is an
    /// over-long s7 ("integer representation too long"); any other unknown
    /// byte is "malformed reference type", the reference interpreter's wording
    /// (its last alternative for a value type is a reference type).
    mutating func readValueType() throws(DecodeError) -> ValueType {
        let b = try reader.readByte()
        switch b {
        case 0x7F: return .i32
        case 0x7E: return .i64
        case 0x7D: return .f32
        case 0x7C: return .f64
        case 0x7B:
            module.usesSIMD = true
            return .v128
        case 0x70: return .funcref
        case 0x6F: return .externref
        default:
            if b & 0x80 != 0 { throw DecodeError("integer representation too long", offset: reader.position) }
            if let (feature, what) = Self.proposalTypes[b] {
                throw DecodeError.unsupported(feature, what, offset: reader.position - 1)
            }
            throw DecodeError("malformed reference type", offset: reader.position - 1)
        }
    }

    /// Value and reference type bytes of proposals not implemented yet.
    static let proposalTypes: [UInt8: (String, String)] = [
        0x69: ("exception handling", "exnref type"),
        0x74: ("exception handling", "nullexnref type"),
        0x63: ("typed function references", "(ref null …) type"),
        0x64: ("typed function references", "(ref …) type"),
        0x6E: ("GC", "anyref type"), 0x6D: ("GC", "eqref type"), 0x6C: ("GC", "i31ref type"),
        0x6B: ("GC", "structref type"), 0x6A: ("GC", "arrayref type"), 0x71: ("GC", "nullref type"),
        0x72: ("GC", "nullexternref type"), 0x73: ("GC", "nullfuncref type"),
    ]

    mutating func readRefType() throws(DecodeError) -> RefType {
        let b = try reader.readByte()
        switch b {
        case 0x70: return .funcref
        case 0x6F: return .externref
        default:
            if b & 0x80 != 0 { throw DecodeError("integer representation too long", offset: reader.position) }
            if b != 0x7B, let (feature, what) = Self.proposalTypes[b] {
                throw DecodeError.unsupported(feature, what, offset: reader.position - 1)
            }
            throw DecodeError("malformed reference type", offset: reader.position - 1)
        }
    }

    mutating func readFuncType() throws(DecodeError) -> FuncType {
        let b = try reader.readByte()
        guard b == 0x60 else {
            if b & 0x80 != 0 { throw DecodeError("integer representation too long", offset: reader.position) }
            throw DecodeError("malformed function type", offset: reader.position - 1)
        }
        let params = try readResultType()
        let results = try readResultType()
        return FuncType(params: params, results: results)
    }

    mutating func readResultType() throws(DecodeError) -> [ValueType] {
        let n = try readCount()
        var out: [ValueType] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readValueType()) }
        return out
    }

    mutating func readLimits() throws(DecodeError) -> Limits {
        // 64-bit limits (memory64/table64). Flags 2 and 3 (shared, threads) stay "integer
        // too large", as the 2.0 suite asserts.
        if let flags = reader.peek(), flags >= 4 && flags <= 7 {
            throw DecodeError.unsupported("memory64", "64-bit limits", offset: reader.position)
        }
        let hasMax = try reader.readU1()
        let min = try reader.readU32()
        let max = hasMax ? UInt64(try reader.readU32()) : nil
        return Limits(min: UInt64(min), max: max)
    }

    mutating func readTableType() throws(DecodeError) -> TableType {
        let t = try readRefType()
        return TableType(elementType: t, limits: try readLimits())
    }

    mutating func readMemoryType() throws(DecodeError) -> MemoryType {
        MemoryType(limits: try readLimits())
    }

    mutating func readGlobalType() throws(DecodeError) -> GlobalType {
        let t = try readValueType()
        let m = try reader.readByte()
        guard let mut = Mutability(rawValue: m) else {
            throw DecodeError("malformed mutability", offset: reader.position - 1)
        }
        return GlobalType(valueType: t, mutability: mut)
    }

    // MARK: Sections

    mutating func parseCustomSection(size: Int) throws(DecodeError) {
        let start = reader.position
        let name = try reader.readName()
        let payloadOffset = reader.position
        let bytes = try reader.readBytes(size - (reader.position - start))
        module.customSections.append(CustomSection(name: name, bytes: bytes, offset: UInt32(truncatingIfNeeded: payloadOffset)))
        if name == "name" && module.names == nil {
            module.names = NameSectionDecoder.decode(bytes)
        }
    }

    mutating func parseTypeSection() throws(DecodeError) {
        let n = try readCount()
        module.types.reserveCapacity(n)
        for _ in 0..<n { module.types.append(try readFuncType()) }
    }

    mutating func parseImportSection() throws(DecodeError) {
        let n = try readCount()
        module.imports.reserveCapacity(n)
        for _ in 0..<n {
            let moduleName = try reader.readName()
            let name = try reader.readName()
            let kind = try reader.readByte()
            let desc: ImportDescriptor
            switch kind {
            case 0x00: desc = .function(try reader.readU32())
            case 0x01: desc = .table(try readTableType())
            case 0x02: desc = .memory(try readMemoryType())
            case 0x03: desc = .global(try readGlobalType())
            default: throw DecodeError("malformed import kind", offset: reader.position - 1)
            }
            module.imports.append(Import(module: moduleName, name: name, descriptor: desc))
        }
    }

    mutating func parseFunctionSection() throws(DecodeError) {
        let n = try readCount()
        module.functions.reserveCapacity(n)
        for _ in 0..<n { module.functions.append(try reader.readU32()) }
    }

    mutating func parseTableSection() throws(DecodeError) {
        let n = try readCount()
        for _ in 0..<n { module.tables.append(try readTableType()) }
    }

    mutating func parseMemorySection() throws(DecodeError) {
        let n = try readCount()
        for _ in 0..<n { module.memories.append(try readMemoryType()) }
    }

    mutating func parseGlobalSection() throws(DecodeError) {
        let n = try readCount()
        module.globals.reserveCapacity(n)
        for _ in 0..<n {
            let type = try readGlobalType()
            let initializer = try readConstExpr()
            module.globals.append(Global(type: type, initializer: initializer))
        }
    }

    mutating func parseExportSection() throws(DecodeError) {
        let n = try readCount()
        module.exports.reserveCapacity(n)
        for _ in 0..<n {
            let name = try reader.readName()
            let kind = try reader.readByte()
            let desc: ExportDescriptor
            switch kind {
            case 0x00: desc = .function(try reader.readU32())
            case 0x01: desc = .table(try reader.readU32())
            case 0x02: desc = .memory(try reader.readU32())
            case 0x03: desc = .global(try reader.readU32())
            default: throw DecodeError("malformed export kind", offset: reader.position - 1)
            }
            module.exports.append(Export(name: name, descriptor: desc))
        }
    }

    /// `elemkind`: only 0x00 (funcref) exists.
    mutating func readElemKind() throws(DecodeError) -> RefType {
        let b = try reader.readByte()
        guard b == 0x00 else { throw DecodeError("malformed element kind", offset: reader.position - 1) }
        return .funcref
    }

    /// A vector of function indices, as `ref.func` items.
    mutating func readFunctionIndexItems() throws(DecodeError) -> [ConstExpr] {
        let n = try readCount()
        var items: [ConstExpr] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(ConstExpr([.refFunc(try reader.readU32())])) }
        return items
    }

    mutating func readExprItems() throws(DecodeError) -> [ConstExpr] {
        let n = try readCount()
        var items: [ConstExpr] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try readConstExpr()) }
        return items
    }

    mutating func parseElementSection() throws(DecodeError) {
        let n = try readCount()
        module.elements.reserveCapacity(n)
        for _ in 0..<n {
            let flags = try reader.readU32()
            let segment: ElementSegment
            switch flags {
            case 0:
                let offset = try readConstExpr()
                segment = ElementSegment(type: .funcref, mode: .active(table: 0, offset: offset), items: try readFunctionIndexItems())
            case 1:
                let type = try readElemKind()
                segment = ElementSegment(type: type, mode: .passive, items: try readFunctionIndexItems())
            case 2:
                let table = try reader.readU32()
                let offset = try readConstExpr()
                let type = try readElemKind()
                segment = ElementSegment(type: type, mode: .active(table: table, offset: offset), items: try readFunctionIndexItems())
            case 3:
                let type = try readElemKind()
                segment = ElementSegment(type: type, mode: .declarative, items: try readFunctionIndexItems())
            case 4:
                let offset = try readConstExpr()
                segment = ElementSegment(type: .funcref, mode: .active(table: 0, offset: offset), items: try readExprItems())
            case 5:
                let type = try readRefType()
                segment = ElementSegment(type: type, mode: .passive, items: try readExprItems())
            case 6:
                let table = try reader.readU32()
                let offset = try readConstExpr()
                let type = try readRefType()
                segment = ElementSegment(type: type, mode: .active(table: table, offset: offset), items: try readExprItems())
            case 7:
                let type = try readRefType()
                segment = ElementSegment(type: type, mode: .declarative, items: try readExprItems())
            default:
                throw DecodeError("malformed elements segment kind", offset: reader.position - 1)
            }
            module.elements.append(segment)
        }
    }

    /// The code section. Each body is validated as it is read, against the sections
    /// before it (all that a body refers to precedes the code section; data segments
    /// count by the data count section, which a body that uses them requires).
    mutating func parseCodeSection() throws(DecodeError) {
        let n = try readCount()
        var codes: [FunctionBody] = []
        codes.reserveCapacity(n)
        let importedFunctions = module.importedFunctionTypes.count
        let context =
            n == module.functions.count ? ValidationContext(module: module, dataCount: Int(module.dataCount ?? 0)) : nil
        var validationError: ValidationError?
        for i in 0..<n {
            let bodyOffset = reader.position
            let size = try reader.readLength()
            let start = reader.position
            let body = try parseFunctionBody(
                bodyOffset: bodyOffset, size: size, functionIndex: UInt32(importedFunctions + i), context: context,
                validationError: &validationError)
            if reader.position != start + size {
                throw DecodeError("section size mismatch", offset: start)
            }
            codes.append(body)
        }
        module.codes = codes
        if context != nil { module.bodyValidation = validationError.map { .failed($0) } ?? .passed }
    }

    mutating func parseDataSection() throws(DecodeError) {
        let n = try readCount()
        module.datas.reserveCapacity(n)
        for _ in 0..<n {
            let flags = try reader.readU32()
            let mode: DataSegment.Mode
            switch flags {
            case 0: mode = .active(memory: 0, offset: try readConstExpr())
            case 1: mode = .passive
            case 2:
                let memory = try reader.readU32()
                mode = .active(memory: memory, offset: try readConstExpr())
            default: throw DecodeError("malformed data segment kind", offset: reader.position - 1)
            }
            let length = try reader.readLength()
            let bytes = try reader.readBytes(length)
            module.datas.append(DataSegment(mode: mode, bytes: bytes))
        }
    }
}
