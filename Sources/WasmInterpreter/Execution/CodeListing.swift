import WasmCore
import WasmRuntime

extension Op {
    /// Words the instruction occupies (head included); `brTable` adds its entries.
    var length: Int {
        switch self {
        case .const64, .call, .callImport, .callIndirect, .returnCall, .returnCallImport, .returnCallIndirect,
            .callIndirectSlow, .returnCallIndirectSlow, .callRef, .returnCallRef, .callRefSlow, .returnCallRefSlow, .throw,
            .select, .load32, .load64, .load32Shl, .load64Shl, .load32OrShl, .load64OrShl, .load32AddShl, .load64AddShl, .load8S32, .load8U, .load16S32, .load16U, .load8S64, .load16S64, .load32S64,
            .store32, .store64, .store8, .store16, .memoryInit, .memorySizeOf, .memoryGrow, .memoryCopy, .memoryFill, .tableGet, .tableSet, .tableSize, .tableGrow,
            .tableFill, .tableCopy, .tableInit:
            2
        case .brAndNZ, .brAndZ, .brI32Eq, .brI32Ne, .brI32LtS, .brI32LtU, .brI32GtS, .brI32GtU, .brI32LeS, .brI32LeU, .brI32GeS,
            .brI32GeU, .brI64Eq, .brI64Ne, .brI64LtS, .brI64LtU, .brI64GtS, .brI64GtU, .brI64LeS, .brI64LeU,
            .brI64GeS, .brI64GeU, .addBrI32Eq, .addBrI32Ne, .addBrI32LtS, .addBrI32LtU, .addBrI32GtS, .addBrI32GtU,
            .addBrI32LeS, .addBrI32LeU, .addBrI32GeS, .addBrI32GeU:
            2
        case .const128, .shuffle128, .memoryAccess: 3
        case .select128, .load128, .load8x8S, .load8x8U, .load16x4S, .load16x4U, .load32x2S, .load32x2U, .load8Splat,
            .load16Splat, .load32Splat, .load64Splat, .load32Zero, .load64Zero, .store128, .load8Lane, .load16Lane,
            .load32Lane, .load64Lane, .store8Lane, .store16Lane, .store32Lane, .store64Lane:
            2
        default: Fusion.isChain(self) || isVectorTernary ? 2 : 1
        }
    }
}

extension InterpreterModuleCode {
    /// A text listing of the register code of function `index` (function
    /// index space), one instruction per line: position, opcode, raw fields.
    /// For debugging and the docs; not a stable format.
    func listing(function index: Int) -> String {
        guard index >= importedFunctionCount else { return "function \(index): imported\n" }
        do { try InterpreterModuleCode.ensureTranslated(functions + index) } catch {
            return "function \(index): not translated: \(error)\n"
        }
        let info = functions[index]
        var out = "function \(index) frame=\(info.frameSize) params=\(info.paramCount) init=\(info.initCount)\n"
        let template = (0..<info.initCount).map { info.initTemplate[$0] }
        out += "  init: \(template)\n"
        var pc = 0
        let code = info.code
        var end = 0
        // Walk until the last instruction: find the furthest branch target or stop at the final return.
        while true {
            let w = code[pc]
            guard let op = Word.decodedOp(w) else { break }
            var line = "  \(pc): \(op) a=\(Word.a(w)) b=\(Word.b(w)) c=\(Word.c(w))"
            var length = op.length
            switch op {
            case .br:
                line = "  \(pc): \(op) a=\(Word.a(w)) -> \(pc + Word.rel(w))"
                end = max(end, pc + Word.rel(w))
            case .brTable:
                let n = Int(w >> 32)
                let targets = (0...n).map { pc + Int(Int64(bitPattern: code[pc + 1 + $0])) }
                line = "  \(pc): brTable a=\(Word.a(w)) -> \(targets)"
                end = max(end, targets.max()!)
                length = n + 2
            case .call, .callImport, .callIndirect, .callIndirectSlow, .callRef, .callRefSlow, .throw:
                let n = op == .call || op == .callImport || op == .throw ? Word.b(w) : Word.c(w)
                let slots = UnsafeRawPointer(code + pc + 2).assumingMemoryBound(to: UInt16.self)
                line = "  \(pc): \(op) base=\(Word.a(w)) w1=\(code[pc + 1]) args=\((0..<n).map { slots[$0] })"
                length = 2 + (n + 3) / 4
            case .globalGet, .globalSet, .refFunc, .dataDrop, .elemDrop:
                line = "  \(pc): \(op) index=\(Word.index(w)) c=\(Word.c(w))"
            default:
                if Fusion.isFused(op) && !Fusion.isChain(op) || Word.k(w) != 0 { line += " k=\(Word.k(w))" }
                if length == 2 {
                    let imm = code[pc + 1]
                    if op.isAddBranch {
                        let target = pc + Int(Int32(truncatingIfNeeded: imm))
                        line += " z=\(imm >> 32) -> \(target)"
                        end = max(end, target)
                    } else if op.isConditionalBranch {
                        line += " -> \(pc + Int(Int64(bitPattern: imm)))"
                        end = max(end, pc + Int(Int64(bitPattern: imm)))
                    } else {
                        line += " w1=\(Int64(bitPattern: imm))"
                    }
                }
            }
            out += line + "\n"
            if (op == .ret || op == .ret1 || op == .unreachable || op == .br || op == .returnCall
                || op == .returnCallImport || op == .returnCallIndirect || op == .returnCallIndirectSlow || op == .returnCallRef || op == .returnCallRefSlow || op == .throw || op == .throwRef || op == .brTable)
                && pc >= end
            {
                break
            }
            pc += length
        }
        return out
    }
}

extension InterpreterEngine {
    /// The register code listing of every defined function of a prepared module (debugging aid).
    public static func listing(of module: CompiledModule) -> String {
        guard let code = module.code as? InterpreterModuleCode else { return "not an interpreter module\n" }
        return (code.importedFunctionCount..<code.functionCount).map { code.listing(function: $0) }.joined()
    }
}
