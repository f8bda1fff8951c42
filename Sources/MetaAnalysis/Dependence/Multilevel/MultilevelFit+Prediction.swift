import MetaNumerics

extension MultilevelFit {
    /// The critical value of CIs and PIs: normal for z; for t, t with the fewest df among the coefficients the
    /// design row `x` uses (all when none), as metafor's `predict` does under `dfs = "contain"`.
    func criticalValue(row x: [Double]? = nil) -> Double {
        guard let df = degreesOfFreedom else { return Normal.quantile(0.5 + level / 2) }
        let used = x.map { row in df.indices.filter { row[$0] != 0 }.map { df[$0] } } ?? []
        let fewest = (used.isEmpty ? df : used).min() ?? 1
        return StudentT(degreesOfFreedom: Double(fewest)).quantile(0.5 + level / 2)
    }

    /// The predicted mean effect at design row `x` (p values, intercept included) with its CI, and the PI of a
    /// new effect there: x̂β ∓ c·√(SE² + Σⱼσ²ⱼ + τ²[level] + γ²[level]) (metafor's `predict.rma`), the levels
    /// being the inner levels of the correlated terms for heteroscedastic structures.
    public func prediction(at x: [Double], innerLevels: [Int] = []) -> Prediction {
        precondition(x.count == coefficients.count, "a design row needs one value per coefficient")
        let pred = zip(x, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        let vx = covariance.multiplied(by: x)
        let se = zip(x, vx).reduce(0) { $0 + $1.0 * $1.1 }.squareRoot()
        let c = criticalValue(row: x)
        let spread = (se * se + heterogeneityVariance(innerLevels: innerLevels)).squareRoot()
        return Prediction(estimate: pred, standardError: se, confidenceLower: pred - c * se, confidenceUpper: pred + c * se,
                          predictionLower: pred - c * spread, predictionUpper: pred + c * spread)
    }

    /// The predictions at every effect's own design row (metafor's `predict(res)` without `newmods`).
    public var fittedPredictions: [Prediction] {
        (0..<effectCount).map { i in
            prediction(at: model.design.matrix.row(i), innerLevels: model.correlatedTerms.map { $0.innerOfEffect[i] })
        }
    }
}

extension MultilevelFit {
    /// Per effect, the inner level of the first correlated term (the τ² its PI uses; metafor's `tau2.level`).
    public var fittedTau2Levels: [String] {
        guard let t = model.correlatedTerms.first else { return [] }
        return t.innerOfEffect.map { t.innerLevels[$0] }
    }
}
