import WasmCore

/// The one error type of Wasmoon's public API: every throwing call an embedder makes
/// (compiling, linking, instantiating, calling, reading memory) throws a `WasmoonError`,
/// so a single `switch` covers everything that can go wrong. The payloads carry the details
/// (a trap's code and backtrace, a decoder's offset). `description` is worded for people:
/// it is the text after `error: ` on the command line.
public enum WasmoonError: Error, CustomStringConvertible {
    /// A file could not be read.
    case file(path: String, reason: String)
    /// A WAT syntax error (`source` is the file, if any).
    case text(TextFormatError, source: String?)
    /// The binary is malformed, or uses a proposal that is not enabled.
    case malformed(DecodeError, source: String?)
    /// The module is invalid.
    case invalid(ValidationError, source: String?)
    /// An import could not be resolved, or its definition has the wrong type.
    case link(LinkError)
    /// Execution trapped: `Trap.code` says why (`.interrupt` for an interrupted guest,
    /// `.outOfFuel` when its fuel ran out), `Trap.backtrace` where.
    case trap(Trap)
    /// A wasm exception no handler caught.
    case exception(WasmException)
    /// A resource limit was reached (`StoreLimits`), or the host ran out of address space.
    case resource(ResourceError)
    /// A function was called with the wrong number or types of arguments, or a host
    /// function returned the wrong results.
    case call(CallError)
    /// The requested tier is not available in this build.
    case tierUnavailable(Tier)
    /// The module has no exported function of that name.
    case unknownExport(String)
    /// A command-line argument could not be turned into a value of its parameter's type.
    case badArgument(String)
    /// A WASI guest asked to exit (`proc_exit`); not a failure for a command's run: it is
    /// the exit status.
    case exit(Int32)
    /// A configuration that cannot be honoured (a preopened directory that cannot be opened,
    /// an argument with a NUL byte).
    case configuration(String)
    /// An error a host function threw, passed through the wasm frames unchanged.
    case host(any Error)
    /// Anything else, as a message.
    case other(String)

    /// Classifies any error thrown inside the runtime. A `WasmoonError` stays as it is.
    public init(_ error: any Error, source: String? = nil) {
        switch error {
        case let e as WasmoonError: self = e.naming(source: source)
        case let e as DecodeError: self = .malformed(e, source: source)
        case let e as ValidationError: self = .invalid(e, source: source)
        case let e as TextFormatError: self = .text(e, source: source)
        case let e as LinkError: self = .link(e)
        case let e as Trap: self = .trap(e)
        case let e as WasmException: self = .exception(e)
        case let e as ResourceError: self = .resource(e)
        case let e as CallError: self = .call(e)
        case let e as ProcessExit: self = .exit(e.code)
        default: self = .host(error)
        }
    }

    /// The same error, naming `source` (a file) if it is about a module and names none yet.
    public func naming(source: String?) -> WasmoonError {
        switch self {
        case .malformed(let e, nil): .malformed(e, source: source)
        case .invalid(let e, nil): .invalid(e, source: source)
        case .text(let e, nil): .text(e, source: source)
        default: self
        }
    }

    /// The error in the form the engines pass through wasm frames: a trap as `Trap`, an
    /// exception as `WasmException` (so that wasm handlers can catch it), an exit as
    /// `ProcessExit`, a host function's own error as itself.
    package var underlying: any Error {
        switch self {
        case .trap(let trap): trap
        case .exception(let exception): exception
        case .exit(let code): ProcessExit(code: code)
        case .host(let error): error
        case .link(let e): e
        case .resource(let e): e
        case .call(let e): e
        default: self
        }
    }

    /// The trap's code, if this is a trap.
    public var trapCode: TrapCode? { if case .trap(let trap) = self { trap.code } else { nil } }

    /// Did an interruption stop the guest (`Store.interrupt`, an epoch deadline)?
    public var isInterrupt: Bool { trapCode == .interrupt }

    /// The exit status of a WASI `proc_exit`, if this is one.
    public var exitCode: Int32? { if case .exit(let code) = self { code } else { nil } }

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
        case .configuration(let message): return message
        case .host(let error): return String(describing: error)
        case .other(let message): return message
        }
    }
}

/// A text-format (WAT/WAST) syntax or resolution error.
public struct TextFormatError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, without the location.
    public var message: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?

    /// An error with `message`, at `line`:`column` when known.
    public init(message: String, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }

    /// `LINE:COLUMN: MESSAGE`, or just the message when the location is unknown.
    public var description: String {
        guard let line else { return message }
        return "\(line):\(column ?? 1): \(message)"
    }
}
