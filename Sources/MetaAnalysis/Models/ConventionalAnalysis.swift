#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// An inverse-variance common-effect and random-effects analysis computed under a tool's ``ToolConventions``
/// (meta's `metagen` pipeline: Schwarzer, Carpenter & Rücker 2015, *Meta-Analysis with R*, ch. 2–4).
public struct ConventionalAnalysis: Sendable {
    /// A pooled estimate with its CI and test.
    public struct Estimate: Sendable, Equatable {
        public var estimate: Double
        public var standardError: Double
        public var lower: Double
        public var upper: Double
        /// The z or t statistic and its two-sided p-value (nil without a null hypothesis).
        public var statistic: Double?
        public var pValue: Double?
        /// Degrees of freedom of the t quantile; nil for the normal.
        public var degreesOfFreedom: Int?
    }

    /// A common effect pooled otherwise than by inverse variance (Mantel–Haenszel), with its study weights.
    public struct CommonEffect: Sendable, Equatable {
        public var estimate: Double
        public var standardError: Double
        public var weights: [Double]
        public init(estimate: Double, standardError: Double, weights: [Double]) {
            self.estimate = estimate
            self.standardError = standardError
            self.weights = weights
        }
    }

    public let conventions: ToolConventions
    /// Confidence level as a fraction (0.95).
    public let level: Double
    public let effectSizes: [Double]
    public let standardErrors: [Double]
    public let studies: [String]
    public var studyCount: Int { effectSizes.count }

    public let common: Estimate
    public let random: Estimate
    /// 1/√Σw*ᵢ (nil for a GLMM).
    public let randomClassicStandardError: Double?
    /// Hartung–Knapp SE √(Σw*ᵢ(yᵢ − μ̂)²/((k − 1)Σw*ᵢ)) (nil for a GLMM).
    public let randomHartungKnappStandardError: Double?
    /// Common-effect weights (1/vᵢ, or Mantel–Haenszel's) and random-effects weights 1/(vᵢ + τ̂²); nil for a GLMM.
    public let commonWeights: [Double]?
    public let randomWeights: [Double]?

    /// √(SE²_classic + τ̂²), its t degrees of freedom, and the bounds (nil when the df are below 1).
    public let predictionStandardError: Double
    public let predictionDegreesOfFreedom: Int
    public let predictionLower: Double?
    public let predictionUpper: Double?

    public let tauSquared: Double
    public let tauSquaredStandardError: Double?
    /// τ² CI bounds (nil without an interval).
    public let tauSquaredLower: Double?
    public let tauSquaredUpper: Double?

    /// Whether Q (and the DerSimonian–Laird τ²) was taken around the Mantel–Haenszel estimate (meta's `Q.Cochrane`).
    public let qAroundCommonEffect: Bool
    /// The τ² interval computed: "QP", "J" (Jackson) or "" (none).
    public let tauSquaredIntervalCode: String
    /// Cochran's Q around the common estimate, df = k − 1, its χ² p-value.
    public let q: Double
    public let qPValue: Double
    public var qDegreesOfFreedom: Int { studyCount - 1 }
    /// A GLMM's likelihood-ratio test of heterogeneity beside the Wald-type `q` (nil otherwise).
    public let likelihoodRatioQ: Double?
    public let likelihoodRatioQPValue: Double?
    /// H and I² (a fraction) with CIs, from Q or from τ² per `conventions.heterogeneity`.
    public let h: Double
    public let hLower: Double?
    public let hUpper: Double?
    public let iSquared: Double
    public let iSquaredLower: Double?
    public let iSquaredUpper: Double?

    /// Fits `y` with standard errors `se` under `conventions`. `nullEffect` is the value the z/t tests refer to (nil:
    /// no test, as meta for a single proportion); `common` replaces the inverse-variance common effect (its Q is
    /// then Q around it when the conventions take Q around the Mantel–Haenszel estimate for DerSimonian–Laird).
    /// - Throws: `InputError` for fewer than two studies, a non-finite value or a standard error ≤ 0;
    ///   `EstimationError` when τ² cannot be estimated.
    public static func fit(effectSizes y: [Double], standardErrors se: [Double], studies: [String] = [],
                           conventions c: ToolConventions, level: Double = 0.95, nullEffect: Double? = 0,
                           common override: CommonEffect? = nil) throws -> ConventionalAnalysis {
        precondition(y.count == se.count, "effect sizes and standard errors must have equal length")
        let k = y.count
        guard k >= 2 else { throw InputError.tooFewStudies(found: k, needed: 2, analysis: "A random-effects analysis under \(c.name) conventions") }
        guard level > 0, level < 1 else {
            throw InputError.invalidOption(name: "level", value: String(level), expected: "a confidence level between 0 and 1")
        }
        for i in 0..<k {
            guard y[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "yi", value: String(y[i])) }
            guard se[i].isFinite, se[i] > 0 else {
                throw InputError.invalidOption(name: "standard error of study \(i + 1)", value: String(se[i]), expected: "a finite value > 0")
            }
        }
        let v = se.map { $0 * $0 }
        let z = Normal.quantile(1 - (1 - level) / 2)
        let tk1 = StudentT(degreesOfFreedom: Double(k - 1))
        let q1 = tk1.quantile(1 - (1 - level) / 2)

