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
        case .commonLanguageEffectSizeNormal: return (rawValue, "Common language effect size")
        case .areaUnderCurveNormal: return (rawValue, "Area under the curve")
        case .commonLanguageEffectSize: return (rawValue, "Common language effect size")
        case .tetrachoricCorrelation: return (rawValue, "Tetrachoric correlation")
        case .fisherZTetrachoric: return (rawValue, "Fisher's z of the tetrachoric correlation")
        case .areaUnderCurve: return (rawValue, "Area under the curve")
        case .pairedCommonLanguageEffectSizeNormal: return (rawValue, "Common language effect size (paired)")
        case .pairedAreaUnderCurveNormal: return (rawValue, "Area under the curve (paired)")
        case .relativeExcessHeterozygosity: return (rawValue, "Log relative excess heterozygosity")
        case .phi: return (rawValue, "Phi coefficient")
        case .fisherZPhi: return (rawValue, "Fisher's z of phi")
        case .yuleQ: return (rawValue, "Yule's Q")
        case .yuleY: return (rawValue, "Yule's Y")
        case .probitDifference: return (rawValue, "Probit difference")
        case .oddsRatioToSMD: return (rawValue, "Log odds ratio as SMD (logistic)")
        case .oddsRatioToSMDNormal: return (rawValue, "Log odds ratio as SMD (normal)")
        case .oddsRatioToSMDLogistic: return (rawValue, "Log odds ratio as SMD (logistic)")
        case .matchedPairsRiskDifference: return (rawValue, "Risk difference (matched pairs)")
        case .matchedPairsLogRiskRatio: return (rawValue, "Log risk ratio (matched pairs)")
        case .matchedPairsLogOddsRatio: return (rawValue, "Marginal log odds ratio (matched pairs)")
        case .matchedPairsConditionalLogOddsRatio: return (rawValue, "Conditional log odds ratio (matched pairs)")
        case .matchedPairsPetoLogOddsRatio: return (rawValue, "Peto log odds ratio (matched pairs)")
        case .standardizedMeanDifferenceByGroup2: return (rawValue, "Standardized mean difference (group 2 SD)")
        case .heteroscedasticStandardizedMeanDifferenceByGroup2: return (rawValue, "Standardized mean difference (group 2 SD, heteroscedastic)")
        case .logVariabilityRatio: return (rawValue, "Log variability ratio")
        case .logCoefficientOfVariationRatio: return (rawValue, "Log coefficient of variation ratio")
        case .pointBiserialCorrelation: return (rawValue, "Point-biserial correlation")
        case .biserialCorrelation: return (rawValue, "Biserial correlation")
        case .fisherZPointBiserial: return (rawValue, "Fisher's z of the point-biserial correlation")
        case .fisherZBiserial: return (rawValue, "Fisher's z of the biserial correlation")
        case .smdToLogOddsRatio: return (rawValue, "SMD as log odds ratio (logistic)")
        case .smdToLogOddsRatioNormal: return (rawValue, "SMD as log odds ratio (normal)")
        case .smdToLogOddsRatioLogistic: return (rawValue, "SMD as log odds ratio (logistic)")
        case .mean: return (rawValue, "Mean")
        case .standardizedMean: return (rawValue, "Standardized mean")
        case .logStandardDeviation: return (rawValue, "Log standard deviation")
        case .logMean: return (rawValue, "Log mean")
        case .logCoefficientOfVariation: return (rawValue, "Log coefficient of variation")
        case .unbiasedCorrelation: return (rawValue, "Correlation (unbiased)")
        case .partialCorrelation: return (rawValue, "Partial correlation")
        case .fisherZPartialCorrelation: return (rawValue, "Fisher's z of the partial correlation")
        case .semiPartialCorrelation: return (rawValue, "Semi-partial correlation")
        case .fisherZSemiPartialCorrelation: return (rawValue, "Fisher's z of the semi-partial correlation")
        case .rSquared: return (rawValue, "R²")
        case .fisherZRSquared: return (rawValue, "Fisher's z of R")
        case .rawAlpha: return (rawValue, "Cronbach's alpha")
        case .hakstianWhalenAlpha: return (rawValue, "Hakstian–Whalen transformed alpha")
        case .bonettAlpha: return (rawValue, "Bonett-transformed alpha")
        case .probitProportion: return (rawValue, "Probit-transformed proportion")
        case .squareRootIncidenceRateDifference: return (rawValue, "Square-root incidence rate difference")
        case .squareRootIncidenceRate: return (rawValue, "Square-root incidence rate")
        case .freemanTukeyIncidenceRate: return (rawValue, "Freeman–Tukey transformed incidence rate")
        case .heteroscedasticStandardizedMeanChangeRawScore: return (rawValue, "Standardized mean change (raw-score SD, heteroscedastic)")
        case .standardizedMeanChangePooled: return (rawValue, "Standardized mean change (pooled SD)")
        case .heteroscedasticStandardizedMeanChangePooled: return (rawValue, "Standardized mean change (pooled SD, heteroscedastic)")
        case .pairedLogRatioOfMeans: return (rawValue, "Log ratio of means (paired)")
        case .pairedLogVariabilityRatio: return (rawValue, "Log variability ratio (paired)")
        case .pairedLogCoefficientOfVariationRatio: return (rawValue, "Log coefficient of variation ratio (paired)")
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
