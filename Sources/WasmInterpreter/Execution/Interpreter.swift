import WasmCore
import WasmRuntime

/// The interpreter's state outside the four values every handler keeps in
/// registers (`pc`, `fp`, memory base and size): handlers reach it through a
/// pointer; the driver reads it when the handler chain returns.
struct Registers {
    /// Saved by a handler that returns to the driver.
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
    /// Set when the chain exits with `.trap`.
    var trap: TrapCode = .unreachable
    /// Set with a `callStackExhausted` trap of a call instruction: its callee, which may
    /// only need translating (`InterpreterModuleCode.untranslatedFrameSize`).
    var pendingCallee: UnsafeMutablePointer<FunctionInfo>? = nil
    /// Profiling (`WASMOON_INTERP_PROFILE`): the real handler table and per-opcode counts.
    var profileTable: UnsafeRawPointer? = nil
    var profileCounts: UnsafeMutablePointer<UInt64>? = nil
}

/// Why the handler chain returned to the driver.
enum Exit: UInt8 {
    /// The entry function returned.
    case returned
    /// `registers.trap` happened at `registers.pc`.
    case trap
    /// The instruction at `pc` needs the driver (host or cross-instance
    /// calls, memory/table growth and bulk operations).
    case slow
    /// A return reached a frame of another instance: reload its context.
    case switchInstance
    /// Debug builds only: the next instruction is at `registers.pc` (no tail calls at -Onone).
    case next
}

/// An instruction handler. The head word's opcode byte indexes a table of
/// these; each handler does its instruction and ends with a call of the next
/// instruction's handler in tail position, which release builds compile to an
/// indirect `jmp` (a sibling call: same signature, all arguments in registers).
/// Every handler thus has its own dispatch jump (direct threading), and
/// `pc`, `fp`, the memory base and size stay in argument registers.
/// `scripts/check-interpreter-loop.sh` verifies that no handler makes a
/// non-tail call (the chain would grow the native stack).
typealias Handler = @convention(thin) (
    _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ mem: UnsafeMutableRawPointer,
    _ memSize: UInt64, _ table: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>
) -> Exit

