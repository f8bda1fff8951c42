import MetaData
import MetaAnalysis

/// The per-arm text columns of a forest plot, chosen from the kind of input as RevMan shows them: events and total
/// per arm for 2×2 tables, mean, SD and total per arm for two-group continuous data, events and person-time per arm
/// for rates, events and total for single-group proportions, N for correlations. Precomputed effect sizes have none.
///
/// Pooled rows show the totals of the summable columns (events, totals, person-time) over the studies pooled.
public struct ForestArmColumns: Sendable {
    public var columns: [ForestPlot.Column]
    /// The text of every column for every row of the data.
    public var values: [[String]]
    /// The number behind every summable cell (nil for means and SDs), for the totals of the pooled rows.
    public var summable: [[Double?]]

    public init(columns: [ForestPlot.Column], values: [[String]], summable: [[Double?]]) {
        precondition(values.count == summable.count, "one row of numbers per row of texts")
        self.columns = columns
        self.values = values
        self.summable = summable
    }

    /// The columns for `measure` read from `data` (columns renamed by `columnMap`, as for `EffectSizes.compute`);
    /// nil when the measure's input has no arms to show (precomputed or paired data) or a column is missing.
    ///
    /// - Parameters:
    ///   - experimental: the name of group 1 (`ai`, `m1i`, `x1i`), shown over its columns.
    ///   - control: the name of group 2.
    /// - Throws: `InputError` when a column is present but holds a value that is not a number.
    public static func make(measure: EffectMeasure, data: any StudyColumns, columnMap: [EscalcArgument: String] = [:],
                            experimental: String = "Experimental", control: String = "Control") throws(InputError) -> ForestArmColumns? {
        func name(_ argument: EscalcArgument) -> String { columnMap[argument] ?? argument.rawValue }
        func has(_ arguments: EscalcArgument...) -> Bool { arguments.allSatisfy { data.hasColumn(name($0)) } }
        func column(_ argument: EscalcArgument) throws(InputError) -> [Double?] {
            try data.optionalNumbers(name(argument), neededBy: "the forest plot's arm columns")
        }
        func sum(_ a: [Double?], _ b: [Double?]) -> [Double?] {
            zip(a, b).map { x, y in x.flatMap { x in y.map { x + $0 } } }
        }
        let spec: [(header: String, group: String?, numbers: [Double?], sums: Bool)]
        switch measure.family {
        case .twoByTwo:
            guard has(.ai, .ci), has(.n1i) || has(.bi), has(.n2i) || has(.di) else { return nil }
            let ai = try column(.ai), ci = try column(.ci)
            let n1 = has(.n1i) ? try column(.n1i) : sum(ai, try column(.bi))
            let n2 = has(.n2i) ? try column(.n2i) : sum(ci, try column(.di))
            spec = [("Events", experimental, ai, true), ("Total", experimental, n1, true),
                    ("Events", control, ci, true), ("Total", control, n2, true)]
        case .twoGroupContinuous:
            guard has(.m1i, .sd1i, .n1i, .m2i, .sd2i, .n2i) else { return nil }
            spec = [("Mean", experimental, try column(.m1i), false), ("SD", experimental, try column(.sd1i), false),
                    ("Total", experimental, try column(.n1i), true),
                    ("Mean", control, try column(.m2i), false), ("SD", control, try column(.sd2i), false),
                    ("Total", control, try column(.n2i), true)]
        case .personTimeTwoGroup:
            guard has(.x1i, .t1i, .x2i, .t2i) else { return nil }
            spec = [("Events", experimental, try column(.x1i), true), ("Time", experimental, try column(.t1i), true),
                    ("Events", control, try column(.x2i), true), ("Time", control, try column(.t2i), true)]
        case .proportion:
            guard has(.xi, .ni) else { return nil }
            spec = [("Events", nil, try column(.xi), true), ("Total", nil, try column(.ni), true)]
        case .personTimeSingleGroup:
            guard has(.xi, .ti) else { return nil }
            spec = [("Events", nil, try column(.xi), true), ("Time", nil, try column(.ti), true)]
        case .correlation:
            guard has(.ni) else { return nil }
            spec = [("N", nil, try column(.ni), true)]
        case .paired, .precomputed, .matchedPairs, .singleGroupContinuous, .partialCorrelation, .rSquared, .reliability, .genotypes,
             .areaUnderCurve:
            // No per-arm columns (yet) for these families: the plot shows the study's estimate and weight only.
            return nil
        }
        let rows = data.rowCount
        return ForestArmColumns(
            columns: spec.map { ForestPlot.Column($0.header, group: $0.group) },
            values: (0..<rows).map { i in spec.map { $0.numbers[i].map(Self.text) ?? "" } },
            summable: (0..<rows).map { i in spec.map { $0.sums ? $0.numbers[i] : nil } })
    }

    /// The totals of the summable columns over `rows` ("" for the others), as a pooled row shows them.
    public func totals(of rows: [Int]) -> [String] {
        columns.indices.map { j in
            var total = 0.0
            for i in rows {
                guard let x = summable[i][j] else { return "" }
                total += x
            }
            return rows.isEmpty ? "" : Self.text(total)
        }
    }

    /// Counts as integers, means and SDs with at most two decimals (a combined arm's SD has many).
    static func text(_ x: Double) -> String { x.isFinite ? PlotNumberFormat.shortest(x, maxDigits: 2) : "NA" }
}
