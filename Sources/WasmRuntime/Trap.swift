/// Why execution stopped abnormally. Every message is the spec's wording,
/// defined here once for both engines.
public enum TrapCode: UInt8, Sendable, Hashable, CaseIterable {
    case unreachable = 1
    case integerDivideByZero
    case integerOverflow
    case invalidConversionToInteger
    case outOfBoundsMemoryAccess
    case outOfBoundsTableAccess
    case undefinedElement
    case uninitializedElement
    case indirectCallTypeMismatch
    case callStackExhausted
    /// Segment initialisation or a bulk op ran past the end (spec wording for instantiation).
    case outOfBoundsDataSegmentAccess = 100
    case nullReference
    /// `call_ref` / `return_call_ref` of a null reference.
    case nullFunctionReference
    /// `throw_ref` of a null reference.
    case nullExceptionReference
    /// The store's epoch deadline passed (`Store.interrupt`, `--timeout`).
    case interrupt
    /// The store's fuel ran out (`Store.setFuel`, `--fuel`).
    case outOfFuel

    /// The spec's wording of the trap (`integer divide by zero`, …).
    public var message: String {
        switch self {
        case .unreachable: "unreachable"
        case .integerDivideByZero: "integer divide by zero"
        case .integerOverflow: "integer overflow"
        case .invalidConversionToInteger: "invalid conversion to integer"
        case .outOfBoundsMemoryAccess: "out of bounds memory access"
        case .outOfBoundsTableAccess: "out of bounds table access"
        case .undefinedElement: "undefined element"
        case .uninitializedElement: "uninitialized element"
        case .indirectCallTypeMismatch: "indirect call type mismatch"
        case .callStackExhausted: "call stack exhausted"
        case .outOfBoundsDataSegmentAccess: "out of bounds memory access"
        case .nullReference: "null reference"
        case .nullFunctionReference: "null function reference"
        case .nullExceptionReference: "null exception reference"
        case .interrupt: "interrupt"
        case .outOfFuel: "all fuel consumed"
        }
    }
}

/// A wasm trap: the code plus where it happened (innermost frame first).
public struct Trap: Error, Sendable, CustomStringConvertible {
    /// One wasm frame of a trap's backtrace.
    public struct Frame: Sendable, Hashable {
        /// Index in the module's function index space.
        public var functionIndex: UInt32
        /// The function's name from the name section, if any.
        public var functionName: String?
        /// Byte offset of the instruction in the module binary, when known.
        public var moduleOffset: UInt32?
        /// Byte offset of the instruction from the start of the function body, when known.
        public var functionOffset: UInt32?

        /// A frame of a backtrace.
        public init(functionIndex: UInt32, functionName: String?, moduleOffset: UInt32?, functionOffset: UInt32?) {
            self.functionIndex = functionIndex
            self.functionName = functionName
            self.moduleOffset = moduleOffset
            self.functionOffset = functionOffset
        }

        /// `wasm function N 'NAME' at 0xMODULE_OFFSET (+0xFUNCTION_OFFSET)` (cli.md).
        public var description: String {
            var s = "wasm function \(functionIndex)"
            if let n = functionName { s += " '\(n)'" }
            if let m = moduleOffset { s += " at 0x\(String(m, radix: 16))" }
            if let f = functionOffset { s += " (+0x\(String(f, radix: 16)))" }
            return s
        }
    }

    /// Why execution trapped.
    public var code: TrapCode
    /// The wasm frames the trap unwound, innermost first.
    public var backtrace: [Frame]

    /// A trap with `code` and the frames it unwound.
    public init(_ code: TrapCode, backtrace: [Frame] = []) {
        self.code = code
        self.backtrace = backtrace
    }

    /// The spec's wording of the trap (`integer divide by zero`, …).
    public var message: String { code.message }
    public var description: String { "wasm trap: \(message)" }
}

/// An import could not be resolved or has the wrong type (spec: "unlinkable").
public struct LinkError: Error, Sendable, CustomStringConvertible {
    /// "unknown import" or "incompatible import type" plus context.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A host function asked the whole program to exit (WASI `proc_exit`).
public struct ProcessExit: Error, Sendable {
    /// The status `proc_exit` was called with.
    public var code: Int32
    /// An exit with status `code`.
    public init(code: Int32) { self.code = code }
}
