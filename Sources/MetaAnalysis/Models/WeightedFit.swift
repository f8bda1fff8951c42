/// The weighted least-squares fit of the fixed part at one value of τ², with weights w_i = 1/(v_i + τ²):
/// every quantity the τ² estimators, tests and likelihoods need.
///
/// With W = diag(w), P = W − W X (XᵀWX)⁻¹ XᵀW (Viechtbauer 2005, section 2): `residualQ` = YᵀPY (the Q
/// statistic at τ²), `residualQPP` = YᵀPPY, `traceP` = tr(P), `tracePP` = tr(PP).
public struct WeightedFit: Sendable, Equatable {
    public var tauSquared: Double
    /// Σ w_i = tr(W).
    public var sumOfWeights: Double
    /// Σ w_i² = tr(WW).
    public var sumOfSquaredWeights: Double
    /// YᵀPY = Σ w_i (y_i − x_iᵀβ̂)².
    public var residualQ: Double
    /// YᵀPPY.
    public var residualQPP: Double
    /// YᵀPPPY (for the exact derivative of the likelihood scores: d(YᵀPPY)/dτ² = −2 YᵀPPPY).
    public var residualQPPP: Double
    public var traceP: Double
    public var tracePP: Double
    /// Σ log(v_i + τ²).
    public var sumLogVariances: Double
    /// log det(XᵀWX).
    public var logDetInformation: Double
    /// log det(XᵀX), the constant metafor adds to the restricted likelihood.
    public var logDetDesign: Double

    public init(tauSquared: Double, sumOfWeights: Double, sumOfSquaredWeights: Double, residualQ: Double,
                residualQPP: Double, residualQPPP: Double, traceP: Double, tracePP: Double, sumLogVariances: Double,
                logDetInformation: Double, logDetDesign: Double) {
        self.tauSquared = tauSquared
        self.sumOfWeights = sumOfWeights
        self.sumOfSquaredWeights = sumOfSquaredWeights
        self.residualQ = residualQ
        self.residualQPP = residualQPP
        self.residualQPPP = residualQPPP
        self.traceP = traceP
        self.tracePP = tracePP
        self.sumLogVariances = sumLogVariances
        self.logDetInformation = logDetInformation
        self.logDetDesign = logDetDesign
    }
}
