import Foundation
import Testing
@testable import WasmJIT
import Wasmoon

/// Tier-up never changes a result: programs run tiered with the switch to the optimizing tier
/// at every call count from 1 to N (`TierUpPolicy(background: false)` compiles on the spot,
/// so the switch happens exactly when a function's counter runs out), and must give what the
/// interpreter or the baseline gives.
@Suite("Tier-up")
struct TierUpTests {
    static func tiered(_ threshold: Int) -> EngineConfiguration {
        EngineConfiguration(tier: .jit, jitTier: .tiered, tierUp: TierUpPolicy(threshold: threshold, background: false))
    }

    /// Recursion, a loop carrying values, calls between functions and memory: a sequence of
    /// calls in one instance, so functions switch tiers in the middle of it.
    static let program = """
        (module (memory 1)
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (func $mix (param i64 i64) (result i64)
            (i64.xor (i64.rotl (local.get 0) (i64.const 13)) (i64.mul (local.get 1) (i64.const 0x9E3779B97F4A7C15))))
          (func (export "hash") (param $n i32) (param $seed i64) (result i64) (local $h i64)
            (local.set $h (local.get $seed))
            (block $done (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (i64.store (i32.shl (i32.and (local.get $n) (i32.const 63)) (i32.const 3))
                (local.tee $h (call $mix (local.get $h) (i64.extend_i32_u (local.get $n)))))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next)))
            (i64.add (local.get $h) (i64.load offset=8 (i32.const 0)))))
        """

    static func outcomes(_ configuration: EngineConfiguration) throws -> [String] {
        let h = try InterpreterHarness(configuration: configuration, program)
        var results: [String] = []
        for n in 0..<12 {
            results.append("\(try h.call("fib", .i32(UInt32(n))))")
            results.append("\(try h.call("hash", .i32(UInt32(n * 7)), .i64(UInt64(n))))")
        }
        return results
    }

    @Test func everyThresholdGivesTheInterpretersResults() throws {
        let expected = try Self.outcomes(EngineConfiguration(tier: .interpreter))
        for threshold in 1...24 {
            let configuration = Self.tiered(threshold)
            #expect(try Self.outcomes(configuration) == expected, "threshold \(threshold)")
        }
        // The switch does happen: with threshold 1 every function that ran is optimized.
        let runtime = try Runtime(configuration: Self.tiered(1))
        let store = Store(engine: runtime.engine)
        let module = try runtime.compile(wat: Self.program)
        let instance = try Linker(store: store).instantiate(module)
        _ = try instance.function("hash")!.call([.i32(5), .i64(1)])
        _ = try instance.function("hash")!.call([.i32(5), .i64(1)])
        let code = try #require(module.code as? JITModuleCode)
        #expect(code.optimizedFunctionCount == 2, "hash and mix")
    }

    /// A libsodium program (WASI, deterministic clocks and randomness) tiered with thresholds
    /// 1 to 8 and on the baseline: the same output and the same final memory.
    @Test func libsodiumProgramAtEveryThreshold() throws {
        guard let url = SharedData.path("corpus/libsodium/shorthash.wasm") else { return }
        let bytes = try [UInt8](Data(contentsOf: url))
        func run(_ configuration: EngineConfiguration) throws -> (status: Int32, output: String, memory: [UInt8]) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("wasmoon-tier-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: file.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: file) }
            let handle = try FileHandle(forWritingTo: file)
            var wasiConfiguration = WASIConfiguration(arguments: ["shorthash"], stdout: handle.fileDescriptor)
            DeterministicSources().install(in: &wasiConfiguration)
            let runtime = try Runtime(configuration: configuration)
            let store = Store(engine: runtime.engine)
            let linker = Linker(store: store)
            let wasi = try WASI(configuration: wasiConfiguration)
            wasi.define(in: linker)
            let instance = try linker.instantiate(try runtime.compile(bytes: bytes))
            let status = try wasi.start(instance)
            try handle.close()
            let memory = try #require(instance.memory("memory"))
            let contents = try memory.withUnsafeBytes { [UInt8]($0) }
            return (status, try String(contentsOf: file, encoding: .utf8), contents)
        }
        let reference = try run(EngineConfiguration(tier: .jit, jitTier: .baseline))
        #expect(reference.status == 0 && !reference.output.isEmpty)
        for threshold in 1...8 {
            let tiered = try run(Self.tiered(threshold))
            #expect(tiered.status == reference.status, "threshold \(threshold)")
            #expect(tiered.output == reference.output, "threshold \(threshold)")
            #expect(tiered.memory == reference.memory, "threshold \(threshold): final memory differs")
        }
    }
}
