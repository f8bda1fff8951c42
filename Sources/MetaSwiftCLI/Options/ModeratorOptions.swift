import ArgumentParser
import MetaData
import MetaAnalysis

/// `--mods`, `--factor`, `--no-intercept`, `--predict`, `--subgroup`: meta-regression and subgroup analysis
/// options of `metaswift pool`.
struct ModeratorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Moderator columns for a meta-regression, comma-separated (non-numeric columns are categorical; first level in sorted order is the reference), or an R-style formula such as \"~ year + deltype\", \"~ a*b\", \"~ 0 + f\".", valueName: "COLUMNS"))
    var mods: String?

    @Option(name: .customLong("factor"), parsing: .singleValue,
            help: ArgumentHelp("Treat this numeric moderator column as categorical (repeatable).", valueName: "COLUMN"))
    var factors: [String] = []

    @Flag(name: .customLong("no-intercept"), help: "Fit the meta-regression without an intercept.")
    var noIntercept = false

    @Option(name: .customLong("predict"), parsing: .singleValue,
            help: ArgumentHelp("Predict the effect at these moderator values, e.g. \"ablat=40\" or \"dose=30,route=iv\" (repeatable).", valueName: "NAME=VALUE,..."))
    var predictions: [String] = []

    @Option(help: ArgumentHelp("Grouping column: fit a model per level and test for subgroup differences.", valueName: "COLUMN"))
    var subgroup: String?

    /// The moderators named by `--mods`, with `--factor` columns forced categorical.
    func moderators() throws(InputError) -> [Moderator] {
        guard let mods else { return [] }
        let columns = mods.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        if columns.isEmpty { throw .invalidOption(name: "--mods", value: mods, expected: "one or more column names separated by commas") }
        for factor in factors where !columns.contains(factor) {
            throw .invalidOption(name: "--factor", value: factor, expected: "a column also named in --mods")
        }
        return columns.map { Moderator(column: $0, coding: factors.contains($0) ? .categorical : nil) }
    }

    /// The design of `--mods`: an R-style formula (starts with `~`; `a:b`, `a*b`, `~ 0 + f`) or the comma list
    /// (with `--factor` and `--no-intercept`); the intercept alone without `--mods`.
    func design(from table: DataTable, rows: [Int]) throws -> DesignMatrix {
        if let mods, mods.trimmingSpaces().hasPrefix("~") {
            if noIntercept || !factors.isEmpty {
                throw InputError.invalidOption(name: noIntercept ? "--no-intercept" : "--factor", value: mods,
                                               expected: "a comma list in --mods (with a formula write '~ 0 + …' for no intercept; non-numeric columns are factors)")
            }
            let formula = try ModeratorFormula(mods)
            if !predictions.isEmpty && !formula.interactions.isEmpty {
                throw InputError.invalidOption(name: "--predict", value: predictions.joined(separator: " "),
                                               expected: "a --mods formula without interactions (a:b, a*b)")
            }
            return try formula.design(from: table, rows: rows)
        }
        if mods == nil && !noIntercept { return try DesignMatrix(intercept: true, studyCount: rows.count) }
        return try DesignMatrix.build(from: table, moderators: try moderators(), rows: rows, intercept: !noIntercept)
    }

    /// Checks that the options fit together.
    func validate() throws {
        if subgroup != nil && mods != nil {
            throw ValidationError("--subgroup and --mods cannot be combined; fit the subgroup factor as a moderator with --mods instead.")
        }
        if mods == nil && (!predictions.isEmpty || !factors.isEmpty || noIntercept) {
            throw ValidationError("--predict, --factor and --no-intercept need --mods.")
        }
    }

    var isRequested: Bool { mods != nil || subgroup != nil }
}
