import MetaNumerics

extension MetaRegressionModel {
    /// The predicted true effect at design row `x` (length p): x ᵀβ̂ with SE √(xᵀ Var(β̂) x), its CI, and the
    /// prediction interval x ᵀβ̂ ∓ c √(SE² + τ̂²) (Raudenbush 2009, section 16.4.3; as metafor's `predict` with
    /// `newmods`), c by default the test's critical value (see `PredictionIntervalDistribution`).
    public func prediction(at x: [Double]) -> Prediction {
        precondition(x.count == coefficientCount, "a design row has one entry per coefficient")
        let estimate = zip(x, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        let vx = covariance * x
        let se = zip(x, vx).reduce(0) { $0 + $1.0 * $1.1 }.squareRoot()
        let half = criticalValue * se
        let c = options.predictionInterval.criticalValue(studyCount: studyCount, coefficientCount: coefficientCount,
                                                         alpha: options.alpha, testCritical: criticalValue)
        let piHalf = c * (se * se + tauSquared).squareRoot()
        return Prediction(estimate: estimate, standardError: se, confidenceLower: estimate - half, confidenceUpper: estimate + half,
                          predictionLower: estimate - piHalf, predictionUpper: estimate + piHalf)
    }

    /// The prediction for a point given as moderator values (`name=value` pairs; see `DesignMatrix.row(for:)`).
    public func prediction(for values: [String: String]) throws(MetaRegressionError) -> Prediction {
        prediction(at: try design.row(for: values))
    }

    /// The fitted value of every study with its CI and PI (metafor's `predict(res)`).
    public var studyPredictions: [Prediction] {
        (0..<studyCount).map { prediction(at: design.matrix.row($0)) }
    }
}
