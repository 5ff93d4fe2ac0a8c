// libFuzzer target: arbitrary bytes through the binary path a `.wasm` file takes.
//
//   bytes -> BinaryDecoder.decode -> ModuleValidator.validate
//         -> (valid modules only) CompiledModule on the interpreter and on the JIT
//
// Malformed or invalid input must come back as a DecodeError / ValidationError: a
// crash, a hang (-timeout) or an OOM (-rss_limit_mb) is a finding. A module that
// validates is then prepared by both engines (translated / compiled to machine code),
// which may refuse it with an error (an implementation limit) but must not crash.
// Nothing is instantiated or run.
//
// Built with -parse-as-library (libFuzzer provides main); see scripts/fuzz.
import CFuzzDriver
import WasmCore
import Wasmoon

private let engines: [Engine] = {
    var engines = [try! Runtime(tier: .interpreter).engine]
    #if arch(x86_64)
        engines.append(try! Runtime(tier: .jit).engine)
    #endif
    return engines
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeRawBufferPointer(start: data, count: size))
    let module: WasmCore.Module
    do {
        module = try BinaryDecoder.decode(bytes)
    } catch {
        _ = error.description  // the error must be printable
        return 0
    }
    do {
        try ModuleValidator.validate(module)
    } catch {
        _ = error.description
        return 0
    }
    for engine in engines {
        // An engine may refuse a valid module with an error (an implementation limit,
        // e.g. the interpreter's frame size); it must not crash or hang on it.
        do {
            _ = try CompiledModule(module: module, engine: engine)
        } catch {
            _ = String(describing: error)
        }
    }
    return 0
}

/// SwiftPM links an executable target with `main` defined as `FuzzDecode_main` (so that tests
/// can import executables), which shadows libFuzzer's own `main`: this is that entry
/// point, and it hands the command line to libFuzzer's driver.
@_cdecl("FuzzDecode_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzDecode(data, size) }
}
