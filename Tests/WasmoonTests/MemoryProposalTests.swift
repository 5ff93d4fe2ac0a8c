import Testing
import Wasmoon
import WasmRuntime

/// memory64, table64, multi-memory and extended constants on both tiers, lazily and eagerly:
/// 64-bit addresses that must not alias 32-bit ones, carries out of `address + offset`, the
/// bulk operations with i64 operands, accesses to memories other than memory 0 (their own
/// bounds, data segments, growth), table64 indices, and constant expressions that compute.
@Suite("Memories, tables and constants of Wasm 3.0")
struct MemoryProposalTests {
    static func harness(_ tier: Tier, _ mode: CompileMode, _ wat: String) throws -> InterpreterHarness {
        let runtime = try Runtime(tier: tier, compile: mode)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let instance = try linker.instantiate(try runtime.compile(wat: wat))
        return InterpreterHarness(runtime: runtime, store: store, linker: linker, instance: instance)
    }

    static let memory64 = """
        (module
          (memory i64 1 3)
          (data (i64.const 65534) "\\01\\02")
          (func (export "load") (param i64) (result i32) (i32.load (local.get 0)))
          (func (export "load_off") (param i64) (result i32) (i32.load offset=8 (local.get 0)))
          (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
          (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "store_off") (param i64 i64) (i64.store offset=65528 (local.get 0) (local.get 1)))
          (func (export "vload") (param i64) (result i64) (i64x2.extract_lane 1 (v128.load (local.get 0))))
          (func (export "lane") (param i64) (result i32)
            (i32x4.extract_lane 3 (v128.load32_lane 3 (local.get 0) (v128.const i64x2 0 0))))
          (func (export "size") (result i64) (memory.size))
          (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
          (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
          (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2))))
        """

    @Test(arguments: everyTierAndMode)
    func memory64Addresses(_ tier: Tier, _ mode: CompileMode) throws {
        let h = try Self.harness(tier, mode, Self.memory64)
        #expect(try h.call("load8", .i64(65534)) == [.i32(1)])
        #expect(try h.call("load8", .i64(65535)) == [.i32(2)])
        try h.call("store", .i64(65532), .i32(0xDEAD_BEEF))
        #expect(try h.call("load", .i64(65532)) == [.i32(0xDEAD_BEEF)])
        #expect(try h.call("load_off", .i64(65524)) == [.i32(0xDEAD_BEEF)])
        h.expectTrap(.outOfBoundsMemoryAccess, "load", .i64(65533))
        h.expectTrap(.outOfBoundsMemoryAccess, "load_off", .i64(65525))
        h.expectTrap(.outOfBoundsMemoryAccess, "load8", .i64(65536))
        // High bits are part of the address: no aliasing of 2^32 + 4 to 4.
        h.expectTrap(.outOfBoundsMemoryAccess, "load", .i64(0x1_0000_0004))
        h.expectTrap(.outOfBoundsMemoryAccess, "load8", .i64(0x8000_0000_0000_0000))
        // address + offset carries out of 64 bits.
        h.expectTrap(.outOfBoundsMemoryAccess, "load_off", .s64(-4))
        h.expectTrap(.outOfBoundsMemoryAccess, "store_off", .s64(-65528), .i64(1))
        h.expectTrap(.outOfBoundsMemoryAccess, "load", .s64(-1))
        try h.call("store_off", .i64(0), .i64(0x0102_0304_0506_0708))
        #expect(try h.call("vload", .i64(65520)) == [.i64(0x0102_0304_0506_0708)])
        h.expectTrap(.outOfBoundsMemoryAccess, "vload", .i64(65521))
        #expect(try h.call("lane", .i64(65532)) == [.i32(0x0102_0304)])
        h.expectTrap(.outOfBoundsMemoryAccess, "lane", .i64(65533))
        // Sizes and growth are i64; -1 is the i64 all-ones value.
        #expect(try h.call("size") == [.i64(1)])
        #expect(try h.call("grow", .i64(1)) == [.i64(1)])
        #expect(try h.call("grow", .i64(0x1_0000_0001)) == [.s64(-1)])
        #expect(try h.call("grow", .i64(2)) == [.s64(-1)])
        #expect(try h.call("size") == [.i64(2)])
        #expect(try h.call("load", .i64(65536)) == [.i32(0)])
        // Bulk operations take i64 addresses and lengths.
        try h.call("fill", .i64(131068), .i32(0x41), .i64(4))
        #expect(try h.call("load", .i64(131068)) == [.i32(0x4141_4141)])
        h.expectTrap(.outOfBoundsMemoryAccess, "fill", .i64(0x1_0000_0000), .i32(0), .i64(1))
        h.expectTrap(.outOfBoundsMemoryAccess, "fill", .i64(1), .i32(0), .s64(-1))
        try h.call("copy", .i64(0), .i64(131068), .i64(4))
        #expect(try h.call("load", .i64(0)) == [.i32(0x4141_4141)])
        h.expectTrap(.outOfBoundsMemoryAccess, "copy", .i64(0), .i64(0x1_0000_0000), .i64(0))
    }

