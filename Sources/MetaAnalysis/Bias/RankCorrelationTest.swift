import MetaData

/// Begg & Mazumdar's (1994) rank correlation test for funnel-plot asymmetry (metafor's `ranktest`):
/// Kendall's τ_b between the standardised deviates y*_i = (y_i − θ̂)/√(v_i − 1/Σ_j v_j⁻¹) (θ̂ the
/// common-effect estimate) and the variances v_i.
public struct RankCorrelationTest: Sendable, Equatable {
    public let correlation: KendallRankCorrelation
    /// Kendall's τ_b.
    public var tau: Double { correlation.tau }
    public var pValue: Double { correlation.pValue }
    public let diagnostics: [BiasDiagnostic]

    /// - Parameter exact: the exact null distribution of Kendall's S when there are no ties (metafor's
    ///   default); false for the normal approximation.
    /// - Throws: `InputError` for fewer than 3 studies, non-finite values or non-positive variances.
    public init(effectSizes y: [Double], samplingVariances v: [Double], exact: Bool = true) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        let k = y.count
        guard k >= 3 else { throw InputError.tooFewStudies(found: k, needed: 3, analysis: "The rank correlation test") }
        try StudyValueCheck.validate(effectSizes: y, samplingVariances: v)
        var sumW = 0.0, sumWY = 0.0
        for i in 0..<k { sumW += 1 / v[i]; sumWY += y[i] / v[i] }
        let theta = sumWY / sumW
        let deviates = (0..<k).map { (y[$0] - theta) / (v[$0] - 1 / sumW).squareRoot() }
        correlation = KendallRankCorrelation(deviates, v, exact: exact)
        diagnostics = BiasDiagnostic.studyCountNote(k, "the rank correlation test")
            + (correlation.isExact || !exact ? [] : [.normalApproximationForTies])
    }

    public init(model: RandomEffectsModel, exact: Bool = true) throws {
        try self.init(effectSizes: model.effectSizes, samplingVariances: model.samplingVariances, exact: exact)
    }
}
