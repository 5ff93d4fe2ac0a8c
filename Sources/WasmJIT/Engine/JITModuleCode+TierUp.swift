#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CWasmoon
import Dispatch
import WasmCore
import WasmOptimizer
import WasmRuntime

/// Tiering (`JITTier.tiered`, Docs/Optimizer.md "Tiering"): every function starts on the
/// baseline, compiled on its first call. Baseline code counts down a per-function counter
/// (a word of the code space's table, after the function addresses and the code object) at
/// its entry and at every loop header; an entry that finds it run out calls the tier-up stub,
/// which asks for the function to be recompiled by the optimizing tier, on a background
/// queue (or at once, `TierUpPolicy.background` false). The new code is published by
/// writing the function's table word, so it runs from the function's next call: baseline
/// code calls every defined function through its table word in this mode (never directly),
/// and so does optimized code, except when it calls itself.
///
/// The stub runs at a function entry (no values in registers yet) or at a loop header (the
/// value stack is flushed there; the pinned locals live in rbx/r12/r11/r10 and XMM
/// registers), so it keeps r10, r11 and every XMM register across its call into C.
extension JITModuleCode {
    /// The table word counting down defined function `definedIndex`'s calls and iterations.
    static func counterIndex(_ definedIndex: Int, functionCount: Int) -> Int { functionCount + 1 + definedIndex }

    /// The tier-up stub: eax = the defined index. Returns nothing; keeps every register the
    /// baseline code may have live.
    static func emitTierUpStub(_ a: inout X64Assembler, objectSlot: Label) -> Label {
        let stub = a.newLabel("tier_up")
        a.align(16)
        a.bind(stub)
        a.push(.rbp)
        a.mov(.i64, .rbp, .rsp)
        a.push(.r10)
        a.push(.r11)
        a.lea(.i64, .rsp, Mem(.rbp, -16 - 256))
        for x in XMM.allCases { a.movups(Mem(.rsp, Int32(16 * Int(x.rawValue))), x) }
        a.and(.i64, .rsp, -16)
        a.mov(.i64, .rdi, Mem.rip(objectSlot))
        a.mov(.i32, .rsi, .rax)
        a.movabs(.rax, UInt64(Helpers.requestTierUp))
        a.call(.rax)
        a.lea(.i64, .rsp, Mem(.rbp, -16 - 256))
        for x in XMM.allCases { a.movups(x, Mem(.rsp, Int32(16 * Int(x.rawValue)))) }
        a.mov(.i64, .r10, Mem(.rbp, -8))
        a.mov(.i64, .r11, Mem(.rbp, -16))
        a.leave()
        a.ret()
        return stub
    }

    /// Asks for defined function `definedIndex` to be optimized (once): its counter goes out of
    /// reach, so that its entries stop calling the stub while the compile is pending.
    func requestTierUp(definedIndex: Int) {
        guard let policy = lazyEnv?.tierUp, let space else { return }
        let counter = Self.counterIndex(definedIndex, functionCount: space.tableCount / 2)
        space.table[counter] = UInt(Int64.max >> 1)
        let first = lock.withLock { tierUpRequested.insert(definedIndex).inserted }
        guard first else { return }
        if policy.background {
            Self.tierUpQueue.async { self.optimize(definedIndex: definedIndex) }
        } else {
            optimize(definedIndex: definedIndex)
        }
    }

    /// One background thread compiles for every module: optimized code only replaces code
    /// that already runs, so there is no hurry, and the program keeps the other core.
    static let tierUpQueue = DispatchQueue(label: "wasmoon.tier-up", qos: .utility)

