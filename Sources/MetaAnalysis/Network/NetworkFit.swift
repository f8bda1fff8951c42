/// A fitted network meta-analysis: the rma.mv fit (treatment effects against the reference, τ², γ²), every
/// pairwise relative effect (a league table) and the Q decomposition into heterogeneity and inconsistency.
public struct NetworkFit: Sendable {
    /// Q total, Q within designs (heterogeneity) and Q between designs (inconsistency) of the equal-effects network.
    public struct QDecomposition: Sendable, Equatable {
        public let total: ChiSquareTest
        public let withinDesigns: ChiSquareTest
        public let betweenDesigns: ChiSquareTest
    }

    /// One relative effect: treatment `first` minus treatment `second`, with CI and PI.
    public struct RelativeEffect: Sendable, Equatable {
        public let first: String
        public let second: String
        public let prediction: Prediction
    }

    public let fit: MultilevelFit
    public let heterogeneity: NetworkModel.Heterogeneity
    public let reference: String
    /// The reference first, then the other treatments sorted.
    public let treatments: [String]
    public let qDecomposition: QDecomposition

    /// The contrast row of `first` minus `second` over the coefficients (the non-reference treatments).
    public func contrastRow(_ first: String, _ second: String) -> [Double] {
        treatments.dropFirst().map { ($0 == first ? 1.0 : 0) - ($0 == second ? 1.0 : 0) }
    }

    /// `first` minus `second`: estimate, SE, CI and PI (metafor's `predict(res, newmods = contrast row)`).
    public func relativeEffect(_ first: String, versus second: String) -> RelativeEffect {
        RelativeEffect(first: first, second: second, prediction: fit.prediction(at: contrastRow(first, second)))
    }

    /// Every pair of treatments once, in treatment order (a before b when a comes first): T(T − 1)/2 effects.
    public var pairwiseEffects: [RelativeEffect] {
        var out: [RelativeEffect] = []
        for a in treatments.indices { for b in (a + 1)..<treatments.count { out.append(relativeEffect(treatments[a], versus: treatments[b])) } }
        return out
    }

    /// Each non-reference treatment against the reference (the forest plot's rows).
    public var effectsAgainstReference: [RelativeEffect] {
        treatments.dropFirst().map { relativeEffect($0, versus: reference) }
    }
}
