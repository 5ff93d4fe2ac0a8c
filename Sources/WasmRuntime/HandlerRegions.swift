import WasmCore

/// One exception-handling region of a function's code, as both tiers record it: the body of a
/// `try_table` or of a legacy `try` (its `do` part), as a range of code positions (interpreter
/// words or machine-code offsets), with the catch clauses of that block in order.
///
/// Regions nest like the blocks they come from. `parent` is the region around this one (the
/// innermost whose body was open where this one starts; -1: none); a legacy `try … delegate l`
/// has no clauses and sends what reaches it to `delegateTarget` instead: the innermost region
/// open at label `l` (-1: the caller).
@frozen @usableFromInline
package struct HandlerRegion<Handler> {
    @usableFromInline package var start: Int
    @usableFromInline package var end: Int
    @usableFromInline package var parent: Int
    @usableFromInline package var delegateTarget: Int?
    @usableFromInline package var handlers: [Handler]

    package init(start: Int, end: Int = -1, parent: Int, delegateTarget: Int? = nil, handlers: [Handler] = []) {
        self.start = start
        self.end = end
        self.parent = parent
        self.delegateTarget = delegateTarget
        self.handlers = handlers
    }
}

/// The clause that takes an exception thrown at `position` (the throwing instruction, or
/// inside the call it came out of): the innermost region around it, its first clause that
/// `accepts` it, then the regions around that one (or a delegate's target); nil when none does.
/// `regions` are in the order their blocks start (`parent` and `delegateTarget` index them), so
/// of the regions containing `position`, which nest, the last is the innermost.
@inlinable
package func findHandler<Handler>(
    in regions: [HandlerRegion<Handler>], at position: Int, accepts: (Handler) -> Bool
) -> Handler? {
    guard var index = regions.lastIndex(where: { $0.start <= position && position < $0.end }) else { return nil }
    while index >= 0 {
        let region = regions[index]
        if let target = region.delegateTarget {
            index = target
            continue
        }
        for handler in region.handlers where accepts(handler) { return handler }
        index = region.parent
    }
    return nil
}

extension Catch {
    /// Does this clause take `exception`? `tags` are the catching instance's tags.
    @inlinable
    package func accepts(_ exception: Exception, tags: [Tag]) -> Bool {
        !matchesTag || tags[Int(tag)] === exception.tag
    }
}
