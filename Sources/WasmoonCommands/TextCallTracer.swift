import Wasmoon
import Foundation

/// `wasmoon run --trace-calls`: one stderr line per wasm function entry, exit and trap,
/// indented by call depth:
///
///     call 3 'fac' (5)
///       call 3 'fac' (4)
///       return 3 'fac' (24)
///     trap 3 'fac': integer divide by zero in wasm function 3 at 0x2c (+0x6)
///     trap 2 'main': integer divide by zero (unwinding)
///
/// Values are printed as `--invoke` prints results (cli.md). A trap is reported by every
/// function it unwinds; the first such line (the innermost) gives the trap site.
public final class TextCallTracer: CallTracer, @unchecked Sendable {
    private let output: CommandOutput
    private var depth = 0
    /// A trap is being unwound (its site was printed with the innermost function).
    private var unwinding = false

    public init(output: CommandOutput = .standard) { self.output = output }

    private func name(_ f: Function) -> String {
        "\(f.index)" + (f.name.map { " '\($0)'" } ?? "")
    }

    private func values(_ raw: [UInt64], _ types: [ValueType]) -> String {
        if types.isEmpty { return "()" }
        guard raw.count >= RawValue.slotCount(types) else { return "(?)" }
        let values = raw.withUnsafeBufferPointer { RawValue.decode($0.baseAddress!, as: types) }
        return "(" + values.map { ValueFormat.format($0) }.joined(separator: " ") + ")"
    }

    private func line(_ text: String) {
        output.err(String(repeating: "  ", count: max(depth, 0)) + text + "\n")
    }

    public func enter(_ function: Function, arguments: [UInt64]) {
        line("call \(name(function)) \(values(arguments, function.type.params))")
        depth += 1
        unwinding = false
    }

    public func exit(_ function: Function, results: [UInt64]) {
        depth -= 1
        line("return \(name(function)) \(values(results, function.type.results))")
    }

    public func trap(_ function: Function, _ trap: Trap) {
        depth -= 1
        var site = " (unwinding)"
        if !unwinding, let frame = trap.backtrace.first {
            site = " in wasm function \(frame.functionIndex)"
            if let m = frame.moduleOffset {
                site += " at 0x\(String(m, radix: 16))" + (frame.functionOffset.map { " (+0x\(String($0, radix: 16)))" } ?? "")
            }
        }
        unwinding = true
        line("trap \(name(function)): \(trap.message)\(site)")
    }
}
