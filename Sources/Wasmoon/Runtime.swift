// Target `Wasmoon`: the public library product. A facade over the runtime for embedders
// and the command line — picking the engine for a tier, the text front end, the WAST
// script runner, value formats, and the logic of every `wasmoon` subcommand. It owns
// no execution machinery (that is WasmRuntime and the engines) and parses no command
// lines (that is WasmoonCLI).
import Foundation
import WasmInterpreter
import WasmJIT

// What embedders need comes with `import Wasmoon`: the whole runtime API, and the
// module-model types that appear in it. WasmCore is not re-exported wholesale because
// its `Global` (a module's global definition) would clash with the runtime's `Global`.
@_exported import WasmRuntime
@_exported import struct WasmCore.DecodeError
@_exported import struct WasmCore.ValidationError
@_exported import struct WasmCore.FuncType
@_exported import enum WasmCore.ValueType
@_exported import struct WasmCore.V128
@_exported import struct WasmCore.RefType
@_exported import enum WasmCore.HeapType
@_exported import enum WasmCore.AbstractHeapType
@_exported import struct WasmCore.Limits
@_exported import struct WasmCore.MemoryType
@_exported import struct WasmCore.TableType
@_exported import enum WasmCore.AddressType
@_exported import struct WasmCore.GlobalType
@_exported import enum WasmCore.Mutability
@_exported import struct WasmCore.Import
@_exported import enum WasmCore.ImportDescriptor
@_exported import struct WasmCore.Export
@_exported import enum WasmCore.ExportDescriptor

/// The embedder's entry point: an `Engine` for a tier, plus loading modules from
/// bytes, text or files.
///
/// ```swift
/// let runtime = try Runtime(tier: .interpreter)
/// let module = try runtime.loadModule(path: "examples/add.wat")
/// let store = Store(engine: runtime.engine)
/// let instance = try Linker(store: store).instantiate(module)
/// let sum = try instance.function("add")!.call([.i32(5), .i32(UInt32(bitPattern: -3))])
/// ```
public struct Runtime: Sendable {
    /// The tier used when none is asked for: the JIT where it runs (Linux on x86-64, the
    /// only platform tested), else the interpreter. `--no-jit` selects the interpreter.
    public static let defaultTier: Tier = jitAvailable ? .jit : .interpreter

    /// Whether this build can run the JIT tier (Linux on x86-64).
    public static var jitAvailable: Bool { JITEngine.isSupported }

    public let engine: Engine

    /// This release of Wasmoon (`wasmoon --version`).
    public static let version = "0.4.0"

    /// Creates a runtime whose engine runs code on `tier`, translating or compiling each
    /// function on its first call (`.lazy`) or all of a module's when it is loaded (`.eager`).
    /// Throws `WasmoonError.tierUnavailable` for the JIT where it cannot run (`jitAvailable`).
    public init(tier: Tier = Runtime.defaultTier, compile mode: CompileMode = .lazy) throws(WasmoonError) {
        switch tier {
        case .interpreter:
            engine = Engine(tier: .interpreter, backend: InterpreterEngine(compileMode: mode))
        case .jit:
            guard Runtime.jitAvailable else { throw .tierUnavailable(.jit) }
            engine = Engine(tier: .jit, backend: JITEngine(compileMode: mode))
        }
    }

    /// Creates a runtime from a configuration: its tier, when it compiles, and the checks
    /// that let an embedder stop untrusted guests.
    public init(configuration: EngineConfiguration) throws(WasmoonError) {
        let interruptible = configuration.epochInterruption, fuel = configuration.consumeFuel
        switch configuration.tier {
        case .interpreter:
            engine = Engine(
                tier: .interpreter,
                backend: InterpreterEngine(
                    compileMode: configuration.compileMode, interruptible: interruptible, consumesFuel: fuel),
                epochInterruption: interruptible, consumesFuel: fuel)
        case .jit:
            guard Runtime.jitAvailable else { throw .tierUnavailable(.jit) }
            engine = Engine(
                tier: .jit,
                backend: JITEngine(compileMode: configuration.compileMode, interruptible: interruptible, consumesFuel: fuel),
                epochInterruption: interruptible, consumesFuel: fuel)
        }
    }

