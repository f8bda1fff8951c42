import MetaAnalysis

/// The scale a forest plot built from a model shows its values on.
public enum ForestPlotTransform: String, CaseIterable, Sendable {
    /// Ratio measures as ratios on a log axis; proportions, rates and correlations analysed on a transformed
    /// scale (logit, log, arcsine, Freeman–Tukey, Fisher's z) back-transformed to their natural scale
    /// (metafor's `forest(res, transf = ...)`, `atransf = exp`); everything else as analysed.
    case auto
    /// Everything on the scale of analysis (log ratios, logits, Fisher's z, ...).
    case none
}

/// The order of the studies in a forest plot (within each subgroup).
public enum ForestPlotOrder: String, CaseIterable, Sendable {
    /// As in the data.
    case input
    /// By year (`ForestPlotSettings.years`), oldest first; ties keep the data's order.
    case year
    /// By weight in the model, largest first.
    case weight
    /// By effect estimate, smallest first.
    case effect
}

/// What a forest plot built from a model shows besides the model: title, extra text columns, order, labels and notes.
public struct ForestPlotSettings: Sendable {
    public var title: String?
    public var transform: ForestPlotTransform
    /// The back-transformation of the measure (`EffectMeasure.backTransformation`, which needs the harmonic
    /// mean n for PFT); nil shows values as analysed.
    public var backTransformation: BackTransformation?
    /// Per-arm columns (events/total, mean/SD/total, …) drawn first, with totals on the pooled rows.
    public var armColumns: ForestArmColumns?
    /// Extra text columns, and their texts for every row of the effect sizes (including studies left out).
    public var columns: [ForestPlot.Column]
    public var values: [[String]]
    /// Notes about the input (omitted studies, continuity corrections), printed under the plot.
    public var notes: [String]
    public var order: ForestPlotOrder
    /// The year of every row of the effect sizes, for ``ForestPlotOrder/year`` (nil sorts last).
    public var years: [Double?]
    /// Texts under the axis left and right of the line of no effect; nil gives "Favours experimental" and
    /// "Favours control" (RevMan's sides) for measures comparing two groups, and none otherwise.
    public var favoursLeft: String?
    public var favoursRight: String?
    /// Axis limits in displayed units (ratios for ratio measures); nil chooses them from the data.
    public var axisLimits: ClosedRange<Double>?
    public var style: PlotStyle

    public init(title: String? = nil, transform: ForestPlotTransform = .auto, backTransformation: BackTransformation? = nil,
                armColumns: ForestArmColumns? = nil, columns: [ForestPlot.Column] = [], values: [[String]] = [],
                notes: [String] = [], order: ForestPlotOrder = .input, years: [Double?] = [],
                favoursLeft: String? = nil, favoursRight: String? = nil, axisLimits: ClosedRange<Double>? = nil,
                style: PlotStyle = PlotStyle()) {
        self.title = title
        self.transform = transform
        self.backTransformation = backTransformation
        self.armColumns = armColumns
        self.columns = columns
        self.values = values
        self.notes = notes
        self.order = order
        self.years = years
        self.favoursLeft = favoursLeft
        self.favoursRight = favoursRight
        self.axisLimits = axisLimits
        self.style = style
    }

    /// The arm columns followed by the extra columns.
    var allColumns: [ForestPlot.Column] { (armColumns?.columns ?? []) + columns }

    /// The texts of every column for row `i`.
    func texts(_ i: Int) -> [String] {
        let arms = armColumns.map { i < $0.values.count ? $0.values[i] : Array(repeating: "", count: $0.columns.count) } ?? []
        return arms + (i < values.count ? values[i] : [])
    }

    /// The pooled row's texts over the rows `indices`: arm totals, blanks for the extra columns.
    func totals(_ indices: [Int]) -> [String] {
        (armColumns?.totals(of: indices) ?? []) + Array(repeating: "", count: columns.count)
    }

