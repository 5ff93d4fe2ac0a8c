/// The SSA builder's record of where control enters each block so far: (block, index of the
/// edge in its terminator), in the order the edges were made (the first is a loop header's
/// entry). One list per block, threaded through two flat arrays: no array per block (a function
/// has a block per `br_if`, and allocating them was a tenth of the builder's time).
struct BuilderPredecessors {
    /// Per block: its first and last entry (-1: none) and how many it has.
    private struct List {
        var head: Int32 = -1
        var tail: Int32 = -1
        var count: Int32 = 0
    }
    /// An edge into a block: where it comes from, and the next entry of the same block.
    private struct Entry {
        var source: Int32
        var edge: Int32
        var next: Int32 = -1
    }
    private var lists: [List] = []
    private var entries: [Entry] = []

    /// Room for about `blocks` blocks and twice as many edges.
    init(expectedBlocks blocks: Int = 0) {
        lists.reserveCapacity(blocks)
        entries.reserveCapacity(2 * blocks)
    }

    /// Starts the list of a new block (blocks are numbered in order).
    mutating func addBlock() { lists.append(List()) }

    /// Records that edge `edge` of `source`'s terminator enters `target`.
    mutating func append(from source: IRBlockID, edge: Int, to target: IRBlockID) {
        let entry = Int32(entries.count)
        entries.append(Entry(source: source.index, edge: Int32(edge)))
        let t = Int(target.index)
        if lists[t].tail >= 0 { entries[Int(lists[t].tail)].next = entry } else { lists[t].head = entry }
        lists[t].tail = entry
        lists[t].count += 1
    }

    /// How many edges enter `block`.
    func count(of block: IRBlockID) -> Int { Int(lists[Int(block.index)].count) }

    /// The first entry of `block`'s list (-1: none); `following(_:)` walks on.
    func first(of block: IRBlockID) -> Int32 { lists[Int(block.index)].head }
    /// The entry after `entry` in its block's list (-1: the last).
    func following(_ entry: Int32) -> Int32 { entries[Int(entry)].next }
    /// The block an entry's edge comes from.
    func source(_ entry: Int32) -> IRBlockID { IRBlockID(index: entries[Int(entry)].source) }
    /// The index of an entry's edge in its source's terminator.
    func edge(_ entry: Int32) -> Int { Int(entries[Int(entry)].edge) }
}
