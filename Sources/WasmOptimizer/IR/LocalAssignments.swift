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

    /// No regions.
    init() {}

    /// The regions of `instructions` (a decoded function body) and what they assign.
    init(_ instructions: [Instruction], localCount: Int) {
        regionAt = Array(repeating: -1, count: instructions.count)
        // The open regions, innermost last: (instruction that keys it, -1 for a then-arm whose
        // `else` is not seen yet; locals found so far; whether it is a construct or a then-arm).
        var open: [(key: Int, found: [Int32], isArm: Bool)] = []
        // The innermost region each local was last added to (a local appears once per region).
        var lastRegion = [Int](repeating: -1, count: localCount)
        var serial = 0  // a number per opened region, for `lastRegion`
        var serials: [Int] = []
        var closed: [(key: Int, locals: [Int32])] = []
        func close() {
            let region = open.removeLast()
            serials.removeLast()
            let sorted = region.found.sorted()
            if region.key >= 0 { closed.append((region.key, sorted)) }
            // What an inner region assigns, the enclosing one assigns too.
            guard let outer = serials.last else { return }
            for local in sorted where lastRegion[Int(local)] != outer {
                lastRegion[Int(local)] = outer
                open[open.count - 1].found.append(local)
            }
        }
        func openRegion(key: Int, isArm: Bool) {
            open.append((key, [], isArm))
            serial += 1
            serials.append(serial)
        }
        for (index, instruction) in instructions.enumerated() {
            switch instruction {
            case .block, .loop, .tryTable, .legacyTry:
                if case .tryTable = instruction { usesExceptions = true }
                if case .legacyTry = instruction { usesExceptions = true }
                openRegion(key: index, isArm: false)
            case .if:
                openRegion(key: index, isArm: false)
                openRegion(key: -1, isArm: true)
            case .else:
                guard open.last?.isArm == true else { break }
                open[open.count - 1].key = index  // the then-arm ends here, keyed by its `else`
                close()
            case .end:
                if open.last?.isArm == true { close() }  // an `if` without `else`
                if !open.isEmpty { close() }  // (the function's own `end` closes nothing)
            case .legacyCatch, .legacyCatchAll, .delegate, .throw, .throwRef, .rethrow:
                usesExceptions = true
            case .localSet(let local), .localTee(let local):
                guard let region = serials.last, Int(local) < localCount, lastRegion[Int(local)] != region else { break }
                lastRegion[Int(local)] = region
                open[open.count - 1].found.append(Int32(local))
            default:
                break
            }
        }
        for (key, list) in closed {
            regionAt[key] = Int32(start.count - 1)
            locals += list
            start.append(Int32(locals.count))
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