    /// `(memory i64 1)`, `f(x) = i64.load offset=2^64-1 (x)` (text cannot say that offset: WAT
    /// stops at 2^32-1). The JIT once overflowed computing offset + size while compiling it.
    static let largestOffset: [UInt8] = [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7E, 0x01, 0x7E,
        0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x04, 0x01, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
        0x0A, 0x12, 0x01, 0x10, 0x00, 0x20, 0x00, 0x29, 0x03,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x0B,
    ]

    @Test(arguments: everyTierAndMode)
    func offsetsNearTwoToTheSixtyFour(_ tier: Tier, _ mode: CompileMode) throws {
        let runtime = try Runtime(tier: tier, compile: mode)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let instance = try linker.instantiate(try runtime.compile(bytes: Self.largestOffset))
        let h = InterpreterHarness(runtime: runtime, store: store, linker: linker, instance: instance)
        for address: UInt64 in [0, 1, 65535, UInt64.max] {
            h.expectTrap(.outOfBoundsMemoryAccess, "f", .i64(address))
        }
    }

    static let multiMemory = """
        (module
          (memory $a 1)
          (memory $b 1 2)
          (memory $c i64 1)
          (data (memory $b) (i32.const 8) "\\2a")
          (data $seg "\\11\\22\\33\\44")
          (func (export "a8") (result i32) (i32.load8_u $a (i32.const 8)))
          (func (export "b8") (result i32) (i32.load8_u $b (i32.const 8)))
          (func (export "load_a") (param i32) (result i32) (i32.load $a (local.get 0)))
          (func (export "load_b") (param i32) (result i32) (i32.load $b (local.get 0)))
          (func (export "store_b") (param i32 i32) (i32.store $b (local.get 0) (local.get 1)))
          (func (export "load_c") (param i64) (result i32) (i32.load $c (local.get 0)))
          (func (export "vload_b") (param i32) (result i64) (i64x2.extract_lane 0 (v128.load $b (local.get 0))))
          (func (export "size_b") (result i32) (memory.size $b))
          (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
          (func (export "copy_b_to_c") (param i64 i32 i32) (memory.copy $c $b (local.get 0) (local.get 1) (local.get 2)))
          (func (export "fill_b") (param i32 i32 i32) (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
          (func (export "init_c") (param i64 i32 i32) (memory.init $c $seg (local.get 0) (local.get 1) (local.get 2)))
          (export "b" (memory $b)))
        """

