import WasmCore
import WasmRuntime

/// Table and memory instructions that have no register form: inline table accesses, and
/// runtime calls for growth, bulk operations and segment drops (the operands are flushed).
extension FunctionCompiler {
    mutating func emitTableOrMemory(_ ins: Instruction, _ a: inout X64Assembler) {
        switch ins {
        case .tableGet(let t):
            tableDef(Int(t), into: .rcx, &a)
            a.mov(tableSize(t), .rax, top)
            a.cmp(.i64, .rax, Mem(.rcx, VMOffsets.tableCount))
            a.j(.ae, trapLabel(&a, .outOfBoundsTableAccess))
            a.mov(.i64, .rcx, Mem(.rcx, VMOffsets.tableElements))
            a.mov(.i64, .rax, Mem(.rcx, .rax, .x8, 0))
            a.mov(.i64, top, .rax)
        case .tableSet(let t):
            tableDef(Int(t), into: .rcx, &a)
            a.mov(tableSize(t), .rax, slot(sp - 2))
            a.cmp(.i64, .rax, Mem(.rcx, VMOffsets.tableCount))
            a.j(.ae, trapLabel(&a, .outOfBoundsTableAccess))
            a.mov(.i64, .rcx, Mem(.rcx, VMOffsets.tableElements))
            a.mov(.i64, .rdx, top)
            a.mov(.i64, Mem(.rcx, .rax, .x8, 0), .rdx)
            sp -= 2
        case .tableSize(let t):
            tableDef(Int(t), into: .rcx, &a)
            a.mov(.i64, .rax, Mem(.rcx, VMOffsets.tableCount))
            push()
            a.mov(.i64, top, .rax)
        case .tableGrow(let t):
            // (init: ref, n) -> old size
            a.mov(.i32, .rsi, Int64(t))
            a.mov(tableSize(t), .rdx, top)
            a.mov(.i64, .rcx, slot(sp - 2))
            helperCall(Helpers.tableGrow, &a, trapping: false)
            sp -= 1
            a.mov(.i64, top, .rax)
        case .tableFill(let t):
            // (i, val, n)
            a.mov(.i32, .rsi, Int64(t))
            a.mov(tableSize(t), .rdx, slot(sp - 3))
            a.mov(.i64, .rcx, slot(sp - 2))
            a.mov(tableSize(t), .r8, top)
            helperCall(Helpers.tableFill, &a, trapping: true)
            sp -= 3
        case .tableCopy(let dt, let st):
            a.mov(.i32, .rsi, Int64(dt))
            a.mov(.i32, .rdx, Int64(st))
            a.mov(tableSize(dt), .rcx, slot(sp - 3))
            a.mov(tableSize(st), .r8, slot(sp - 2))
            a.mov(env.table64[Int(dt)] && env.table64[Int(st)] ? .i64 : .i32, .r9, top)
            helperCall(Helpers.tableCopy, &a, trapping: true)
            sp -= 3
        case .tableInit(let seg, let t):
            a.mov(.i32, .rsi, Int64(t))
            a.mov(.i32, .rdx, Int64(seg))
            a.mov(tableSize(t), .rcx, slot(sp - 3))
            a.mov(.i32, .r8, slot(sp - 2))
            a.mov(.i32, .r9, top)
            helperCall(Helpers.tableInit, &a, trapping: true)
            sp -= 3
        case .elemDrop(let seg):
            a.mov(.i32, .rsi, Int64(seg))
            helperCall(Helpers.elemDrop, &a, trapping: false)
        case .memorySize(let m):
            memoryDefinition(Int(m), into: .rax, &a)
            a.mov(.i64, .rax, Mem(.rax, VMOffsets.memoryByteCount))
            a.shr(.i64, .rax, 16)
            push()
            a.mov(.i64, top, .rax)
        case .memoryGrow(let m):
            a.mov(.i32, .rsi, Int64(m))
            a.mov(memorySize(m), .rdx, top)
            helperCall(Helpers.memoryGrow, &a, trapping: false)
            a.mov(.i64, top, .rax)
        case .memoryInit(let seg, let m):
            a.mov(.i32, .rsi, Int64(m))
            a.mov(.i32, .rdx, Int64(seg))
            a.mov(memorySize(m), .rcx, slot(sp - 3))
            a.mov(.i32, .r8, slot(sp - 2))
            a.mov(.i32, .r9, top)
            helperCall(Helpers.memoryInit, &a, trapping: true)
            sp -= 3
        case .dataDrop(let seg):
            a.mov(.i32, .rsi, Int64(seg))
            helperCall(Helpers.dataDrop, &a, trapping: false)
        case .memoryCopy(let dst, let src):
            a.mov(.i32, .rsi, Int64(dst))
            a.mov(.i32, .rdx, Int64(src))
            a.mov(memorySize(dst), .rcx, slot(sp - 3))
            a.mov(memorySize(src), .r8, slot(sp - 2))
            a.mov(env.memory64[Int(dst)] && env.memory64[Int(src)] ? .i64 : .i32, .r9, top)
            helperCall(Helpers.memoryCopy, &a, trapping: true)
            sp -= 3
        case .memoryFill(let m):
            a.mov(.i32, .rsi, Int64(m))
            a.mov(memorySize(m), .rdx, slot(sp - 3))
            a.mov(.i32, .rcx, slot(sp - 2))
            a.mov(memorySize(m), .r8, top)
            helperCall(Helpers.memoryFill, &a, trapping: true)
            sp -= 3
        default:
            _ = a.require(false, "\(Self.describe(ins)) is not a table or memory instruction")
        }
    }

    /// The operand size of table `t`'s indices (i64 for table64).
    func tableSize(_ t: UInt32) -> OperandSize { env.table64[Int(t)] ? .i64 : .i32 }
    /// The operand size of memory `m`'s addresses (i64 for memory64).
    func memorySize(_ m: UInt32) -> OperandSize { env.memory64[Int(m)] ? .i64 : .i32 }

    /// Loads memory `m`'s `VMMemoryDefinition*` from the instance context.
    mutating func memoryDefinition(_ m: Int, into r: GPR, _ a: inout X64Assembler) {
        if m == 0 {
            a.mov(.i64, r, Mem(.r15, VMOffsets.memory0))
        } else {
            a.mov(.i64, r, Mem(.r15, VMOffsets.memories))
            a.mov(.i64, r, Mem(r, Int32(m * 8)))
        }
    }
}
