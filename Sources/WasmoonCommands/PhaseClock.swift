import Wasmoon
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process CPU time (user + system, all threads) split into named phases, for
/// `wasmoon run --timings`: each `finish(name)` charges the time since the previous
/// one to `name`. Benchmarks use it to separate the run phase from compilation.
struct PhaseClock {
    private var last: Double
    private(set) var phases: [(name: String, seconds: Double)] = []

    init() { last = PhaseClock.cpuSeconds() }

    /// User + system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    mutating func finish(_ name: String) {
        let now = PhaseClock.cpuSeconds()
        phases.append((name, now - last))
        last = now
    }

    /// `compile 0.0021s instantiate 0.0001s run 1.2345s` (phases not reached are left out).
    func summary() -> String {
        phases.map { "\($0.name) \(formatSeconds($0.seconds))s" }.joined(separator: " ") + " (CPU)"
    }

    private func formatSeconds(_ s: Double) -> String { String(format: "%.4f", s) }
}
