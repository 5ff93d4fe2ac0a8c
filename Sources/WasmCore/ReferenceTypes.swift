/// Reference types of Wasm 3.0 (typed function references, exceptions; the GC proposal
/// extends the same lattice): a heap type and whether null is a value of the type.

/// The abstract heap types, by their binary encoding. The lattice (spec §3.3.x "Heap types"):
/// `nofunc <: (concrete function types) <: func`, `noextern <: extern`, `noexn <: exn`, and the
/// GC hierarchy `none <: i31, struct, array (and concrete ones) <: eq <: any`.
public enum AbstractHeapType: UInt8, Hashable, Sendable, CaseIterable {
    case function = 0x70
    case extern = 0x6F
    case exception = 0x69
    case any = 0x6E
    case eq = 0x6D
    case i31 = 0x6C
    case structure = 0x6B
    case array = 0x6A
    case none = 0x71
    case noExtern = 0x72
    case noFunction = 0x73
    case noException = 0x74

    /// The top of this type's hierarchy: every value of the type is also of the top.
    public var top: AbstractHeapType {
        switch self {
        case .function, .noFunction: .function
        case .extern, .noExtern: .extern
        case .exception, .noException: .exception
        case .any, .eq, .i31, .structure, .array, .none: .any
        }
    }

    /// The bottom of this type's hierarchy (the type only null inhabits).
    public var bottom: AbstractHeapType {
        switch top {
        case .function: .noFunction
        case .extern: .noExtern
        case .exception: .noException
        default: .none
        }
    }

    /// The text format's name (`func`, `extern`, `exn`, `nofunc`, …).
    public var name: String {
        switch self {
        case .function: "func"
        case .extern: "extern"
        case .exception: "exn"
        case .any: "any"
        case .eq: "eq"
        case .i31: "i31"
        case .structure: "struct"
        case .array: "array"
        case .none: "none"
        case .noExtern: "noextern"
        case .noFunction: "nofunc"
        case .noException: "noexn"
        }
    }
}

/// A heap type: abstract, or a type index of the module (a defined type).
public enum HeapType: Hashable, Sendable, CustomStringConvertible {
    case abstract(AbstractHeapType)
    /// A type index into the module's type section.
    case concrete(UInt32)

    /// `func`: the abstract heap type of every function reference.
    public static let function = HeapType.abstract(.function)
    /// `extern`: the abstract heap type of every host (external) reference.
    public static let extern = HeapType.abstract(.extern)
    /// `exn`: the abstract heap type of every exception reference (exception handling).
    public static let exception = HeapType.abstract(.exception)

    /// The top of the type's hierarchy: which kind of reference its values are. A type index
    /// names a function type (until GC adds struct and array types).
    public var top: AbstractHeapType {
        switch self {
        case .abstract(let a): a.top
        case .concrete: .function
        }
    }

    public var description: String {
        switch self {
        case .abstract(let a): a.name
        case .concrete(let index): "\(index)"
        }
    }
}

/// A reference type: `(ref null? heaptype)`.
public struct RefType: Hashable, Sendable, CustomStringConvertible {
    /// Whether null is a value of the type (`ref null …`).
    public var isNullable: Bool
    /// The heap type the references point into.
    public var heapType: HeapType

    /// `(ref null heapType)` when `nullable`, else `(ref heapType)`.
    @inlinable
    public init(nullable: Bool, _ heapType: HeapType) {
        isNullable = nullable
        self.heapType = heapType
    }

    /// `funcref` = `(ref null func)`.
    public static let funcref = RefType(nullable: true, .function)
    /// `externref` = `(ref null extern)`.
    public static let externref = RefType(nullable: true, .extern)
    /// `exnref` = `(ref null exn)`.
    public static let exnref = RefType(nullable: true, .exception)

    /// This reference type as a value type (`ValueType.ref`).
    public var valueType: ValueType { .ref(self) }

    /// The abbreviations where they exist (`funcref`, `externref`, `exnref`, `nullfuncref`, …).
    public var description: String {
        if isNullable, case .abstract(let a) = heapType {
            switch a {
            case .noFunction: return "nullfuncref"
            case .noExtern: return "nullexternref"
            case .noException: return "nullexnref"
            case .none: return "nullref"
            default: return a.name + "ref"
            }
        }
        return "(ref " + (isNullable ? "null " : "") + heapType.description + ")"
    }
}
