#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWasmoon
import WasmCore
import WasmOptimizer
import WasmRuntime

/// Compiling each function on its first call (`CompileMode.lazy`).
///
/// A module's code space (`CodeSpace`) starts with the trampolines and the module
/// stubs, then one 16-byte stub per defined function, which is the function's entry
/// (`VMFuncRef.entry`, and what the entry trampoline calls):
///
///     stub_i:  jmp  [rip + table_i]     ; the function's code once compiled
///              mov  eax, i              ; table_i points here until then
///              jmp  compile_on_first_call
///
/// Compiled code calls the module's functions with `call [rip + table_i]` (no stub on
/// the way), or directly when the callee is itself or was compiled before it. `compile_on_first_call` saves r10/r11 (wasm's callee-saved pinned locals
/// that C may clobber), calls `Helpers.compileOnFirstCall`, and jumps to the code it
/// returns as if the caller had called it: the return address and arguments are where
/// the caller left them. A failed compile leaves like a failed host call (the error
/// is rethrown by `invoke`). Compiles are serialized by the module's lock; the table
/// word is written last, with release order, so a thread that reads the new address
/// also sees the code.
extension JITModuleCode {
    static let stubSize = 16

    /// Address-space reserved for a module's lazily compiled code: baseline code is about
    /// twice the size of the wasm code it comes from (GCC's cc1: 24 MB -> 45 MB), so 32
    /// times leaves a wide margin; it costs address space only, not memory.
    static func codeCapacity(for module: WasmCore.Module, stubBytes: Int) -> Int {
        let wasmBytes = module.codes.reduce(0) { $0 + (Int($1.codeEnd) - Int($1.bodyOffset)) }
        return min(1 << 30, max(4 << 20, stubBytes + 32 * wasmBytes))
    }

    /// Sets up a validated module's code space: trampolines and stubs; functions whose
    /// frames may come near the JIT's limit are compiled right away, so that a frame too
    /// large is refused before anything runs, as in eager mode.
    static func prepareLazily(
        _ module: WasmCore.Module, traced: Bool, features: CPUFeatures, interruptible: Bool = false,
        consumesFuel: Bool = false, tier: JITTier = .baseline, declineLog: DeclineLog? = nil,
        tierUp: TierUpPolicy = TierUpPolicy()
    ) throws -> JITModuleCode {
        let t0 = clock()
        let count = module.codes.count
        let tiered = tier == .tiered
        // One table word per function, one for the module code object, and (tiered) one
        // counter per function.
        let stubBytes = 4096 + stubSize * count
        let space = try CodeSpace(tableCount: count + 1 + (tiered ? count : 0),
                                  capacity: codeCapacity(for: module, stubBytes: stubBytes))
        var a = X64Assembler(capacity: stubBytes + 1024)
        let stubs = Stubs.emit(&a)
        let compileLabel = a.newLabel("compile_on_first_call")
        let failed = a.newLabel()
        a.align(16)
        a.bind(compileLabel)
        a.push(.rbp)
        a.mov(.i64, .rbp, .rsp)
        a.push(.r10)
        a.push(.r11)
        a.and(.i64, .rsp, -16)
        let objectSlot = a.newLabel()
        a.bind(objectSlot, toOffset: tableOffset(space, count, from: 0))
        a.mov(.i64, .rdi, Mem.rip(objectSlot))
        a.mov(.i32, .rsi, .rax)
        a.mov(.i64, .rdx, .r13)
        a.movabs(.rax, UInt64(Helpers.compileOnFirstCall))
        a.call(.rax)
        a.test(.i64, .rax, .rax)
        a.j(.e, failed)
        a.mov(.i64, .r10, Mem(.rbp, -8))
        a.mov(.i64, .r11, Mem(.rbp, -16))
        a.leave()
        a.jmp(.rax)
        a.bind(failed)
        a.mov(.i32, .rdi, Int64(hostErrorCode))
        a.mov(.i64, .rsi, Mem(.rbp, 8))
        a.mov(.i64, .rbp, Mem(.rbp, 0))
        let trapStub = a.newLabel("trap_stub")
        a.bind(trapStub, toOffset: stubs.trapStub)
        a.jmp(trapStub)
        let tierUpStub = tiered ? emitTierUpStub(&a, objectSlot: objectSlot) : nil
        a.align(16, fill: .int3)
        let stubsOffset = a.offset
        for i in 0..<count {
            let slot = a.newLabel()
            a.bind(slot, toOffset: tableOffset(space, i, from: 0))
            a.jmp(Mem.rip(slot))
            a.mov(.i32, .rax, Int64(i))
            a.jmp(compileLabel, .near)
            guard a.require(a.offset == stubsOffset + stubSize * (i + 1), "lazy stub is not \(stubSize) bytes") else {
                break
            }
            space.table[i] = UInt(bitPattern: space.codeBase + stubsOffset + stubSize * i + 6)
        }
        a.finish()
        if let error = a.completionError { throw JITError("internal compiler error: \(error)") }
        guard try space.append(a) == 0 else { throw JITError("internal compiler error: stubs not at the space's start") }
        var env = ModuleEnv(module: module, calls: .direct([]), trapTail: stubs.trapTail, hostStub: stubs.hostStub,
                            resumeStub: stubs.resumeStub, listing: false, traced: traced, features: features)
        env.interruptible = interruptible
        env.consumesFuel = consumesFuel
        env.tier = tier
        if tier != .baseline { env.optimizer = OptimizerModuleContext(module: module) }
        env.declineLog = declineLog
        if tiered {
            env.tierUp = tierUp
            for i in 0..<count { space.table[counterIndex(i, functionCount: count)] = UInt(tierUp.threshold) }
        }
        let code = JITModuleCode(lazy: space, module: module, env: env, entryOffset: stubs.entry,
                                 trapStubOffset: stubs.trapStub, trapTailOffset: a.offset(of: stubs.trapTail) ?? 0,
                                 hostStubOffset: a.offset(of: stubs.hostStub) ?? 0,
                                 resumeStubOffset: a.offset(of: stubs.resumeStub) ?? 0, stubsOffset: stubsOffset,
                                 tierUpStubOffset: tierUpStub.flatMap { a.offset(of: $0) } ?? 0,
                                 compileSeconds: Double(clock() - t0) / Double(CLOCKS_PER_SEC))
        // The stubs reach the code object through the table's last word (unretained: the
        // code space lives and dies with the object).
        space.table[count] = UInt(bitPattern: Unmanaged.passUnretained(code).toOpaque())
        let limit = FunctionCompiler.maxFrameSlots / 2
        for (i, body) in module.codes.enumerated() {
            let type = module.types[Int(module.functions[i])]
            // Slots (a v128 takes two; the operand height counts values).
            let locals = body.localDeclarations.reduce(0) { $0 + Int($1.count) * RawValue.slotCount($1.type) }
            let height = Int(body.maxOperandHeight) * (module.usesSIMD ? 2 : 1)
            let slots = locals + height + max(RawValue.slotCount(type.params), RawValue.slotCount(type.results))
            if slots > limit { _ = try code.compileOnFirstCall(definedIndex: i) }
        }
        return code
    }

