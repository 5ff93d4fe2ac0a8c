import Wasmoon
import Foundation
import WAT
import WasmCore

/// Runs `.wast` spec-test scripts (parsed by WasmKit's `WAT` library) against one engine.
///
/// Counting follows cli.md's `test` section: every `assert_*` directive is one assertion
/// that passes or fails; a `module`, `register` or bare `invoke` directive that fails
/// counts as one failure (it would otherwise fail silently and take later assertions
/// with it). `assert_invalid` / `assert_malformed` pass when the module is rejected at
/// any stage; when our decoder or validator rejected it and its message does not start
/// with the expected text, the assertion still passes but is recorded as "message differs".
///
/// Each script runs in a fresh `Store` with a fresh `spectest` module; a failing
/// directive never stops the script, and every error is caught.
public struct WastRunner: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Runs the script at `path`. An unreadable file is one failure.
    public func run(path: String) -> WastResult {
        let source: String
        do {
            let bytes = try Runtime.readFile(path)
            source = String(decoding: bytes, as: UTF8.self)
        } catch {
            var result = WastResult(file: path)
            result.fail(line: 0, "\(error)")
            return result
        }
        return run(source: source, file: path)
    }

    /// Runs a script given as text; `file` names it in the result.
    public func run(source: String, file: String) -> WastResult {
        var session = WastSession(engine: engine, file: file, source: source)
        session.run()
        return session.result
    }
}

/// The outcome of one script.
public struct WastResult: Sendable {
    /// One failed assertion or a message difference, at a line of the script.
    public struct Issue: Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var file: String
    public var passed = 0
    public var failed = 0
    /// Rejections by our decoder/validator whose message does not match the expected one.
    public var messageDiffers = 0
    public var failures: [Issue] = []
    public var messageDifferences: [Issue] = []

    public init(file: String) { self.file = file }

    mutating func pass() { passed += 1 }

    mutating func fail(line: Int, _ message: String) {
        failed += 1
        failures.append(Issue(line: line, message: message))
    }

    mutating func differs(line: Int, _ message: String) {
        messageDiffers += 1
        messageDifferences.append(Issue(line: line, message: message))
    }
}

/// Why a module did not come out of the front end: the stage matters for counting.
private enum ModuleRejection: Error {
    case text(TextFormatError)
    case decode(DecodeError)
    case validate(ValidationError)
    /// Anything else (an engine failing to prepare a valid module).
    case other(String)

    var description: String {
        switch self {
        case .text(let e): "text format error: \(e)"
        case .decode(let e): "malformed: \(e)"
        case .validate(let e): "invalid: \(e)"
        case .other(let s): s
        }
    }
}

/// An action that did not produce values.
private struct ActionFailure: Error {
    var message: String
    /// The trap, when the action trapped.
    var trap: Trap?
    /// The action ended in an uncaught wasm exception.
    var exception: WasmException? = nil
}

extension ActionFailure {
    /// What a call or instantiation threw: a trap and an exception are kept for the assertions.
    init(_ error: WasmoonError, describe: (any Error) -> String) {
        switch error {
        case .trap(let trap): self.init(message: trap.description, trap: trap)
        case .exception(let exception): self.init(message: exception.description, exception: exception)
        default: self.init(message: describe(error))
        }
    }
}

/// The state of one running script: store, linker, named and current instances.
private struct WastSession {
    let engine: Engine
    let store: Store
    let linker: Linker
    /// The script's text, and its lines.
    var source: WastSource
    var result: WastResult
    /// Instances by `$id`.
    var named: [String: Instance] = [:]
    /// The most recently instantiated module, target of unnamed actions.
    var current: Instance?
    /// `(module definition $id …)` modules, compiled but not instantiated.
    var definitions: [String: CompiledModule] = [:]
    var lastDefinition: CompiledModule?

    init(engine: Engine, file: String, source: String) {
        self.engine = engine
        self.source = WastSource(source)
        store = Store(engine: engine)
        linker = Linker(store: store)
        result = WastResult(file: file)
        do {
            try SpecTestHost.define(in: linker)
        } catch {
            result.fail(line: 0, "cannot create the spectest module: \(error)")
        }
    }

