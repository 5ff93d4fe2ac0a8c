import WasmCore
import WasmRuntime

/// Table and memory instructions that have no register form: inline table accesses, and
/// runtime calls for growth, bulk operations and segment drops (the operands are flushed).
extension FunctionCompiler {
    mutating func emitTableOrMemory(_ ins: Instruction, _ a: inout X64Assembler) {
        switch ins {
        case .tableGet(let t):
            tableDef(Int(t), into: .rcx, &a)
            a.mov(.i32, .rax, top)
            a.cmp(.i64, .rax, Mem(.rcx, 8))
            a.j(.ae, trapLabel(&a, .outOfBoundsTableAccess))
            a.mov(.i64, .rcx, Mem(.rcx, 0))
            a.mov(.i64, .rax, Mem(.rcx, .rax, .x8, 0))
            a.mov(.i64, top, .rax)
        case .tableSet(let t):
            tableDef(Int(t), into: .rcx, &a)
            a.mov(.i32, .rax, slot(sp - 2))
            a.cmp(.i64, .rax, Mem(.rcx, 8))
            a.j(.ae, trapLabel(&a, .outOfBoundsTableAccess))
            a.mov(.i64, .rcx, Mem(.rcx, 0))
            a.mov(.i64, .rdx, top)
            a.mov(.i64, Mem(.rcx, .rax, .x8, 0), .rdx)
            sp -= 2
        case .tableSize(let t):
            tableDef(Int(t), into: .rcx, &a)
            a.mov(.i64, .rax, Mem(.rcx, 8))
            push()
            a.mov(.i64, top, .rax)
        case .tableGrow(let t):
            // (init: ref, n: i32) -> i32
            a.mov(.i64, .rcx, slot(sp - 2))
            a.mov(.i32, .rdx, top)
            a.mov(.i32, .rsi, Int64(t))
            helperCall(Helpers.tableGrow, &a, trapping: false)
            sp -= 1
            a.mov(.i64, top, .rax)
        case .tableFill(let t):
            // (i, val, n)
            a.mov(.i32, .rsi, Int64(t))
            a.mov(.i32, .rdx, slot(sp - 3))
            a.mov(.i64, .rcx, slot(sp - 2))
            a.mov(.i32, .r8, top)
            helperCall(Helpers.tableFill, &a, trapping: true)
            sp -= 3
        case .tableCopy(let dt, let st):
            a.mov(.i32, .rsi, Int64(dt))
            a.mov(.i32, .rdx, Int64(st))
            a.mov(.i32, .rcx, slot(sp - 3))
            a.mov(.i32, .r8, slot(sp - 2))
            a.mov(.i32, .r9, top)
            helperCall(Helpers.tableCopy, &a, trapping: true)
            sp -= 3
        case .tableInit(let seg, let t):
            a.mov(.i32, .rsi, Int64(t))
            a.mov(.i32, .rdx, Int64(seg))
            a.mov(.i32, .rcx, slot(sp - 3))
            a.mov(.i32, .r8, slot(sp - 2))
            a.mov(.i32, .r9, top)
            helperCall(Helpers.tableInit, &a, trapping: true)
            sp -= 3
        case .elemDrop(let seg):
            a.mov(.i32, .rsi, Int64(seg))
            helperCall(Helpers.elemDrop, &a, trapping: false)
        case .memorySize:
            a.mov(.i64, .rax, Mem(.r15, 0))
            a.mov(.i64, .rax, Mem(.rax, 8))
            a.shr(.i64, .rax, 16)
            push()
            a.mov(.i64, top, .rax)
        case .memoryGrow:
            a.mov(.i32, .rsi, top)
            helperCall(Helpers.memoryGrow, &a, trapping: false)
            a.mov(.i64, top, .rax)
        case .memoryInit(let seg, _):
            a.mov(.i32, .rsi, Int64(seg))
            a.mov(.i32, .rdx, slot(sp - 3))
            a.mov(.i32, .rcx, slot(sp - 2))
            a.mov(.i32, .r8, top)
            helperCall(Helpers.memoryInit, &a, trapping: true)
            sp -= 3
        case .dataDrop(let seg):
            a.mov(.i32, .rsi, Int64(seg))
            helperCall(Helpers.dataDrop, &a, trapping: false)
        case .memoryCopy:
            a.mov(.i32, .rsi, slot(sp - 3))
            a.mov(.i32, .rdx, slot(sp - 2))
            a.mov(.i32, .rcx, top)
            helperCall(Helpers.memoryCopy, &a, trapping: true)
            sp -= 3
        case .memoryFill:
            a.mov(.i32, .rsi, slot(sp - 3))
            a.mov(.i32, .rdx, slot(sp - 2))
            a.mov(.i32, .rcx, top)
            helperCall(Helpers.memoryFill, &a, trapping: true)
            sp -= 3
        default:
            _ = a.require(false, "\(Self.describe(ins)) is not a table or memory instruction")
        }
    }
}
