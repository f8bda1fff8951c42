/// The fixed part of a random-effects model seen by the τ² estimators: effects y, sampling variances v,
/// a design X (k × p) and optional user weights. The estimators are written once against this protocol;
/// `InterceptOnlyKernel` is the O(k), allocation-free implementation for X = 1, and `GeneralDesignKernel`
/// (meta-regression) implements the same queries with QR factorizations of the weighted design.
public protocol RandomEffectsKernel: Sendable {
    /// The effect sizes y_i.
    var effects: [Double] { get }
    /// k, the number of studies.
    var studyCount: Int { get }
    /// p, the number of fixed-effect coefficients.
    var coefficientCount: Int { get }
    /// Whether user weights were supplied (GENQ/GENQM).
    var hasUserWeights: Bool { get }
    /// The weighted least-squares fit at τ² (weights 1/(v_i + τ²)). Σ log(v_i + τ²), which costs k logarithms,
    /// is computed only when `includingLikelihoodTerms` is true (it is 0 otherwise): solvers do not need it.
    func fit(tauSquared: Double, includingLikelihoodTerms: Bool) -> WeightedFit
    /// Moments of the generalized Q with weights `weights`; `tracePSigmaPSigma` uses Σ = V + `sigmaTauSquared`·I.
    func generalizedQ(weights: MomentWeights, sigmaTauSquared: Double) -> GeneralizedQMoments
    /// The positive eigenvalues of Σ^{1/2} P_A Σ^{1/2} (Σ = V + τ²I): Q_A is distributed as Σ λ_j χ²₁ under the
    /// model (Biggerstaff & Jackson 2008; Jackson 2013). Written into `eigenvalues` (resized as needed).
    func generalizedQEigenvalues(weights: MomentWeights, tauSquared: Double, into eigenvalues: inout [Double])
}

extension RandomEffectsKernel {
    /// The weighted least-squares fit at τ², with the likelihood terms.
    public func fit(tauSquared: Double) -> WeightedFit { fit(tauSquared: tauSquared, includingLikelihoodTerms: true) }
}
