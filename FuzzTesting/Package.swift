// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for Wasmoon's decoder, validator and WAT front end. A package of its
// own so that the main package never needs `unsafeFlags`: the fuzzer flags are passed on
// the command line by `scripts/fuzz` (see Docs/Fuzzing.md). Not built by CI.
//
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
let package = Package(
    name: "WasmoonFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The main package, by path. `name:` pins its identity to "Wasmoon" whatever the
        // checkout's folder is called (a clone, a worktree).
        .package(name: "Wasmoon", path: ".."),
    ],
    targets: [
        // The declaration of libFuzzer's LLVMFuzzerRunDriver (see FuzzMain in the targets).
        .target(name: "CFuzzDriver"),
        // bytes -> BinaryDecoder.decode -> ModuleValidator.validate -> both engines' prepare.
        .executableTarget(
            name: "FuzzDecode",
            dependencies: [
                "CFuzzDriver",
                .product(name: "WasmCore", package: "Wasmoon"),
                .product(name: "Wasmoon", package: "Wasmoon"),
            ]),
        // bytes as UTF-8 -> TextFormat.wat2wasm -> decode -> validate -> interpreter prepare.
        .executableTarget(
            name: "FuzzWAT",
            dependencies: [
                "CFuzzDriver",
                .product(name: "WasmCore", package: "Wasmoon"),
                .product(name: "Wasmoon", package: "Wasmoon"),
            ]),
    ]
)
