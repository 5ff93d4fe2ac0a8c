/// What a WASI guest is given: its arguments, its environment, the host
/// directories it may see, and the host descriptors behind its stdio.
/// The guest sees nothing else of the host.
public struct WASIConfiguration: Sendable {
    /// `argv`, including `argv[0]` (the program name).
    public var arguments: [String]
    /// The guest's entire environment, in order (nothing is inherited from the host).
    public var environment: [(String, String)]
    /// Host directories to preopen, each visible to the guest under `guestPath`.
    /// They become descriptors 3, 4, … in this order.
    public var preopens: [(hostPath: String, guestPath: String)]
    /// Host descriptor behind the guest's stdin (not closed by WASI).
    public var stdin: Int32
    /// Host descriptor behind the guest's stdout (not closed by WASI; writes are unbuffered).
    public var stdout: Int32
    /// Host descriptor behind the guest's stderr (not closed by WASI; writes are unbuffered).
    public var stderr: Int32
    /// Replaces the host clocks (`clock_time_get`, and the clock of `poll_oneoff`'s
    /// absolute timeouts) for deterministic runs. Returns nanoseconds.
    public var clock: (@Sendable (WASIClockID) -> UInt64)?
    /// The most descriptors the guest may have open at once (stdio and preopens
    /// included); opening more is `EMFILE`. Keeps a guest from using up the
    /// host process's descriptors.
    public var maxOpenDescriptors: Int = 4096
    /// Replaces the host random source (`random_get`) for deterministic runs.
    public var random: (@Sendable (UnsafeMutableRawBufferPointer) -> Void)?

    /// A configuration: by default no arguments, no environment, no directories, and the host process's stdio.
    public init(
        arguments: [String] = [],
        environment: [(String, String)] = [],
        preopens: [(hostPath: String, guestPath: String)] = [],
        stdin: Int32 = 0,
        stdout: Int32 = 1,
        stderr: Int32 = 2
    ) {
        self.arguments = arguments
        self.environment = environment
        self.preopens = preopens
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// The configuration cannot be honoured (a preopen cannot be opened, an
/// argument contains NUL, the guest has no memory, …).
public struct WASIError: Error, Sendable, CustomStringConvertible {
    /// What could not be honoured.
    public var message: String
    /// A configuration: by default no arguments, no environment, no directories, and the host process's stdio.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
