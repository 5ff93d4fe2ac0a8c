#!/usr/bin/env python3
"""Generates Tests/WasmoonTests/X64AssemblerEncodingTests.swift.

Each case pairs a Swift call on X64Assembler with the Intel-syntax text the
listing must print for it. The text is assembled with llvm-mc to get the
expected bytes, so the Swift test checks bytes *and* listing text, and needs no
llvm-mc at run time. Cases where we deliberately pick a different (equally
valid) encoding than llvm-mc carry explicit bytes in OVERRIDES, each checked by
hand against objdump.

Usage: scripts/gen-x64-encoding-tests.py   (needs /usr/bin/llvm-mc)
"""
import re, subprocess, sys, os

GPR = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
       "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
N32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] + [f"r{i}d" for i in range(8, 16)]
N16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"] + [f"r{i}w" for i in range(8, 16)]
N8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"] + [f"r{i}b" for i in range(8, 16)]
SIZES = {"i8": N8, "i16": N16, "i32": N32, "i64": GPR}
PTR = {"i8": "byte ptr", "i16": "word ptr", "i32": "dword ptr", "i64": "qword ptr"}
CONDS = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]

def rn(r, size):
    return SIZES[size][GPR.index(r)]

def hexs(v):
    return ("-" if v < 0 else "") + hex(abs(v))

def imm(v):
    if -4096 <= v <= 4096:
        return str(v)
    return hexs(v)

class M:
    """A memory operand: Swift spelling and listing text."""
    def __init__(self, base=None, index=None, scale=1, disp=0, absolute=False):
        self.base, self.index, self.scale, self.disp, self.absolute = base, index, scale, disp, absolute
    def swift(self):
        if self.absolute:
            return f".absolute({self.disp})"
        if self.index is None:
            return f"Mem(.{self.base})" if self.disp == 0 else f"Mem(.{self.base}, {self.disp})"
        if self.base is None:
            return f"Mem(base: nil, index: .{self.index}, scale: .x{self.scale}, disp: {self.disp})"
        return f"Mem(.{self.base}, .{self.index}, .x{self.scale}, {self.disp})"
    def text(self, ptr):
        s = (ptr + " [") if ptr else "["
        if self.absolute:
            return s + hex(self.disp & 0xffffffff) + "]"
        parts = []
        if self.base: parts.append(self.base)
        if self.index: parts.append(self.index + ("" if self.scale == 1 else f"*{self.scale}"))
        s += " + ".join(parts)
        if self.disp != 0 or self.base is None:
            s += (" - " + hex(-self.disp)) if self.disp < 0 else (" + " + hex(self.disp))
        return s + "]"

# Memory operands covering the ModRM/SIB special cases and REX.X/REX.B.
MEMS = [
    M("rax"), M("rcx", disp=0x10), M("rsp"), M("rsp", disp=8), M("rbp"), M("rbp", disp=-8),
    M("r12"), M("r12", disp=-0x81), M("r13"), M("r13", disp=0x7f), M("r15", disp=0x80),
    M("rax", "rcx"), M("rsp", "rax", 8, 0x10), M("r12", "r13", 2), M("rbp", "r8", 4),
    M("r13", "r15", 8, -0x100), M("r14", "rdi", 1, 0x10), M(None, "rcx", 4, 0x20),
    M(None, "r9", 8, 0), M("rdi", disp=0x12345678), M(disp=0x1234, absolute=True),
]
FEW_MEMS = [M("rax"), M("rsp", disp=8), M("rbp"), M("r13", "r15", 8, -0x100), M("r12"), M(None, "rcx", 4, 0x20)]

cases = {}   # group -> list of (swift, text)
def add(group, swift, text):
    cases.setdefault(group, []).append((swift, text))

# --- mov ---
for size in ["i8", "i16", "i32", "i64"]:
    for d, s in [("rax", "rcx"), ("rcx", "rax"), ("r8", "rax"), ("rax", "r15"), ("r9", "r12"), ("rsp", "rbp"),
                 ("rsi", "rdi"), ("rdi", "rsp"), ("rbx", "rdx")]:
        add("movRR", f"a.mov(.{size}, .{d}, .{s})", f"mov {rn(d, size)}, {rn(s, size)}")
