import CWasmoon
import Synchronization
import WasmCore

/// An exported (or importable) entity.
public enum ExternalValue: Sendable {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    case tag(Tag)

    var kindName: String {
        switch self {
        case .function: "function"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}

/// Raw pointers to everything an instance's code touches, laid out for the
/// engines' hot paths (no ARC, no exclusivity checks). Owned by `Instance`.
package struct VMInstanceContext {
    /// Memory 0, or nil when the module has no memory.
    package var memory0: UnsafeMutablePointer<VMMemoryDefinition>?
    /// Each memory's definition, by memory index (multi-memory).
    package var memories: UnsafeMutablePointer<UnsafeMutablePointer<VMMemoryDefinition>>
    /// Storage of each global, by global index.
    package var globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    /// Each table's definition, by table index.
    package var tables: UnsafeMutablePointer<UnsafeMutablePointer<VMTableDefinition>>
    /// The raw funcref (Function address) of each function, by function index.
    package var functions: UnsafeMutablePointer<UInt64>
    /// Interned id of each type-section entry, by type index.
    package var typeIDs: UnsafeMutablePointer<Int32>
    /// The owning `Instance` (unretained opaque pointer), for runtime calls out of JIT code.
    package var instance: UnsafeMutableRawPointer? = nil
    /// The engine's epoch and the store's deadline (epoch interruption: code compares them).
    package var epoch: UnsafeMutablePointer<UInt64>? = nil
    package var deadline: UnsafeMutablePointer<UInt64>? = nil
    /// The store's fuel (fuel metering: code subtracts from it and traps below zero).
    package var fuel: UnsafeMutablePointer<Int64>? = nil
}

/// A module instance: the functions, tables, memories and globals of one
/// instantiation, plus its exports. Owned by its `Store`, which must outlive it.
public final class Instance: @unchecked Sendable {
    /// The module this is an instance of.
    public let module: CompiledModule
    package unowned(unsafe) let store: Store
    package var functions: [Function] = []
    package var tables: [Table] = []
    package var memories: [Memory] = []
    package var globals: [Global] = []
    package var tags: [Tag] = []
    /// Element segments as raw references; emptied by `elem.drop` and after active init.
    package var elementSegments: [[UInt64]] = []
    /// Data segments' bytes; emptied by `data.drop` and after active init.
    package var dataSegments: [[UInt8]] = []
    package var exportsByName: [WasmName: ExternalValue] = [:]
    /// The export names, in the order the module declares them.
    public private(set) var exportNames: [String] = []
    package let context: UnsafeMutablePointer<VMInstanceContext>

    package init(module: CompiledModule, store: Store) {
        self.module = module
        self.store = store
        context = .allocate(capacity: 1)
        context.initialize(
            to: VMInstanceContext(
                memory0: nil, memories: .allocate(capacity: 1), globals: .allocate(capacity: 1), tables: .allocate(capacity: 1),
                functions: .allocate(capacity: 1), typeIDs: .allocate(capacity: 1)))
        context.pointee.instance = Unmanaged.passUnretained(self).toOpaque()
        context.pointee.epoch = store.engine.epoch
        context.pointee.deadline = store.deadline
        context.pointee.fuel = store.fuel
    }

    deinit {
        context.pointee.memories.deallocate()
        context.pointee.globals.deallocate()
        context.pointee.tables.deallocate()
        context.pointee.functions.deallocate()
        context.pointee.typeIDs.deallocate()
        context.deallocate()
    }

    /// Fills `context` from the entity arrays. Called once they are complete.
    package func buildContext() {
        context.pointee.memories.deallocate()
        context.pointee.globals.deallocate()
        context.pointee.tables.deallocate()
        context.pointee.functions.deallocate()
        context.pointee.typeIDs.deallocate()
        let m = UnsafeMutablePointer<UnsafeMutablePointer<VMMemoryDefinition>>.allocate(capacity: max(memories.count, 1))
        for (i, x) in memories.enumerated() { (m + i).initialize(to: x.definition) }
        let g = UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>.allocate(capacity: max(globals.count, 1))
        for (i, x) in globals.enumerated() { (g + i).initialize(to: x.storage) }
        let t = UnsafeMutablePointer<UnsafeMutablePointer<VMTableDefinition>>.allocate(capacity: max(tables.count, 1))
        for (i, x) in tables.enumerated() { (t + i).initialize(to: x.definition) }
        let f = UnsafeMutablePointer<UInt64>.allocate(capacity: max(functions.count, 1))
        for (i, x) in functions.enumerated() { (f + i).initialize(to: x.rawReference) }
        let ids = module.typeIDs
        let ty = UnsafeMutablePointer<Int32>.allocate(capacity: max(ids.count, 1))
        for (i, x) in ids.enumerated() { (ty + i).initialize(to: x) }
        context.initialize(
            to: VMInstanceContext(
                memory0: memories.first?.definition, memories: m, globals: g, tables: t, functions: f, typeIDs: ty,
                instance: Unmanaged.passUnretained(self).toOpaque(), epoch: store.engine.epoch, deadline: store.deadline,
                fuel: store.fuel))
    }

    // MARK: Exports

    /// The export called `name`, if any.
    public func export(_ name: String) -> ExternalValue? { exportsByName[WasmName(name)] }

    /// Exports in the module's export order.
    public var exports: [(name: String, value: ExternalValue)] { exportNames.map { ($0, exportsByName[WasmName($0)]!) } }

    /// The exported function called `name`, if any.
    public func function(_ name: String) -> Function? {
        if case .function(let f)? = exportsByName[WasmName(name)] { return f }
        return nil
    }
    /// The exported memory called `name`, if any.
    public func memory(_ name: String) -> Memory? {
        if case .memory(let m)? = exportsByName[WasmName(name)] { return m }
        return nil
    }
    /// The exported table called `name`, if any.
    public func table(_ name: String) -> Table? {
        if case .table(let t)? = exportsByName[WasmName(name)] { return t }
        return nil
    }
    /// The exported global called `name`, if any.
    public func global(_ name: String) -> Global? {
        if case .global(let g)? = exportsByName[WasmName(name)] { return g }
        return nil
    }

    package func addExport(_ name: String, _ value: ExternalValue) {
        exportNames.append(name)
        exportsByName[WasmName(name)] = value
        if name == "memory", case .memory(let m) = value { exportedMemory = m }
    }

    /// The memory exported as `"memory"` (WASI's), kept at instantiation so that host calls
    /// need no lookup.
    package private(set) var exportedMemory: Memory?

    /// The first memory (memory index 0), if any.
    public var defaultMemory: Memory? { memories.first }

    /// Memory `index` (imports first; several with multi-memory), if there is one.
    public func memory(at index: Int) -> Memory? { index >= 0 && index < memories.count ? memories[index] : nil }

    /// How many memories the instance has (imported and defined).
    public var memoryCount: Int { memories.count }
}

/// Owns every runtime object created in it (instances, functions, memories,
/// tables, globals) for its whole lifetime: funcrefs are raw addresses, so
/// nothing may be freed while the store lives. Instances, functions and the rest
/// do not keep their store alive: keep the store as long as you use what came
/// from it. Calling a function whose store is gone throws `WasmoonError.call`
/// (never runs freed code). A store is used by one thread at a time (`interrupt()`
/// excepted); separate stores may run on separate threads.
public final class Store: @unchecked Sendable {
    /// The engine that runs this store's code.
    public let engine: Engine
    /// Tells the functions created in this store whether it still lives (see `StoreLifetime`).
    package let lifetime = StoreLifetime()
    private var instances: [Instance] = []
    private var hostFunctions: [Function] = []
    /// Every exception thrown in this store: an `exnref` is a raw address (see `Exception`).
    private var exceptions: [Exception] = []
    private let lock = Mutex()
    /// What this store's guests may take (set before instantiating; see `StoreLimits`).
    public var limits = StoreLimits()
    private var counts = StoreCounts()
    /// The epoch at which this store's code traps with `interrupt` (engines with epoch
    /// interruption only); `UInt64.max`: never.
    package let deadline: UnsafeMutablePointer<UInt64>
    /// The fuel this store's code may still consume (engines that consume fuel only).
    package let fuel: UnsafeMutablePointer<Int64>

    /// An empty store for code of `engine`, with no limits, no fuel and no epoch deadline.
    public init(engine: Engine) {
        self.engine = engine
        deadline = .allocate(capacity: 1)
        deadline.initialize(to: UInt64.max)
        fuel = .allocate(capacity: 1)
        fuel.initialize(to: 0)
    }

    deinit {
        lifetime.end()
        deadline.deallocate()
        fuel.deallocate()
    }

    /// The fuel the store's code may still consume (an engine with `consumesFuel`: about one
    /// unit per operator; at zero, code traps with `all fuel consumed`). Starts at 0.
    public var fuelRemaining: UInt64 { UInt64(max(fuel.pointee, 0)) }

    /// Sets the fuel left to `units` (at most `Int64.max`).
    public func setFuel(_ units: UInt64) { fuel.pointee = Int64(min(units, UInt64(Int64.max))) }

    /// Adds `units` to the fuel left.
    public func addFuel(_ units: UInt64) {
        let (sum, overflow) = max(fuel.pointee, 0).addingReportingOverflow(Int64(min(units, UInt64(Int64.max))))
        fuel.pointee = overflow ? Int64.max : sum
    }

    /// Interrupts the store's running code (from any thread) at its next check: a function
    /// entry or a loop header. Needs an engine with `epochInterruption`. The store stays
    /// interrupted until `setEpochDeadline` gives it a new deadline.
    public func interrupt() {
        deadline.withMemoryRebound(to: Int64.self, capacity: 1) { wasmoon_store_release($0, 0) }
    }

    /// Lets the store's code run until the engine's epoch has advanced `ticks` more times
    /// (`Engine.incrementEpoch`); `nil`: no deadline.
    public func setEpochDeadline(afterTicks ticks: UInt64?) {
        let value = ticks.map { ticks in
            let (sum, overflow) = engine.currentEpoch.addingReportingOverflow(ticks)
            return overflow ? UInt64.max : sum
        } ?? UInt64.max
        deadline.withMemoryRebound(to: Int64.self, capacity: 1) { wasmoon_store_release($0, Int64(bitPattern: value)) }
    }

    /// Counts an instance about to define `memories` memories and `tables` tables against `limits`.
    package func admit(instanceWith memories: Int, tables: Int) throws {
        try lock.withLock { try counts.add(instanceWith: memories, tables: tables, limits: limits) }
    }

    package func retain(_ instance: Instance) { lock.withLock { instances.append(instance) } }

    /// Keeps `exception` alive for the store's lifetime (it is about to be thrown).
    package func keep(_ exception: Exception) { lock.withLock { exceptions.append(exception) } }

    /// Creates a host function owned by this store.
    public func hostFunction(type: FuncType, _ body: @escaping HostFunctionBody) -> Function {
        let f = Function(type: type, kind: .host(body), instance: nil, index: 0, store: self)
        lock.withLock { hostFunctions.append(f) }
        return f
    }
}

/// Whether a store still lives: shared by the store and every function created in it, so
/// that a call through a function the embedder kept after releasing its store is refused
/// with an error instead of running on freed instances.
package final class StoreLifetime: Sendable {
    private let alive = Atomic<Bool>(true)
    package init() {}
    /// False once the store has been released.
    package var isAlive: Bool { alive.load(ordering: .acquiring) }
    package func end() { alive.store(false, ordering: .releasing) }
}

/// A wasm name compared byte for byte. Names in wasm are UTF-8 byte strings;
/// Swift `String` equality is Unicode canonical equivalence ("\u{C5}" equals
/// "A\u{30A}"), which would merge distinct exports (spec test `names.wast`).
package struct WasmName: Hashable, Sendable {
    package let bytes: [UInt8]
    package init(_ name: String) { bytes = Array(name.utf8) }
}
