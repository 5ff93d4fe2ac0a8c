import WasmCore

/// How values look on the command line (cli.md): results printed by `--invoke`
/// and arguments parsed by parameter type.
///
/// - i32/i64: signed decimal.
/// - f32/f64: the shortest decimal that round-trips (`1`, `0.1`, `1e+20`), `inf`, `-inf`,
///   `nan` / `-nan` for the canonical NaN, `nan:0x…` / `-nan:0x…` (significand bits) otherwise.
/// - v128: `0x` and 32 hex digits, the vector as one little-endian 128-bit number (lane 0 in
///   the lowest bits); parsed from that or from the number in decimal.
/// - references: `null`, `func:N` (N = index in the defining module's function space), `extern`,
///   `exn`.
public enum ValueFormat {
    /// The text of one result value.
    public static func format(_ value: Value) -> String {
        switch value {
        case .i32(let v): return String(Int32(bitPattern: v))
        case .i64(let v): return String(Int64(bitPattern: v))
        case .f32(let bits): return formatF32(bits)
        case .f64(let bits): return formatF64(bits)
        case .v128(let v): return v.description
        case .funcRef(let f): return f.map { "func:\($0.index)" } ?? "null"
        case .externRef(let e): return e == nil ? "null" : "extern"
        case .exnRef(let e): return e == nil ? "null" : "exn"
        }
    }

    /// An f32 as the spec tests write it (shortest round-trip digits; `nan:0x…` for a NaN payload).
    public static func formatF32(_ bits: UInt32) -> String {
        let sign = bits >> 31 == 1 ? "-" : ""
        let value = Float(bitPattern: bits)
        if value.isNaN {
            let payload = bits & 0x7F_FFFF
            return payload == 0x40_0000 ? "\(sign)nan" : "\(sign)nan:0x\(String(payload, radix: 16))"
        }
        if value.isInfinite { return "\(sign)inf" }
        return trimmed(value.description)
    }

    /// An f64 as the spec tests write it (shortest round-trip digits; `nan:0x…` for a NaN payload).
    public static func formatF64(_ bits: UInt64) -> String {
        let sign = bits >> 63 == 1 ? "-" : ""
        let value = Double(bitPattern: bits)
        if value.isNaN {
            let payload = bits & 0xF_FFFF_FFFF_FFFF
            return payload == 0x8_0000_0000_0000 ? "\(sign)nan" : "\(sign)nan:0x\(String(payload, radix: 16))"
        }
        if value.isInfinite { return "\(sign)inf" }
        return trimmed(value.description)
    }

    /// Swift prints the shortest round-tripping digits, but integral values with a
    /// ".0" fraction ("2.0"): drop it, "2" is shorter and round-trips too.
    private static func trimmed(_ s: String) -> String {
        if s.hasSuffix(".0") { return String(s.dropLast(2)) }
        if let r = s.range(of: ".0e") { return s.replacingCharacters(in: r, with: "e") }
        return s
    }

    // MARK: Parsing

    /// Parses a command-line argument as a value of `type`. Returns nil when the
    /// text is not a literal of that type (or is out of range).
    ///
    /// Integers: decimal with optional sign, `0x` hex, `_` separators; any value from the
    /// signed minimum to the unsigned maximum (`-1` and `4294967295` are the same i32).
    /// Floats: decimal or hex float literals, `inf`, `nan`, `nan:0x…`, each with optional sign.
    /// References: `null`; an externref also accepts a decimal host id.
    public static func parse(_ text: String, as type: ValueType) -> Value? {
        switch type {
        case .i32: return parseInteger(text, bits: 32).map { .i32(UInt32(truncatingIfNeeded: $0)) }
        case .i64: return parseInteger(text, bits: 64).map { .i64($0) }
        case .f32: return parseF32(text).map { .f32($0) }
        case .f64: return parseF64(text).map { .f64($0) }
        case .v128: return parseV128(text).map { .v128($0) }
        case .ref(let r) where r.heapType.top == .extern:
            if text == "null" { return r.isNullable ? .externRef(nil) : nil }
            if r.heapType != .extern { return nil }
            if let id = UInt64(text), id != .max { return .externRef(ExternRef(id: id)) }
            return nil
        case .ref(let r):
            guard text == "null", r.isNullable else { return nil }
            return r.heapType.top == .exception ? .exnRef(nil) : r.heapType.top == .function ? .funcRef(nil) : nil
        }
    }

