import CWasmoon

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The x86-64 extensions beyond the baseline (SSE2) that the JIT may emit. Each has a
/// fallback sequence, so the JIT runs on any x86-64: without `lzcnt` and `tzcnt` (which
/// older CPUs silently execute as `bsr`/`bsf`, wrong for zero) it uses `bsr`/`bsf` with a
/// zero fix-up, without `popcnt` a bit-counting sequence, without SSE4.1's `roundss`/
/// `roundsd` a call into the runtime. SIMD instructions whose sequence needs SSSE3, SSE4.1,
/// SSE4.2 or FMA3 call `VectorSemantics` through the runtime when the extension is missing.
public struct CPUFeatures: OptionSet, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let lzcnt = CPUFeatures(rawValue: UInt32(WASMOON_CPU_LZCNT))
    public static let bmi1 = CPUFeatures(rawValue: UInt32(WASMOON_CPU_BMI1))
    public static let popcnt = CPUFeatures(rawValue: UInt32(WASMOON_CPU_POPCNT))
    public static let sse41 = CPUFeatures(rawValue: UInt32(WASMOON_CPU_SSE41))
    public static let ssse3 = CPUFeatures(rawValue: UInt32(WASMOON_CPU_SSSE3))
    public static let sse42 = CPUFeatures(rawValue: UInt32(WASMOON_CPU_SSE42))
    public static let fma = CPUFeatures(rawValue: UInt32(WASMOON_CPU_FMA))

    /// Every extension the JIT knows.
    public static let all: CPUFeatures = [.lzcnt, .bmi1, .popcnt, .sse41, .ssse3, .sse42, .fma]
    /// x86-64's baseline: none of them.
    public static let baseline: CPUFeatures = []

    static let names: [(CPUFeatures, String)] = [
        (.lzcnt, "lzcnt"), (.bmi1, "bmi1"), (.popcnt, "popcnt"), (.sse41, "sse4.1"), (.ssse3, "ssse3"),
        (.sse42, "sse4.2"), (.fma, "fma"),
    ]

    public var description: String {
        let present = Self.names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "baseline" : present.joined(separator: ",")
    }

    /// What this CPU has (asked once, with CPUID).
    public static let host = CPUFeatures(rawValue: wasmoon_cpu_features()).intersection(.all)

    /// The set the JIT uses by default: the host's, narrowed by `WASMOON_JIT_CPU_FEATURES`
    /// when set (`baseline`, or a comma-separated list such as `popcnt,sse4.1`), so tests
    /// can run the fallback sequences on a CPU that has every extension.
    public static let configured: CPUFeatures = {
        guard let text = getenv("WASMOON_JIT_CPU_FEATURES").map({ String(cString: $0) }) else { return host }
        return host.intersection(parse(text) ?? host)
    }()

    /// A feature list as `description` prints it (nil when a name is unknown).
    public static func parse(_ text: String) -> CPUFeatures? {
        var set: CPUFeatures = []
        for word in text.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where word != "baseline" {
            guard let known = names.first(where: { $0.1 == word }) else { return nil }
            set.insert(known.0)
        }
        return set
    }
}
