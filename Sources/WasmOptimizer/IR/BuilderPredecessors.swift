/// The SSA builder's record of where control enters each block so far: (block, index of the
/// edge in its terminator), in the order the edges were made (the first is a loop header's
/// entry). One list per block, threaded through flat arrays: no array per block (a function
/// has a block per `br_if`, and allocating them was a tenth of the builder's time).
struct BuilderPredecessors {
    private var head: [Int32] = []
    private var tail: [Int32] = []
    private var counts: [Int32] = []
    private var sources: [Int32] = []
    private var edges: [Int32] = []
    private var next: [Int32] = []

    /// Room for about `blocks` blocks and as many edges.
    init(expectedBlocks blocks: Int = 0) {
        head.reserveCapacity(blocks)
        tail.reserveCapacity(blocks)
        counts.reserveCapacity(blocks)
        sources.reserveCapacity(2 * blocks)
        edges.reserveCapacity(2 * blocks)
        next.reserveCapacity(2 * blocks)
    }

    /// Starts the list of a new block (blocks are numbered in order).
    mutating func addBlock() {
        head.append(-1)
        tail.append(-1)
        counts.append(0)
    }

    /// Records that edge `edge` of `source`'s terminator enters `target`.
    mutating func append(from source: IRBlockID, edge: Int, to target: IRBlockID) {
        let entry = Int32(sources.count)
        sources.append(source.index)
        edges.append(Int32(edge))
        next.append(-1)
        let t = Int(target.index)
        if tail[t] >= 0 { next[Int(tail[t])] = entry } else { head[t] = entry }
        tail[t] = entry
        counts[t] += 1
    }

    /// How many edges enter `block`.
    func count(of block: IRBlockID) -> Int { Int(counts[Int(block.index)]) }

    /// The first entry of `block`'s list (-1: none); `following(_:)` walks on.
    func first(of block: IRBlockID) -> Int32 { head[Int(block.index)] }
    /// The entry after `entry` in its block's list (-1: the last).
    func following(_ entry: Int32) -> Int32 { next[Int(entry)] }
    /// The block an entry's edge comes from.
    func source(_ entry: Int32) -> IRBlockID { IRBlockID(index: sources[Int(entry)]) }
    /// The index of an entry's edge in its source's terminator.
    func edge(_ entry: Int32) -> Int { Int(edges[Int(entry)]) }
}
