/// Which fixed weights a_i define a generalized Q statistic Q_A = YᵀP_A Y, P_A = A − A X (XᵀAX)⁻¹ XᵀA.
public enum MomentWeights: Sendable, Equatable {
    /// a_i = 1/(v_i + τ²): DerSimonian–Laird (τ² = 0), Sidik–Jonkman (τ² = its start value).
    case inverseVariance(tauSquared: Double)
    /// a_i = 1 (ordinary least squares): Hedges' estimator.
    case equal
    /// The user weights held by the kernel: GENQ and GENQM.
    case user
}

/// Moments of a generalized Q statistic (DerSimonian & Kacker 2007, section 3): with Σ = V + τ²I,
/// E[Q_A] = tr(P_A V) + τ² tr(P_A) and Var[Q_A] = 2 tr(P_A Σ P_A Σ) under normality.
public struct GeneralizedQMoments: Sendable, Equatable {
    /// Q_A = YᵀP_A Y.
    public var q: Double
    public var traceP: Double
    /// tr(P_A V).
    public var tracePV: Double
    /// tr(P_A Σ P_A Σ) at the τ² asked for.
    public var tracePSigmaPSigma: Double

    public init(q: Double, traceP: Double, tracePV: Double, tracePSigmaPSigma: Double) {
        self.q = q
        self.traceP = traceP
        self.tracePV = tracePV
        self.tracePSigmaPSigma = tracePSigmaPSigma
    }

    /// The method-of-moments τ² (Q_A − tr(P_A V)) / tr(P_A), before truncation at 0.
    public var momentEstimate: Double { (q - tracePV) / traceP }
}
