/// Another tool's conventions for a pooled analysis: the choices that make the same data give that tool's numbers.
///
/// Each static member is one named set. meta 8.3's sets are those of its `settings.meta()` (R package meta 8.3-0,
/// `?settings.meta`, and the conformance bank v5b README, group `meta_presets`); `cochrane` follows the methods
/// Cochrane endorsed in 2022 and RevMan implemented in January 2025 (Cochrane Handbook ch. 10.10.4; Cochrane
/// Methods, "Random-effects meta-analysis methods for Intervention Reviews"); `stata` follows Stata's `meta summarize`
/// (Stata 18 [META] manual, "meta summarize", Methods and formulas).
public struct ToolConventions: Sendable, Equatable {
    /// The CI and test of the random-effects mean.
    public enum RandomEffectsInterval: String, Sendable, CaseIterable {
        /// μ̂ ± z·SE with SE = 1/√Σw*ᵢ, w*ᵢ = 1/(vᵢ + τ̂²) (DerSimonian & Laird 1986).
        case classic
        /// Hartung & Knapp (2001) / Sidik & Jonkman (2002): SE² = Σw*ᵢ(yᵢ − μ̂)²/((k − 1)Σw*ᵢ), t(k − 1).
        case hartungKnapp = "HK"
        /// Hartung–Knapp with IQWiG's ad hoc rule (IQWiG General Methods 6.1, 2022): where the HK interval is
        /// narrower than the classic one with the DerSimonian–Laird τ², the classic SE is used with t(k − 1).
        case hartungKnappIQWiG6 = "HK-IQWiG6"
    }

    /// The prediction interval μ̂ ± q·√(SE²_classic + τ̂²).
    public enum PredictionQuantile: String, Sendable, CaseIterable {
        /// q from t(k − 1) (meta's "V").
        case tWithKMinus1 = "t(k-1)"
        /// q from t(k − 2) (Higgins, Thompson & Spiegelhalter 2009, "HTS"); none for k < 3.
        case tWithKMinus2 = "t(k-2)"
    }

    /// The τ² confidence interval.
    public enum TauSquaredInterval: String, Sendable, CaseIterable {
        /// Q-profile (Viechtbauer 2007); for the DerSimonian–Laird estimator Jackson's (2013) generalized
        /// Q-profile with weights 1/SEᵢ, as meta does.
        case qProfile = "QP"
        /// Q-profile whatever the estimator.
        case qProfileAlways = "QP-all"
        /// No interval.
        case none
    }

    /// Where I² and H come from.
    public enum HeterogeneitySource: String, Sendable, CaseIterable {
        /// I² = max(0, (Q − df)/Q), H = √(Q/df), CIs from the test-based CI of log H (Higgins & Thompson 2002).
        case cochranQ = "Q"
        /// I² = τ̂²/(τ̂² + ṽ), H² = (τ̂² + ṽ)/ṽ with the typical within-study variance ṽ (Higgins & Thompson 2002).
        case tauSquared = "tau2"
    }

    /// The standard error of the common-effect estimate.
    public enum CommonEffectVariance: String, Sendable, CaseIterable {
        /// 1/√Σwᵢ, wᵢ = 1/vᵢ.
        case inverseVariance = "classic"
        /// Doi et al. (2015) IVhet: √Σ(wᵢ/Σw)²(vᵢ + τ̂²), τ̂² by the preset's estimator.
        case inverseVarianceHeterogeneity = "IVhet"
    }

    /// The name the conventions go by (meta's preset name, or "cochrane", "stata").
    public var name: String
    /// Where the conventions are documented.
    public var source: String
    public var estimator: TauSquaredEstimator
    public var tauSquaredInterval: TauSquaredInterval
    public var randomEffectsInterval: RandomEffectsInterval
    public var predictionQuantile: PredictionQuantile
    /// Whether the tool prints the prediction interval (it is computed either way).
    public var printsPredictionInterval: Bool
    public var heterogeneity: HeterogeneitySource
    public var commonEffectVariance: CommonEffectVariance
    /// Mantel–Haenszel pooling: Q, hence the DerSimonian–Laird τ², around the MH estimate and no τ² CI
    /// (meta's `Q.Cochrane` with RevMan 5's conventions).
    public var mantelHaenszelQ: Bool
    /// Risk ratio of a zero-cell study: 2·increment added to the group sizes (RevMan 5, `RR.Cochrane`).
    public var riskRatioCochrane: Bool
    /// Hedges' g with the exact bias correction J(m) = Γ(m/2)/(√(m/2) Γ((m−1)/2)); false: J = 1 − 3/(4m − 1) with
    /// Var = 1/n₁ + 1/n₂ + g²/(2(m − 1.94)) (RevMan 5).
    public var exactHedgesG: Bool
    /// Added to every cell of a study with a zero cell (only those studies).
    public var continuityCorrection: Double

