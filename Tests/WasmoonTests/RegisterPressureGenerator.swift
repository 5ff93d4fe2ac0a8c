/// Generates modules whose functions keep many values of both register classes live
/// while every kind of instruction runs: what a C compiler's output does to the JIT's
/// value-stack registers and pinned locals, and what wasm-smith never does (it has no
/// knobs for stack depth or locals). Seeded, so a failing seed reproduces.
///
/// Each function runs a counted loop (its counter and its busiest locals get pinned
/// registers). In the loop, statements push 4–27 live values of random types (beyond the
/// 7 GPRs and 16 XMMs of the value stack), then run one instruction under that
/// pressure (local.set/tee from every kind of source, global.set, stores, division,
/// variable shifts, calls, call_indirect, select, if/else, br_if, br_table, memory.size/
/// grow/fill/copy, conversions), then fold every live value into an accumulator.
/// Results never depend on NaN payloads: floats reach the result through
/// `trunc_sat`, and only integer-converted floats are stored to memory.
struct RegisterPressureGenerator {
    enum ValType: CaseIterable { case i32, i64, f32, f64 }

    private var state: UInt64
    private var lines: [String] = []
    private var depth = 0
    /// The next value is an operator's result (not a leaf).
    private var computed = false
    /// Only instructions the JIT keeps in registers (no float-to-int truncation, no
    /// unsigned i64-to-float conversion, no calls: those flush the value stack), so the
    /// statement's instruction meets the registers full.
    private var registerResident = false
    /// The most values a statement held live (beside its instruction's own operands).
    private(set) var mostLive = 0
    /// Locals by type (indices into the function's locals, params first).
    private let localsOf: [ValType: [Int]]

    static let params: [ValType] = [.i32, .i64, .f32, .f64]
    /// Non-parameter locals: six of each integer type, four of each float type, then the
    /// accumulator (i64) and the loop counter (i32).
    static let locals: [ValType] = Array(repeating: .i32, count: 6) + Array(repeating: .i64, count: 6)
        + Array(repeating: .f32, count: 4) + Array(repeating: .f64, count: 4)
    static var accumulator: Int { params.count + locals.count }
    static var counter: Int { params.count + locals.count + 1 }

    /// How many statements a loop body has.
    let statements: ClosedRange<Int>

    init(seed: UInt64, statements: ClosedRange<Int> = 3...8) {
        self.statements = statements
        state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        var byType: [ValType: [Int]] = [:]
        for (i, t) in (Self.params + Self.locals).enumerated() { byType[t, default: []].append(i) }
        localsOf = byType
    }

    // MARK: Randomness (SplitMix64)

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    private static func name(_ t: ValType) -> String {
        switch t {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        }
    }

    private mutating func emit(_ line: String) { lines.append(line) }

    // MARK: Module

    /// A module with `functions` exported functions `f0`…, each `(i32 i64 f32 f64) -> i64`,
    /// and `checksum` (an i64 over the first memory page).
    mutating func module(functions: Int) -> String {
        var text = """
            (module
              (type $unary (func (param i64) (result i64)))
              (memory 1 4)
              (global $g32 (mut i32) (i32.const 7))
              (global $g64 (mut i64) (i64.const 0x1234567890))
              (global $gf64 (mut f64) (f64.const 2.5))
              (table 2 funcref)
              (elem (i32.const 0) $mix $twist)
              (func $mix (type $unary) (i64.xor (i64.mul (local.get 0) (i64.const 0x9E3779B97F4A7C15)) (i64.const 17)))
              (func $twist (type $unary) (i64.rotl (local.get 0) (i64.const 13)))
              (func (export "checksum") (result i64) (local $i i32) (local $s i64)
                (loop $l
                  (local.set $s (i64.add (i64.rotl (local.get $s) (i64.const 5)) (i64.load (local.get $i))))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 8))) (i32.const 65536))))
                (local.get $s))

            """
        for f in 0..<functions { text += function(index: f) }
        return text + ")\n"
    }

