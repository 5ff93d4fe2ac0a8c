import WasmCore
import WasmRuntime

/// The dispatch loop's registers while the loop is not running (between
/// `Interpreter.run` calls); the loop keeps them in locals.
struct Registers {
    var pc: UnsafeMutablePointer<UInt64>
    var fp: UnsafeMutablePointer<UInt64>
    /// The running function.
    var cur: UnsafeMutablePointer<FunctionInfo>
    /// Next free call frame.
    var frame: UnsafeMutablePointer<CallFrame>
    /// The running function's `Instance` (unretained).
    var instance: UnsafeMutableRawPointer
    var ctx: UnsafeMutablePointer<VMInstanceContext>
    var memBase: UnsafeMutableRawPointer
    var memDef: UnsafeMutablePointer<VMMemoryDefinition>
    /// Call frames below this belong to an outer invoke.
    let frameBase: UnsafeMutablePointer<CallFrame>
    let framesEnd: UnsafeMutablePointer<CallFrame>
    let stackEnd: UnsafeMutablePointer<UInt64>
    /// Set when the loop exits with `.trap`.
    var trap: TrapCode = .unreachable
}

/// Why `Interpreter.run` returned.
enum Exit {
    /// The entry function returned.
    case returned
    /// `registers.trap` happened at `registers.pc`.
    case trap
    /// The instruction at `pc` needs the driver (host or cross-instance
    /// calls, memory/table growth and bulk operations).
    case slow
    /// A return reached a frame of another instance: reload its context.
    case switchInstance
}

