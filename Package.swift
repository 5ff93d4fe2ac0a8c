// swift-tools-version:6.1
import PackageDescription

// Wasmoon: a WebAssembly runtime with an interpreter tier and an x86-64 JIT tier.
// See Docs/Architecture.md for the picture of how the targets depend on each other.
let package = Package(
    name: "Wasmoon",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Wasmoon", targets: ["Wasmoon"]),
        // The module model, decoder and validator on their own (used by fuzz/, the fuzz targets).
        .library(name: "WasmCore", targets: ["WasmCore"]),
        .executable(name: "wasmoon", targets: ["WasmoonCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Module model, strict binary decoder, validator. Depends on nothing.
        .target(name: "WasmCore"),
        // C: the JIT's signal handler (fault -> trap redirect), code/memory registries, sigaltstack.
        .target(name: "CWasmoon"),
        // Store, instances, memories, tables, globals, linker, traps, engine protocol.
        .target(name: "WasmRuntime", dependencies: ["WasmCore", "CWasmoon"]),
        // Register-based interpreter: translator + dispatch loop (CWasmoon: atomics for lazy translation).
        .target(name: "WasmInterpreter", dependencies: ["WasmCore", "WasmRuntime", "CWasmoon"]),
        // The optimizing tier's middle end: SSA IR built from validated wasm, its verifier and passes.
        .target(name: "WasmOptimizer", dependencies: ["WasmCore"]),
        // x86-64 JIT: assembler with listing, W^X code memory, the baseline compiler (JITEngine).
        .target(name: "WasmJIT", dependencies: ["WasmCore", "WasmRuntime", "WasmOptimizer", "CWasmoon"]),
        // WASI preview1 (wasi_snapshot_preview1) host functions, sandboxed to preopened directories.
        .target(name: "WasmoonWASI", dependencies: ["WasmCore", "WasmRuntime"]),
        // The library embedders import: runtime configuration, the text front end, value formats,
        // one error type; re-exports the runtime API and WASI.
        .target(
            name: "Wasmoon",
            dependencies: [
                "WasmCore", "WasmRuntime", "WasmInterpreter", "WasmJIT", "WasmoonWASI",
                .product(name: "WAT", package: "WasmKit"),
            ]),
        // The WAST script runner (`wasmoon test`, the spec gate): not part of the library product.
        .target(
            name: "WasmoonWAST",
            dependencies: ["Wasmoon", "WasmCore", .product(name: "WAT", package: "WasmKit")]),
        // What each `wasmoon` subcommand does, callable in-process (tests drive it without a shell).
        .target(
            name: "WasmoonCommands",
            dependencies: ["Wasmoon", "WasmoonWAST", "WasmCore", "WasmJIT", "WasmoonWASI"]),
        // The `wasmoon` command line: argument parsing only.
        .executableTarget(
            name: "WasmoonCLI",
            dependencies: ["WasmoonCommands", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(
            name: "WasmoonTests",
            dependencies: [
                "Wasmoon", "WasmoonWAST", "WasmoonCommands", "WasmCore", "WasmRuntime", "WasmInterpreter",
                "WasmJIT", "WasmoonWASI", "WasmOptimizer", .product(name: "WAT", package: "WasmKit"),
            ]),
    ]
)
