/// Where the optimizing tier's compile time goes, summed over the functions it compiled:
/// seconds per phase (`--jit-stats` prints them; the compile-cost work measures with them).
public struct OptimizerPhaseTimes: Sendable {
    /// Decoding the body and building its SSA form.
    public var build = 0.0
    /// Copying small callees into the function.
    public var inlining = 0.0
    /// The `Simplify` passes.
    public var simplify = 0.0
    /// Live intervals (block order, liveness).
    public var liveness = 0.0
    /// Linear-scan register allocation.
    public var allocation = 0.0
    /// Instruction selection and encoding.
    public var emission = 0.0

    /// The phases by name, in pipeline order.
    public var named: [(name: String, seconds: Double)] {
        [("build", build), ("inlining", inlining), ("simplify", simplify), ("liveness", liveness),
         ("allocation", allocation), ("emission", emission)]
    }

    /// Adds `other`'s times to these (once per function compiled).
    mutating func add(_ other: OptimizerPhaseTimes) {
        build += other.build
        inlining += other.inlining
        simplify += other.simplify
        liveness += other.liveness
        allocation += other.allocation
        emission += other.emission
    }
}