/// Wasm calls within an instance push a `CallFrame` and continue in the
/// chain, so wasm recursion never recurses in Swift. Anything that needs Swift
/// objects or libc (host calls, cross-instance calls, growth, bulk memory and
/// table operations, building a trap) makes the handler save `pc`/`fp` and
/// return to the driver `execute` (`Interpreter+Driver.swift`), which does it
/// and resumes.
enum Interpreter {
    /// A lone `ret` instruction: the continuation after a host function
    /// reached by a tail call.
    nonisolated(unsafe) static let returnStub: UnsafeMutablePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        p.initialize(to: Word.make(.ret))
        return p
    }()

    /// The code of every function not translated yet: one `lazyEntry` instruction.
    nonisolated(unsafe) static let lazyEntry: UnsafeMutablePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        p.initialize(to: Word.make(.lazyEntry))
        return p
    }()

    /// The handler of every dispatch index (`Word.dispatchIndex`: opcode and k), 65536
    /// entries: each opcode's handler repeated for the 64 values of k.
    nonisolated(unsafe) static let handlerTable: UnsafeRawPointer = makeTable { handler(Op(rawValue: UInt16($0)) ?? .unreachable) }

    /// Every entry is `countingHandler` (profiling mode).
    nonisolated(unsafe) static let profilingTable: UnsafeRawPointer = makeTable { _ in countingHandler }

    static func makeTable(_ handlerOf: (Int) -> Handler) -> UnsafeRawPointer {
        let perOp = (0..<Word.opcodeLimit).map(handlerOf)
        let t = UnsafeMutablePointer<Handler>.allocate(capacity: Word.opcodeLimit << 6)
        for i in 0..<(Word.opcodeLimit << 6) { (t + i).initialize(to: perOp[i >> 6]) }
        return UnsafeRawPointer(t)
    }

    /// Counts the instruction (per opcode, per function, per pair with the one executed before), then runs its real handler.
    static let countingHandler: Handler = { pc, fp, m, ms, t, r in
        let op = Int(Word.op(pc.pointee).rawValue)
        let counts = r.pointee.profileCounts.unsafelyUnwrapped
        counts[op] &+= 1
        counts[Word.opcodeLimit + min(Int(r.pointee.cur.pointee.functionIndex), Interpreter.profiledFunctions - 1)] &+= 1
        let pairs = counts + Word.opcodeLimit + Interpreter.profiledFunctions
        pairs[Int(truncatingIfNeeded: pairs[Interpreter.profiledPairs]) &* Word.opcodeLimit &+ op] &+= 1
        pairs[Interpreter.profiledPairs] = UInt64(op)
        let h = r.pointee.profileTable.unsafelyUnwrapped.assumingMemoryBound(to: Handler.self)[Word.dispatchIndex(pc.pointee)]
        return h(pc, fp, m, ms, t, r)
    }

    /// Functions counted separately by the profile (higher indices share the last counter).
    static let profiledFunctions = 65536
    /// Counters of opcode pairs in the profile.
    static let profiledPairs = Word.opcodeLimit * Word.opcodeLimit

    /// Runs from `r` until the entry function returns, a trap, or an
    /// instruction the driver must handle; the exiting handler saves `pc`/`fp` to `r`.
    static func run(_ r: inout Registers) -> Exit {
        let table = r.profileCounts == nil ? handlerTable : profilingTable
        return withUnsafeMutablePointer(to: &r) { rp in
            let memSize = UInt64(UInt(bitPattern: rp.pointee.memDef.pointee.byteCount))
            let mem = rp.pointee.memBase
            #if DEBUG
            while true {
                let e = next(rp.pointee.pc, rp.pointee.fp, mem, memSize, table, rp)
                if e != .next { return e }
            }
            #else
            return next(rp.pointee.pc, rp.pointee.fp, mem, memSize, table, rp)
            #endif
        }
    }

    // MARK: Handler building blocks (all inlined into the handlers)

    /// Runs the instruction at `pc`: a tail call of its handler.
    @inline(__always)
    static func next(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        let h = t.assumingMemoryBound(to: Handler.self)[Word.dispatchIndex(pc.pointee)]
        return h(pc, fp, m, ms, t, r)
    }

    /// Continues with the instruction at `pc` (in debug builds: via the driver's loop).
    @inline(__always)
    static func then(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        #if DEBUG
        r.pointee.pc = pc
        r.pointee.fp = fp
        return .next
        #else
        return next(pc, fp, m, ms, t, r)
        #endif
    }

    /// Returns to the driver with `pc`/`fp` saved.
    @inline(__always)
    static func exit(
        _ e: Exit, _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>,
        _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        r.pointee.pc = pc
        r.pointee.fp = fp
        return e
    }

    /// A call instruction found no room for `callee`'s frame: a trap, unless the
    /// callee is only untranslated (the driver decides, see `pendingCallee`).
    @inline(never)
    static func callStackExhausted(
        _ callee: UnsafeMutablePointer<FunctionInfo>, _ pc: UnsafeMutablePointer<UInt64>,
        _ fp: UnsafeMutablePointer<UInt64>, _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        r.pointee.pendingCallee = callee
        return trap(.callStackExhausted, pc, fp, r)
    }

    @inline(__always)
    static func trap(
        _ code: TrapCode, _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>,
        _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        r.pointee.trap = code
        return exit(.trap, pc, fp, r)
    }

    /// `fp[C] = op(fp[A], fp[B])`
    @inline(__always)
    static func binary(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (UInt64, UInt64) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        fp[Word.c(w)] = op(fp[Word.a(w)], fp[Word.b(w)])
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `fp[C] = op(fp[A])`
    @inline(__always)
    static func unary(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (UInt64) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        fp[Word.c(w)] = op(fp[Word.a(w)])
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `fp[C] = op(fp[A], fp[B], k)`: a fused pair with the constant shift amount k.
    @inline(__always)
    static func fused(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (UInt64, UInt64, UInt64) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        fp[Word.c(w)] = op(fp[Word.a(w)], fp[Word.b(w)], Word.k(w))
        return then(pc + 1, fp, m, ms, t, r)
    }

    /// `fp[C] = op(fp[A], fp[B], fp[w1])`: two binary operations fused.
    @inline(__always)
    static func chained(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ op: (UInt64, UInt64, UInt64) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        fp[Word.c(w)] = op(fp[Word.a(w)], fp[Word.b(w)], fp[Int(truncatingIfNeeded: pc[1])])
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// `if cond(fp[A], fp[B]) { pc += rel(w1) } else { pc += 2 }`
    @inline(__always)
    static func branch(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ cond: (UInt64, UInt64) -> Bool
    ) -> Exit {
        let w = pc.pointee
        let npc = pc + (cond(fp[Word.a(w)], fp[Word.b(w)]) ? Int(truncatingIfNeeded: pc[1]) : 2)
        return then(npc, fp, m, ms, t, r)
    }

    /// `fp[C] = u32(fp[A] + fp[B]); if cond(fp[C], fp[w1 >> 32]) { pc += i32(w1) } else { pc += 2 }`
    @inline(__always)
    static func addBranch(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, _ cond: (UInt32, UInt32) -> Bool
    ) -> Exit {
        let w = pc.pointee
        let w1 = pc[1]
        let sum = u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])
        fp[Word.c(w)] = UInt64(sum)
        let taken = cond(sum, u32(fp[Int(truncatingIfNeeded: w1 &>> 32)]))
        return then(pc + (taken ? Int(truncatingIfNeeded: Int32(truncatingIfNeeded: w1)) : 2), fp, m, ms, t, r)
    }

    /// `fp[C] = load(ea)` for an access of `size` bytes at `ea = u32(fp[A] + fp[B]) + w1`.
    @inline(__always)
    static func load(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, size: UInt64,
        _ load: (UnsafeMutableRawPointer) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
        if ea &+ size > ms { return trap(.outOfBoundsMemoryAccess, pc, fp, r) }
        fp[Word.c(w)] = load(m + Int(truncatingIfNeeded: ea))
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// `fp[C] = load(ea)` at `ea = u32((fp[A] << k) + fp[B]) + offset`, w1 = offset | k << 32.
    @inline(__always)
    static func loadScaled(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, size: UInt64,
        _ load: (UnsafeMutableRawPointer) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        let w1 = pc[1]
        let ea = UInt64((u32(fp[Word.a(w)]) &<< u32(w1 &>> 32)) &+ u32(fp[Word.b(w)])) &+ (w1 & 0xFFFF_FFFF)
        if ea &+ size > ms { return trap(.outOfBoundsMemoryAccess, pc, fp, r) }
        fp[Word.c(w)] = load(m + Int(truncatingIfNeeded: ea))
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// `fp[C] = load(ea)` at `ea = u32((combine(fp[A], fp[B]) << k) + fp[base]) + offset`,
    /// w1 = offset | base << 32, k = `Word.k`.
    @inline(__always)
    static func loadCombinedScaled(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, size: UInt64,
        _ combine: (UInt32, UInt32) -> UInt32, _ load: (UnsafeMutableRawPointer) -> UInt64
    ) -> Exit {
        let w = pc.pointee
        let w1 = pc[1]
        let index = combine(u32(fp[Word.a(w)]), u32(fp[Word.b(w)])) &<< UInt32(truncatingIfNeeded: Word.k(w))
        let ea = UInt64(index &+ u32(fp[Int(truncatingIfNeeded: w1 &>> 32)])) &+ (w1 & 0xFFFF_FFFF)
        if ea &+ size > ms { return trap(.outOfBoundsMemoryAccess, pc, fp, r) }
        fp[Word.c(w)] = load(m + Int(truncatingIfNeeded: ea))
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// `store(ea, fp[C])` for an access of `size` bytes at `ea = u32(fp[A] + fp[B]) + w1`.
    @inline(__always)
    static func store(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>, size: UInt64,
        _ store: (UnsafeMutableRawPointer, UInt64) -> Void
    ) -> Exit {
        let w = pc.pointee
        let ea = UInt64(u32(fp[Word.a(w)]) &+ u32(fp[Word.b(w)])) &+ pc[1]
        if ea &+ size > ms { return trap(.outOfBoundsMemoryAccess, pc, fp, r) }
        store(m + Int(truncatingIfNeeded: ea), fp[Word.c(w)])
        return then(pc + 2, fp, m, ms, t, r)
    }

    /// Enters `callee`, whose frame starts at `newFP` (arguments in place); the caller continues at `returnPC`.
    @inline(__always)
    static func enter(
        _ callee: UnsafeMutablePointer<FunctionInfo>, newFP: UnsafeMutablePointer<UInt64>,
        returnPC: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        let frame = r.pointee.frame
        frame.pointee = CallFrame(returnPC: returnPC, fp: fp, info: r.pointee.cur, instance: r.pointee.instance)
        r.pointee.frame = frame + 1
        initFrame(newFP, callee)
        r.pointee.cur = callee
        return then(callee.pointee.code, newFP, m, ms, t, r)
    }

    /// Returns from the running function (results already in `fp[0...]`).
    @inline(__always)
    static func leave(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer,
        _ ms: UInt64, _ t: UnsafeRawPointer, _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        var frame = r.pointee.frame
        if frame == r.pointee.frameBase { return exit(.returned, pc, fp, r) }
        frame -= 1
        r.pointee.frame = frame
        let npc = frame.pointee.returnPC
        let nfp = frame.pointee.fp
        r.pointee.cur = frame.pointee.info
        let inst = frame.pointee.instance
        if inst != r.pointee.instance {
            r.pointee.instance = inst
            return exit(.switchInstance, npc, nfp, r)
        }
        return then(npc, nfp, m, ms, t, r)
    }

    /// The defined function of the running instance that `call_indirect` reaches, or an exit
    /// (a trap, or `.slow` for a function of another instance or the host).
    @inline(__always)
    static func indirectCallee(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ r: UnsafeMutablePointer<Registers>
    ) -> (UnsafeMutablePointer<FunctionInfo>?, Exit) {
        let imm = pc[1]
        let ctx = r.pointee.ctx
        let table = ctx.pointee.tables[Int(truncatingIfNeeded: imm &>> 32)]
        let i = Int(truncatingIfNeeded: u32(fp[Word.b(pc.pointee)]))
        if i >= table.pointee.count { return (nil, trap(.undefinedElement, pc, fp, r)) }
        let raw = table.pointee.elements[i]
        if raw == 0 { return (nil, trap(.uninitializedElement, pc, fp, r)) }
        let f = functionFields(raw)
        // Other type ids (a declared subtype matches too, or the trap) and other instances:
        // the driver's `indirectTarget` decides.
        if f.typeID != ctx.pointee.typeIDs[Int(truncatingIfNeeded: imm & 0xFFFF_FFFF)]
            || f.instance != r.pointee.instance
        {
            return (nil, exit(.slow, pc, fp, r))
        }
        return (r.pointee.cur.pointee.moduleFunctions + Int(f.index), .next)
    }

    /// Enters `callee` (of this instance) for a `callIndirect`/`callRef` at `pc`: args at
    /// `fp + A`, C argument slots listed after w1.
    @inline(__always)
    static func callFound(
        _ callee: UnsafeMutablePointer<FunctionInfo>, _ pc: UnsafeMutablePointer<UInt64>,
        _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer, _ ms: UInt64, _ t: UnsafeRawPointer,
        _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        let w = pc.pointee
        let newFP = fp + Word.a(w)
        if r.pointee.frame == r.pointee.framesEnd || newFP + callee.pointee.frameSize > r.pointee.stackEnd {
            return callStackExhausted(callee, pc, fp, r)
        }
        let n = Word.c(w)
        gatherArguments(n, from: fp, slots: pc + 2, to: newFP)
        return enter(callee, newFP: newFP, returnPC: pc + 2 + (n &+ 3) &>> 2, fp, m, ms, t, r)
    }

    /// Replaces the running frame with `callee`'s (arguments already in `fp[0..<n]`).
    @inline(__always)
    static func tailCallFound(
        _ callee: UnsafeMutablePointer<FunctionInfo>, _ pc: UnsafeMutablePointer<UInt64>,
        _ fp: UnsafeMutablePointer<UInt64>, _ m: UnsafeMutableRawPointer, _ ms: UInt64, _ t: UnsafeRawPointer,
        _ r: UnsafeMutablePointer<Registers>
    ) -> Exit {
        if fp + callee.pointee.frameSize > r.pointee.stackEnd { return callStackExhausted(callee, pc, fp, r) }
        initFrame(fp, callee)
        r.pointee.cur = callee
        return then(callee.pointee.code, fp, m, ms, t, r)
    }

    /// The callee of a `call_ref` (the reference in `fp[B]`): traps on null; leaves for the
    /// driver when the function is not one of this instance's.
    @inline(__always)
    static func referencedCallee(
        _ pc: UnsafeMutablePointer<UInt64>, _ fp: UnsafeMutablePointer<UInt64>, _ r: UnsafeMutablePointer<Registers>
    ) -> (UnsafeMutablePointer<FunctionInfo>?, Exit) {
        let raw = fp[Word.b(pc.pointee)]
        if raw == 0 { return (nil, trap(.nullFunctionReference, pc, fp, r)) }
        let f = functionFields(raw)
        if f.instance != r.pointee.instance { return (nil, exit(.slow, pc, fp, r)) }
        return (r.pointee.cur.pointee.moduleFunctions + Int(f.index), .next)
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
