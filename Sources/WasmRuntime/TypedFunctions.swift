import WasmCore

/// Host functions and calls written with Swift types (`WasmValueConvertible`): the wasm type
/// comes from the closure's or the call's types, the `[Value]` arrays are built and checked
/// here.
extension Linker {
    /// Defines a host function from a typed closure; its wasm type is the closure's:
    ///
    /// ```swift
    /// linker.define("env", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
    /// linker.define("env", "log") { (value: Double) in print(value) }
    /// ```
    ///
    /// Instantiation checks it against the type the module imports it with (a mismatch is a
    /// `WasmoonError.link`). Throwing from the closure stops the guest: a `WasmoonError` (a
    /// trap, an exit) as itself, any other error passes through as `WasmoonError.host`.
    public func define<each Parameter: WasmValueConvertible, each Result: WasmValueConvertible>(
        _ module: String, _ name: String,
        _ body: @escaping (repeat each Parameter) throws -> (repeat each Result)
    ) {
        let type = FuncType(params: TypedSignature.types(repeat (each Parameter).self),
                            results: TypedSignature.types(repeat (each Result).self))
        defineFunction(module: module, name: name, type: type) { _, arguments in
            var next = 0
            let results = try body(repeat TypedSignature.argument(arguments, &next, as: (each Parameter).self))
            var values: [Value] = []
            for result in repeat each results { values.append(result.wasmValue) }
            return values
        }
    }

    /// Defines a host function from a typed closure that also receives the `Caller` (the
    /// calling instance, its memory):
    ///
    /// ```swift
    /// linker.define("env", "print") { (caller: Caller, address: UInt32, length: UInt32) in
    ///     print(try caller.memory!.string(at: UInt64(address), count: Int(length)))
    /// }
    /// ```
    public func define<each Parameter: WasmValueConvertible, each Result: WasmValueConvertible>(
        _ module: String, _ name: String,
        _ body: @escaping (Caller, repeat each Parameter) throws -> (repeat each Result)
    ) {
        let type = FuncType(params: TypedSignature.types(repeat (each Parameter).self),
                            results: TypedSignature.types(repeat (each Result).self))
        defineFunction(module: module, name: name, type: type) { caller, arguments in
            var next = 0
            let results = try body(caller, repeat TypedSignature.argument(arguments, &next, as: (each Parameter).self))
            var values: [Value] = []
            for result in repeat each results { values.append(result.wasmValue) }
            return values
        }
    }
}

extension Function {
    /// Calls the function with Swift arguments and returns its one result as `returning`:
    /// `try add.call(Int32(2), Int32(3), returning: Int32.self)`. The argument and result
    /// types must be the function's (`WasmoonError.call` otherwise).
    public func call<each Argument: WasmValueConvertible, Result: WasmValueConvertible>(
        _ arguments: repeat each Argument, returning: Result.Type
    ) throws(WasmoonError) -> Result {
        var values: [Value] = []
        for argument in repeat each arguments { values.append(argument.wasmValue) }
        let results = try call(values)
        guard results.count == 1, let result = Result(wasmValue: results[0]) else {
            throw .call(CallError("\(debugName) returns (\(type.results.map(\.description).joined(separator: " "))), not \(Result.wasmType)"))
        }
        return result
    }

    /// Calls a function that returns nothing with Swift arguments: `try run.call(Int32(1))`.
    public func call<each Argument: WasmValueConvertible>(_ arguments: repeat each Argument) throws(WasmoonError) {
        var values: [Value] = []
        for argument in repeat each arguments { values.append(argument.wasmValue) }
        guard type.results.isEmpty else {
            throw .call(CallError("\(debugName) returns (\(type.results.map(\.description).joined(separator: " "))): pass `returning:`"))
        }
        _ = try call(values)
    }
}

/// The wasm types of a pack of Swift types, and the typed arguments of a host call.
enum TypedSignature {
    static func types<each T: WasmValueConvertible>(_ types: repeat (each T).Type) -> [ValueType] {
        var list: [ValueType] = []
        for type in repeat each types { list.append(type.wasmType) }
        return list
    }

    /// `arguments[next]` as a `T` (advancing `next`). The engines pass arguments of the
    /// function's type, so a mismatch is a runtime bug; it is reported, not trusted.
    static func argument<T: WasmValueConvertible>(_ arguments: [Value], _ next: inout Int, as type: T.Type) throws -> T {
        defer { next += 1 }
        guard next < arguments.count, let value = T(wasmValue: arguments[next]) else {
            throw CallError("host function argument \(next) is not a \(T.wasmType)")
        }
        return value
    }
}
