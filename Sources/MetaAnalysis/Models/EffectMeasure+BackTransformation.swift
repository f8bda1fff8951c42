extension EffectMeasure {
    /// The back-transformation metafor's users apply to pooled results of this measure, or nil when the measure
    /// is already on its natural scale (RD, MD, SMD, PR, COR, ...).
    ///
    /// - Parameter harmonicMeanSampleSize: the harmonic mean of the studies' `ni`, needed by PFT only.
    public func backTransformation(harmonicMeanSampleSize: Double? = nil) -> BackTransformation? {
        switch self {
        case .logRiskRatio, .logOddsRatio, .petoLogOddsRatio, .logRatioOfMeans, .logIncidenceRateRatio,
             .logProportion, .logIncidenceRate:
            return .exp
        case .logitProportion: return .inverseLogit
        case .fisherZ: return .fisherZToCorrelation
        case .arcsineProportion: return .inverseArcsine
        case .freemanTukeyProportion:
            return harmonicMeanSampleSize.map { .inverseFreemanTukey(harmonicMeanN: $0) }
        default: return nil
        }
    }
}
