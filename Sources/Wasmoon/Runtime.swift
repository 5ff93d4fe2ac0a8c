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
@_exported import WasmoonWASI
@_exported import struct WasmCore.DecodeError
@_exported import struct WasmCore.ValidationError
@_exported import struct WasmCore.FuncType
@_exported import enum WasmCore.ValueType
@_exported import struct WasmCore.V128
@_exported import struct WasmCore.WasmProposals
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

    /// The engine stores of this runtime run on (`Store(engine: runtime.engine)`).
    public let engine: Engine

    /// This release of Wasmoon (`wasmoon --version`).
    public static let version = "0.4.0"

    /// Creates a runtime whose engine runs code on `tier`, translating or compiling each
    /// function on its first call (`.lazy`) or all of a module's when it is loaded (`.eager`).
    /// Throws `WasmoonError.tierUnavailable` for the JIT where it cannot run (`jitAvailable`).
    public init(tier: Tier = Runtime.defaultTier, compile mode: CompileMode = .lazy) throws(WasmoonError) {
        try self.init(configuration: EngineConfiguration(tier: tier, compileMode: mode))
    }

    /// Creates a runtime from a configuration: its tier, when it compiles, the proposals it
    /// accepts, its stack, and the checks that let an embedder stop untrusted guests.
    /// `callTracer` is told about every wasm call (`--trace-calls`), on either tier.
    public init(configuration: EngineConfiguration, callTracer: (any CallTracer)? = nil) throws(WasmoonError) {
        let interruptible = configuration.epochInterruption, fuel = configuration.consumeFuel
        let backend: any ExecutionEngine
        switch configuration.tier {
        case .interpreter:
            backend = InterpreterEngine(
                callTracer: callTracer, compileMode: configuration.compileMode, interruptible: interruptible,
                consumesFuel: fuel)
        case .jit:
            guard Runtime.jitAvailable else { throw .tierUnavailable(.jit) }
            backend = JITEngine(
                callTracer: callTracer, compileMode: configuration.compileMode, interruptible: interruptible,
                consumesFuel: fuel, tier: configuration.jitTier, tierUp: configuration.tierUp)
        }
        engine = Engine(
            tier: configuration.tier, backend: backend, callTracer: callTracer, epochInterruption: interruptible,
            consumesFuel: fuel, proposals: configuration.proposals, maxWasmStack: configuration.maxWasmStack)
    }

    /// Creates a runtime whose engine reports every wasm call to `callTracer`
    /// (`--trace-calls`), on either tier.
    public init(tier: Tier, callTracer: any CallTracer, compile mode: CompileMode = .lazy) throws(WasmoonError) {
        try self.init(configuration: EngineConfiguration(tier: tier, compileMode: mode), callTracer: callTracer)
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
    /// The proposals modules may use (all by default); a module that uses one switched off is
    /// refused: `unsupported feature: SIMD (switched off in the engine's configuration: …)`.
    public var proposals: WasmProposals
    /// The most bytes of stack one call from the host into wasm may take (wasm frames and the
    /// host functions they call); deeper recursion traps with `call stack exhausted`. Nil:
    /// the JIT runs until the thread's stack is nearly used up, the interpreter up to 32 MiB
    /// of values and 100,000 frames.
    public var maxWasmStack: Int?
    /// The JIT's compilers (`tier` `.jit` only): the baseline alone, the optimizing tier for
    /// every function it accepts, or (the default) the baseline first and the optimizing tier
    /// for the functions that run hot.
    public var jitTier: JITTier
    /// When a function is hot enough to optimize (`jitTier` `.tiered`).
    public var tierUp: TierUpPolicy

    /// A configuration; every argument has the default a runtime starts with.
    public init(
        tier: Tier = Runtime.defaultTier, compileMode: CompileMode = .lazy, epochInterruption: Bool = false,
        consumeFuel: Bool = false, proposals: WasmProposals = .all, maxWasmStack: Int? = nil,
        jitTier: JITTier = .tiered, tierUp: TierUpPolicy = TierUpPolicy()
    ) {
        self.jitTier = jitTier
        self.tierUp = tierUp
        self.proposals = proposals
        self.maxWasmStack = maxWasmStack
        self.tier = tier
        self.compileMode = compileMode
        self.epochInterruption = epochInterruption
        self.consumeFuel = consumeFuel
    }
}