    func favours(_ measure: EffectMeasure) -> (String?, String?) {
        let twoGroups = [.twoByTwo, .twoGroupContinuous, .personTimeTwoGroup].contains(measure.family)
        return (favoursLeft ?? (twoGroups ? "Favours experimental" : nil), favoursRight ?? (twoGroups ? "Favours control" : nil))
    }
}

extension ForestPlot {
    /// A forest plot of `model`, fitted to the available studies of `effectSizes` (in their order): one row
    /// per study of `effectSizes` (those the model left out as "not estimable"), with the study's Wald CI
    /// (`EffectSizes.confidenceInterval()`), its weight, the pooled diamond, the prediction interval
    /// (random-effects models), the heterogeneity statistics and the test for the overall effect.
    ///
    /// A single study, or no model, is not pooled: there is no diamond, weight or prediction interval, and a note
    /// says that heterogeneity is undefined (a "pooled" estimate would only repeat the study with a 100 % weight).
    public init(effectSizes: EffectSizes, model: RandomEffectsModel?, settings: ForestPlotSettings = ForestPlotSettings()) {
        let used = effectSizes.availableIndices
        precondition(model == nil || used.count == model!.studyCount, "the model is fitted to the available studies")
        let display = ForestDisplay(measure: effectSizes.measure, settings: settings)
        let pooledModel = model.flatMap { $0.studyCount >= 2 ? $0 : nil }
        var weights = [Int: Double]()
        if let pooledModel { for (j, row) in used.enumerated() { weights[row] = pooledModel.weightsPercent[j] } }
        let rows = display.rows(effectSizes, indices: Array(effectSizes.yi.indices), weights: weights, settings: settings)
        var footnotes = [display.studyIntervalNote(level: effectSizes.level)]
        if let pooledModel {
            footnotes.insert(Self.modelNote(pooledModel), at: 0)
            if let note = Self.omittedPredictionNote([pooledModel]) { footnotes.append(note) }
        } else {
            footnotes.insert(used.count == 1 ? "One study: no pooled estimate; heterogeneity (τ², I², Q) is undefined."
                                             : "Not pooled.", at: 0)
        }
        footnotes += display.transformNote.map { [$0] } ?? []
        footnotes += Self.compacted(settings.notes)
        self.init(settings: settings, display: display, level: model?.options.level ?? effectSizes.level, rows: rows,
                  overall: pooledModel.map { display.summary($0, label: Self.modelLabel($0), weight: 100, values: settings.totals(used)) },
                  footnotes: footnotes)
    }

