import Testing
import Wasmoon

/// Typed function references and declared subtypes on both tiers: `call_indirect` to a
/// supertype, `call_ref` and `return_call_ref` (also across instances), `br_on_null` /
/// `br_on_non_null` with values, and import matching by subtyping. Expected results were
/// checked against Wasmtime (function references and GC on).
@Suite("Typed function references")
struct TypedReferenceTests {
    static let subtypes = """
        (module
          (type $base (sub (func (result i32))))
          (type $derived (sub $base (func (result i32))))
          (type $other (func (result i32)))
          (table 3 funcref)
          (elem (i32.const 0) func $d $b $o)
          (func $d (type $derived) (i32.const 1))
          (func $b (type $base) (i32.const 2))
          (func $o (type $other) (i32.const 3))
          (func (export "as_base") (param i32) (result i32) (call_indirect (type $base) (local.get 0)))
          (func (export "as_derived") (param i32) (result i32) (call_indirect (type $derived) (local.get 0)))
          (func (export "tail_base") (param i32) (result i32) (return_call_indirect (type $base) (local.get 0))))
        """

    /// A function of a declared subtype matches `call_indirect` to its supertype; a final type
    /// of the same shape is another type.
    @Test(arguments: bothTiers)
    func callIndirectToASupertype(_ tier: Tier) throws {
        let h = try InterpreterHarness(tier: tier, Self.subtypes)
        #expect(try h.call("as_base", .i32(0)) == [.i32(1)])
        #expect(try h.call("as_base", .i32(1)) == [.i32(2)])
        h.expectTrap(.indirectCallTypeMismatch, "as_base", .i32(2))
        #expect(try h.call("as_derived", .i32(0)) == [.i32(1)])
        h.expectTrap(.indirectCallTypeMismatch, "as_derived", .i32(1))
        h.expectTrap(.indirectCallTypeMismatch, "as_derived", .i32(2))
        #expect(try h.call("tail_base", .i32(0)) == [.i32(1)])
        #expect(try h.call("tail_base", .i32(1)) == [.i32(2)])
        h.expectTrap(.indirectCallTypeMismatch, "tail_base", .i32(2))
    }

    static let references = """
        (module
          (type $unary (func (param i32) (result i32)))
          (import "other" "triple" (func $triple (type $unary)))
          (elem declare func $inc $count $triple)
          (global $op (mut (ref null $unary)) (ref.null $unary))
          (func $inc (type $unary) (i32.add (local.get 0) (i32.const 1)))
          (func (export "pick") (param i32)
            (global.set $op (if (result (ref null $unary)) (local.get 0)
              (then (if (result (ref null $unary)) (i32.eq (local.get 0) (i32.const 1))
                (then (ref.func $inc)) (else (ref.func $triple))))
              (else (ref.null $unary)))))
          (func (export "apply") (param i32) (result i32) (call_ref $unary (local.get 0) (global.get $op)))
          (func (export "tail_apply") (param i32) (result i32) (return_call_ref $unary (local.get 0) (global.get $op)))
          ;; Counts down to zero with a million tail calls through a reference.
          (func $count (type $unary)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 42))
              (else (return_call_ref $unary (i32.sub (local.get 0) (i32.const 1)) (ref.func $count)))))
          (func (export "count") (param i32) (result i32) (call $count (local.get 0)))
          ;; 10 + x when op is null, op(x) otherwise.
          (func (export "or_ten") (param i32) (result i32)
            (block $null
              (return (call_ref $unary (local.get 0) (br_on_null $null (global.get $op)))))
            (i32.add (local.get 0) (i32.const 10)))
          ;; op(x) when op is set, -1 otherwise, through br_on_non_null carrying a value.
          (func (export "or_minus_one") (param i32) (result i32)
            (block $set (result i32 (ref $unary))
              (br_on_non_null $set (local.get 0) (global.get $op))
              (drop)
              (return (i32.const -1)))
            (call_ref $unary))
          (func (export "non_null") (result i32) (ref.is_null (ref.as_non_null (global.get $op)))))
        """

