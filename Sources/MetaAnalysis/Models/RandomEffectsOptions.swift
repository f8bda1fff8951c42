/// The choices that define a random-effects fit. The defaults follow current guidance (DESIGN.md §3):
/// REML τ², Knapp–Hartung test, 95% level; `.metafor` reproduces `rma()`'s defaults (REML, z test).
public struct RandomEffectsOptions: Sendable, Equatable {
    public var estimator: TauSquaredEstimator
    public var test: CoefficientTest
    /// Confidence level in percent (metafor's `level`).
    public var level: Double
    public var control: SolverControl
    /// The critical value's distribution for prediction intervals (default: the test's).
    public var predictionInterval: PredictionIntervalDistribution
    /// Processors used by the O(k) passes of large fits (nil: all). The results are identical for any value.
    public var threads: Int?
    /// τ² fixed by the user instead of estimated (metafor's `rma(..., tau2 = value)`): β, Q, I², H², the prediction
    /// interval and the likelihoods are evaluated at this value; τ² then counts as no parameter and has no
    /// confidence interval. Its standard error is the estimator's formula at the value (ML or REML; nil otherwise).
    public var fixedTauSquared: Double?
    /// Whether the pooled estimate is inverse-variance weighted (metafor's `weighted`). With `false`, τ² is
    /// estimated as usual, then μ̂ is the plain mean with Var(μ̂) = Σ (v_i + τ̂²)/k² (scaled by the Knapp–Hartung
    /// factor of the weighted fit for knha/adhoc), each study's weight is 100/k percent, and the likelihoods are
    /// evaluated at the unweighted μ̂.
    public var weighted: Bool = true

    public init(estimator: TauSquaredEstimator = .restrictedMaximumLikelihood, test: CoefficientTest = .knha,
                level: Double = 95, control: SolverControl = SolverControl(),
                predictionInterval: PredictionIntervalDistribution = .followsTest, threads: Int? = nil) {
        self.estimator = estimator
        self.test = test
        self.level = level
        self.control = control
        self.predictionInterval = predictionInterval
        self.threads = threads
    }

    /// metafor's `rma()` defaults: REML with the z test.
    public static let metafor = RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z)

    /// Whether τ² is estimated (not the common-effect model, not fixed by the user).
    public var estimatesTauSquared: Bool { estimator != .commonEffect && fixedTauSquared == nil }

    /// α = 1 − level/100.
    public var alpha: Double { 1 - level / 100 }
}
