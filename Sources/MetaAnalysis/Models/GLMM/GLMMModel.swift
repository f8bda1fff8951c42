import MetaData
import MetaNumerics

/// The binomial–normal models of `rma.glmm`, by metafor's codes (Stijnen, Hamza & Özdemir 2010; Jackson et
/// al. 2018).
public enum GLMMModel: String, CaseIterable, Sendable, Codable {
    /// Unconditional model with fixed study effects: for PLO the random-intercept logistic model
    /// logit pᵢ = μ + uᵢ; for OR logit pᵢ₁ = αᵢ + β + uᵢ/2, logit pᵢ₂ = αᵢ − uᵢ/2, αᵢ fixed, uᵢ ~ N(0, τ²).
    case unconditionalFixedStudyEffects = "UM.FS"
    /// Conditional model, exact likelihood (OR): aᵢ given the table margins follows Fisher's noncentral
    /// hypergeometric distribution with log odds ratio θᵢ ~ N(β, τ²).
    case conditionalExactLikelihood = "CM.EL"
    /// Conditional model, approximate likelihood (OR): aᵢ of the aᵢ + cᵢ events is binomial with
    /// logit p = log(n₁ᵢ/n₂ᵢ) + θᵢ, θᵢ ~ N(β, τ²) (the rare-event approximation of CM.EL; Stijnen et al. 2010).
    /// For IRR, CM.EL and CM.AL are the same exact binomial model with offset log(t₁ᵢ/t₂ᵢ).
    case conditionalApproximateLikelihood = "CM.AL"
}

/// Options of the binomial–normal GLMM fit.
public struct GLMMOptions: Sendable, Equatable {
    public var model: GLMMModel
    /// `maximumLikelihood` (metafor's `method = "ML"`: the random-effects GLMM) or `commonEffect` (`"EE"`: the same
    /// model with τ² = 0, a fixed-effects logistic or conditional model).
    public var estimator: TauSquaredEstimator
    /// Adaptive Gauss–Hermite points per study. nil: 7 for UM.FS (metafor's `nAGQ` default, which it passes
    /// to lme4) and 41 for CM.EL (metafor integrates CM.EL adaptively to near machine precision, so the
    /// quadrature must be effectively exact there).
    public var quadraturePoints: Int?
    /// The effect-size step whose `yi`/`vi` give I² and H² (`drop00 = true`, as `rma.glmm`).
    public var escalc: EscalcOptions
    /// Newton iterations allowed.
    public var maxIterations: Int

    public init(model: GLMMModel = .unconditionalFixedStudyEffects, estimator: TauSquaredEstimator = .maximumLikelihood,
                quadraturePoints: Int? = nil, escalc: EscalcOptions = EscalcOptions(drop00: true), maxIterations: Int = 200) {
        self.model = model
        self.estimator = estimator
        self.quadraturePoints = quadraturePoints
        self.escalc = escalc
        self.maxIterations = maxIterations
    }

    /// The most quadrature points a fit may use (the Gauss–Hermite rule's limit).
    public static let maximumQuadraturePoints = GaussHermite.maximumCount

    /// - Throws: `InputError.invalidOption` naming the quadrature points when they are outside
    ///   1 ... ``maximumQuadraturePoints``, or the estimator when it is neither ML nor EE.
    public func validate() throws(InputError) {
        guard estimator == .maximumLikelihood || estimator == .commonEffect else {
            throw .invalidOption(name: ArgumentNaming.current(.glmmEstimator), value: estimator.rawValue,
                                 expected: "ML (random-effects GLMM) or EE (equal effects, tau^2 = 0)")
        }
        if let n = quadraturePoints, n < 1 || n > Self.maximumQuadraturePoints {
            throw .invalidOption(name: ArgumentNaming.current(.quadraturePoints), value: String(n),
                                 expected: "1 (Laplace) to \(Self.maximumQuadraturePoints) adaptive Gauss-Hermite points")
        }
    }

    /// Points actually used.
    public var effectiveQuadraturePoints: Int {
        quadraturePoints ?? (model == .conditionalExactLikelihood ? 41 : 7)
    }
}
