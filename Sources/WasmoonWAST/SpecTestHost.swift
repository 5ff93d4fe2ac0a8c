import Wasmoon
/// The `spectest` host module every spec test script may import (the reference
/// interpreter's conventions): `print*` functions, four constant globals, a
/// funcref table of 10..20 elements and a memory of 1..2 pages.
enum SpecTestHost {
    /// Defines the `spectest` module in `linker`. Each call makes fresh table,
    /// memory and globals, so a script cannot see another's changes.
    /// - Parameter print: where the `print*` functions write their arguments (nil: nowhere).
    static func define(in linker: Linker, print: ((String) -> Void)? = nil) throws {
        func printer(_ name: String, _ params: [ValueType]) {
            linker.defineFunction(module: "spectest", name: name, type: FuncType(params: params, results: [])) {
                _, args in
                print?(args.map { "\(ValueFormat.format($0)) : \($0.type)" }.joined(separator: "\n"))
                return []
            }
        }
        printer("print", [])
        printer("print_i32", [.i32])
        printer("print_i64", [.i64])
        printer("print_f32", [.f32])
        printer("print_f64", [.f64])
        printer("print_i32_f32", [.i32, .f32])
        printer("print_f64_f64", [.f64, .f64])

        func global(_ name: String, _ value: Value) {
            let g = Global(type: GlobalType(valueType: value.type, mutability: .constant), value: value)
            linker.define(module: "spectest", name: name, .global(g))
        }
        global("global_i32", .i32(666))
        global("global_i64", .i64(666))
        global("global_f32", .f32(Float(666.6).bitPattern))
        global("global_f64", .f64(Double(666.6).bitPattern))

        let table = try Table(type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20)))
        linker.define(module: "spectest", name: "table", .table(table))
        let table64 = try Table(type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20), addressType: .i64))
        linker.define(module: "spectest", name: "table64", .table(table64))
        let memory = try Memory(type: MemoryType(limits: Limits(min: 1, max: 2)))
        linker.define(module: "spectest", name: "memory", .memory(memory))
    }
}
