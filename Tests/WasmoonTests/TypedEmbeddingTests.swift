import Foundation
import Testing
import Wasmoon

/// The typed half of the embedding API, on both tiers: host functions and calls written
/// with Swift types, typed memory, global and table access, the one error type, switched-off
/// proposals and the stack budget.
@Suite("Typed embedding API")
struct TypedEmbeddingTests {
    static let tiers: [Tier] = Runtime.jitAvailable ? [.interpreter, .jit] : [.interpreter]

    static let guest = """
        (module
          (import "env" "add" (func $add (param i32 i32) (result i32)))
          (import "env" "scale" (func $scale (param f64) (result f64 i64)))
          (import "env" "log" (func $log (param i32 i32)))
          (memory (export "memory") 1)
          (global $counter (export "counter") (mut i32) (i32.const 5))
          (table (export "table") 2 funcref)
          (elem (i32.const 1) $twice)
          (data (i32.const 16) "hello, host")
          (func $twice (export "twice") (param i64) (result i64) (i64.add (local.get 0) (local.get 0)))
          (func (export "sum") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
          (func (export "scaled") (param f64) (result i64) (local i64)
            (call $scale (local.get 0)) (local.set 1) (drop) (local.get 1))
          (func (export "greet") (call $log (i32.const 16) (i32.const 11)))
          (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1)))))
        """

