#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis
import MetaData
import MetaReport

extension ReviewReport {
    /// An SVG file of the report.
    public struct Plot: Sendable {
        public var name: String
        public var title: String
        public var svg: String
    }

    /// The bar chart of studies by class and design, a forest plot of the single-study rate results per outcome
    /// (each a study result, no diamond), one per pooled rate stratum, and one per stratum of controlled
    /// comparisons and of continuous comparisons.
    public func plots() -> [Plot] {
        var plots: [Plot] = [countsPlot()]
        for a in byClass where !a.studyResults.isEmpty { plots.append(studyResultsPlot(a)) }
        for a in byClass {
            for p in a.pooled { plots.append(ratePlot(p)) }
        }
        var seenComparisons = Set<String>()
        for a in byClass {
            for (stratum, members) in EligibilityRules.group(a.comparisons, by: \.stratum) where seenComparisons.insert(stratum.key).inserted {
                plots.append(comparisonPlot(stratum: stratum, comparisons: members, analysis: a))
            }
        }
        if let a = byClass.first {
            for (stratum, members) in EligibilityRules.group(a.continuous, by: \.stratum) {
                plots.append(continuousPlot(stratum: stratum, comparisons: members, analysis: a))
            }
        }
        return plots + reportedContrastPlots()
    }

    /// Every k = 1 rate of an outcome in one plot: each row is a study result with its exact interval, under its
    /// stratum; nothing is pooled.
    func studyResultsPlot(_ a: RateAnalysis) -> Plot {
        let subgroups = a.studyResults.map { r in
            ForestPlot.Subgroup(title: r.stratum.label, rows: [
                ForestPlot.Row(label: PrimaryTimepoint.marked(r.study, r.primaryTimepoint), estimate: 100 * r.interval.proportion, lower: 100 * r.interval.lower, upper: 100 * r.interval.upper,
                               values: ["\(r.events)/\(r.total)\(r.countDerived ? "+" : "")"]),
            ], note: "Study result (k = 1): not pooled")
        }
        let plot = ForestPlot(
            title: "\(a.outcome.rawValue.capitalizedFirstLetter): single-study results (one study per stratum, not pooled)", rows: [],
            subgroups: subgroups, overall: nil,
            footnotes: ["Exact (Clopper-Pearson) 95% CIs. Each stratum holds one study, so no result is pooled and no heterogeneity exists.",
                        "+ counts back-calculated from printed percentages."]
                + (a.studyResults.contains { $0.primaryTimepoint == nil } ? [PrimaryTimepoint.legend + "."] : []),
            columns: [ForestPlot.Column("Events/N")], estimateHeader: "% [95% CI]", nullValue: .nan, digits: 1, axisLimits: 0...100)
        return Plot(name: "study-results-\(a.outcome.rawValue).svg", title: plot.title!, svg: plot.svg())
    }

