import MetaAnalysis

/// Standardized mean differences pooled within one stratum (`EligibilityRules`) when at least two independent
/// trials give one: random effects (REML τ², Knapp–Hartung interval with the ad hoc floor) and the Bayesian
/// estimate with the Rhodes et al. (2015) prior for τ. Each trial enters once: its arms were combined on each side
/// before (`ContinuousComparison.make(actives:controls:...)`, Cochrane Handbook v6.4 §6.5.2.10).
public struct ContinuousPool: Sendable {
    public var stratum: PoolingStratum
    public var key: String
    public var label: String
    public var treatmentClass: TreatmentClass
    public var outcome: ReportedOutcome
    public var kind: ComparatorKind
    /// The trials pooled, with their own g.
    public var comparisons: [ContinuousComparison]
    public var fit: RandomEffectsModel
    public var pooled: ComparisonEffect
    public var estimates: [FewStudyEstimate]
    public var diagnostics: [RateDiagnostic]

    public var k: Int { comparisons.count }

    /// Pools `comparisons` (one stratum, one per sample) when there are at least two; nil otherwise.
    public static func fit(stratum: PoolingStratum, comparisons: [ContinuousComparison], options: RandomEffectsOptions) throws -> ContinuousPool? {
        guard comparisons.count >= 2, let first = comparisons.first else { return nil }
        precondition(Set(comparisons.map(\.sampleGroup)).count == comparisons.count, "one comparison per sample and stratum")
        let label = stratum.label
        let yi = comparisons.map(\.standardizedMeanDifference.yi), vi = comparisons.map(\.standardizedMeanDifference.vi)
        let fit = try RandomEffectsModel.fit(effectSizes: yi, samplingVariances: vi, studies: comparisons.map(\.study), options: options)
        let notes: [RateDiagnostic] = fit.diagnostics.map { .computation(group: label, note: $0.description) }
        let p = fit.prediction
        let withPI = comparisons.count >= PooledRate.minimumStudiesForPrediction
        let pooled = ComparisonEffect(measure: .standardizedMeanDifference, method: options.estimator.rawValue, yi: fit.estimate,
                                      vi: fit.standardError * fit.standardError, estimate: fit.estimate,
                                      ciLower: fit.confidenceLower, ciUpper: fit.confidenceUpper, pValue: fit.pValue,
                                      tauSquared: fit.tauSquared, iSquared: fit.iSquared,
                                      predictionLower: withPI ? p.predictionLower : nil, predictionUpper: withPI ? p.predictionUpper : nil)
        let estimates = try FewStudyEstimate.fit(yi: yi, vi: vi, studies: comparisons.map(\.study),
                                                 prior: .rhodes(FewStudyEstimate.rhodesPrior), back: { $0 }, level: options.level)
        return ContinuousPool(stratum: stratum, key: stratum.key, label: label, treatmentClass: first.treatmentClass,
                              outcome: first.outcome, kind: first.kind, comparisons: comparisons, fit: fit, pooled: pooled,
                              estimates: estimates, diagnostics: notes)
    }
}