    public init(name: String, source: String, estimator: TauSquaredEstimator, tauSquaredInterval: TauSquaredInterval,
                randomEffectsInterval: RandomEffectsInterval, predictionQuantile: PredictionQuantile,
                printsPredictionInterval: Bool, heterogeneity: HeterogeneitySource = .cochranQ,
                commonEffectVariance: CommonEffectVariance = .inverseVariance, mantelHaenszelQ: Bool = false,
                riskRatioCochrane: Bool = false, exactHedgesG: Bool = true, continuityCorrection: Double = 0.5) {
        self.name = name
        self.source = source
        self.estimator = estimator
        self.tauSquaredInterval = tauSquaredInterval
        self.randomEffectsInterval = randomEffectsInterval
        self.predictionQuantile = predictionQuantile
        self.printsPredictionInterval = printsPredictionInterval
        self.heterogeneity = heterogeneity
        self.commonEffectVariance = commonEffectVariance
        self.mantelHaenszelQ = mantelHaenszelQ
        self.riskRatioCochrane = riskRatioCochrane
        self.exactHedgesG = exactHedgesG
        self.continuityCorrection = continuityCorrection
    }

    static let metaSource = "R package meta 8.3-0, settings.meta()"

    /// meta 8.3's defaults (`settings.meta("reset")`).
    public static let meta = ToolConventions(
        name: "meta", source: metaSource + " defaults", estimator: .restrictedMaximumLikelihood, tauSquaredInterval: .qProfile,
        randomEffectsInterval: .classic, predictionQuantile: .tWithKMinus1, printsPredictionInterval: false)
    /// RevMan 5 (`settings.meta("RevMan5")`).
    public static let revman5 = ToolConventions(
        name: "revman5", source: metaSource + " \"RevMan5\"", estimator: .derSimonianLaird, tauSquaredInterval: .qProfile,
        randomEffectsInterval: .classic, predictionQuantile: .tWithKMinus1, printsPredictionInterval: false,
        mantelHaenszelQ: true, riskRatioCochrane: true, exactHedgesG: false)
    /// IQWiG General Methods 5 (`settings.meta("IQWiG5")`).
    public static let iqwig5 = ToolConventions(
        name: "iqwig5", source: metaSource + " \"IQWiG5\"", estimator: .restrictedMaximumLikelihood, tauSquaredInterval: .qProfile,
        randomEffectsInterval: .hartungKnapp, predictionQuantile: .tWithKMinus1, printsPredictionInterval: true)
    /// IQWiG General Methods 6 (`settings.meta("IQWiG6")`).
    public static let iqwig6 = ToolConventions(
        name: "iqwig6", source: metaSource + " \"IQWiG6\"", estimator: .pauleMandel, tauSquaredInterval: .qProfile,
        randomEffectsInterval: .hartungKnappIQWiG6, predictionQuantile: .tWithKMinus1, printsPredictionInterval: true)
    /// JAMA's layout: meta's default numbers.
    public static let jama = renamed(meta, "jama", "\"JAMA\" (printing only)")
    /// BMJ's layout: meta's default numbers.
    public static let bmj = renamed(meta, "bmj", "\"BMJ\" (printing only)")
    /// Gene expression layout: meta's defaults without a τ² CI.
    public static let geneexpr: ToolConventions = {
        var c = renamed(meta, "geneexpr", "\"geneexpr\"")
        c.tauSquaredInterval = .none
        return c
    }()
    /// IVhet (Doi et al. 2015; `settings.meta("IVhet")`).
    public static let ivhet: ToolConventions = {
        var c = renamed(meta, "ivhet", "\"IVhet\"")
        c.commonEffectVariance = .inverseVarianceHeterogeneity
        return c
    }()
    /// meta 4's defaults (`settings.meta("meta4")`).
    public static let meta4 = ToolConventions(
        name: "meta4", source: metaSource + " \"meta4\"", estimator: .derSimonianLaird, tauSquaredInterval: .qProfile,
        randomEffectsInterval: .classic, predictionQuantile: .tWithKMinus2, printsPredictionInterval: false,
        mantelHaenszelQ: true, exactHedgesG: false)
    /// meta 7's defaults (`settings.meta("meta7")`).
    public static let meta7 = ToolConventions(
        name: "meta7", source: metaSource + " \"meta7\"", estimator: .restrictedMaximumLikelihood, tauSquaredInterval: .qProfile,
        randomEffectsInterval: .classic, predictionQuantile: .tWithKMinus2, printsPredictionInterval: false)
    /// Cochrane's 2022 methods as RevMan implements them since January 2025: REML, Q-profile τ² CI, HKSJ, a
    /// prediction interval, I² from τ² (Cochrane Handbook ch. 10.10.4; Cochrane Methods, "Random-effects
    /// meta-analysis methods for Intervention Reviews", addendum May 2024).
    /// The prediction interval's quantile, t(k − 1), is UNCONFIRMED: the Cochrane Methods page says only that
    /// prediction intervals use "the t-distribution or the normal distribution" and no RevMan 2025 output or
    /// algorithm document giving the degrees of freedom was found (searched 2026-12-07); t(k − 1) is meta's "V"
    /// choice, which reproduces no bank case for this preset. Check it against RevMan output before relying on it.
    public static let cochrane = ToolConventions(
        name: "cochrane", source: "Cochrane Handbook ch. 10.10.4 (2024); Cochrane Methods random-effects methods (2022, addendum 2024); RevMan 2025",
        estimator: .restrictedMaximumLikelihood, tauSquaredInterval: .qProfileAlways, randomEffectsInterval: .hartungKnapp,
        predictionQuantile: .tWithKMinus1, printsPredictionInterval: true, heterogeneity: .tauSquared)
    /// Stata's `meta summarize` defaults: REML, z CI, no τ² CI, the prediction interval (`predinterval`) with
    /// t(k − 2), I² and H² from τ̂² (Stata 18 [META] meta summarize, Methods and formulas).
    public static let stata = ToolConventions(
        name: "stata", source: "Stata 18 [META] meta summarize, Methods and formulas",
        estimator: .restrictedMaximumLikelihood, tauSquaredInterval: .none, randomEffectsInterval: .classic,
        predictionQuantile: .tWithKMinus2, printsPredictionInterval: false, heterogeneity: .tauSquared)