    mutating func run() {
        var script: WAST
        do {
            try TextFormat.checkNesting(source.text)
        } catch {
            result.fail(line: 0, "cannot parse script: \(error)")
            return
        }
        do {
            script = try parseWAST(source.text, features: TextFormat.features)
        } catch {
            result.fail(line: 0, "cannot parse script: \(TextFormatError(error))")
            return
        }
        while let (parsed, location) = script.nextDirectiveResult() {
            let line = source.line(of: location)
            switch parsed {
            case .success(let directive):
                execute(directive, line: line)
            case .failure(let error):
                parseFailed(error, at: location, line: line)
            }
        }
    }

    // MARK: Directives

    mutating func execute(_ directive: WASTDirective, line: Int) {
        switch directive {
        case .module(let m):
            do {
                let compiled = try build(m.source).get()
                if m.isDefinition {
                    if let id = m.id { definitions[id] = compiled }
                    lastDefinition = compiled
                    return
                }
                try instantiate(compiled, id: m.id)
            } catch {
                moduleFailed(id: m.id, line: line, "module: \(describe(error))")
            }

        case .moduleInstance(let instanceID, let moduleID):
            guard let compiled = moduleID.map({ definitions[$0] }) ?? lastDefinition else {
                result.fail(line: line, "module instance: unknown module definition \(moduleID ?? "")")
                return
            }
            do {
                try instantiate(compiled, id: instanceID)
            } catch {
                moduleFailed(id: instanceID, line: line, "module instance: \(describe(error))")
            }

        case .register(let name, let moduleID):
            guard let instance = moduleID.map({ named[$0] }) ?? current else {
                result.fail(line: line, "register \"\(name)\": no module\(moduleID.map { " " + $0 } ?? "")")
                return
            }
            linker.define(instance: instance, as: name)

        case .invoke(let invoke):
            if case .failure(let f) = perform(.invoke(invoke)) {
                result.fail(line: line, "invoke \"\(invoke.name)\": \(f.message)")
            }

        case .assertReturn(let execute, let expected):
            switch perform(execute) {
            case .failure(let f):
                result.fail(line: line, "assert_return\(actionName(execute)): \(f.message)")
            case .success(let values):
                if values.count == expected.count, zip(values, expected).allSatisfy({ matches($0, $1) }) {
                    result.pass()
                } else {
                    result.fail(
                        line: line,
                        "assert_return\(actionName(execute)): expected \(show(expected)), got \(show(values))")
                }
            }

        case .assertTrap(let execute, let message):
            expectTrap(execute, message: message, directive: "assert_trap", line: line)

        case .assertException(let execute):
            switch perform(execute) {
            case .failure(let f) where f.exception != nil:
                result.pass()
            case .failure(let f):
                result.fail(line: line, "assert_exception\(actionName(execute)): \(f.message)")
            case .success(let values):
                result.fail(line: line, "assert_exception\(actionName(execute)): expected an exception, got \(show(values))")
            }

        case .assertExhaustion(let call, let message):
            expectTrap(.invoke(call), message: message, directive: "assert_exhaustion", line: line)

        case .assertInvalid(let module, let message):
            expectRejection(module.source, message: message, directive: "assert_invalid", line: line)

        case .assertMalformed(let module, let message):
            expectRejection(module.source, message: message, directive: "assert_malformed", line: line)

        case .assertUnlinkable(let wat, let message):
            do {
                let compiled = try build(.text(wat)).get()
                _ = try linker.instantiate(compiled)
                result.fail(line: line, "assert_unlinkable: module linked, expected \"\(message)\"")
            } catch WasmoonError.link {
                result.pass()
            } catch {
                result.fail(line: line, "assert_unlinkable: expected a link error \"\(message)\", got \(describe(error))")
            }

        default:
            result.fail(line: line, "unsupported directive: \(directive)")
        }
    }

