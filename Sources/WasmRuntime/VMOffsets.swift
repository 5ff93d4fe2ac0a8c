/// Byte offsets of the runtime structures compiled code reads and writes (the instance
/// context, memory, table and function-reference definitions), computed from their Swift
/// layouts in this one place: JIT code names these instead of numbers.
package enum VMOffsets {
    // VMInstanceContext
    package static let memory0 = offset(\VMInstanceContext.memory0)
    package static let memories = offset(\VMInstanceContext.memories)
    package static let globals = offset(\VMInstanceContext.globals)
    package static let tables = offset(\VMInstanceContext.tables)
    package static let functions = offset(\VMInstanceContext.functions)
    package static let typeIDs = offset(\VMInstanceContext.typeIDs)
    package static let epoch = offset(\VMInstanceContext.epoch)
    package static let deadline = offset(\VMInstanceContext.deadline)
    package static let fuel = offset(\VMInstanceContext.fuel)

    // VMMemoryDefinition
    package static let memoryBase = offset(\VMMemoryDefinition.base)
    package static let memoryByteCount = offset(\VMMemoryDefinition.byteCount)

    // VMTableDefinition
    package static let tableElements = offset(\VMTableDefinition.elements)
    package static let tableCount = offset(\VMTableDefinition.count)

    // VMFuncRef
    package static let funcRefTypeID = offset(\VMFuncRef.typeID)
    package static let funcRefEntry = offset(\VMFuncRef.entry)
    package static let funcRefContext = offset(\VMFuncRef.context)

    private static func offset<Root>(_ path: PartialKeyPath<Root>) -> Int32 {
        Int32(MemoryLayout<Root>.offset(of: path)!)
    }
}
