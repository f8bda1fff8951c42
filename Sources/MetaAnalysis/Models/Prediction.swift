/// The pooled estimate with its confidence and prediction intervals (metafor's `predict(res)`).
///
/// PI = μ̂ ∓ c·√(SE² + τ̂²) with c from `RandomEffectsOptions.predictionInterval`: by default the test's critical
/// value (normal for z, t(k − p) otherwise), as metafor; Higgins, Thompson & Spiegelhalter (2009) and Riley, Higgins &
/// Deeks (2011) use t(k − 2) (`.riley`).
public struct Prediction: Sendable, Equatable {
    public var estimate: Double
    /// Standard error of μ̂ (nil once back-transformed).
    public var standardError: Double?
    public var confidenceLower: Double
    public var confidenceUpper: Double
    public var predictionLower: Double
    public var predictionUpper: Double

    public init(estimate: Double, standardError: Double?, confidenceLower: Double, confidenceUpper: Double,
                predictionLower: Double, predictionUpper: Double) {
        self.estimate = estimate
        self.standardError = standardError
        self.confidenceLower = confidenceLower
        self.confidenceUpper = confidenceUpper
        self.predictionLower = predictionLower
        self.predictionUpper = predictionUpper
    }

    /// Every bound mapped through `transformation` (monotone increasing, so bounds stay ordered).
    public func transformed(by transformation: BackTransformation) -> Prediction {
        Prediction(estimate: transformation.apply(estimate), standardError: nil,
                   confidenceLower: transformation.apply(confidenceLower), confidenceUpper: transformation.apply(confidenceUpper),
                   predictionLower: transformation.apply(predictionLower), predictionUpper: transformation.apply(predictionUpper))
    }
}

extension RandomEffectsModel {
    /// The pooled estimate, its CI and the prediction interval for a new study's true effect.
    public var prediction: Prediction {
        let c = options.predictionInterval.criticalValue(studyCount: studyCount, coefficientCount: coefficientCount,
                                                         alpha: options.alpha, testCritical: criticalValue)
        let half = c * (standardError * standardError + tauSquared).squareRoot()
        return Prediction(estimate: estimate, standardError: standardError, confidenceLower: confidenceLower,
                          confidenceUpper: confidenceUpper, predictionLower: estimate - half, predictionUpper: estimate + half)
    }
}