    /// A directive the text parser could not read. For `assert_malformed` and
    /// `assert_invalid` that is the expected rejection (at the text stage).
    /// The parse error is turned into text only for a message: that finds its line and
    /// column from the start of the script.
    mutating func parseFailed(_ error: WASTDirectiveError, at location: Location, line: Int) {
        if let module = error.module {
            moduleFailed(id: module.id, line: line, "module: \(TextFormatError(error.error))")
            return
        }
        let keyword = source.directiveKeyword(at: location)
        switch keyword {
        case "assert_malformed", "assert_invalid":
            result.pass()
        case "assert_uninstantiable":
            // Not in the text library's grammar: it is `assert_trap` with a module.
            assertUninstantiable(at: location, line: line, parseError: error.error)
        default:
            result.fail(line: line, "\(keyword ?? "directive"): cannot parse: \(TextFormatError(error.error))")
        }
    }

    /// `(assert_uninstantiable (module …) "message")` (the 1.0 suite's spelling): parsed
    /// again as `assert_trap`, whose module form means the same.
    mutating func assertUninstantiable(at location: Location, line: Int, parseError: WatParserError) {
        guard let text = source.directiveText(at: location),
            let range = text.range(of: "assert_uninstantiable")
        else {
            result.fail(line: line, "assert_uninstantiable: cannot parse: \(TextFormatError(parseError))")
            return
        }
        var script: WAST
        do {
            script = try parseWAST(text.replacingCharacters(in: range, with: "assert_trap"), features: TextFormat.features)
        } catch {
            result.fail(line: line, "assert_uninstantiable: cannot parse: \(TextFormatError(error))")
            return
        }
        guard case (.success(.assertTrap(let execute, let message)), _)? = script.nextDirectiveResult() else {
            result.fail(line: line, "assert_uninstantiable: cannot parse: \(TextFormatError(parseError))")
            return
        }
        expectTrap(execute, message: message, directive: "assert_uninstantiable", line: line)
    }

    /// A module that should have loaded did not: later unnamed actions must not
    /// silently run against the previous module.
    mutating func moduleFailed(id: String?, line: Int, _ message: String) {
        result.fail(line: line, message)
        current = nil
        if let id { named[id] = nil }
    }

    mutating func instantiate(_ compiled: CompiledModule, id: String?) throws {
        let instance = try linker.instantiate(compiled)
        current = instance
        if let id { named[id] = instance }
    }

    mutating func expectTrap(_ execute: WASTExecute, message: String, directive: String, line: Int) {
        let outcome: Result<[Value], ActionFailure>
        if case .wat(let wat) = execute {
            // A module form: it must compile, and instantiating it must trap.
            switch build(.text(wat)) {
            case .failure(let rejection):
                result.fail(line: line, "\(directive): module did not compile: \(rejection.description)")
                return
            case .success(let compiled):
                do {
                    _ = try linker.instantiate(compiled)
                    outcome = .success([])
                } catch {
                    outcome = .failure(ActionFailure(error, describe: describe))
                }
            }
        } else {
            outcome = perform(execute)
        }
        switch outcome {
        case .success(let values):
            result.fail(line: line, "\(directive)\(actionName(execute)): expected trap \"\(message)\", got \(show(values))")
        case .failure(let f):
            if let trap = f.trap, WastSession.trapMessage(trap.message, matches: message) {
                result.pass()
            } else {
                result.fail(line: line, "\(directive)\(actionName(execute)): expected trap \"\(message)\", got \(f.message)")
            }
        }
    }

    /// Our trap message must contain the expected text. The reference interpreter adds
    /// detail to some messages ("uninitialized element 2"): our message followed by a
    /// space and a number matches too.
    static func trapMessage(_ actual: String, matches expected: String) -> Bool {
        if actual.contains(expected) { return true }
        guard expected.hasPrefix(actual + " ") else { return false }
        let detail = expected.dropFirst(actual.count + 1)
        return !detail.isEmpty && detail.allSatisfy(\.isNumber)
    }

    mutating func expectRejection(_ source: ModuleSource, message: String, directive: String, line: Int) {
        switch build(source) {
        case .success:
            result.fail(line: line, "\(directive): module accepted, expected \"\(message)\"")
        case .failure(let rejection):
            switch rejection {
            case .text:
                result.pass()
            case .decode(let e):
                result.pass()
                if !e.message.hasPrefix(message) {
                    result.differs(line: line, "\(directive): expected \"\(message)\", decoder said \"\(e)\"")
                }
            case .validate(let e):
                result.pass()
                if !e.message.hasPrefix(message) {
                    result.differs(line: line, "\(directive): expected \"\(message)\", validator said \"\(e)\"")
                }
            case .other(let s):
                result.fail(line: line, "\(directive): module passed validation but failed to compile: \(s)")
            }
        }
    }