    private mutating func function(index: Int) -> String {
        lines = []
        let localDecl = Self.locals.map { "(local \(Self.name($0)))" }.joined(separator: " ")
        emit("(func (export \"f\(index)\") (param i32 i64 f32 f64) (result i64) \(localDecl) (local i64) (local i32)")
        emit("loop $body")
        for _ in 0..<(statements.lowerBound + below(statements.count)) { statement() }
        // The counter: 2–4 iterations.
        emit("local.get \(Self.counter)")
        emit("i32.const 1")
        emit("i32.add")
        emit("local.tee \(Self.counter)")
        emit("i32.const \(2 + below(3))")
        emit("i32.lt_u")
        emit("br_if $body")
        emit("end")
        // Every local reaches the result.
        for i in 0..<(Self.params.count + Self.locals.count) {
            emit("local.get \(i)")
            toI64((Self.params + Self.locals)[i])
            fold()
        }
        emit("local.get \(Self.accumulator))")
        return lines.map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    /// Pushes live values, runs one instruction under their pressure, folds them.
    private mutating func statement() {
        if chance(15) {
            registerStorm()
            return
        }
        emit(";; statement")
        var live: [ValType] = []
        let count = 4 + below(24)
        // Integer-heavy, float-heavy or mixed: each pool gets filled on its own too.
        let mix: [ValType] = pick([[.i32, .i64, .i32, .i64, .f64], [.f32, .f64, .f32, .f64, .i32], ValType.allCases])
        registerResident = chance(50)
        for _ in 0..<count {
            let t = pick(mix)
            computed = chance(80)  // values held in registers, not constants or deferred reads
            value(t)
            live.append(t)
        }
        registerResident = false
        mostLive = max(mostLive, live.count)
        emit(";; effect")
        effect()
        emit(";; fold")
        if chance(50) {
            let t = pick(ValType.allCases)
            value(t)
            live.append(t)
        }
        for t in live.reversed() {
            toI64(t)
            fold()
        }
    }

    /// GCC's pattern, varied: 8-13 integer results held in registers (more than the seven
    /// value-stack GPRs), then a store to a local that needs a scratch register (a copy
    /// from another local, or a 64-bit constant), then the fold.
    private mutating func registerStorm() {
        emit(";; register storm")
        var live: [ValType] = []
        for _ in 0..<(8 + below(6)) {
            let t: ValType = chance(50) ? .i32 : .i64
            emit("local.get \(local(t))")
            constant(t)
            emit("\(Self.name(t)).\(pick(["add", "xor", "mul"]))")
            live.append(t)
        }
        let t: ValType = chance(50) ? .i32 : .i64
        if chance(60) { emit("local.get \(local(t))") } else { constant(t) }
        emit("local.set \(local(t))")
        for t in live.reversed() {
            toI64(t)
            fold()
        }
    }

    /// The top value (of type `t`) as an i64, deterministic for any NaN.
    private mutating func toI64(_ t: ValType) {
        switch t {
        case .i32: emit(chance(50) ? "i64.extend_i32_u" : "i64.extend_i32_s")
        case .i64: break
        case .f32: emit("i64.trunc_sat_f32_s")
        case .f64: emit("i64.trunc_sat_f64_s")
        }
    }

    /// acc = rotl(acc ^ top, 7) + top-dependent constant; consumes the top i64.
    private mutating func fold() {
        emit("local.get \(Self.accumulator)")
        emit("i64.xor")
        emit("i64.const 7")
        emit("i64.rotl")
        emit("i64.const \(Int64(bitPattern: next() | 1))")
        emit("i64.add")
        emit("local.set \(Self.accumulator)")
    }

    // MARK: Values

    private mutating func local(_ t: ValType) -> Int { pick(localsOf[t]!) }

    /// An in-bounds address for an access of `width` bytes.
    private mutating func address() {
        value(.i32)
        emit("i32.const 0xfff0")
        emit("i32.and")
    }

    /// Pushes one value of type `t`.
    private mutating func value(_ t: ValType) {
        depth += 1
        defer { depth -= 1 }
        let leaf = depth > 3 || (!computed && chance(45))
        computed = false
        if leaf {
            switch below(4) {
            case 0: constant(t)
            case 1: emit("local.get \(local(t))")
            case 2:
                if t == .i32 || t == .i64 {
                    emit("global.get \(t == .i32 ? "$g32" : "$g64")")
                } else {
                    emit("local.get \(local(t))")
                }
            default: load(t)
            }
            return
        }
        switch t {
        case .i32: i32Operator()
        case .i64: i64Operator()
        case .f32, .f64: floatOperator(t)
        }
    }

    private mutating func constant(_ t: ValType) {
        switch t {
        case .i32: emit("i32.const \(chance(50) ? Int32(below(300)) - 100 : Int32(truncatingIfNeeded: next()))")
        case .i64:
            // Small, 32-bit and full 64-bit constants (the last need a scratch register to store).
            let v: Int64 = switch below(3) {
            case 0: Int64(below(300)) - 100
            case 1: Int64(Int32(truncatingIfNeeded: next()))
            default: Int64(bitPattern: next() | 0x1_0000_0000)
            }
            emit("i64.const \(v)")
        case .f32: emit("f32.const \(Float(below(2000)) / 8 - 100)")
        case .f64: emit("f64.const \(Double(Int64(truncatingIfNeeded: next() >> 20)) / 1024)")
        }
    }

    private mutating func load(_ t: ValType) {
        address()
        let offset = below(8)
        switch t {
        case .i32: emit(pick(["i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u"]) + " offset=\(offset)")
        case .i64: emit(pick(["i64.load", "i64.load8_u", "i64.load16_s", "i64.load32_s", "i64.load32_u"]) + " offset=\(offset)")
        case .f32: emit("f32.load offset=\(offset)")
        case .f64: emit("f64.load offset=\(offset)")
        }
    }

    private mutating func i32Operator() {
        switch below(9) {
        case 0, 1:
            value(.i32)
            value(.i32)
            emit(pick(["i32.add", "i32.sub", "i32.mul", "i32.and", "i32.or", "i32.xor"]))
        case 2:  // variable shift: the count wants rcx
            value(.i32)
            value(.i32)
            emit(pick(["i32.shl", "i32.shr_s", "i32.shr_u", "i32.rotl", "i32.rotr"]))
        case 3:  // division: rax/rdx; the divisor is never 0 or -1
            value(.i32)
            if chance(50) {
                value(.i32)
                emit("i32.const 0x7fff")
                emit("i32.and")
                emit("i32.const 1")
                emit("i32.or")
            } else {
                emit("i32.const \(pick([3, 7, 8, 1000, -5]))")
            }
            emit(pick(["i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u"]))
        case 4:
            let t = pick(ValType.allCases)
            value(t)
            value(t)
            switch t {
            case .i32, .i64: emit("\(Self.name(t)).\(pick(["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]))")
            case .f32, .f64: emit("\(Self.name(t)).\(pick(["eq", "ne", "lt", "gt", "le", "ge"]))")
            }
        case 5:
            value(.i32)
            emit(pick(["i32.eqz", "i32.clz", "i32.ctz", "i32.popcnt", "i32.extend8_s", "i32.extend16_s"]))
        case 6:
            value(.i64)
            emit(pick(["i32.wrap_i64", "i64.eqz"]))
        case 7 where !registerResident:
            let t: ValType = chance(50) ? .f32 : .f64
            value(t)
            emit("i32.trunc_sat_\(Self.name(t))_\(pick(["s", "u"]))")
        default:
            typedSelect(.i32)
        }
    }

    private mutating func i64Operator() {
        switch below(8) {
        case 0, 1:
            value(.i64)
            value(.i64)
            emit(pick(["i64.add", "i64.sub", "i64.mul", "i64.and", "i64.or", "i64.xor"]))
        case 2:
            value(.i64)
            value(.i64)
            emit(pick(["i64.shl", "i64.shr_s", "i64.shr_u", "i64.rotl", "i64.rotr"]))
        case 3:
            value(.i64)
            if chance(50) {
                value(.i64)
                emit("i64.const 0x7fffffff")
                emit("i64.and")
                emit("i64.const 1")
                emit("i64.or")
            } else {
                emit("i64.const \(pick([3, 10, 16, 1_000_003, -7]))")
            }
            emit(pick(["i64.div_s", "i64.div_u", "i64.rem_s", "i64.rem_u"]))
        case 4:
            value(.i32)
            emit(pick(["i64.extend_i32_s", "i64.extend_i32_u"]))
        case 5:
            value(.i64)
            emit(pick(["i64.clz", "i64.ctz", "i64.popcnt", "i64.extend32_s"]))
        case 6 where !registerResident && chance(25):  // calls flush the value stack (so: rarely inside values)
            value(.i64)
            if chance(50) {
                emit("call $mix")
            } else {
                emit("i32.const \(below(2))")
                emit("call_indirect (type $unary)")
            }
        default:
            typedSelect(.i64)
        }
    }

    private mutating func floatOperator(_ t: ValType) {
        let n = Self.name(t)
        switch below(6) {
        case 0, 1:
            value(t)
            value(t)
            emit("\(n).\(pick(["add", "sub", "mul", "min", "max", "copysign"]))")
        case 2:
            value(t)
            emit("\(n).\(pick(["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]))")
        case 3:
            let source: ValType = chance(50) ? .i32 : .i64
            value(source)
            emit("\(n).convert_\(Self.name(source))_\(registerResident ? "s" : pick(["s", "u"]))")
        case 4:
            if t == .f32 {
                value(.f64)
                emit("f32.demote_f64")
            } else {
                value(.f32)
                emit("f64.promote_f32")
            }
        default:
            typedSelect(t)
        }
    }

    private mutating func typedSelect(_ t: ValType) {
        value(t)
        value(t)
        value(.i32)
        emit(chance(50) ? "select" : "select (result \(Self.name(t)))")
    }

    // MARK: Instructions under pressure

    /// One instruction (with its operands) that leaves the stack as it found it.
    private mutating func effect() {
        switch below(14) {
        case 0, 1, 12, 13:  // local.set from every kind of source
            let t = pick(ValType.allCases)
            switch below(5) {
            case 0, 4: emit("local.get \(local(t))")  // local to local: needs a scratch GPR
            case 1: constant(t)
            case 2: load(t)
            default: value(t)
            }
            emit("local.set \(local(t))")
        case 2:  // local.tee, its value folded
            let t = pick(ValType.allCases)
            value(t)
            emit("local.tee \(local(t))")
            toI64(t)
            fold()
        case 3:
            let (g, t): (String, ValType) = pick([("$g32", .i32), ("$g64", .i64), ("$gf64", .f64)])
            value(t)
            emit("global.set \(g)")
        case 4:  // stores of every width
            address()
            let t = pick(ValType.allCases)
            switch t {
            case .i32:
                value(.i32)
                emit(pick(["i32.store", "i32.store8", "i32.store16"]) + " offset=\(below(8))")
            case .i64:
                value(.i64)
                emit(pick(["i64.store", "i64.store8", "i64.store16", "i64.store32"]) + " offset=\(below(8))")
            case .f32:
                value(.i32)
                emit("f32.convert_i32_s")
                emit("f32.store offset=\(below(8))")
            case .f64:
                value(.i64)
                emit("f64.convert_i64_s")
                emit("f64.store offset=\(below(8))")
            }
        case 5:  // if/else with a result, folded
            let t = pick(ValType.allCases)
            value(.i32)
            emit("if (result \(Self.name(t)))")
            value(t)
            emit("else")
            value(t)
            emit("end")
            toI64(t)
            fold()
        case 6:  // br_if out of a block with a result
            let t = pick(ValType.allCases)
            emit("block (result \(Self.name(t)))")
            value(t)
            value(.i32)
            emit("br_if 0")
            emit("drop")
            value(t)
            emit("end")
            toI64(t)
            fold()
        case 7:  // br_table
            emit("block")
            emit("block")
            emit("block")
            value(.i32)
            emit("i32.const 3")
            emit("i32.and")
            emit("br_table 0 1 2 0")
            emit("end")
            value(.i64)
            emit("global.set $g64")
            emit("end")
            value(.i32)
            emit("global.set $g32")
            emit("end")
        case 8:  // memory.size / memory.grow by 0
            emit(chance(50) ? "memory.size" : "i32.const 0\nmemory.grow")
            emit("i64.extend_i32_u")
            fold()
        case 9:  // memory.fill / memory.copy, in bounds
            address()
            if chance(50) {
                value(.i32)
                emit("i32.const \(below(16))")
                emit("memory.fill")
            } else {
                address()
                emit("i32.const \(below(16))")
                emit("memory.copy")
            }
        case 10:  // a call whose result is folded
            value(.i64)
            emit("call $twist")
            fold()
        default:  // an inner loop of 1-4 iterations under pressure
            let i = local(.i32)
            value(.i32)
            emit("i32.const 3")
            emit("i32.and")
            emit("local.set \(i)")
            emit("loop $inner")
            value(.i64)
            emit("global.set $g64")
            emit("local.get \(i)")
            emit("i32.const 1")
            emit("i32.sub")
            emit("local.tee \(i)")
            emit("i32.const 0")
            emit("i32.gt_s")
            emit("br_if $inner")
            emit("end")
        }
    }
}
