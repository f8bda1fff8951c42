import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport


/// `--subgroup`, `--columns`, `--transform`, `--title`: what `plot forest` shows besides the model.
struct ForestPlotOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Grouping column: a block per level with its own diamond, and the test for subgroup differences.", valueName: "COLUMN"))
    var subgroup: String?

    @Option(help: ArgumentHelp("""
        Extra text columns, comma-separated: a column (ntotal), a ratio of columns or sums (ai/n1i, ai/ai+bi), \
        optionally with a header (Vaccinated=ai/ai+bi).
        """, valueName: "SPECS"))
    var columns: String?

    @Option(help: "auto: ratios on a log axis, proportions and correlations back-transformed; none: the scale of analysis.")
    var transform: ForestPlotTransform = .auto

    @Option(help: "Title above the plot.")
    var title: String?

    var isRequested: Bool { subgroup != nil || columns != nil || transform != .auto || title != nil }

    /// The `--columns` specifications.
    func columnSpecs() throws(InputError) -> [ForestColumnSpec] {
        guard let columns else { return [] }
        let specs = columns.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        guard !specs.isEmpty else { throw .invalidOption(name: "--columns", value: columns, expected: "one or more column specifications separated by commas") }
        var parsed: [ForestColumnSpec] = []
        for text in specs {
            guard let spec = ForestColumnSpec(text) else {
                throw .invalidOption(name: "--columns", value: text, expected: "COLUMN, A/B or A/B+C, optionally HEADER=... in front")
            }
            parsed.append(spec)
        }
        return parsed
    }
}

/// An extra forest-plot column: one CSV column shown as written, or a numerator over a denominator, each a
/// column or a sum of columns (events/total from `ai` and `ai + bi`).
struct ForestColumnSpec: Equatable {
    var header: String
    var numerator: [String]
    var denominator: [String]?

    init?(_ text: String) {
        var expression = Substring(text)
        var header: String?
        if let equals = text.firstIndex(of: "=") {
            header = String(text[..<equals]).trimmingSpaces()
            expression = text[text.index(after: equals)...]
        }
        let parts = expression.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard (1...2).contains(parts.count) else { return nil }
        let terms = parts.map { $0.split(separator: "+", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() } }
        guard terms.allSatisfy({ $0.allSatisfy { !$0.isEmpty } }), header.map({ !$0.isEmpty }) ?? true else { return nil }
        numerator = terms[0]
        denominator = terms.count == 2 ? terms[1] : nil
        self.header = header ?? String(expression).trimmingSpaces()
    }

    /// The column's text for every row of `table`.
    func values(in table: DataTable) throws(InputError) -> [String] {
        for column in numerator + (denominator ?? []) where !table.hasColumn(column) {
            throw .invalidOption(name: "--columns", value: column,
                                 expected: "a column of the data file (\(table.columnNames.joined(separator: ", ")))")
        }
        func side(_ columns: [String]) throws(InputError) -> [String] {
            if columns.count == 1 { return try table.strings(columns[0], neededBy: "--columns").map { $0.trimmingSpaces() } }
            var sums = [Double](repeating: 0, count: table.rowCount)
            for column in columns {
                let numbers = try table.numbers(column, neededBy: "--columns")
                for i in sums.indices { sums[i] += numbers[i] }
            }
            return sums.map(Self.format)
        }
        let top = try side(numerator)
        guard let denominator else { return top }
        let bottom = try side(denominator)
        return zip(top, bottom).map { $0 + "/" + $1 }
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "NA" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }
}

extension PlotCommand {
    /// Fits the model (and the subgroup models) as `pool` does and draws the forest plot.
    func forestSVG() throws -> String {
        guard input.moderators.isEmpty else {
            throw InputError.invalidOption(name: "--mods", value: input.mods ?? "",
                                           expected: "no moderators: the forest plot shows the model without moderators (use --subgroup for a grouping column)")
        }
        let d = try input.studyInput()
        let options = input.modelOptions
        let analysis = try input.pooled(d)
        let model = analysis.model
        // With one study the plot's own note replaces the model's (which only say what is not estimable).
        let notes = d.notes + (model.studyCount < 2 ? [] : model.diagnostics.map(\.description))
        do {
            let specs = try forest.columnSpecs()
            var values = [[String]](repeating: [], count: d.sizes.count)
            for spec in specs {
                for (i, text) in try spec.values(in: d.table).enumerated() { values[i].append(text) }
            }
            let settings = ForestPlotSettings(
                title: forest.title, transform: forest.transform,
                backTransformation: analysis.backTransformation,
                columns: specs.map { ForestPlot.Column($0.header) }, values: values, notes: notes)
            guard let column = forest.subgroup else {
                return ForestPlot(effectSizes: d.sizes, model: model, settings: settings).svg()
            }
            let groups = try d.table.labels(column, neededBy: "--subgroup")
            let analysis = try SubgroupAnalysis.fit(effectSizes: d.y, samplingVariances: d.v, groups: d.rows.map { groups[$0] },
                                                    groupColumn: column, studies: d.studies, options: options)
            return ForestPlot(effectSizes: d.sizes, subgroups: analysis, overall: model, groups: groups, settings: settings).svg()
        } catch let error as InputError {
            throw DataFileError.input(path: input.data, error)
        }
    }
}