/// The dispatch loop. `run` is deliberately free of calls: with no call in
/// any handler, LLVM may keep the hot state (`pc`, `fp`, memory base and
/// definition, …) in any register instead of spilling around calls. Wasm calls
/// within an instance push a `CallFrame` and continue in the loop, so wasm
/// recursion never recurses in Swift. Anything that needs Swift objects or
/// libc (host calls, cross-instance calls, growth, bulk memory and table
/// operations, building a trap) makes `run` return to the driver `execute`
/// (`Interpreter+Driver.swift`), which does it and resumes the loop.
enum Interpreter {
    /// A lone `ret` instruction: the continuation after a host function
    /// reached by a tail call.
    nonisolated(unsafe) static let returnStub: UnsafeMutablePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        p.initialize(to: Word.make(.ret))
        return p
    }()

    /// Runs from `r` until the entry function returns, a trap, or an
    /// instruction the driver must handle; saves the registers back to `r`.
    static func run(_ r: inout Registers) -> Exit {
        var pc = r.pc
        var fp = r.fp
        var cur = r.cur
        var frame = r.frame
        var inst = r.instance
        let ctx = r.ctx
        let memBase = r.memBase
        let memDef = r.memDef
        let frameBase = r.frameBase
        let framesEnd = r.framesEnd
        let stackEnd = r.stackEnd
        while true {
            let w = pc.pointee
            switch Word.hotSlot(w) {
            // MARK: Hot instructions (see `HotSlot`)
            case .copy:
                fp[Word.c(w)] = fp[Word.a(w)]
                pc += 1
            case .i32Add: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])); pc += 1
            case .load32:
                let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                if ea &+ 4 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                    r.trap = .outOfBoundsMemoryAccess
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .trap
                }
                fp[Word.c(w)] = UInt64(memBase.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .load64:
                let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                if ea &+ 8 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                    r.trap = .outOfBoundsMemoryAccess
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .trap
                }
                fp[Word.c(w)] = memBase.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt64.self)
                pc += 2
            case .store32:
                let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                if ea &+ 4 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                    r.trap = .outOfBoundsMemoryAccess
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .trap
                }
                memBase.storeBytes(of: u32(fp[Word.c(w)]), toByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self)
                pc += 2
            case .store64:
                let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                if ea &+ 8 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                    r.trap = .outOfBoundsMemoryAccess
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .trap
                }
                memBase.storeBytes(of: fp[Word.c(w)], toByteOffset: Int(truncatingIfNeeded: ea), as: UInt64.self)
                pc += 2
            case .load8U:
                let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                if ea &+ 1 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                    r.trap = .outOfBoundsMemoryAccess
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .trap
                }
                fp[Word.c(w)] = UInt64(memBase.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self))
                pc += 2
            case .br:
                pc += Word.rel(w)
            case .brAndNZ: pc += fp[Word.a(w)] & fp[Word.b(w)] != 0 ? Int(truncatingIfNeeded: pc[1]) : 2
            case .brAndZ: pc += fp[Word.a(w)] & fp[Word.b(w)] == 0 ? Int(truncatingIfNeeded: pc[1]) : 2
            case .brI32Ne: pc += u32(fp[Word.a(w)]) != u32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
            case .brI32LtU: pc += u32(fp[Word.a(w)]) < u32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
            case .call:
                let callee = UnsafeMutablePointer<FunctionInfo>(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
                let newFP = fp + Word.a(w)
                if frame == framesEnd || newFP + callee.pointee.frameSize > stackEnd {
                    r.trap = .callStackExhausted; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap
                }
                let n = Word.b(w)
                gatherArguments(n, from: fp, slots: pc + 2, to: newFP)
                frame.pointee = CallFrame(returnPC: pc + 2 + (n &+ 3) &>> 2, fp: fp, info: cur, instance: inst)
                frame += 1
                initFrame(newFP, callee)
                fp = newFP
                cur = callee
                pc = callee.pointee.code
            case .ret1:
                fp[0] = fp[Word.a(w)]
                if frame == frameBase {
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .returned
                }
                frame -= 1
                pc = frame.pointee.returnPC
                fp = frame.pointee.fp
                cur = frame.pointee.info
                if frame.pointee.instance != inst {
                    inst = frame.pointee.instance
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .switchInstance
                }
            case .i32Sub: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) &- u32(fp[Word.b(w)])); pc += 1
            case .cold:
                switch Word.op(w) {
                case .copy, .i32Add, .load32, .load64, .store32, .store64, .load8U, .br, .brAndNZ, .brAndZ, .brI32Ne, .brI32LtU, .call, .ret1, .i32Sub:
                    preconditionFailure("hot instruction in the cold switch")
                // MARK: Control and data movement
                case .unreachable:
                    r.trap = .unreachable
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .trap
                case .const64:
                    fp[Word.c(w)] = pc[1]
                    pc += 2
                case .brTable:
                    let count = Int(truncatingIfNeeded: w &>> 32)
                    let i = Int(truncatingIfNeeded: u32(fp[Word.a(w)]))
                    pc += Int(truncatingIfNeeded: Int64(bitPattern: pc[1 + (i < count ? i : count)]))
                case .ret:
                    if frame == frameBase {
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .returned
                    }
                    frame -= 1
                    pc = frame.pointee.returnPC
                    fp = frame.pointee.fp
                    cur = frame.pointee.info
                    if frame.pointee.instance != inst {
                        inst = frame.pointee.instance
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .switchInstance
                    }
                case .callIndirect:
                    let imm = pc[1]
                    let table = ctx.pointee.tables[Int(truncatingIfNeeded: imm &>> 32)]
                    let i = Int(truncatingIfNeeded: u32(fp[Word.b(w)]))
                    if i >= table.pointee.count {
                        r.trap = .undefinedElement; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap
                    }
                    let raw = table.pointee.elements[i]
                    if raw == 0 {
                        r.trap = .uninitializedElement; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap
                    }
                    let f = functionFields(raw)
                    if f.typeID != ctx.pointee.typeIDs[Int(truncatingIfNeeded: imm & 0xFFFF_FFFF)] {
                        r.trap = .indirectCallTypeMismatch; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap
                    }
                    if f.instance != inst {
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .slow
                    }
                    let callee = cur.pointee.moduleFunctions + Int(f.index)
                    let newFP = fp + Word.a(w)
                    if frame == framesEnd || newFP + callee.pointee.frameSize > stackEnd {
                        r.trap = .callStackExhausted; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap
                    }
                    let n = Word.c(w)
                    gatherArguments(n, from: fp, slots: pc + 2, to: newFP)
                    frame.pointee = CallFrame(returnPC: pc + 2 + (n &+ 3) &>> 2, fp: fp, info: cur, instance: inst)
                    frame += 1
                    initFrame(newFP, callee)
                    fp = newFP
                    cur = callee
                    pc = callee.pointee.code
                case .returnCall:
                    let callee = UnsafeMutablePointer<FunctionInfo>(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
                    if fp + callee.pointee.frameSize > stackEnd {
                        r.trap = .callStackExhausted
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    initFrame(fp, callee)
                    cur = callee
                    pc = callee.pointee.code
                case .returnCallIndirect:
                    let imm = pc[1]
                    let table = ctx.pointee.tables[Int(truncatingIfNeeded: imm &>> 32)]
                    let i = Int(truncatingIfNeeded: u32(fp[Word.b(w)]))
                    if i >= table.pointee.count {
                        r.trap = .undefinedElement
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    let raw = table.pointee.elements[i]
                    if raw == 0 {
                        r.trap = .uninitializedElement
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    let f = functionFields(raw)
                    if f.typeID != ctx.pointee.typeIDs[Int(truncatingIfNeeded: imm & 0xFFFF_FFFF)] {
                        r.trap = .indirectCallTypeMismatch
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    if f.instance != inst {
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .slow
                    }
                    let callee = cur.pointee.moduleFunctions + Int(f.index)
                    if fp + callee.pointee.frameSize > stackEnd {
                        r.trap = .callStackExhausted
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    initFrame(fp, callee)
                    cur = callee
                    pc = callee.pointee.code
                case .callImport, .returnCallImport, .callIndirectSlow, .returnCallIndirectSlow, .memoryGrow, .memoryInit, .dataDrop, .memoryCopy, .memoryFill,
                    .tableGrow, .tableFill, .tableCopy, .tableInit, .elemDrop:
                    r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                    return .slow
                case .select:
                    fp[Word.c(w)] = fp[Int(truncatingIfNeeded: pc[1])] != 0 ? fp[Word.a(w)] : fp[Word.b(w)]
                    pc += 2
                case .globalGet:
                    fp[Word.c(w)] = ctx.pointee.globals[Word.index(w)].pointee
                    pc += 1
                case .globalSet:
                    ctx.pointee.globals[Word.index(w)].pointee = fp[Word.c(w)]
                    pc += 1
                case .refFunc:
                    fp[Word.c(w)] = ctx.pointee.functions[Word.index(w)]
                    pc += 1

                // MARK: Memory: the effective address is u32(fp[A] + fp[B]) + u64 offset, checked against the current size.
                case .load8S32:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 1 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    fp[Word.c(w)] = slot(Int32(memBase.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int8.self)))
                    pc += 2
                case .load16S32:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 2 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    fp[Word.c(w)] = slot(Int32(memBase.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int16.self)))
                    pc += 2
                case .load16U:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 2 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    fp[Word.c(w)] = UInt64(memBase.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt16.self))
                    pc += 2
                case .load8S64:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 1 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    fp[Word.c(w)] = slot(Int64(memBase.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int8.self)))
                    pc += 2
                case .load16S64:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 2 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    fp[Word.c(w)] = slot(Int64(memBase.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int16.self)))
                    pc += 2
                case .load32S64:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 4 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    fp[Word.c(w)] = slot(Int64(memBase.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int32.self)))
                    pc += 2
                case .store8:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 1 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    memBase.storeBytes(of: UInt8(truncatingIfNeeded: fp[Word.c(w)]), toByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self)
                    pc += 2
                case .store16:
                    let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
                    if ea &+ 2 > UInt64(UInt(bitPattern: memDef.pointee.byteCount)) {
                        r.trap = .outOfBoundsMemoryAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    memBase.storeBytes(of: UInt16(truncatingIfNeeded: fp[Word.c(w)]), toByteOffset: Int(truncatingIfNeeded: ea), as: UInt16.self)
                    pc += 2
                case .memorySize:
                    fp[Word.c(w)] = UInt64(UInt(bitPattern: memDef.pointee.byteCount) &>> 16)
                    pc += 1

                // MARK: Tables (growth and bulk operations are slow instructions)
                case .tableGet:
                    let table = ctx.pointee.tables[Int(truncatingIfNeeded: pc[1])]
                    let i = Int(truncatingIfNeeded: u32(fp[Word.a(w)]))
                    if i >= table.pointee.count {
                        r.trap = .outOfBoundsTableAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    fp[Word.c(w)] = table.pointee.elements[i]
                    pc += 2
                case .tableSet:
                    let table = ctx.pointee.tables[Int(truncatingIfNeeded: pc[1])]
                    let i = Int(truncatingIfNeeded: u32(fp[Word.a(w)]))
                    if i >= table.pointee.count {
                        r.trap = .outOfBoundsTableAccess
                        r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst
                        return .trap
                    }
                    table.pointee.elements[i] = fp[Word.b(w)]
                    pc += 2
                case .tableSize:
                    fp[Word.c(w)] = UInt64(ctx.pointee.tables[Int(truncatingIfNeeded: pc[1])].pointee.count)
                    pc += 2

                // MARK: Fused compare and branch
                case .brI32Eq: pc += u32(fp[Word.a(w)]) == u32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI32LtS: pc += s32(fp[Word.a(w)]) < s32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI32GtS: pc += s32(fp[Word.a(w)]) > s32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI32GtU: pc += u32(fp[Word.a(w)]) > u32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI32LeS: pc += s32(fp[Word.a(w)]) <= s32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI32LeU: pc += u32(fp[Word.a(w)]) <= u32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI32GeS: pc += s32(fp[Word.a(w)]) >= s32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI32GeU: pc += u32(fp[Word.a(w)]) >= u32(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64Eq: pc += fp[Word.a(w)] == fp[Word.b(w)] ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64Ne: pc += fp[Word.a(w)] != fp[Word.b(w)] ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64LtS: pc += s64(fp[Word.a(w)]) < s64(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64LtU: pc += fp[Word.a(w)] < fp[Word.b(w)] ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64GtS: pc += s64(fp[Word.a(w)]) > s64(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64GtU: pc += fp[Word.a(w)] > fp[Word.b(w)] ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64LeS: pc += s64(fp[Word.a(w)]) <= s64(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64LeU: pc += fp[Word.a(w)] <= fp[Word.b(w)] ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64GeS: pc += s64(fp[Word.a(w)]) >= s64(fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2
                case .brI64GeU: pc += fp[Word.a(w)] >= fp[Word.b(w)] ? Int(truncatingIfNeeded: pc[1]) : 2
                // MARK: i32 comparisons
                case .i32Eqz: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) == 0); pc += 1
                case .i32Eq: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) == u32(fp[Word.b(w)])); pc += 1
                case .i32Ne: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) != u32(fp[Word.b(w)])); pc += 1
                case .i32LtS: fp[Word.c(w)] = slot(s32(fp[Word.a(w)]) < s32(fp[Word.b(w)])); pc += 1
                case .i32LtU: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) < u32(fp[Word.b(w)])); pc += 1
                case .i32GtS: fp[Word.c(w)] = slot(s32(fp[Word.a(w)]) > s32(fp[Word.b(w)])); pc += 1
                case .i32GtU: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) > u32(fp[Word.b(w)])); pc += 1
                case .i32LeS: fp[Word.c(w)] = slot(s32(fp[Word.a(w)]) <= s32(fp[Word.b(w)])); pc += 1
                case .i32LeU: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) <= u32(fp[Word.b(w)])); pc += 1
                case .i32GeS: fp[Word.c(w)] = slot(s32(fp[Word.a(w)]) >= s32(fp[Word.b(w)])); pc += 1
                case .i32GeU: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) >= u32(fp[Word.b(w)])); pc += 1
                // MARK: i64 comparisons
                case .i64Eqz: fp[Word.c(w)] = slot(fp[Word.a(w)] == 0); pc += 1
                case .i64Eq: fp[Word.c(w)] = slot(fp[Word.a(w)] == fp[Word.b(w)]); pc += 1
                case .i64Ne: fp[Word.c(w)] = slot(fp[Word.a(w)] != fp[Word.b(w)]); pc += 1
                case .i64LtS: fp[Word.c(w)] = slot(s64(fp[Word.a(w)]) < s64(fp[Word.b(w)])); pc += 1
                case .i64LtU: fp[Word.c(w)] = slot(fp[Word.a(w)] < fp[Word.b(w)]); pc += 1
                case .i64GtS: fp[Word.c(w)] = slot(s64(fp[Word.a(w)]) > s64(fp[Word.b(w)])); pc += 1
                case .i64GtU: fp[Word.c(w)] = slot(fp[Word.a(w)] > fp[Word.b(w)]); pc += 1
                case .i64LeS: fp[Word.c(w)] = slot(s64(fp[Word.a(w)]) <= s64(fp[Word.b(w)])); pc += 1
                case .i64LeU: fp[Word.c(w)] = slot(fp[Word.a(w)] <= fp[Word.b(w)]); pc += 1
                case .i64GeS: fp[Word.c(w)] = slot(s64(fp[Word.a(w)]) >= s64(fp[Word.b(w)])); pc += 1
                case .i64GeU: fp[Word.c(w)] = slot(fp[Word.a(w)] >= fp[Word.b(w)]); pc += 1
                // MARK: float comparisons
                case .f32Eq: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) == f32(fp[Word.b(w)])); pc += 1
                case .f32Ne: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) != f32(fp[Word.b(w)])); pc += 1
                case .f32Lt: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) < f32(fp[Word.b(w)])); pc += 1
                case .f32Gt: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) > f32(fp[Word.b(w)])); pc += 1
                case .f32Le: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) <= f32(fp[Word.b(w)])); pc += 1
                case .f32Ge: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) >= f32(fp[Word.b(w)])); pc += 1
                case .f64Eq: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) == f64(fp[Word.b(w)])); pc += 1
                case .f64Ne: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) != f64(fp[Word.b(w)])); pc += 1
                case .f64Lt: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) < f64(fp[Word.b(w)])); pc += 1
                case .f64Gt: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) > f64(fp[Word.b(w)])); pc += 1
                case .f64Le: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) <= f64(fp[Word.b(w)])); pc += 1
                case .f64Ge: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) >= f64(fp[Word.b(w)])); pc += 1

                // MARK: i32 arithmetic
                case .i32Clz: fp[Word.c(w)] = UInt64(u32(fp[Word.a(w)]).leadingZeroBitCount); pc += 1
                case .i32Ctz: fp[Word.c(w)] = UInt64(u32(fp[Word.a(w)]).trailingZeroBitCount); pc += 1
                case .i32Popcnt: fp[Word.c(w)] = UInt64(u32(fp[Word.a(w)]).nonzeroBitCount); pc += 1
                case .i32Mul: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) &* u32(fp[Word.b(w)])); pc += 1
                case .i32DivS:
                    let a = s32(fp[Word.a(w)]), b = s32(fp[Word.b(w)])
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if b == -1 && a == Int32.min { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(a / b)
                    pc += 1
                case .i32DivU:
                    let a = u32(fp[Word.a(w)]), b = u32(fp[Word.b(w)])
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(a / b)
                    pc += 1
                case .i32RemS:
                    let a = s32(fp[Word.a(w)]), b = s32(fp[Word.b(w)])
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = b == -1 ? 0 : slot(a % b)
                    pc += 1
                case .i32RemU:
                    let a = u32(fp[Word.a(w)]), b = u32(fp[Word.b(w)])
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(a % b)
                    pc += 1
                case .i32And: fp[Word.c(w)] = fp[Word.a(w)] & fp[Word.b(w)]; pc += 1
                case .i32Or: fp[Word.c(w)] = fp[Word.a(w)] | fp[Word.b(w)]; pc += 1
                case .i32Xor: fp[Word.c(w)] = fp[Word.a(w)] ^ fp[Word.b(w)]; pc += 1
                case .i32Shl: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) &<< u32(fp[Word.b(w)])); pc += 1
                case .i32ShrS: fp[Word.c(w)] = slot(s32(fp[Word.a(w)]) &>> s32(fp[Word.b(w)])); pc += 1
                case .i32ShrU: fp[Word.c(w)] = slot(u32(fp[Word.a(w)]) &>> u32(fp[Word.b(w)])); pc += 1
                case .i32Rotl:
                    let a = u32(fp[Word.a(w)]), n = u32(fp[Word.b(w)])
                    fp[Word.c(w)] = slot((a &<< n) | (a &>> (32 &- n)))
                    pc += 1
                case .i32Rotr:
                    let a = u32(fp[Word.a(w)]), n = u32(fp[Word.b(w)])
                    fp[Word.c(w)] = slot((a &>> n) | (a &<< (32 &- n)))
                    pc += 1

                // MARK: i64 arithmetic
                case .i64Clz: fp[Word.c(w)] = UInt64(fp[Word.a(w)].leadingZeroBitCount); pc += 1
                case .i64Ctz: fp[Word.c(w)] = UInt64(fp[Word.a(w)].trailingZeroBitCount); pc += 1
                case .i64Popcnt: fp[Word.c(w)] = UInt64(fp[Word.a(w)].nonzeroBitCount); pc += 1
                case .i64Add: fp[Word.c(w)] = fp[Word.a(w)] &+ fp[Word.b(w)]; pc += 1
                case .i64Sub: fp[Word.c(w)] = fp[Word.a(w)] &- fp[Word.b(w)]; pc += 1
                case .i64Mul: fp[Word.c(w)] = fp[Word.a(w)] &* fp[Word.b(w)]; pc += 1
                case .i64DivS:
                    let a = s64(fp[Word.a(w)]), b = s64(fp[Word.b(w)])
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if b == -1 && a == Int64.min { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(a / b)
                    pc += 1
                case .i64DivU:
                    let a = fp[Word.a(w)], b = fp[Word.b(w)]
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = a / b
                    pc += 1
                case .i64RemS:
                    let a = s64(fp[Word.a(w)]), b = s64(fp[Word.b(w)])
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = b == -1 ? 0 : slot(a % b)
                    pc += 1
                case .i64RemU:
                    let a = fp[Word.a(w)], b = fp[Word.b(w)]
                    if b == 0 { r.trap = .integerDivideByZero; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = a % b
                    pc += 1
                case .i64And: fp[Word.c(w)] = fp[Word.a(w)] & fp[Word.b(w)]; pc += 1
                case .i64Or: fp[Word.c(w)] = fp[Word.a(w)] | fp[Word.b(w)]; pc += 1
                case .i64Xor: fp[Word.c(w)] = fp[Word.a(w)] ^ fp[Word.b(w)]; pc += 1
                case .i64Shl: fp[Word.c(w)] = fp[Word.a(w)] &<< fp[Word.b(w)]; pc += 1
                case .i64ShrS: fp[Word.c(w)] = slot(s64(fp[Word.a(w)]) &>> s64(fp[Word.b(w)])); pc += 1
                case .i64ShrU: fp[Word.c(w)] = fp[Word.a(w)] &>> fp[Word.b(w)]; pc += 1
                case .i64Rotl:
                    let a = fp[Word.a(w)], n = fp[Word.b(w)]
                    fp[Word.c(w)] = (a &<< n) | (a &>> (64 &- n))
                    pc += 1
                case .i64Rotr:
                    let a = fp[Word.a(w)], n = fp[Word.b(w)]
                    fp[Word.c(w)] = (a &>> n) | (a &<< (64 &- n))
                    pc += 1

                // MARK: f32 arithmetic
                case .f32Abs: fp[Word.c(w)] = FloatOps.abs32(fp[Word.a(w)]); pc += 1
                case .f32Neg: fp[Word.c(w)] = FloatOps.neg32(fp[Word.a(w)]); pc += 1
                case .f32Ceil: fp[Word.c(w)] = slot(FloatOps.ceil(f32(fp[Word.a(w)]))); pc += 1
                case .f32Floor: fp[Word.c(w)] = slot(FloatOps.floor(f32(fp[Word.a(w)]))); pc += 1
                case .f32Trunc: fp[Word.c(w)] = slot(FloatOps.trunc(f32(fp[Word.a(w)]))); pc += 1
                case .f32Nearest: fp[Word.c(w)] = slot(FloatOps.nearest(f32(fp[Word.a(w)]))); pc += 1
                case .f32Sqrt: fp[Word.c(w)] = slot(FloatOps.sqrt(f32(fp[Word.a(w)]))); pc += 1
                case .f32Add: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) + f32(fp[Word.b(w)])); pc += 1
                case .f32Sub: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) - f32(fp[Word.b(w)])); pc += 1
                case .f32Mul: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) * f32(fp[Word.b(w)])); pc += 1
                case .f32Div: fp[Word.c(w)] = slot(f32(fp[Word.a(w)]) / f32(fp[Word.b(w)])); pc += 1
                case .f32Min: fp[Word.c(w)] = slot(FloatOps.min(f32(fp[Word.a(w)]), f32(fp[Word.b(w)]))); pc += 1
                case .f32Max: fp[Word.c(w)] = slot(FloatOps.max(f32(fp[Word.a(w)]), f32(fp[Word.b(w)]))); pc += 1
                case .f32Copysign: fp[Word.c(w)] = FloatOps.copysign32(fp[Word.a(w)], fp[Word.b(w)]); pc += 1

                // MARK: f64 arithmetic
                case .f64Abs: fp[Word.c(w)] = FloatOps.abs64(fp[Word.a(w)]); pc += 1
                case .f64Neg: fp[Word.c(w)] = FloatOps.neg64(fp[Word.a(w)]); pc += 1
                case .f64Ceil: fp[Word.c(w)] = slot(FloatOps.ceil(f64(fp[Word.a(w)]))); pc += 1
                case .f64Floor: fp[Word.c(w)] = slot(FloatOps.floor(f64(fp[Word.a(w)]))); pc += 1
                case .f64Trunc: fp[Word.c(w)] = slot(FloatOps.trunc(f64(fp[Word.a(w)]))); pc += 1
                case .f64Nearest: fp[Word.c(w)] = slot(FloatOps.nearest(f64(fp[Word.a(w)]))); pc += 1
                case .f64Sqrt: fp[Word.c(w)] = slot(FloatOps.sqrt(f64(fp[Word.a(w)]))); pc += 1
                case .f64Add: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) + f64(fp[Word.b(w)])); pc += 1
                case .f64Sub: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) - f64(fp[Word.b(w)])); pc += 1
                case .f64Mul: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) * f64(fp[Word.b(w)])); pc += 1
                case .f64Div: fp[Word.c(w)] = slot(f64(fp[Word.a(w)]) / f64(fp[Word.b(w)])); pc += 1
                case .f64Min: fp[Word.c(w)] = slot(FloatOps.min(f64(fp[Word.a(w)]), f64(fp[Word.b(w)]))); pc += 1
                case .f64Max: fp[Word.c(w)] = slot(FloatOps.max(f64(fp[Word.a(w)]), f64(fp[Word.b(w)]))); pc += 1
                case .f64Copysign: fp[Word.c(w)] = FloatOps.copysign64(fp[Word.a(w)], fp[Word.b(w)]); pc += 1

                // MARK: Conversions
                case .i32WrapI64: fp[Word.c(w)] = fp[Word.a(w)] & 0xFFFF_FFFF; pc += 1
                case .i32TruncF32S:
                    let x = f32(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x >= -2147483648.0 && x < 2147483648.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(Int32(x))
                    pc += 1
                case .i32TruncF32U:
                    let x = f32(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x > -1.0 && x < 4294967296.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(UInt32(x))
                    pc += 1
                case .i32TruncF64S:
                    let x = f64(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x > -2147483649.0 && x < 2147483648.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(Int32(x))
                    pc += 1
                case .i32TruncF64U:
                    let x = f64(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x > -1.0 && x < 4294967296.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(UInt32(x))
                    pc += 1
                case .i64ExtendI32S: fp[Word.c(w)] = slot(Int64(s32(fp[Word.a(w)]))); pc += 1
                case .i64ExtendI32U: fp[Word.c(w)] = fp[Word.a(w)] & 0xFFFF_FFFF; pc += 1
                case .i64TruncF32S:
                    let x = f32(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x >= -9223372036854775808.0 && x < 9223372036854775808.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(Int64(x))
                    pc += 1
                case .i64TruncF32U:
                    let x = f32(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x > -1.0 && x < 18446744073709551616.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = UInt64(x)
                    pc += 1
                case .i64TruncF64S:
                    let x = f64(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x >= -9223372036854775808.0 && x < 9223372036854775808.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = slot(Int64(x))
                    pc += 1
                case .i64TruncF64U:
                    let x = f64(fp[Word.a(w)])
                    if x.isNaN { r.trap = .invalidConversionToInteger; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    if !(x > -1.0 && x < 18446744073709551616.0) { r.trap = .integerOverflow; r.pc = pc; r.fp = fp; r.cur = cur; r.frame = frame; r.instance = inst; return .trap }
                    fp[Word.c(w)] = UInt64(x)
                    pc += 1
                case .f32ConvertI32S: fp[Word.c(w)] = slot(Float(s32(fp[Word.a(w)]))); pc += 1
                case .f32ConvertI32U: fp[Word.c(w)] = slot(Float(u32(fp[Word.a(w)]))); pc += 1
                case .f32ConvertI64S: fp[Word.c(w)] = slot(Float(s64(fp[Word.a(w)]))); pc += 1
                case .f32ConvertI64U: fp[Word.c(w)] = slot(Float(fp[Word.a(w)])); pc += 1
                case .f32DemoteF64: fp[Word.c(w)] = slot(Float(f64(fp[Word.a(w)]))); pc += 1
                case .f64ConvertI32S: fp[Word.c(w)] = slot(Double(s32(fp[Word.a(w)]))); pc += 1
                case .f64ConvertI32U: fp[Word.c(w)] = slot(Double(u32(fp[Word.a(w)]))); pc += 1
                case .f64ConvertI64S: fp[Word.c(w)] = slot(Double(s64(fp[Word.a(w)]))); pc += 1
                case .f64ConvertI64U: fp[Word.c(w)] = slot(Double(fp[Word.a(w)])); pc += 1
                case .f64PromoteF32: fp[Word.c(w)] = slot(Double(f32(fp[Word.a(w)]))); pc += 1
                case .i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64:
                    fp[Word.c(w)] = fp[Word.a(w)]
                    pc += 1
                case .i32Extend8S: fp[Word.c(w)] = slot(Int32(Int8(truncatingIfNeeded: fp[Word.a(w)]))); pc += 1
                case .i32Extend16S: fp[Word.c(w)] = slot(Int32(Int16(truncatingIfNeeded: fp[Word.a(w)]))); pc += 1
                case .i64Extend8S: fp[Word.c(w)] = slot(Int64(Int8(truncatingIfNeeded: fp[Word.a(w)]))); pc += 1
                case .i64Extend16S: fp[Word.c(w)] = slot(Int64(Int16(truncatingIfNeeded: fp[Word.a(w)]))); pc += 1
                case .i64Extend32S: fp[Word.c(w)] = slot(Int64(Int32(truncatingIfNeeded: fp[Word.a(w)]))); pc += 1
                case .i32TruncSatF32S: fp[Word.c(w)] = SaturatingTrunc.i32s(Double(f32(fp[Word.a(w)]))); pc += 1
                case .i32TruncSatF32U: fp[Word.c(w)] = SaturatingTrunc.i32u(Double(f32(fp[Word.a(w)]))); pc += 1
                case .i32TruncSatF64S: fp[Word.c(w)] = SaturatingTrunc.i32s(f64(fp[Word.a(w)])); pc += 1
                case .i32TruncSatF64U: fp[Word.c(w)] = SaturatingTrunc.i32u(f64(fp[Word.a(w)])); pc += 1
                case .i64TruncSatF32S: fp[Word.c(w)] = SaturatingTrunc.i64s(Double(f32(fp[Word.a(w)]))); pc += 1
                case .i64TruncSatF32U: fp[Word.c(w)] = SaturatingTrunc.i64u(Double(f32(fp[Word.a(w)]))); pc += 1
                case .i64TruncSatF64S: fp[Word.c(w)] = SaturatingTrunc.i64s(f64(fp[Word.a(w)])); pc += 1
                case .i64TruncSatF64U: fp[Word.c(w)] = SaturatingTrunc.i64u(f64(fp[Word.a(w)])); pc += 1
                }
            }
        }
    }

    /// Copies `n` call arguments from the caller's slots listed at `slots`
    /// (16-bit slot indices, four per word) to the callee's frame. Safe in
    /// place: an argument's slot is either its destination or below the frame.
    @inline(__always)
    static func gatherArguments(
        _ n: Int, from fp: UnsafeMutablePointer<UInt64>, slots: UnsafeMutablePointer<UInt64>,
        to newFP: UnsafeMutablePointer<UInt64>
    ) {
        let s = UnsafeRawPointer(slots).assumingMemoryBound(to: UInt16.self)
        var i = 0
        while i < n {
            newFP[i] = fp[Int(s[i])]
            i &+= 1
        }
    }

    /// Initialises a new frame's locals (zeros) and constants from the function's template.
    @inline(__always)
    static func initFrame(_ fp: UnsafeMutablePointer<UInt64>, _ f: UnsafeMutablePointer<FunctionInfo>) {
        let n = f.pointee.initCount
        if n > 0 {
            let dst = fp + f.pointee.paramCount
            let src = f.pointee.initTemplate
            var i = 0
            repeat {
                dst[i] = src[i]
                i &+= 1
            } while i < n
        }
    }

    /// Type id, owning instance and function index of a funcref, read without reference counting.
    @inline(__always)
    static func functionFields(_ raw: UInt64) -> (typeID: Int32, instance: UnsafeMutableRawPointer?, index: UInt32) {
        // A funcref is the address of the function's VMFuncRef record.
        let record = UnsafePointer<VMFuncRef>(bitPattern: UInt(truncatingIfNeeded: raw)).unsafelyUnwrapped
        return record.pointee.function.unsafelyUnwrapped._withUnsafeGuaranteedRef { fn in
            (fn.typeID, unsafeBitCast(fn.instance, to: UnsafeMutableRawPointer?.self), fn.index)
        }
    }
}
