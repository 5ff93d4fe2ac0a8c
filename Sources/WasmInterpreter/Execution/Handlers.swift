import WasmCore
@_spi(Engine) import WasmRuntime

/// The instruction handlers (see `Handler`): one closure per opcode, each
/// ending in a tail call of the next handler (`then`) or a return to the driver.
/// Closure parameters: `pc`, `fp`, `m` = memory base, `ms` = memory size in
/// bytes, `t` = the handler table, `r` = the `Registers`.
extension Interpreter {
    /// The handler of `op`.
    static func handler(_ op: Op) -> Handler { makeHandler(op) }
}

/// A free function: closures in a static method would capture the metatype
/// (thin function references must not capture anything).
// swiftlint:disable:next cyclomatic_complexity function_body_length
private func makeHandler(_ op: Op) -> Handler {
    do {
        switch op {
        // MARK: Control and data movement
        case .unreachable:
            return { pc, fp, m, ms, t, r in Interpreter.trap(.unreachable, pc, fp, r) }
        case .copy:
            return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { $0 } }
        case .const64:
            return { pc, fp, m, ms, t, r in
                fp[Word.c(pc.pointee)] = pc[1]
                return Interpreter.then(pc + 2, fp, m, ms, t, r)
            }
        case .br:
            return { pc, fp, m, ms, t, r in Interpreter.then(pc + Word.rel(pc.pointee), fp, m, ms, t, r) }
        case .brTable:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let count = Int(truncatingIfNeeded: w &>> 32)
                let i = Int(truncatingIfNeeded: u32(fp[Word.a(w)]))
                return Interpreter.then(pc + Int(truncatingIfNeeded: Int64(bitPattern: pc[1 + (i < count ? i : count)])), fp, m, ms, t, r)
            }
        case .ret:
            return { pc, fp, m, ms, t, r in Interpreter.leave(pc, fp, m, ms, t, r) }
        case .ret1:
            return { pc, fp, m, ms, t, r in
                fp[0] = fp[Word.a(pc.pointee)]
                return Interpreter.leave(pc, fp, m, ms, t, r)
            }
        case .call:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let callee = UnsafeMutablePointer<FunctionInfo>(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
                let newFP = fp + Word.a(w)
                if r.pointee.frame == r.pointee.framesEnd || newFP + callee.pointee.frameSize > r.pointee.stackEnd {
                    return Interpreter.callStackExhausted(callee, pc, fp, r)
                }
                let n = Word.b(w)
                Interpreter.gatherArguments(n, from: fp, slots: pc + 2, to: newFP)
                return Interpreter.enter(callee, newFP: newFP, returnPC: pc + 2 + (n &+ 3) &>> 2, fp, m, ms, t, r)
            }
        case .callIndirect:
            return { pc, fp, m, ms, t, r in
                let (target, e) = Interpreter.indirectCallee(pc, fp, r)
                guard let callee = target else { return e }
                return Interpreter.callFound(callee, pc, fp, m, ms, t, r)
            }
        case .returnCall:
            return { pc, fp, m, ms, t, r in
                let callee = UnsafeMutablePointer<FunctionInfo>(bitPattern: UInt(truncatingIfNeeded: pc[1])).unsafelyUnwrapped
                if fp + callee.pointee.frameSize > r.pointee.stackEnd { return Interpreter.callStackExhausted(callee, pc, fp, r) }
                Interpreter.initFrame(fp, callee)
                r.pointee.cur = callee
                return Interpreter.then(callee.pointee.code, fp, m, ms, t, r)
            }
        case .returnCallIndirect:
            return { pc, fp, m, ms, t, r in
                let (target, e) = Interpreter.indirectCallee(pc, fp, r)
                guard let callee = target else { return e }
                return Interpreter.tailCallFound(callee, pc, fp, m, ms, t, r)
            }
        case .callRef:
            return { pc, fp, m, ms, t, r in
                let (target, e) = Interpreter.referencedCallee(pc, fp, r)
                guard let callee = target else { return e }
                return Interpreter.callFound(callee, pc, fp, m, ms, t, r)
            }
        case .returnCallRef:
            return { pc, fp, m, ms, t, r in
                let (target, e) = Interpreter.referencedCallee(pc, fp, r)
                guard let callee = target else { return e }
                return Interpreter.tailCallFound(callee, pc, fp, m, ms, t, r)
            }
        case .refAsNonNull:
            return { pc, fp, m, ms, t, r in
                if fp[Word.a(pc.pointee)] == 0 { return Interpreter.trap(.nullReference, pc, fp, r) }
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .lazyEntry:
            return { pc, fp, m, ms, t, r in Interpreter.exit(.slow, pc, fp, r) }
        case .callImport, .returnCallImport, .callIndirectSlow, .returnCallIndirectSlow, .callRefSlow, .returnCallRefSlow, .throw, .throwRef, .memoryGrow, .memoryInit, .dataDrop, .memoryCopy, .memoryFill,
            .tableGrow, .tableFill, .tableCopy, .tableInit, .elemDrop:
            return { pc, fp, m, ms, t, r in Interpreter.exit(.slow, pc, fp, r) }
        case .select:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                fp[Word.c(w)] = fp[Int(truncatingIfNeeded: pc[1])] != 0 ? fp[Word.a(w)] : fp[Word.b(w)]
                return Interpreter.then(pc + 2, fp, m, ms, t, r)
            }
        case .globalGet:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                fp[Word.c(w)] = r.pointee.ctx.pointee.globals[Word.index(w)].pointee
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .globalSet:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                r.pointee.ctx.pointee.globals[Word.index(w)].pointee = fp[Word.c(w)]
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .refFunc:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                fp[Word.c(w)] = r.pointee.ctx.pointee.functions[Word.index(w)]
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }

        // MARK: Memory
        case .load32:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 4) { UInt64($0.loadUnaligned(as: UInt32.self)) } }
        case .load64:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 8) { $0.loadUnaligned(as: UInt64.self) } }
        case .load32Shl:
            return { pc, fp, m, ms, t, r in Interpreter.loadScaled(pc, fp, m, ms, t, r, size: 4) { UInt64($0.loadUnaligned(as: UInt32.self)) } }
        case .load64Shl:
            return { pc, fp, m, ms, t, r in Interpreter.loadScaled(pc, fp, m, ms, t, r, size: 8) { $0.loadUnaligned(as: UInt64.self) } }
        case .load32OrShl:
            return { pc, fp, m, ms, t, r in
                Interpreter.loadCombinedScaled(pc, fp, m, ms, t, r, size: 4, { $0 | $1 }) { UInt64($0.loadUnaligned(as: UInt32.self)) }
            }
        case .load64OrShl:
            return { pc, fp, m, ms, t, r in
                Interpreter.loadCombinedScaled(pc, fp, m, ms, t, r, size: 8, { $0 | $1 }) { $0.loadUnaligned(as: UInt64.self) }
            }
        case .load32AddShl:
            return { pc, fp, m, ms, t, r in
                Interpreter.loadCombinedScaled(pc, fp, m, ms, t, r, size: 4, { $0 &+ $1 }) { UInt64($0.loadUnaligned(as: UInt32.self)) }
            }
        case .load64AddShl:
            return { pc, fp, m, ms, t, r in
                Interpreter.loadCombinedScaled(pc, fp, m, ms, t, r, size: 8, { $0 &+ $1 }) { $0.loadUnaligned(as: UInt64.self) }
            }
        case .load8S32:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 1) { slot(Int32($0.load(as: Int8.self))) } }
        case .load8U:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 1) { UInt64($0.load(as: UInt8.self)) } }
        case .load16S32:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 2) { slot(Int32($0.loadUnaligned(as: Int16.self))) } }
        case .load16U:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 2) { UInt64($0.loadUnaligned(as: UInt16.self)) } }
        case .load8S64:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 1) { slot(Int64($0.load(as: Int8.self))) } }
        case .load16S64:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 2) { slot(Int64($0.loadUnaligned(as: Int16.self))) } }
        case .load32S64:
            return { pc, fp, m, ms, t, r in Interpreter.load(pc, fp, m, ms, t, r, size: 4) { slot(Int64($0.loadUnaligned(as: Int32.self))) } }
        case .store32:
            return { pc, fp, m, ms, t, r in Interpreter.store(pc, fp, m, ms, t, r, size: 4) { $0.storeBytes(of: u32($1), as: UInt32.self) } }
        case .store64:
            return { pc, fp, m, ms, t, r in Interpreter.store(pc, fp, m, ms, t, r, size: 8) { $0.storeBytes(of: $1, as: UInt64.self) } }
        case .store8:
            return { pc, fp, m, ms, t, r in
                Interpreter.store(pc, fp, m, ms, t, r, size: 1) { $0.storeBytes(of: UInt8(truncatingIfNeeded: $1), as: UInt8.self) }
            }
        case .store16:
            return { pc, fp, m, ms, t, r in
                Interpreter.store(pc, fp, m, ms, t, r, size: 2) { $0.storeBytes(of: UInt16(truncatingIfNeeded: $1), as: UInt16.self) }
            }
        case .memorySize:
            return { pc, fp, m, ms, t, r in
                fp[Word.c(pc.pointee)] = ms &>> 16
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .memorySizeOf:
            return { pc, fp, m, ms, t, r in
                let memory = r.pointee.ctx.pointee.memories[Int(truncatingIfNeeded: pc[1])]
                fp[Word.c(pc.pointee)] = UInt64(memory.pointee.byteCount) &>> 16
                return Interpreter.then(pc + 2, fp, m, ms, t, r)
            }
        case .memoryAccess:
            return { pc, fp, m, ms, t, r in
                let shape = pc[2]
                let memory = r.pointee.ctx.pointee.memories[Int(truncatingIfNeeded: shape & 0xFFFF_FFFF)]
                let raw = fp[Word.a(pc.pointee)]
                let address = shape & (1 << 48) != 0 ? raw : UInt64(u32(raw))
                let (start, carry) = address.addingReportingOverflow(pc[1])
                let size = UInt64(memory.pointee.byteCount)
                if carry || start > size || (shape &>> 32) & 0xFFFF > size &- start {
                    return Interpreter.trap(.outOfBoundsMemoryAccess, pc, fp, r)
                }
                return Interpreter.then(pc + 3, fp, memory.pointee.base + Int(start), size &- start, t, r)
            }
        case .memoryRestore:
            return { pc, fp, m, ms, t, r in
                let memory = r.pointee.memDef
                return Interpreter.then(pc + 1, fp, r.pointee.memBase, UInt64(memory.pointee.byteCount), t, r)
            }
        case .interruptCheck:
            return { pc, fp, m, ms, t, r in
                let context = r.pointee.ctx
                if context.pointee.epoch.unsafelyUnwrapped.pointee >= context.pointee.deadline.unsafelyUnwrapped.pointee {
                    return Interpreter.trap(.interrupt, pc, fp, r)
                }
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .consumeFuel:
            return { pc, fp, m, ms, t, r in
                let fuel = r.pointee.ctx.pointee.fuel.unsafelyUnwrapped
                fuel.pointee &-= Int64(Word.index(pc.pointee))
                if fuel.pointee < 0 { return Interpreter.trap(.outOfFuel, pc, fp, r) }
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .clampIndex:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                fp[Word.c(w)] = min(fp[Word.a(w)], UInt64(UInt32.max))
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }

        // MARK: Tables (growth and bulk operations are slow instructions)
        case .tableGet:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let table = r.pointee.ctx.pointee.tables[Int(truncatingIfNeeded: pc[1])]
                let i = Int(truncatingIfNeeded: u32(fp[Word.a(w)]))
                if i >= table.pointee.count { return Interpreter.trap(.outOfBoundsTableAccess, pc, fp, r) }
                fp[Word.c(w)] = table.pointee.elements[i]
                return Interpreter.then(pc + 2, fp, m, ms, t, r)
            }
        case .tableSet:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let table = r.pointee.ctx.pointee.tables[Int(truncatingIfNeeded: pc[1])]
                let i = Int(truncatingIfNeeded: u32(fp[Word.a(w)]))
                if i >= table.pointee.count { return Interpreter.trap(.outOfBoundsTableAccess, pc, fp, r) }
                table.pointee.elements[i] = fp[Word.b(w)]
                return Interpreter.then(pc + 2, fp, m, ms, t, r)
            }
        case .tableSize:
            return { pc, fp, m, ms, t, r in
                fp[Word.c(pc.pointee)] = UInt64(r.pointee.ctx.pointee.tables[Int(truncatingIfNeeded: pc[1])].pointee.count)
                return Interpreter.then(pc + 2, fp, m, ms, t, r)
            }

        // MARK: Conditional branches
        case .brAndNZ: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 & $1 != 0 } }
        case .brAndZ: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 & $1 == 0 } }
        case .brI32Eq: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { u32($0) == u32($1) } }
        case .brI32Ne: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { u32($0) != u32($1) } }
        case .brI32LtS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s32($0) < s32($1) } }
        case .brI32LtU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { u32($0) < u32($1) } }
        case .brI32GtS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s32($0) > s32($1) } }
        case .brI32GtU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { u32($0) > u32($1) } }
        case .brI32LeS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s32($0) <= s32($1) } }
        case .brI32LeU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { u32($0) <= u32($1) } }
        case .brI32GeS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s32($0) >= s32($1) } }
        case .brI32GeU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { u32($0) >= u32($1) } }
        case .brI64Eq: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 == $1 } }
        case .brI64Ne: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 != $1 } }
        case .brI64LtS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s64($0) < s64($1) } }
        case .brI64LtU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 < $1 } }
        case .brI64GtS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s64($0) > s64($1) } }
        case .brI64GtU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 > $1 } }
        case .brI64LeS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s64($0) <= s64($1) } }
        case .brI64LeU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 <= $1 } }
        case .brI64GeS: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { s64($0) >= s64($1) } }
        case .brI64GeU: return { pc, fp, m, ms, t, r in Interpreter.branch(pc, fp, m, ms, t, r) { $0 >= $1 } }

        case .addBrI32Eq: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { $0 == $1 } }
        case .addBrI32Ne: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { $0 != $1 } }
        case .addBrI32LtS: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { Int32(bitPattern: $0) < Int32(bitPattern: $1) } }
        case .addBrI32LtU: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { $0 < $1 } }
        case .addBrI32GtS: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { Int32(bitPattern: $0) > Int32(bitPattern: $1) } }
        case .addBrI32GtU: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { $0 > $1 } }
        case .addBrI32LeS: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { Int32(bitPattern: $0) <= Int32(bitPattern: $1) } }
        case .addBrI32LeU: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { $0 <= $1 } }
        case .addBrI32GeS: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { Int32(bitPattern: $0) >= Int32(bitPattern: $1) } }
        case .addBrI32GeU: return { pc, fp, m, ms, t, r in Interpreter.addBranch(pc, fp, m, ms, t, r) { $0 >= $1 } }

        // MARK: Comparisons
        case .i32Eqz: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(u32($0) == 0) } }
        case .i32Eq: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) == u32($1)) } }
        case .i32Ne: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) != u32($1)) } }
        case .i32LtS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s32($0) < s32($1)) } }
        case .i32LtU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) < u32($1)) } }
        case .i32GtS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s32($0) > s32($1)) } }
        case .i32GtU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) > u32($1)) } }
        case .i32LeS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s32($0) <= s32($1)) } }
        case .i32LeU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) <= u32($1)) } }
        case .i32GeS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s32($0) >= s32($1)) } }
        case .i32GeU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) >= u32($1)) } }
        case .i64Eqz: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot($0 == 0) } }
        case .i64Eq: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot($0 == $1) } }
        case .i64Ne: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot($0 != $1) } }
        case .i64LtS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s64($0) < s64($1)) } }
        case .i64LtU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot($0 < $1) } }
        case .i64GtS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s64($0) > s64($1)) } }
        case .i64GtU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot($0 > $1) } }
        case .i64LeS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s64($0) <= s64($1)) } }
        case .i64LeU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot($0 <= $1) } }
        case .i64GeS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s64($0) >= s64($1)) } }
        case .i64GeU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot($0 >= $1) } }
        case .f32Eq: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) == f32($1)) } }
        case .f32Ne: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) != f32($1)) } }
        case .f32Lt: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) < f32($1)) } }
        case .f32Gt: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) > f32($1)) } }
        case .f32Le: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) <= f32($1)) } }
        case .f32Ge: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) >= f32($1)) } }
        case .f64Eq: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) == f64($1)) } }
        case .f64Ne: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) != f64($1)) } }
        case .f64Lt: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) < f64($1)) } }
        case .f64Gt: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) > f64($1)) } }
        case .f64Le: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) <= f64($1)) } }
        case .f64Ge: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) >= f64($1)) } }

        // MARK: i32 arithmetic
        case .i32Clz: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { UInt64(u32($0).leadingZeroBitCount) } }
        case .i32Ctz: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { UInt64(u32($0).trailingZeroBitCount) } }
        case .i32Popcnt: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { UInt64(u32($0).nonzeroBitCount) } }
        case .i32Add: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) &+ u32($1)) } }
        case .i32Sub: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) &- u32($1)) } }
        case .i32Mul: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) &* u32($1)) } }
        case .i32DivS:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = s32(fp[Word.a(w)]), b = s32(fp[Word.b(w)])
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                if b == -1 && a == Int32.min { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(a / b)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i32DivU:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = u32(fp[Word.a(w)]), b = u32(fp[Word.b(w)])
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                fp[Word.c(w)] = slot(a / b)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i32RemS:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = s32(fp[Word.a(w)]), b = s32(fp[Word.b(w)])
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                fp[Word.c(w)] = b == -1 ? 0 : slot(a % b)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i32RemU:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = u32(fp[Word.a(w)]), b = u32(fp[Word.b(w)])
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                fp[Word.c(w)] = slot(a % b)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i32And: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 & $1 } }
        case .i32Or: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 | $1 } }
        case .i32Xor: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 ^ $1 } }
        case .i32Shl: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) &<< u32($1)) } }
        case .i32ShrS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s32($0) &>> s32($1)) } }
        case .i32ShrU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(u32($0) &>> u32($1)) } }
        case .i32Rotl:
            return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot((u32($0) &<< u32($1)) | (u32($0) &>> (32 &- u32($1)))) } }
        case .i32Rotr:
            return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot((u32($0) &>> u32($1)) | (u32($0) &<< (32 &- u32($1)))) } }

        // MARK: i64 arithmetic
        case .i64Clz: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { UInt64($0.leadingZeroBitCount) } }
        case .i64Ctz: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { UInt64($0.trailingZeroBitCount) } }
        case .i64Popcnt: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { UInt64($0.nonzeroBitCount) } }
        case .i64Add: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 &+ $1 } }
        case .i64Sub: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 &- $1 } }
        case .i64Mul: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 &* $1 } }
        case .i64DivS:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = s64(fp[Word.a(w)]), b = s64(fp[Word.b(w)])
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                if b == -1 && a == Int64.min { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(a / b)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64DivU:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = fp[Word.a(w)], b = fp[Word.b(w)]
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                fp[Word.c(w)] = a / b
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64RemS:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = s64(fp[Word.a(w)]), b = s64(fp[Word.b(w)])
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                fp[Word.c(w)] = b == -1 ? 0 : slot(a % b)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64RemU:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let a = fp[Word.a(w)], b = fp[Word.b(w)]
                if b == 0 { return Interpreter.trap(.integerDivideByZero, pc, fp, r) }
                fp[Word.c(w)] = a % b
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64And: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 & $1 } }
        case .i64Or: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 | $1 } }
        case .i64Xor: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 ^ $1 } }
        case .i64Shl: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 &<< $1 } }
        case .i64ShrS: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(s64($0) &>> s64($1)) } }
        case .i64ShrU: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { $0 &>> $1 } }
        case .i64Rotl: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { ($0 &<< $1) | ($0 &>> (64 &- $1)) } }
        case .i64Rotr: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { ($0 &>> $1) | ($0 &<< (64 &- $1)) } }

        // MARK: f32 arithmetic
        case .f32Abs: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { FloatOps.abs32($0) } }
        case .f32Neg: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { FloatOps.neg32($0) } }
        case .f32Ceil: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.ceil(f32($0))) } }
        case .f32Floor: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.floor(f32($0))) } }
        case .f32Trunc: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.trunc(f32($0))) } }
        case .f32Nearest: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.nearest(f32($0))) } }
        case .f32Sqrt: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.sqrt(f32($0))) } }
        case .f32Add: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) + f32($1)) } }
        case .f32Sub: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) - f32($1)) } }
        case .f32Mul: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) * f32($1)) } }
        case .f32Div: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f32($0) / f32($1)) } }
        case .f32Min: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(FloatOps.min(f32($0), f32($1))) } }
        case .f32Max: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(FloatOps.max(f32($0), f32($1))) } }
        case .f32Copysign: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { FloatOps.copysign32($0, $1) } }

        // MARK: f64 arithmetic
        case .f64Abs: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { FloatOps.abs64($0) } }
        case .f64Neg: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { FloatOps.neg64($0) } }
        case .f64Ceil: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.ceil(f64($0))) } }
        case .f64Floor: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.floor(f64($0))) } }
        case .f64Trunc: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.trunc(f64($0))) } }
        case .f64Nearest: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.nearest(f64($0))) } }
        case .f64Sqrt: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(FloatOps.sqrt(f64($0))) } }
        case .f64Add: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) + f64($1)) } }
        case .f64Sub: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) - f64($1)) } }
        case .f64Mul: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) * f64($1)) } }
        case .f64Div: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(f64($0) / f64($1)) } }
        case .f64Min: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(FloatOps.min(f64($0), f64($1))) } }
        case .f64Max: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { slot(FloatOps.max(f64($0), f64($1))) } }
        case .f64Copysign: return { pc, fp, m, ms, t, r in Interpreter.binary(pc, fp, m, ms, t, r) { FloatOps.copysign64($0, $1) } }

        // MARK: Conversions
        case .i32WrapI64, .i64ExtendI32U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { $0 & 0xFFFF_FFFF } }
        case .i32TruncF32S:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f32(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: false, signed: true, fromF64: false).contains(Double(x)) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(Int32(x))
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i32TruncF32U:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f32(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: false, signed: false, fromF64: false).contains(Double(x)) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(UInt32(x))
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i32TruncF64S:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f64(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: false, signed: true, fromF64: true).contains(x) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(Int32(x))
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i32TruncF64U:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f64(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: false, signed: false, fromF64: true).contains(x) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(UInt32(x))
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64ExtendI32S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Int64(s32($0))) } }
        case .i64TruncF32S:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f32(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: true, signed: true, fromF64: false).contains(Double(x)) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(Int64(x))
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64TruncF32U:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f32(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: true, signed: false, fromF64: false).contains(Double(x)) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = UInt64(x)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64TruncF64S:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f64(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: true, signed: true, fromF64: true).contains(x) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = slot(Int64(x))
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .i64TruncF64U:
            return { pc, fp, m, ms, t, r in
                let w = pc.pointee
                let x = f64(fp[Word.a(w)])
                if x.isNaN { return Interpreter.trap(.invalidConversionToInteger, pc, fp, r) }
                if !TruncationRange.of(to64: true, signed: false, fromF64: true).contains(x) { return Interpreter.trap(.integerOverflow, pc, fp, r) }
                fp[Word.c(w)] = UInt64(x)
                return Interpreter.then(pc + 1, fp, m, ms, t, r)
            }
        case .f32ConvertI32S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Float(s32($0))) } }
        case .f32ConvertI32U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Float(u32($0))) } }
        case .f32ConvertI64S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Float(s64($0))) } }
        case .f32ConvertI64U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Float($0)) } }
        case .f32DemoteF64: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Float(f64($0))) } }
        case .f64ConvertI32S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Double(s32($0))) } }
        case .f64ConvertI32U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Double(u32($0))) } }
        case .f64ConvertI64S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Double(s64($0))) } }
        case .f64ConvertI64U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Double($0)) } }
        case .f64PromoteF32: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Double(f32($0))) } }
        case .i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64:
            return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { $0 } }
        case .i32Extend8S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Int32(Int8(truncatingIfNeeded: $0))) } }
        case .i32Extend16S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Int32(Int16(truncatingIfNeeded: $0))) } }
        case .i64Extend8S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Int64(Int8(truncatingIfNeeded: $0))) } }
        case .i64Extend16S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Int64(Int16(truncatingIfNeeded: $0))) } }
        case .i64Extend32S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { slot(Int64(Int32(truncatingIfNeeded: $0))) } }
        case .i32TruncSatF32S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i32s(Double(f32($0))) } }
        case .i32TruncSatF32U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i32u(Double(f32($0))) } }
        case .i32TruncSatF64S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i32s(f64($0)) } }
        case .i32TruncSatF64U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i32u(f64($0)) } }
        case .i64TruncSatF32S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i64s(Double(f32($0))) } }
        case .i64TruncSatF32U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i64u(Double(f32($0))) } }
        case .i64TruncSatF64S: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i64s(f64($0)) } }
        case .i64TruncSatF64U: return { pc, fp, m, ms, t, r in Interpreter.unary(pc, fp, m, ms, t, r) { SaturatingTrunc.i64u(f64($0)) } }
        default:
            // Every other op is a fused pair or a SIMD op; their tables have its handler.
            return makeFusedHandler(op) ?? makeVectorHandler(op) ?? makeHandler(.unreachable)

        }
    }
}
