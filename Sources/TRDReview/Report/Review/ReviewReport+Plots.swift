#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis
import MetaReport

extension ReviewReport {
    /// An SVG file of the report.
    public struct Plot: Sendable {
        public var name: String
        public var title: String
        public var svg: String
    }

    /// The bar chart of studies by class and design, a forest plot per pooled rate (response and remission, by
    /// class), per group of controlled comparisons and per group of continuous comparisons.
    public func plots() -> [Plot] {
        var plots: [Plot] = [countsPlot()]
        for a in byClass {
            for p in a.pooled { plots.append(ratePlot(p)) }
        }
        var seenComparisons = Set<String>()
        for a in byClass {
            let groups = Dictionary(grouping: a.comparisons) { "\($0.treatmentClass.rawValue)-\($0.outcome.rawValue)-\($0.kind.rawValue)" }
            for key in groups.keys.sorted() where seenComparisons.insert(key).inserted {
                plots.append(comparisonPlot(key: key, comparisons: groups[key]!, analysis: a))
            }
        }
        if let a = byClass.first {
            let groups = Dictionary(grouping: a.continuous) { "\($0.treatmentClass.rawValue)-\($0.outcome.rawValue)-\($0.kind.rawValue)" }
            for key in groups.keys.sorted() { plots.append(continuousPlot(key: key, comparisons: groups[key]!, analysis: a)) }
        }
        return plots
    }

    func countsPlot() -> Plot {
        // The palette has eight colours: case reports and case series, and the qualitative and uncategorised
        // studies, share a bar segment each here (the counts table lists every design).
        let bands: [(String, [StudyDesign])] = [
            ("Observational", [.observational]), ("Double-blind placebo-controlled RCT", [.doubleBlindPlaceboControlledTrial]),
            ("Open-label trial", [.openLabelTrial]), ("Retrospective cohort", [.retrospectiveCohort]),
            ("Case report or series", [.caseReport, .caseSeries]), ("Pragmatic RCT", [.pragmaticTrial]),
            ("Pilot / phase I-II", [.pilotOrPhaseOneTwo]), ("Qualitative or not categorised", [.qualitative, .notCategorised]),
        ]
        let classes = TreatmentClass.allCases
        let chart = BarChart(
            title: "Included studies by treatment class and design (n = \(evidence.studies.count))",
            categories: classes.map(\.displayName),
            series: bands.map { band in
                BarChart.Series(name: band.0, values: classes.map { c in
                    Double(evidence.studies.filter { $0.treatmentClass == c && band.1.contains($0.design) }.count)
                })
            }.filter { $0.values.contains { $0 > 0 } },
            valueLabel: "Number of studies")
        return Plot(name: "counts-by-class-and-design.svg", title: chart.title!, svg: chart.svg())
    }

    func ratePlot(_ p: PooledRate) -> Plot {
        let rows = p.studies.map { s in
            ForestPlot.Row(label: s.study, estimate: 100 * s.proportion, lower: 100 * s.ciLower, upper: 100 * s.ciUpper,
                           weightPercent: p.k >= 2 ? s.weightPercent : nil, values: ["\(s.events)/\(s.total)"])
        }
        let overall = p.k >= 2 ? ForestPlot.Summary(
            label: "Pooled (\(p.model.rawValue))", estimate: 100 * p.estimate, lower: 100 * p.ciLower, upper: 100 * p.ciUpper,
            predictionLower: p.predictionLower.map { 100 * $0 }, predictionUpper: p.predictionUpper.map { 100 * $0 },
            values: ["\(p.totalEvents)/\(p.totalN)"],
            heterogeneity: "τ² = \(RateFormat.number(p.tauSquared ?? 0, digits: 3)); I² = \(RateFormat.iSquared(p.iSquared))") : nil
        let plot = ForestPlot(
            title: "\(p.label): \(p.outcome.rawValue) rate", rows: rows, overall: overall,
            footnotes: [p.k >= 2 ? "Model: \(p.model.displayName) on the logit scale; CI and PI back-transformed."
                : "One study: not pooled (heterogeneity undefined); its own logit-scale 95% CI, back-transformed."],
            columns: [ForestPlot.Column("Events/N")], estimateHeader: "% [95% CI]", digits: 1, axisLimits: 0...100)
        return Plot(name: "forest-rate-\(p.outcome.rawValue)-\(p.key.replacingSlashes()).svg",
                    title: "\(p.label): pooled \(p.outcome.rawValue) rate", svg: plot.svg())
    }

