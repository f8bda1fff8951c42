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

    /// α = 1 − level/100.
    public var alpha: Double { 1 - level / 100 }
}