    @Test(arguments: everyTierAndMode)
    func severalMemories(_ tier: Tier, _ mode: CompileMode) throws {
        let h = try Self.harness(tier, mode, Self.multiMemory)
        #expect(try h.call("b8") == [.i32(42)])
        #expect(try h.call("a8") == [.i32(0)])
        try h.call("store_b", .i32(100), .i32(7))
        #expect(try h.call("load_b", .i32(100)) == [.i32(7)])
        #expect(try h.call("load_a", .i32(100)) == [.i32(0)])
        #expect(try h.call("load_c", .i64(100)) == [.i32(0)])
        #expect(try h.call("vload_b", .i32(100)) == [.i64(7)])
        // Each memory has its own bounds.
        h.expectTrap(.outOfBoundsMemoryAccess, "load_b", .i32(65533))
        h.expectTrap(.outOfBoundsMemoryAccess, "vload_b", .i32(65521))
        h.expectTrap(.outOfBoundsMemoryAccess, "load_c", .i64(65533))
        #expect(try h.call("size_b") == [.i32(1)])
        #expect(try h.call("grow_b", .i32(1)) == [.i32(1)])
        #expect(try h.call("grow_b", .i32(1)) == [.s32(-1)])
        #expect(try h.call("load_b", .i32(65536)) == [.i32(0)])
        h.expectTrap(.outOfBoundsMemoryAccess, "load_a", .i32(65536))
        // Bulk operations between memories of both address types.
        try h.call("fill_b", .i32(131064), .i32(0x5A), .i32(8))
        try h.call("copy_b_to_c", .i64(65532), .i32(131064), .i32(4))
        #expect(try h.call("load_c", .i64(65532)) == [.i32(0x5A5A_5A5A)])
        h.expectTrap(.outOfBoundsMemoryAccess, "copy_b_to_c", .i64(65533), .i32(0), .i32(4))
        try h.call("init_c", .i64(16), .i32(0), .i32(4))
        #expect(try h.call("load_c", .i64(16)) == [.i32(0x4433_2211)])
        h.expectTrap(.outOfBoundsMemoryAccess, "init_c", .i64(0x1_0000_0000), .i32(0), .i32(1))
        // The embedder reaches every memory by index and by export name.
        #expect(h.instance.memoryCount == 3)
        #expect(h.instance.memory(at: 1) === h.instance.memory("b"))
        #expect(h.instance.memory(at: 3) == nil)
    }

    /// A host function reads the memory of its caller it names (export name, index).
    @Test(arguments: bothTiers)
    func callerAddressesMemories(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        linker.defineFunction(module: "env", name: "peek", type: FuncType(params: [.i32], results: [.i32])) { caller, args in
            guard case .i32(let index) = args[0], let memory = caller.memory(at: Int(index)),
                caller.memory(named: "second") === caller.memory(at: 1)
            else { throw CallError("no memory") }
            return [.i32(UInt32(try memory.read(at: 0, count: 1)[0]))]
        }
        let instance = try linker.instantiate(try runtime.compile(wat: """
            (module
              (import "env" "peek" (func $peek (param i32) (result i32)))
              (memory 1) (memory 1)
              (data (memory 0) (i32.const 0) "\\05") (data (memory 1) (i32.const 0) "\\09")
              (export "memory" (memory 0)) (export "second" (memory 1))
              (func (export "peek") (param i32) (result i32) (call $peek (local.get 0))))
            """))
        #expect(try instance.function("peek")!.call([.i32(0)]) == [.i32(5)])
        #expect(try instance.function("peek")!.call([.i32(1)]) == [.i32(9)])
    }

    static let table64 = """
        (module
          (type $t (func (result i32)))
          (table $t64 i64 2 funcref)
          (elem (table $t64) (i64.const 0) func $one $two)
          (func $one (result i32) (i32.const 1))
          (func $two (result i32) (i32.const 2))
          (func (export "call") (param i64) (result i32) (call_indirect $t64 (type $t) (local.get 0)))
          (func (export "tail") (param i64) (result i32) (return_call_indirect $t64 (type $t) (local.get 0)))
          (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t64 (local.get 0))))
          (func (export "set_null") (param i64) (table.set $t64 (local.get 0) (ref.null func)))
          (func (export "grow") (param i64) (result i64) (table.grow $t64 (ref.null func) (local.get 0)))
          (func (export "size") (result i64) (table.size $t64))
          (func (export "fill") (param i64 i64) (table.fill $t64 (local.get 0) (ref.null func) (local.get 1))))
        """

