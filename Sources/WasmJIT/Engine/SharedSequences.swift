import WasmRuntime

/// Machine-code sequences both JIT compilers emit the same way (the baseline's
/// `FunctionCompiler` and the optimizing tier's `OptimizingCompiler`).
enum SharedSequences {
    /// rax = VMFuncRef*: saves r15/r14 at [rbp-8]/[rbp-16], then jumps to `host` for a host
    /// function (null context), else switches r15 to the callee's instance and r14 to its
    /// memory 0 base (if it has one). Uses rcx and rdx.
    static func enterCallee(_ a: inout X64Assembler, host: Label) {
        let noMemory = a.newLabel()
        a.mov(.i64, Mem(.rbp, -8), .r15)
        a.mov(.i64, Mem(.rbp, -16), .r14)
        a.mov(.i64, .rcx, Mem(.rax, VMOffsets.funcRefContext))
        a.test(.i64, .rcx, .rcx)
        a.j(.e, host)
        a.mov(.i64, .r15, .rcx)
        a.mov(.i64, .rdx, Mem(.r15, VMOffsets.memory0))
        a.test(.i64, .rdx, .rdx)
        a.j(.e, noMemory)
        a.mov(.i64, .r14, Mem(.rdx, VMOffsets.memoryBase))
        a.bind(noMemory)
    }

    /// The epoch check (`Engine.epochInterruption`): jumps to `trap` once the engine's epoch
    /// has reached the store's deadline. Uses rax and rcx.
    static func epochCheck(_ a: inout X64Assembler, trap: Label) {
        a.mov(.i64, .rax, Mem(.r15, VMOffsets.epoch))
        a.mov(.i64, .rax, Mem(.rax, 0))
        a.mov(.i64, .rcx, Mem(.r15, VMOffsets.deadline))
        a.cmp(.i64, .rax, Mem(.rcx, 0))
        a.j(.aboveOrEqual, trap)
    }
}
