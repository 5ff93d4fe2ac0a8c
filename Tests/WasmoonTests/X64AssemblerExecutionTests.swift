import Foundation
import Testing
import WasmJIT

/// Assembles small functions, maps them W^X with `ExecutableMemory`, and calls
/// them through `@convention(c)` function pointers (System V ABI: integer
/// arguments in rdi, rsi, rdx, rcx; floats in xmm0…; results in rax / xmm0).
@Suite struct X64AssemblerExecutionTests {
    /// Assembles `body` and maps it.
    func jit(_ body: (inout X64Assembler) -> Void) throws -> ExecutableMemory {
        var a = X64Assembler()
        body(&a)
        return try ExecutableMemory(a)
    }

    static let cpuFlags: Set<Substring> = {
        guard let info = readProcFile("/proc/cpuinfo"),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: " "))
    }()

    @Test func addTwoI32() throws {
        let code = try jit { a in
            a.mov(.i32, .rax, .rdi)
            a.add(.i32, .rax, .rsi)
            a.ret()
        }
        let add = code.function(at: 0, as: (@convention(c) (Int32, Int32) -> Int32).self)
        #expect(add(40, 2) == 42)
        #expect(add(-5, 3) == -2)
        #expect(add(Int32.max, 1) == Int32.min)
    }

    @Test func loopSummingZeroToN() throws {
        let code = try jit { a in
            let loop = a.newLabel(), check = a.newLabel()
            a.xor(.i32, .rax, .rax)
            a.xor(.i32, .rcx, .rcx)
            a.jmp(check)
            a.bind(loop)
            a.add(.i64, .rax, .rcx)
            a.inc(.i64, .rcx)
            a.bind(check)
            a.cmp(.i64, .rcx, .rdi)
            a.j(.l, loop)
            a.ret()
        }
        let sum = code.function(at: 0, as: (@convention(c) (Int64) -> Int64).self)
        #expect(sum(0) == 0)
        #expect(sum(1) == 0)
        #expect(sum(10) == 45)
        #expect(sum(100_000) == 4_999_950_000)
    }

    @Test func floatingPoint() throws {
        var offsets: [String: Int] = [:]
        let code = try jit { a in
            // a*b + sqrt(c)
            offsets["fma"] = a.offset
            a.mulsd(.xmm0, .xmm1)
            a.sqrtsd(.xmm2, .xmm2)
            a.addsd(.xmm0, .xmm2)
            a.ret()
            // f32 abs: all-ones >> 1 as a mask
            offsets["abs"] = a.offset
            a.pcmpeqd(.xmm1, .xmm1)
            a.psrld(.xmm1, 1)
            a.andps(.xmm0, .xmm1)
            a.ret()
            // (double)(int32) x / 4, then truncated to i64
            offsets["conv"] = a.offset
            a.xorps(.xmm0, .xmm0)
            a.cvtsi2sd(.xmm0, .i32, .rdi)
            a.mov(.i64, .rax, Int64(Double(4).bitPattern))
            a.movq(.xmm1, .rax)
            a.divsd(.xmm0, .xmm1)
            a.cvttsd2si(.i64, .rax, .xmm0)
            a.ret()
            // a < b, false for NaN
            offsets["lt"] = a.offset
            a.xor(.i32, .rax, .rax)
            a.ucomisd(.xmm1, .xmm0)
            a.setcc(.a, .rax)
            a.ret()
            // f64 bits
            offsets["bits"] = a.offset
            a.movq(.rax, .xmm0)
            a.ret()
            // f32 -> f64 -> f32 round trip, plus 1
            offsets["promote"] = a.offset
            a.cvtss2sd(.xmm0, .xmm0)
            a.cvtsd2ss(.xmm0, .xmm0)
            a.mov(.i32, .rax, Int64(Float(1).bitPattern))
            a.movd(.xmm1, .rax)
            a.addss(.xmm0, .xmm1)
            a.ret()
        }
        let fma = code.function(at: offsets["fma"]!, as: (@convention(c) (Double, Double, Double) -> Double).self)
        #expect(fma(3, 4, 16) == 16)
        let abs = code.function(at: offsets["abs"]!, as: (@convention(c) (Float) -> Float).self)
        #expect(abs(-2.5) == 2.5)
        #expect(abs(-0.0).sign == .plus)
        let conv = code.function(at: offsets["conv"]!, as: (@convention(c) (Int32) -> Int64).self)
        #expect(conv(-10) == -2)
        #expect(conv(Int32.max) == 536_870_911)
        let lt = code.function(at: offsets["lt"]!, as: (@convention(c) (Double, Double) -> Int32).self)
        #expect(lt(1, 2) == 1)
        #expect(lt(2, 1) == 0)
        #expect(lt(.nan, 1) == 0)
        let bits = code.function(at: offsets["bits"]!, as: (@convention(c) (Double) -> UInt64).self)
        #expect(bits(-1.5) == (-1.5).bitPattern)
        let promote = code.function(at: offsets["promote"]!, as: (@convention(c) (Float) -> Float).self)
        #expect(promote(2.25) == 3.25)
    }

    @Test(.enabled(if: cpuFlags.contains("sse4_1"), "needs SSE4.1"))
    func rounding() throws {
        var offsets: [RoundingMode: Int] = [:]
        let code = try jit { a in
            for mode in [RoundingMode.nearest, .down, .up, .towardZero] {
                offsets[mode] = a.offset
                a.roundsd(.xmm0, .xmm0, mode)
                a.ret()
            }
        }
        typealias F = @convention(c) (Double) -> Double
        let nearest = code.function(at: offsets[.nearest]!, as: F.self)
        let floor = code.function(at: offsets[.down]!, as: F.self)
        let ceil = code.function(at: offsets[.up]!, as: F.self)
        let trunc = code.function(at: offsets[.towardZero]!, as: F.self)
        #expect(nearest(2.5) == 2 && nearest(3.5) == 4 && nearest(-2.5) == -2)
        #expect(floor(-1.5) == -2 && floor(1.5) == 1)
        #expect(ceil(-1.5) == -1 && ceil(1.2) == 2)
        #expect(trunc(-1.7) == -1 && trunc(1.7) == 1)
    }

    @Test func callThroughRegisterIntoSwift() throws {
        let triple: @convention(c) (Int32) -> Int32 = { $0 &* 3 }
        let address = UInt64(UInt(bitPattern: unsafeBitCast(triple, to: UnsafeRawPointer.self)))
        let code = try jit { a in
            a.push(.rbx)                 // callee-saved; also realigns rsp to 16
            a.mov(.i32, .rbx, .rdi)
            a.movabs(.rax, address)
            a.call(.rax)                 // eax = 3x
            a.add(.i32, .rax, .rbx)      // 4x
            a.pop(.rbx)
            a.ret()
        }
        let f = code.function(at: 0, as: (@convention(c) (Int32) -> Int32).self)
        #expect(f(5) == 20)
        #expect(f(-7) == -28)
    }

    @Test func callThroughMemoryAndToALabel() throws {
        let negate: @convention(c) (Int64) -> Int64 = { 0 &- $0 }
        let table = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: 2)
        defer { table.deallocate() }
        table[0] = nil
        table[1] = unsafeBitCast(negate, to: UnsafeRawPointer.self)
        let code = try jit { a in
            let double = a.newLabel()
            // f(x, table) = -(2x)
            a.sub(.i64, .rsp, 8)
            a.call(double)                 // rdi = 2 * rdi
            a.call(Mem(.rsi, 8))           // rax = -rdi
            a.add(.i64, .rsp, 8)
            a.ret()
            a.bind(double)
            a.lea(.i64, .rdi, Mem(base: .rdi, index: .rdi))
            a.ret()
        }
        let f = code.function(at: 0, as: (@convention(c) (Int64, UnsafeMutablePointer<UnsafeRawPointer?>) -> Int64).self)
        #expect(f(21, table) == -42)
    }

    @Test func memoryLoadsAndStores() throws {
        var offsets: [Int] = []
        let code = try jit { a in
            // load32(p, i) = p[i + 1]
            offsets.append(a.offset)
            a.mov(.i32, .rax, Mem(.rdi, .rsi, .x4, 4))
            a.ret()
            // store16(p, v): p[1] (as UInt16) = v
            offsets.append(a.offset)
            a.mov(.i16, Mem(.rdi, 2), .rsi)
            a.ret()
            // load8s(p) = sign-extended byte p[3]
            offsets.append(a.offset)
            a.movsx(.i64, .rax, .i8, Mem(.rdi, 3))
            a.ret()
            // load16u(p) = zero-extended UInt16 at p+1
            offsets.append(a.offset)
            a.movzx(.i32, .rax, .i16, Mem(.rdi, 1))
            a.ret()
            // store8 at [rsp-style base]: uses r12 as base (needs SIB), r13 (needs disp8)
            offsets.append(a.offset)
            a.push(.r12)
            a.push(.r13)
            a.mov(.i64, .r12, .rdi)
            a.lea(.i64, .r13, Mem(.rdi, 4))
            a.mov(.i8, Mem(.r12), .rsi)           // p[0] = v
            a.mov(.i8, Mem(.r13), .rsi)           // p[4] = v
            a.mov(.i32, Mem(.r13, 4), Int32(-1))  // p[8..<12] = ff
            a.pop(.r13)
            a.pop(.r12)
            a.ret()
        }
        let buf = UnsafeMutablePointer<UInt32>.allocate(capacity: 4)
        defer { buf.deallocate() }
        buf.initialize(repeating: 0, count: 4)
        buf[0] = 0x8070_6050
        buf[2] = 12345
        let load32 = code.function(at: offsets[0], as: (@convention(c) (UnsafeMutablePointer<UInt32>, Int64) -> UInt32).self)
        #expect(load32(buf, 1) == 12345)
        let store16 = code.function(at: offsets[1], as: (@convention(c) (UnsafeMutablePointer<UInt32>, UInt32) -> Void).self)
        store16(buf, 0xABCD_1234)
        #expect(buf[0] == 0x1234_6050)
        let load8s = code.function(at: offsets[2], as: (@convention(c) (UnsafeMutablePointer<UInt32>) -> Int64).self)
        buf[0] = 0x8000_0000
        #expect(load8s(buf) == -128)
        let load16u = code.function(at: offsets[3], as: (@convention(c) (UnsafeMutablePointer<UInt32>) -> UInt32).self)
        buf[0] = 0x00FF_FF00
        #expect(load16u(buf) == 0xFFFF)
        let store8 = code.function(at: offsets[4], as: (@convention(c) (UnsafeMutablePointer<UInt32>, UInt32) -> Void).self)
        buf.update(repeating: 0, count: 4)
        store8(buf, 0x1_77)
        #expect(buf[0] == 0x77 && buf[1] == 0x77 && buf[2] == 0xFFFF_FFFF && buf[3] == 0)
    }

    @Test func byteRegistersNeedREX() throws {
        // Without REX, sil/dil would encode dh/bh: a wrong result, not a crash.
        var offsets: [Int] = []
        let code = try jit { a in
            offsets.append(a.offset)
            a.movsx(.i32, .rax, .i8, .rsi)    // sign-extend sil
            a.ret()
            offsets.append(a.offset)
            a.cmp(.i32, .rdi, .rsi)
            a.setcc(.l, .rdi)                 // dil
            a.movzx(.i32, .rax, .i8, .rdi)
            a.ret()
        }
        let sx = code.function(at: offsets[0], as: (@convention(c) (Int32, Int32) -> Int32).self)
        #expect(sx(0, 0x180) == -128)
        #expect(sx(0, 0x7F) == 127)
        let lt = code.function(at: offsets[1], as: (@convention(c) (Int32, Int32) -> Int32).self)
        #expect(lt(-1, 1) == 1)
        #expect(lt(1, -1) == 0)
    }

    @Test func divisionShiftsAndCmov() throws {
        var o: [String: Int] = [:]
        let code = try jit { a in
            o["divs"] = a.offset            // (a / b, a % b) packed as a*1000+...: return quotient
            a.mov(.i32, .rax, .rdi)
            a.cdq()
            a.idiv(.i32, .rsi)
            a.ret()
            o["rems"] = a.offset
            a.mov(.i32, .rax, .rdi)
            a.cdq()
            a.idiv(.i32, .rsi)
            a.mov(.i32, .rax, .rdx)
            a.ret()
            o["divu64"] = a.offset
            a.mov(.i64, .rax, .rdi)
            a.xor(.i32, .rdx, .rdx)
            a.div(.i64, .rsi)
            a.ret()
            o["shl"] = a.offset
            a.mov(.i32, .rcx, .rsi)
            a.mov(.i32, .rax, .rdi)
            a.shl(.i32, .rax, .cl)
            a.ret()
            o["sar"] = a.offset
            a.mov(.i64, .rax, .rdi)
            a.sar(.i64, .rax, 4)
            a.ret()
            o["rol"] = a.offset
            a.mov(.i32, .rax, .rdi)
            a.rol(.i32, .rax, 8)
            a.ret()
            o["max"] = a.offset
            a.mov(.i64, .rax, .rdi)
            a.cmp(.i64, .rdi, .rsi)
            a.cmov(.l, .i64, .rax, .rsi)
            a.ret()
            o["mul"] = a.offset
            a.imul(.i64, .rax, .rdi, 1000)
            a.imul(.i64, .rax, .rsi)
            a.neg(.i64, .rax)
            a.ret()
        }
        typealias I32 = @convention(c) (Int32, Int32) -> Int32
        typealias I64 = @convention(c) (Int64, Int64) -> Int64
        #expect(code.function(at: o["divs"]!, as: I32.self)(-7, 2) == -3)
        #expect(code.function(at: o["rems"]!, as: I32.self)(-7, 2) == -1)
        #expect(code.function(at: o["divu64"]!, as: I64.self)(-1, 16) == Int64(bitPattern: UInt64.max / 16))
        #expect(code.function(at: o["shl"]!, as: I32.self)(3, 33) == 6)   // count masked to 5 bits
        #expect(code.function(at: o["sar"]!, as: I64.self)(-256, 0) == -16)
        #expect(code.function(at: o["rol"]!, as: I32.self)(Int32(bitPattern: 0x1234_5678), 0) == 0x3456_7812)
        #expect(code.function(at: o["max"]!, as: I64.self)(-5, 3) == 3)
        #expect(code.function(at: o["max"]!, as: I64.self)(9, 3) == 9)
        #expect(code.function(at: o["mul"]!, as: I64.self)(3, 7) == -21000)
    }

    @Test func bitCounting() throws {
        var o: [String: Int] = [:]
        let code = try jit { a in
            o["popcnt"] = a.offset; a.popcnt(.i64, .rax, .rdi); a.ret()
            o["lzcnt"] = a.offset; a.lzcnt(.i32, .rax, .rdi); a.ret()
            o["tzcnt"] = a.offset; a.tzcnt(.i64, .rax, .rdi); a.ret()
            o["bsr"] = a.offset; a.bsr(.i32, .rax, .rdi); a.ret()
        }
        typealias F = @convention(c) (UInt64) -> UInt64
        if Self.cpuFlags.contains("popcnt") {
            #expect(code.function(at: o["popcnt"]!, as: F.self)(0xF0F0_0000_0000_0001) == 9)
        }
        if Self.cpuFlags.contains("abm") || Self.cpuFlags.contains("lzcnt") {
            #expect(code.function(at: o["lzcnt"]!, as: F.self)(1) == 31)
            #expect(code.function(at: o["lzcnt"]!, as: F.self)(0) == 32)
        }
        if Self.cpuFlags.contains("bmi1") {
            #expect(code.function(at: o["tzcnt"]!, as: F.self)(0x100) == 8)
            #expect(code.function(at: o["tzcnt"]!, as: F.self)(0) == 64)
        }
        #expect(code.function(at: o["bsr"]!, as: F.self)(0x8000) == 15)
    }

    @Test func jumpTable() throws {
        let code = try jit { a in
            let table = a.newLabel(), fallback = a.newLabel()
            let cases = [a.newLabel(), a.newLabel(), a.newLabel()]
            a.mov(.i32, .rdi, .rdi)                 // zero-extend the i32 argument
            a.cmp(.i32, .rdi, 2)
            a.j(.a, fallback)
            a.lea(.i64, .rcx, .rip(table))
            a.movsxd(.rax, Mem(.rcx, .rdi, .x4))
            a.add(.i64, .rax, .rcx)
            a.jmp(.rax)
            for (i, l) in cases.enumerated() {
                a.bind(l)
                a.mov(.i32, .rax, Int64(10 * (i + 1)))
                a.ret()
            }
            a.bind(fallback)
            a.mov(.i32, .rax, 99)
            a.ret()
            a.align(4, fill: .int3)
            a.bind(table)
            for l in cases { a.emitLabelDelta32(l, from: table) }
        }
        let f = code.function(at: 0, as: (@convention(c) (Int32) -> Int32).self)
        #expect([f(0), f(1), f(2), f(3), f(-1)] == [10, 20, 30, 99, 99])
    }

    @Test func codePagesAreReadExecuteNotWritable() throws {
        let code = try jit { a in
            a.mov(.i32, .rax, 7)
            a.ret()
        }
        #expect(code.function(at: 0, as: (@convention(c) () -> Int32).self)() == 7)
        let maps = try #require(readProcFile("/proc/self/maps"))
        let address = UInt(bitPattern: code.base)
        var perms: String? = nil
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16) else { continue }
            if address >= lo && address < hi { perms = String(fields[1]) }
        }
        #expect(perms == "r-xp")
        #expect(!Self.cpuFlags.isEmpty)
        #expect(code.mappedSize % ExecutableMemory.pageSize == 0)
        #expect(code.contains(code.base) && !code.contains(code.base + code.codeSize))
        // The rest of the page is int3.
        #expect(code.base.load(fromByteOffset: code.codeSize, as: UInt8.self) == 0xCC)
    }

    @Test func mappingFromBytesAndSeveralFunctions() throws {
        // mov eax, edi; ret | lea eax, [rdi + rsi]; ret
        let code = try ExecutableMemory(bytes: [0x89, 0xF8, 0xC3, 0x8D, 0x04, 0x37, 0xC3])
        typealias F = @convention(c) (Int32, Int32) -> Int32
        #expect(code.function(at: 0, as: F.self)(5, 6) == 5)
        #expect(code.function(at: 3, as: F.self)(5, 6) == 11)
        #expect(code.codeSize == 7)
        // Releasing unmaps; a fresh mapping of many pages works.
        let big = try ExecutableMemory(bytes: Array(repeating: 0xC3, count: 3 * ExecutableMemory.pageSize + 1))
        #expect(big.mappedSize == 4 * ExecutableMemory.pageSize)
        big.function(at: 2 * ExecutableMemory.pageSize, as: (@convention(c) () -> Void).self)()
    }
}

/// Reads a /proc file (their stat size is 0, so read until EOF).
private func readProcFile(_ path: String) -> String? {
    guard let h = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? h.close() }
    return String(decoding: h.readDataToEndOfFile(), as: UTF8.self)
}
