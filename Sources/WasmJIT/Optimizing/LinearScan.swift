import WasmCore
import WasmOptimizer

/// Where a value lives for its whole interval.
enum ValueLocation: Equatable {
    /// Never read (or a fused compare): nowhere.
    case none
    /// A constant: rematerialized at each use.
    case constant(UInt64)
    case gpr(GPR)
    case xmm(XMM)
    /// Spill slot `n` of the frame.
    case stack(Int)
}

/// Linear-scan register allocation (Poletto and Sarkar) over `LiveIntervals`: intervals in
/// order of their start take a free register of their class; when none is free, the interval
/// that ends last (the new one or an active one) goes to a stack slot for its whole life.
///
/// - i32/i64 take a GPR: rsi, rdi, r8, r9, rdx (the callee may clobber them), then rbx, r12,
///   r11, r10 (preserved by wasm callees; the prologue saves the ones used). An interval that
///   spans a call gets only the preserved ones, one that spans a division not rdx. rax and rcx
///   stay free for the code generator (the dividend, shift counts, spilled operands, moves).
/// - f32/f64 take xmm2…xmm15 (xmm0 and xmm1 are the generator's); every XMM is clobbered
///   by calls, so an interval that spans one lives in a stack slot.
/// Spill slots are reused once the interval that held one has ended. A value passed along an
/// edge to a block parameter (or the parameter) takes the other's register when it is free,
/// so that the edge needs no move (a loop's back edge, mostly).
struct LinearScan {
    static let callerSaved: [GPR] = [.rsi, .rdi, .r8, .r9, .rdx]
    /// In the order the prologue saves them (FunctionCompiler.pinCandidates, the unwinder's order).
    static let calleeSaved: [GPR] = [.rbx, .r12, .r11, .r10]
    static let allocatableXMM: [XMM] = (2...15).map { XMM(rawValue: UInt8($0))! }

    var locations: [ValueLocation]
    /// How many of `calleeSaved` (a prefix) the function must save.
    var savedRegisterCount = 0
    var spillSlotCount = 0

