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
    /// ML/REML/EB: take metafor's plain Fisher-scoring steps (no bracketing safeguards), stopping when a step
    /// is below `tolerance` in absolute terms, so that a loose tolerance reproduces metafor's own iterate.
    public var followsMetaforIterations: Bool
    /// ML/REML: τ² is set to 0 when the likelihood there exceeds the maximum found by more than this (metafor's
    /// `ll0check`, which uses its `tol`); nil: `tolerance`.
    public var boundaryLikelihoodTolerance: Double?

    /// ML/REML/EB on the safeguarded path: where the iterations start (≥ 0); nil: the Hedges estimate truncated
    /// at 0, as metafor starts. Resampling loops start each refit from the full-data estimate (a warm start),
    /// which only changes how many steps the same converged root takes.
    public var start: Double?
    /// SJ and SJIT: the a-priori value τ²₀ instead of var(y)(k−1)/k (metafor's `control$tau2.init`); > 0.
    public var initialTauSquared: Double?
    /// ML/REML/EB: whether to compute SE(τ̂²), which costs one more pass over the studies; resampling loops that
    /// record only τ̂² and the coefficients' statistics turn it off (the estimate then has no standard error).
    public var computesStandardError = true

    var boundaryTolerance: Double { boundaryLikelihoodTolerance ?? tolerance }

    public init(tolerance: Double = 1e-13, maxIterations: Int = 1000, maxFixedPointIterations: Int = 100_000,
                followsMetaforIterations: Bool = false, boundaryLikelihoodTolerance: Double? = nil, start: Double? = nil) {
        self.start = start
        self.boundaryLikelihoodTolerance = boundaryLikelihoodTolerance
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.maxFixedPointIterations = maxFixedPointIterations
        self.followsMetaforIterations = followsMetaforIterations
    }

    /// metafor's default `control` for ML/REML/EB (`threshold` 1e-5, `maxiter` 100, `tol` = ε^¼ for the
    /// boundary check) on metafor's path: what `rma()` reports without a tighter `control` (conformance cases
    /// that lack `expected_tight`).
    public static let metaforDefault = SolverControl(tolerance: 1e-5, maxIterations: 100, followsMetaforIterations: true,
                                                     boundaryLikelihoodTolerance: 1.220703125e-4)
}
