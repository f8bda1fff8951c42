import MetaAnalysis

/// One effect measure of a comparison: y and v on the analysis scale (log for RR and OR) and the estimate with
/// its CI on the reader's scale (ratios for RR and OR).
public struct ComparisonEffect: Sendable, Equatable {
    public var measure: EffectMeasure
    /// Method: `escalc` for one study, `MH` or a τ² estimator code for a pool.
    public var method: String
    public var yi: Double
    public var vi: Double
    public var estimate: Double
    public var ciLower: Double
    public var ciUpper: Double
    public var pValue: Double
    /// Random-effects pools only.
    public var tauSquared: Double?
    public var iSquared: Double?
    public var predictionLower: Double?
    public var predictionUpper: Double?

    public init(measure: EffectMeasure, method: String, yi: Double, vi: Double, estimate: Double, ciLower: Double,
                ciUpper: Double, pValue: Double, tauSquared: Double? = nil, iSquared: Double? = nil,
                predictionLower: Double? = nil, predictionUpper: Double? = nil) {
        self.measure = measure
        self.method = method
        self.yi = yi
        self.vi = vi
        self.estimate = estimate
        self.ciLower = ciLower
        self.ciUpper = ciUpper
        self.pValue = pValue
        self.tauSquared = tauSquared
        self.iSquared = iSquared
        self.predictionLower = predictionLower
        self.predictionUpper = predictionUpper
    }
}
