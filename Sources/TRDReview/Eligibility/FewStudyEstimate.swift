import MetaData
import MetaAnalysis
import MetaNumerics

/// One estimate of a pooled stratum (k ≥ 2), on the analysis scale and back-transformed, with the method that
/// produced it. A stratum reports the default, the sensitivity analysis and the Bayesian estimate side by side,
/// and says which is recommended (`EligibilityRules` rule 6).
public struct FewStudyEstimate: Sendable, Equatable {
    public enum Method: String, CaseIterable, Sendable, Codable {
        /// REML τ², Knapp–Hartung interval with the ad hoc floor max(1, s²) (the default).
        case knappHartungAdHoc = "REML_KH_adhoc"
        /// Binomial-normal GLMM by ML with z-based intervals (single arms; a sensitivity analysis).
        case glmm = "GLMM"
        /// Bayesian random effects, uniform prior for μ, an empirical prior for τ²: Turner et al. (2015) for log
        /// odds ratios (and, as an approximation, single-arm logits), Rhodes et al. (2015) for SMDs.
        case bayesianEmpiricalPrior = "Bayes_empirical_prior"

        public var displayName: String {
            switch self {
            case .knappHartungAdHoc: return "REML, Knapp-Hartung (ad hoc floor)"
            case .glmm: return "binomial-normal GLMM (sensitivity)"
            case .bayesianEmpiricalPrior: return "Bayesian, empirical tau prior"
            }
        }
    }

    public var method: Method
    /// The τ prior of a Bayesian estimate (its label), nil otherwise.
    public var prior: String?
    /// Back-transformed estimate, interval and (from k = 3) prediction interval.
    public var estimate: Double
    public var ciLower: Double
    public var ciUpper: Double
    public var predictionLower: Double?
    public var predictionUpper: Double?
    public var tauSquared: Double?
    /// The recommended estimate of the stratum (the Bayesian one for k = 2–4, else the default).
    public var recommended: Bool

    /// The smallest k with a prediction interval.
    public static let minimumStudiesForPrediction = 3
    /// Up to this k, the Bayesian estimate with an empirical prior is recommended (few-study setting).
    public static let fewStudies = 4

    /// The Turner et al. (2015) prior for mental health indicators: pharmacological v placebo/control, or
    /// pharmacological v pharmacological; for single-arm logits, the placebo/control setting (an approximation:
    /// Turner's priors are for log odds ratios, and no empirical prior exists for single-arm rates).
    public static func turnerPrior(comparator: ComparatorKind?) -> TurnerPrior {
        TurnerPrior(outcome: .mentalHealth, comparison: comparator == .comparator ? .pharmacologicalVsPharmacological
                        : .pharmacologicalVsPlaceboControl)
    }

    /// The Rhodes et al. (2015) prior for standardized mean differences (general setting: the tables give no
    /// mental-health cell).
    public static let rhodesPrior = RhodesPrior.anySetting

    /// The default and the Bayesian estimate of effects `yi` with variances `vi` (k ≥ 2); `prior` is the empirical
    /// τ prior of the measure (`turnerPrior(comparator:)` for log odds ratios and logits, `.rhodes(rhodesPrior)`
    /// for SMDs).
    ///
    /// - Throws: `EstimationError`, `BayesianError` or `InputError` from the fits.
    public static func fit(yi: [Double], vi: [Double], studies: [String], prior: TauPrior,
                           back: (Double) -> Double, level: Double = 95) throws -> [FewStudyEstimate] {
        precondition(yi.count >= 2 && yi.count == vi.count, "a pooled stratum needs k >= 2 effects with variances")
        let k = yi.count
        let withPI = k >= minimumStudiesForPrediction
        let options = RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .adhoc, level: level)
        let model = try RandomEffectsModel.fit(effectSizes: yi, samplingVariances: vi, studies: studies, options: options)
        let p = model.prediction
        let frequentist = FewStudyEstimate(
            method: .knappHartungAdHoc, prior: nil, estimate: back(model.estimate), ciLower: back(model.confidenceLower),
            ciUpper: back(model.confidenceUpper), predictionLower: withPI ? back(p.predictionLower) : nil,
            predictionUpper: withPI ? back(p.predictionUpper) : nil, tauSquared: model.tauSquared, recommended: k > fewStudies)
        let bayes = try BayesianRandomEffectsModel(effectSizes: yi, standardErrors: vi.map { $0.squareRoot() }, tauPrior: prior)
        let tail = (1 - level / 100) / 2
        let mu = bayes.muPosterior, theta = bayes.predictivePosterior
        let tauMedian = try bayes.tauQuantile(0.5)
        let bayesian = FewStudyEstimate(
            method: .bayesianEmpiricalPrior, prior: prior.label, estimate: back(try mu.quantile(0.5)), ciLower: back(try mu.quantile(tail)),
            ciUpper: back(try mu.quantile(1 - tail)), predictionLower: withPI ? back(try theta.quantile(tail)) : nil,
            predictionUpper: withPI ? back(try theta.quantile(1 - tail)) : nil,
            tauSquared: tauMedian * tauMedian, recommended: k <= fewStudies)
        return [frequentist, bayesian]
    }
}
