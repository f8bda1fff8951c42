/// An effect size or outcome measure, by metafor's `escalc` code.
///
/// Formulas follow metafor's documentation of `escalc` (Viechtbauer 2010, J Stat Softw 36(3); the help page
/// `?escalc`), with the large-sample variances (`vtype = "LS"`). The family says which columns a measure reads.
public enum EffectMeasure: String, CaseIterable, Sendable, Codable {
    // MARK: Two-group binary (2×2 table: ai, bi, ci, di or ai, n1i, ci, n2i)
    /// Log risk ratio.
    case logRiskRatio = "RR"
    /// Log odds ratio.
    case logOddsRatio = "OR"
    /// Risk difference.
    case riskDifference = "RD"
    /// Arcsine square-root transformed risk difference (Rücker et al. 2009).
    case arcsineRiskDifference = "AS"
    /// Log odds ratio by Peto's one-step method (Yusuf et al. 1985).
    case petoLogOddsRatio = "PETO"

    // MARK: Two-group continuous (m1i, sd1i, n1i, m2i, sd2i, n2i)
    /// Raw mean difference.
    case meanDifference = "MD"
    /// Standardized mean difference, Hedges' g with the exact bias correction (Hedges 1981).
    case standardizedMeanDifference = "SMD"
    /// Standardized mean difference with heteroscedastic SDs (Bonett 2009).
    case heteroscedasticStandardizedMeanDifference = "SMDH"
    /// Log ratio of means (Hedges, Gurevitch & Curtis 1999).
    case logRatioOfMeans = "ROM"

    // MARK: Single-group proportions (xi, ni or xi, mi)
    /// Raw proportion.
    case proportion = "PR"
    /// Log proportion.
    case logProportion = "PLN"
    /// Logit-transformed proportion.
    case logitProportion = "PLO"
    /// Arcsine square-root transformed proportion.
    case arcsineProportion = "PAS"
    /// Freeman–Tukey double arcsine transformed proportion (Freeman & Tukey 1950).
    case freemanTukeyProportion = "PFT"

    // MARK: Correlations (ri, ni)
    /// Raw correlation coefficient.
    case correlation = "COR"
    /// Fisher's r-to-z transformed correlation.
    case fisherZ = "ZCOR"

    // MARK: Person-time (x1i, t1i, x2i, t2i or xi, ti)
    /// Log incidence rate ratio.
    case logIncidenceRateRatio = "IRR"
    /// Incidence rate difference.
    case incidenceRateDifference = "IRD"
    /// Log incidence rate (single group).
    case logIncidenceRate = "IRLN"
    /// Raw incidence rate (single group).
    case incidenceRate = "IR"

    // MARK: Paired / pre-post (m1i, m2i, sd1i, sd2i, ni, ri)
    /// Raw mean change.
    case meanChange = "MC"
    /// Standardized mean change using change-score standardization (Gibbons et al. 1993).
    case standardizedMeanChangeChangeScore = "SMCC"
    /// Standardized mean change using raw-score standardization (Becker 1988).
    case standardizedMeanChangeRawScore = "SMCR"

    // MARK: Precomputed (yi with vi or sei)
    /// Effect sizes already computed: `yi` with `vi`, or `yi` with `sei` (`vi = sei²`).
    case generic = "GEN"

    /// The kind of data a measure is computed from.
    public enum Family: String, CaseIterable, Sendable {
        case twoByTwo, twoGroupContinuous, proportion, correlation, personTimeTwoGroup, personTimeSingleGroup
        case paired, precomputed
    }

    public var family: Family {
        switch self {
        case .logRiskRatio, .logOddsRatio, .riskDifference, .arcsineRiskDifference, .petoLogOddsRatio: return .twoByTwo
        case .meanDifference, .standardizedMeanDifference, .heteroscedasticStandardizedMeanDifference, .logRatioOfMeans:
            return .twoGroupContinuous
        case .proportion, .logProportion, .logitProportion, .arcsineProportion, .freemanTukeyProportion: return .proportion
        case .correlation, .fisherZ: return .correlation
        case .logIncidenceRateRatio, .incidenceRateDifference: return .personTimeTwoGroup
        case .logIncidenceRate, .incidenceRate: return .personTimeSingleGroup
        case .meanChange, .standardizedMeanChangeChangeScore, .standardizedMeanChangeRawScore: return .paired
        case .generic: return .precomputed
        }
    }

    /// Whether the measure is computed from counts, so that `add`/`to`/`drop00` apply.
    public var usesContinuityCorrection: Bool {
        switch family {
        case .twoByTwo, .proportion, .personTimeTwoGroup, .personTimeSingleGroup: return true
        default: return false
        }
    }

    /// The phrase errors use for what needs a column, e.g. "measure OR".
    var requirement: String { "measure \(rawValue)" }
}
