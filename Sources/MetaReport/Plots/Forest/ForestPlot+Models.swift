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

/// What a forest plot built from a model shows besides the model: title, extra text columns and notes.
public struct ForestPlotSettings: Sendable {
    public var title: String?
    public var transform: ForestPlotTransform
    /// The back-transformation of the measure (`EffectMeasure.backTransformation`, which needs the harmonic
    /// mean n for PFT); nil shows values as analysed.
    public var backTransformation: BackTransformation?
    /// Extra text columns, and their texts for every row of the effect sizes (including studies left out).
    public var columns: [ForestPlot.Column]
    public var values: [[String]]
    /// Notes about the input (omitted studies, continuity corrections), printed under the plot.
    public var notes: [String]

    public init(title: String? = nil, transform: ForestPlotTransform = .auto, backTransformation: BackTransformation? = nil,
                columns: [ForestPlot.Column] = [], values: [[String]] = [], notes: [String] = []) {
        self.title = title
        self.transform = transform
        self.backTransformation = backTransformation
        self.columns = columns
        self.values = values
        self.notes = notes
    }
}

extension ForestPlot {
    /// A forest plot of `model`, fitted to the available studies of `effectSizes` (in their order): one row
    /// per study of `effectSizes` (those the model left out as "not estimable"), with the study's Wald CI
    /// (`EffectSizes.confidenceInterval()`), its weight, the pooled diamond, the prediction interval
    /// (random-effects models) and the heterogeneity statistics.
    ///
    /// A single study is not pooled: there is no diamond, weight or prediction interval, and a note says
    /// that heterogeneity is undefined (a "pooled" estimate would only repeat the study with a 100 % weight).
    public init(effectSizes: EffectSizes, model: RandomEffectsModel, settings: ForestPlotSettings = ForestPlotSettings()) {
        let used = effectSizes.availableIndices
        precondition(used.count == model.studyCount, "the model is fitted to the available studies")
        let display = ForestDisplay(measure: effectSizes.measure, settings: settings)
        let pooled = model.studyCount >= 2
        var weights = [Int: Double]()
        if pooled { for (j, row) in used.enumerated() { weights[row] = model.weightsPercent[j] } }
        let rows = display.rows(effectSizes, indices: Array(effectSizes.yi.indices), weights: weights, values: settings.values)
        var footnotes = [display.studyIntervalNote(level: effectSizes.level)]
        if pooled {
            footnotes.insert(Self.modelNote(model), at: 0)
            footnotes.append(Self.overallTest(model))
            if let note = Self.omittedPredictionNote([model]) { footnotes.append(note) }
        } else {
            footnotes.insert("One study: no pooled estimate; heterogeneity (τ², I², Q) is undefined.", at: 0)
        }
        footnotes += display.transformNote.map { [$0] } ?? []
        footnotes += Self.compacted(settings.notes)
        self.init(
            title: settings.title, rows: rows,
            overall: pooled ? display.summary(model, label: Self.modelLabel(model), weight: 100) : nil,
            footnotes: footnotes, columns: settings.columns, estimateHeader: display.estimateHeader(level: model.options.level),
            nullValue: display.nullValue, scale: display.scale, axisLabel: display.axisLabel)
    }

    /// A forest plot of a subgroup analysis: a block per level of the grouping column with its studies (weights
    /// within the subgroup), the subgroup's diamond, prediction interval and heterogeneity, then the model of
    /// all studies (`overall`) and the test for subgroup differences (separate τ², as RevMan; the common-τ²
    /// moderator test as a note).
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
                                rows: display.rows(effectSizes, indices: members, weights: [:], values: settings.values),
                                note: "No estimable study: not pooled.")
            }
            let model = fitted.model
            var weights = [Int: Double]()
            if model.studyCount >= 2 {
                for (j, row) in fitted.rows.enumerated() { weights[used[row]] = model.weightsPercent[j] }
            }
            let rows = display.rows(effectSizes, indices: members, weights: weights, values: settings.values)
            guard model.studyCount >= 2 else {
                return Subgroup(title: "\(analysis.groupColumn): \(level)", rows: rows,
                                note: "One study: not pooled; heterogeneity undefined.")
            }
            return Subgroup(title: "\(analysis.groupColumn): \(level)", rows: rows,
                            summary: display.summary(model, label: "Subtotal (k = \(model.studyCount))", weight: 100))
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
        self.init(
            title: settings.title, subgroups: blocks,
            overall: overall.studyCount >= 2 ? display.summary(overall, label: Self.modelLabel(overall), weight: nil) : nil,
            subgroupTest: "Test for subgroup differences (separate τ²): Q = \(Self.number(q, digits: 2)), df = \(df), \(Self.pText(analysis.betweenGroupsPValue))",
            footnotes: footnotes, columns: settings.columns, estimateHeader: display.estimateHeader(level: overall.options.level),
            nullValue: display.nullValue, scale: display.scale, axisLabel: display.axisLabel)
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

    static func overallTest(_ model: RandomEffectsModel) -> String {
        let statistic = model.testUsed.usesTDistribution ? "t" : "z"
        return "Test for overall effect: \(statistic) = \(number(model.statistic, digits: 2)), \(pText(model.pValue))."
    }

    static func heterogeneity(_ model: RandomEffectsModel) -> String? {
        guard let q = model.cochranQ, let p = model.cochranQPValue else { return nil }
        var parts: [String] = []
        if !model.isCommonEffect {
            // Two decimals hide a small τ² (0.03 vs 0.0328); small values keep three significant digits.
            let tau2 = model.tauSquared
            parts.append("τ² = " + number(tau2, digits: tau2 >= 0.1 || tau2 == 0 ? 2 : (tau2 >= 0.01 ? 3 : 4)))
        }
        if let i2 = model.iSquared { parts.append("I² = \(number(i2, digits: 0))%") }
        parts.append("Q = \(number(q, digits: 2)), df = \(model.cochranQDegreesOfFreedom), \(pText(p))")
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
private struct ForestDisplay {
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

    /// The rows `indices` of the effect sizes; studies with NA values show as "not estimable".
    func rows(_ sizes: EffectSizes, indices: [Int], weights: [Int: Double], values: [[String]]) -> [ForestPlot.Row] {
        let ci = sizes.confidenceInterval()
        return indices.map { i in
            let estimable = sizes.yi[i].isFinite && sizes.vi[i].isFinite
            return ForestPlot.Row(label: sizes.studies[i], estimate: estimable ? shown(sizes.yi[i]) : .nan,
                                  lower: estimable ? shown(ci.lower[i]) : .nan, upper: estimable ? shown(ci.upper[i]) : .nan,
                                  weightPercent: weights[i], values: i < values.count ? values[i] : [])
        }
    }

    func summary(_ model: RandomEffectsModel, label: String, weight: Double?) -> ForestPlot.Summary {
        let p = model.prediction
        let showsPrediction = ForestPlot.drawsPredictionInterval(model)
        return ForestPlot.Summary(
            label: label, estimate: shown(p.estimate), lower: shown(p.confidenceLower), upper: shown(p.confidenceUpper),
            predictionLower: showsPrediction ? shown(p.predictionLower) : nil,
            predictionUpper: showsPrediction ? shown(p.predictionUpper) : nil,
            weightPercent: weight, heterogeneity: ForestPlot.heterogeneity(model))
    }
}