for size in ["i8", "i16", "i32", "i64"]:
    for i, m in enumerate(MEMS if size in ("i32", "i64") else FEW_MEMS):
        r = ["rax", "rcx", "rdx", "rsi", "rdi", "rsp", "r8", "r11", "r15", "rbp"][i % 10]
        add("movLoadStore", f"a.mov(.{size}, .{r}, {m.swift()})", f"mov {rn(r, size)}, {m.text(PTR[size])}")
        add("movLoadStore", f"a.mov(.{size}, {m.swift()}, .{r})", f"mov {m.text(PTR[size])}, {rn(r, size)}")
for size, vals in [("i8", [5, -1]), ("i16", [5, -2, 0x1234]), ("i32", [0, -1, 0x12345678]), ("i64", [7, -8, 0x7fffffff])]:
    for m in FEW_MEMS:
        for v in vals:
            add("movImm", f"a.mov(.{size}, {m.swift()}, Int32({v}))", f"mov {m.text(PTR[size])}, {imm(v)}")
for r in ["rax", "rcx", "rsp", "r8", "r15"]:
    add("movImm", f"a.mov(.i32, .{r}, 0)", f"mov {rn(r, 'i32')}, 0")
    add("movImm", f"a.mov(.i32, .{r}, -1)", f"mov {rn(r, 'i32')}, -1")
    add("movImm", f"a.mov(.i32, .{r}, 0x12345678)", f"mov {rn(r, 'i32')}, 0x12345678")
    add("movImm", f"a.mov(.i64, .{r}, 0xffffffff)", f"mov {rn(r, 'i32')}, 0xffffffff")
    add("movImm", f"a.mov(.i64, .{r}, 42)", f"mov {rn(r, 'i32')}, 42")
    add("movImm", f"a.mov(.i64, .{r}, -5)", f"mov {r}, -5")
    add("movImm", f"a.mov(.i64, .{r}, -0x80000000)", f"mov {r}, -0x80000000")
    add("movImm", f"a.mov(.i64, .{r}, 0x123456789)", f"movabs {r}, 0x123456789")
    add("movImm", f"a.mov(.i64, .{r}, -0x80000001)", f"movabs {r}, 0xffffffff7fffffff")
    add("movImm", f"a.movabs(.{r}, 0xffff)", f"movabs {r}, 0xffff")
    add("movImm", f"a.mov(.i8, .{r}, 5)", f"mov {rn(r, 'i8')}, 5")
    add("movImm", f"a.mov(.i16, .{r}, -3)", f"mov {rn(r, 'i16')}, -3")
for r in ["rsi", "rdi", "rbp"]:
    add("movImm", f"a.mov(.i8, .{r}, 1)", f"mov {rn(r, 'i8')}, 1")

# --- extensions, lea, xchg ---
for ds in ["i32", "i64"]:
    for ss in ["i8", "i16"]:
        for d, s in [("rax", "rcx"), ("rax", "rsi"), ("rdi", "rsp"), ("r8", "rbp"), ("rax", "r12"), ("r15", "r15"), ("rbx", "rdi")]:
            add("extend", f"a.movzx(.{ds}, .{d}, .{ss}, .{s})", f"movzx {rn(d, ds)}, {rn(s, ss)}")
            add("extend", f"a.movsx(.{ds}, .{d}, .{ss}, .{s})", f"movsx {rn(d, ds)}, {rn(s, ss)}")
        for d, m in zip(["rax", "rcx", "r9", "r15", "rsp", "rdx"], FEW_MEMS):
            add("extend", f"a.movzx(.{ds}, .{d}, .{ss}, {m.swift()})", f"movzx {rn(d, ds)}, {m.text(PTR[ss])}")
            add("extend", f"a.movsx(.{ds}, .{d}, .{ss}, {m.swift()})", f"movsx {rn(d, ds)}, {m.text(PTR[ss])}")
for d, s in [("rax", "rcx"), ("r8", "rax"), ("rax", "r15"), ("r12", "r13"), ("rsp", "rbp")]:
    add("extend", f"a.movsxd(.{d}, .{s})", f"movsxd {d}, {rn(s, 'i32')}")
    add("extend", f"a.movsx(.i64, .{d}, .i32, .{s})", f"movsxd {d}, {rn(s, 'i32')}")
