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

    // MARK: 2×2 association (ai, bi, ci, di or ai, n1i, ci, n2i)
    /// Phi coefficient (Yule 1912).
    case phi = "PHI"
    /// Fisher's z of the phi coefficient.
    case fisherZPhi = "ZPHI"
    /// Yule's Q (Yule 1900).
    case yuleQ = "YUQ"
    /// Yule's Y, the coefficient of colligation (Yule 1912).
    case yuleY = "YUY"
    /// Tetrachoric correlation (Pearson 1900).
    case tetrachoricCorrelation = "RTET"
    /// Fisher's z of the tetrachoric correlation.
    case fisherZTetrachoric = "ZTET"
    /// Probit difference (Sánchez-Meca et al. 2003).
    case probitDifference = "PBIT"
    /// Log odds ratio rescaled to an SMD by the logistic distribution's SD, π/√3 (Hasselblad & Hedges 1995);
    /// metafor's older code for OR2DL.
    case oddsRatioToSMD = "OR2D"
    /// Log odds ratio rescaled to an SMD by the normal approximation's factor 1.65 (Cox 1970).
    case oddsRatioToSMDNormal = "OR2DN"
    /// Log odds ratio rescaled to an SMD by the logistic distribution's SD, π/√3 (Hasselblad & Hedges 1995).
    case oddsRatioToSMDLogistic = "OR2DL"

    // MARK: Matched pairs (ai = events in both, bi = only 1, ci = only 2, di = neither)
    /// Risk difference of paired binary data.
    case matchedPairsRiskDifference = "MPRD"
    /// Log risk ratio of paired binary data.
    case matchedPairsLogRiskRatio = "MPRR"
    /// Marginal log odds ratio of paired binary data (Becker & Balagtas 1993).
    case matchedPairsLogOddsRatio = "MPOR"
    /// Conditional log odds ratio of paired binary data, log(bi/ci) (Breslow & Day 1980).
    case matchedPairsConditionalLogOddsRatio = "MPORC"
    /// Conditional log odds ratio of paired binary data by Peto's one-step method.
    case matchedPairsPetoLogOddsRatio = "MPPETO"

    // MARK: Two-group continuous (m1i, sd1i, n1i, m2i, sd2i, n2i)
    /// Raw mean difference.
    case meanDifference = "MD"
    /// Standardized mean difference, Hedges' g with the exact bias correction (Hedges 1981).
    case standardizedMeanDifference = "SMD"
    /// Standardized mean difference with heteroscedastic SDs (Bonett 2009).
    case heteroscedasticStandardizedMeanDifference = "SMDH"
    /// Log ratio of means (Hedges, Gurevitch & Curtis 1999).
    case logRatioOfMeans = "ROM"
    /// Standardized mean difference standardized by group 2's SD (Glass's Δ with Hedges' correction).
    case standardizedMeanDifferenceByGroup2 = "SMD1"
    /// SMD1 with a variance that allows unequal variances in the two groups.
    case heteroscedasticStandardizedMeanDifferenceByGroup2 = "SMD1H"
    /// Log variability ratio, log(sd1/sd2) (Nakagawa et al. 2015).
    case logVariabilityRatio = "VR"
    /// Log coefficient-of-variation ratio (Nakagawa et al. 2015).
    case logCoefficientOfVariationRatio = "CVR"
    /// Point-biserial correlation from two groups' means and SDs (Jacobs & Viechtbauer 2017).
    case pointBiserialCorrelation = "RPB"
    /// Biserial correlation from two groups' means and SDs (Jacobs & Viechtbauer 2017).
    case biserialCorrelation = "RBIS"
    /// Fisher's z of the point-biserial correlation.
    case fisherZPointBiserial = "ZPB"
    /// Fisher's z of the biserial correlation.
    case fisherZBiserial = "ZBIS"
    /// SMD (Cohen's d, no correction) rescaled to a log odds ratio by π/√3 (Hasselblad & Hedges 1995); older code
    /// for D2ORL.
    case smdToLogOddsRatio = "D2OR"
    /// SMD rescaled to a log odds ratio by 1.65 (Cox 1970).
    case smdToLogOddsRatioNormal = "D2ORN"
    /// SMD rescaled to a log odds ratio by π/√3 (Hasselblad & Hedges 1995).
    case smdToLogOddsRatioLogistic = "D2ORL"
    /// Common language effect size (the probability that a value of group 1 exceeds one of group 2) under normality,
    /// Φ((m1 − m2)/√(sd1² + sd2²)) (McGraw & Wong 1992).
    case commonLanguageEffectSizeNormal = "CLESN"
    /// The area under the ROC curve under normality; the same quantity as CLESN.
    case areaUnderCurveNormal = "AUCN"

    // MARK: Reported AUC / CLES (ai = the area or probability, n1i, n2i)
    /// The common language effect size as reported (e.g. a Mann–Whitney U over n1·n2), with a variance from the group
    /// sizes (Newcombe 2006).
    case commonLanguageEffectSize = "CLES"
    /// The area under the ROC curve as reported; the same quantity and variances as CLES.
    case areaUnderCurve = "AUC"

    // MARK: Single-group continuous (mi, sdi, ni)
    /// Raw mean.
    case mean = "MN"
    /// Single-group standardized mean, c(n − 1)·m/sd.
    case standardizedMean = "SMN"
    /// Log standard deviation (Nakagawa et al. 2015).
    case logStandardDeviation = "SDLN"
    /// Log mean.
    case logMean = "MNLN"
    /// Log coefficient of variation (Nakagawa et al. 2015).
    case logCoefficientOfVariation = "CVLN"

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
    /// Probit-transformed proportion, Φ⁻¹(p).
    case probitProportion = "PRZ"

    // MARK: Correlations (ri, ni)
    /// Raw correlation coefficient.
    case correlation = "COR"
    /// Fisher's r-to-z transformed correlation.
    case fisherZ = "ZCOR"
    /// Unbiased estimate of the correlation, r·₂F₁(½, ½; (n − 2)/2; 1 − r²) (Olkin & Pratt 1958).
    case unbiasedCorrelation = "UCOR"

    // MARK: (Semi-)partial correlations (ti, ni, mi [, r2i]) and R² (r2i, mi, ni)
    /// Partial correlation from a regression coefficient's t statistic (Aloe & Becker 2012).
    case partialCorrelation = "PCOR"
    /// Fisher's z of the partial correlation.
    case fisherZPartialCorrelation = "ZPCOR"
    /// Semi-partial correlation from a t statistic and the model's R² (Aloe & Becker 2012).
    case semiPartialCorrelation = "SPCOR"
    /// Fisher's z of the semi-partial correlation.
    case fisherZSemiPartialCorrelation = "ZSPCOR"
    /// Coefficient of determination R².
    case rSquared = "R2"
    /// Fisher's z of the multiple correlation, atanh √R².
    case fisherZRSquared = "ZR2"

    // MARK: Reliability (ai = Cronbach's alpha, mi = items, ni)
    /// Raw Cronbach's alpha.
    case rawAlpha = "ARAW"
    /// Hakstian–Whalen transformed alpha, 1 − (1 − α)^(1/3) (Hakstian & Whalen 1976).
    case hakstianWhalenAlpha = "AHW"
    /// Bonett-transformed alpha, −log(1 − α) (Bonett 2002).
    case bonettAlpha = "ABT"

    // MARK: Person-time (x1i, t1i, x2i, t2i or xi, ti)
    /// Log incidence rate ratio.
    case logIncidenceRateRatio = "IRR"
    /// Incidence rate difference.
    case incidenceRateDifference = "IRD"
    /// Log incidence rate (single group).
    case logIncidenceRate = "IRLN"
    /// Raw incidence rate (single group).
    case incidenceRate = "IR"
    /// Square-root transformed incidence rate difference.
    case squareRootIncidenceRateDifference = "IRSD"
    /// Square-root transformed incidence rate (single group).
    case squareRootIncidenceRate = "IRS"
    /// Freeman–Tukey transformed incidence rate (single group).
    case freemanTukeyIncidenceRate = "IRFT"

    // MARK: Paired / pre-post (m1i, m2i, sd1i, sd2i, ni, ri)
    /// Raw mean change.
    case meanChange = "MC"
    /// Standardized mean change using change-score standardization (Gibbons et al. 1993).
    case standardizedMeanChangeChangeScore = "SMCC"
    /// Standardized mean change using raw-score standardization (Becker 1988).
    case standardizedMeanChangeRawScore = "SMCR"
    /// SMCR with a variance that allows unequal variances at the two occasions (Bonett 2008).
    case heteroscedasticStandardizedMeanChangeRawScore = "SMCRH"
    /// Standardized mean change standardized by the pooled SD of both occasions (Cousineau 2020).
    case standardizedMeanChangePooled = "SMCRP"
    /// SMCRP with a variance that allows unequal variances at the two occasions (Bonett 2008).
    case heteroscedasticStandardizedMeanChangePooled = "SMCRPH"
    /// Log ratio of means of paired data (Lajeunesse 2011).
    case pairedLogRatioOfMeans = "ROMC"
    /// Log variability ratio of paired data.
    case pairedLogVariabilityRatio = "VRC"
    /// Log coefficient-of-variation ratio of paired data.
    case pairedLogCoefficientOfVariationRatio = "CVRC"
    /// Common language effect size of paired data under normality, Φ((m1 − m2)/√(sd1² + sd2²)).
    case pairedCommonLanguageEffectSizeNormal = "CLESCN"
    /// The area under the ROC curve of paired data under normality; the same quantity as CLESCN.
    case pairedAreaUnderCurveNormal = "AUCCN"

    // MARK: Genetics (ai, bi, ci = genotype counts)
    /// Log relative excess heterozygosity (Ziegler et al. 2011).
    case relativeExcessHeterozygosity = "REH"

    // MARK: Precomputed (yi with vi or sei)
    /// Effect sizes already computed: `yi` with `vi`, or `yi` with `sei` (`vi = sei²`).
    case generic = "GEN"

    /// The kind of data a measure is computed from.
    public enum Family: String, CaseIterable, Sendable {
        case twoByTwo, matchedPairs, twoGroupContinuous, singleGroupContinuous, proportion, correlation
        case areaUnderCurve, partialCorrelation, rSquared, personTimeTwoGroup, personTimeSingleGroup, paired, reliability, genotypes
        case precomputed
    }

    public var family: Family {
        switch self {
        case .logRiskRatio, .logOddsRatio, .riskDifference, .arcsineRiskDifference, .petoLogOddsRatio,
             .phi, .fisherZPhi, .yuleQ, .yuleY, .tetrachoricCorrelation, .fisherZTetrachoric, .probitDifference, .oddsRatioToSMD, .oddsRatioToSMDNormal,
             .oddsRatioToSMDLogistic:
            return .twoByTwo
        case .matchedPairsRiskDifference, .matchedPairsLogRiskRatio, .matchedPairsLogOddsRatio,
             .matchedPairsConditionalLogOddsRatio, .matchedPairsPetoLogOddsRatio:
            return .matchedPairs
        case .meanDifference, .standardizedMeanDifference, .heteroscedasticStandardizedMeanDifference, .logRatioOfMeans,
             .standardizedMeanDifferenceByGroup2, .heteroscedasticStandardizedMeanDifferenceByGroup2, .logVariabilityRatio,
             .logCoefficientOfVariationRatio, .pointBiserialCorrelation, .biserialCorrelation, .fisherZPointBiserial,
             .fisherZBiserial, .smdToLogOddsRatio, .smdToLogOddsRatioNormal, .smdToLogOddsRatioLogistic,
             .commonLanguageEffectSizeNormal, .areaUnderCurveNormal:
            return .twoGroupContinuous
        case .commonLanguageEffectSize, .areaUnderCurve: return .areaUnderCurve
        case .mean, .standardizedMean, .logStandardDeviation, .logMean, .logCoefficientOfVariation: return .singleGroupContinuous
        case .proportion, .logProportion, .logitProportion, .arcsineProportion, .freemanTukeyProportion, .probitProportion:
            return .proportion
        case .correlation, .fisherZ, .unbiasedCorrelation: return .correlation
        case .partialCorrelation, .fisherZPartialCorrelation, .semiPartialCorrelation, .fisherZSemiPartialCorrelation:
            return .partialCorrelation
        case .rSquared, .fisherZRSquared: return .rSquared
        case .logIncidenceRateRatio, .incidenceRateDifference, .squareRootIncidenceRateDifference: return .personTimeTwoGroup
        case .logIncidenceRate, .incidenceRate, .squareRootIncidenceRate, .freemanTukeyIncidenceRate: return .personTimeSingleGroup
        case .meanChange, .standardizedMeanChangeChangeScore, .standardizedMeanChangeRawScore,
             .heteroscedasticStandardizedMeanChangeRawScore, .standardizedMeanChangePooled,
             .heteroscedasticStandardizedMeanChangePooled, .pairedLogRatioOfMeans, .pairedLogVariabilityRatio,
             .pairedLogCoefficientOfVariationRatio, .pairedCommonLanguageEffectSizeNormal, .pairedAreaUnderCurveNormal:
            return .paired
        case .rawAlpha, .hakstianWhalenAlpha, .bonettAlpha: return .reliability
        case .relativeExcessHeterozygosity: return .genotypes
        case .generic: return .precomputed
        }
    }

    /// Whether the measure is computed from counts, so that `add`/`to`/`drop00` apply.
    public var usesContinuityCorrection: Bool {
        switch family {
        case .twoByTwo, .matchedPairs, .proportion, .personTimeTwoGroup, .personTimeSingleGroup, .genotypes: return true
        default: return false
        }
    }

    /// metafor's default `add` for this measure: 0 for the measures that need no correction of zero counts (PHI,
    /// ZPHI, RTET, ZTET, IRSD, IRS, IRFT; metafor's `escalc` switches it off unless the user passes `add`), ½ otherwise. AS, PAS
    /// and PFT keep ½ here, as the bank's metafor 3.8-1-era `escalc` cases show (see ``EscalcOptions``).
    public var defaultAdd: Double {
        switch self {
        case .phi, .fisherZPhi, .tetrachoricCorrelation, .fisherZTetrachoric, .squareRootIncidenceRateDifference, .squareRootIncidenceRate, .freemanTukeyIncidenceRate: return 0
        default: return 0.5
        }
    }

    /// Whether `correct` (metafor's bias/small-sample correction) changes this measure.
    public var hasBiasCorrection: Bool {
        switch self {
        case .standardizedMeanDifference, .heteroscedasticStandardizedMeanDifference, .logRatioOfMeans,
             .standardizedMeanDifferenceByGroup2, .heteroscedasticStandardizedMeanDifferenceByGroup2, .logVariabilityRatio,
             .logCoefficientOfVariationRatio, .standardizedMean, .logStandardDeviation, .logCoefficientOfVariation,
             .standardizedMeanChangeChangeScore, .standardizedMeanChangeRawScore, .heteroscedasticStandardizedMeanChangeRawScore,
             .standardizedMeanChangePooled, .heteroscedasticStandardizedMeanChangePooled, .pairedLogRatioOfMeans,
             .pairedLogCoefficientOfVariationRatio:
            return true
        default: return false
        }
    }

    /// The phrase errors use for what needs a column, e.g. "measure OR".
    var requirement: String { "measure \(rawValue)" }
}