    @Test(arguments: bothTiers)
    func callRefAndNullBranches(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let other = try linker.instantiate(
            try runtime.compile(
                wat: #"(module (func (export "triple") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#))
        linker.define(instance: other, as: "other")
        let instance = try linker.instantiate(try runtime.compile(wat: Self.references))
        let h = InterpreterHarness(runtime: runtime, store: store, linker: linker, instance: instance)
        // Null: call_ref traps, br_on_null branches, br_on_non_null falls through.
        try h.call("pick", .i32(0))
        h.expectTrap(.nullFunctionReference, "apply", .i32(5))
        h.expectTrap(.nullFunctionReference, "tail_apply", .i32(5))
        h.expectTrap(.nullReference, "non_null")
        #expect(try h.call("or_ten", .i32(5)) == [.i32(15)])
        #expect(try h.call("or_minus_one", .i32(5)) == [.s32(-1)])
        // A function of this instance.
        try h.call("pick", .i32(1))
        #expect(try h.call("apply", .i32(5)) == [.i32(6)])
        #expect(try h.call("tail_apply", .i32(5)) == [.i32(6)])
        #expect(try h.call("or_ten", .i32(5)) == [.i32(6)])
        #expect(try h.call("or_minus_one", .i32(5)) == [.i32(6)])
        #expect(try h.call("non_null") == [.i32(0)])
        // An imported function of another instance.
        try h.call("pick", .i32(2))
        #expect(try h.call("apply", .i32(5)) == [.i32(15)])
        #expect(try h.call("tail_apply", .i32(5)) == [.i32(15)])
        #expect(try h.call("or_minus_one", .i32(5)) == [.i32(15)])
        // Tail calls through references run in constant stack.
        #expect(try h.call("count", .i32(1_000_000)) == [.i32(42)])
    }

    /// Imports match by subtyping: a function of a subtype satisfies an import of its
    /// supertype, not the other way round; an immutable global of a non-null reference
    /// satisfies an import of the nullable type.
    @Test(arguments: bothTiers)
    func importsMatchBySubtyping(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let exporter = try linker.instantiate(
            try runtime.compile(
                wat: """
                    (module
                      (type $base (sub (func (result i32))))
                      (type $derived (sub $base (func (result i32))))
                      (func $d (export "derived") (type $derived) (i32.const 7))
                      (func (export "base") (type $base) (i32.const 8))
                      (global (export "ref") (ref $derived) (ref.func $d)))
                    """))
        linker.define(instance: exporter, as: "m")
        let importer = try linker.instantiate(
            try runtime.compile(
                wat: """
                    (module
                      (type $base (sub (func (result i32))))
                      (import "m" "derived" (func $f (type $base)))
                      (import "m" "ref" (global $g (ref null $base)))
                      (func (export "call") (result i32) (i32.add (call $f) (call_ref $base (global.get $g)))))
                    """))
        #expect(try importer.function("call")?.call([]) == [.i32(14)])
        let wrongWay = try runtime.compile(
            wat: """
                (module
                  (type $base (sub (func (result i32))))
                  (type $derived (sub $base (func (result i32))))
                  (import "m" "base" (func (type $derived))))
                """)
        #expect { try linker.instantiate(wrongWay) } throws: {
            if case .link = $0 as? WasmoonError { true } else { false }
        }
    }

    /// Validation: a non-defaultable local must be set before it is read, and stays set only
    /// inside the block that set it.
    @Test func nonDefaultableLocals() throws {
        let runtime = try Runtime(tier: .interpreter)
        let valid = """
            (module (type $t (func)) (elem declare func $f)
              (func $f (local $r (ref $t)) (local.set $r (ref.func $f)) (call_ref $t (local.get $r))))
            """
        _ = try runtime.compile(wat: valid)
        let unset = """
            (module (type $t (func))
              (func (local $r (ref $t)) (call_ref $t (local.get $r))))
            """
        #expect { try runtime.compile(wat: unset) } throws: { "\($0)".contains("uninitialized local 0") }
        let setInsideBlock = """
            (module (type $t (func)) (elem declare func $f)
              (func $f (local $r (ref $t)) (block (local.set $r (ref.func $f))) (call_ref $t (local.get $r))))
            """
        #expect { try runtime.compile(wat: setInsideBlock) } throws: { "\($0)".contains("uninitialized local 0") }
    }
}