for d, m in zip(["rax", "rcx", "r9", "r15", "rsp", "rdx"], FEW_MEMS):
    add("extend", f"a.movsxd(.{d}, {m.swift()})", f"movsxd {d}, {m.text('dword ptr')}")
for size in ["i32", "i64"]:
    for i, m in enumerate(MEMS[:-1]):
        r = ["rax", "rcx", "r8", "rsp", "r13", "r15"][i % 6]
        add("lea", f"a.lea(.{size}, .{r}, {m.swift()})", f"lea {rn(r, size)}, {m.text('')}")

# --- ALU ---  (every size and operand kind for add and cmp; a sample for the rest)
ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]
NAMED = {"add", "or", "and", "sub", "xor", "cmp"}
IMMS = {"i8": [1, -128, 127], "i16": [1, -1, 0x1234], "i32": [1, -1, 127, -128, 128, 0x12345678, -0x80000000],
        "i64": [1, -1, 0x1000, 0x7fffffff, -0x80000000]}
for op in ALU:
    full = op == "add"
    for size in ["i8", "i16", "i32", "i64"]:
        for d, s in [("rax", "rcx"), ("r8", "rdx"), ("rsi", "r15"), ("rsp", "rdi")]:
            add("alu", f"a.alu(.{op}, .{size}, .{d}, .{s})", f"{op} {rn(d, size)}, {rn(s, size)}")
        for d in (["rax", "rcx", "r12", "rdi"] if full else ["rax", "r12"]):
            for v in (IMMS[size] if full else IMMS[size][:1] + IMMS[size][-1:]):
                add("aluImm", f"a.alu(.{op}, .{size}, .{d}, Int32({v}))", f"{op} {rn(d, size)}, {imm(v)}")
        if not full and size in ("i8", "i16"): continue
        for d, m in zip(["rax", "rcx", "r9", "r15", "rsp", "rdi"], FEW_MEMS if full else FEW_MEMS[2:5]):
            add("aluMem", f"a.alu(.{op}, .{size}, .{d}, {m.swift()})", f"{op} {rn(d, size)}, {m.text(PTR[size])}")
            add("aluMem", f"a.alu(.{op}, .{size}, {m.swift()}, .{d})", f"{op} {m.text(PTR[size])}, {rn(d, size)}")
            for v in ([3, 0x1234] if full else [0x1234]):
                if size == "i8" and v > 127: continue
                add("aluMem", f"a.alu(.{op}, .{size}, {m.swift()}, Int32({v}))", f"{op} {m.text(PTR[size])}, {imm(v)}")
    if op in NAMED:
        add("aluNamed", f"a.{op}(.i32, .rax, .rcx)", f"{op} eax, ecx")
        add("aluNamed", f"a.{op}(.i64, .r9, Int32(-2))", f"{op} r9, -2")
        add("aluNamed", f"a.{op}(.i64, .rdx, Mem(.rbp, -16))", f"{op} rdx, qword ptr [rbp - 0x10]")
        add("aluNamed", f"a.{op}(.i32, Mem(.r12), .r10)", f"{op} dword ptr [r12], r10d")
        add("aluNamed", f"a.{op}(.i64, Mem(.r13), Int32(0x100))", f"{op} qword ptr [r13], 256")
add("aluNamed", "a.adc(.i64, .rax, .rbx)", "adc rax, rbx")
add("aluNamed", "a.sbb(.i32, .rcx, Int32(0))", "sbb ecx, 0")
for size in ["i8", "i16", "i32", "i64"]:
    for a_, b in [("rax", "rax"), ("rcx", "rdx"), ("rsi", "rdi"), ("r8", "r15"), ("rsp", "r12")]:
        add("test", f"a.test(.{size}, .{a_}, .{b})", f"test {rn(a_, size)}, {rn(b, size)}")
    for a_ in ["rax", "rcx", "rdi", "r11"]:
        for v in [1, -1, 0x1234]:
            if size == "i8" and v > 127: continue
            add("test", f"a.test(.{size}, .{a_}, Int32({v}))", f"test {rn(a_, size)}, {imm(v)}")
    for b, m in zip(["rax", "rcx", "r9", "r15", "rsp", "rdi"], FEW_MEMS):
        add("test", f"a.test(.{size}, {m.swift()}, .{b})", f"test {m.text(PTR[size])}, {rn(b, size)}")
        add("test", f"a.test(.{size}, {m.swift()}, Int32(7))", f"test {m.text(PTR[size])}, 7")

