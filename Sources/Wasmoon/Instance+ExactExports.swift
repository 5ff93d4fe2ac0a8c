import WasmCore
import WasmRuntime

extension Instance {
    /// The export whose name has exactly these UTF-8 bytes.
    ///
    /// Export names are byte strings in wasm, but Swift `String` equality is Unicode
    /// canonical equivalence ("\u{C5}" == "A\u{30A}"), so a `[String: …]` lookup can
    /// return a different export with an equivalent name (spec test `names.wast`).
    /// This scans the module's export section and compares bytes.
    func exactExport(_ name: String) -> ExternalValue? {
        let bytes = Array(name.utf8)
        guard let export = module.module.exports.first(where: { $0.name.utf8.elementsEqual(bytes) }) else {
            return nil
        }
        switch export.descriptor {
        case .function(let i): return Int(i) < functions.count ? .function(functions[Int(i)]) : nil
        case .table(let i): return Int(i) < tables.count ? .table(tables[Int(i)]) : nil
        case .memory(let i): return Int(i) < memories.count ? .memory(memories[Int(i)]) : nil
        case .global(let i): return Int(i) < globals.count ? .global(globals[Int(i)]) : nil
        }
    }

    /// The exported function with exactly this name (see `exactExport`).
    func exactFunction(_ name: String) -> Function? {
        if case .function(let f)? = exactExport(name) { return f }
        return nil
    }

    /// The exported global with exactly this name (see `exactExport`).
    func exactGlobal(_ name: String) -> WasmRuntime.Global? {
        if case .global(let g)? = exactExport(name) { return g }
        return nil
    }
}
