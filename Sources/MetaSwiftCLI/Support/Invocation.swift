/// The command line being run and the tool's version: what every provenance block records and `--version` prints.
public enum Invocation {
    /// The version of the tool.
    public static let version = "0.1.0"

    /// The command line being run, as provenance records it: the arguments given to `MetaSwiftCommand.execute`, so
    /// that in-process runs (tests, embedding programs) record their own command rather than the host process's.
    @TaskLocal static var arguments: [String] = Array(CommandLine.arguments.dropFirst())

    /// `metaswift` followed by the arguments of the command being run.
    static var commandLine: [String] { ["metaswift"] + arguments }
}
