import Foundation
import Testing
import WasmInterpreter
import Wasmoon

/// The interpreter's fused pairs (`Fusion`: a binary operation and a shift or rotation by
/// a constant, in either order) and the reordering of `local.tee x` over copies of `x`:
/// every combination and edge amount against a reference computed here, on both tiers
/// (the JIT does not fuse, so it is a second reference).
@Suite("Interpreter fused pairs")
struct InterpreterFusionTests {
    /// The checked-in FusedOps.swift and Opcode.swift cases are what the generator makes.
    @Test func generatedFusedOpsAreCurrent() throws {
        let r = try CLI.runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "scripts/gen-fused-ops.py", "--check"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    static let binaryOps = ["add", "xor", "and", "mul", "or", "sub"]
    static let shifts = ["shl", "shr_u", "shr_s", "rotl", "rotr"]
    /// Amounts: zero, small, the width - 1, the width itself and above (taken modulo the width).
    static let amounts: [Int64] = [0, 1, 7, 31, 32, 33, 63, 64, 70, -1]

    /// `a op b` with wasm's wrapping semantics, in the width of `T`.
    static func reference<T: FixedWidthInteger & UnsignedInteger>(_ op: String, _ a: T, _ b: T) -> T {
        switch op {
        case "add": a &+ b
        case "xor": a ^ b
        case "and": a & b
        case "mul": a &* b
        case "or": a | b
        default: a &- b
        }
    }

    /// `x sh k` with the amount taken modulo the width of `T`, as wasm does.
    static func shift<T: FixedWidthInteger & UnsignedInteger>(_ sh: String, _ x: T, _ k: Int64) -> T {
        let n = Int(UInt64(bitPattern: k) % UInt64(T.bitWidth))
        switch sh {
        case "shl": return x << n
        case "shr_u": return x >> n
        case "shr_s": return x >> n | (x >> (T.bitWidth - 1) == 0 || n == 0 ? 0 : ~(T.max >> n))
        case "rotl": return n == 0 ? x : (x << n) | (x >> (T.bitWidth - n))
        default: return n == 0 ? x : (x >> n) | (x << (T.bitWidth - n))
        }
    }

    /// One function per (width, op, shift, amount, form): `opsh` = `(a op b) sh k`,
    /// `shop` = `(a sh k) op b`, `bsh` = `b op (a sh k)` (the shifted value second).
    static var module: String {
        var funcs = ""
        for w in ["i32", "i64"] {
            for op in binaryOps {
                for sh in shifts {
                    for (i, k) in amounts.enumerated() {
                        let name = "\(w)_\(op)_\(sh)_\(i)"
                        let kc = "(\(w).const \(k))"
                        funcs += """
                              (func (export "opsh_\(name)") (param \(w) \(w)) (result \(w))
                                (\(w).\(sh) (\(w).\(op) (local.get 0) (local.get 1)) \(kc)))
                              (func (export "shop_\(name)") (param \(w) \(w)) (result \(w))
                                (\(w).\(op) (\(w).\(sh) (local.get 0) \(kc)) (local.get 1)))
                              (func (export "bsh_\(name)") (param \(w) \(w)) (result \(w))
                                (\(w).\(op) (local.get 1) (\(w).\(sh) (local.get 0) \(kc))))

                            """
                    }
                }
            }
        }
        for w in ["i32", "i64"] {
            for op1 in binaryOps {
                for op2 in binaryOps {
                    let name = "\(w)_\(op1)_\(op2)"
                    funcs += """
                          (func (export "chain_\(name)") (param \(w) \(w) \(w)) (result \(w))
                            (\(w).\(op2) (\(w).\(op1) (local.get 0) (local.get 1)) (local.get 2)))
                          (func (export "chainr_\(name)") (param \(w) \(w) \(w)) (result \(w))
                            (\(w).\(op2) (local.get 2) (\(w).\(op1) (local.get 0) (local.get 1))))

                        """
                }
            }
        }
        return "(module\n\(funcs))"
    }

    static let inputs32: [(UInt32, UInt32)] = [(0x8765_4321, 0x0F0F_1234), (0xFFFF_FFFF, 1), (0, 0x8000_0000), (12345, 678)]
    static let inputs64: [(UInt64, UInt64)] = [
        (0x8765_4321_0FED_CBA9, 0x0F0F_1234_5555_AAAA), (UInt64.max, 1), (0, 1 << 63), (123_456_789, 987_654_321),
    ]

    @Test(arguments: bothTiers) func everyPairAgainstReference(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, Self.module)
        for op in Self.binaryOps {
            for sh in Self.shifts {
                for (i, k) in Self.amounts.enumerated() {
                    for (a, b) in Self.inputs32 {
                        let name = "i32_\(op)_\(sh)_\(i)"
                        let opsh = Self.shift(sh, Self.reference(op, a, b), k)
                        let shop = Self.reference(op, Self.shift(sh, a, k), b)
                        let bsh = Self.reference(op, b, Self.shift(sh, a, k))
                        #expect(try h.call("opsh_\(name)", .i32(a), .i32(b)) == [.i32(opsh)], "\(name) \(a) \(b)")
                        #expect(try h.call("shop_\(name)", .i32(a), .i32(b)) == [.i32(shop)], "\(name) \(a) \(b)")
                        #expect(try h.call("bsh_\(name)", .i32(a), .i32(b)) == [.i32(bsh)], "\(name) \(a) \(b)")
                    }
                    for (a, b) in Self.inputs64 {
                        let name = "i64_\(op)_\(sh)_\(i)"
                        let opsh = Self.shift(sh, Self.reference(op, a, b), k)
                        let shop = Self.reference(op, Self.shift(sh, a, k), b)
                        let bsh = Self.reference(op, b, Self.shift(sh, a, k))
                        #expect(try h.call("opsh_\(name)", .i64(a), .i64(b)) == [.i64(opsh)], "\(name) \(a) \(b)")
                        #expect(try h.call("shop_\(name)", .i64(a), .i64(b)) == [.i64(shop)], "\(name) \(a) \(b)")
                        #expect(try h.call("bsh_\(name)", .i64(a), .i64(b)) == [.i64(bsh)], "\(name) \(a) \(b)")
                    }
                }
            }
        }
    }

