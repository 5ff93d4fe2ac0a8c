/// The assembler's textual listing: one line per instruction (offset, bytes,
/// Intel-syntax text, optional annotation), plus label and comment lines.
///
/// The text follows LLVM's Intel syntax (`mov rax, qword ptr [r14 + rdi + 0x10]`)
/// with displacements in hex and small immediates in decimal. Branch targets are
/// printed as label names (`jne L3`, `lea rax, [rip + table]`); `ListingLine.target`
/// says which label, so tools can substitute its offset.

/// One line of the listing.
public struct ListingLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An emitted instruction or datum, `length` bytes at `offset`.
        case instruction
        /// A label bound at `offset` (`text` is its name).
        case label
        /// A free-form comment at `offset`.
        case comment
    }

    public var kind: Kind
    public var offset: Int
    public var length: Int
    public var text: String
    /// Text attached with `X64Assembler.annotate(_:)`, e.g. the wasm offset.
    public var annotation: String? = nil
    /// The label a branch, call or RIP-relative operand refers to.
    public var target: Label? = nil
}

extension X64Assembler {
    /// The listing as text, e.g.
    ///
    ///     L0:
    ///          0  01 c8                          add eax, ecx          ; wasm 0x1a
    ///          2  0f 85 f8 ff ff ff              jne L0
    ///
    /// Bytes are read from the buffer now, so patched branches show their final
    /// displacement.
    public func listingText() -> String {
        var out = ""
        for line in lines {
            switch line.kind {
            case .label:
                out += line.text + ":\n"
            case .comment:
                out += String(repeating: " ", count: 8) + "; " + line.text + "\n"
            case .instruction:
                var s = String(line.offset, radix: 16)
                s = String(repeating: " ", count: max(0, 6 - s.count)) + s + "  "
                var b = ""
                for i in 0..<line.length {
                    if i > 0 { b += " " }
                    b += hex2(buffer[line.offset + i])
                }
                s += b + String(repeating: " ", count: max(1, 31 - b.count)) + line.text
                if let a = line.annotation {
                    s += String(repeating: " ", count: max(1, 36 - line.text.count)) + "; " + a
                }
                out += s + "\n"
            }
        }
        return out
    }

    // MARK: Operand text (only called when the listing is on)

    /// Intel text of a memory operand, with `ptr` prefix unless `ptr` is empty.
    func text(_ mem: Mem, _ ptr: String) -> String {
        var s = ptr.isEmpty ? "[" : ptr + " ["
        if let label = mem.label {
            s += "rip + " + name(of: label)
            if mem.disp != 0 { s += mem.disp < 0 ? " - " + hex(UInt64(-Int64(mem.disp))) : " + " + hex(UInt64(mem.disp)) }
            return s + "]"
        }
        var any = false
        if let base = mem.base { s += base.name(.i64); any = true }
        if let index = mem.index {
            if any { s += " + " }
            s += index.name(.i64)
            if mem.scale != .x1 { s += "*\(mem.scale.factor)" }
            any = true
        }
        if !any {
            s += hex(UInt64(UInt32(bitPattern: mem.disp)))
        } else if mem.disp != 0 || mem.base == nil {
            s += mem.disp < 0 ? " - " + hex(UInt64(-Int64(mem.disp))) : " + " + hex(UInt64(mem.disp))
        }
        return s + "]"
    }

    func text(_ mem: Mem, _ size: OperandSize) -> String { text(mem, size.pointerName) }
}

/// An immediate for the listing: decimal when small, hex otherwise.
func immText(_ v: Int64) -> String {
    if v >= -4096 && v <= 4096 { return String(v) }
    return v < 0 ? "-" + hex(UInt64(0) &- UInt64(bitPattern: v)) : hex(UInt64(v))
}

/// `0x…` in lower case.
func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

/// Two hex digits.
func hex2(_ b: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
}