    /// A forest plot of a subgroup analysis: a block per level of the grouping column with its studies (weights
    /// within the subgroup), the subgroup's diamond, prediction interval, heterogeneity and test for the overall
    /// effect, then the model of all studies (`overall`) and the test for subgroup differences (separate τ², as
    /// RevMan; the common-τ² moderator test as a note).
    ///
    /// - Parameter groups: the level of every row of `effectSizes` (including studies left out).
    public init(effectSizes: EffectSizes, subgroups analysis: SubgroupAnalysis, overall: RandomEffectsModel, groups: [String],
                settings: ForestPlotSettings = ForestPlotSettings()) {
        precondition(groups.count == effectSizes.count, "one level per row of the effect sizes")
        let used = effectSizes.availableIndices
        let display = ForestDisplay(measure: effectSizes.measure, settings: settings)
        var levels = analysis.levels
        for level in DesignMatrix.sortedLevels(groups) where !levels.contains(level) { levels.append(level) }
        let blocks = levels.map { level -> Subgroup in
            let members = groups.indices.filter { groups[$0] == level }
            guard let fitted = analysis.subgroups.first(where: { $0.level == level }) else {
                return Subgroup(title: "\(analysis.groupColumn): \(level)",
                                rows: display.rows(effectSizes, indices: members, weights: [:], settings: settings),
                                note: "No estimable study: not pooled.")
            }
            let model = fitted.model
            var weights = [Int: Double]()
            if model.studyCount >= 2 {
                for (j, row) in fitted.rows.enumerated() { weights[used[row]] = model.weightsPercent[j] }
            }
            let rows = display.rows(effectSizes, indices: members, weights: weights, settings: settings)
            guard model.studyCount >= 2 else {
                return Subgroup(title: "\(analysis.groupColumn): \(level)", rows: rows,
                                note: "One study: not pooled; heterogeneity undefined.")
            }
            return Subgroup(title: "\(analysis.groupColumn): \(level)", rows: rows,
                            summary: display.summary(model, label: "Subtotal (k = \(model.studyCount))", weight: 100,
                                                     values: settings.totals(fitted.rows.map { used[$0] })))
        }
        let q = analysis.betweenGroupsQ, df = analysis.betweenGroupsDegreesOfFreedom
        var footnotes = [Self.modelNote(overall), "Weights are within subgroups; subgroup estimates use the same model.",
                         display.studyIntervalNote(level: effectSizes.level)]
        if let test = analysis.commonTauSquaredModel.moderatorTest {
            let statistic = test.denominatorDegreesOfFreedom.map { "F(\(test.numeratorDegreesOfFreedom), \($0))" } ?? "QM"
            footnotes.append("With a common τ² (meta-regression on \(analysis.groupColumn)): \(statistic) = "
                + "\(Self.number(test.statistic, digits: 2)), \(Self.pText(test.pValue)).")
        }
        let pooledModels = analysis.subgroups.map(\.model).filter { $0.studyCount >= 2 } + (overall.studyCount >= 2 ? [overall] : [])
        if let note = Self.omittedPredictionNote(pooledModels) { footnotes.append(note) }
        footnotes += display.transformNote.map { [$0] } ?? []
        footnotes += Self.compacted(settings.notes)
        // I² of the subgroup differences (Higgins & Thompson 2002 applied to the between-subgroup Q, as RevMan).
        let i2 = q > 0 && df > 0 ? Swift.max(0, (q - Double(df)) / q) * 100 : 0
        self.init(settings: settings, display: display, level: overall.options.level, rows: [], subgroups: blocks,
                  overall: overall.studyCount >= 2
                      ? display.summary(overall, label: Self.modelLabel(overall), weight: nil, values: settings.totals(used)) : nil,
                  subgroupTest: "Test for subgroup differences (separate τ²): χ² = \(Self.number(q, digits: 2)), df = \(df) "
                      + "(\(Self.pText(analysis.betweenGroupsPValue))); I² = \(Self.number(i2, digits: 0))%",
                  footnotes: footnotes)
    }

    /// The shared part of the two initialisers above: presentation settings and the measure's display.
    private init(settings: ForestPlotSettings, display: ForestDisplay, level: Double, rows: [Row], subgroups: [Subgroup] = [],
                 overall: Summary?, subgroupTest: String? = nil, footnotes: [String]) {
        let (left, right) = settings.favours(display.measure)
        self.init(
            title: settings.title, rows: rows, subgroups: subgroups, overall: overall, subgroupTest: subgroupTest,
            footnotes: footnotes, columns: settings.allColumns, estimateHeader: display.estimateHeader(level: level),
            nullValue: display.nullValue, scale: display.scale, axisLabel: display.axisLabel,
            favoursLeft: display.nullValue?.isNaN == true ? nil : left, favoursRight: display.nullValue?.isNaN == true ? nil : right,
            axisLimits: settings.axisLimits, style: settings.style)
    }

    // MARK: Prediction interval

    /// Fewest studies for which a prediction interval is drawn. With k = 2 its t quantile has at most one degree of
    /// freedom (t₀.₉₇₅,₁ = 12.7) and τ² rests on one contrast, so the bar spans orders of magnitude and says nothing
    /// (metafor's forest plots likewise leave the interval out unless asked); k = 3 is the smallest that
    /// Higgins, Thompson & Spiegelhalter (2009, J R Stat Soc A 172:137) consider.
    public static let minimumStudiesForPredictionInterval = 3

