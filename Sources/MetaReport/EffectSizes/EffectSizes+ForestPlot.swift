import MetaAnalysis

extension EffectSizes {
    /// One forest-plot row per study: the effect size with its normal-theory CI at the sizes' level
    /// (`confidenceInterval()`), labelled by study. Studies with NA values become "not estimable" rows.
    ///
    /// - Parameter weightsPercent: the model's weights in percent, one per study (nil: equal squares).
    public func forestPlotRows(weightsPercent: [Double]? = nil) -> [ForestPlot.Row] {
        precondition(weightsPercent == nil || weightsPercent!.count == count, "one weight per study")
        let ci = confidenceInterval()
        return (0..<count).map { i in
            ForestPlot.Row(label: studies[i], estimate: yi[i], lower: ci.lower[i], upper: ci.upper[i],
                           weightPercent: weightsPercent?[i])
        }
    }
}

extension PlotScale {
    /// The scale a measure is plotted on: `.log` for the ratio measures analysed as log ratios (RR, OR,
    /// PETO, ROM, IRR), whose axes then show ratios with a line of no effect at 1; `.identity` otherwise.
    public init(measure: EffectMeasure) {
        switch measure {
        case .logRiskRatio, .logOddsRatio, .petoLogOddsRatio, .logRatioOfMeans, .logIncidenceRateRatio: self = .log
        default: self = .identity
        }
    }
}
