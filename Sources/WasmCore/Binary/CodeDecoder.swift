/// Instruction decoding: function bodies and constant expressions.
///
/// Instructions are decoded into a flat array; block structure is tracked
/// only as far as the binary format needs it (an `else` is allowed only
/// directly inside an `if`, and the body ends with the `end` that closes the
/// function level). Wording follows the spec test suite: a stray `else` or a
/// missing `end` is "END opcode expected", running off the input is
/// "unexpected end of section or function", an unknown opcode is
/// "illegal opcode XX".
extension ModuleParser {
    /// Control-stack entries while decoding (the function level itself is the empty stack).
    private static let frameBlock: UInt8 = 0
    private static let frameIf: UInt8 = 1
    private static let frameElse: UInt8 = 2

    /// A code section entry after its size: locals, then instructions up to the final `end`.
    /// The instructions are decoded (into scratch arrays, which catches every malformed
    /// one) and, when `context` is given, validated as function `functionIndex`; only
    /// their byte range is kept. A validation error goes to `validationError` (the first
    /// one wins) and is thrown later by `ModuleValidator`: a malformed section further on
    /// must still be reported first.
    mutating func parseFunctionBody(
        bodyOffset: Int, size: Int, functionIndex: UInt32, context: ValidationContext?,
        validationError: inout ValidationError?
    ) throws(DecodeError) -> FunctionBody {
        let localsStart = reader.position
        let n = try readCount()
        var declarations: [(count: UInt32, type: ValueType)] = []
        declarations.reserveCapacity(n)
        var total: UInt64 = 0
        for _ in 0..<n {
            let count = try reader.readU32()
            let type = try readValueType()
            total += UInt64(count)
            declarations.append((count, type))
        }
        if total > UInt64(UInt32.max) {
            throw DecodeError("too many locals", offset: localsStart)
        }
        let codeOffset = reader.position
        var body = FunctionBody(
            localDeclarations: declarations, bytes: reader.bytes, bodyOffset: UInt32(truncatingIfNeeded: bodyOffset),
            codeOffset: UInt32(truncatingIfNeeded: codeOffset), codeEnd: 0, instructionCount: 0)
        if let context, validationError == nil {
            var sink = ValidatingSink(validator: scratchValidator ?? FunctionValidator(context: context))
            scratchValidator = nil
            do { try sink.validator.reset(functionIndex: functionIndex, localDeclarations: declarations) } catch {
                validationError = error
            }
            if validationError == nil {
                try decodeExpression(into: &sink, inFunction: true)
                if sink.error == nil {
                    do { try sink.validator.finish() } catch { sink.error = error }
                }
                validationError = sink.error
                body.maxOperandHeight = UInt32(truncatingIfNeeded: sink.validator.maxOperandHeight)
                body.instructionCount = sink.count
                scratchValidator = sink.validator
            } else {
                var counter = CountingSink()
                try decodeExpression(into: &counter, inFunction: true)
                body.instructionCount = counter.count
            }
        } else {
            var counter = CountingSink()
            try decodeExpression(into: &counter, inFunction: true)
            body.instructionCount = counter.count
        }
        body.codeEnd = UInt32(truncatingIfNeeded: reader.position)
        return body
    }

    /// Decodes the instructions of a body of `bytes` that was decoded before (so they
    /// are known to be well formed), starting at `offset`.
    static func decodeBody(_ bytes: [UInt8], from offset: Int, instructionCount: Int) throws(DecodeError) -> DecodedBody {
        var parser = ModuleParser(bytes)
        parser.reader.position = offset
        var instructions: [Instruction] = []
        var offsets: [UInt32] = []
        instructions.reserveCapacity(instructionCount)
        offsets.reserveCapacity(instructionCount)
        try parser.decodeExpression(into: &instructions, offsets: &offsets, inFunction: true)
        return DecodedBody(instructions: instructions, offsets: offsets)
    }

    /// A constant expression: instructions up to the closing `end`, which is dropped.
    /// Any instruction decodes here; the validator checks constness.
    mutating func readConstExpr() throws(DecodeError) -> ConstExpr {
        var instructions: [Instruction] = []
        scratchOffsets.removeAll(keepingCapacity: true)
        var offsets = scratchOffsets
        scratchOffsets = []
        defer { scratchOffsets = offsets }
        try decodeExpression(into: &instructions, offsets: &offsets, inFunction: false)
        instructions.removeLast()  // the final `end`
        return ConstExpr(instructions)
    }

    /// The block type of `block`, `loop` and `if`: a non-negative s33 type
    /// index, 0x40 (empty), or a value type, tried in that order (as the
    /// reference interpreter does, so errors are worded as for a value type).
    mutating func readBlockType() throws(DecodeError) -> BlockType {
        let start = reader.position
        if let b = reader.peek() {
            if b == 0x40 {
                reader.position += 1
                return .empty
            }
            if b < 0x40 {  // one-byte non-negative s33: the common type-index case
                reader.position += 1
                return .typeIndex(UInt32(b))
            }
        }
        if let x = try? reader.readS33(), x >= 0 {
            return .typeIndex(UInt32(x))
        }
        reader.position = start
        return .value(try readValueType())
    }