    /// Creates a runtime whose engine reports every wasm call to `callTracer`
    /// (`--trace-calls`), on either tier.
    public init(tier: Tier, callTracer: any CallTracer, compile mode: CompileMode = .lazy) throws(WasmoonError) {
        switch tier {
        case .interpreter:
            engine = Engine(
                tier: .interpreter, backend: InterpreterEngine(callTracer: callTracer, compileMode: mode),
                callTracer: callTracer)
        case .jit:
            guard Runtime.jitAvailable else { throw .tierUnavailable(.jit) }
            engine = Engine(
                tier: .jit, backend: JITEngine(callTracer: callTracer, compileMode: mode), callTracer: callTracer)
        }
    }

    /// Decodes, validates and prepares a binary module.
    public func compile(bytes: [UInt8]) throws(WasmoonError) -> CompiledModule {
        try Runtime.compile(bytes: bytes, engine: engine, source: nil)
    }

    /// Parses a `.wat` text and compiles the module.
    public func compile(wat text: String) throws(WasmoonError) -> CompiledModule {
        let bytes: [UInt8]
        do { bytes = try TextFormat.wat2wasm(text) } catch { throw .text(error, source: nil) }
        return try Runtime.compile(bytes: bytes, engine: engine, source: nil)
    }

    /// Loads a module from a file: binary (starting with `\0asm`) or text (`.wat`,
    /// or any file whose first non-blank character is `(` or a `;;` comment).
    public func loadModule(path: String) throws(WasmoonError) -> CompiledModule {
        let bytes = try Runtime.moduleBytes(path: path)
        return try Runtime.compile(bytes: bytes, engine: engine, source: path)
    }

    /// The binary of the module at `path`: read as is, or translated from text.
    public static func moduleBytes(path: String) throws(WasmoonError) -> [UInt8] {
        let data = try readFile(path)
        guard isText(data, path: path) else { return data }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .text(TextFormatError(message: "file is not valid UTF-8"), source: path)
        }
        do { return try TextFormat.wat2wasm(text) } catch { throw .text(error, source: path) }
    }

    /// Is this file the text format? Binary magic wins over the name.
    static func isText(_ data: [UInt8], path: String) -> Bool {
        if data.starts(with: [0x00, 0x61, 0x73, 0x6D]) { return false }
        if path.lowercased().hasSuffix(".wat") { return true }
        let first = data.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return first == UInt8(ascii: "(") || first == UInt8(ascii: ";")
    }

    /// Reads a whole file, mapping failures to `WasmoonError.file`.
    public static func readFile(_ path: String) throws(WasmoonError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .file(path: path, reason: "No such file or directory")
        }
        guard !isDirectory.boolValue else { throw .file(path: path, reason: "Is a directory") }
        // Straight into the array with read(2): going through `Data` touched every page twice.
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let n = read(fd, buffer.baseAddress! + count, size - count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    failure = n < 0 ? errno : 0
                    break
                }
                count += n
            }
        }
        if failure != 0 { throw .file(path: path, reason: String(cString: strerror(failure))) }
        // A file that grew while read (or a pipe-like file with no size): read the rest.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .file(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    static func compile(bytes: [UInt8], engine: Engine, source: String?) throws(WasmoonError) -> CompiledModule {
        do {
            return try CompiledModule(bytes: bytes, engine: engine)
        } catch {
            throw WasmoonError(error, source: source)
        }
    }
}

/// Everything that can go wrong between a file name and a finished call, worded for
/// people: `description` is the text after `error: ` on the command line.
public enum WasmoonError: Error, CustomStringConvertible {
    /// A file could not be read.
    case file(path: String, reason: String)
    /// A WAT syntax error (`source` is the file, if any).
    case text(TextFormatError, source: String?)
    /// The binary is malformed.
    case malformed(DecodeError, source: String?)
    /// The module is invalid.
    case invalid(ValidationError, source: String?)
    /// An import could not be resolved.
    case link(LinkError)
    /// Execution trapped.
    case trap(Trap)
    /// A wasm exception no handler caught.
    case exception(WasmException)
    /// The host ran out of a resource (address space, …).
    case resource(ResourceError)
    /// A function was called with the wrong number or types of arguments.
    case call(CallError)
    /// The requested tier is not available in this build.
    case tierUnavailable(Tier)
    /// The module has no exported function of that name.
    case unknownExport(String)
    /// A command-line argument could not be turned into a value of its parameter's type.
    case badArgument(String)
    /// A WASI guest asked to exit (not an error for `run`: it becomes the exit status).
    case exit(Int32)
    /// Anything else (an error an engine or host function threw).
    case other(String)