        // τ² by the conventions' estimator (converged to 1e-13, as the bank's tight reference).
        let options = RandomEffectsOptions(estimator: c.estimator, test: .z, level: 100 * level)
        let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: options)

        // Common effect and Q (around the inverse-variance mean, or around the MH estimate: Q.Cochrane).
        let w = v.map { 1 / $0 }
        let sw = w.reduce(0, +)
        let muIV = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sw
        let qAroundOverride = override != nil && c.mantelHaenszelQ && c.estimator == .derSimonianLaird
        let qCentre = qAroundOverride ? override!.estimate : muIV
        let q = zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 - qCentre) * ($1.1 - qCentre) }
        let qP = ChiSquared(degreesOfFreedom: Double(k - 1)).survival(q)
        // DerSimonian & Laird (1986) from that Q.
        let tau2 = qAroundOverride ? max(0, (q - Double(k - 1)) / (sw - w.reduce(0) { $0 + $1 * $1 } / sw)) : model.tauSquared
        let muCommon = override?.estimate ?? muIV
        var seCommon = override?.standardError ?? (1 / sw).squareRoot()
        if c.commonEffectVariance == .inverseVarianceHeterogeneity && override == nil {
            // Doi et al. (2015), eq. 3.
            seCommon = zip(w, v).reduce(0) { $0 + ($1.0 / sw) * ($1.0 / sw) * ($1.1 + tau2) }.squareRoot()
        }
        let common = normalEstimate(muCommon, seCommon, z: z, null: nullEffect)

        // Random effects.
        let ws = v.map { 1 / ($0 + tau2) }
        let sws = ws.reduce(0, +)
        let mu = zip(ws, y).reduce(0) { $0 + $1.0 * $1.1 } / sws
        let seClassic = (1 / sws).squareRoot()
        let seHK = (zip(ws, y).reduce(0) { $0 + $1.0 * ($1.1 - mu) * ($1.1 - mu) } / (Double(k - 1) * sws)).squareRoot()
        let random: Estimate
        switch c.randomEffectsInterval {
        case .classic:
            random = normalEstimate(mu, seClassic, z: z, null: nullEffect)
        case .hartungKnapp:
            random = tEstimate(mu, seHK, q: q1, distribution: tk1, df: k - 1, null: nullEffect)
        case .hartungKnappIQWiG6:
            // The classic interval with the DerSimonian–Laird τ² is the yardstick (IQWiG General Methods 6.1, 9.3.2).
            let dl = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v,
                                                options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
            let seDL = (1 / v.reduce(0) { $0 + 1 / ($1 + dl.tauSquared) }).squareRoot()
            let se = q1 * seHK < z * seDL ? seClassic : seHK
            random = tEstimate(mu, se, q: q1, distribution: tk1, df: k - 1, null: nullEffect)
        }

        // Prediction interval with the classic SE.
        let (seP, dfP, pLower, pUpper) = predictionInterval(mu, standardError: seClassic, tauSquared: tau2, studyCount: k,
                                                            quantile: c.predictionQuantile, level: level)

        // τ² interval.
        var tLower: Double?, tUpper: Double?
        let code = qAroundOverride ? "" : c.tauSquaredIntervalCode
        if code == "QP" {
            if let ci = try model.heterogeneityConfidenceIntervals(method: .qProfile) {
                tLower = ci.tauSquared.lower
                tUpper = ci.tauSquared.upper
            }
        } else if code == "J" {
            // Jackson (2013): the generalized Q-profile with weights 1/SEᵢ.
            let jackson = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, userWeights: se.map { 1 / $0 },
                                                     options: RandomEffectsOptions(estimator: .generalizedQ, test: .z, level: 100 * level))
            if let ci = try jackson.heterogeneityConfidenceIntervals(method: .generalizedQProfile) {
                tLower = ci.tauSquared.lower
                tUpper = ci.tauSquared.upper
            }
        }

        // H and I².
        let df = Double(k - 1)
        var h: Double, hL: Double?, hU: Double?, i2: Double, i2L: Double?, i2U: Double?
        switch c.heterogeneity {
        case .cochranQ:
            (h, hL, hU, i2, i2L, i2U) = heterogeneity(q: q, studyCount: k, z: z)
        case .tauSquared:
            let vt = df * sw / (sw * sw - w.reduce(0) { $0 + $1 * $1 })
            h = ((tau2 + vt) / vt).squareRoot()
            i2 = tau2 / (tau2 + vt)
            hL = tLower.map { (($0 + vt) / vt).squareRoot() }
            hU = tUpper.map { (($0 + vt) / vt).squareRoot() }
            i2L = tLower.map { $0 / ($0 + vt) }
            i2U = tUpper.map { $0 / ($0 + vt) }
        }

        return ConventionalAnalysis(
            conventions: c, level: level, effectSizes: y, standardErrors: se,
            studies: studies.count == k ? studies : (1...k).map(String.init),
            common: common, random: random, randomClassicStandardError: seClassic, randomHartungKnappStandardError: seHK,
            commonWeights: override?.weights ?? w, randomWeights: ws, predictionStandardError: seP, predictionDegreesOfFreedom: dfP,
            predictionLower: pLower, predictionUpper: pUpper, tauSquared: tau2,
            tauSquaredStandardError: qAroundOverride ? nil : model.tauSquaredEstimate?.standardError, tauSquaredLower: tLower, tauSquaredUpper: tUpper,
            qAroundCommonEffect: qAroundOverride, tauSquaredIntervalCode: code, q: q, qPValue: qP,
            likelihoodRatioQ: nil, likelihoodRatioQPValue: nil, h: h, hLower: hL, hUpper: hU, iSquared: i2, iSquaredLower: i2L, iSquaredUpper: i2U)
    }

    /// The prediction interval μ ± t_df · √(SE² + τ̂²) with df = k − 1 or k − 2 as the conventions' quantile says
    /// (Higgins, Thompson & Spiegelhalter 2009, eq. 12 for k − 2); no bounds when df < 1.
    static func predictionInterval(_ mu: Double, standardError se: Double, tauSquared: Double, studyCount k: Int,
                                   quantile: ToolConventions.PredictionQuantile, level: Double)
        -> (standardError: Double, degreesOfFreedom: Int, lower: Double?, upper: Double?)
    {
        let seP = (se * se + tauSquared).squareRoot()
        let df = quantile == .tWithKMinus1 ? k - 1 : k - 2
        guard df >= 1 else { return (seP, df, nil, nil) }
        let q = StudentT(degreesOfFreedom: Double(df)).quantile(1 - (1 - level) / 2)
        return (seP, df, mu - q * seP, mu + q * seP)
    }

    /// H and I² from Q with the test-based CI of ln H (Higgins & Thompson 2002, appendix), H truncated at 1.
    static func heterogeneity(q: Double, studyCount k: Int, z: Double)
        -> (Double, Double?, Double?, Double, Double?, Double?)
    {
        let df = Double(k - 1)
        let h = max(1, (q / df).squareRoot())
        let seLogH: Double
        if q > Double(k) {
            seLogH = (log(q) - log(df)) / (2 * ((2 * q).squareRoot() - (2 * Double(k) - 3).squareRoot()))
        } else {
            seLogH = k > 2 ? (1 / (2 * Double(k - 2)) * (1 - 1 / (3 * Double((k - 2) * (k - 2))))).squareRoot() : .nan
        }
        var hL: Double?, hU: Double?
        if seLogH.isFinite {
            hL = max(1, exp(log(h) - z * seLogH))
            hU = max(1, exp(log(h) + z * seLogH))
        }
        let toI2 = { (x: Double) in (x * x - 1) / (x * x) }
        return (h, hL, hU, max(0, (q - df) / q), hL.map(toI2), hU.map(toI2))
    }

    static func normalEstimate(_ mu: Double, _ se: Double, z: Double, null: Double?) -> Estimate {
        let s = null.map { (mu - $0) / se }
        return Estimate(estimate: mu, standardError: se, lower: mu - z * se, upper: mu + z * se, statistic: s,
                        pValue: s.map { 2 * Normal.survival(abs($0)) }, degreesOfFreedom: nil)
    }

    static func tEstimate(_ mu: Double, _ se: Double, q: Double, distribution: StudentT, df: Int, null: Double?) -> Estimate {
        let s = null.map { (mu - $0) / se }
        return Estimate(estimate: mu, standardError: se, lower: mu - q * se, upper: mu + q * se, statistic: s,
                        pValue: s.map { 2 * distribution.survival(abs($0)) }, degreesOfFreedom: df)
    }
}
