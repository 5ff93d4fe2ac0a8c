/// Validates constant expressions (spec §3.3.10): global initialisers, segment
/// offsets and element items. Only `t.const`, `ref.null`, `ref.func` and
/// `global.get` of an immutable global visible to the expression are constant;
/// the expression must then produce exactly one value of the expected type.
public enum ConstExprValidator {
    /// Validates `expr` against `expected`. `visibleGlobals` is how many globals
    /// of `context.globals` the expression may read (the imported ones in Wasm 2.0).
    public static func validate(
        _ expr: ConstExpr, expected: ValueType, context: ValidationContext, visibleGlobals: Int
    ) throws(ValidationError) {
        // Constness first (the reference interpreter's order): an unknown
        // global is reported while checking constness.
        for instruction in expr.instructions {
            switch instruction {
            case .i32Const, .i64Const, .f32Const, .f64Const, .v128Const, .refNull, .refFunc:
                break
            case .numeric(let op) where ConstExprValidator.isExtendedConstant(op):
                break
            case .globalGet(let x):
                guard Int(x) < visibleGlobals, Int(x) < context.globals.count else {
                    throw ValidationError("unknown global \(x)")
                }
                if context.globals[Int(x)].mutability != .constant {
                    throw ValidationError("constant expression required")
                }
            default:
                throw ValidationError("constant expression required")
            }
        }
        // Typing: a small operand stack (the extended-constant operators pop two and push one).
        var stack: [ValueType] = []
        for instruction in expr.instructions {
            let t: ValueType
            switch instruction {
            case .i32Const: t = .i32
            case .i64Const: t = .i64
            case .f32Const: t = .f32
            case .f64Const: t = .f64
            case .v128Const: t = .v128
            case .refNull(let heapType):
                if case .concrete(let index) = heapType, Int(index) >= context.types.count {
                    throw ValidationError("unknown type \(index)")
                }
                t = .ref(RefType(nullable: true, heapType))
            case .refFunc(let x):
                guard Int(x) < context.functionTypeIndices.count else {
                    throw ValidationError("unknown function \(x)")
                }
                t = .ref(RefType(nullable: false, .concrete(context.functionTypeIndices[Int(x)])))
            case .globalGet(let x): t = context.globals[Int(x)].valueType
            case .numeric(let op):
                let operand: ValueType = op == .i32Add || op == .i32Sub || op == .i32Mul ? .i32 : .i64
                guard stack.count >= 2, stack.removeLast() == operand, stack.removeLast() == operand else {
                    throw ValidationError("type mismatch")
                }
                t = operand
            default: throw ValidationError("constant expression required")
            }
            stack.append(t)
        }
        guard stack.count == 1, context.isSubtype(stack[0], expected) else {
            throw ValidationError("type mismatch")
        }
    }

    /// The numeric operators Wasm 3.0 allows in constant expressions (extended constants).
    static func isExtendedConstant(_ op: NumericOp) -> Bool {
        switch op {
        case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul: true
        default: false
        }
    }
}
