import Wasmoon
import Foundation
import WasmCore
import WasmJIT
import WasmoonWASI
import WasmoonWAST

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes its output. `standard` is the process's stdout/stderr;
/// tests substitute closures that collect the text.
public struct CommandOutput: Sendable {
    /// Writes text to standard output (no newline added).
    public var out: @Sendable (String) -> Void
    /// Writes text to standard error (no newline added).
    public var err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }

    /// The process's stdout and stderr, written unbuffered (nothing is lost at exit,
    /// and the order with a guest's own writes to fd 1 and 2 is kept).
    public static let standard = CommandOutput(
        out: { writeAll(1, $0) },
        err: { writeAll(2, $0) })

    /// Writes all of `text` to a file descriptor, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(n)
        }
    }

    func line(_ s: String) { out(s + "\n") }
    func error(_ s: String) { err("error: " + s + "\n") }
}

/// The logic of the `wasmoon` subcommands, kept out of the executable so it can be
/// unit-tested. Each returns the process exit status (cli.md): 0 success, 1 error,
/// 134 trap, or the guest's exit code. Usage errors (status 2) belong to the parser.
public enum Commands {
    /// Exit status for a trap (what a native `abort()` gives, as in Wasmtime).
    public static let trapExitCode: Int32 = 134
    /// Backtraces longer than this print their innermost frames only.
    static let maxBacktraceFrames = 64

    /// Options of `wasmoon run`.
    public struct RunOptions: Sendable {
        /// Use the interpreter (`--no-jit`).
        public var noJIT = false
        /// Print JIT compile statistics to stderr (`--jit-stats`).
        public var jitStats = false
        /// The JIT's compilers (`--jit-tier`); nil: the default.
        public var jitTier: JITTier?
        /// When functions are translated or compiled (`--compile`); nil: lazy, or eager
        /// with `--jit-stats` (whose totals are of the whole module).
        public var compile: CompileMode?
        /// Print the CPU seconds of each phase (compile, instantiate, run) to stderr (`--timings`).
        public var timings = false
        /// Call this export instead of `_start` (`--invoke NAME`).
        public var invoke: String?
        /// Preopened directories, `HOST[::GUEST]` (`--dir`).
        public var dirs: [String] = []
        /// Environment for the guest, `NAME=VALUE` or `NAME` (`--env`).
        public var env: [String] = []
        /// Call every exported function with zero arguments, then print exported
        /// globals and memory hashes (`--invoke-all`).
        public var invokeAll = false
        /// Fixed-step clocks from a fixed epoch and a seeded `random_get` (`--wasi-deterministic`).
        public var wasiDeterministic = false
        /// After the run, print the SHA-256 of every memory of the instance on stderr (`--memory-hash`).
        public var memoryHash = false
        /// Print every wasm function entry and exit on stderr (`--trace-calls`; interpreter only for now).
        public var traceCalls = false
        /// Fuel the guest may spend (`--fuel`).
        public var fuel: UInt64?
        /// Interrupt the guest after this many seconds of wall time (`--timeout`).
        public var timeout: Double?
        /// No memory may grow past this many bytes (`--max-memory-size`).
        public var maxMemorySize: UInt64?
        /// The `.wasm` or `.wat` file.
        public var module: String
        /// Everything after MODULE, verbatim.
        public var arguments: [String] = []

        public init(module: String, arguments: [String] = []) {
            self.module = module
            self.arguments = arguments
        }
    }

    // MARK: run

    /// `wasmoon run`: instantiate MODULE, then call `--invoke NAME` with the arguments
    /// parsed by its parameter types and print its results, or call `_start` if exported
    /// (a module without `_start` is run by instantiating it: its start function).
    public static func run(_ options: RunOptions, output: CommandOutput = .standard) -> Int32 {
        // The instance whose memories `--memory-hash` prints, once it exists.
        var main: Instance?
        var clock = PhaseClock()
        let status: Int32
        do {
            status = try runModule(options, output: output, main: &main, clock: &clock)
        } catch {
            status = report(WasmoonError(error, source: options.module), output: output)
        }
        if options.memoryHash, let main { printMemoryHashes(main, output: output) }
        if options.timings { output.err("wasmoon: \(clock.summary())\n") }
        return status
    }