# --- multiply/divide/unary ---
for size in ["i16", "i32", "i64"]:
    for d, s in [("rax", "rcx"), ("r8", "rax"), ("rdx", "r15"), ("rsp", "rbp")]:
        add("muldiv", f"a.imul(.{size}, .{d}, .{s})", f"imul {rn(d, size)}, {rn(s, size)}")
        for v in [3, -128, 1000, 0x12345]:
            if size == "i16" and v > 0x7fff: continue
            add("muldiv", f"a.imul(.{size}, .{d}, .{s}, Int32({v}))", f"imul {rn(d, size)}, {rn(s, size)}, {imm(v)}")
    for d, m in zip(["rax", "r9", "r15"], FEW_MEMS[2:5]):
        add("muldiv", f"a.imul(.{size}, .{d}, {m.swift()})", f"imul {rn(d, size)}, {m.text(PTR[size])}")
        add("muldiv", f"a.imul(.{size}, .{d}, {m.swift()}, Int32(10))", f"imul {rn(d, size)}, {m.text(PTR[size])}, 10")
        add("muldiv", f"a.imul(.{size}, .{d}, {m.swift()}, Int32(1000))", f"imul {rn(d, size)}, {m.text(PTR[size])}, 1000")
for op in ["not", "neg", "mul", "imul", "div", "idiv"]:
    for size in ["i8", "i16", "i32", "i64"]:
        for r in ["rax", "rsi", "r15"]:
            add("unary", f"a.unary(.{op}, .{size}, .{r})", f"{op} {rn(r, size)}")
        for m in FEW_MEMS[1:3]:
            add("unary", f"a.unary(.{op}, .{size}, {m.swift()})", f"{op} {m.text(PTR[size])}")
for op in ["not", "neg", "mul", "imul", "div", "idiv"]:
    add("unary", f"a.{op}(.i32, .r10)", f"{op} r10d")
add("unary", "a.div(.i64, Mem(.rsp, 8))", "div qword ptr [rsp + 0x8]")
add("unary", "a.idiv(.i32, Mem(.r13))", "idiv dword ptr [r13]")
for size in ["i8", "i32", "i64"]:
    for r in ["rax", "rdi", "r9"]:
        add("unary", f"a.inc(.{size}, .{r})", f"inc {rn(r, size)}")
        add("unary", f"a.dec(.{size}, .{r})", f"dec {rn(r, size)}")
add("unary", "a.cdq()", "cdq")
add("unary", "a.cqo()", "cqo")
add("unary", "a.cdqe()", "cdqe")
add("unary", "a.signExtendAccumulator(.i32)", "cdq")
add("unary", "a.signExtendAccumulator(.i64)", "cqo")

# --- shifts ---
for op in ["rol", "ror", "shl", "shr", "sar"]:
    for size in ["i8", "i16", "i32", "i64"]:
        for r in ["rdi", "r13"]:
            add("shift", f"a.shift(.{op}, .{size}, .{r}, .cl)", f"{op} {rn(r, size)}, cl")
            add("shift", f"a.shift(.{op}, .{size}, .{r}, 1)", f"{op} {rn(r, size)}, 1")
            add("shift", f"a.shift(.{op}, .{size}, .{r}, 5)", f"{op} {rn(r, size)}, 5")
    add("shift", f"a.{op}(.i64, .r11, .cl)", f"{op} r11, cl")
    add("shift", f"a.{op}(.i32, .rdx, 31)", f"{op} edx, 31")

