import WasmRuntime

/// Clocks and randomness for reproducible runs (`wasmoon run --wasi-deterministic`):
/// every clock read advances a shared counter by a fixed step, starting at a fixed
/// epoch, and `random_get` draws from a seeded stream. Two runs of the same guest
/// (on either tier) then see the same times and the same random bytes.
public final class DeterministicSources: @unchecked Sendable {
    /// Realtime starts here: 2020-01-01T00:00:00Z, in nanoseconds.
    public static let realtimeEpoch: UInt64 = 1_577_836_800_000_000_000
    /// How far every clock advances per read: 1 ms.
    public static let step: UInt64 = 1_000_000
    /// The stream's seed when none is given.
    public static let defaultSeed: UInt64 = 0x5741_534D_4F4F_4E21  // "WASMOON!"

    private let lock = Mutex()
    private var reads: UInt64 = 0
    private var state: UInt64

    /// Sources whose random bytes follow from `seed`.
    public init(seed: UInt64 = DeterministicSources.defaultSeed) { state = seed }

    /// The time of `clock` at the next read: realtime from the epoch, the others from 0;
    /// each read (of any clock) is one step later than the one before.
    public func now(_ clock: WASIClockID) -> UInt64 {
        let n = lock.withLock {
            reads += 1
            return reads
        }
        let elapsed = n &* Self.step
        return clock == .realtime ? Self.realtimeEpoch &+ elapsed : elapsed
    }

    /// SplitMix64: the next 64 bits of the stream.
    private func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fills `buffer` with the next bytes of the stream (little-endian words).
    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        lock.withLock {
            var i = 0
            while i < buffer.count {
                let word = next()
                let n = min(8, buffer.count - i)
                for k in 0..<n { buffer[i + k] = UInt8(truncatingIfNeeded: word >> UInt64(8 * k)) }
                i += n
            }
        }
    }

    /// Installs these sources as `configuration`'s clock and random hooks.
    public func install(in configuration: inout WASIConfiguration) {
        configuration.clock = { [self] in now($0) }
        configuration.random = { [self] in fill($0) }
    }
}