    /// A `memarg`: alignment exponent (below 32) and offset.
    @inline(__always)
    mutating func readMemArg() throws(DecodeError) -> MemArg {
        let align = try reader.readU32()
        if align >= 32 { throw DecodeError("malformed memop flags", offset: reader.position - 1) }
        let offset = try reader.readU32()
        return MemArg(align: align, offset: UInt64(offset))
    }

    /// A reserved byte that must be 0x00 (memory indices without multi-memory).
    @inline(__always)
    mutating func readZeroByte() throws(DecodeError) {
        let b = try reader.readByte()
        if b != 0 { throw DecodeError("zero byte expected", offset: reader.position - 1) }
    }

    static func hex2(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return s.count < 2 ? "0" + s : s
    }

    /// Decodes instructions through the `end` that closes the outermost level,
    /// appending each instruction (that `end` included) and its byte offset.
    mutating func decodeExpression(
        into instructions: inout [Instruction], offsets: inout [UInt32], inFunction: Bool
    ) throws(DecodeError) {
        var sink = ArraySink(instructions: instructions, offsets: offsets)
        instructions = []
        offsets = []
        defer {
            instructions = sink.instructions
            offsets = sink.offsets
        }
        try decodeExpression(into: &sink, inFunction: inFunction)
    }

    /// Decodes instructions through the `end` that closes the outermost level, handing
    /// each one (that `end` included) and its byte offset to `sink`.
    @inline(__always)
    mutating func decodeExpression<Sink: InstructionSink>(
        into sink: inout Sink, inFunction: Bool
    ) throws(DecodeError) {
        controlStack.removeAll(keepingCapacity: true)
        while true {
            let opOffset = reader.position
            let op = try reader.readByte()
            let inst: Instruction
            switch op {
            case 0x00: inst = .unreachable
            case 0x01: inst = .nop
            case 0x02:
                inst = .block(try readBlockType())
                controlStack.append(Self.frameBlock)
            case 0x03:
                inst = .loop(try readBlockType())
                controlStack.append(Self.frameBlock)
            case 0x04:
                inst = .if(try readBlockType())
                controlStack.append(Self.frameIf)
            case 0x05:
                guard let top = controlStack.last, top == Self.frameIf else {
                    throw DecodeError("END opcode expected", offset: opOffset)
                }
                controlStack[controlStack.count - 1] = Self.frameElse
                inst = .else
            case 0x0B:
                sink.append(.end, offset: UInt32(truncatingIfNeeded: opOffset))
                if controlStack.isEmpty { return }
                controlStack.removeLast()
                continue
            case 0x0C: inst = .br(try reader.readU32())
            case 0x0D: inst = .brIf(try reader.readU32())
            case 0x0E:
                let n = try readCount()
                var targets: [UInt32] = []
                targets.reserveCapacity(n)
                for _ in 0..<n { targets.append(try reader.readU32()) }
                let defaultTarget = try reader.readU32()
                inst = .brTable(BrTable(targets: targets, defaultTarget: defaultTarget))
            case 0x0F: inst = .return
            case 0x10: inst = .call(try reader.readU32())
            case 0x11:
                let type = try reader.readU32()
                let table = try reader.readU32()
                inst = .callIndirect(typeIndex: type, tableIndex: table)
            case 0x12: inst = .returnCall(try reader.readU32())
            case 0x13:
                let type = try reader.readU32()
                let table = try reader.readU32()
                inst = .returnCallIndirect(typeIndex: type, tableIndex: table)
            case 0x1A: inst = .drop
            case 0x1B: inst = .select
            case 0x1C: inst = .typedSelect(try readResultType())
            case 0x20: inst = .localGet(try reader.readU32())
            case 0x21: inst = .localSet(try reader.readU32())
            case 0x22: inst = .localTee(try reader.readU32())
            case 0x23: inst = .globalGet(try reader.readU32())
            case 0x24: inst = .globalSet(try reader.readU32())
            case 0x25: inst = .tableGet(try reader.readU32())
            case 0x26: inst = .tableSet(try reader.readU32())
            case 0x28...0x35: inst = .load(LoadOp(rawValue: op)!, try readMemArg())
            case 0x36...0x3E: inst = .store(StoreOp(rawValue: op)!, try readMemArg())
            case 0x3F:
                try readZeroByte()
                inst = .memorySize(0)
            case 0x40:
                try readZeroByte()
                inst = .memoryGrow(0)
            case 0x41: inst = .i32Const(try reader.readS32())
            case 0x42: inst = .i64Const(try reader.readS64())
            case 0x43: inst = .f32Const(try reader.readUInt32LE())
            case 0x44: inst = .f64Const(try reader.readUInt64LE())
            case 0x45...0xC4:
                guard let numeric = NumericOp(rawValue: UInt16(op)) else {
                    throw DecodeError("illegal opcode " + Self.hex2(UInt32(op)), offset: opOffset)
                }
                inst = .numeric(numeric)
            case 0xD0: inst = .refNull(try readRefType())
            case 0xD1: inst = .refIsNull
            case 0xD2: inst = .refFunc(try reader.readU32())
            case 0xFC:
                let sub = try reader.readU32()
                switch sub {
                case 0...7:
                    inst = .numeric(NumericOp(rawValue: 0xFC00 | UInt16(sub))!)
                case 8:
                    let data = try reader.readU32()
                    try readZeroByte()
                    inst = .memoryInit(dataIndex: data, memory: 0)
                    if inFunction { usesDataIndices = true }
                case 9:
                    inst = .dataDrop(try reader.readU32())
                    if inFunction { usesDataIndices = true }
                case 10:
                    try readZeroByte()
                    try readZeroByte()
                    inst = .memoryCopy(dstMemory: 0, srcMemory: 0)
                case 11:
                    try readZeroByte()
                    inst = .memoryFill(0)
                case 12:
                    let elem = try reader.readU32()
                    let table = try reader.readU32()
                    inst = .tableInit(elemIndex: elem, tableIndex: table)
                case 13: inst = .elemDrop(try reader.readU32())
                case 14:
                    let dst = try reader.readU32()
                    let src = try reader.readU32()
                    inst = .tableCopy(dstTable: dst, srcTable: src)
                case 15: inst = .tableGrow(try reader.readU32())
                case 16: inst = .tableSize(try reader.readU32())
                case 17: inst = .tableFill(try reader.readU32())
                default:
                    throw DecodeError("illegal opcode fc " + Self.hex2(sub), offset: opOffset)
                }
            default:
                if let (feature, what) = Self.proposalOpcodes[op] {
                    throw DecodeError.unsupported(feature, what, offset: opOffset)
                }
                throw DecodeError("illegal opcode " + Self.hex2(UInt32(op)), offset: opOffset)
            }
            sink.append(inst, offset: UInt32(truncatingIfNeeded: opOffset))
        }
    }

