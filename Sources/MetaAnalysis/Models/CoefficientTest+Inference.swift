import MetaNumerics

/// What a coefficient test needs beyond the model's covariance: the variance scale, the reference distribution's
/// degrees of freedom, its critical value and p-values. Shared by the models with and without moderators, so that
/// both apply Knapp–Hartung and the t/z choice identically.
struct CoefficientInference {
    /// 1, s²_w = Q_E(τ̂²)/(k − p) (knha) or max(1, s²_w) (adhoc): the factor on Var(β̂).
    let scaleFactor: Double
    /// k − p for t-based tests, nil for z.
    let degreesOfFreedom: Int?
    /// The 1 − α/2 quantile of the reference distribution.
    let criticalValue: Double
    private let t: StudentT?

    /// - Parameters:
    ///   - residualQ: Q_E at the fitted τ̂² (Σ w_i (y_i − ŷ_i)², w_i = 1/(v_i + τ̂²)).
    ///   - residualDegreesOfFreedom: k − p; with 0, s²_w is taken as 1 (the caller falls back to z there).
    init(test: CoefficientTest, residualQ: Double, residualDegreesOfFreedom df: Int, alpha: Double) {
        let s2w = df > 0 ? residualQ / Double(df) : 1
        switch test {
        case .z, .t: scaleFactor = 1
        case .knha: scaleFactor = s2w
        case .adhoc: scaleFactor = max(1, s2w)
        }
        if test.usesTDistribution {
            let dist = StudentT(degreesOfFreedom: Double(df))
            t = dist
            degreesOfFreedom = df
            criticalValue = dist.quantile(1 - alpha / 2)
        } else {
            t = nil
            degreesOfFreedom = nil
            criticalValue = Normal.quantile(1 - alpha / 2)
        }
    }

    /// Two-sided p-value of a Wald-type statistic.
    func twoSidedPValue(_ statistic: Double) -> Double {
        t.map { $0.twoSidedPValue(statistic) } ?? Normal.twoSidedPValue(statistic)
    }
}
