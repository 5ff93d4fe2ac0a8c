import WasmCore

/// A decoded, validated module, with its code prepared by an engine.
/// Immutable and shareable: instantiate it any number of times.
public final class CompiledModule: @unchecked Sendable {
    /// The decoded, validated module.
    public let module: WasmCore.Module
    /// The engine that prepared the code: only its stores can instantiate the module.
    public let engine: Engine
    package let code: any EngineModuleCode
    /// Interned type id of each entry in the type section.
    package let typeIDs: [Int32]

    /// Decodes, validates and prepares a binary module.
    /// Throws `WasmoonError.malformed`, `.invalid`, or an engine's error.
    public convenience init(bytes: [UInt8], engine: Engine) throws(WasmoonError) {
        let module: WasmCore.Module
        do { module = try BinaryDecoder.decode(bytes) } catch { throw .malformed(error, source: nil) }
        try self.init(module: module, engine: engine)
    }

    /// Validates and prepares an already decoded module.
    public init(module: WasmCore.Module, engine: Engine) throws(WasmoonError) {
        do { try ModuleValidator.validate(module) } catch { throw WasmoonError(error) }
        let switchedOff = WasmProposals.all.subtracting(engine.proposals)
        if !switchedOff.isEmpty {
            let use: (proposal: WasmProposals, what: String, offset: Int)?
            do { use = try ProposalUsage.firstUse(in: module, among: switchedOff) } catch { throw .malformed(error, source: nil) }
            if let use {
                throw .malformed(
                    DecodeError.unsupported(
                        "\(use.proposal)", "switched off in the engine's configuration: \(use.what)", offset: use.offset),
                    source: nil)
            }
        }
        self.module = module
        self.engine = engine
        self.typeIDs = TypeRegistry.shared.ids(for: module)
        do { self.code = try engine.backend.prepare(module) } catch { throw WasmoonError(error) }
    }

    /// What the module imports, in order.
    public var imports: [Import] { module.imports }
    /// What the module exports, in order.
    public var exports: [Export] { module.exports }
}
