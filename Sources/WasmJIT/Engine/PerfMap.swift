#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WasmCore

/// `WASMOON_PERF_MAP=1`: every function the JIT compiles gets a line `START SIZE NAME` in
/// `/tmp/perf-PID.map`, the file Linux `perf report` reads to name code it has no symbols for
/// (what Wasmtime's `--profile=perfmap` writes). Off unless the variable is set.
enum PerfMap {
    nonisolated(unsafe) static let file: UnsafeMutablePointer<FILE>? = {
        guard getenv("WASMOON_PERF_MAP") != nil else { return nil }
        return fopen("/tmp/perf-\(getpid()).map", "a")
    }()

    static var isEnabled: Bool { file != nil }

    /// One function's code (stdio locks the stream: compiles on other threads may write too).
    static func record(address: UInt, size: Int, module: WasmCore.Module, functionIndex: Int) {
        guard let file else { return }
        let name = module.functionName(UInt32(functionIndex)).map { "wasm[\(functionIndex)]::\($0)" } ?? "wasm[\(functionIndex)]"
        fputs(String(address, radix: 16) + " " + String(size, radix: 16) + " " + name + "\n", file)
        fflush(file)
    }
}
