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
        // Typing: every constant instruction pushes one value.
        var produced: ValueType? = nil
        var count = 0
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
            default: throw ValidationError("constant expression required")
            }
            produced = t
            count += 1
        }
        guard count == 1, let produced, context.isSubtype(produced, expected) else {
            throw ValidationError("type mismatch")
        }
    }
}
