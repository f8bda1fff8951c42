import ArgumentParser

/// The `metaswift` root command. Subcommands parse, read data, call the library and render; no statistics here.
public struct MetaSwiftCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "metaswift",
        abstract: "Meta-analysis that agrees with metafor, fast.",
        discussion: """
        Start with `metaswift review`: the whole treatment-resistant depression reanalysis on the bundled data.
        Every analysis command reads a CSV file whose columns are named as escalc's arguments
        (ai, bi, ci, di / m1i, sd1i, n1i, ... / xi, ni / yi, vi) and prints a table, CSV or JSON.
        """,
        version: Invocation.version,
        subcommands: [ReviewCommand.self, RatesCommand.self, EscalcCommand.self, PoolCommand.self, VcalcCommand.self, NetworkCommand.self, BayesCommand.self, BootstrapCommand.self,
                      PermuteCommand.self, MergeCommand.self, BatchCommand.self, SimulateCommand.self, BiasCommand.self, SensitivityCommand.self, PlotCommand.self, ImportCommand.self,
                      DatasetsCommand.self]
    )

    public init() {}

    /// With no subcommand: what MetaSwift is and where to start.
    public func run() throws {
        Console.current.write("""
        MetaSwift \(Invocation.version): meta-analysis that agrees with R's metafor, fast.

        Start here:
          metaswift review            the main job: the treatment-resistant depression review reanalysis on the
                                      bundled data (no arguments, no network); writes tables, JSON, SVG plots and
                                      report.html into ./trd-review-report
          metaswift rates             response/remission rates and controlled comparisons, pooled only within
                                      eligibility strata (table, csv, json)
          metaswift escalc|pool ...   effect sizes and random-effects models on your own CSV
          metaswift --help            every command and option

        """)
    }
}