# --- bit counting, setcc, cmov ---
for op in ["lzcnt", "tzcnt", "popcnt", "bsr", "bsf"]:
    for size in ["i32", "i64"]:
        for d, s in [("rax", "rcx"), ("r8", "rax"), ("rax", "r15"), ("r12", "r13"), ("rsp", "rbp")]:
            add("bits", f"a.{op}(.{size}, .{d}, .{s})", f"{op} {rn(d, size)}, {rn(s, size)}")
        if op not in ("bsr", "bsf"):
            for d, m in zip(["rax", "r9", "r15"], FEW_MEMS[2:5]):
                add("bits", f"a.{op}(.{size}, .{d}, {m.swift()})", f"{op} {rn(d, size)}, {m.text(PTR[size])}")
for i, cc in enumerate(CONDS):
    for r in (["rax", "rcx", "rsp", "rbp", "rsi", "rdi", "r8", "r15"] if i < 2 else ["rax", "rsp", "rdi", "r15"]):
        add("setcc", f"a.setcc(.{cc}, .{r})", f"set{cc} {rn(r, 'i8')}")
    add("cmov", f"a.cmov(.{cc}, .i32, .rax, .rcx)", f"cmov{cc} eax, ecx")
    add("cmov", f"a.cmov(.{cc}, .i64, .r9, .rsi)", f"cmov{cc} r9, rsi")
    add("cmov", f"a.cmov(.{cc}, .i16, .rdx, Mem(.r13, .rax, .x4, 8))", f"cmov{cc} dx, word ptr [r13 + rax*4 + 0x8]")

# --- control ---
for r in GPR:
    add("control", f"a.push(.{r})", f"push {r}")
    add("control", f"a.pop(.{r})", f"pop {r}")
    add("control", f"a.call(.{r})", f"call {r}")
    add("control", f"a.jmp(.{r})", f"jmp {r}")
for m in MEMS[:-1]:
    add("control", f"a.call({m.swift()})", f"call {m.text('qword ptr')}")
    add("control", f"a.jmp({m.swift()})", f"jmp {m.text('qword ptr')}")
for v in [0, -1, 127, 128, -0x12345]:
    add("control", f"a.push(Int32({v}))", f"push {imm(v)}")
for name in ["ret", "leave", "int3", "ud2", "nop"]:
    add("control", f"a.{name}()", name)

# --- SSE ---
XREGS = [("xmm0", "xmm1"), ("xmm7", "xmm8"), ("xmm8", "xmm0"), ("xmm15", "xmm9"), ("xmm3", "xmm3")]
SSEOPS = ["addss", "addsd", "subss", "subsd", "mulss", "mulsd", "divss", "divsd", "minss", "minsd", "maxss", "maxsd",
          "sqrtss", "sqrtsd", "andps", "andpd", "andnps", "andnpd", "orps", "orpd", "xorps", "xorpd",
          "ucomiss", "ucomisd", "cvtss2sd", "cvtsd2ss", "pcmpeqd", "pxor"]
def sse_ptr(op):
    if op in ("ucomiss", "cvtss2sd"): return "dword ptr"
    if op in ("ucomisd", "cvtsd2ss"): return "qword ptr"
    if op.endswith("ss"): return "dword ptr"
    if op.endswith("sd"): return "qword ptr"
    return "xmmword ptr"
for op in SSEOPS:
    for d, s in XREGS[1:4]:
        add("sse", f"a.sse(.{op}, .{d}, .{s})", f"{op} {d}, {s}")
    add("sseNamed", f"a.{op}(.xmm2, .xmm11)", f"{op} xmm2, xmm11")
    for d, m in zip(["xmm0", "xmm9", "xmm15", "xmm4"], [MEMS[2], MEMS[4], MEMS[15], MEMS[17]]):
        add("sseMem", f"a.sse(.{op}, .{d}, {m.swift()})", f"{op} {d}, {m.text(sse_ptr(op))}")
for name, ptr in [("movss", "dword ptr"), ("movsd", "qword ptr"), ("movaps", "xmmword ptr"), ("movapd", "xmmword ptr"), ("movups", "xmmword ptr")]:
    if name != "movups":
        for d, s in XREGS:
            add("sseMove", f"a.{name}(.{d}, .{s})", f"{name} {d}, {s}")
    for d, m in zip(["xmm0", "xmm9", "xmm15", "xmm4", "xmm1"], [MEMS[0], MEMS[2], MEMS[4], MEMS[15], MEMS[16]]):
        add("sseMove", f"a.{name}(.{d}, {m.swift()})", f"{name} {d}, {m.text(ptr)}")
        add("sseMove", f"a.{name}({m.swift()}, .{d})", f"{name} {m.text(ptr)}, {d}")