    /// A v128 as one unsigned 128-bit number: `0x` and up to 32 hex digits, or decimal.
    static func parseV128(_ text: String) -> WasmCore.V128? {
        var s = Substring(text)
        var radix: UInt128 = 10
        if s.hasPrefix("0x") || s.hasPrefix("0X") {
            radix = 16
            s = s.dropFirst(2)
        }
        let digits = s.filter { $0 != "_" }
        guard !digits.isEmpty, !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") else { return nil }
        var value: UInt128 = 0
        for c in digits {
            guard let d = c.hexDigitValue, UInt128(d) < radix else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = shifted.addingReportingOverflow(UInt128(d))
            if o1 || o2 { return nil }
            value = sum
        }
        return WasmCore.V128(low: UInt64(truncatingIfNeeded: value), high: UInt64(truncatingIfNeeded: value >> 64))
    }

    /// Two's-complement bits of an integer literal that fits in `bits` bits either
    /// as a signed or as an unsigned number.
    static func parseInteger(_ text: String, bits: Int) -> UInt64? {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        var radix = 10
        if s.hasPrefix("0x") || s.hasPrefix("0X") {
            radix = 16
            s = s.dropFirst(2)
        }
        let digits = s.filter { $0 != "_" }
        guard !digits.isEmpty, !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__"),
            let magnitude = UInt64(digits, radix: radix)
        else { return nil }
        let unsignedMax: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        if negative {
            let limit: UInt64 = 1 << UInt64(bits - 1)  // |signed minimum|
            guard magnitude <= limit else { return nil }
            return (0 &- magnitude) & unsignedMax
        }
        guard magnitude <= unsignedMax else { return nil }
        return magnitude
    }

    /// Splits an optional sign off a float literal.
    private static func sign(_ text: String) -> (negative: Bool, rest: Substring) {
        let s = Substring(text)
        if s.first == "-" { return (true, s.dropFirst()) }
        if s.first == "+" { return (false, s.dropFirst()) }
        return (false, s)
    }

    static func parseF32(_ text: String) -> UInt32? {
        let (negative, rest) = sign(text)
        let signBit: UInt32 = negative ? 1 << 31 : 0
        if rest == "nan" { return signBit | 0x7FC0_0000 }
        if rest.hasPrefix("nan:0x") {
            guard let payload = UInt32(rest.dropFirst(6).filter { $0 != "_" }, radix: 16),
                payload != 0, payload <= 0x7F_FFFF
            else { return nil }
            return signBit | 0x7F80_0000 | payload
        }
        if rest == "inf" || rest == "infinity" { return signBit | 0x7F80_0000 }
        guard isFiniteLiteral(rest), let value = Float(String(rest.filter { $0 != "_" })), value.isFinite else {
            return nil
        }
        return signBit | value.bitPattern
    }

    static func parseF64(_ text: String) -> UInt64? {
        let (negative, rest) = sign(text)
        let signBit: UInt64 = negative ? 1 << 63 : 0
        if rest == "nan" { return signBit | 0x7FF8_0000_0000_0000 }
        if rest.hasPrefix("nan:0x") {
            guard let payload = UInt64(rest.dropFirst(6).filter { $0 != "_" }, radix: 16),
                payload != 0, payload <= 0xF_FFFF_FFFF_FFFF
            else { return nil }
            return signBit | 0x7FF0_0000_0000_0000 | payload
        }
        if rest == "inf" || rest == "infinity" { return signBit | 0x7FF0_0000_0000_0000 }
        guard isFiniteLiteral(rest), let value = Double(String(rest.filter { $0 != "_" })), value.isFinite else {
            return nil
        }
        return signBit | value.bitPattern
    }

    /// Only digits, `.`, exponents and hex digits: keeps Swift's parser from taking
    /// words like "nan(0x1)" or a second sign.
    private static func isFiniteLiteral(_ s: Substring) -> Bool {
        guard let first = s.first, first.isNumber || first == "." else { return false }
        return s.allSatisfy { $0.isHexDigit || "._xXpP+-".contains($0) }
    }
}
