// TEMPORARY: replaced when the decoder and validator branches merge. Delete on merge.
public enum ModuleValidator {
    public static func validate(_ module: Module) throws(ValidationError) {}
}