for x, r in [("xmm0", "rax"), ("xmm1", "r8"), ("xmm9", "rcx"), ("xmm15", "r15"), ("xmm4", "rsp")]:
    add("sseMove", f"a.movd(.{x}, .{r})", f"movd {x}, {rn(r, 'i32')}")
    add("sseMove", f"a.movq(.{x}, .{r})", f"movq {x}, {r}")
    add("sseMove", f"a.movd(.{r}, .{x})", f"movd {rn(r, 'i32')}, {x}")
    add("sseMove", f"a.movq(.{r}, .{x})", f"movq {r}, {x}")
for name in ["cvtsi2ss", "cvtsi2sd"]:
    for size in ["i32", "i64"]:
        for x, r in [("xmm0", "rax"), ("xmm1", "r8"), ("xmm9", "rcx"), ("xmm15", "r15")]:
            add("sseConvert", f"a.{name}(.{x}, .{size}, .{r})", f"{name} {x}, {rn(r, size)}")
        for x, m in zip(["xmm0", "xmm12"], [MEMS[2], MEMS[15]]):
            add("sseConvert", f"a.{name}(.{x}, .{size}, {m.swift()})", f"{name} {x}, {m.text(PTR[size])}")
for name, ptr in [("cvttss2si", "dword ptr"), ("cvttsd2si", "qword ptr")]:
    for size in ["i32", "i64"]:
        for r, x in [("rax", "xmm0"), ("r8", "xmm1"), ("rcx", "xmm9"), ("r15", "xmm15")]:
            add("sseConvert", f"a.{name}(.{size}, .{r}, .{x})", f"{name} {rn(r, size)}, {x}")
        for r, m in zip(["rax", "r12"], [MEMS[4], MEMS[13]]):
            add("sseConvert", f"a.{name}(.{size}, .{r}, {m.swift()})", f"{name} {rn(r, size)}, {m.text(ptr)}")
for name, ptr in [("roundss", "dword ptr"), ("roundsd", "qword ptr")]:
    for mode, v in [("nearest", 8), ("down", 9), ("up", 10), ("towardZero", 11)]:
        for d, s in XREGS[:3]:
            add("sseRound", f"a.{name}(.{d}, .{s}, .{mode})", f"{name} {d}, {s}, {v}")
        add("sseRound", f"a.{name}(.xmm10, {MEMS[12].swift()}, .{mode})", f"{name} xmm10, {MEMS[12].text(ptr)}, {v}")
for name in ["psrld", "pslld", "psrad", "psrlq", "psllq"]:
    for x in ["xmm0", "xmm7", "xmm8", "xmm15"]:
        add("ssePacked", f"a.{name}(.{x}, 1)", f"{name} {x}, 1")
        add("ssePacked", f"a.{name}(.{x}, 63)", f"{name} {x}, 63")

