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

    @Option(help: "Order of the studies (within each subgroup): input, year (--year-column), weight (largest first) or effect (smallest first).")
    var sort: ForestPlotOrder = .input

    @Option(help: ArgumentHelp("The column holding each study's year, for --sort year.", valueName: "COLUMN"))
    var yearColumn = "year"

    @Option(help: ArgumentHelp("Names of the two groups over their columns (group 1, the ai/m1i/x1i side, first); the L'Abbé plot's axis titles use them too.", valueName: "EXPERIMENTAL,CONTROL"))
    var armLabels: String?

    @Option(help: ArgumentHelp("Text under the axis left of the line of no effect (default \"Favours experimental\" for two-group measures).", valueName: "TEXT"))
    var favoursLeft: String?

    @Option(help: ArgumentHelp("Text under the axis right of the line of no effect (default \"Favours control\").", valueName: "TEXT"))
    var favoursRight: String?

    @Option(help: ArgumentHelp("Axis limits as the reader sees them (ratios for RR, OR, ...), e.g. 0.1,10.", valueName: "LOW,HIGH"))
    var xlim: String?

    @Option(help: ArgumentHelp("Body text size in pixels (default 11); other sizes follow it.", valueName: "PIXELS"))
    var fontSize: Double?

    var isRequested: Bool {
        subgroup != nil || columns != nil || transform != .auto || title != nil || sort != .input || yearColumn != "year"
            || armLabels != nil || favoursLeft != nil || favoursRight != nil || xlim != nil || fontSize != nil
    }

    /// Whether only the options the cumulative and leave-one-out plots share with the forest plot are given
    /// (title, order, axis, favours, font size).
    var appliesToSensitivityPlots: Bool {
        subgroup == nil && columns == nil && transform == .auto && armLabels == nil
    }

    /// Whether `--arm-labels` is the only forest plot option given (the L'Abbé plot's axis titles use it).
    var onlyArmLabels: Bool {
        armLabels != nil && subgroup == nil && columns == nil && transform == .auto && title == nil && sort == .input
            && yearColumn == "year" && favoursLeft == nil && favoursRight == nil && xlim == nil && fontSize == nil
    }

    /// The settings of a cumulative or leave-one-out forest plot.
    func sensitivitySettings(notes: [String], logScale: Bool) throws(InputError) -> ForestPlotSettings {
        ForestPlotSettings(title: title, notes: notes, favoursLeft: favoursLeft, favoursRight: favoursRight,
                           axisLimits: try axisLimits(logScale: logScale), style: try style())
    }

    /// The two `--arm-labels`.
    func arms() throws(InputError) -> (String, String) {
        guard let armLabels else { return ("Experimental", "Control") }
        let parts = armLabels.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalidOption(name: "--arm-labels", value: armLabels, expected: "two names separated by a comma, e.g. Ketamine,Placebo")
        }
        return (parts[0], parts[1])
    }

    /// `--xlim` as a range in the units the reader sees; for a log axis both limits must be positive.
    func axisLimits(logScale: Bool) throws(InputError) -> ClosedRange<Double>? {
        guard let xlim else { return nil }
        let parts = xlim.split(separator: ",", omittingEmptySubsequences: false).map { Double(String($0).trimmingSpaces()) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low.isFinite, high.isFinite, low < high else {
            throw .invalidOption(name: "--xlim", value: xlim, expected: "two finite numbers LOW,HIGH with LOW < HIGH")
        }
        guard !logScale || low > 0 else {
            throw .invalidOption(name: "--xlim", value: xlim, expected: "positive limits: ratios are drawn on a log axis")
        }
        return low...high
    }

    /// `--font-size`, within what a figure can use.
    func style() throws(InputError) -> PlotStyle { try FigureSizeOptions.style(fontSize: fontSize) }

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
        x.isFinite ? NumberText.plain(x) : "NA"
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
        // Options about the figure, not the data: their errors name the option only.
        let logScale = forest.transform == .auto && PlotScale(measure: d.measure) == .log
        let axisLimits = try forest.axisLimits(logScale: logScale), style = try forest.style()
        let (experimental, control) = try forest.arms()
        do {
            let specs = try forest.columnSpecs()
            var values = [[String]](repeating: [], count: d.sizes.count)
            for spec in specs {
                for (i, text) in try spec.values(in: d.table).enumerated() { values[i].append(text) }
            }
            // The per-arm columns come from the input type; --columns replaces them with the user's own.
            let arms = specs.isEmpty
                ? try ForestArmColumns.make(measure: d.measure, data: d.table, columnMap: d.columns, experimental: experimental, control: control)
                : nil
            var years: [Double?] = []
            if forest.sort == .year {
                guard d.table.hasColumn(forest.yearColumn) else {
                    throw InputError.invalidOption(name: "--year-column", value: forest.yearColumn,
                                                   expected: "a column of the data file holding years, for --sort year (\(d.table.columnNames.joined(separator: ", ")))")
                }
                years = try d.table.optionalNumbers(forest.yearColumn, neededBy: "--sort year")
            }
            let settings = ForestPlotSettings(
                title: forest.title, transform: forest.transform,
                backTransformation: analysis.backTransformation, armColumns: arms,
                columns: specs.map { ForestPlot.Column($0.header) }, values: values, notes: notes,
                order: forest.sort, years: years, favoursLeft: forest.favoursLeft, favoursRight: forest.favoursRight,
                axisLimits: axisLimits, style: style)
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
