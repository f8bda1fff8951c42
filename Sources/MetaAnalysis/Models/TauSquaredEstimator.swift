/// How the between-study variance τ² of a random-effects model is estimated; raw values are metafor's codes.
///
/// Formulas: DerSimonian & Laird (1986); Hedges & Olkin (1985) for HE; Hunter & Schmidt (2004) for HS/HSk;
/// Sidik & Jonkman (2005) for SJ; Viechtbauer (2005) for ML, REML and EB; Paule & Mandel (1982) for PM;
/// DerSimonian & Kacker (2007) for the generalized method of moments (GENQ, DLIT); Jackson (2013) and
/// Bowden, Tierney, Copas & Burdett (2011) for the median-unbiased variants (PMM, GENQM).
public enum TauSquaredEstimator: String, CaseIterable, Sendable, Codable {
    /// Common-effect ("equal-effects") model: τ² = 0. metafor's `FE` and `CE` name the same model.
    case commonEffect = "EE"
    case derSimonianLaird = "DL"
    case hedges = "HE"
    case hunterSchmidt = "HS"
    /// Hunter–Schmidt with the small-sample factor k/(k − p).
    case hunterSchmidtCorrected = "HSk"
    case sidikJonkman = "SJ"
    case maximumLikelihood = "ML"
    case restrictedMaximumLikelihood = "REML"
    case empiricalBayes = "EB"
    case pauleMandel = "PM"
    /// Median-unbiased Paule–Mandel: Q(τ²) equals the median of χ²(k − p).
    case pauleMandelMedian = "PMM"
    /// Generalized method of moments with user weights (DerSimonian & Kacker 2007).
    case generalizedQ = "GENQ"
    /// Median-unbiased generalized Q with user weights (Jackson 2013).
    case generalizedQMedian = "GENQM"
    /// DerSimonian–Laird iterated to a fixed point.
    case iteratedDerSimonianLaird = "DLIT"
    /// Sidik–Jonkman iterated to a fixed point.
    case iteratedSidikJonkman = "SJIT"

    /// Parses a metafor code; `FE` and `CE` are accepted as aliases of `EE`. Case-sensitive as metafor.
    public init?(code: String) {
        if code == "FE" || code == "CE" { self = .commonEffect; return }
        self.init(rawValue: code)
    }

    /// Whether the estimate comes from an iterative solver (as opposed to a closed formula).
    public var isIterative: Bool {
        switch self {
        case .maximumLikelihood, .restrictedMaximumLikelihood, .empiricalBayes, .pauleMandel, .pauleMandelMedian,
             .generalizedQMedian, .iteratedDerSimonianLaird, .iteratedSidikJonkman:
            return true
        case .commonEffect, .derSimonianLaird, .hedges, .hunterSchmidt, .hunterSchmidtCorrected, .sidikJonkman,
             .generalizedQ:
            return false
        }
    }

    /// GENQ and GENQM need user weights (and use them for the pooled estimate).
    public var needsUserWeights: Bool { self == .generalizedQ || self == .generalizedQMedian }

    /// A short English name for summaries.
    public var displayName: String {
        switch self {
        case .commonEffect: return "common effect (equal effects)"
        case .derSimonianLaird: return "DerSimonian–Laird"
        case .hedges: return "Hedges"
        case .hunterSchmidt: return "Hunter–Schmidt"
        case .hunterSchmidtCorrected: return "Hunter–Schmidt (small-sample corrected)"
        case .sidikJonkman: return "Sidik–Jonkman"
        case .maximumLikelihood: return "maximum likelihood"
        case .restrictedMaximumLikelihood: return "restricted maximum likelihood"
        case .empiricalBayes: return "empirical Bayes"
        case .pauleMandel: return "Paule–Mandel"
        case .pauleMandelMedian: return "median-unbiased Paule–Mandel"
        case .generalizedQ: return "generalized Q (method of moments, user weights)"
        case .generalizedQMedian: return "median-unbiased generalized Q (user weights)"
        case .iteratedDerSimonianLaird: return "iterated DerSimonian–Laird"
        case .iteratedSidikJonkman: return "iterated Sidik–Jonkman"
        }
    }
}
