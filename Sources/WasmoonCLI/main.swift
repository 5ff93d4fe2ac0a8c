// The `wasmoon` executable: argument parsing only. What each command does lives in
// `Wasmoon.Commands`, where it is unit-tested; this file maps the command line
// onto it and turns the result into the exit status (cli.md is the contract).
import ArgumentParser
import Wasmoon
import WasmoonCommands

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `wasmoon`: the root command.
struct WasmoonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wasmoon",
        abstract: "A WebAssembly runtime.",
        version: "wasmoon \(Runtime.version)",
        subcommands: [Run.self, Test.self, Validate.self, Explore.self, Wat2Wasm.self])
}

/// Thrown by a subcommand's `run()` to leave with an exit status.
struct Exit: Error {
    var status: Int32
}

extension WasmoonCommand {
    /// `wasmoon run [OPTIONS] MODULE [ARGS...]`
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a WebAssembly module.",
            usage: "wasmoon run [--no-jit] [--jit-tier baseline|optimized|tiered] [--compile lazy|eager] [--jit-stats] [--timings] [--invoke NAME | --invoke-all] [--wasi-deterministic] [--memory-hash] [--trace-calls] [--fuel N] [--timeout SECONDS] [--max-memory-size BYTES] [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... MODULE [ARGS...]",
            discussion: """
                Options come before MODULE; every word after MODULE is passed on verbatim: \
                to the function named by --invoke as its arguments (parsed by its parameter types), \
                or else to the guest as its arguments. Without --invoke, `_start` is called if the \
                module exports it; otherwise instantiating the module (its start function) is the run.
                Exit status: 0 on success, the guest's exit code, 134 on a trap, 1 on any other error, \
                2 on a usage error.
                """)

        @Flag(name: .customLong("no-jit"), help: "Run on the interpreter instead of the JIT.")
        var noJIT = false

        @Option(name: .customLong("compile"), help: ArgumentHelp("Translate or compile each function on its first call (lazy, the default; eager with --jit-stats), or all before the run (eager).", valueName: "lazy|eager"))
        var compile: CompileMode?

        @Flag(name: .customLong("jit-stats"), help: "Print JIT compile time per module and function, and code size (stderr).")
        var jitStats = false

        @Option(name: .customLong("jit-tier"), help: ArgumentHelp("The JIT's compilers: the single-pass baseline only, the optimizing tier for every function it accepts, or the baseline first and the optimizing tier for hot functions (tiered, the default).", valueName: "baseline|optimized|tiered"))
        var jitTier: JITTier?

        @Flag(name: .customLong("timings"), help: "Print the CPU seconds of compile, instantiate and run (stderr).")
        var timings = false

        @Option(name: .customLong("invoke"), help: ArgumentHelp("Call this exported function and print its results.", valueName: "NAME"))
        var invoke: String?

        @Flag(name: .customLong("invoke-all"), help: "Call every exported function with zero arguments, one line each (`call NAME: ok VALUES` or `call NAME: trap MESSAGE`), then print exported globals and memories (pages, SHA-256).")
        var invokeAll = false

        @Flag(name: .customLong("wasi-deterministic"), help: "WASI clocks advance 1 ms per read from a fixed epoch; random_get is a fixed seeded stream.")
        var wasiDeterministic = false

        @Flag(name: .customLong("memory-hash"), help: "After the run (return, exit or trap), print `memory-hash INDEX: PAGES pages sha256 HEX` for every memory of the instance (stderr).")
        var memoryHash = false

        @Flag(name: .customLong("trace-calls"), help: "Print every wasm function entry and exit with arguments and results, and traps (stderr). Interpreter only (--no-jit) for now.")
        var traceCalls = false

        @Option(name: .customLong("fuel"), help: ArgumentHelp("The guest may spend this much fuel (about one unit per operator); then it traps with `all fuel consumed` (exit 134).", valueName: "N"))
        var fuel: UInt64?

        @Option(name: .customLong("timeout"), help: ArgumentHelp("Interrupt the guest after this much wall time: it traps with `interrupt` (exit 134).", valueName: "SECONDS"))
        var timeout: Double?

        @Option(name: .customLong("max-memory-size"), help: ArgumentHelp("No memory may grow past this many bytes (`memory.grow` returns -1); a module whose initial memory is larger fails to instantiate.", valueName: "BYTES"))
        var maxMemorySize: UInt64?

        @Option(name: .customLong("dir"), help: ArgumentHelp("Preopen a host directory for the guest (WASI).", valueName: "HOST[::GUEST]"))
        var dirs: [String] = []

        @Option(name: .customLong("env"), help: ArgumentHelp("Give the guest an environment variable; NAME alone passes the host value (WASI).", valueName: "NAME[=VALUE]"))
        var env: [String] = []

        @Argument(
            parsing: .captureForPassthrough,
            help: ArgumentHelp("The .wasm or .wat file, then the arguments passed on verbatim.", valueName: "MODULE [ARGS...]"))
        var moduleAndArguments: [String] = []

        mutating func validate() throws {
            // `--` may end the options; it is not part of what follows.
            if moduleAndArguments.first == "--" { moduleAndArguments.removeFirst() }
            guard let first = moduleAndArguments.first else {
                throw ArgumentParser.ValidationError("Missing expected argument 'MODULE'")
            }
            // The passthrough array also captures `--help` and unknown options before MODULE.
            if first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
            if first.hasPrefix("-"), first != "-" {
                throw ArgumentParser.ValidationError("Unknown option '\(first)'")
            }
            if noJIT && jitTier != nil {
                throw ArgumentParser.ValidationError("--jit-tier selects the JIT's compilers: it cannot go with --no-jit")
            }
            if let timeout, !(timeout > 0 && timeout.isFinite) {
                throw ArgumentParser.ValidationError("--timeout takes a positive number of seconds")
            }
        }

        func run() throws {
            var options = Commands.RunOptions(module: moduleAndArguments[0], arguments: Array(moduleAndArguments.dropFirst()))
            options.noJIT = noJIT
            options.jitStats = jitStats
            options.jitTier = jitTier
            options.compile = compile
            options.timings = timings
            options.invoke = invoke
            options.dirs = dirs
            options.env = env
            options.invokeAll = invokeAll
            options.wasiDeterministic = wasiDeterministic
            options.memoryHash = memoryHash
            options.traceCalls = traceCalls
            options.timeout = timeout
            options.fuel = fuel
            options.maxMemorySize = maxMemorySize
            throw Exit(status: Commands.run(options))
        }
    }

    /// `wasmoon test [--no-jit] PATH...`
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run .wast spec-test scripts.",
            usage: "wasmoon test [--no-jit] [--jit-tier baseline|optimized|tiered] [--compile lazy|eager] PATH...",
            discussion: """
                Prints one line per file and a total `N passed, M failed` (assertions). \
                Exit status 0 only when no assertion failed.
                """)

        @Flag(name: .customLong("no-jit"), help: "Run on the interpreter instead of the JIT.")
        var noJIT = false

        @Option(name: .customLong("compile"), help: ArgumentHelp("Translate or compile each function on its first call (lazy, the default), or all when a module is loaded (eager).", valueName: "lazy|eager"))
        var compile: CompileMode = .lazy

        @Option(name: .customLong("jit-tier"), help: ArgumentHelp("The JIT's compilers: the baseline only, the optimizing tier for every function it accepts, or tiered (the default).", valueName: "baseline|optimized|tiered"))
        var jitTier: JITTier?

        @Argument(help: ArgumentHelp(".wast files, or folders searched for them.", valueName: "PATH"))
        var paths: [String]

        func validate() throws {
            if noJIT && jitTier != nil {
                throw ArgumentParser.ValidationError("--jit-tier selects the JIT's compilers: it cannot go with --no-jit")
            }
        }

        func run() throws {
            throw Exit(status: Commands.test(paths: paths, noJIT: noJIT, compile: compile, jitTier: jitTier ?? .tiered))
        }
    }

    /// `wasmoon validate MODULE`
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a module is well formed and valid (silent when it is).",
            usage: "wasmoon validate MODULE")

        @Argument(help: ArgumentHelp("The .wasm or .wat file.", valueName: "MODULE"))
        var module: String

        func run() throws {
            throw Exit(status: Commands.validate(module: module))
        }
    }

    /// `wasmoon explore [--func N|NAME] MODULE`
    struct Explore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the machine code the JIT makes of a module's functions.",
            usage: "wasmoon explore [--jit-tier baseline|optimized|tiered] [--func N|NAME] MODULE")

        @Option(name: .customLong("jit-tier"), help: ArgumentHelp("Show the baseline's code (the default; also for tiered) or the optimizing tier's, for the functions it accepts.", valueName: "baseline|optimized|tiered"))
        var jitTier: JITTier = .baseline

        @Option(name: .customLong("func"), help: ArgumentHelp("Only this function (index or name).", valueName: "N|NAME"))
        var function: String?

        @Argument(help: ArgumentHelp("The .wasm or .wat file.", valueName: "MODULE"))
        var module: String

        func run() throws {
            throw Exit(status: Commands.explore(module: module, function: function, jitTier: jitTier))
        }
    }

    /// `wasmoon wat2wasm FILE.wat -o OUT.wasm`
    struct Wat2Wasm: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wat2wasm",
            abstract: "Translate the text format to a binary module.",
            usage: "wasmoon wat2wasm FILE.wat -o OUT.wasm")

        @Argument(help: ArgumentHelp("The text module.", valueName: "FILE.wat"))
        var input: String

        @Option(name: .customShort("o"), help: ArgumentHelp("Where to write the binary.", valueName: "OUT.wasm"))
        var output: String

        func run() throws {
            throw Exit(status: Commands.wat2wasm(input: input, output: output))
        }
    }
}

/// Parses, runs, and exits with cli.md's status: the command's own, or 2 for a usage
/// error (ArgumentParser's default would be 64), printed with the usage text.
func main() -> Never {
    let status: Int32
    do {
        var command = try WasmoonCommand.parseAsRoot()
        try command.run()
        status = 0
    } catch let exit as Exit {
        status = exit.status
    } catch {
        let code = WasmoonCommand.exitCode(for: error)
        if code == .success {
            // --help, --version: the message is the requested output.
            CommandOutput.standard.out(WasmoonCommand.fullMessage(for: error) + "\n")
            status = 0
        } else {
            CommandOutput.standard.err(WasmoonCommand.fullMessage(for: error) + "\n")
            status = code == .validationFailure ? 2 : code.rawValue
        }
    }
    exit(status)
}

main()

extension CompileMode: ExpressibleByArgument {}
extension JITTier: ExpressibleByArgument {}
