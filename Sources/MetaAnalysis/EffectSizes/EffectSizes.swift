import MetaData

/// Per-study effect sizes and sampling variances, as metafor's `escalc` computes them.
///
/// This is the one entry point the models (random effects, Mantel–Haenszel/Peto, meta-regression, bias and
/// sensitivity analyses) and the CLI use to turn study data into `yi`/`vi`:
///
/// ```swift
/// let table = try DataTable(contentsOfFile: "bcg.csv")
/// let es = try EffectSizes.compute(measure: .logRiskRatio, data: table,
///                                  columns: [.ai: "tpos", .bi: "tneg", .ci: "cpos", .di: "cneg"])
/// es.yi; es.vi; es.sei; es.confidenceInterval().lower
/// ```
///
/// Rows are studies in CSV order; arrays are indexed by row. A study left out (`drop00`) or whose value is
/// not finite (e.g. the log of a zero count without correction) has `yi` and `vi` = NaN, standing for
/// metafor's NA, and a diagnostic; `availableIndices` lists the others. Models drop NA studies, as metafor does.
public struct EffectSizes: Sendable, Equatable {
    /// The measure computed.
    public let measure: EffectMeasure
    /// Study labels: the `study` column when present (or mapped), else "1", "2", … (row numbers).
    public let studies: [String]
    /// Effect sizes (NaN = NA).
    public let yi: [Double]
    /// Sampling variances (NaN = NA).
    public let vi: [Double]
    /// Confidence level in percent used by `confidenceInterval()`.
    public let level: Double
    /// Notes per study (continuity corrections, double-zero studies, NA values), in row order.
    public let diagnostics: [EffectSizeDiagnostic]

    public init(measure: EffectMeasure, studies: [String], yi: [Double], vi: [Double], level: Double = 95,
                diagnostics: [EffectSizeDiagnostic] = []) {
        precondition(studies.count == yi.count && yi.count == vi.count, "studies, yi and vi must have equal length")
        self.measure = measure
        self.studies = studies
        self.yi = yi
        self.vi = vi
        self.level = level
        self.diagnostics = diagnostics
    }

    /// Number of studies (rows), including any with NA values.
    public var count: Int { yi.count }

    /// Rows (0-based) whose `yi` and `vi` are both finite.
    public var availableIndices: [Int] { yi.indices.filter { yi[$0].isFinite && vi[$0].isFinite } }

    /// Computes effect sizes for every row of `data`.
    ///
    /// - Parameters:
    ///   - measure: the escalc measure; `.generic` (GEN) reads precomputed `yi` with `vi` or `sei`.
    ///   - data: one row per study.
    ///   - columns: escalc argument → CSV column, for arguments whose column is named otherwise (identity by
    ///     default; e.g. `[.m1i: "m_post", .m2i: "m_pre"]`). `.study` names the label column.
    ///   - options: `add`, `to`, `drop00`, `vtype`, `level` (metafor's defaults).
    /// - Throws: `InputError` naming the row and column of the first bad value, or a missing column and the
    ///   measure that needs it.
    public static func compute(measure: EffectMeasure, data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                               options: EscalcOptions = EscalcOptions()) throws(InputError) -> EffectSizes {
        let input = EscalcInput(table: data, columns: columns, measure: measure)
        let (labels, renamed) = try input.labelledStudies()
        guard options.add >= 0, options.add.isFinite else {
            throw .invalidOption(name: "add", value: String(options.add), expected: "a finite number ≥ 0")
        }
        guard options.level > 0, options.level < 100, options.levelFraction < 1 else {
            throw .invalidOption(name: "level", value: String(options.level), expected: "a confidence level between 0 and 100")
        }
        let vtypes = VarianceType.available(for: measure)
        guard vtypes.contains(options.vtype) else {
            throw .invalidOption(name: "vtype", value: options.vtype.rawValue,
                                 expected: "\(vtypes.map(\.rawValue).joined(separator: " or ")) for measure \(measure.rawValue)")
        }
        var effects: CalculatedEffects
        switch measure.family {
        case .twoByTwo: effects = try TwoByTwoCalculator.compute(input, options: options, labels: labels)
        case .matchedPairs: effects = try MatchedPairsCalculator.compute(input, options: options, labels: labels)
        case .twoGroupContinuous: effects = try TwoGroupContinuousCalculator.compute(input, vtype: options.vtype, correct: options.correct, labels: labels)
        case .singleGroupContinuous: effects = try SingleGroupContinuousCalculator.compute(input, options: options)
        case .proportion: effects = try ProportionCalculator.compute(input, options: options, labels: labels)
        case .correlation: effects = try CorrelationCalculator.compute(input, vtype: options.vtype)
        case .partialCorrelation, .rSquared: effects = try PartialCorrelationCalculator.compute(input, vtype: options.vtype)
        case .personTimeTwoGroup, .personTimeSingleGroup:
            effects = try PersonTimeCalculator.compute(input, options: options, labels: labels)
        case .paired: effects = try PairedCalculator.compute(input, options: options)
        case .areaUnderCurve: effects = try AreaUnderCurveCalculator.compute(input, vtype: options.vtype)
        case .reliability: effects = try ReliabilityCalculator.compute(input)
        case .genotypes: effects = try GenotypeCalculator.compute(input, options: options, labels: labels)
        case .precomputed: effects = try PrecomputedCalculator.compute(input)
        }
        // metafor reports an infinite or undefined yi/vi as NA.
        for i in 0..<effects.yi.count where !effects.dropped[i] && !(effects.yi[i].isFinite && effects.vi[i].isFinite) {
            effects.yi[i] = .nan
            effects.vi[i] = .nan
            effects.diagnostics.append(.notEstimable(study: labels[i], row: i + 1))
        }
        effects.diagnostics += renamed
        let diagnostics = effects.diagnostics.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
        return EffectSizes(measure: measure, studies: labels, yi: effects.yi, vi: effects.vi,
                           level: options.level, diagnostics: diagnostics)
    }
}
