import MetaNumerics

extension MultilevelFit {
    /// The critical value of CIs and PIs: normal for z, t with the smallest coefficient df for t (as metafor's
    /// `predict` and `ranef`).
    var criticalValue: Double {
        if let df = degreesOfFreedom, let fewest = df.min() {
            return StudentT(degreesOfFreedom: Double(fewest)).quantile(0.5 + level / 2)
        }
        return Normal.quantile(0.5 + level / 2)
    }

    /// The predicted mean effect at design row `x` (p values, intercept included) with its CI, and the PI of a
    /// new effect there: x̂β ∓ c·√(SE² + Σⱼσ²ⱼ) (metafor's `predict.rma` for random intercepts).
    public func prediction(at x: [Double]) -> Prediction {
        precondition(x.count == coefficients.count, "a design row needs one value per coefficient")
        let pred = zip(x, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        let vx = covariance.multiplied(by: x)
        let se = zip(x, vx).reduce(0) { $0 + $1.0 * $1.1 }.squareRoot()
        let c = criticalValue
        let spread = (se * se + sigmaSquared.reduce(0, +)).squareRoot()
        return Prediction(estimate: pred, standardError: se, confidenceLower: pred - c * se, confidenceUpper: pred + c * se,
                          predictionLower: pred - c * spread, predictionUpper: pred + c * spread)
    }

    /// The predictions at every effect's own design row (metafor's `predict(res)` without `newmods`).
    public var fittedPredictions: [Prediction] {
        (0..<effectCount).map { prediction(at: model.design.matrix.row($0)) }
    }
}