    // MARK: Modules and actions

    func build(_ source: ModuleSource) -> Result<CompiledModule, ModuleRejection> {
        let bytes: [UInt8]
        do {
            switch source {
            case .text(let wat): bytes = try TextFormat.encode(wat)
            case .quote(let text): bytes = try TextFormat.wat2wasm(String(decoding: text, as: UTF8.self), nameSection: false)
            case .binary(let b): bytes = b
            }
        } catch {
            return .failure(.text(error))
        }
        do {
            return .success(try CompiledModule(bytes: bytes, engine: engine))
        } catch {
            switch error {
            case .malformed(let e, _): return .failure(.decode(e))
            case .invalid(let e, _): return .failure(.validate(e))
            default: return .failure(.other(describe(error)))
            }
        }
    }

    func perform(_ execute: WASTExecute) -> Result<[Value], ActionFailure> {
        switch execute {
        case .invoke(let invoke):
            guard let instance = invoke.module.map({ named[$0] }) ?? current else {
                return .failure(ActionFailure(message: "no module\(invoke.module.map { " " + $0 } ?? "") to invoke"))
            }
            guard let function = instance.function(invoke.name) else {
                return .failure(ActionFailure(message: "no exported function \"\(invoke.name)\""))
            }
            var arguments: [Value] = []
            for arg in invoke.args {
                guard let value = WastSession.value(arg) else {
                    return .failure(ActionFailure(message: "unsupported argument \(arg)"))
                }
                arguments.append(value)
            }
            do {
                return .success(try function.call(arguments))
            } catch {
                return .failure(ActionFailure(error, describe: describe))
            }
        case .get(let module, let name):
            guard let instance = module.map({ named[$0] }) ?? current else {
                return .failure(ActionFailure(message: "no module\(module.map { " " + $0 } ?? "") to get from"))
            }
            guard let global = instance.global(name) else {
                return .failure(ActionFailure(message: "no exported global \"\(name)\""))
            }
            return .success([global.value])
        case .wat(let wat):
            switch build(.text(wat)) {
            case .failure(let rejection): return .failure(ActionFailure(message: rejection.description))
            case .success(let compiled):
                do {
                    _ = try linker.instantiate(compiled)
                    return .success([])
                } catch {
                    return .failure(ActionFailure(error, describe: describe))
                }
            }
        }
    }

    // MARK: Values

    static func value(_ constant: WASTConstValue) -> Value? {
        switch constant {
        case .i32(let v): return .i32(v)
        case .i64(let v): return .i64(v)
        case .f32(let v): return .f32(v)
        case .f64(let v): return .f64(v)
        case .v128(let v): return .v128(WasmCore.V128(bytes: v.bytes))
        case .refNull(.abstract(.funcRef)), .refNull(.abstract(.noFunc)): return .funcRef(nil)
        case .refNull(.abstract(.externRef)), .refNull(.abstract(.noExtern)): return .externRef(nil)
        case .refExtern(let v): return .externRef(ExternRef(id: UInt64(v)))
        default: return nil
        }
    }

    func matches(_ value: Value, _ expected: WASTExpectValue) -> Bool {
        switch (value, expected) {
        case (.i32(let a), .i32(let b)): return a == b
        case (.i64(let a), .i64(let b)): return a == b
        case (.f32(let a), .f32(let b)): return a == b
        case (.f64(let a), .f64(let b)): return a == b
        case (.f32(let a), .f32CanonicalNaN): return a & 0x7FFF_FFFF == 0x7FC0_0000
        case (.f32(let a), .f32ArithmeticNaN): return a & 0x7FC0_0000 == 0x7FC0_0000
        case (.f64(let a), .f64CanonicalNaN): return a & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
        case (.f64(let a), .f64ArithmeticNaN): return a & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000
        case (.v128(let a), .v128(let b)): return a.bytes == b.bytes
        case (.v128(let a), .v128Pattern(let pattern)): return Self.matches(a, pattern)
        case (.funcRef(let f), .refNull(let heap)):
            guard f == nil else { return false }
            switch heap {
            case nil, .abstract(.funcRef)?, .abstract(.noFunc)?: return true
            default: return false
            }
        case (.externRef(let e), .refNull(let heap)):
            guard e == nil else { return false }
            switch heap {
            case nil, .abstract(.externRef)?, .abstract(.noExtern)?: return true
            default: return false
            }
        case (.funcRef(let f), .refFunc(let index)):
            guard let f else { return false }
            return index.map { f.index == $0 } ?? true
        case (.externRef(let e), .refExtern(let id)):
            guard let e else { return false }
            return id.map { e.id == UInt64($0) } ?? true
        case (_, .either(let options)):
            return options.contains { matches(value, $0) }
        default:
            return false
        }
    }

