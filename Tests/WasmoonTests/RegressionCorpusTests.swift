import Foundation
import Testing
import WasmoonCommands
import WasmCore
import Wasmoon

/// `tests/regressions/*.wasm`: modules that once showed a difference between our tiers
/// and Wasmtime (found and shrunk by `scripts/smith-diff`), and hand-written ones in the
/// same form. Each runs under both tiers with `run --invoke-all`, and the output must
/// agree with `NAME.expected`, Wasmtime's output for the same protocol, saved with it.
///
/// Lines agree when equal, or by meaning: values by bits (parsed by the export's types),
/// `func:N` as `func`, a trap against the `|`-separated alternatives of Wasmtime's trap
/// kind, and call-stack exhaustion on either side (stack limits differ).
@Suite("regression corpus (tests/regressions, both tiers against Wasmtime's output)")
struct RegressionCorpusTests {
    static let folder = SharedData.repoRoot.appendingPathComponent("tests/regressions")

    static func modules() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".wasm") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test func theCorpusIsThere() {
        let names = Self.modules()
        #expect(names.count >= 2, "tests/regressions holds \(names.count) module(s)")
        for name in names {
            #expect(
                FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("\(name).expected").path),
                "\(name).wasm has no .expected")
        }
    }

    @Test(arguments: modules())
    func module(_ name: String) throws {
        let wasm = Self.folder.appendingPathComponent("\(name).wasm")
        let expectedText = try String(contentsOf: Self.folder.appendingPathComponent("\(name).expected"), encoding: .utf8)
        let expected = expectedText.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(!expected.isEmpty)
        let types = try Self.exportTypes(Array(try Data(contentsOf: wasm)))
        for tier in [["--no-jit"], []] {
            let label = tier.isEmpty ? "jit" : "interpreter"
            let result = try CLI.run(["run"] + tier + ["--invoke-all", wasm.path])
            var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            if result.status == 134, first.hasPrefix("error: wasm trap: ") {
                lines.append("instantiate: trap " + first.dropFirst("error: wasm trap: ".count))
            } else if result.status != 0 {
                lines.append("status \(result.status): \(first)")
            }
            #expect(lines.count == expected.count, "\(label): \(lines.count) lines, expected \(expected.count)\n\(result.stdout)")
            for (i, (e, a)) in zip(expected, lines).enumerated() {
                #expect(Self.agree(e, a, types), "\(label) line \(i + 1): Wasmtime \(e.debugDescription), wasmoon \(a.debugDescription)")
            }
        }
    }

    /// `call NAME` / `global NAME` (names escaped as --invoke-all prints them) → value types.
    static func exportTypes(_ bytes: [UInt8]) throws -> [String: [ValueType]] {
        let module = try BinaryDecoder.decode(bytes)
        let functionTypes = module.allFunctionTypeIndices
        let globals = module.allGlobals
        var types: [String: [ValueType]] = [:]
        for export in module.exports {
            let name = Commands.escapedName(export.name)
            switch export.descriptor {
            case .function(let f): types["call \(name)"] = module.types[Int(functionTypes[Int(f)])].results
            case .global(let g): types["global \(name)"] = [globals[Int(g)].valueType]
            default: break
            }
        }
        return types
    }

    /// `(head, rest)` of a line: head is `call NAME` / `global NAME` / …, up to the first `: `.
    static func split(_ line: String) -> (String, String) {
        guard let r = line.range(of: ": ") else { return (line, "") }
        return (String(line[..<r.lowerBound]), String(line[r.upperBound...]))
    }

    static func agree(_ expected: String, _ actual: String, _ types: [String: [ValueType]]) -> Bool {
        if expected == actual { return true }
        let (he, re) = split(expected), (ha, ra) = split(actual)
        guard he == ha else { return false }
        if re == "trap call stack exhausted" || ra == "trap call stack exhausted" { return true }
        if re.hasPrefix("trap "), ra.hasPrefix("trap ") {
            return re.dropFirst(5).split(separator: "|").contains(ra.dropFirst(5))
        }
        let (ve, va): ([Substring], [Substring])
        if he.hasPrefix("call "), re.hasPrefix("ok"), ra.hasPrefix("ok") {
            (ve, va) = (re.dropFirst(2).split(separator: " "), ra.dropFirst(2).split(separator: " "))
        } else if he.hasPrefix("global ") {
            (ve, va) = ([Substring(re)], [Substring(ra)])
        } else {
            return false
        }
        guard let ts = types[he], ts.count == ve.count, ts.count == va.count else { return false }
        return zip(zip(ve, va), ts).allSatisfy { pair, type in
            canonical(String(pair.0), type) == canonical(String(pair.1), type)
        }
    }

    /// A value's text reduced to what must agree: bits for numbers, `func` for any function.
    static func canonical(_ text: String, _ type: ValueType) -> String {
        switch type {
        case .funcref, .externref: return text.hasPrefix("func") ? "func" : text
        default: return ValueFormat.parse(text, as: type).map { "\($0.type):\(RawBits.of($0))" } ?? "unparsable \(text)"
        }
    }
}

/// The bits of a numeric value, for comparisons (a v128 as its 32 hex digits).
enum RawBits {
    static func of(_ value: Value) -> String {
        switch value {
        case .i32(let v), .f32(let v): String(v)
        case .i64(let v), .f64(let v): String(v)
        case .v128(let v): v.description
        case .funcRef, .externRef, .exnRef: ValueFormat.format(value)
        }
    }
}