    init(_ function: IRFunction, _ intervals: LiveIntervals) {
        let count = function.valueTypes.count
        locations = Array(repeating: .none, count: count)
        for v in 0..<count {
            if let bits = intervals.constants[v] { locations[v] = .constant(bits) }
        }
        // The values with an interval by start, then by id (a counting sort: positions are small).
        var bucketStart = [Int32](repeating: 0, count: Int(intervals.start.max() ?? 0) + 2)
        for v in 0..<count where intervals.start[v] >= 0 { bucketStart[Int(intervals.start[v]) + 1] += 1 }
        for k in 1..<bucketStart.count { bucketStart[k] += bucketStart[k - 1] }
        var sorted = [Int](repeating: 0, count: Int(bucketStart[bucketStart.count - 1]))
        for v in 0..<count where intervals.start[v] >= 0 {
            sorted[Int(bucketStart[Int(intervals.start[v])])] = v
            bucketStart[Int(intervals.start[v])] += 1
        }
        let everyGPR = Self.callerSaved + Self.calleeSaved, calleeSaved = Self.calleeSaved
        let allocatableXMM = Self.allocatableXMM
        var active: [Int] = []  // values holding a register
        var freeGPRs = RegisterSet(Self.callerSaved + Self.calleeSaved)
        var freeXMMs = RegisterSet(Self.allocatableXMM)
        var slotEnds: [Int32] = []  // per spill slot: where its last occupant's interval ends
        var usedCalleeSaved = RegisterSet<GPR>([])
        // Edge partners: each argument and the parameter it is passed to, as one array with
        // each value's partners at partners[partnerStart[v] ..< partnerStart[v + 1]].
        var partnerStart = [Int32](repeating: 0, count: count + 1)
        func forEachPair(_ body: (Int, Int) -> Void) {
            for block in function.blocks {
                block.terminator?.forEachEdge(in: function) { edge in
                    for (argument, parameter) in zip(function.values(edge.arguments), function.blocks[Int(edge.target.index)].parameters)
                    where intervals.start[Int(argument.id)] >= 0 && intervals.start[Int(parameter.id)] >= 0 {
                        body(Int(argument.id), Int(parameter.id))
                    }
                }
            }
        }
        forEachPair { argument, parameter in
            partnerStart[argument + 1] += 1
            partnerStart[parameter + 1] += 1
        }
        for v in 0..<count { partnerStart[v + 1] += partnerStart[v] }
        var partners = [Int32](repeating: 0, count: Int(partnerStart[count]))
        var filled = partnerStart
        forEachPair { argument, parameter in
            partners[Int(filled[argument])] = Int32(parameter)
            filled[argument] += 1
            partners[Int(filled[parameter])] = Int32(argument)
            filled[parameter] += 1
        }
        for v in sorted {
            let position = intervals.start[v]
            active.removeAll { other in
                guard intervals.end[other] < position else { return false }
                switch locations[other] {
                case .gpr(let r): freeGPRs.insert(r)
                case .xmm(let x): freeXMMs.insert(x)
                default: break
                }
                return true
            }
            let isFloat = function.valueTypes[v] == .f32 || function.valueTypes[v] == .f64
            let crosses = intervals.crossesCall(v)
            if isFloat {
                if crosses {
                    locations[v] = .stack(Self.takeSpillSlot(&slotEnds, from: position, to: intervals.end[v]))
                    continue
                }
                var hint: XMM?
                if case .xmm(let x)? = Self.hint(v, partnerStart, partners, locations, freeGPRs, freeXMMs) { hint = x }
                if let x = hint ?? allocatableXMM.first(where: { freeXMMs.contains($0) }) {
                    freeXMMs.remove(x)
                    locations[v] = .xmm(x)
                    active.append(v)
                    continue
                }
            } else {
                let avoidRDX = intervals.crossesDivision(v)
                let candidates = crosses ? calleeSaved : everyGPR
                var hint: GPR?
                if case .gpr(let r)? = Self.hint(v, partnerStart, partners, locations, freeGPRs, freeXMMs), candidates.contains(r), !(avoidRDX && r == .rdx) { hint = r }
                if let r = hint ?? candidates.first(where: { freeGPRs.contains($0) && !(avoidRDX && $0 == .rdx) }) {
                    freeGPRs.remove(r)
                    locations[v] = .gpr(r)
                    if calleeSaved.contains(r) { usedCalleeSaved.insert(r) }
                    active.append(v)
                    continue
                }
            }
            // No register free: the interval ending last among this one and the active ones
            // holding a register it could take goes to memory.
            let avoidsRDX = !isFloat && intervals.crossesDivision(v)
            var victim: Int?
            for other in active {
                let fits: Bool
                switch locations[other] {
                case .xmm: fits = isFloat
                case .gpr(let r):
                    fits = !isFloat && (!crosses || calleeSaved.contains(r))
                        && !(r == .rdx && avoidsRDX)
                default: fits = false
                }
                if fits, intervals.end[other] > intervals.end[victim ?? v] { victim = other }
            }
            if let victim {
                locations[v] = locations[victim]
                locations[victim] = .stack(Self.takeSpillSlot(&slotEnds, from: intervals.start[victim], to: intervals.end[victim]))
                active.removeAll { $0 == victim }
                active.append(v)
            } else {
                locations[v] = .stack(Self.takeSpillSlot(&slotEnds, from: position, to: intervals.end[v]))
            }
        }
        savedRegisterCount = Self.calleeSaved.lastIndex(where: { usedCalleeSaved.contains($0) }).map { $0 + 1 } ?? 0
        spillSlotCount = slotEnds.count
    }
}

extension LinearScan {
    /// A free register an edge partner of value `v` (an argument it is passed, or the
    /// parameter it is passed to) already holds, so that the edge needs no move.
    static func hint(_ v: Int, _ partnerStart: [Int32], _ partners: [Int32], _ locations: [ValueLocation],
                     _ freeGPRs: RegisterSet<GPR>, _ freeXMMs: RegisterSet<XMM>) -> ValueLocation? {
        for index in Int(partnerStart[v])..<Int(partnerStart[v + 1]) {
            switch locations[Int(partners[index])] {
            case .gpr(let r) where freeGPRs.contains(r): return .gpr(r)
            case .xmm(let x) where freeXMMs.contains(x): return .xmm(x)
            default: continue
            }
        }
        return nil
    }

    /// A spill slot free from `position` on (one whose last occupant ended before), now taken
    /// until `last`.
    static func takeSpillSlot(_ slotEnds: inout [Int32], from position: Int32, to last: Int32) -> Int {
        if let slot = slotEnds.firstIndex(where: { $0 < position }) {
            slotEnds[slot] = last
            return slot
        }
        slotEnds.append(last)
        return slotEnds.count - 1
    }
}

/// A set of registers as a bit mask (the allocator asks it thousands of times per function).
struct RegisterSet<Register: RawRepresentable<UInt8>> {
    private var bits: UInt32 = 0

    init(_ registers: [Register]) { registers.forEach { insert($0) } }

    func contains(_ register: Register) -> Bool { bits & (1 << UInt32(register.rawValue)) != 0 }
    mutating func insert(_ register: Register) { bits |= 1 << UInt32(register.rawValue) }
    mutating func remove(_ register: Register) { bits &= ~(1 << UInt32(register.rawValue)) }
}