    /// Every named set, in the order help lists them.
    public static let all: [ToolConventions] = [meta, revman5, iqwig5, iqwig6, jama, bmj, ivhet, meta4, meta7, geneexpr, cochrane, stata]

    private static func renamed(_ base: ToolConventions, _ name: String, _ setting: String) -> ToolConventions {
        var c = base
        c.name = name
        c.source = metaSource + " " + setting
        return c
    }

    /// The conventions in one line (for help and reports).
    public var summary: String {
        var parts = [estimator.rawValue]
        switch tauSquaredInterval {
        case .qProfile: parts.append(estimator == .derSimonianLaird ? "Jackson tau^2 CI" : "QP tau^2 CI")
        case .qProfileAlways: parts.append("QP tau^2 CI")
        case .none: parts.append("no tau^2 CI")
        }
        switch randomEffectsInterval {
        case .classic: parts.append("z CI")
        case .hartungKnapp: parts.append("HKSJ CI")
        case .hartungKnappIQWiG6: parts.append("HKSJ CI (IQWiG6 ad hoc)")
        }
        parts.append("PI \(predictionQuantile.rawValue)")
        parts.append(heterogeneity == .cochranQ ? "I^2 from Q" : "I^2 from tau^2")
        if commonEffectVariance == .inverseVarianceHeterogeneity { parts.append("IVhet common SE") }
        if mantelHaenszelQ { parts.append("MH-based Q") }
        if riskRatioCochrane { parts.append("RR.Cochrane") }
        if !exactHedgesG { parts.append("approx. Hedges' g") }
        return parts.joined(separator: ", ")
    }

    /// Every choice by name, as provenance records it.
    public var choices: [(String, String)] {
        [("conventions", name), ("conventions_source", source), ("method_tau", estimator.rawValue),
         ("method_tau_ci", tauSquaredIntervalCode), ("method_random_ci", randomEffectsInterval.rawValue),
         ("method_predict", predictionQuantile.rawValue), ("prediction_printed", String(printsPredictionInterval)),
         ("method_I2", heterogeneity.rawValue), ("method_common_ci", commonEffectVariance.rawValue),
         ("Q_Cochrane", String(mantelHaenszelQ)), ("RR_Cochrane", String(riskRatioCochrane)),
         ("exact_smd", String(exactHedgesG)), ("incr", "\(continuityCorrection) (only studies with a zero cell)")]
    }

    /// These conventions with another τ² estimator (an explicit choice over the preset's).
    public func with(estimator: TauSquaredEstimator) -> ToolConventions {
        var c = self
        c.estimator = estimator
        return c
    }

    /// The τ² interval actually used with this estimator: "QP", "J" (Jackson) or "" (none).
    public var tauSquaredIntervalCode: String {
        switch tauSquaredInterval {
        case .qProfile: return estimator == .derSimonianLaird ? "J" : "QP"
        case .qProfileAlways: return "QP"
        case .none: return ""
        }
    }
}
