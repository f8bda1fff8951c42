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

    public init(tolerance: Double = 1e-13, maxIterations: Int = 1000, maxFixedPointIterations: Int = 100_000) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.maxFixedPointIterations = maxFixedPointIterations
    }
}