    /// The distance from code offset `from` to table word `index`.
    static func tableOffset(_ space: CodeSpace, _ index: Int, from offset: Int) -> Int {
        Int(bitPattern: space.tableAddress(index)) - Int(bitPattern: space.codeBase + offset)
    }

    /// Compiles defined function `definedIndex` unless another thread has, and returns
    /// its code address. Throws when the compile fails (an internal compiler error, or
    /// the code space is full).
    func compileOnFirstCall(definedIndex: Int) throws -> UInt {
        guard let space, let env = lazyEnv else { throw JITError("module was compiled eagerly") }
        return try lock.withLock {
            let stub = UInt(bitPattern: codeBase + stubsOffset + Self.stubSize * definedIndex)
            let current = UInt(bitPattern: Int(wasmoon_load_acquire(
                UnsafeRawPointer(space.table + definedIndex).assumingMemoryBound(to: Int64.self))))
            if current != stub + 6 { return current }
            let t0 = Self.threadCPUSeconds()
            let origin = space.nextOffset
            var a = X64Assembler(capacity: 4096)
            let (env, entry) = lazyAssembler(&a, env, space: space, origin: origin)
            let record = try compileFunction(module, env: env, definedIndex: definedIndex, &a, entry: entry, map: &map)
            a.finish()
            if let error = a.completionError { throw JITError("internal compiler error: \(error)") }
            let start: Int
            do { start = try space.append(a) } catch {
                throw JITError("cannot compile function \(importCount + definedIndex): \(error)")
            }
            let seconds = Self.threadCPUSeconds() - t0
            map.add(record, definedIndex: definedIndex, start: start, end: start + a.offset, origin: start,
                    seconds: seconds)
            totalSeconds += seconds
            let address = UInt(bitPattern: codeBase + start)
            if PerfMap.isEnabled {
                PerfMap.record(address: address, size: a.offset, module: module, functionIndex: importCount + definedIndex)
            }
            wasmoon_store_release(UnsafeMutableRawPointer(space.table + definedIndex).assumingMemoryBound(to: Int64.self),
                                  Int64(bitPattern: UInt64(address)))
            return address
        }
    }
}
