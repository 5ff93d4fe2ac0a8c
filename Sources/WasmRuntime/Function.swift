import WasmCore

/// What a host function receives besides its arguments: the instance that
/// called it (and so that instance's memory, as WASI needs).
public struct Caller {
    /// The instance whose code called the host function (nil when the host called it directly).
    public let instance: Instance?

    /// A caller for `instance`.
    public init(instance: Instance?) { self.instance = instance }

    /// The calling instance's memory exported as `"memory"` (the WASI convention), else its
    /// memory 0, if it has one.
    public var memory: Memory? { instance?.exportedMemory ?? instance?.memories.first }

    /// The calling instance's memory `index` (multi-memory), if it has one.
    public func memory(at index: Int) -> Memory? {
        guard let instance, index >= 0, index < instance.memories.count else { return nil }
        return instance.memories[index]
    }

    /// The calling instance's memory exported as `name`, if any.
    public func memory(named name: String) -> Memory? { instance?.memory(name) }
}

/// A function implemented by the embedder. Throw `Trap` to trap, `ProcessExit` to exit.
public typealias HostFunctionBody = (Caller, [Value]) throws -> [Value]

/// A function instance: either defined by a wasm module or by the host.
/// Its address is its `funcref` value inside the engines, so the `Store`
/// keeps every function alive for as long as the store lives.
public final class Function: Hashable, @unchecked Sendable {
    package enum Kind {
        /// Defined in `instance`'s module; the index counts defined functions only.
        case wasm(definedIndex: Int)
        case host(HostFunctionBody)
    }

    /// The function's type: its parameters and results.
    public let type: FuncType
    package let typeID: Int32
    package let kind: Kind
    /// The owning instance (nil for host functions). Not retained: the store owns both.
    package unowned(unsafe) let instance: Instance?
    /// Index in the owning module's function index space (debugging, traps).
    package let index: UInt32
    package unowned(unsafe) let store: Store
    /// Whether `store` still lives (checked before every call from the host).
    package let storeLifetime: StoreLifetime
    /// This function's `funcref` record, at a stable address (see `VMFuncRef`).
    package let funcRef: UnsafeMutablePointer<VMFuncRef>

    /// `typeID` is the registry's id of the type (`type` in canonical form, see `TypeRegistry`);
    /// nil interns `type`, which must then not name type indices (host functions).
    package init(type: FuncType, typeID: Int32? = nil, kind: Kind, instance: Instance?, index: UInt32, store: Store) {
        self.type = type
        self.typeID = typeID ?? TypeRegistry.shared.id(for: type)
        self.kind = kind
        self.instance = instance
        self.index = index
        self.store = store
        storeLifetime = store.lifetime
        funcRef = .allocate(capacity: 1)
        funcRef.initialize(to: VMFuncRef(typeID: self.typeID, entry: nil, context: nil, function: nil))
        funcRef.pointee.function = Unmanaged.passUnretained(self)
        if let instance { funcRef.pointee.context = UnsafeMutableRawPointer(instance.context) }
    }

    deinit { funcRef.deallocate() }

    /// Calls the function. Arguments must match its parameter types (`WasmoonError.call`
    /// otherwise); a trap, an uncaught exception, a WASI exit or a host function's error
    /// comes back as the matching `WasmoonError`.
    public func call(_ arguments: [Value]) throws(WasmoonError) -> [Value] {
        guard storeLifetime.isAlive else {
            throw .call(CallError("function \(index): the store it belongs to was released (keep the Store while you use its instances and functions)"))
        }
        guard arguments.count == type.params.count,
            zip(arguments, type.params).allSatisfy({ $0.matches($1) })
        else {
            throw .call(CallError("expected \(type.params.count) argument(s) of type(s) (\(type.params.map(\.description).joined(separator: " "))), got (\(arguments.map(\.type.description).joined(separator: " ")))"))
        }
        do {
            switch kind {
            case .host:
                return try callHost(caller: nil, arguments)
            case .wasm:
                return try store.engine.backend.invoke(self, arguments: arguments)
            }
        } catch {
            throw WasmoonError(error)
        }
    }

    /// Calls a host function's body and checks its results against the function's type
    /// (`CallError` otherwise). Both tiers come through here, so no engine ever writes
    /// more results, or other types, than the wasm caller made room for.
    package func callHost(caller: Instance?, _ arguments: [Value]) throws -> [Value] {
        guard case .host(let body) = kind else { throw CallError("\(debugName) is not a host function") }
        let results: [Value]
        do {
            results = try body(Caller(instance: caller), arguments)
        } catch let error as WasmoonError {
            // What a nested `call` threw goes on in the form the engines pass through wasm
            // frames: a wasm exception must stay catchable by the wasm code around this call.
            throw error.underlying
        }
        guard results.count == type.results.count, zip(results, type.results).allSatisfy({ $0.matches($1) }) else {
            throw CallError(
                "host function returned (\(results.map(\.type.description).joined(separator: " "))), expected (\(type.results.map(\.description).joined(separator: " ")))"
            )
        }
        return results
    }

    /// A short name for messages: the name-section name, or the index.
    public var debugName: String {
        if let inst = instance, let n = inst.module.module.functionName(index) { return n }
        return "\(index)"
    }

    /// The name from the module's name section, if any.
    public var name: String? { instance?.module.module.functionName(index) }

    // MARK: funcref encoding

    /// The raw `funcref` slot value: the address of this function's `VMFuncRef`.
    @inline(__always)
    package var rawReference: UInt64 { UInt64(UInt(bitPattern: funcRef)) }

    /// The function a raw `funcref` slot value names (nil for 0 = null).
    @inline(__always)
    package static func fromRawReference(_ raw: UInt64) -> Function? {
        guard let p = UnsafePointer<VMFuncRef>(bitPattern: UInt(raw)) else { return nil }
        return p.pointee.function?.takeUnretainedValue()
    }

    /// Functions are equal when they are the same function instance.
    public static func == (lhs: Function, rhs: Function) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Calling a function with the wrong number or types of arguments.
public struct CallError: Error, Sendable, CustomStringConvertible {
    /// What was wrong with the call.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a `funcref` points at: a fixed-layout record, so engines can check a
/// `call_indirect` signature and find the callee's code without touching the
/// Swift object. Field offsets are read by JIT code: keep them stable
/// (typeID at 0, entry at 8, context at 16, function at 24).
package struct VMFuncRef {
    /// Interned signature id (`TypeRegistry`).
    package var typeID: Int32
    /// Engine-specific entry (JIT code address); nil until an engine sets it.
    package var entry: UnsafeRawPointer?
    /// The owning instance's `VMInstanceContext` (nil for host functions).
    package var context: UnsafeMutableRawPointer?
    /// Back pointer to the Swift object (not retained; the store owns it).
    package var function: Unmanaged<Function>?
}
