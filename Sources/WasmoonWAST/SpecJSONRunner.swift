import Wasmoon
import Foundation
import WasmCore

/// Runs a spec script in the JSON form wabt's `wast2json` writes (the script as commands, each
/// module as a `.wasm` file beside it), for scripts WasmKit's `WAT` cannot read: the legacy
/// exception-handling ones (`try`, `catch`, `delegate`, `rethrow`).
///
/// It counts like `WastRunner`: each `assert_*` command passes or fails, a `module`, `register`
/// or `action` that fails is one failure; a rejected module passes `assert_invalid` /
/// `assert_malformed` at any stage (a text module is given to our text front end), and a
/// decoder or validator message that does not start with the expected text is a "message
/// differs".
public struct SpecJSONRunner: Sendable {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    public func run(path: String) -> WastResult {
        var result = WastResult(file: path)
        let commands: [[String: Any]]
        do {
            let data = Data(try Runtime.readFile(path))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let list = object["commands"] as? [[String: Any]]
            else {
                result.fail(line: 0, "not a wast2json script (no \"commands\" list)")
                return result
            }
            commands = list
        } catch {
            result.fail(line: 0, "\(error)")
            return result
        }
        var session = JSONSession(engine: engine, directory: (path as NSString).deletingLastPathComponent, result: result)
        for command in commands { session.execute(command) }
        return session.result
    }
}

/// One script's store, instances and counts.
private struct JSONSession {
    let engine: Engine
    let directory: String
    var result: WastResult
    let store: Store
    let linker: Linker
    var named: [String: Instance] = [:]
    var current: Instance?

    init(engine: Engine, directory: String, result: WastResult) {
        self.engine = engine
        self.directory = directory
        self.result = result
        store = Store(engine: engine)
        linker = Linker(store: store)
        do { try SpecTestHost.define(in: linker) } catch {
            self.result.fail(line: 0, "cannot create the spectest module: \(error)")
        }
    }

    /// An action's outcome: values, a trap, an uncaught exception, or another failure.
    enum Outcome {
        case values([Value])
        case trap(Trap)
        case exception
        case failure(String)
    }

    mutating func execute(_ command: [String: Any]) {
        let line = command["line"] as? Int ?? 0
        let type = command["type"] as? String ?? "?"
        switch type {
        case "module":
            do {
                let compiled = try compile(command)
                let instance = try linker.instantiate(compiled)
                current = instance
                if let name = command["name"] as? String { named[name] = instance }
            } catch {
                current = nil
                result.fail(line: line, "module: \(WasmoonError(error))")
            }
        case "register":
            guard let instance = (command["name"] as? String).flatMap({ named[$0] }) ?? current,
                let name = command["as"] as? String
            else {
                result.fail(line: line, "register: no module")
                return
            }
            linker.define(instance: instance, as: name)
        case "action":
            if case .failure(let message) = perform(command["action"]) { result.fail(line: line, message) }
        case "assert_return":
            let expected = command["expected"] as? [[String: Any]] ?? []
            switch perform(command["action"]) {
            case .values(let values):
                if values.count == expected.count, zip(values, expected).allSatisfy({ Self.matches($0, $1) }) {
                    result.pass()
                } else {
                    result.fail(line: line, "assert_return: got \(values), expected \(expected)")
                }
            case .trap(let trap): result.fail(line: line, "assert_return: trapped: \(trap.message)")
            case .exception: result.fail(line: line, "assert_return: uncaught exception")
            case .failure(let message): result.fail(line: line, "assert_return: \(message)")
            }
        case "assert_trap", "assert_exhaustion":
            let text = command["text"] as? String ?? ""
            switch perform(command["action"]) {
            case .trap(let trap) where trap.message.contains(text) || text.hasPrefix(trap.message): result.pass()
            case let outcome: result.fail(line: line, "\(type): expected trap \"\(text)\", got \(outcome)")
            }
        case "assert_exception":
            if case .exception = perform(command["action"]) { result.pass() } else {
                result.fail(line: line, "assert_exception: no exception")
            }
        case "assert_invalid", "assert_malformed":
            expectRejection(command, line: line, directive: type)
        case "assert_unlinkable", "assert_uninstantiable":
            do {
                _ = try linker.instantiate(try compile(command))
                result.fail(line: line, "\(type): module instantiated")
            } catch { result.pass() }
        default:
            result.fail(line: line, "unsupported command \(type)")
        }
    }

