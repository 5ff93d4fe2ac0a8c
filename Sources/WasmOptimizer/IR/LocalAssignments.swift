import WasmCore

/// Which locals each control construct of a function body assigns (`local.set`, `local.tee`)
/// anywhere inside, nested constructs included: found in one pass before the SSA builder
/// starts (as V8's loop assignment analysis, for every construct). A region is a whole
/// `block`, `loop` or `if` (keyed by its opening instruction) or an `if`'s then-arm (keyed by
/// its `else`). The builder uses them two ways:
/// - a loop header gets parameters only for the locals its loop assigns (any other local has
///   its value from before the loop);
/// - the builder's dense record of the locals' current values stays valid across a region's
///   end for every local the region does not assign (only those are looked up again).
struct LocalAssignments {
    /// Per region: its assigned locals, sorted, at `locals[start[k] ..< start[k + 1]]`.
    private var start: [Int32] = [0]
    private var locals: [Int32] = []
    /// Per instruction index: the region it opens (-1: none).
    private var regionAt: [Int32] = []
    /// Whether the body has an exception-handling instruction (the same pass finds them: the
    /// tier declines such functions, even when the instruction is unreachable).
    private(set) var usesExceptions = false
    /// How many blocks the SSA builder makes at most for the body (to size its tables).
    private(set) var blockEstimate = 2

    /// No regions.
    init() {}

    /// The regions of `instructions` (a decoded function body) and what they assign.
    init(_ instructions: [Instruction], localCount: Int) {
        regionAt = Array(repeating: -1, count: instructions.count)
        // The open regions, innermost last: the instruction that keys it (-1 for a then-arm
        // whose `else` is not seen yet), where its locals found so far start in `found`, a
        // serial number (for `lastRegion`), and whether it is a then-arm.
        var open: [(key: Int, foundStart: Int, serial: Int, isArm: Bool)] = []
        var found: [Int32] = []
        if instructions.count > 64 {  // (small bodies: the few regions they have grow the arrays)
            open.reserveCapacity(16)
            found.reserveCapacity(32)
            start.reserveCapacity(32)
            locals.reserveCapacity(64)
        }
        // The innermost region each local was last added to (a local appears once per region).
        var lastRegion = [Int](repeating: -1, count: localCount)
        var serial = 0
        for (index, instruction) in instructions.enumerated() {
            var opens = false, arm = false, closes = 0
            switch instruction {
            case .block:
                opens = true
                blockEstimate += 1
            case .loop:
                opens = true
                blockEstimate += 2
            case .tryTable, .legacyTry:
                usesExceptions = true
                opens = true
            case .if:
                opens = true
                arm = true
                blockEstimate += 3
            case .brIf:
                blockEstimate += 1
            case .else:
                guard open.last?.isArm == true else { break }
                open[open.count - 1].key = index  // the then-arm ends here, keyed by its `else`
                closes = 1
            case .end:
                if open.last?.isArm == true { closes += 1 }  // an `if` without `else`
                if open.count > closes { closes += 1 }  // (the function's own `end` closes nothing)
            case .legacyCatch, .legacyCatchAll, .delegate, .throw, .throwRef, .rethrow:
                usesExceptions = true
            case .localSet(let local), .localTee(let local):
                guard let region = open.last, Int(local) < localCount, lastRegion[Int(local)] != region.serial else { break }
                lastRegion[Int(local)] = region.serial
                found.append(Int32(local))
            default:
                break
            }
            if opens {
                serial += 1
                open.append((index, found.count, serial, false))
                if arm {
                    serial += 1
                    open.append((-1, found.count, serial, true))
                }
            }
            for _ in 0..<closes {
                // A region's locals, sorted, become its entry (a then-arm without `else` is no
                // region of its own); the enclosing region assigns them too: they stay in
                // `found` as its own, once each.
                let region = open.removeLast()
                if region.key >= 0 {
                    found[region.foundStart...].sort()
                    regionAt[region.key] = Int32(start.count - 1)
                    locals += found[region.foundStart...]
                    start.append(Int32(locals.count))
                }
                var kept = region.foundStart
                if let outer = open.last {
                    for i in region.foundStart..<found.count where lastRegion[Int(found[i])] != outer.serial {
                        lastRegion[Int(found[i])] = outer.serial
                        found[kept] = found[i]
                        kept += 1
                    }
                }
                found.removeSubrange(kept...)
            }
        }
    }

    /// The region the instruction at `instructionIndex` opens, if it opens one.
    func region(at instructionIndex: Int) -> Int32? {
        guard instructionIndex >= 0, instructionIndex < regionAt.count, regionAt[instructionIndex] >= 0 else { return nil }
        return regionAt[instructionIndex]
    }

    /// The locals region `region` assigns, sorted.
    func assigned(in region: Int32) -> ArraySlice<Int32> { locals[Int(start[Int(region)])..<Int(start[Int(region) + 1])] }

    /// Whether region `region` assigns `local` anywhere inside.
    func assigns(region: Int32, local: Int) -> Bool {
        var low = Int(start[Int(region)]), high = Int(start[Int(region) + 1])
        let end = high
        while low < high {
            let middle = (low + high) / 2
            if locals[middle] < local { low = middle + 1 } else { high = middle }
        }
        return low < end && locals[low] == local
    }
}
