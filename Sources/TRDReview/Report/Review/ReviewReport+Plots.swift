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
        return plots
    }

    /// Every k = 1 rate of an outcome in one plot: each row is a study result with its exact interval, under its
    /// stratum; nothing is pooled.
    func studyResultsPlot(_ a: RateAnalysis) -> Plot {
        let subgroups = a.studyResults.map { r in
            ForestPlot.Subgroup(title: r.stratum.label, rows: [
                ForestPlot.Row(label: r.study, estimate: 100 * r.interval.proportion, lower: 100 * r.interval.lower, upper: 100 * r.interval.upper,
                               values: ["\(r.events)/\(r.total)\(r.countDerived ? "+" : "")"]),
            ], note: "Study result (k = 1): not pooled")
        }
        let plot = ForestPlot(
            title: "\(a.outcome.rawValue.capitalizedFirstLetter): single-study results (one study per stratum, not pooled)", rows: [],
            subgroups: subgroups, overall: nil,
            footnotes: ["Exact (Clopper-Pearson) 95% CIs. Each stratum holds one study, so no result is pooled and no heterogeneity exists.",
                        "+ counts back-calculated from printed percentages."],
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
            ForestPlot.Row(label: "\(s.study), \(s.arm.shortLabel)", estimate: 100 * s.proportion, lower: 100 * s.ciLower, upper: 100 * s.ciUpper,
                           weightPercent: s.weightPercent, values: ["\(s.events)/\(s.total)\(s.countDerived ? "+" : "")"])
        }
        let e = p.recommended ?? p.estimates[0]
        let q = p.cochranQ.map { "Q = \(RateFormat.number($0)), df = \(p.k - 1), p = \(RateFormat.number(p.cochranQPValue ?? .nan, digits: 3))" } ?? ""
        let overall = ForestPlot.Summary(
            label: "Pooled, \(e.method.displayName)", estimate: 100 * e.estimate, lower: 100 * e.ciLower, upper: 100 * e.ciUpper,
            predictionLower: e.predictionLower.map { 100 * $0 }, predictionUpper: e.predictionUpper.map { 100 * $0 },
            values: ["\(p.totalEvents)/\(p.totalN)"],
            heterogeneity: "Heterogeneity: τ² = \(RateFormat.number(p.tauSquared ?? 0, digits: 3)); I² = \(RateFormat.iSquared(p.iSquared)); \(q)")
        let others = p.estimates.filter { $0 != e }.map { "\($0.method.displayName): \(RateFormat.percentWithCI($0.estimate, $0.ciLower, $0.ciUpper))%" }
        let plot = ForestPlot(
            title: "\(p.label)", rows: rows, overall: overall,
            footnotes: ["Weights: logit random effects (REML). Pooled diamond: the recommended estimate for k = \(p.k)."]
                + (others.isEmpty ? [] : ["Other estimates: " + others.joined(separator: "; ") + "."])
                + (p.k < PooledRate.minimumStudiesForPrediction ? ["No prediction interval below k = \(PooledRate.minimumStudiesForPrediction)."] : []),
            columns: [ForestPlot.Column("Events/N")], estimateHeader: "% [95% CI]", nullValue: .nan, digits: 1, axisLimits: 0...100)
        return Plot(name: "forest-rate-\(p.outcome.rawValue)-\(p.key.replacingSlashes()).svg",
                    title: "\(p.label): pooled \(p.outcome.rawValue) rate (k = \(p.k))", svg: plot.svg())
    }

    func comparisonPlot(stratum: PoolingStratum, comparisons: [ControlledComparison], analysis: RateAnalysis) -> Plot {
        let rows = comparisons.map { c in
            ForestPlot.Row(label: c.study, estimate: c.riskRatio.yi, lower: c.riskRatio.ciLower.logarithm, upper: c.riskRatio.ciUpper.logarithm,
                           values: ["\(c.activeEvents)/\(c.activeTotal)\(c.countDerived ? "+" : "")", "\(c.controlEvents)/\(c.controlTotal)\(c.countDerived ? "+" : "")"])
        }
        var overall: ForestPlot.Summary?
        var footnotes = ["Risk ratios with 95% Wald CIs (escalc). NNT: " + comparisons.map { "\($0.study) \($0.numberNeededToTreat)" }.joined(separator: "; ")]
        for c in comparisons where c.alpha != 0.05 {
            footnotes.append("\(c.study): the trial's own threshold is P < \(RateFormat.number(c.alpha, digits: 3)); RD \(RateFormat.number(100 * c.riskDifference.estimate, digits: 1)) points, \(RateFormat.number(100 * (1 - c.alpha), digits: 1))% CI \(RateFormat.interval(c.riskDifferenceAtTrialAlpha.ciLower, c.riskDifferenceAtTrialAlpha.ciUpper, scale: 100)), p = \(RateFormat.number(c.riskDifference.pValue, digits: 3)).")
        }
        if let pool = analysis.comparisonPools.first(where: { $0.stratum == stratum }),
           let re = pool.randomEffects.first(where: { $0.measure == .logRiskRatio }) {
            overall = ForestPlot.Summary(label: "Random effects (\(re.method), Knapp-Hartung ad hoc)", estimate: re.yi, lower: re.ciLower.logarithm,
                                         upper: re.ciUpper.logarithm,
                                         predictionLower: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? re.predictionLower?.logarithm : nil,
                                         predictionUpper: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? re.predictionUpper?.logarithm : nil,
                                         heterogeneity: "Heterogeneity: τ² = \(RateFormat.number(re.tauSquared ?? 0, digits: 3)); I² = \(RateFormat.iSquared(re.iSquared)); test for the overall effect p = \(RateFormat.number(re.pValue, digits: 3))")
            if let mh = pool.mantelHaenszel.first(where: { $0.measure == .logRiskRatio }) {
                footnotes.append("Mantel-Haenszel RR \(RateFormat.effect(mh)).")
            }
        } else {
            footnotes.append(comparisons.count == 1 ? "One trial in this stratum: a study result, not pooled." : "Not pooled.")
        }
        let plot = ForestPlot(
            title: stratum.label, rows: rows, overall: overall,
            footnotes: footnotes, columns: [ForestPlot.Column("Active"), ForestPlot.Column("Control")],
            estimateHeader: "RR [95% CI]", scale: .log, axisLabel: EffectMeasure.logRiskRatio.axisTitle(scale: .log),
            favoursLeft: "Favours control", favoursRight: "Favours active")
        return Plot(name: "forest-comparison-\(stratum.key.replacingSlashes()).svg", title: plot.title!, svg: plot.svg())
    }

    func continuousPlot(stratum: PoolingStratum, comparisons: [ContinuousComparison], analysis: RateAnalysis) -> Plot {
        let rows = comparisons.map { c in
            ForestPlot.Row(label: analysis.continuousLabel(c), estimate: c.standardizedMeanDifference.estimate,
                           lower: c.standardizedMeanDifference.ciLower, upper: c.standardizedMeanDifference.ciUpper,
                           values: ["\(c.activeN)", "\(c.controlN)"])
        }
        var overall: ForestPlot.Summary?
        var footnotes = ["Hedges' g (active minus control); negative favours the active arm."]
        for c in comparisons where c.combinedArms { footnotes.append("\(c.study): arms combined on each side (one trial, counted once).") }
        for c in comparisons where c.analysisDependent {
            footnotes.append("\(c.study): endpoint g \(RateFormat.effect(c.endpointAlternative!)): change and endpoint analyses disagree.")
        }
        if let pool = analysis.continuousPools.first(where: { $0.stratum == stratum }) {
            let e = pool.pooled
            overall = ForestPlot.Summary(label: "Random effects (\(e.method), Knapp-Hartung ad hoc)", estimate: e.estimate, lower: e.ciLower,
                                         upper: e.ciUpper,
                                         predictionLower: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? e.predictionLower : nil,
                                         predictionUpper: pool.k >= ForestPlot.minimumStudiesForPredictionInterval ? e.predictionUpper : nil,
                                         heterogeneity: "Heterogeneity: τ² = \(RateFormat.number(e.tauSquared ?? 0, digits: 3)); I² = \(RateFormat.iSquared(e.iSquared)); test for the overall effect p = \(RateFormat.number(e.pValue, digits: 3))")
        } else {
            footnotes.append("One trial in this stratum: a study result, not pooled.")
        }
        let plot = ForestPlot(
            title: stratum.label, rows: rows, overall: overall,
            footnotes: footnotes,
            columns: [ForestPlot.Column("n active"), ForestPlot.Column("n control")], estimateHeader: "g [95% CI]",
            axisLabel: EffectMeasure.standardizedMeanDifference.axisTitle(scale: .identity), favoursLeft: "Favours active", favoursRight: "Favours control")
        return Plot(name: "forest-smd-\(stratum.key.replacingSlashes()).svg", title: plot.title!, svg: plot.svg())
    }
}

extension Double {
    var logarithm: Double { log(self) }
}

extension String {
    func replacingSlashes() -> String { String(map { $0 == "/" ? "-" : $0 }) }
}