    /// Typed host functions with and without a `Caller`, their types taken from the closures.
    @Test(arguments: tiers) func typedHostFunctions(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let module = try runtime.compile(wat: Self.guest)
        let store = Store(engine: runtime.engine)  // what comes from a store needs it alive
        let linker = Linker(store: store)
        linker.define("env", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
        linker.define("env", "scale") { (x: Double) -> (Double, Int64) in (x * 2, Int64(x * 10)) }
        let logged = Box<String>("")
        linker.define("env", "log") { (caller: Caller, address: UInt32, length: UInt32) in
            logged.value = try caller.memory!.string(at: UInt64(address), count: Int(length))
        }
        #expect(linker.lookup(module: "env", name: "scale").map(functionType) == FuncType(params: [.f64], results: [.f64, .i64]))
        let instance = try linker.instantiate(module)
        #expect(try instance.function("sum")!.call(Int32(-7), Int32(3), returning: Int32.self) == -4)
        #expect(try instance.function("twice")!.call(Int64(21), returning: Int64.self) == 42)
        #expect(try instance.function("scaled")!.call(1.5, returning: Int64.self) == 15)
        try instance.function("greet")!.call()
        #expect(logged.value == "hello, host")
        withExtendedLifetime(store) {}
    }

    /// A typed host function whose type is not the import's is refused when linking.
    @Test func typedHostFunctionTypeIsCheckedAtLink() throws {
        let runtime = try Runtime(tier: .interpreter)
        let module = try runtime.compile(wat: Self.guest)
        let linker = Linker(store: Store(engine: runtime.engine))
        linker.define("env", "add") { (a: Int64, b: Int64) -> Int64 in a + b }
        linker.define("env", "scale") { (x: Double) -> (Double, Int64) in (x, 0) }
        linker.define("env", "log") { (_: Int32, _: Int32) in }
        do {
            _ = try linker.instantiate(module)
            Issue.record("linked with a host function of the wrong type")
        } catch {
            guard case .link(let e) = error else { throw error }
            #expect(e.message.contains("env::add"), "\(e)")
            #expect(e.message.contains("(i64, i64) -> i64") || e.message.contains("i64"), "\(e)")
        }
    }

    /// Typed calls check their Swift types against the function's.
    @Test func typedCallsCheckTypes() throws {
        let runtime = try Runtime(tier: .interpreter)
        let store = Store(engine: runtime.engine)  // what comes from a store needs it alive
        let instance = try Linker(store: store).instantiate(try runtime.compile(wat: """
            (module (func (export "neg") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0))))
            """))
        let neg = instance.function("neg")!
        #expect(try neg.call(Int32(5), returning: Int32.self) == -5)
        #expect(try neg.call(UInt32(1), returning: UInt32.self) == UInt32.max)
        #expect(throws: WasmoonError.self) { try neg.call(Int64(5), returning: Int32.self) }
        #expect(throws: WasmoonError.self) { try neg.call(Int32(5), returning: Double.self) }
        #expect(throws: WasmoonError.self) { try neg.call(Int32(5)) }
        withExtendedLifetime(store) {}
    }

    /// Typed memory access: numbers little-endian, strings, raw buffers, bounds as traps.
    @Test func typedMemoryAccess() throws {
        let runtime = try Runtime(tier: .interpreter)
        let memory = try Memory(type: MemoryType(limits: Limits(min: 1, max: 2)))
        try memory.store(UInt32(0x1122_3344), at: 8)
        #expect(try memory.load(UInt8.self, at: 8) == 0x44)
        #expect(try memory.load(UInt32.self, at: 8) == 0x1122_3344)
        #expect(try memory.load(UInt16.self, at: 9) == 0x2233)
        try memory.store(-2.5, at: 100)
        #expect(try memory.load(Double.self, at: 100) == -2.5)
        try memory.store(Float(0.5), at: 200)
        #expect(try memory.load(UInt32.self, at: 200) == Float(0.5).bitPattern)
        #expect(try memory.write(string: "wasm\u{0}", at: 300) == 5)
        #expect(try memory.cString(at: 300) == "wasm")
        #expect(try memory.string(at: 300, count: 4) == "wasm")
        memory.withUnsafeMutableBytes { $0[400] = 7 }
        #expect(memory.withUnsafeBytes { $0.count } == 65536)
        #expect(try memory.read(at: 400, count: 1) == [7])
        func expectOutOfBounds(_ body: () throws -> Void) {
            do {
                try body()
                Issue.record("an access out of bounds succeeded")
            } catch {
                #expect((error as? WasmoonError)?.trapCode == .outOfBoundsMemoryAccess)
            }
        }
        expectOutOfBounds { _ = try memory.load(UInt64.self, at: 65532) }
        expectOutOfBounds { _ = try memory.load(UInt8.self, at: 65536) }
        expectOutOfBounds { _ = try memory.load(UInt8.self, at: UInt64.max) }
        expectOutOfBounds { try memory.write([1, 2], at: 65535) }
        memory.withUnsafeMutableBytes { $0[65535] = 1 }  // no NUL up to the end
        #expect(throws: WasmoonError.self) { try memory.cString(at: 65535) }
        _ = runtime
    }

    /// Globals and tables through Swift types, with their types enforced.
    @Test(arguments: tiers) func globalsAndTables(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let store = Store(engine: runtime.engine)  // what comes from a store needs it alive
        let linker = Linker(store: store)
        linker.define("env", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
        linker.define("env", "scale") { (x: Double) -> (Double, Int64) in (x, 0) }
        linker.define("env", "log") { (_: Int32, _: Int32) in }
        let instance = try linker.instantiate(try runtime.compile(wat: Self.guest))
        let counter = instance.global("counter")!
        #expect(counter.value(as: Int32.self) == 5)
        #expect(counter.value(as: Int64.self) == nil)
        try instance.function("bump")!.call()
        #expect(counter.value(as: Int32.self) == 6)
        try counter.set(Int32(41))
        try instance.function("bump")!.call()
        #expect(counter.value(as: Int32.self) == 42)
        #expect(throws: WasmoonError.self) { try counter.set(Int64(1)) }

        let table = instance.table("table")!
        #expect(try table.function(at: 0) == nil)
        let twice = try #require(try table.function(at: 1))
        #expect(try twice.call(Int64(8), returning: Int64.self) == 16)
        // A value of another type never enters a funcref table: wasm would call it.
        #expect(throws: WasmoonError.self) { try table.set(0, .externRef(ExternRef(id: 3))) }
        #expect(table.grow(by: 1, filling: .externRef(nil)) == nil)
        #expect(table.grow(by: 1, filling: .funcRef(twice)) == 2)
        do {
            _ = try table.function(at: 3)
            Issue.record("read past the table")
        } catch {
            #expect(error.trapCode == .outOfBoundsTableAccess)
        }
        withExtendedLifetime(store) {}
    }

    /// One error type: each failure comes back as its case, with its payload.
    @Test func oneErrorType() throws {
        let runtime = try Runtime(tier: .interpreter)
        func kind(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "none"
            } catch {
                guard let error = error as? WasmoonError else { return "not a WasmoonError: \(error)" }
                switch error {
                case .malformed: return "malformed"
                case .invalid: return "invalid"
                case .text: return "text"
                case .link: return "link"
                case .trap(let trap): return "trap \(trap.code)"
                case .exit(let code): return "exit \(code)"
                case .resource: return "resource"
                case .host(let thrown): return "host \(thrown)"
                default: return "\(error)"
                }
            }
        }
        #expect(kind { _ = try runtime.compile(bytes: [0, 0x61, 0x73]) } == "malformed")
        #expect(kind { _ = try runtime.compile(wat: "(module (func (result i32)))") } == "invalid")
        #expect(kind { _ = try runtime.compile(wat: "(module (func") } == "text")
        let store = Store(engine: runtime.engine)
        let importer = try runtime.compile(wat: #"(module (import "m" "f" (func)))"#)
        #expect(kind { _ = try Linker(store: store).instantiate(importer) } == "link")
        let trapping = try Linker(store: store).instantiate(try runtime.compile(wat: """
            (module (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
            """))
        #expect(kind { _ = try trapping.function("div")!.call(Int32(0), returning: Int32.self) } == "trap integerDivideByZero")
        struct Refusal: Error {}
        let linker = Linker(store: store)
        linker.define("m", "f") { () throws -> () in throw Refusal() }
        let callsHost = try linker.instantiate(try runtime.compile(wat: """
            (module (import "m" "f" (func $f)) (func (export "run") (call $f)))
            """))
        #expect(kind { try callsHost.function("run")!.call() } == "host Refusal()")
        store.limits.maxMemoryBytes = 65536
        #expect(kind { _ = try Linker(store: store).instantiate(try runtime.compile(wat: "(module (memory 2))")) } == "resource")
    }

    /// A function of one store is not importable into another (it would outlive its store).
    @Test func functionsStayInTheirStore() throws {
        let runtime = try Runtime(tier: .interpreter)
        let exporterStore = Store(engine: runtime.engine)  // a store must outlive what comes from it
        let exporter = try Linker(store: exporterStore).instantiate(
            try runtime.compile(wat: #"(module (func (export "f")))"#))
        let linker = Linker(store: Store(engine: runtime.engine))
        linker.define(instance: exporter, as: "m")
        do {
            _ = try linker.instantiate(try runtime.compile(wat: #"(module (import "m" "f" (func)))"#))
            Issue.record("imported a function of another store")
        } catch {
            guard case .link(let e) = error else { throw error }
            #expect(e.message.contains("another store"))
        }
        withExtendedLifetime(exporterStore) {}
    }

    /// A switched-off proposal refuses the modules that use it, by name; others still load.
    @Test(arguments: [
        (WasmProposals.simd, "(module (func (result v128) (v128.const i64x2 0 0)))", "SIMD"),
        (.simd, "(module (func (param v128)))", "SIMD"),
        (.relaxedSIMD, "(module (func (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))", "relaxed SIMD"),
        (.exceptions, "(module (tag))", "exception handling"),
        (.exceptions, "(module (func (try_table)))", "exception handling"),
        (.tailCalls, "(module (func $f (return_call $f)))", "tail calls"),
        (.functionReferences, "(module (type $t (func)) (func (param (ref $t))))", "typed function references"),
        (.memory64, "(module (memory i64 1))", "memory64"),
        (.multiMemory, "(module (memory 1) (memory 1))", "multi-memory"),
        (.extendedConst, "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))", "extended constant expressions"),
    ])
    func switchedOffProposals(_ proposal: WasmProposals, _ wat: String, _ name: String) throws {
        let off = try Runtime(configuration: EngineConfiguration(tier: .interpreter, proposals: WasmProposals.all.subtracting(proposal)))
        do {
            _ = try off.compile(wat: wat)
            Issue.record("\(name) was not refused")
        } catch {
            #expect("\(error)".hasPrefix("unsupported feature: \(name) (switched off"), "\(error)")
        }
        _ = try Runtime(tier: .interpreter).compile(wat: wat)
        _ = try off.compile(wat: "(module (func (export \"f\") (result i32) (i32.const 1)))")
    }

    /// With a stack budget, deep recursion traps sooner on both tiers, and the next call from
    /// the host has the whole budget again; without one, it goes much deeper.
    @Test(arguments: tiers) func stackBudget(_ tier: Tier) throws {
        let wat = """
            (module (func $down (export "down") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
            """
        func deepest(_ configuration: EngineConfiguration) throws -> Int32 {
            let runtime = try Runtime(configuration: configuration)
            let store = Store(engine: runtime.engine)
            defer { withExtendedLifetime(store) {} }
            let down = try Linker(store: store).instantiate(try runtime.compile(wat: wat)).function("down")!
            var low: Int32 = 0, high: Int32 = 1 << 20
            while low + 1 < high {  // the deepest depth that returns
                let middle = (low + high) / 2
                do {
                    _ = try down.call(middle, returning: Int32.self)
                    low = middle
                } catch {
                    #expect(error.trapCode == .callStackExhausted, "\(error)")
                    high = middle
                }
            }
            return low
        }
        let small = try deepest(EngineConfiguration(tier: tier, maxWasmStack: 64 * 1024))
        let large = try deepest(EngineConfiguration(tier: tier, maxWasmStack: 1024 * 1024))
        #expect(small > 100, "\(tier): \(small)")
        #expect(large > 4 * small, "\(tier): \(small) vs \(large)")
    }

    private func functionType(_ value: ExternalValue) -> FuncType? {
        if case .function(let f) = value { f.type } else { nil }
    }
}