    /// A v128 against a lane pattern: float lanes marked NaN take any NaN, the other bytes must be equal.
    static func matches(_ value: WasmCore.V128, _ pattern: V128Expectation) -> Bool {
        let bytes = value.bytes
        let laneWidth = pattern.shape == .f64x2 ? 8 : 4
        for lane in 0..<(16 / laneWidth) {
            let range = lane * laneWidth..<(lane + 1) * laneWidth
            if pattern.shape != nil, pattern.nanLaneMask & (1 << lane) != 0 {
                let bits = range.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[$1]) }
                let isNaN = laneWidth == 8
                    ? bits & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000 && bits & 0xF_FFFF_FFFF_FFFF != 0
                    : bits & 0x7F80_0000 == 0x7F80_0000 && bits & 0x7F_FFFF != 0
                if !isNaN { return false }
            } else if Array(bytes[range]) != Array(pattern.bytes[range]) {
                return false
            }
        }
        return true
    }

    func show(_ values: [Value]) -> String {
        "(" + values.map { "\($0.type):\(ValueFormat.format($0))" }.joined(separator: " ") + ")"
    }

    func show(_ values: [WASTExpectValue]) -> String {
        func one(_ v: WASTExpectValue) -> String {
            switch v {
            case .i32(let x): "i32:\(ValueFormat.format(.i32(x)))"
            case .i64(let x): "i64:\(ValueFormat.format(.i64(x)))"
            case .f32(let x): "f32:\(ValueFormat.format(.f32(x)))"
            case .f64(let x): "f64:\(ValueFormat.format(.f64(x)))"
            case .f32CanonicalNaN: "f32:nan:canonical"
            case .f32ArithmeticNaN: "f32:nan:arithmetic"
            case .f64CanonicalNaN: "f64:nan:canonical"
            case .f64ArithmeticNaN: "f64:nan:arithmetic"
            case .v128(let x): "v128:\(WasmCore.V128(bytes: x.bytes))"
            case .v128Pattern(let p): "v128:\(WasmCore.V128(bytes: p.bytes))" + (p.nanLaneMask != 0 ? " (NaN lanes \(p.nanLaneMask))" : "")
            case .refNull: "ref.null"
            case .refFunc(let i): "ref.func" + (i.map { ":\($0)" } ?? "")
            case .refExtern(let i): "ref.extern" + (i.map { ":\($0)" } ?? "")
            case .either(let options): "either" + show(options)
            default: "\(v)"
            }
        }
        return "(" + values.map(one).joined(separator: " ") + ")"
    }

    func actionName(_ execute: WASTExecute) -> String {
        switch execute {
        case .invoke(let i): " \"\(i.name)\""
        case .get(_, let name): " get \"\(name)\""
        case .wat: " (module)"
        }
    }

    func describe(_ error: any Error) -> String {
        switch error {
        case let r as ModuleRejection: r.description
        case let w as WasmoonError:
            switch w {
            case .malformed(let e, _): "malformed: \(e)"
            case .invalid(let e, _): "invalid: \(e)"
            case .link(let e): "link error: \(e)"
            case .trap(let t): t.description
            default: w.description
            }
        case let e as DecodeError: "malformed: \(e)"
        case let e as ValidationError: "invalid: \(e)"
        case let e as LinkError: "link error: \(e)"
        case let t as Trap: t.description
        default: WasmoonError(error).description
        }
    }
}
