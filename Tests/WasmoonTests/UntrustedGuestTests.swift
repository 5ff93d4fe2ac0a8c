import Foundation
import Testing
import Wasmoon

/// Stopping and bounding untrusted guests on both tiers: epoch interruption (`Store.interrupt`
/// from another thread, epoch deadlines), fuel, store limits on memories, tables and instances,
/// and the command line's `--fuel`, `--timeout` and `--max-memory-size`.
@Suite("Untrusted guests")
struct UntrustedGuestTests {
    static let spinning = """
        (module
          (memory 1)
          (func $spin (export "spin") (loop br 0))
          (func $count (export "count") (param i32) (result i32)
            (loop $l (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br $l))
            (local.get 0))
          (func $tail (export "tail") (param i32) (result i32) (return_call $tail (local.get 0)))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
        """

    static func interruptible(_ tier: Tier, _ mode: CompileMode) throws -> InterpreterHarness {
        let runtime = try Runtime(configuration: EngineConfiguration(tier: tier, compileMode: mode, epochInterruption: true))
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let instance = try linker.instantiate(try runtime.compile(wat: spinning))
        return InterpreterHarness(runtime: runtime, store: store, linker: linker, instance: instance)
    }

    /// Another thread interrupts a guest stuck in a loop, and one stuck in tail calls; the
    /// store then stays interrupted until it gets a new deadline.
    @Test(arguments: everyTierAndMode)
    func anotherThreadInterrupts(_ tier: Tier, _ mode: CompileMode) throws {
        let h = try Self.interruptible(tier, mode)
        for (name, arguments) in [("spin", [Value]()), ("count", [.i32(0)]), ("tail", [.i32(0)])] {
            let store = h.store
            let thread = Thread { usleep(30_000); store.interrupt() }
            thread.start()
            do {
                let r = try h.instance.function(name)!.call(arguments)
                Issue.record("\(name) returned \(r)")
            } catch {
                guard case .trap(let trap) = error else { throw error }
                #expect(trap.code == .interrupt, "\(name): \(trap)")
                #expect(trap.message == "interrupt")
                #expect(error.isInterrupt)
            }
            while thread.isExecuting { usleep(1000) }
            // Still interrupted: the next call of a function that loops stops at its entry (one
            // that neither loops nor calls has no check: it ends anyway).
            h.expectTrap(.interrupt, "count", .i32(0))
            #expect(try h.call("add", .i32(1), .i32(2)) == [.i32(3)])
            h.store.setEpochDeadline(afterTicks: nil)
            #expect(try h.call("add", .i32(1), .i32(2)) == [.i32(3)])
        }
    }

    /// A deadline of N ticks: the guest runs until the engine's epoch has advanced N times.
    @Test(arguments: bothTiers)
    func epochDeadline(_ tier: Tier) throws {
        let h = try Self.interruptible(tier, .lazy)
        h.store.setEpochDeadline(afterTicks: 3)
        let engine = h.runtime.engine
        let start = engine.currentEpoch
        let ticker = Thread {
            for _ in 0..<50 {
                usleep(10_000)
                engine.incrementEpoch()
            }
        }
        ticker.start()
        h.expectTrap(.interrupt, "spin")
        #expect(engine.currentEpoch >= start + 3)
        while ticker.isExecuting { usleep(1000) }
        h.store.setEpochDeadline(afterTicks: 1000)
        #expect(try h.call("add", .i32(2), .i32(3)) == [.i32(5)])
    }

    /// Fuel: about one unit per operator, charged per straight-line run, the same on both tiers
    /// (`sum(3)` below costs exactly 52: 2 at entry, 12 for each of the four passes through the
    /// loop's header, the last one exiting at its `br_if`, 2 after the loop).
    @Test(arguments: everyTierAndMode)
    func fuelRunsOut(_ tier: Tier, _ mode: CompileMode) throws {
        let runtime = try Runtime(configuration: EngineConfiguration(tier: tier, compileMode: mode, consumeFuel: true))
        let store = Store(engine: runtime.engine)
        let linker = Linker(store: store)
        let instance = try linker.instantiate(try runtime.compile(wat: """
            (module
              (func (export "spin") (loop br 0))
              (func (export "sum") (param i32) (result i32) (local i32)
                (block $done (loop $l
                  (br_if $done (i32.eqz (local.get 0)))
                  (local.set 1 (i32.add (local.get 1) (local.get 0)))
                  (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                  (br $l)))
                (local.get 1)))
            """))
        let h = InterpreterHarness(runtime: runtime, store: store, linker: linker, instance: instance)
        h.expectTrap(.outOfFuel, "sum", .i32(3))  // a store starts with no fuel
        store.setFuel(52)
        #expect(try h.call("sum", .i32(3)) == [.i32(6)])
        #expect(store.fuelRemaining == 0)
        store.setFuel(51)
        h.expectTrap(.outOfFuel, "sum", .i32(3))
        store.setFuel(1000)
        #expect(try h.call("sum", .i32(3)) == [.i32(6)])
        #expect(store.fuelRemaining == 948)
        store.addFuel(10)
        #expect(store.fuelRemaining == 958)
        store.setFuel(100_000)
        let trap = h.expectTrap(.outOfFuel, "spin")
        #expect(trap?.message == "all fuel consumed")
        #expect(store.fuelRemaining == 0)
    }

