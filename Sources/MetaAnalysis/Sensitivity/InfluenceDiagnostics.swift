import MetaData
import MetaNumerics

/// Case-deletion diagnostics of an intercept-only model (Viechtbauer & Cheung 2010, section 3; metafor's
/// `influence`). With μ̂, Var(μ̂) and weights w_i = 1/(v_i + τ̂²) of the full fit and μ̂₍₋ᵢ₎, τ̂²₍₋ᵢ₎,
/// Var(μ̂₍₋ᵢ₎) of the fit without study i (τ² re-estimated):
///
///     hat_i      = w_i / Σ w
///     rstudent_i = (y_i − μ̂₍₋ᵢ₎) / √(v_i + τ̂²₍₋ᵢ₎ + Var(μ̂₍₋ᵢ₎))
///     DFFITS_i   = (μ̂ − μ̂₍₋ᵢ₎) / √(hat_i (v_i + τ̂²₍₋ᵢ₎))
///     D_i        = (μ̂ − μ̂₍₋ᵢ₎)² / Var(μ̂)                          (Cook's distance)
///     COVRATIO_i = Var(μ̂₍₋ᵢ₎) / Var(μ̂)
///     DFBETAS_i  = (μ̂ − μ̂₍₋ᵢ₎) / √(1 / Σ_j 1/(v_j + τ̂²₍₋ᵢ₎))      (sum over all k studies)
///
/// A study is flagged influential, as metafor flags it, when |DFFITS| > 3√(p/(k − p)), the χ²(p) cdf of
/// D_i exceeds 0.5, hat > 3p/k, or |DFBETAS| > 1 (p = 1).
public struct InfluenceDiagnostics: Sendable {
    public let studies: [String]
    public let rstudent: [Double]
    public let dffits: [Double]
    public let cooksDistance: [Double]
    public let covarianceRatio: [Double]
    /// τ̂² without study i.
    public let tauSquaredDeleted: [Double]
    /// Cochran's Q without study i.
    public let cochranQDeleted: [Double]
    public let hat: [Double]
    /// 100 · hat_i.
    public let weightPercent: [Double]
    public let dfbetas: [Double]
    public let isInfluential: [Bool]
    /// The deletion fits (the leave-one-out analysis).
    public let deletionFits: [SubsetFit]

    /// - Throws: `InputError.tooFewStudies` for k < 2; `EstimationError` when a refit's τ² cannot be estimated.
    public init(model: RandomEffectsModel, threads: Int? = nil) throws {
        try self.init(model: model, leaveOneOut: LeaveOneOutAnalysis(model: model, threads: threads))
    }

    /// The diagnostics from an existing leave-one-out analysis of `model`.
    public init(model: RandomEffectsModel, leaveOneOut: LeaveOneOutAnalysis) {
        let k = model.studyCount, p = 1
        let y = model.effectSizes, v = model.samplingVariances
        let t2 = model.tauSquared
        let mu = model.estimate
        let variance = model.standardError * model.standardError
        let weights = model.userWeights ?? v.map { 1 / ($0 + t2) }
        let sumW = weights.reduce(0, +)
        studies = model.studies
        deletionFits = leaveOneOut.fits
        hat = weights.map { $0 / sumW }
        weightPercent = hat.map { 100 * $0 }
        var rstudent = [Double](), dffits = [Double](), cook = [Double](), covr = [Double](), dfbs = [Double]()
        for i in 0..<k {
            let f = leaveOneOut.fits[i]
            let deletedVariance = f.standardError * f.standardError
            let change = mu - f.estimate
            rstudent.append((y[i] - f.estimate) / (v[i] + f.tauSquared + deletedVariance).squareRoot())
            dffits.append(change / (hat[i] * (v[i] + f.tauSquared)).squareRoot())
            cook.append(change * change / variance)
            covr.append(deletedVariance / variance)
            var allWeights = 0.0
            for j in 0..<k { allWeights += 1 / (v[j] + f.tauSquared) }
            dfbs.append(change * allWeights.squareRoot())
        }
        self.rstudent = rstudent
        self.dffits = dffits
        cooksDistance = cook
        covarianceRatio = covr
        self.dfbetas = dfbs
        tauSquaredDeleted = leaveOneOut.fits.map(\.tauSquared)
        cochranQDeleted = leaveOneOut.fits.map(\.cochranQ)
        let dffitsCut = 3 * (Double(p) / Double(k - p)).squareRoot()
        let chi = ChiSquared(degreesOfFreedom: Double(p))
        let hats = hat
        isInfluential = (0..<k).map { i in
            abs(dffits[i]) > dffitsCut || chi.cdf(cook[i]) > 0.5 || hats[i] > 3 * Double(p) / Double(k) || abs(dfbs[i]) > 1
        }
    }
}