    @Test(arguments: bothTiers) func everyChainAgainstReference(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, Self.module)
        for op1 in Self.binaryOps {
            for op2 in Self.binaryOps {
                for ((a, b), c) in zip(Self.inputs32, [UInt32(7), 0xFFFF_FFFF, 0x8000_0001, 3]) {
                    let name = "i32_\(op1)_\(op2)"
                    let t = Self.reference(op1, a, b)
                    #expect(try h.call("chain_\(name)", .i32(a), .i32(b), .i32(c)) == [.i32(Self.reference(op2, t, c))], "\(name)")
                    #expect(try h.call("chainr_\(name)", .i32(a), .i32(b), .i32(c)) == [.i32(Self.reference(op2, c, t))], "\(name)")
                }
                for ((a, b), c) in zip(Self.inputs64, [UInt64(7), UInt64.max, 0x8000_0000_0000_0001, 3]) {
                    let name = "i64_\(op1)_\(op2)"
                    let t = Self.reference(op1, a, b)
                    #expect(try h.call("chain_\(name)", .i64(a), .i64(b), .i64(c)) == [.i64(Self.reference(op2, t, c))], "\(name)")
                    #expect(try h.call("chainr_\(name)", .i64(a), .i64(b), .i64(c)) == [.i64(Self.reference(op2, c, t))], "\(name)")
                }
            }
        }
    }

    /// The translator really fuses: the listing of a chacha-style quarter round and of a
    /// SHA-512-style sigma shows the fused ops.
    @Test func pairsAreFused() throws {
        let runtime = try Runtime(tier: .interpreter)
        let module = try runtime.compile(
            wat: """
                (module
                  (func (export "quarter") (param i32 i32 i32) (result i32)
                    (i32.rotl (i32.xor (local.get 2) (local.tee 0 (i32.add (local.get 0) (local.get 1)))) (i32.const 16)))
                  (func (export "chain") (param i64 i64 i64) (result i64)
                    (i64.add (i64.mul (local.get 0) (local.get 1)) (i64.and (local.get 2) (i64.const 255))))
                  (func (export "sigma") (param i64) (result i64)
                    (i64.xor (i64.xor (i64.rotr (local.get 0) (i64.const 1)) (i64.rotr (local.get 0) (i64.const 8)))
                      (i64.shr_u (local.get 0) (i64.const 7)))))
                """)
        let listing = InterpreterEngine.listing(of: module)
        // quarter: add (into local 0), then xor + rotl fused; chain: the mul, then the and
        // fused with the add that consumes it (`(x & y) + z`, two words); sigma (as clang emits SHA-512's σ0): the first
        // rotr, then each following shift fused with the xor that consumes it.
        let instructions = listing.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.contains("init:") }
        #expect(instructions.map { $0.split(separator: " ")[1] } == [
            "i32Add", "i32XorRotl", "ret1", "i64Mul", "i64AndAdd", "ret1", "i64Rotr", "i64RotlXor", "i64ShrUXor", "ret1",
        ], "\(listing)")
        #expect(listing.contains("i64RotlXor a=0 b=4 c=4 k=56"), "rotr 8 is rotl 56: \(listing)")
        let h = try InterpreterHarness(
            """
            (module
              (func (export "sigma") (param i64) (result i64)
                (i64.xor (i64.xor (i64.rotr (local.get 0) (i64.const 1)) (i64.rotr (local.get 0) (i64.const 8)))
                  (i64.shr_u (local.get 0) (i64.const 7)))))
            """)
        let x: UInt64 = 0x0123_4567_89AB_CDEF
        let expected = (Self.shift("rotr", x, 1) ^ Self.shift("rotr", x, 8)) ^ (x >> 7)
        #expect(try h.call("sigma", .i64(x)) == [.i64(expected)])
    }

    /// A load whose address is `base + ((x | y) << k)` or `base + ((x + y) << k)` (table
    /// lookups): one `load32OrShl`/`load64AddShl`…, with u32 wrap-around before the offset.
    @Test(arguments: bothTiers) func scaledCombinedIndexLoads(_ tier: Tier) throws {
        let wat = """
            (module
              (memory 1)
              (data (i32.const 0) "\\00\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13\\14\\15\\16\\17")
              (func (export "or32") (param i32 i32 i32) (result i32)
                (i32.load offset=1 (i32.add (local.get 2) (i32.shl (i32.or (local.get 0) (local.get 1)) (i32.const 2)))))
              (func (export "add32") (param i32 i32 i32) (result i32)
                (i32.load (i32.add (i32.shl (i32.add (local.get 0) (local.get 1)) (i32.const 2)) (local.get 2))))
              (func (export "or64") (param i32 i32 i32) (result i64)
                (i64.load (i32.add (local.get 2) (i32.shl (i32.or (local.get 0) (local.get 1)) (i32.const 3)))))
              (func (export "add64") (param i32 i32 i32) (result i64)
                (i64.load offset=2 (i32.add (local.get 2) (i32.shl (i32.add (local.get 0) (local.get 1)) (i32.const 3))))))
            """
        if tier == .interpreter {
            let listing = InterpreterEngine.listing(of: try Runtime(tier: .interpreter).compile(wat: wat))
            for op in ["load32OrShl", "load32AddShl", "load64OrShl", "load64AddShl"] {
                #expect(listing.contains(op), "\(op): \(listing)")
            }
        }
        let h = try InterpreterHarness(tier: tier, wat)
        // bytes i..<i+n little-endian
        func le(_ i: UInt64, _ n: UInt64) -> UInt64 { (0..<n).reduce(0) { $0 | (i + $1) << (8 * $1) } }
        #expect(try h.call("or32", .i32(1), .i32(2), .i32(3)) == [.i32(UInt32(le(16, 4)))])  // 3 + (3 << 2) + 1
        #expect(try h.call("add32", .i32(1), .i32(2), .i32(4)) == [.i32(UInt32(le(16, 4)))])
        #expect(try h.call("or64", .i32(1), .i32(0), .i32(5)) == [.i64(le(13, 8))])
        #expect(try h.call("add64", .i32(0), .i32(1), .i32(1)) == [.i64(le(11, 8))])
        // (0x4000_0000 << 2) wraps to 0 in 32 bits: base + 0.
        #expect(try h.call("add32", .i32(0x3FFF_FFFF), .i32(1), .i32(8)) == [.i32(UInt32(le(8, 4)))])
        #expect(try h.call("or32", .i32(0x4000_0000), .i32(0), .i32(2)) == [.i32(UInt32(le(3, 4)))])
        // Past the end: the index is in range of u32 but the page is 64 KiB.
        h.expectTrap(.outOfBoundsMemoryAccess, "or32", .i32(0x4000), .i32(0), .i32(0))
        h.expectTrap(.outOfBoundsMemoryAccess, "add64", .i32(0x1FFF), .i32(0), .i32(0))
    }

    /// Counted loops: `i = i + step; br_if (i op n)` is one `addBrI32…` for every i32
    /// comparison, with the sum as the left or the right operand, as `br_if` and as `if`.
    @Test(arguments: bothTiers) func addCompareBranchLoops(_ tier: Tier) throws {
        let conditions = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
        var funcs = ""
        for c in conditions {
            // Counts the iterations of: do { i += step; k++ } while (i c n) (or n c i), at most 50.
            for (name, test) in [("l", "(i32.\(c) (local.tee 0 (i32.add (local.get 0) (local.get 2))) (local.get 1))"),
                                 ("r", "(i32.\(c) (local.get 1) (local.tee 0 (i32.add (local.get 0) (local.get 2))))")] {
                funcs += """
                      (func (export "\(name)_\(c)") (param i32 i32 i32) (result i32) (local i32)
                        (block $out
                          (loop $top
                            (local.set 3 (i32.add (local.get 3) (i32.const 1)))
                            (br_if $out (i32.ge_u (local.get 3) (i32.const 50)))
                            (br_if $top \(test))))
                        (local.get 3))
                      (func (export "if_\(name)_\(c)") (param i32 i32 i32) (result i32)
                        (if (result i32) \(test) (then (i32.const 1)) (else (i32.const 0))))

                    """
            }
        }
        let wat = "(module\n\(funcs))"
        if tier == .interpreter {
            let listing = InterpreterEngine.listing(of: try Runtime(tier: .interpreter).compile(wat: wat))
            for c in ["Eq", "Ne", "LtS", "LtU", "GtS", "GtU", "LeS", "LeU", "GeS", "GeU"] {
                #expect(listing.contains("addBrI32\(c) "), "addBrI32\(c) missing")
            }
        }
        let h = try InterpreterHarness(tier: tier, wat)
        func holds(_ c: String, _ x: UInt32, _ y: UInt32) -> Bool {
            let (sx, sy) = (Int32(bitPattern: x), Int32(bitPattern: y))
            switch c {
            case "eq": return x == y
            case "ne": return x != y
            case "lt_s": return sx < sy
            case "lt_u": return x < y
            case "gt_s": return sx > sy
            case "gt_u": return x > y
            case "le_s": return sx <= sy
            case "le_u": return x <= y
            case "ge_s": return sx >= sy
            default: return x >= y
            }
        }
        let cases: [(UInt32, UInt32, UInt32)] = [(0, 10, 1), (0, 10, 3), (5, 5, 0), (0xFFFF_FFF0, 4, 2), (7, 0xFFFF_FFFE, 0xFFFF_FFFF), (3, 3, 1)]
        for c in conditions {
            for (i0, n, step) in cases {
                for left in [true, false] {
                    var i = i0, k: UInt32 = 0
                    repeat {
                        k += 1
                        if k >= 50 { break }
                        i = i &+ step
                    } while left ? holds(c, i, n) : holds(c, n, i)
                    let name = "\(left ? "l" : "r")_\(c)"
                    #expect(try h.call(name, .i32(i0), .i32(n), .i32(step)) == [.i32(k)], "\(name) \(i0) \(n) \(step)")
                    let s = i0 &+ step
                    let once: UInt32 = (left ? holds(c, s, n) : holds(c, n, s)) ? 1 : 0
                    #expect(try h.call("if_\(name)", .i32(i0), .i32(n), .i32(step)) == [.i32(once)], "if_\(name)")
                }
            }
        }
    }

    /// `local.get x … (op) local.tee x`: x's old value is saved before the op, which then
    /// writes x directly; the saved value, the new x and the result must all be right.
    @Test(arguments: bothTiers) func teeOverReferencedLocal(_ tier: Tier) throws {
        let h = try InterpreterHarness(
            tier: tier,
            """
            (module
              (func (export "f") (param i32 i32) (result i32)
                ;; old x, then x = rotl(x ^ y, 7) (fused and tee'd), then old x - new x, then * x
                (i32.mul
                  (i32.sub (local.get 0)
                    (local.tee 0 (i32.rotl (i32.xor (local.get 0) (local.get 1)) (i32.const 7))))
                  (local.get 0)))
              (func (export "g") (param i64 i64) (result i64)
                (i64.add (local.get 0) (i64.add (local.get 0) (local.tee 0 (i64.mul (local.get 0) (local.get 1)))))))
            """)
        let x: UInt32 = 0x1234_5678, y: UInt32 = 0x9ABC_DEF0
        let nx = Self.shift("rotl", x ^ y, 7)
        #expect(try h.call("f", .i32(x), .i32(y)) == [.i32((x &- nx) &* nx)])
        let p: UInt64 = 0x1122_3344_5566_7788, q: UInt64 = 3
        #expect(try h.call("g", .i64(p), .i64(q)) == [.i64(p &+ (p &+ p &* q))])
    }
}
