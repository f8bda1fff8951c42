/// The pooled estimate with its confidence and prediction intervals (metafor's `predict(res)`).
///
/// PI = μ̂ ∓ c·√(SE² + τ̂²) with the test's critical value c (normal for z, t(k − p) otherwise): Higgins,
/// Thompson & Spiegelhalter (2009) use t(k − 2); metafor uses the test's distribution, which we follow.
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
        let half = criticalValue * (standardError * standardError + tauSquared).squareRoot()
        return Prediction(estimate: estimate, standardError: standardError, confidenceLower: confidenceLower,
                          confidenceUpper: confidenceUpper, predictionLower: estimate - half, predictionUpper: estimate + half)
    }
}
