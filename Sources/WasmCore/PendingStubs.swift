// TEMPORARY: replaced when the decoder and validator branches merge. Delete on merge.
public enum BinaryDecoder {
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Module {
        throw DecodeError("decoder not merged yet", offset: 0)
    }
}
public enum ModuleValidator {
    public static func validate(_ module: Module) throws(ValidationError) {}
}