    /// Whether a model's prediction interval is drawn: random-effects models of at least
    /// ``minimumStudiesForPredictionInterval`` studies whose interval is finite.
    public static func drawsPredictionInterval(_ model: RandomEffectsModel) -> Bool {
        let p = model.prediction
        return !model.isCommonEffect && model.studyCount >= minimumStudiesForPredictionInterval
            && p.predictionLower.isFinite && p.predictionUpper.isFinite
    }

    /// The footnote saying why a random-effects model's prediction interval is not drawn (nil when every one is).
    static func omittedPredictionNote(_ models: [RandomEffectsModel]) -> String? {
        let omitted = models.filter { !$0.isCommonEffect && !drawsPredictionInterval($0) }
        guard !omitted.isEmpty else { return nil }
        if omitted.allSatisfy({ $0.studyCount < minimumStudiesForPredictionInterval }) {
            return "No prediction interval drawn for fewer than \(minimumStudiesForPredictionInterval) studies: it would be uninformative."
        }
        return "No prediction interval drawn where it is not finite or rests on fewer than \(minimumStudiesForPredictionInterval) studies."
    }

    // MARK: Texts

    static func modelLabel(_ model: RandomEffectsModel) -> String {
        model.isCommonEffect ? "Common-effect model" : "Random-effects model (\(model.estimator.rawValue))"
    }

    static func modelNote(_ model: RandomEffectsModel) -> String {
        let kind = model.isCommonEffect ? "Common-effect model (inverse-variance weights)"
            : "Random-effects model, τ² by \(model.estimator.displayName)"
        let df = model.degreesOfFreedom.map { ", df = \($0)" } ?? ""
        let interval = drawsPredictionInterval(model) ? "; prediction interval for the effect in a new study" : ""
        let test: String
        switch model.testUsed {
        case .z: test = "z"
        case .t: test = "t"
        case .knha: test = "Knapp–Hartung"
        case .adhoc: test = "Knapp–Hartung (ad hoc)"
        }
        return "\(kind); test and CI: \(test)\(df)\(interval)."
    }

    /// "Test for overall effect: z = 3.70 (p < 0.001)", the line RevMan prints under each diamond.
    static func overallTest(_ model: RandomEffectsModel) -> String {
        let statistic = model.testUsed.usesTDistribution ? "t" + (model.degreesOfFreedom.map { "(\($0))" } ?? "") : "z"
        return "Test for overall effect: \(statistic) = \(number(model.statistic, digits: 2)) (\(pText(model.pValue)))"
    }

    /// "Heterogeneity: τ² = 0.31; χ² = 152.23, df = 12 (p < 0.001); I² = 92%", RevMan's line with Cochran's Q as χ².
    static func heterogeneity(_ model: RandomEffectsModel) -> String? {
        guard let q = model.cochranQ, let p = model.cochranQPValue else { return nil }
        var parts: [String] = []
        if !model.isCommonEffect {
            parts.append("τ² = " + tauSquaredText(model.tauSquared))
        }
        parts.append("χ² = \(number(q, digits: 2)), df = \(model.cochranQDegreesOfFreedom) (\(pText(p)))")
        if let i2 = model.iSquared { parts.append("I² = \(number(i2, digits: 0))%") }
        return "Heterogeneity: " + parts.joined(separator: "; ")
    }

    static func number(_ x: Double, digits: Int) -> String { PlotNumberFormat.fixed(x, digits: digits) }

    static func pText(_ p: Double) -> String {
        guard p.isFinite else { return "p = NA" }
        return p < 0.001 ? "p < 0.001" : "p = " + PlotNumberFormat.fixed(p, digits: 3)
    }

    /// At most four input notes, then how many more there are.
    static func compacted(_ notes: [String]) -> [String] {
        notes.count <= 4 ? notes : Array(notes.prefix(3)) + ["… and \(notes.count - 3) more notes (`metaswift pool` lists them)."]
    }
}

/// How a measure's values are shown: scale, value mapping, headers.
struct ForestDisplay {
    let measure: EffectMeasure
    let scale: PlotScale
    /// Maps a value on the scale of analysis to the plot's data units.
    let back: BackTransformation?
    let nullValue: Double?