    /// Opcodes of proposals not implemented yet, named in the error instead of
    /// "illegal opcode". (Not 0x0a, throw_ref: the 2.0 suite asserts it is an illegal opcode.)
    static let proposalOpcodes: [UInt8: (String, String)] = [
        0xFD: ("SIMD", "0xfd prefix"),
        0xFB: ("GC", "0xfb prefix"),
        0xFE: ("threads", "0xfe prefix"),
        0x06: ("exception handling", "opcode 0x06 try"),
        0x07: ("exception handling", "opcode 0x07 catch"),
        0x08: ("exception handling", "opcode 0x08 throw"),
        0x09: ("exception handling", "opcode 0x09 rethrow"),
        0x18: ("exception handling", "opcode 0x18 delegate"),
        0x19: ("exception handling", "opcode 0x19 catch_all"),
        0x1F: ("exception handling", "opcode 0x1f try_table"),
        0x14: ("typed function references", "opcode 0x14 call_ref"),
        0x15: ("typed function references", "opcode 0x15 return_call_ref"),
        0xD3: ("GC", "opcode 0xd3 ref.eq"),
        0xD4: ("typed function references", "opcode 0xd4 ref.as_non_null"),
        0xD5: ("typed function references", "opcode 0xd5 br_on_null"),
        0xD6: ("typed function references", "opcode 0xd6 br_on_non_null"),
    ]
}

/// Where `decodeExpression` puts what it decodes.
protocol InstructionSink {
    mutating func append(_ instruction: Instruction, offset: UInt32)
}

/// Keeps the instructions and their offsets.
struct ArraySink: InstructionSink {
    var instructions: [Instruction]
    var offsets: [UInt32]

    @inline(__always)
    mutating func append(_ instruction: Instruction, offset: UInt32) {
        instructions.append(instruction)
        offsets.append(offset)
    }
}

/// Counts the instructions (a body that is decoded only to check its form).
struct CountingSink: InstructionSink {
    var count: UInt32 = 0

    @inline(__always)
    mutating func append(_ instruction: Instruction, offset: UInt32) { count &+= 1 }
}

/// Validates each instruction as it is decoded, so no body is ever stored decoded.
/// After the first error it only counts: the decoder goes on, because a malformed
/// instruction further on is reported before any validation error.
struct ValidatingSink: InstructionSink {
    var validator: FunctionValidator
    var error: ValidationError?
    var count: UInt32 = 0

    @inline(__always)
    mutating func append(_ instruction: Instruction, offset: UInt32) {
        count &+= 1
        if error != nil { return }
        do { try validator.visit(instruction, offset: offset) } catch { self.error = error }
    }
}
