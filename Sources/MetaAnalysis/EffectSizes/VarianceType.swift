/// How sampling variances are estimated (metafor's `vtype`; escalc's documentation, "Details" by measure).
/// The large-sample variances are the default everywhere; the others exist only for the measures listed in
/// `available(for:)`, and each calculator documents its formula.
public enum VarianceType: String, CaseIterable, Sendable, Codable {
    /// The usual large-sample approximations (`"LS"`).
    case largeSample = "LS"
    /// Unbiased estimates of the sampling variances (SMD: Hedges 1983, eq. 9; RD, PR: n − 1 in place of n; SMCC;
    /// UCOR).
    case unbiased = "UB"
    /// A second large-sample formula (SMD, SMCC, SMCR: the variance of the uncorrected estimate scaled by c(m)²;
    /// SMDH, SMCRH, SMCRPH: n in place of n − 1; ROM: with the second-order terms; R²: Olkin & Finn's).
    case largeSampleBorenstein = "LS2"
    /// The large-sample formula with the sample-size weighted average of the estimates (or of the proportions,
    /// CVs or R²) across studies plugged in.
    case averaged = "AV"
    /// MD, MN, ROM: assuming equal variances in the two groups (or across studies: MN).
    case homoscedastic = "HO"
    /// The variance under the null hypothesis of no effect (RR, OR, RD: the pooled proportion; SMD, SMCC: the
    /// exact variance of the corrected estimate at zero; COR: (1 − r²)/(n − 2)).
    case underNull = "H0"
    /// COR: 1/n.
    case underNullSimple = "H0b"
    /// PHI (= LS), RPB: cross-sectional sampling (only the total is fixed).
    case crossSectional = "CS"
    /// PHI, RPB (= LS): stratified sampling (the group sizes are fixed).
    case stratified = "ST"
    /// ROM: `AV` with one coefficient of variation for both groups.
    case averagedHomoscedastic = "AVHO"
    /// R²: `LS2` with the sample-size weighted average R² plugged in.
    case averagedLargeSample2 = "AV2"
    /// CLESN, AUCN: the delta method with n for the means and n − 1 for the variances.
    case largeSample3 = "LS3"
    /// AUC, CLES: the largest variance an area A can have, A(1 − A)/(min(n1, n2) − 1).
    case maximum = "MAX"

    /// The variance types metafor documents for `measure` that are implemented here (at least `LS`).
    public static func available(for measure: EffectMeasure) -> [VarianceType] {
        switch measure {
        case .standardizedMeanDifference: return [.largeSample, .unbiased, .largeSampleBorenstein, .averaged, .underNull]
        case .meanDifference: return [.largeSample, .homoscedastic]
        case .logRiskRatio, .logOddsRatio: return [.largeSample, .averaged, .underNull]
        case .riskDifference: return [.largeSample, .unbiased, .averaged, .underNull]
        case .phi, .fisherZPhi: return [.largeSample, .crossSectional, .stratified]
        case .pointBiserialCorrelation, .fisherZPointBiserial: return [.largeSample, .stratified, .crossSectional]
        case .proportion: return [.largeSample, .unbiased, .averaged]
        case .logProportion, .logitProportion: return [.largeSample, .averaged]
        case .correlation: return [.largeSample, .averaged, .underNull, .underNullSimple]
        case .unbiasedCorrelation: return [.largeSample, .unbiased, .averaged]
        case .heteroscedasticStandardizedMeanDifference: return [.largeSample, .largeSampleBorenstein]
        case .logRatioOfMeans: return [.largeSample, .homoscedastic, .averaged, .averagedHomoscedastic, .largeSampleBorenstein]
        case .mean: return [.largeSample, .homoscedastic]
        case .logVariabilityRatio, .logCoefficientOfVariationRatio, .pairedLogRatioOfMeans, .pairedLogVariabilityRatio,
             .pairedLogCoefficientOfVariationRatio:
            return [.largeSample, .largeSampleBorenstein]
        case .commonLanguageEffectSizeNormal, .areaUnderCurveNormal:
            return [.largeSample, .largeSampleBorenstein, .largeSample3, .homoscedastic, .underNull]
        case .commonLanguageEffectSize, .areaUnderCurve: return [.largeSample, .largeSampleBorenstein, .underNull, .maximum]
        case .standardizedMeanChangeChangeScore: return [.largeSample, .largeSampleBorenstein, .unbiased, .underNull]
        case .standardizedMeanChangeRawScore: return [.largeSample, .largeSampleBorenstein, .unbiased, .underNull]
        case .heteroscedasticStandardizedMeanChangeRawScore, .heteroscedasticStandardizedMeanChangePooled:
            return [.largeSample, .largeSampleBorenstein]
        case .partialCorrelation, .semiPartialCorrelation: return [.largeSample, .averaged]
        case .rSquared: return [.largeSample, .largeSampleBorenstein, .averaged, .averagedLargeSample2]
        default: return [.largeSample]
        }
    }
}
