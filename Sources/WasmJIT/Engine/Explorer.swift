import WasmCore
import WasmRuntime

/// What the JIT made of a module, as text (`wasmoon explore`).
public enum JITExplorer {
    /// The listing of each selected defined function (all when `functions` is nil):
    /// a header, then the machine code with each wasm instruction's module offset
    /// and text as a comment before its code, for a CPU with `features` (this one's by
    /// default). Validates the module first.
    public static func listing(
        _ module: WasmCore.Module, functions: Set<UInt32>? = nil, features: CPUFeatures = .configured,
        tier: JITTier = .baseline
    ) throws -> String {
        try ModuleValidator.validate(module)
        var a = X64Assembler(capacity: 64 * 1024, listing: true)
        let code = try JITEngine.compile(module, &a, listing: true, features: features, tier: tier)
        let lines = a.listing
        let text = a.listingText().split(separator: "\n", omittingEmptySubsequences: false)
        // listingText() prints one text line per listing line.
        var out = ""
        for (i, range) in code.functionRanges.enumerated() {
            let index = UInt32(code.importCount + i)
            if let functions, !functions.contains(index) { continue }
            let start = range.lowerBound, end = range.upperBound
            let name = module.functionName(index).map { " '\($0)'" } ?? ""
            let type = module.types[Int(module.functions[i])]
            out += "function \(index)\(name) \(type): \(end - start) bytes\n"
            for (n, line) in lines.enumerated() where line.offset >= start && line.offset < end {
                if line.kind == .label && line.offset == start && n + 1 < lines.count && lines[n + 1].offset == start
                    && line.text.hasPrefix("L") { continue }
                out += text[n] + "\n"
            }
            out += "\n"
        }
        return out
    }

    /// One compile of a function: which, its CPU seconds, whether the optimizing tier made the
    /// code, and (tiered) when that code was published, in seconds after the module was prepared.
    public struct CompileRecord: Sendable {
        public var definedIndex: Int
        public var seconds: Double
        public var optimized: Bool
        public var publishedAt: Double?
    }

    /// Compile statistics of a prepared module (lazy: of the functions compiled so far):
    /// total seconds, code bytes, each compile in compile order (a tiered function has two),
    /// how many the optimizing tier made, its declines, and its time per phase. Nil when the
    /// module was not compiled by the JIT.
    public static func statistics(
        _ code: any EngineModuleCode
    ) -> (seconds: Double, codeSize: Int, functions: [CompileRecord], optimized: Int, declines: [Int: String],
          phases: OptimizerPhaseTimes)? {
        guard let c = code as? JITModuleCode else { return nil }
        let (functions, phases) = c.lock.withLock {
            (c.map.definedIndices.indices.map { n in
                CompileRecord(definedIndex: c.map.definedIndices[n], seconds: c.map.seconds[n],
                              optimized: c.map.optimized[n], publishedAt: c.map.optimizedAt[n])
            }, c.map.optimizerPhases)
        }
        return (c.compileSeconds, c.codeSize, functions, c.optimizedFunctionCount, c.optimizerDeclines, phases)
    }
}
