// Emission speed of X64Assembler, in a release (-O) build.
// Run: scripts/bench-x64-assembler.sh   (compiles WasmJIT's sources with this file; prints, asserts nothing)

import Foundation

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// A mix shaped like baseline-JIT output: loads/stores off a pinned memory base,
/// ALU with registers and immediates, compares and forward/backward branches,
/// float ops, calls, spills. 32 instructions per round.
@inline(never)
func emitMix(_ a: inout X64Assembler, rounds: Int) {
    let regs: [GPR] = [.rax, .rcx, .rdx, .rbx, .rsi, .rdi, .r8, .r9, .r10, .r11, .r12, .r13]
    let xmms: [XMM] = [.xmm0, .xmm1, .xmm2, .xmm3, .xmm8, .xmm9]
    var back = a.newLabel()
    a.bind(back)
    for i in 0..<rounds {
        let r = regs[i % regs.count], s = regs[(i + 5) % regs.count]
        let x = xmms[i % xmms.count], y = xmms[(i + 1) % xmms.count]
        let disp = Int32(truncatingIfNeeded: i &* 8)
        a.annotate("wasm \(i)")   // free when the listing is off
        a.mov(.i32, r, .rdi)
        a.mov(.i32, s, Mem(.r14, r, .x1, disp))
        a.add(.i32, s, 1)
        a.sub(.i64, r, Int32(truncatingIfNeeded: i))
        a.imul(.i32, s, r)
        a.mov(.i32, Mem(.r14, r, .x1, disp &+ 4), s)
        a.mov(.i64, r, Mem(.rbp, -8 &- Int32(i & 63) &* 8))
        a.mov(.i64, Mem(.rbp, -16), s)
        a.lea(.i64, r, Mem(r, s, .x4, 16))
        a.cmp(.i32, r, s)
        a.setcc(.l, r)
        a.movzx(.i32, r, .i8, r)
        a.test(.i32, r, r)
        let fwd = a.newLabel()
        a.j(.e, fwd)
        a.shl(.i64, r, .cl)
        a.sar(.i32, s, 3)
        a.xor(.i32, r, s)
        a.and(.i64, r, Int32(0x0FFF_FFFF))
        a.bind(fwd)
        a.movsd(x, Mem(.r14, r, .x1, 24))
        a.addsd(x, y)
        a.mulsd(x, y)
        a.ucomisd(x, y)
        a.movsd(Mem(.rbp, -24), x)
        a.cvtsi2sd(x, .i32, r)
        a.cvttsd2si(.i64, r, x)
        a.mov(.i64, .rax, Int64(i) << 20)
        a.push(r)
        a.call(.rax)
        a.pop(r)
        a.cmp(.i32, r, Mem(.r15, 40))
        if i % 64 == 63 { a.j(.ne, back); back = a.newLabel(); a.bind(back) } else { a.jmp(fwd) }
    }
}

/// `warm`: reuse one assembler (buffer already grown and touched); otherwise a
/// fresh one starting at 64 KB each time (growth and first-touch page faults
/// included, as for a one-off module compile).
func measure(listing: Bool, warm: Bool, rounds: Int, reps: Int) {
    var best = Double.infinity
    var instructions = 0, bytes = 0
    var reused = X64Assembler(capacity: 1 << 16, listing: listing)
    for _ in 0..<reps {
        var a = X64Assembler(capacity: 1 << 16, listing: listing)
        if warm { swap(&a, &reused); a.reset() }
        defer { if warm { swap(&a, &reused) } }
        let t0 = now()
        emitMix(&a, rounds: rounds)
        a.finish()
        let t = now() - t0
        best = min(best, t)
        bytes = a.offset
        instructions = rounds * 32
        if listing { precondition(a.listing.count >= instructions) }
    }
    let ips = Double(instructions) / best
    print("listing \(listing ? "on " : "off"), \(warm ? "warm " : "fresh"): \(instructions) instructions, \(bytes) bytes in \(String(format: "%.2f", best * 1000)) ms (best of \(reps)): \(String(format: "%.1f", ips / 1e6)) M instr/s, \(String(format: "%.1f", best / Double(instructions) * 1e9)) ns/instr, \(String(format: "%.0f", Double(bytes) / best / 1e6)) MB/s")
}

@main struct Bench {
    static func main() throws {
        // 100k rounds = 3.2M instructions (~14 MB); a 75 KB wasm module is ~100k–200k.
        measure(listing: false, warm: false, rounds: 100_000, reps: 7)
        measure(listing: false, warm: true, rounds: 100_000, reps: 7)
        measure(listing: false, warm: false, rounds: 5_000, reps: 20)
        measure(listing: true, warm: false, rounds: 20_000, reps: 3)
        // Mapping cost for a module-sized buffer (~300 KB).
        var a = X64Assembler(capacity: 1 << 16)
        emitMix(&a, rounds: 2_000)
        var best = Double.infinity
        for _ in 0..<20 {
            let t0 = now()
            let m = try ExecutableMemory(a)
            best = min(best, now() - t0)
            _ = m
        }
        print("ExecutableMemory(\(a.offset) bytes): mmap+copy+mprotect \(String(format: "%.1f", best * 1e6)) µs (best of 20)")
    }
}
