import ArgumentParser

/// The `metaswift` root command. Subcommands parse, read data, call the library and render; no statistics here.
public struct MetaSwiftCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "metaswift",
        abstract: "Meta-analysis that agrees with metafor, fast.",
        discussion: """
        Start with `metaswift review`: the whole treatment-resistant depression reanalysis on the bundled data.
        Every analysis command reads a CSV file whose columns are named as escalc's arguments
        (ai, bi, ci, di / m1i, sd1i, n1i, ... / xi, ni / yi, vi) and prints a table, CSV or JSON.
        """,
        version: version,
        subcommands: [EscalcCommand.self, PoolCommand.self, RatesCommand.self, BootstrapCommand.self, PermuteCommand.self, MergeCommand.self]
    )

    public init() {}
}
