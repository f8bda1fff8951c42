/// The intercept-only kernel with a memory of its last fits without likelihood terms, so that a model reads the
/// fits its τ² estimator ended with (at τ̂² for the standard error, at 0 for the boundary check) instead of
/// repeating those passes; at k = 10⁶ each is a pass over 16 MB. Used on one thread, inside
/// `RandomEffectsModel.init` only: that is why the mutable memory may be `@unchecked Sendable`.
final class RememberingKernel: RandomEffectsKernel, @unchecked Sendable {
    let base: InterceptOnlyKernel
    /// The last few fits asked for without likelihood terms, newest last.
    private var remembered: [WeightedFit] = []

    init(_ base: InterceptOnlyKernel) { self.base = base }

    var effects: [Double] { base.effects }
    var studyCount: Int { base.studyCount }
    var coefficientCount: Int { base.coefficientCount }
    var hasUserWeights: Bool { base.hasUserWeights }

    func fit(tauSquared t: Double, includingLikelihoodTerms: Bool) -> WeightedFit {
        if includingLikelihoodTerms { return base.fit(tauSquared: t, includingLikelihoodTerms: true) }
        if let f = remembered.last(where: { $0.tauSquared == t }) { return f }
        let f = base.fit(tauSquared: t, includingLikelihoodTerms: false)
        if remembered.count == 4 { remembered.removeFirst() }
        remembered.append(f)
        return f
    }

    func generalizedQ(weights: MomentWeights, sigmaTauSquared: Double) -> GeneralizedQMoments {
        base.generalizedQ(weights: weights, sigmaTauSquared: sigmaTauSquared)
    }

    func generalizedQEigenvalues(weights: MomentWeights, tauSquared: Double, into eigenvalues: inout [Double]) {
        base.generalizedQEigenvalues(weights: weights, tauSquared: tauSquared, into: &eigenvalues)
    }
}