    /// Classifies any error thrown by the runtime.
    public init(_ error: any Error, source: String? = nil) {
        switch error {
        case let e as WasmoonError: self = e
        case let e as DecodeError: self = .malformed(e, source: source)
        case let e as ValidationError: self = .invalid(e, source: source)
        case let e as TextFormatError: self = .text(e, source: source)
        case let e as LinkError: self = .link(e)
        case let e as Trap: self = .trap(e)
        case let e as WasmException: self = .exception(e)
        case let e as ResourceError: self = .resource(e)
        case let e as CallError: self = .call(e)
        case let e as ProcessExit: self = .exit(e.code)
        default: self = .other(String(describing: error))
        }
    }

    public var description: String {
        func of(_ source: String?) -> String { source.map { " '\($0)'" } ?? "" }
        switch self {
        case .file(let path, let reason): return "cannot read '\(path)': \(reason)"
        case .text(let e, let source):
            if let source, let line = e.line { return "\(source):\(line):\(e.column ?? 1): \(e.message)" }
            return "text format: \(e)"
        case .malformed(let e, let source):
            if e.isUnsupportedFeature { return "\(e.message) in module\(of(source)) (at offset 0x\(String(e.offset, radix: 16)))" }
            return "malformed module\(of(source)): \(e)"
        case .invalid(let e, let source): return "invalid module\(of(source)): \(e)"
        case .link(let e):
            // WASI preview1 is always defined: an unknown import there is a function it lacks.
            if e.message.hasPrefix("unknown import: wasi_snapshot_preview1::") {
                return "link error: \(e.message) (not a WASI preview1 function)"
            }
            if e.message.hasPrefix("unknown import: wasi_unstable::") {
                return "link error: \(e.message) (only WASI preview1, wasi_snapshot_preview1, is supported)"
            }
            return "link error: \(e.message)"
        case .trap(let t): return t.description
        case .exception(let e): return e.description
        case .resource(let e): return "out of resources: \(e.message)"
        case .call(let e): return e.message
        case .tierUnavailable(let t):
            return "the \(t.rawValue) tier is not available in this build (use the interpreter: --no-jit)"
        case .unknownExport(let name): return "unknown export: the module exports no function named '\(name)'"
        case .badArgument(let message): return message
        case .exit(let code): return "exit with status \(code)"
        case .other(let message): return message
        }
    }
}

/// How a `Runtime`'s engine runs code. The checks for untrusted guests are off by default,
/// and then nothing is emitted for them.
public struct EngineConfiguration: Sendable, Hashable {
    /// The tier that runs wasm code.
    public var tier: Tier
    /// When functions are translated or compiled.
    public var compileMode: CompileMode
    /// Code checks the engine's epoch against its store's deadline at function entries and
    /// loop headers, so that `Store.interrupt()` (from any thread) or an epoch deadline
    /// (`Store.setEpochDeadline`, `Engine.incrementEpoch`) stops it with the trap `interrupt`.
    public var epochInterruption: Bool
    /// Code consumes its store's fuel: about one unit per operator, charged at the start of
    /// each straight-line run; at zero it traps with `all fuel consumed` (`Store.setFuel`,
    /// `addFuel`, `fuelRemaining`). A store starts with no fuel.
    public var consumeFuel: Bool

    public init(
        tier: Tier = Runtime.defaultTier, compileMode: CompileMode = .lazy, epochInterruption: Bool = false,
        consumeFuel: Bool = false
    ) {
        self.tier = tier
        self.compileMode = compileMode
        self.epochInterruption = epochInterruption
        self.consumeFuel = consumeFuel
    }
}