    func countsPlot() -> Plot {
        // The palette has eight colours: case reports and case series, and the qualitative and uncategorised
        // studies, share a bar segment each here (the counts table lists every design).
        let bands: [(String, [ReviewDesignCategory])] = [
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
                    Double(evidence.studies.filter { $0.treatmentClass == c && band.1.contains($0.reviewDesign) }.count)
                })
            }.filter { $0.values.contains { $0 > 0 } },
            valueLabel: "Number of studies")
        return Plot(name: "counts-by-class-and-design.svg", title: chart.title!, svg: chart.svg())
    }

    func ratePlot(_ p: PooledRate) -> Plot {
        let rows = p.studies.map { s in
            ForestPlot.Row(label: PrimaryTimepoint.marked("\(s.study), \(s.arm.withoutParenthetical)", primaryFlag(rows: [s.row])), estimate: 100 * s.proportion, lower: 100 * s.ciLower, upper: 100 * s.ciUpper,
                           weightPercent: s.weightPercent, values: ["\(s.events)/\(s.total)\(s.countDerived ? "+" : "")"])
        }
        let e = p.recommended ?? p.estimates[0]
        let q = p.cochranQ.map { "χ² = \(RateFormat.number($0)), df = \(p.k - 1) (p = \(RateFormat.number(p.cochranQPValue ?? .nan, digits: 3)))" } ?? ""
        let overall = ForestPlot.Summary(
            label: "Pooled, \(e.method.displayName)", estimate: 100 * e.estimate, lower: 100 * e.ciLower, upper: 100 * e.ciUpper,
            predictionLower: e.predictionLower.map { 100 * $0 }, predictionUpper: e.predictionUpper.map { 100 * $0 },
            values: ["\(p.totalEvents)/\(p.totalN)"],
            heterogeneity: "Heterogeneity: τ² = \(RateFormat.number(p.tauSquared ?? 0, digits: 3)); \(q); I² = \(RateFormat.iSquared(p.iSquared))")
        let others = p.estimates.filter { $0 != e }.map { "\($0.method.displayName): \(RateFormat.percentWithCI($0.estimate, $0.ciLower, $0.ciUpper))%" }
        let plot = ForestPlot(
            title: "\(p.label)", rows: rows, overall: overall,
            footnotes: ["Weights: logit random effects (REML). Pooled diamond: the recommended estimate for k = \(p.k).",
                        "No test for an overall effect and no favours sides: a rate has no null value (the comparisons' plots carry both)."]
                + (others.isEmpty ? [] : ["Other estimates: " + others.joined(separator: "; ") + "."])
                + (p.k < PooledRate.minimumStudiesForPrediction ? ["No prediction interval below k = \(PooledRate.minimumStudiesForPrediction)."] : [])
                + (p.studies.contains { primaryFlag(rows: [$0.row]) == nil } ? [PrimaryTimepoint.legend + "."] : []),
            columns: [ForestPlot.Column("Events/N")], estimateHeader: "% [95% CI]", nullValue: .nan, digits: 1, axisLimits: 0...100)
        return Plot(name: "forest-rate-\(p.outcome.rawValue)-\(p.key.replacingSlashes()).svg",
                    title: "\(p.label): pooled \(p.outcome.rawValue) rate (k = \(p.k))", svg: plot.svg())
    }

    /// A controlled-comparison stratum as the one forest plot of the package draws a model (`ForestPlot(effectSizes:model:)`):
    /// events/total per arm, weights, the random-effects diamond with heterogeneity and the test for the overall effect.
    func comparisonPlot(stratum: PoolingStratum, comparisons: [ControlledComparison], analysis: RateAnalysis) -> Plot {
        let pool = analysis.comparisonPools.first(where: { $0.stratum == stratum })
        let sizes = EffectSizes(measure: .logRiskRatio, studies: comparisons.map { PrimaryTimepoint.marked($0.study, $0.primaryTimepoint) },
                                yi: pool?.riskRatioSizes?.yi ?? comparisons.map(\.riskRatio.yi),
                                vi: pool?.riskRatioSizes?.vi ?? comparisons.map(\.riskRatio.vi), level: analysis.options.level)
        let table = StudyData.twoByTwo(studies: comparisons.map(\.study), ai: comparisons.map { Double($0.activeEvents) },
                                       n1i: comparisons.map { Double($0.activeTotal) }, ci: comparisons.map { Double($0.controlEvents) },
                                       n2i: comparisons.map { Double($0.controlTotal) })
        var arms = try? ForestArmColumns.make(measure: .logRiskRatio, data: table, experimental: "Active", control: "Control")
        for (i, c) in comparisons.enumerated() where c.countDerived {
            for j in [0, 2] { arms?.values[i][j] += "+" }
        }
        var footnotes = ["NNT: " + comparisons.map { "\($0.study) \($0.numberNeededToTreat)" }.joined(separator: "; ")]
        if comparisons.contains(where: \.countDerived) { footnotes.append("+ counts back-calculated from printed percentages.") }
        if comparisons.contains(where: { $0.primaryTimepoint == nil }) { footnotes.append(PrimaryTimepoint.legend + ".") }
        for c in comparisons where c.alpha != 0.05 {
            footnotes.append("\(c.study): the trial's own threshold is P < \(RateFormat.number(c.alpha, digits: 3)); RD \(RateFormat.number(100 * c.riskDifference.estimate, digits: 1)) points, \(RateFormat.number(100 * (1 - c.alpha), digits: 1))% CI \(RateFormat.interval(c.riskDifferenceAtTrialAlpha.ciLower, c.riskDifferenceAtTrialAlpha.ciUpper, scale: 100)), p = \(RateFormat.number(c.riskDifference.pValue, digits: 3)).")
        }
        if let mh = pool?.mantelHaenszel.first(where: { $0.measure == .logRiskRatio }) {
            footnotes.append("Mantel-Haenszel RR \(RateFormat.effect(mh)).")
        }
        if comparisons.count == 1 { footnotes.append("One trial in this stratum: a study result, not pooled.") }
        var plot = ForestPlot(effectSizes: sizes, model: pool?.riskRatioModel, settings: ForestPlotSettings(
            title: stratum.label, armColumns: arms, favoursLeft: "Favours control", favoursRight: "Favours active"))
        plot.footnotes += footnotes
        return Plot(name: "forest-comparison-\(stratum.key.replacingSlashes()).svg", title: plot.title!, svg: plot.svg())
    }

    /// A continuous-outcome stratum drawn like `comparisonPlot`: mean, SD and n per arm, Hedges' g, the pooled model.
    func continuousPlot(stratum: PoolingStratum, comparisons: [ContinuousComparison], analysis: RateAnalysis) -> Plot {
        let pool = analysis.continuousPools.first(where: { $0.stratum == stratum })
        let sizes = EffectSizes(measure: .standardizedMeanDifference,
                                studies: comparisons.map { PrimaryTimepoint.marked(analysis.continuousLabel($0), $0.primaryTimepoint) },
                                yi: comparisons.map(\.standardizedMeanDifference.yi), vi: comparisons.map(\.standardizedMeanDifference.vi),
                                level: analysis.options.level)
        let table = StudyData.twoGroup(studies: sizes.studies, m1i: comparisons.map(\.activeMean), sd1i: comparisons.map(\.activeSD),
                                       n1i: comparisons.map { Double($0.activeN) }, m2i: comparisons.map(\.controlMean),
                                       sd2i: comparisons.map(\.controlSD), n2i: comparisons.map { Double($0.controlN) })
        let arms = try? ForestArmColumns.make(measure: .standardizedMeanDifference, data: table, experimental: "Active", control: "Control")
        var footnotes = ["Hedges' g (active minus control); negative favours the active arm."]
        for c in comparisons where c.combinedArms { footnotes.append("\(c.study): arms combined on each side (one trial, counted once).") }
        for c in comparisons where c.analysisDependent {
            footnotes.append("\(c.study): endpoint g \(RateFormat.effect(c.endpointAlternative!)): change and endpoint analyses disagree.")
        }
        if comparisons.contains(where: { $0.primaryTimepoint == nil }) { footnotes.append(PrimaryTimepoint.legend + ".") }
        if comparisons.count == 1 { footnotes.append("One trial in this stratum: a study result, not pooled.") }
        var plot = ForestPlot(effectSizes: sizes, model: pool?.fit, settings: ForestPlotSettings(
            title: stratum.label, armColumns: arms, favoursLeft: "Favours active", favoursRight: "Favours control"))
        plot.footnotes += footnotes
        return Plot(name: "forest-smd-\(stratum.key.replacingSlashes()).svg", title: plot.title!, svg: plot.svg())
    }
}

extension ReviewReport {
    /// The primary-timepoint flag of the outcome rows `rows` (`PrimaryTimepoint.combined`).
    func primaryFlag(rows: [Int]) -> Bool? {
        PrimaryTimepoint.combined(rows.map { r in evidence.outcomes.first { $0.row == r }?.primaryTimepoint })
    }
}

extension Double {
    var logarithm: Double { log(self) }
}

extension String {
    func replacingSlashes() -> String { String(map { $0 == "/" ? "-" : $0 }) }
}
