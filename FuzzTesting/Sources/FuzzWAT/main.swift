// libFuzzer target: arbitrary bytes as WebAssembly text through our WAT front end.
//
//   bytes (must be UTF-8) -> TextFormat.wat2wasm (WasmKit's WAT library)
//         -> BinaryDecoder.decode -> ModuleValidator.validate
//         -> (valid modules only) CompiledModule on the interpreter
//
// Syntax errors must come back as a TextFormatError, and whatever binary the text
// front end produces must then be decoded and validated without a crash or hang.
// (The encoder may produce binaries our strict decoder rejects, e.g. for text that is
// well-formed but invalid: that is an error, not a finding.)
//
// With WASMOON_FUZZ_EMIT_WASM=DIR, every binary the front end produces is also written
// to DIR (named by a hash of its bytes): scripts/fuzz uses this to turn the spec
// suite's text modules into the binary seed corpus of FuzzDecode.
//
// Built with -parse-as-library (libFuzzer provides main); see scripts/fuzz.
import Foundation
import CFuzzDriver
import WasmCore
import Wasmoon

private let emitDirectory = ProcessInfo.processInfo.environment["WASMOON_FUZZ_EMIT_WASM"]
private let interpreter = try! Runtime(tier: .interpreter).engine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWAT(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let raw = size == 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : UnsafeRawBufferPointer(start: data, count: size)
    guard let text = String(validating: raw, as: UTF8.self) else {
        return -1  // not text: keep it out of the corpus
    }
    let bytes: [UInt8]
    do {
        bytes = try TextFormat.wat2wasm(text)
    } catch {
        _ = error.description
        return 0
    }
    if let emitDirectory { emit(bytes, to: emitDirectory) }
    let module: WasmCore.Module
    do {
        module = try BinaryDecoder.decode(bytes)
        try ModuleValidator.validate(module)
    } catch {
        _ = String(describing: error)
        return 0
    }
    do {
        _ = try CompiledModule(module: module, engine: interpreter)
    } catch {
        _ = String(describing: error)  // an implementation limit: an error, not a finding
    }
    return 0
}

/// Writes `bytes` to DIR/<FNV-1a of the bytes>.wasm.
private func emit(_ bytes: [UInt8], to directory: String) {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    let path = directory + "/" + String(hash, radix: 16) + ".wasm"
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// SwiftPM links an executable target with `main` defined as `FuzzWAT_main` (so that tests
/// can import executables), which shadows libFuzzer's own `main`: this is that entry
/// point, and it hands the command line to libFuzzer's driver.
@_cdecl("FuzzWAT_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzWAT(data, size) }
}