    func comparisonPlot(key: String, comparisons: [ControlledComparison], analysis: RateAnalysis) -> Plot {
        let first = comparisons[0]
        let rows = comparisons.map { c in
            ForestPlot.Row(label: comparisons.filter { $0.study == c.study }.count > 1 ? "\(c.study), v \(c.controlArm)" : c.study,
                           estimate: c.riskRatio.yi, lower: c.riskRatio.ciLower.logarithm, upper: c.riskRatio.ciUpper.logarithm,
                           values: ["\(c.activeEvents)/\(c.activeTotal)", "\(c.controlEvents)/\(c.controlTotal)"])
        }
        var overall: ForestPlot.Summary?
        var footnotes = ["Risk ratios with 95% Wald CIs (escalc). NNT: " + comparisons.map { "\($0.study) \($0.numberNeededToTreat)" }.joined(separator: "; ")]
        let poolKey = "\(first.treatmentClass.rawValue)/\(first.outcome.rawValue)/\(first.kind.rawValue)"
        if let pool = analysis.comparisonPools.first(where: { $0.key == poolKey }),
           let re = pool.randomEffects.first(where: { $0.measure == .logRiskRatio }) {
            overall = ForestPlot.Summary(label: "Random effects (\(re.method))", estimate: re.yi, lower: re.ciLower.logarithm,
                                         upper: re.ciUpper.logarithm,
                                         predictionLower: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? re.predictionLower?.logarithm : nil,
                                         predictionUpper: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? re.predictionUpper?.logarithm : nil)
            if let mh = pool.mantelHaenszel.first(where: { $0.measure == .logRiskRatio }) {
                footnotes.append("Mantel-Haenszel RR \(RateFormat.effect(mh)).")
            }
        } else {
            footnotes.append("Not pooled: fewer than two independent comparisons of this kind.")
        }
        let plot = ForestPlot(
            title: "\(first.treatmentClass.displayName): \(first.outcome.rawValue), \(first.kind.displayName)", rows: rows, overall: overall,
            footnotes: footnotes, columns: [ForestPlot.Column("Active"), ForestPlot.Column("Control")],
            estimateHeader: "RR [95% CI]", scale: .log, axisLabel: EffectMeasure.logRiskRatio.axisTitle(scale: .log),
            favoursLeft: "Favours control", favoursRight: "Favours active")
        return Plot(name: "forest-comparison-\(key).svg", title: plot.title!, svg: plot.svg())
    }

    func continuousPlot(key: String, comparisons: [ContinuousComparison], analysis: RateAnalysis) -> Plot {
        let first = comparisons[0]
        let rows = comparisons.map { c in
            ForestPlot.Row(label: analysis.continuousLabel(c), estimate: c.standardizedMeanDifference.estimate,
                           lower: c.standardizedMeanDifference.ciLower, upper: c.standardizedMeanDifference.ciUpper,
                           values: ["\(c.activeN)", "\(c.controlN)"])
        }
        var overall: ForestPlot.Summary?
        let poolKey = "\(first.treatmentClass.rawValue)/\(first.outcome.rawValue)/\(first.kind.rawValue)"
        if let pool = analysis.continuousPools.first(where: { $0.key == poolKey }) {
            let e = pool.pooled
            overall = ForestPlot.Summary(label: "Random effects (\(e.method), Knapp-Hartung)", estimate: e.estimate, lower: e.ciLower,
                                         upper: e.ciUpper,
                                         predictionLower: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? e.predictionLower : nil,
                                         predictionUpper: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? e.predictionUpper : nil,
                                         heterogeneity: "τ² = \(RateFormat.number(e.tauSquared ?? 0, digits: 3)); I² = \(RateFormat.iSquared(e.iSquared))")
        }
        let plot = ForestPlot(
            title: "\(first.treatmentClass.displayName): \(first.outcome.displayName), \(first.kind.displayName)", rows: rows, overall: overall,
            footnotes: ["Hedges' g (active minus control) of the change from baseline; negative favours the active arm."],
            columns: [ForestPlot.Column("n active"), ForestPlot.Column("n control")], estimateHeader: "g [95% CI]",
            axisLabel: EffectMeasure.standardizedMeanDifference.axisTitle(scale: .identity), favoursLeft: "Favours active", favoursRight: "Favours control")
        return Plot(name: "forest-smd-\(key).svg", title: plot.title!, svg: plot.svg())
    }
}

extension Double {
    var logarithm: Double { log(self) }
}

extension String {
    func replacingSlashes() -> String { String(map { $0 == "/" ? "-" : $0 }) }
}
