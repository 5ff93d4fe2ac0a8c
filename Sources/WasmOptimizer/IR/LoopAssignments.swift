import WasmCore

/// Which locals each `loop` of a function body assigns (`local.set`, `local.tee`) anywhere
/// inside, nested constructs included: found in one pass before the SSA builder starts, so
/// that a loop header gets parameters only for locals that can change around the loop (as
/// V8's loop assignment analysis does). Without it every local read in a loop became a header
/// parameter, nearly all of them trivial for `Simplify` to remove again.
struct LoopAssignments {
    /// Per loop, in order of appearance: the instruction index of its `loop`.
    private var loopInstructions: [Int32] = []
    /// Per loop: its assigned locals, sorted, at `locals[start[k] ..< start[k + 1]]`.
    private var start: [Int32] = [0]
    private var locals: [Int32] = []

    /// No loops.
    init() {}

    /// The loops of `instructions` (a decoded function body) and what they assign.
    init(_ instructions: [Instruction], localCount: Int) {
        // Per open construct: the loop it is (-1: not a loop); per open loop, the locals found
        // so far (a local appears once per loop: `lastLoop` remembers the innermost it was added to).
        var constructs: [Int32] = []
        var found: [[Int32]] = []
        var openLoops: [Int32] = []
        var lastLoop = [Int32](repeating: -1, count: localCount)
        var assigned: [[Int32]] = []
        for (index, instruction) in instructions.enumerated() {
            switch instruction {
            case .loop:
                let loop = Int32(loopInstructions.count)
                loopInstructions.append(Int32(index))
                assigned.append([])
                found.append([])
                constructs.append(loop)
                openLoops.append(loop)
            case .block, .if, .tryTable, .legacyTry:
                constructs.append(-1)
            case .end:
                guard let loop = constructs.popLast() else { break }  // the function's own end
                guard loop >= 0 else { break }
                openLoops.removeLast()
                let inner = found[Int(loop)].sorted()
                assigned[Int(loop)] = inner
                // What an inner loop assigns, its enclosing loop assigns too.
                if let outer = openLoops.last {
                    for local in inner where lastLoop[Int(local)] != outer {
                        lastLoop[Int(local)] = outer
                        found[Int(outer)].append(local)
                    }
                }
                found[Int(loop)] = []
            case .localSet(let local), .localTee(let local):
                guard let loop = openLoops.last, Int(local) < localCount, lastLoop[Int(local)] != loop else { break }
                lastLoop[Int(local)] = loop
                found[Int(loop)].append(Int32(local))
            default:
                break
            }
        }
        for list in assigned {
            locals += list
            start.append(Int32(locals.count))
        }
    }

    /// The loop whose `loop` instruction is at `instructionIndex`, if one is.
    func loop(at instructionIndex: Int) -> Int? {
        var low = 0, high = loopInstructions.count
        while low < high {
            let middle = (low + high) / 2
            if loopInstructions[middle] < instructionIndex { low = middle + 1 } else { high = middle }
        }
        return low < loopInstructions.count && loopInstructions[low] == instructionIndex ? low : nil
    }

    /// Whether loop `loop` assigns `local` anywhere inside.
    func assigns(loop: Int, local: Int) -> Bool {
        var low = Int(start[loop]), high = Int(start[loop + 1])
        while low < high {
            let middle = (low + high) / 2
            if locals[middle] < local { low = middle + 1 } else { high = middle }
        }
        return low < start[loop + 1] && locals[low] == local
    }
}
