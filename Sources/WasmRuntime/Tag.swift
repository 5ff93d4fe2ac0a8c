import WasmCore

/// A tag instance (exception handling): the identity an exception is thrown and caught
/// by, with the types of the values it carries (its function type's parameters).
public final class Tag: Hashable, @unchecked Sendable {
    /// The tag's function type, canonical (see `TypeRegistry`); its results are empty.
    public let type: FuncType
    package let typeID: Int32

    /// A host-made tag whose exceptions carry values of `parameters`.
    public convenience init(parameters: [ValueType]) {
        let type = FuncType(params: parameters, results: [])
        self.init(type: type, typeID: TypeRegistry.shared.id(for: type))
    }

    package init(type: FuncType, typeID: Int32) {
        self.type = type
        self.typeID = typeID
    }

    public static func == (lhs: Tag, rhs: Tag) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