    private static func runModule(
        _ options: RunOptions, output: CommandOutput, main: inout Instance?, clock: inout PhaseClock
    ) throws -> Int32 {
        if options.invokeAll && options.invoke != nil {
            throw WasmoonError.badArgument("--invoke and --invoke-all exclude each other")
        }
        let tier = options.noJIT ? Tier.interpreter : Runtime.defaultTier
        let mode = options.compile ?? (options.jitStats ? .eager : .lazy)
        let runtime = try Runtime(
            configuration: EngineConfiguration(
                tier: tier, compileMode: mode, epochInterruption: options.timeout != nil, consumeFuel: options.fuel != nil,
                jitTier: options.jitTier ?? .tiered),
            callTracer: options.traceCalls ? TextCallTracer(output: output) : nil)
        let module = try runtime.loadModule(path: options.module)
        clock.finish("compile")
        // Lazily compiled or tiered: what the run compiled, reported when it ends (also by a trap).
        let tiered = tier == .jit && (options.jitTier ?? .tiered) == .tiered
        let reportAtEnd = mode == .lazy || tiered
        if options.jitStats && !reportAtEnd { reportJITStats(module, output: output) }
        defer { if options.jitStats && reportAtEnd { reportJITStats(module, output: output) } }
        let store = Store(engine: runtime.engine)
        store.limits.maxMemoryBytes = options.maxMemorySize
        if let fuel = options.fuel { store.setFuel(fuel) }
        // `--timeout`: a timer interrupts the store (its code checks at function entries and loop headers).
        let timer = DispatchWorkItem { [store] in store.interrupt() }
        if let seconds = options.timeout { DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer) }
        defer { timer.cancel() }
        let linker = Linker(store: store)
        // WASI preview1 is always available to the guest (as in Wasmtime); the guest
        // sees only the arguments, variables and directories given on the command line.
        var configuration = try wasiConfiguration(options)
        if options.wasiDeterministic { DeterministicSources().install(in: &configuration) }
        let wasi = try WASI(configuration: configuration)
        defer { wasi.close() }
        wasi.define(in: linker)