    func compile(_ command: [String: Any]) throws -> CompiledModule {
        guard let file = command["filename"] as? String else { throw WastJSONError("command has no filename") }
        let bytes = try Runtime.readFile((directory as NSString).appendingPathComponent(file))
        if command["module_type"] as? String == "text" {
            return try CompiledModule(bytes: try TextFormat.wat2wasm(String(decoding: bytes, as: UTF8.self), nameSection: false), engine: engine)
        }
        return try CompiledModule(bytes: bytes, engine: engine)
    }

    mutating func expectRejection(_ command: [String: Any], line: Int, directive: String) {
        let text = command["text"] as? String ?? ""
        do {
            _ = try compile(command)
            result.fail(line: line, "\(directive): module accepted, expected \"\(text)\"")
        } catch let e as DecodeError {
            result.pass()
            if !e.message.hasPrefix(text) { result.differs(line: line, "\(directive): expected \"\(text)\", decoder said \"\(e)\"") }
        } catch let e as ValidationError {
            result.pass()
            if !e.message.hasPrefix(text) {
                result.differs(line: line, "\(directive): expected \"\(text)\", validator said \"\(e)\"")
            }
        } catch {
            result.pass()  // the text front end (or reading the file) rejected it
        }
    }

    func perform(_ action: Any?) -> Outcome {
        guard let action = action as? [String: Any], let field = action["field"] as? String else {
            return .failure("malformed action")
        }
        guard let instance = (action["module"] as? String).map({ named[$0] }) ?? current else {
            return .failure("no module for \"\(field)\"")
        }
        if action["type"] as? String == "get" {
            guard let global = instance.global(field) else { return .failure("no exported global \"\(field)\"") }
            return .values([global.value])
        }
        guard let function = instance.function(field) else { return .failure("no exported function \"\(field)\"") }
        var arguments: [Value] = []
        for arg in action["args"] as? [[String: Any]] ?? [] {
            guard let value = Self.value(arg) else { return .failure("unsupported argument \(arg)") }
            arguments.append(value)
        }
        do {
            return .values(try function.call(arguments))
        } catch {
            switch error {
            case .trap(let trap): return .trap(trap)
            case .exception: return .exception
            default: return .failure("\(error)")
            }
        }
    }

    /// An argument: numbers as decimal bit patterns, `null` references.
    static func value(_ json: [String: Any]) -> Value? {
        let text = json["value"] as? String
        switch json["type"] as? String {
        case "i32": return text.flatMap { UInt32($0) }.map { .i32($0) }
        case "i64": return text.flatMap { UInt64($0) }.map { .i64($0) }
        case "f32": return text.flatMap { UInt32($0) }.map { .f32($0) }
        case "f64": return text.flatMap { UInt64($0) }.map { .f64($0) }
        case "funcref" where text == "null": return .funcRef(nil)
        case "externref" where text == "null": return .externRef(nil)
        case "externref": return text.flatMap { UInt64($0) }.map { .externRef(ExternRef(id: $0)) }
        case "exnref" where text == "null": return .exnRef(nil)
        default: return nil
        }
    }

    /// A result against an expected value (NaN patterns for floats; references by nullness).
    static func matches(_ value: Value, _ json: [String: Any]) -> Bool {
        let text = json["value"] as? String
        switch (value, json["type"] as? String) {
        case (.f32(let bits), "f32") where text == "nan:canonical": return bits & 0x7FFF_FFFF == 0x7FC0_0000
        case (.f32(let bits), "f32") where text == "nan:arithmetic": return bits & 0x7FC0_0000 == 0x7FC0_0000
        case (.f64(let bits), "f64") where text == "nan:canonical":
            return bits & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
        case (.f64(let bits), "f64") where text == "nan:arithmetic":
            return bits & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000
        case (.funcRef(let f), "funcref"): return text == "null" ? f == nil : f != nil
        case (.exnRef(let e), "exnref"): return text == "null" ? e == nil : e != nil
        default:
            guard let expected = Self.value(json) else { return false }
            return RawValue.encode(value) == RawValue.encode(expected) && value.type == expected.type
        }
    }
}

struct WastJSONError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