    @Test(arguments: everyTierAndMode)
    func table64Indices(_ tier: Tier, _ mode: CompileMode) throws {
        let h = try Self.harness(tier, mode, Self.table64)
        #expect(try h.call("call", .i64(1)) == [.i32(2)])
        #expect(try h.call("tail", .i64(0)) == [.i32(1)])
        h.expectTrap(.undefinedElement, "call", .i64(0x1_0000_0001))
        h.expectTrap(.undefinedElement, "tail", .s64(-1))
        #expect(try h.call("is_null", .i64(0)) == [.i32(0)])
        h.expectTrap(.outOfBoundsTableAccess, "is_null", .i64(0x1_0000_0000))
        h.expectTrap(.outOfBoundsTableAccess, "set_null", .i64(0x1_0000_0001))
        #expect(try h.call("grow", .i64(1)) == [.i64(2)])
        #expect(try h.call("grow", .i64(0x1_0000_0000)) == [.s64(-1)])
        #expect(try h.call("size") == [.i64(3)])
        h.expectTrap(.outOfBoundsTableAccess, "fill", .i64(0), .i64(0x1_0000_0000))
        try h.call("fill", .i64(0), .i64(3))
        h.expectTrap(.uninitializedElement, "call", .i64(1))
    }

    @Test(arguments: bothTiers)
    func extendedConstants(_ tier: Tier) throws {
        let h = try Self.harness(tier, .lazy, """
            (module
              (global $base i32 (i32.const 40))
              (global $sum i32 (i32.add (global.get $base) (i32.const 2)))
              (global $product i64 (i64.mul (i64.const 6) (i64.sub (i64.const 10) (i64.const 3))))
              (memory 1)
              (data (i32.sub (global.get $sum) (i32.const 1)) "\\07")
              (func (export "sum") (result i32) (global.get $sum))
              (func (export "product") (result i64) (global.get $product))
              (func (export "byte") (result i32) (i32.load8_u (i32.const 41))))
            """)
        #expect(try h.call("sum") == [.i32(42)])
        #expect(try h.call("product") == [.i64(42)])
        #expect(try h.call("byte") == [.i32(7)])
    }

    /// The offsets JIT code uses lead to the fields they name: read through raw pointers from a
    /// live instance with three memories, a table and a global.
    @Test func vmOffsetsReachTheirFields() throws {
        let h = try Self.harness(.jit, .lazy, Self.multiMemory)
        let context = UnsafeRawPointer(h.instance.context)
        let memories = context.load(fromByteOffset: Int(VMOffsets.memories), as: UnsafeRawPointer.self)
        for index in 0..<3 {
            let definition = memories.load(fromByteOffset: index * 8, as: UnsafeRawPointer.self)
            let memory = h.instance.memory(at: index)!
            #expect(definition.load(fromByteOffset: Int(VMOffsets.memoryByteCount), as: Int.self) == memory.byteCount)
            #expect(definition.load(fromByteOffset: Int(VMOffsets.memoryBase), as: UnsafeRawPointer.self) == UnsafeRawPointer(memory.base))
        }
        let memory0 = context.load(fromByteOffset: Int(VMOffsets.memory0), as: UnsafeRawPointer.self)
        #expect(memory0 == UnsafeRawPointer(h.instance.memory(at: 0)!.definition))
        let t = try Self.harness(.jit, .lazy, Self.table64)
        let tables = UnsafeRawPointer(t.instance.context).load(fromByteOffset: Int(VMOffsets.tables), as: UnsafeRawPointer.self)
        let table = tables.load(as: UnsafeRawPointer.self)
        #expect(table.load(fromByteOffset: Int(VMOffsets.tableCount), as: Int.self) == 2)
        let elements = table.load(fromByteOffset: Int(VMOffsets.tableElements), as: UnsafeRawPointer.self)
        let functions = UnsafeRawPointer(t.instance.context).load(fromByteOffset: Int(VMOffsets.functions), as: UnsafeRawPointer.self)
        // Element 0 is function 0's reference; its VMFuncRef holds the instance's context.
        let reference = elements.load(as: UnsafeRawPointer.self)
        #expect(reference == functions.load(as: UnsafeRawPointer.self))
        #expect(reference.load(fromByteOffset: Int(VMOffsets.funcRefContext), as: UnsafeRawPointer.self) == UnsafeRawPointer(t.instance.context))
        #expect(reference.load(fromByteOffset: Int(VMOffsets.funcRefEntry), as: UnsafeRawPointer?.self) != nil)
    }
}