        if options.invokeAll {
            let instance = try linker.instantiate(module)
            main = instance
            clock.finish("instantiate")
            defer { clock.finish("run") }
            try invokeAll(instance, output: output)
            return 0
        }
        // Resolve the invoked function and its arguments before running anything.
        var call: (Function, [Value])?
        if let name = options.invoke {
            let type = try exportedFunctionType(module, name)
            let arguments = try parseArguments(options.arguments, for: type, name: name)
            let instance = try linker.instantiate(module)
            main = instance
            guard let function = instance.function(name) else { throw WasmoonError.unknownExport(name) }
            call = (function, arguments)
        } else {
            let instance = try linker.instantiate(module)
            main = instance
            // A WASI command's entry: the default export `""` (as Wasmtime runs it; ITK-Wasm's
            // pipelines have one), else `_start`.
            if let entry = instance.function("") ?? instance.function("_start") { call = (entry, []) }
        }
        clock.finish("instantiate")
        defer { clock.finish("run") }
        guard let (function, arguments) = call else { return 0 }
        let results = try function.call(arguments)
        if options.invoke != nil {
            for value in results { output.line(ValueFormat.format(value)) }
        }
        return 0
    }

    /// `--invoke-all`: every exported function in export order, called with the zero
    /// value of each parameter (`call NAME: ok VALUES` / `call NAME: trap MESSAGE`; a trap
    /// does not stop the sequence), then every exported global (`global NAME: VALUE`) and
    /// every exported memory (`memory NAME: PAGES pages sha256 HEX`).
    static func invokeAll(_ instance: Instance, output: CommandOutput) throws {
        let exports = instance.exports.map { (name: escapedName($0.name), value: $0.value) }
        for (name, value) in exports {
            guard case .function(let function) = value else { continue }
            let arguments = function.type.params.map(Value.zero)
            do {
                let results = try function.call(arguments)
                output.line("call \(name): ok" + results.map { " " + ValueFormat.format($0) }.joined())
            } catch {
                switch error {
                case .trap(let trap): output.line("call \(name): trap \(trap.message)")
                case .exception: output.line("call \(name): exception")
                default: throw error
                }
            }
        }
        for (name, value) in exports {
            if case .global(let global) = value { output.line("global \(name): \(ValueFormat.format(global.value))") }
        }
        for (name, value) in exports {
            if case .memory(let memory) = value { output.line("memory \(name): \(memorySummary(memory))") }
        }
    }

    /// An export name for `--invoke-all`'s lines: control characters, `\` and `:`
    /// as `\u{X}` (hex), so that every line is one line and `: ` ends the name.
    public static func escapedName(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\\" || scalar == ":" {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `PAGES pages sha256 HEX`.
    static func memorySummary(_ memory: Memory) -> String {
        let hex = SHA256.hexDigest(UnsafeRawBufferPointer(start: memory.base, count: memory.byteCount))
        return "\(memory.pageCount) pages sha256 \(hex)"
    }

    /// `--memory-hash`: `memory-hash INDEX: PAGES pages sha256 HEX` for every memory of the instance (stderr).
    static func printMemoryHashes(_ instance: Instance, output: CommandOutput) {
        for (i, memory) in instance.memories.enumerated() {
            output.err("memory-hash \(i): \(memorySummary(memory))\n")
        }
    }

    /// The guest's view of the host: argv (MODULE as given, then the arguments when
    /// not invoking a single export), `--env` variables only, `--dir` preopens.
    static func wasiConfiguration(_ options: RunOptions) throws(WasmoonError) -> WASIConfiguration {
        var environment: [(String, String)] = []
        for item in options.env {
            if let eq = item.firstIndex(of: "=") {
                let name = String(item[..<eq])
                guard !name.isEmpty else { throw .badArgument("invalid --env '\(item)': empty variable name") }
                environment.append((name, String(item[item.index(after: eq)...])))
            } else {
                // `--env NAME` passes the host's value of NAME through (empty when unset).
                environment.append((item, ProcessInfo.processInfo.environment[item] ?? ""))
            }
        }
        var preopens: [(hostPath: String, guestPath: String)] = []
        for item in options.dirs {
            let host: String, guest: String
            if let sep = item.range(of: "::") {
                host = String(item[..<sep.lowerBound])
                guest = String(item[sep.upperBound...])
            } else {
                host = item
                guest = item
            }
            guard !host.isEmpty, !guest.isEmpty else { throw .badArgument("invalid --dir '\(item)': expected HOST[::GUEST]") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: host, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .file(path: host, reason: "not a directory (--dir)")
            }
            preopens.append((host, guest))
        }
        let arguments = [options.module] + (options.invoke == nil ? options.arguments : [])
        return WASIConfiguration(arguments: arguments, environment: environment, preopens: preopens)
    }


    /// The type of exported function `name`, or an error naming what is wrong.
    static func exportedFunctionType(_ module: CompiledModule, _ name: String) throws(WasmoonError) -> FuncType {
        let bytes = Array(name.utf8)
        guard let export = module.exports.first(where: { $0.name.utf8.elementsEqual(bytes) }) else {
            throw .unknownExport(name)
        }
        guard case .function(let index) = export.descriptor else {
            throw .badArgument("export '\(name)' is not a function")
        }
        let typeIndices = module.module.allFunctionTypeIndices
        guard Int(index) < typeIndices.count else { throw .unknownExport(name) }
        return module.module.types[Int(typeIndices[Int(index)])]
    }

    /// Parses `--invoke` arguments by the function's parameter types.
    public static func parseArguments(_ texts: [String], for type: FuncType, name: String) throws(WasmoonError) -> [Value] {
        guard texts.count == type.params.count else {
            throw .badArgument(
                "function '\(name)' expects \(type.params.count) argument(s) (\(type.params.map(\.description).joined(separator: " "))), got \(texts.count)"
            )
        }
        var values: [Value] = []
        for (i, (text, param)) in zip(texts, type.params).enumerated() {
            guard let value = ValueFormat.parse(text, as: param) else {
                throw .badArgument("invalid argument \(i + 1) for '\(name)': '\(text)' is not a valid \(param)")
            }
            values.append(value)
        }
        return values
    }

    /// Prints an error the way cli.md says and returns its exit status.
    static func report(_ error: WasmoonError, output: CommandOutput) -> Int32 {
        switch error {
        case .exit(let code):
            return code
        case .trap(let trap):
            output.error(trap.description)
            if !trap.backtrace.isEmpty {
                var text = "wasm backtrace:\n"
                for (i, frame) in trap.backtrace.prefix(maxBacktraceFrames).enumerated() {
                    text += "  \(String(i).leftPadded(to: 3)): \(frame.description)\n"
                }
                if trap.backtrace.count > maxBacktraceFrames {
                    text += "  ... \(trap.backtrace.count - maxBacktraceFrames) more frame(s)\n"
                }
                output.err(text)
            }
            return trapExitCode
        case .exception(let exception):
            output.error(exception.description)
            return trapExitCode
        default:
            output.error(error.description)
            return 1
        }
    }

    // MARK: test

    /// How many failures (and message differences) `test` prints under a file's line.
    static let shownFailures = 5
    static let shownDifferences = 3

    /// `wasmoon test`: runs each `.wast` file (folders: every `.wast` inside, recursively,
    /// sorted), and each `.json` script of wabt's `wast2json` (`SpecJSONRunner`), and prints one
    /// line per file and a total. Exit 0 only when nothing failed.
    public static func test(
        paths: [String], noJIT: Bool, compile mode: CompileMode = .lazy, jitTier: JITTier = .tiered,
        output: CommandOutput = .standard
    ) -> Int32 {
        let files: [String]
        let runner: WastRunner
        let jsonRunner: SpecJSONRunner
        do {
            files = try wastFiles(paths)
            let engine = try Runtime(configuration: EngineConfiguration(
                tier: noJIT ? .interpreter : Runtime.defaultTier, compileMode: mode, jitTier: jitTier)).engine
            runner = WastRunner(engine: engine)
            jsonRunner = SpecJSONRunner(engine: engine)
        } catch {
            return report(WasmoonError(error), output: output)
        }
        var passed = 0, failed = 0, differs = 0
        for file in files {
            let r = file.hasSuffix(".json") ? jsonRunner.run(path: file) : runner.run(path: file)
            passed += r.passed
            failed += r.failed
            differs += r.messageDiffers
            let note = r.messageDiffers > 0 ? ", \(r.messageDiffers) message differs" : ""
            if r.failed == 0 {
                output.line("PASS \(file) (\(r.passed)\(note))")
            } else {
                output.line("FAIL \(file) (\(r.passed) passed, \(r.failed) failed\(note))")
                for issue in r.failures.prefix(shownFailures) { output.line("  \(issue)") }
                if r.failures.count > shownFailures { output.line("  ... and \(r.failures.count - shownFailures) more") }
            }
            for issue in r.messageDifferences.prefix(shownDifferences) { output.line("  message differs: \(issue)") }
            if r.messageDifferences.count > shownDifferences {
                output.line("  ... and \(r.messageDifferences.count - shownDifferences) more message differences")
            }
        }
        output.line("\(passed) passed, \(failed) failed" + (differs > 0 ? ", \(differs) message differs" : ""))
        return failed == 0 ? 0 : 1
    }

    /// Expands folders to the `.wast` files inside them (sorted); files are taken as given.
    public static func wastFiles(_ paths: [String]) throws(WasmoonError) -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .file(path: path, reason: "No such file or directory")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let found = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".wast") }.sorted()
            let base = path.hasSuffix("/") ? path : path + "/"
            files += found.map { base + $0 }
        }
        return files
    }

    // MARK: validate, wat2wasm

    /// `wasmoon validate`: decodes and validates MODULE; silent on success.
    public static func validate(module path: String, output: CommandOutput = .standard) -> Int32 {
        do {
            let bytes = try Runtime.moduleBytes(path: path)
            let module: WasmCore.Module
            do { module = try BinaryDecoder.decode(bytes) } catch { throw WasmoonError.malformed(error, source: path) }
            do { try ModuleValidator.validate(module) } catch { throw WasmoonError.invalid(error, source: path) }
            return 0
        } catch {
            return report(WasmoonError(error, source: path), output: output)
        }
    }

    /// `--jit-stats`: compile time per module and per function, code size, functions compiled (stderr).
    static func reportJITStats(_ module: CompiledModule, output: CommandOutput) {
        guard let s = JITExplorer.statistics(module.code) else {
            output.err("jit-stats: module not compiled by the JIT (--no-jit)\n")
            return
        }
        let imports = module.module.importedFunctionTypes.count
        var text = "jit-stats: \(s.functions.count) functions compiled in \(String(format: "%.3f", s.seconds * 1000)) ms, "
            + "\(s.codeSize) bytes of code\n"
        if s.optimized > 0 || !s.declines.isEmpty {
            text += "jit-stats: optimizing tier: \(s.optimized) functions optimized, \(s.declines.count) declined\n"
            var reasons: [String: Int] = [:]
            for reason in s.declines.values { reasons[reason, default: 0] += 1 }
            for (reason, count) in reasons.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                text += "jit-stats:   declined \(count): \(reason)\n"
            }
            let total = s.phases.named.reduce(0) { $0 + $1.seconds }
            if total > 0 {
                text += "jit-stats: optimizing tier phases:"
                    + s.phases.named.map { " \($0.name) " + String(format: "%.1f ms (%.0f%%)", $0.seconds * 1000, 100 * $0.seconds / total) }
                    .joined(separator: ",") + "\n"
            }
        }
        for f in s.functions {
            let index = UInt32(imports + f.definedIndex)
            let name = module.module.functionName(index).map { " '\($0)'" } ?? ""
            var tier = f.optimized ? " (optimized" : ""
            if let at = f.publishedAt { tier += String(format: ", running from %.3f s", at) }
            if f.optimized { tier += ")" }
            text += "jit-stats:   function \(index)\(name): \(String(format: "%.3f", f.seconds * 1000)) ms\(tier)\n"
        }
        output.err(text)
    }

    /// `wasmoon explore [--func N|NAME] MODULE`: the JIT's machine code for each function
    /// (or one), with the wasm instructions it came from.
    public static func explore(
        module path: String, function: String?, jitTier: JITTier = .baseline, output: CommandOutput = .standard
    ) -> Int32 {
        do {
            let bytes = try Runtime.moduleBytes(path: path)
            let module: WasmCore.Module
            do { module = try BinaryDecoder.decode(bytes) } catch { throw WasmoonError.malformed(error, source: path) }
            var selected: Set<UInt32>?
            if let function {
                if let n = UInt32(function) {
                    selected = [n]
                } else if let n = module.names?.functionNames.first(where: { $0.value == function })?.key {
                    selected = [n]
                } else if let e = module.exports.first(where: { $0.name == function }), case .function(let n) = e.descriptor {
                    selected = [n]
                } else {
                    output.err("error: no function named \(function)\n")
                    return 1
                }
            }
            do { try ModuleValidator.validate(module) } catch { throw WasmoonError.invalid(error, source: path) }
            let text = try JITExplorer.listing(module, functions: selected, tier: jitTier)
            output.out(text)
            return 0
        } catch {
            return report(WasmoonError(error, source: path), output: output)
        }
    }

    /// `wasmoon wat2wasm FILE.wat -o OUT.wasm`: translates text to binary (with a name section).
    public static func wat2wasm(input: String, output path: String, output: CommandOutput = .standard) -> Int32 {
        do {
            let data = try Runtime.readFile(input)
            guard let text = String(validating: data, as: UTF8.self) else {
                throw WasmoonError.text(TextFormatError(message: "file is not valid UTF-8"), source: input)
            }
            let bytes: [UInt8]
            do { bytes = try TextFormat.wat2wasm(text) } catch { throw WasmoonError.text(error, source: input) }
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw WasmoonError.other("cannot write '\(path)'")
            }
            return 0
        } catch {
            return report(WasmoonError(error, source: input), output: output)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
