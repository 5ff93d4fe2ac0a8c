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
    case custom = 0, type, `import`, function, table, memory, global, export, start, element, code, data, dataCount, tag

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
        case .tag: 6
        case .global: 7
        case .export: 8
        case .start: 9
        case .element: 10
        case .dataCount: 11
        case .code: 12
        case .data: 13
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
            case .tag: try parseTagSection()
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

    /// A value type: a number or vector type byte, an abstract reference type byte
    /// (`funcref`, …), or `0x63`/`0x64` and a heap type. A byte with the continuation bit set
    /// is an over-long s7 ("integer representation too long"); any other unknown byte is
    /// "malformed reference type", the reference interpreter's wording (its last alternative
    /// for a value type is a reference type).
    mutating func readValueType() throws(DecodeError) -> ValueType {
        switch reader.peek() {
        case 0x7F: reader.position += 1; return .i32
        case 0x7E: reader.position += 1; return .i64
        case 0x7D: reader.position += 1; return .f32
        case 0x7C: reader.position += 1; return .f64
        case 0x7B:
            reader.position += 1
            module.usesSIMD = true
            return .v128
        default: return .ref(try readRefType())
        }
    }

    /// A reference type: the abbreviation of a nullable abstract type, or `0x63 ht`
    /// (`ref null ht`) / `0x64 ht` (`ref ht`).
    mutating func readRefType() throws(DecodeError) -> RefType {
        let b = try reader.readByte()
        switch b {
        case 0x63: return RefType(nullable: true, try readHeapType())
        case 0x64: return RefType(nullable: false, try readHeapType())
        default:
            if b & 0x80 != 0 { throw DecodeError("integer representation too long", offset: reader.position) }
            return RefType(nullable: true, .abstract(try abstractHeapType(b, at: reader.position - 1)))
        }
    }

    /// A heap type: an abstract type's byte (a negative s33), or a type index (non-negative).
    mutating func readHeapType() throws(DecodeError) -> HeapType {
        let start = reader.position
        if let b = reader.peek(), b >= 0x40, b < 0x80 {
            reader.position += 1
            return .abstract(try abstractHeapType(b, at: start))
        }
        let x = try reader.readS33()
        guard x >= 0 else { throw DecodeError("malformed heap type", offset: start) }
        guard x <= Int64(UInt32.max) else { throw DecodeError("integer too large", offset: start) }
        return .concrete(UInt32(x))
    }

    /// The abstract heap type of a type byte; the GC proposal's are not implemented yet.
    func abstractHeapType(_ b: UInt8, at offset: Int) throws(DecodeError) -> AbstractHeapType {
        guard let a = AbstractHeapType(rawValue: b) else {
            throw DecodeError("malformed reference type", offset: offset)
        }
        if a.top == .any { throw DecodeError.unsupported("GC", "\(a.name) heap type", offset: offset) }
        return a
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

    /// Limits: a flags byte (bit 0: a maximum follows; bit 1: shared; bit 2: 64-bit), the
    /// minimum and the optional maximum (u64 in Wasm 3.0, whatever the address type: validation
    /// bounds them). Any other flags byte is malformed.
    mutating func readLimits() throws(DecodeError) -> (Limits, AddressType, shared: Bool) {
        let flagsOffset = reader.position
        let flags = try reader.readByte()
        guard flags <= 7 else { throw DecodeError("malformed limits flags", offset: flagsOffset) }
        if flags & 2 != 0 {
            throw DecodeError.unsupported("threads", "shared memory", offset: flagsOffset)
        }
        let is64 = flags & 4 != 0
        let min = try reader.readU64()
        let max: UInt64? = flags & 1 == 0 ? nil : try reader.readU64()
        return (Limits(min: min, max: max), is64 ? .i64 : .i32, false)
    }

    mutating func readTableType() throws(DecodeError) -> TableType {
        let t = try readRefType()
        let (limits, addressType, _) = try readLimits()
        return TableType(elementType: t, limits: limits, addressType: addressType)
    }

    mutating func readMemoryType() throws(DecodeError) -> MemoryType {
        let (limits, addressType, shared) = try readLimits()
        return MemoryType(limits: limits, shared: shared, addressType: addressType)
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

    /// The type section: recursion groups (`0x4E`) of subtypes (`0x50` open, `0x4F` final,
    /// each with at most one supertype) or plain function types (a final group of one).
    mutating func parseTypeSection() throws(DecodeError) {
        let n = try readCount()
        module.types.reserveCapacity(n)
        var declarations: [TypeDeclaration] = []
        for _ in 0..<n {
            let groupStart = declarations.count
            if reader.peek() == 0x4E {
                reader.position += 1
                let size = try readCount()
                for _ in 0..<size {
                    declarations.append(try readSubType(group: groupStart, groupSize: size))
                }
            } else {
                declarations.append(try readSubType(group: groupStart, groupSize: 1))
            }
        }
        module.typeDeclarations = declarations
    }

    /// One subtype declaration; appends its function type to `module.types`.
    mutating func readSubType(group: Int, groupSize: Int) throws(DecodeError) -> TypeDeclaration {
        var declaration = TypeDeclaration(group: group, groupSize: groupSize)
        if let b = reader.peek(), b == 0x50 || b == 0x4F {
            reader.position += 1
            declaration.isFinal = b == 0x4F
            let count = try readCount()
            if count > 1 { throw DecodeError("malformed sub type: more than one supertype", offset: reader.position) }
            if count == 1 { declaration.supertype = try reader.readU32() }
        }
        if let b = reader.peek(), b == 0x5F || b == 0x5E {
            throw DecodeError.unsupported("GC", b == 0x5F ? "struct type" : "array type", offset: reader.position)
        }
        module.types.append(try readFuncType())
        return declaration
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
            case 0x04: desc = .tag(try readTagType())
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

    /// Tables: a table type, or `0x40 0x00`, a table type and an initializer expression.
    mutating func parseTableSection() throws(DecodeError) {
        let n = try readCount()
        for _ in 0..<n {
            if reader.peek() == 0x40 {
                reader.position += 1
                let reserved = try reader.readByte()
                if reserved != 0 { throw DecodeError("malformed table", offset: reader.position - 1) }
                module.tables.append(try readTableType())
                while module.tableInitializers.count < module.tables.count - 1 { module.tableInitializers.append(nil) }
                module.tableInitializers.append(try readConstExpr())
            } else {
                module.tables.append(try readTableType())
            }
        }
    }

    /// Tags: an attribute (0, exception) and the type index of the tag's function type.
    mutating func parseTagSection() throws(DecodeError) {
        let n = try readCount()
        for _ in 0..<n { module.tags.append(try readTagType()) }
    }

    mutating func readTagType() throws(DecodeError) -> UInt32 {
        let attribute = try reader.readByte()
        if attribute != 0 { throw DecodeError("malformed tag attribute", offset: reader.position - 1) }
        return try reader.readU32()
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
            case 0x04: desc = .tag(try reader.readU32())
            default: throw DecodeError("malformed export kind", offset: reader.position - 1)
            }
            module.exports.append(Export(name: name, descriptor: desc))
        }
    }

    /// `elemkind`: only 0x00 exists: segments of function indices, whose type is `(ref func)`
    /// (Wasm 3.0: their items are never null).
    mutating func readElemKind() throws(DecodeError) -> RefType {
        let b = try reader.readByte()
        guard b == 0x00 else { throw DecodeError("malformed element kind", offset: reader.position - 1) }
        return RefType(nullable: false, .function)
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
                segment = ElementSegment(
                    type: RefType(nullable: false, .function), mode: .active(table: 0, offset: offset),
                    items: try readFunctionIndexItems())
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
