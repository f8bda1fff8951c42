/// Where a result came from: the tool, the command line, every option in force and the input's SHA-256.
public struct Provenance: Sendable, Equatable {
    public var toolVersion: String
    public var commandLine: [String]
    /// Option name → value as used (defaults included), in display order.
    public var options: [(String, String)]
    /// SHA-256 of the input file's bytes (hex), or nil when there was no file.
    public var inputSHA256: String?
    public var inputPath: String?

    public init(toolVersion: String, commandLine: [String], options: [(String, String)], inputPath: String?, inputSHA256: String?) {
        self.toolVersion = toolVersion
        self.commandLine = commandLine
        self.options = options
        self.inputPath = inputPath
        self.inputSHA256 = inputSHA256
    }

    public static func == (a: Provenance, b: Provenance) -> Bool {
        a.toolVersion == b.toolVersion && a.commandLine == b.commandLine && a.inputSHA256 == b.inputSHA256
            && a.inputPath == b.inputPath && a.options.map(\.0) == b.options.map(\.0) && a.options.map(\.1) == b.options.map(\.1)
    }

    public var jsonValue: JSONValue {
        .object([
            ("tool", .string("metaswift")),
            ("version", .string(toolVersion)),
            ("command_line", .array(commandLine.map { .string($0) })),
            ("options", .object(options.map { ($0.0, .string($0.1)) })),
            ("input", inputPath.map { .string($0) } ?? .null),
            ("input_sha256", inputSHA256.map { .string($0) } ?? .null),
        ])
    }
}
