import WasmCore

/// A decoded, validated module, with its code prepared by an engine.
/// Immutable and shareable: instantiate it any number of times.
public final class CompiledModule: @unchecked Sendable {
    public let module: WasmCore.Module
    public let engine: Engine
    package let code: any EngineModuleCode
    /// Interned type id of each entry in the type section.
    package let typeIDs: [Int32]

    /// Decodes, validates and prepares a binary module.
    /// Throws `DecodeError` (malformed), `ValidationError` (invalid), or an engine error.
    public convenience init(bytes: [UInt8], engine: Engine) throws {
        let module = try BinaryDecoder.decode(bytes)
        try self.init(module: module, engine: engine)
    }

    /// Validates and prepares an already decoded module.
    public init(module: WasmCore.Module, engine: Engine) throws {
        try ModuleValidator.validate(module)
        self.module = module
        self.engine = engine
        self.typeIDs = TypeRegistry.shared.ids(for: module)
        self.code = try engine.backend.prepare(module)
    }

    public var imports: [Import] { module.imports }
    public var exports: [Export] { module.exports }
}