# --- packed (SIMD) ---
PACKED = ["paddb", "paddw", "paddd", "paddq", "psubb", "psubw", "psubd", "psubq", "pmullw", "pmulhw", "pmulhuw",
          "pmuludq", "pmaddwd", "paddsb", "paddsw", "paddusb", "paddusw", "psubsb", "psubsw", "psubusb", "psubusw",
          "pavgb", "pavgw", "pminub", "pmaxub", "pminsw", "pmaxsw", "pand", "pandn", "por", "pxor", "pcmpeqb",
          "pcmpeqw", "pcmpeqd", "pcmpgtb", "pcmpgtw", "pcmpgtd", "packsswb", "packuswb", "packssdw", "punpcklbw",
          "punpcklwd", "punpckldq", "punpcklqdq", "punpckhbw", "punpckhwd", "punpckhdq", "punpckhqdq", "psllw",
          "pslld", "psllq", "psrlw", "psrld", "psrlq", "psraw", "psrad", "movdqa", "addps", "addpd", "subps", "subpd",
          "mulps", "mulpd", "divps", "divpd", "minps", "minpd", "maxps", "maxpd", "sqrtps", "sqrtpd", "andps", "andpd",
          "andnps", "andnpd", "orps", "orpd", "xorps", "xorpd", "unpcklps", "unpcklpd", "unpckhps", "unpckhpd",
          "movlhps", "movhlps", "cvtdq2ps", "cvttps2dq", "cvtdq2pd", "cvttpd2dq", "cvtpd2ps", "cvtps2pd", "movddup",
          "pshufb", "phaddw", "phaddd", "pmaddubsw", "pmulhrsw", "pabsb", "pabsw", "pabsd", "pmuldq", "pcmpeqq",
          "packusdw", "pminsb", "pminsd", "pminuw", "pminud", "pmaxsb", "pmaxsd", "pmaxuw", "pmaxud", "pmulld", "ptest",
          "pmovsxbw", "pmovsxwd", "pmovsxdq", "pmovzxbw", "pmovzxwd", "pmovzxdq", "pcmpgtq"]
for op in PACKED:
    for d, s in XREGS[:4]:
        add("packed", f"a.packed(.{op}, .{d}, .{s})", f"{op} {d}, {s}")
for op in ["pmovsxbw", "pmovsxwd", "pmovsxdq", "pmovzxbw", "pmovzxwd", "pmovzxdq", "movddup"]:
    for d, m in zip(["xmm0", "xmm9", "xmm15"], [MEMS[2], MEMS[13], MEMS[4]]):
        add("packedMem", f"a.packed(.{op}, .{d}, {m.swift()})", f"{op} {d}, {m.text('qword ptr')}")
for op in ["pshufd", "pshuflw", "pshufhw", "shufps", "shufpd", "cmpps", "cmppd", "palignr", "pblendw", "blendps",
           "blendpd", "roundps", "roundpd", "insertps"]:
    for (d, s), v in zip(XREGS[:4], [0, 1, 0x88, 255]):
        add("packedImm", f"a.packed(.{op}, .{d}, .{s}, {v})", f"{op} {d}, {s}, {v}")
for op in ["psrlw", "psraw", "psllw", "psrld", "psrad", "pslld", "psrlq", "psllq", "psrldq", "pslldq"]:
    for x, v in [("xmm0", 1), ("xmm8", 7), ("xmm15", 15)]:
        add("packedShift", f"a.packed(PackedShiftImm.{op}, .{x}, {v})", f"{op} {x}, {v}")
for name in ["movdqu", "movq", "movlps", "movhps"]:
    ptr = "xmmword ptr" if name == "movdqu" else "qword ptr"
    for d, m in zip(["xmm0", "xmm9", "xmm15", "xmm4"], [MEMS[2], MEMS[4], MEMS[13], MEMS[17]]):
        add("packedMove", f"a.{name}(.{d}, {m.swift()})", f"{name} {d}, {m.text(ptr)}")
        if name != "movlps":
            add("packedMove", f"a.{name}({m.swift()}, .{d})", f"{name} {m.text(ptr)}, {d}")
for d, s in XREGS[:4]:
    add("packedMove", f"a.movq(.{d}, .{s})", f"movq {d}, {s}")
for name in ["pmovmskb", "movmskps", "movmskpd"]:
    for r, x in [("rax", "xmm0"), ("r9", "xmm1"), ("rcx", "xmm12"), ("r15", "xmm15")]:
        add("packedMask", f"a.{name}(.{r}, .{x})", f"{name} {rn(r, 'i32')}, {x}")
