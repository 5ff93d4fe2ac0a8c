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

/// Records a function's handler regions as a single pass over its body meets the blocks, for
/// both tiers (positions are theirs: interpreter words or machine-code offsets). A region
/// belongs to the block at a control-stack index; it is open from the block's body start to
/// its end (a legacy `try`: to its first `catch`, or to `delegate`).
package struct HandlerRegionRecorder<Handler> {
    /// In the order they start.
    package private(set) var regions: [HandlerRegion<Handler>] = []
    /// The open regions, innermost last, with their blocks' control-stack indices.
    private var open: [(control: Int, region: Int)] = []

    package init() {}

    /// Is code at this point inside a region?
    package var isInsideRegion: Bool { !open.isEmpty }

    /// Starts the region of the block at control index `control` (the innermost one): its
    /// parent is the region open around it. Returns the region's index.
    package mutating func open(control: Int, at position: Int, handlers: [Handler] = []) -> Int {
        regions.append(HandlerRegion(start: position, parent: open.last?.region ?? -1, handlers: handlers))
        open.append((control, regions.count - 1))
        return regions.count - 1
    }

    /// Ends the body of the region of the block at `control` (the innermost block) if it is open.
    package mutating func close(control: Int, at position: Int) {
        guard let last = open.last, last.control == control else { return }
        regions[last.region].end = position
        open.removeLast()
    }

    /// `delegate`: ends the region of the innermost block (at `control`) and sends what reaches
    /// it to the innermost region open at or around the label's block (`labelControl`), or out
    /// of the function.
    package mutating func delegate(control: Int, toLabel labelControl: Int, at position: Int) {
        let target = open.last(where: { $0.control <= labelControl })?.region ?? -1
        guard let last = open.last, last.control == control else { return }
        regions[last.region].delegateTarget = target
        close(control: control, at: position)
    }

    /// A clause of region `region` (a legacy `catch`, met after the body).
    package mutating func addHandler(_ handler: Handler, to region: Int) { regions[region].handlers.append(handler) }
}

/// How deep legacy `try` blocks nest in a body (each level keeps its caught exception in a
/// slot of its own, for `rethrow`).
package func legacyTryNesting(_ instructions: [Instruction]) -> Int {
    var isLegacyTry: [Bool] = [], depth = 0, deepest = 0
    for instruction in instructions {
        switch instruction {
        case .block, .loop, .if, .tryTable: isLegacyTry.append(false)
        case .legacyTry:
            isLegacyTry.append(true)
            depth += 1
            deepest = max(deepest, depth)
        case .end, .delegate:
            if isLegacyTry.popLast() == true { depth -= 1 }
        default: break
        }
    }
    return deepest
}
