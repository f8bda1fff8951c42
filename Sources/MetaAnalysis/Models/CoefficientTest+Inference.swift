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
    init(test: CoefficientTest, residualQ: @autoclosure () -> Double, residualDegreesOfFreedom df: Int, alpha: Double) {
        scaleFactor = test.varianceScale(residualQ: residualQ(), residualDegreesOfFreedom: df)
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

extension CoefficientTest {
    /// The test a model with `df` = k − p residual degrees of freedom can use: a t-based test falls back to z at
    /// df = 0 (one study, as metafor does), every other test is itself. The one statement of the fallback.
    func usable(residualDegreesOfFreedom df: Int) -> CoefficientTest {
        usesTDistribution && df == 0 ? .z : self
    }

    /// The factor on Var(β̂): 1 for z and t, s²_w = Q_E(τ̂²)/(k − p) for knha (Hartung & Knapp 2001; Knapp &
    /// Hartung 2003), max(1, s²_w) for adhoc (Knapp & Hartung 2003, section 4; Jackson et al. 2017).
    /// With k − p = 0, s²_w is taken as 1; with Q_E ≤ machine epsilon, as 0 (metafor's rule). The one statement of the scale for the models and every refit path;
    /// `residualQ` (Q_E at the fitted τ̂²) is evaluated only when the test needs it, so z/t refits skip that pass.
    func varianceScale(residualQ: @autoclosure () -> Double, residualDegreesOfFreedom df: Int) -> Double {
        switch self {
        case .z, .t: return 1
        case .knha, .adhoc:
            let q = df > 0 ? residualQ() : 1
            // metafor: Q_E ≤ machine epsilon (all residuals zero, e.g. identical effects) gives s²_w = 0, not noise.
            let s2w = df > 0 ? (q <= Double.ulpOfOne ? 0 : q / Double(df)) : 1
            return self == .knha ? s2w : max(1, s2w)
        }
    }
}
