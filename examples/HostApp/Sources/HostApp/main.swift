// HostApp: what an app that embeds Wasmoon writes.
//   swift run HostApp [PROGRAM.wasm|.wat]   (default: ../hello.wat, a WASI "hello, world")
// 1. runs a WASI command program, printing its exit status;
// 2. loads a reactor, gives it typed host functions, calls into it, reads its memory;
// 3. stops a guest that never ends, with fuel and from another thread.
import Foundation
import Wasmoon

/// A reactor: no `_start`; the host calls `_initialize`, then its exports.
let reactorText = """
    (module
      (import "host" "add" (func $add (param i32 i32) (result i32)))
      (import "host" "say" (func $say (param i32 i32)))
      (memory (export "memory") 1)
      (global $calls (export "calls") (mut i32) (i32.const 0))
      (data (i32.const 64) "reactor ready")
      (func (export "_initialize") (call $say (i32.const 64) (i32.const 13)))
      (func (export "sum_to") (param $n i32) (result i32) (local $total i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $total (call $add (local.get $total) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (local.get $total))
      (func (export "spin") (loop $forever (br $forever))))
    """

func runCommand(_ path: String) throws(WasmoonError) -> Int32 {
    let runtime = try Runtime()
    let module = try runtime.loadModule(path: path)
    let store = Store(engine: runtime.engine)
    let linker = Linker(store: store)
    let wasi = try WASI(configuration: WASIConfiguration(arguments: [path]))
    defer { wasi.close() }
    wasi.define(in: linker)
    return try wasi.start(try linker.instantiate(module))
}

func runReactor() throws(WasmoonError) {
    let runtime = try Runtime()
    let store = Store(engine: runtime.engine)
    let linker = Linker(store: store)
    // Typed host functions: their wasm types come from the closures, checked when linking.
    linker.define("host", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
    linker.define("host", "say") { (caller: Caller, address: UInt32, length: UInt32) in
        print("guest says:", try caller.memory!.string(at: UInt64(address), count: Int(length)))
    }
    let instance = try linker.instantiate(try runtime.compile(wat: reactorText))
    _ = try instance.function("_initialize")?.call([])
    let sum = try instance.function("sum_to")!.call(Int32(100), returning: Int32.self)
    print("sum_to(100) =", sum)
    let memory = instance.memory("memory")!
    try memory.store(UInt32(0xCAFE), at: 0)
    print("memory[0] =", String(try memory.load(UInt32.self, at: 0), radix: 16))
    print("calls =", instance.global("calls")!.value(as: Int32.self)!)
}

func stopRunawayGuests() throws(WasmoonError) {
    // Fuel: the guest traps once it has used what it was given.
    let metered = try Runtime(configuration: EngineConfiguration(consumeFuel: true))
    let meteredStore = Store(engine: metered.engine)
    meteredStore.setFuel(10_000)
    let linker = Linker(store: meteredStore)
    linker.define("host", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
    linker.define("host", "say") { (_: UInt32, _: UInt32) in }
    let spinner = try linker.instantiate(try metered.compile(wat: reactorText))
    do {
        try spinner.function("spin")!.call()
    } catch {
        print("fuel:", error, "(\(meteredStore.fuelRemaining) left)")
    }
    // Epoch interruption: another thread stops the guest.
    let interruptible = try Runtime(configuration: EngineConfiguration(epochInterruption: true))
    let store = Store(engine: interruptible.engine)
    let other = Linker(store: store)
    other.define("host", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
    other.define("host", "say") { (_: UInt32, _: UInt32) in }
    let guest = try other.instantiate(try interruptible.compile(wat: reactorText))
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { store.interrupt() }
    do {
        try guest.function("spin")!.call()
    } catch {
        print("interrupt:", error, error.isInterrupt ? "(interrupted)" : "")
    }
}

let program = CommandLine.arguments.dropFirst().first ?? "../hello.wat"
do {
    print("exit status:", try runCommand(program))
    try runReactor()
    try stopRunawayGuests()
} catch {
    // One error type: a switch over WasmoonError covers every failure.
    switch error {
    case .trap(let trap): print("trap:", trap.code, trap.backtrace)
    case .link(let problem): print("link:", problem.message)
    default: print("error:", error)
    }
    exit(1)
}