LANE_NAMES = {"i8": "b", "i16": "w", "i32": "d", "i64": "q"}
for size, suffix in LANE_NAMES.items():
    rsize = "i64" if size == "i64" else "i32"
    for x, r, lane in [("xmm0", "rax", 1), ("xmm9", "rcx", 0), ("xmm3", "r12", 1), ("xmm15", "r9", 1)]:
        add("packedLane", f"a.pinsr(.{size}, .{x}, .{r}, {lane})", f"pinsr{suffix} {x}, {rn(r, rsize)}, {lane}")
        add("packedLane", f"a.pextr(.{size}, .{r}, .{x}, {lane})", f"pextr{suffix} {rn(r, rsize)}, {x}, {lane}")
    for x, m in zip(["xmm0", "xmm10"], [MEMS[4], MEMS[13]]):
        add("packedLane", f"a.pinsr(.{size}, .{x}, {m.swift()}, 1)", f"pinsr{suffix} {x}, {m.text(PTR[size])}, 1")
        add("packedLane", f"a.pextr(.{size}, {m.swift()}, .{x}, 1)", f"pextr{suffix} {m.text(PTR[size])}, {x}, 1")
for op in ["vfmadd231ps", "vfnmadd231ps", "vfmadd231pd", "vfnmadd231pd"]:
    for d, s1, s2 in [("xmm0", "xmm1", "xmm2"), ("xmm9", "xmm3", "xmm14"), ("xmm15", "xmm8", "xmm0"), ("xmm4", "xmm12", "xmm12")]:
        add("fused", f"a.fused(.{op}, .{d}, .{s1}, .{s2})", f"{op} {d}, {s1}, {s2}")

# Cases where our encoding is a valid alternative to llvm-mc's choice (verified with objdump).
def xchg_bytes(size, a_, b):
    """87 /r with reg=b, rm=a."""
    ai, bi = GPR.index(a_), GPR.index(b)
    out = []
    if size == "i16": out.append(0x66)
    rex = (8 if size == "i64" else 0) | ((bi >> 3) << 2) | (ai >> 3)
    if rex or (size == "i8" and (4 <= ai < 8 or 4 <= bi < 8)): out.append(0x40 | rex)
    out.append(0x86 if size == "i8" else 0x87)
    out.append(0xC0 | (bi & 7) << 3 | (ai & 7))
    return out
OVERRIDES = {}
for size in ["i8", "i16", "i32", "i64"]:
    for a_, b in [("rax", "rcx"), ("rcx", "rax"), ("r8", "rsi"), ("rsp", "r15"), ("rax", "rax")]:
        t = f"xchg {rn(a_, size)}, {rn(b, size)}"
        add("xchg", f"a.xchg(.{size}, .{a_}, .{b})", t)
        OVERRIDES[t] = xchg_bytes(size, a_, b)

def assemble(texts):
    src = "\n".join(texts) + "\n"
    out = subprocess.run(["llvm-mc", "--triple=x86_64", "--show-encoding", "-x86-asm-syntax=intel"],
                         input=src, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    enc = [[int(x, 16) for x in m.group(1).split(",")] for m in re.finditer(r"encoding: \[([^\]]*)\]", out.stdout)]
    assert len(enc) == len(texts), (len(enc), len(texts))
    return enc

def main():
    all_texts = [t for g in cases.values() for _, t in g]
    enc = assemble(all_texts)
    k = 0
    lines = ["// Generated by scripts/gen-x64-encoding-tests.py — DO NOT EDIT DIRECTLY.",
             "// Expected bytes come from `llvm-mc --triple=x86_64 --show-encoding -x86-asm-syntax=intel`",
             "// on the expected listing text (except the xchg cases: we always use 87 /r).",
             "",
             "import Testing",
             "import WasmJIT",
             "",
             "/// Every instruction form: exact bytes and exact listing text.",
             "@Suite struct X64AssemblerEncodingTests {"]
    total = 0
    for group, items in cases.items():
        lines.append(f"    @Test func {group}() {{")
        lines.append("        var c = X64EncodingChecker()")
        for swift, text in items:
            b = OVERRIDES.get(text, enc[k])
            k += 1
            bs = ", ".join(f"0x{x:02x}" for x in b)
            lines.append(f"        c.check({swift_str(text)}, [{bs}]) {{ a in {swift} }}")
            total += 1
        lines.append(f"        c.finish(expected: {len(items)})")
        lines.append("    }")
        lines.append("")
    lines[-1] = "}"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "Tests/WasmoonTests/X64AssemblerEncodingTests.swift")
    open(path, "w").write("\n".join(lines) + "\n")
    print(f"{total} cases in {len(cases)} groups -> {path}")

def swift_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

main()
