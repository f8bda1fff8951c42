#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaAnalysis

/// The sensitivity analysis for multi-arm trials (issue 20, Deliver 2): the main analysis combines a trial's arms
/// on each side (Cochrane Handbook v6.4 §23.3.4); here every active-v-control pair of the stratum enters as its own
/// effect, and pairs that share an arm covary through it. The sampling covariance is `VarianceCalculation` (metafor's
/// `vcalc` with the arms as groups and their sizes as weights: Gleser & Olkin 2009, the correlation of two contrasts
/// with a common group), and the model is a `MultilevelModel` with a random intercept per trial (REML, z) when the
/// stratum has two or more trials, or the trial's generalised-least-squares combination when it has one. A shared
/// control is counted once: its participants enter through the covariance, never as two independent samples.
public struct SharedControlAnalysis: Sendable, Equatable {
    /// One active-v-control pair of a trial.
    public struct Effect: Sendable, Equatable {
        public var study: String
        public var sampleGroup: String
        public var activeArm: String
        public var controlArm: String
        public var activeRow: Int
        public var controlRow: Int
        public var activeN: Int
        public var controlN: Int
        /// The pair's effect on the analysis scale (log RR or Hedges' g) and its sampling variance.
        public var yi: Double
        public var vi: Double
    }

    public var stratum: PoolingStratum
    /// `.logRiskRatio` (binary outcomes) or `.standardizedMeanDifference` (scores).
    public var measure: EffectMeasure
    public var effects: [Effect]
    /// V: the pairs' sampling variances, and their covariances through a shared arm.
    public var covariance: SamplingCovariance
    /// Independent samples (trials) in the stratum.
    public var trialCount: Int
    /// On the analysis scale, with its standard error and confidence interval.
    public var estimate: Double
    public var standardError: Double
    public var ciLower: Double
    public var ciUpper: Double
    /// The between-trial variance (σ² of the trial intercept); nil with one trial.
    public var betweenTrialVariance: Double?

    /// Participants, every arm once (a shared control is not counted per pair).
    public var participants: Int {
        var seen = Set<Int>()
        var n = 0
        for e in effects {
            if seen.insert(e.activeRow).inserted { n += e.activeN }
            if seen.insert(e.controlRow).inserted { n += e.controlN }
        }
        return n
    }

    /// The estimate and interval as the report shows them (risk ratios, or g).
    public var displayed: (estimate: Double, lower: Double, upper: Double) {
        measure == .logRiskRatio ? (exp(estimate), exp(ciLower), exp(ciUpper)) : (estimate, ciLower, ciUpper)
    }

    /// Fits the model to the pairs `effects` (at least two) of one stratum.
    ///
    /// - Parameter level: the confidence level in percent.
    /// - Throws: `VarianceCalculationError` or `MultilevelModelError` from the library (a pair without a positive
    ///   variance, a covariance that is not positive definite, a fit that does not converge within its cap).
    public static func fit(stratum: PoolingStratum, measure: EffectMeasure, effects: [Effect], level: Double) throws -> SharedControlAnalysis {
        precondition(effects.count >= 2, "a shared-control analysis needs at least two pairs")
        var calculation = VarianceCalculation(variances: effects.map(\.vi), clusters: effects.map(\.sampleGroup))
        calculation.groups1 = effects.map { "row \($0.activeRow)" }
        calculation.groups2 = effects.map { "row \($0.controlRow)" }
        calculation.weights1 = effects.map { Double($0.activeN) }
        calculation.weights2 = effects.map { Double($0.controlN) }
        let v = try calculation.covariance()
        let trials = Set(effects.map(\.sampleGroup)).count
        let groupings = trials >= 2 ? [RandomGrouping(name: "trial", columns: [effects.map(\.sampleGroup)])] : []
        let model = try MultilevelModel(effects: effects.map(\.yi), samplingCovariance: v,
                                        design: try DesignMatrix(intercept: true, studyCount: effects.count), groupings: groupings)
        let fit = try model.fit(method: .restrictedMaximumLikelihood, test: .z, level: level / 100)
        return SharedControlAnalysis(stratum: stratum, measure: measure, effects: effects, covariance: v, trialCount: trials,
                                     estimate: fit.coefficients[0], standardError: fit.standardErrors[0],
                                     ciLower: fit.confidenceLower[0], ciUpper: fit.confidenceUpper[0],
                                     betweenTrialVariance: fit.components.first.map(\.estimate))
    }
}