    @Test(arguments: bothTiers)
    func memoryLimit(_ tier: Tier) throws {
        let runtime = try Runtime(tier: tier)
        let module = try runtime.compile(wat: """
            (module
              (memory (export "memory") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """)
        let store = Store(engine: runtime.engine)
        store.limits = StoreLimits(maxMemoryBytes: 3 * 65536)
        let instance = try Linker(store: store).instantiate(module)
        let grow = instance.function("grow")!
        #expect(try grow.call([.i32(2)]) == [.i32(1)])
        #expect(try grow.call([.i32(1)]) == [.s32(-1)])
        #expect(try grow.call([.i32(0)]) == [.i32(3)])
        #expect(instance.memory("memory")!.maxPages == 3)
        // A memory whose initial size is past the limit fails instantiation.
        let small = Store(engine: runtime.engine)
        small.limits.maxMemoryBytes = 65535
        #expect(throws: WasmoonError.self) { try Linker(store: small).instantiate(module) }
    }

    @Test func tableAndCountLimits() throws {
        let runtime = try Runtime(tier: .interpreter)
        let module = try runtime.compile(wat: """
            (module
              (table 2 funcref)
              (memory 0)
              (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
            """)
        let store = Store(engine: runtime.engine)
        store.limits = StoreLimits(maxTableElements: 5, maxInstances: 2, maxMemories: 2, maxTables: 3)
        let linker = Linker(store: store)
        let first = try linker.instantiate(module)
        #expect(try first.function("grow")!.call([.i32(3)]) == [.i32(2)])
        #expect(try first.function("grow")!.call([.i32(1)]) == [.s32(-1)])
        _ = try linker.instantiate(module)
        #expect(throws: WasmoonError.self) { try linker.instantiate(module) }
        let tight = Store(engine: runtime.engine)
        tight.limits.maxTableElements = 1
        #expect(throws: WasmoonError.self) { try Linker(store: tight).instantiate(module) }
        let oneMemory = Store(engine: runtime.engine)
        oneMemory.limits.maxMemories = 1
        let oneMemoryLinker = Linker(store: oneMemory)
        _ = try oneMemoryLinker.instantiate(module)
        #expect(throws: WasmoonError.self) { try oneMemoryLinker.instantiate(module) }
    }

    /// cli.md: `--timeout` ends a guest stuck in `(loop br 0)` with a trap (exit 134) on both
    /// tiers; `--max-memory-size` makes `memory.grow` past it return -1, and a larger initial
    /// memory fail to instantiate (exit 1).
    @Test(arguments: [["--no-jit"], []])
    func commandLineLimits(_ tier: [String]) throws {
        let path = try CLI.temporaryFile(Self.spinning + "\n")
        let start = Date()
        let r = try CLI.run(["run"] + tier + ["--timeout", "0.5", "--invoke", "spin", path])
        #expect(r.status == 134)
        #expect(r.stderr.hasPrefix("error: wasm trap: interrupt\n"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 30)
        let grow = try CLI.temporaryFile("(module (memory 1) (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))")
        let ok = try CLI.run(["run"] + tier + ["--max-memory-size", "196608", "--invoke", "grow", grow, "2"])
        #expect(ok.status == 0 && ok.stdout == "1\n", "\(ok.stderr)")
        let refused = try CLI.run(["run"] + tier + ["--max-memory-size", "196608", "--invoke", "grow", grow, "3"])
        #expect(refused.status == 0 && refused.stdout == "-1\n", "\(refused.stderr)")
        let tooLarge = try CLI.run(["run"] + tier + ["--max-memory-size", "1000", "--invoke", "grow", grow, "0"])
        #expect(tooLarge.status == 1)
        #expect(tooLarge.stderr.contains("exceeds the limit of 1000 bytes"), "\(tooLarge.stderr)")
        let bad = try CLI.run(["run"] + tier + ["--timeout", "-1", grow])
        #expect(bad.status == 2)
        let fuel = try CLI.run(["run"] + tier + ["--fuel", "100000", "--invoke", "spin", path])
        #expect(fuel.status == 134)
        #expect(fuel.stderr.hasPrefix("error: wasm trap: all fuel consumed\n"), "\(fuel.stderr)")
        let enough = try CLI.run(["run"] + tier + ["--fuel", "10", "--invoke", "add", path, "2", "3"])
        #expect(enough.status == 0 && enough.stdout == "5\n", "\(enough.stderr)")
        // The limits hold while calls are traced, and the trace shows the call they stopped.
        for (limit, message) in [(["--fuel", "100000"], "all fuel consumed"), (["--timeout", "0.5"], "interrupt")] {
            let traced = try CLI.run(["run"] + tier + limit + ["--trace-calls", "--invoke", "spin", path])
            #expect(traced.status == 134, "\(limit): \(traced.stderr)")
            #expect(traced.stderr.contains("call 0 'spin' ()\ntrap 0 'spin': \(message) in wasm function 0"), "\(traced.stderr)")
            #expect(traced.stderr.contains("error: wasm trap: \(message)\n"), "\(traced.stderr)")
        }
    }
}
