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
        // Straight into arrays of the size the first decoding counted (no growth, no
        // uniqueness check per append). The same decoder counted them: more is an error.
        var failure: DecodeError?
        var offsets: [UInt32] = []
        let instructions = [Instruction](unsafeUninitializedCapacity: instructionCount) { buffer, initialized in
            offsets = [UInt32](unsafeUninitializedCapacity: instructionCount) { offsetBuffer, offsetCount in
                var sink = BufferSink(instructions: buffer, offsets: offsetBuffer)
                do throws(DecodeError) { try parser.decodeExpression(into: &sink, inFunction: true) } catch { failure = error }
                if sink.overflowed { failure = failure ?? DecodeError("more instructions than counted", offset: offset) }
                initialized = sink.count
                offsetCount = sink.count
            }
        }
        if let failure { throw failure }
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

    /// The catch clauses of a `try_table`.
    mutating func readCatches() throws(DecodeError) -> TryTable {
        let n = try readCount()
        var catches: [Catch] = []
        catches.reserveCapacity(n)
        for _ in 0..<n {
            let kindOffset = reader.position
            guard let kind = Catch.Kind(rawValue: try reader.readByte()) else {
                throw DecodeError("malformed catch clause", offset: kindOffset)
            }
            let tag = kind == .tag || kind == .tagReference ? try reader.readU32() : 0
            catches.append(Catch(kind: kind, tag: tag, label: try reader.readU32()))
        }
        return TryTable(catches: catches)
    }

    /// A `memarg`: flags (the alignment exponent, below 64; bit 6: a memory index follows),
    /// the memory index, and the offset (u64: memory64; validation bounds it by the address type).
    @inline(__always)
    mutating func readMemArg() throws(DecodeError) -> MemArg {
        let flags = try reader.readU32()
        if flags >= 128 { throw DecodeError("malformed memop flags", offset: reader.position - 1) }
        let memory = flags >= 64 ? try reader.readU32() : 0
        let offset = try reader.readU64()
        return MemArg(align: flags & 63, offset: offset, memory: memory)
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
        decodingFunction = inFunction
        while true {
            let opOffset = reader.position
            let op = try reader.readByte()
            let inst = try decodeOperator(op, at: opOffset)
            if op == 0xFD { module.usesSIMD = true }
            if op == 0x1F || op == 0x06 {
                controlStack.append(Self.frameBlock)
                module.usesExceptions = true
            }
            switch op {
            case 0x07, 0x08, 0x09, 0x0A, 0x19: module.usesExceptions = true
            case 0x18:
                // `delegate` ends a `try` (at the function's own level the validator rejects it).
                module.usesExceptions = true
                if !controlStack.isEmpty { controlStack.removeLast() }
            default: break
            }
            if op <= 0x0B {
                switch op {
                case 0x02, 0x03: controlStack.append(Self.frameBlock)
                case 0x04: controlStack.append(Self.frameIf)
                case 0x05:
                    guard let top = controlStack.last, top == Self.frameIf else {
                        throw DecodeError("END opcode expected", offset: opOffset)
                    }
                    controlStack[controlStack.count - 1] = Self.frameElse
                case 0x0B:
                    sink.append(.end, offset: UInt32(truncatingIfNeeded: opOffset))
                    if controlStack.isEmpty { return }
                    controlStack.removeLast()
                    continue
                default: break
                }
            }
            sink.append(inst, offset: UInt32(truncatingIfNeeded: opOffset))
        }
    }

    /// The immediates of `br_table`: a vector of labels, then the default label.
    mutating func readBrTable() throws(DecodeError) -> BrTable {
        let n = try readCount()
        var targets: [UInt32] = []
        targets.reserveCapacity(n)
        for _ in 0..<n { targets.append(try reader.readU32()) }
        let defaultTarget = try reader.readU32()
        return BrTable(targets: targets, defaultTarget: defaultTarget)
    }

    /// A data segment index; in a function body it requires the data count section.
    @inline(__always)
    mutating func readDataIndex() throws(DecodeError) -> UInt32 {
        if decodingFunction { usesDataIndices = true }
        return try reader.readU32()
    }

    /// The 16 bytes of a `v128.const` or of `i8x16.shuffle`'s lane indices.
    @inline(__always)
    mutating func readV128() throws(DecodeError) -> V128 {
        let low = try reader.readUInt64LE()
        let high = try reader.readUInt64LE()
        return V128(low: low, high: high)
    }

    /// A memory index: a reserved zero byte until multi-memory.
    @inline(__always)
    mutating func readMemoryIndex() throws(DecodeError) -> UInt32 {
        try reader.readU32()
    }
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

/// Writes the instructions and their offsets into memory sized beforehand (a body decoded
/// again, whose instruction count is known); past the end it only notes the overflow.
struct BufferSink: InstructionSink {
    let instructions: UnsafeMutableBufferPointer<Instruction>
    let offsets: UnsafeMutableBufferPointer<UInt32>
    var count = 0
    var overflowed = false

    @inline(__always)
    mutating func append(_ instruction: Instruction, offset: UInt32) {
        guard count < instructions.count else {
            overflowed = true
            return
        }
        instructions.initializeElement(at: count, to: instruction)
        offsets.initializeElement(at: count, to: offset)
        count += 1
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
