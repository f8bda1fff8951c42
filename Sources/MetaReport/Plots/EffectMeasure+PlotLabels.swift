import MetaAnalysis

extension EffectMeasure {
    /// How every plot names this measure: the abbreviation of a column header and the title of the effect axis.
    ///
    /// - Parameters:
    ///   - scale: `.log` when ratios are drawn on a log axis labelled with the ratios (then "Risk ratio (log scale)");
    ///     `.identity` when values are shown on the scale of analysis ("Log risk ratio").
    ///   - backTransformed: whether transformed proportions, correlations and rates are shown back-transformed
    ///     ("Proportion" rather than "Logit proportion").
    public func plotLabels(scale: PlotScale, backTransformed: Bool = false) -> (abbreviation: String, axisTitle: String) {
        let log = scale == .log
        switch self {
        case .logRiskRatio: return log ? ("RR", "Risk ratio (log scale)") : ("log RR", "Log risk ratio")
        case .logOddsRatio: return log ? ("OR", "Odds ratio (log scale)") : ("log OR", "Log odds ratio")
        case .petoLogOddsRatio: return log ? ("Peto OR", "Peto odds ratio (log scale)") : ("log OR", "Peto log odds ratio")
        case .logRatioOfMeans: return log ? ("ROM", "Ratio of means (log scale)") : ("log ROM", "Log ratio of means")
        case .logIncidenceRateRatio: return log ? ("IRR", "Incidence rate ratio (log scale)") : ("log IRR", "Log incidence rate ratio")
        case .riskDifference: return ("RD", "Risk difference")
        case .arcsineRiskDifference: return ("AS", "Arcsine risk difference")
        case .meanDifference: return ("MD", "Mean difference")
        case .standardizedMeanDifference: return ("SMD", "Standardized mean difference (Hedges' g)")
        case .heteroscedasticStandardizedMeanDifference: return ("SMDH", "Standardized mean difference (heteroscedastic)")
        case .proportion: return ("Proportion", "Proportion")
        case .logProportion: return backTransformed ? ("Proportion", "Proportion") : ("log p", "Log proportion")
        case .logitProportion: return backTransformed ? ("Proportion", "Proportion") : ("logit p", "Logit proportion")
        case .arcsineProportion: return backTransformed ? ("Proportion", "Proportion") : ("arcsine", "Arcsine-transformed proportion")
        case .freemanTukeyProportion: return backTransformed ? ("Proportion", "Proportion") : ("FT", "Freeman–Tukey transformed proportion")
        case .correlation: return ("r", "Correlation")
        case .fisherZ: return backTransformed ? ("r", "Correlation") : ("z", "Fisher's z")
        case .incidenceRateDifference: return ("IRD", "Incidence rate difference")
        case .logIncidenceRate: return backTransformed ? ("Rate", "Incidence rate") : ("log rate", "Log incidence rate")
        case .incidenceRate: return ("Rate", "Incidence rate")
        case .meanChange: return ("MC", "Mean change")
        case .standardizedMeanChangeChangeScore: return ("SMCC", "Standardized mean change (change-score SD)")
        case .standardizedMeanChangeRawScore: return ("SMCR", "Standardized mean change (raw-score SD)")
        case .generic: return ("Estimate", "Effect size")
        }
    }

    /// The title of the effect axis (see ``plotLabels(scale:backTransformed:)``).
    public func axisTitle(scale: PlotScale, backTransformed: Bool = false) -> String {
        plotLabels(scale: scale, backTransformed: backTransformed).axisTitle
    }

    /// The axis title of a plot of pooled estimates (GOSH): "Pooled risk ratio (log scale)", "Pooled Fisher's z".
    public func pooledAxisTitle(scale: PlotScale, backTransformed: Bool = false) -> String {
        let title = axisTitle(scale: scale, backTransformed: backTransformed)
        // Titles that open with a person's name keep its capital.
        let named = title.hasPrefix("Fisher") || title.hasPrefix("Freeman") || title.hasPrefix("Peto")
        return "Pooled " + (named ? title : title.prefix(1).lowercased() + title.dropFirst())
    }
}
