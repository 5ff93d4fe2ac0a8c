/// Observes wasm function calls (`wasmoon run --trace-calls`): an engine that has a
/// tracer reports every entry to and exit from a wasm function, with raw argument and
/// result slots (see `RawValue`; decode them with the function's type), and each
/// function left by a trap. Engine-neutral: the interpreter calls it today; the JIT is
/// to call the same hooks.
public protocol CallTracer: AnyObject, Sendable {
    /// `function` is entered with these arguments (raw slots, one per parameter).
    func enter(_ function: Function, arguments: [UInt64])
    /// `function` returns these results (raw slots, one per result).
    func exit(_ function: Function, results: [UInt64])
    /// `function` is left by `trap` (reported by every function the trap unwinds,
    /// innermost first; the trap's backtrace names the site).
    func trap(_ function: Function, _ trap: Trap)
}
