/// The result of estimating τ²: the value (≥ 0), how it was reached, and metafor's standard error for it.
public struct TauSquaredEstimate: Sendable, Equatable {
    /// τ̂², truncated at 0.
    public var tauSquared: Double
    /// The closed-form value before truncation, when it was negative (reported as a diagnostic); nil otherwise.
    public var truncatedFrom: Double?
    /// Standard error of τ̂² by the estimator's own formula (nil for EE).
    public var standardError: Double?
    /// Solver iterations (0 for closed forms).
    public var iterations: Int

    public init(tauSquared: Double, truncatedFrom: Double? = nil, standardError: Double?, iterations: Int) {
        self.tauSquared = tauSquared
        self.truncatedFrom = truncatedFrom
        self.standardError = standardError
        self.iterations = iterations
    }
}

/// Convergence settings of the iterative τ² estimators.
public struct SolverControl: Sendable, Equatable {
    /// Stop when a step changes τ² by at most `tolerance · max(1, τ²)`.
    public var tolerance: Double
    /// Iteration limit of the Newton/Fisher-scoring and root solvers.
    public var maxIterations: Int
    /// Iteration limit of the fixed-point estimators (DLIT, SJIT), which can contract slowly.
    public var maxFixedPointIterations: Int

    /// Iterate ML/REML/EB exactly as metafor 3.8-1 does (plain Fisher scoring from the truncated HE start, steps
    /// halved to stay ≥ 0, stop when |Δτ²| < `tolerance` absolutely): reproduces metafor's default-converged output
    /// (threshold 1e-5), which is only that accurate. See `metaforDefault`.
    public var reproducesMetaforIterations: Bool

    public init(tolerance: Double = 1e-13, maxIterations: Int = 1000, maxFixedPointIterations: Int = 100_000,
                reproducesMetaforIterations: Bool = false) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.maxFixedPointIterations = maxFixedPointIterations
        self.reproducesMetaforIterations = reproducesMetaforIterations
    }

    /// metafor's default `control` (threshold 1e-5, maxiter 100) with its iteration, for comparisons with
    /// results metafor printed under its defaults.
    public static let metaforDefault = SolverControl(tolerance: 1e-5, maxIterations: 100, reproducesMetaforIterations: true)

    /// metafor's default `tol` (.Machine$double.eps^0.25): with `reproducesMetaforIterations`, τ² is set to 0 only if
    /// the boundary's log-likelihood is higher by more than this (metafor's ll0check under its defaults).
    public static let metaforLikelihoodTolerance = 1.220703125e-4

    /// How much higher the boundary's log-likelihood must be for τ² = 0 to replace the ML/REML estimate.
    public var boundaryLikelihoodTolerance: Double {
        reproducesMetaforIterations ? Self.metaforLikelihoodTolerance : tolerance
    }
}