    init(measure: EffectMeasure, settings: ForestPlotSettings) {
        self.measure = measure
        let ratio = PlotScale(measure: measure) == .log
        if settings.transform == .auto && ratio {
            scale = .log
            back = nil
            nullValue = nil
        } else if settings.transform == .auto, let b = settings.backTransformation {
            scale = .identity
            back = b
            // Proportions and rates have no value of "no effect"; a correlation of 0 is one.
            nullValue = measure == .fisherZ ? 0 : .nan
        } else {
            scale = .identity
            back = nil
            nullValue = measure.family == .proportion || measure == .logIncidenceRate || measure == .incidenceRate ? .nan : nil
        }
    }

    func shown(_ x: Double) -> Double { back.map { $0.apply(x) } ?? x }

    var name: (abbreviation: String, axis: String) {
        let labels = measure.plotLabels(scale: scale, backTransformed: back != nil)
        return (labels.abbreviation, labels.axisTitle)
    }

    var axisLabel: String { name.axis }

    func estimateHeader(level: Double) -> String {
        let percent = level > 1 ? level : level * 100
        return "\(name.abbreviation) [\(PlotNumberFormat.shortest(percent))% CI]"
    }

    func studyIntervalNote(level: Double) -> String {
        let percent = level > 1 ? level : level * 100
        return "Study intervals: \(PlotNumberFormat.shortest(percent))% Wald CIs of the effect sizes."
    }

    var transformNote: String? {
        if scale == .log { return "Analysed as log ratios; estimates and intervals shown as ratios (exp)." }
        guard let back else { return nil }
        return "Analysed on the \(measure.rawValue) scale; estimates and intervals back-transformed (\(back.name))."
    }

    /// The rows `indices` of the effect sizes in the settings' order; studies with NA values show as "not estimable".
    func rows(_ sizes: EffectSizes, indices: [Int], weights: [Int: Double], settings: ForestPlotSettings) -> [ForestPlot.Row] {
        let ci = sizes.confidenceInterval()
        let ordered: [Int]
        // Stable sorts; rows without a key (no year, not estimable, no weight) keep their order at the end.
        func sorted(by key: (Int) -> Double?) -> [Int] {
            let keyed = indices.enumerated().map { (position: $0.offset, index: $0.element, key: key($0.element)) }
            return keyed.sorted { a, b in
                switch (a.key, b.key) {
                case let (x?, y?): return x != y ? x < y : a.position < b.position
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a.position < b.position
                }
            }.map(\.index)
        }
        switch settings.order {
        case .input: ordered = indices
        case .year: ordered = sorted { i in i < settings.years.count ? settings.years[i].flatMap { $0.isFinite ? $0 : nil } : nil }
        case .weight: ordered = sorted { i in weights[i].map { -$0 } }
        case .effect: ordered = sorted { i in sizes.yi[i].isFinite && sizes.vi[i].isFinite ? sizes.yi[i] : nil }
        }
        return ordered.map { i in
            let estimable = sizes.yi[i].isFinite && sizes.vi[i].isFinite
            return ForestPlot.Row(label: sizes.studies[i], estimate: estimable ? shown(sizes.yi[i]) : .nan,
                                  lower: estimable ? shown(ci.lower[i]) : .nan, upper: estimable ? shown(ci.upper[i]) : .nan,
                                  weightPercent: weights[i], values: settings.texts(i))
        }
    }

    func summary(_ model: RandomEffectsModel, label: String, weight: Double?, values: [String]) -> ForestPlot.Summary {
        let p = model.prediction
        let showsPrediction = ForestPlot.drawsPredictionInterval(model)
        return ForestPlot.Summary(
            label: label, estimate: shown(p.estimate), lower: shown(p.confidenceLower), upper: shown(p.confidenceUpper),
            predictionLower: showsPrediction ? shown(p.predictionLower) : nil,
            predictionUpper: showsPrediction ? shown(p.predictionUpper) : nil,
            weightPercent: weight, values: values, heterogeneity: ForestPlot.heterogeneity(model),
            overallTest: ForestPlot.overallTest(model))
    }
}