    /// Compiles defined function `definedIndex` with the optimizing tier and publishes the
    /// code (its table word). A decline leaves the baseline code in place (and is counted).
    func optimize(definedIndex: Int) {
        guard let space, let lazyEnv else { return }
        lock.withLock {
            let t0 = Self.threadCPUSeconds()
            let origin = space.nextOffset
            var a = X64Assembler(capacity: 4096)
            var (env, entry) = lazyAssembler(&a, lazyEnv, space: space, origin: origin)
            env.tier = .optimized
            let record: CompiledFunctionRecord
            do {
                var compiler = try OptimizingCompiler(module: module, env: env, definedIndex: definedIndex)
                try compiler.compile(&a, entry: entry)
                record = compiler.record
                a.finish()
                if let error = a.completionError { throw JITError("internal compiler error: \(error)") }
            } catch let decline as IRDecline {
                map.declines[definedIndex] = decline.reason
                lazyEnv.declineLog?.record(decline.reason)
                return
            } catch {
                // A bug of ours: the baseline code stays; the decline list test sees the reason.
                let reason = "internal compiler error: \(error)"
                map.declines[definedIndex] = reason
                lazyEnv.declineLog?.record(reason)
                return
            }
            guard let start = try? space.append(a) else { return }  // a full code space keeps the baseline
            let seconds = Self.threadCPUSeconds() - t0
            map.add(record, definedIndex: definedIndex, start: start, end: start + a.offset, origin: start,
                    seconds: seconds)
            map.optimizedAt[map.starts.count - 1] = Self.wallSeconds() - preparedAt
            totalSeconds += seconds
            let address = UInt(bitPattern: codeBase + start)
            if PerfMap.isEnabled {
                PerfMap.record(address: address, size: a.offset, module: module, functionIndex: importCount + definedIndex)
            }
            wasmoon_store_release(UnsafeMutableRawPointer(space.table + definedIndex).assumingMemoryBound(to: Int64.self),
                                  Int64(bitPattern: UInt64(address)))
        }
    }

    /// An assembler for one function compiled alone at code-space offset `origin`: the module
    /// stubs bound to their offsets, the env calling through the table.
    func lazyAssembler(_ a: inout X64Assembler, _ base: ModuleEnv, space: CodeSpace, origin: Int) -> (ModuleEnv, Label) {
        var env = base
        let trapTail = a.newLabel(), hostStub = a.newLabel(), resumeStub = a.newLabel(), entry = a.newLabel()
        a.bind(trapTail, toOffset: trapTailOffset - origin)
        a.bind(hostStub, toOffset: hostStubOffset - origin)
        a.bind(resumeStub, toOffset: resumeStubOffset - origin)
        env.calls = .throughTable(space, origin: codeBase + origin, stubs: codeBase + stubsOffset)
        env.trapTail = trapTail
        env.hostStub = hostStub
        env.resumeStub = resumeStub
        if base.tier == .tiered {
            let tierUp = a.newLabel()
            a.bind(tierUp, toOffset: tierUpStubOffset - origin)
            env.tierUpStub = tierUp
        }
        return (env, entry)
    }

    /// CPU seconds of the calling thread (compiles may run on the tier-up thread).
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func wallSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

extension FunctionCompiler {
    /// Tiered code counts down its counter at the entry and at loop headers; at an entry that
    /// finds it at zero or below, it calls the tier-up stub (out of line; the stub keeps every
    /// register). Loops only count: without on-stack replacement, optimized code runs from the
    /// next call, so a function that loops a lot but is called once (a program's main loop)
    /// would be compiled for nothing.
    mutating func emitTierUpCount(atEntry: Bool, _ a: inout X64Assembler) {
        guard env.tier == .tiered, let stub = env.tierUpStub, case .throughTable(let space, let origin, _) = env.calls
        else { return }
        let definedIndex = functionIndex - env.importCount
        let functionCount = space.tableCount / 2
        let counter = a.newLabel()
        let word = space.tableAddress(JITModuleCode.counterIndex(definedIndex, functionCount: functionCount))
        a.bind(counter, toOffset: Int(bitPattern: word) - Int(bitPattern: origin))
        a.sub(.i64, Mem.rip(counter), 1)
        guard atEntry else { return }
        let site = a.newLabel("tier_up_site"), back = a.newLabel()
        a.j(.le, site)
        a.bind(back)
        tierUpSites.append((site, back, stub))
    }

    /// The out-of-line calls of the tier-up stub.
    mutating func emitTierUpSites(_ a: inout X64Assembler) {
        for (site, back, stub) in tierUpSites {
            a.bind(site)
            a.mov(.i32, .rax, Int64(functionIndex - env.importCount))
            a.call(stub)
            a.jmp(back)
        }
    }
}
