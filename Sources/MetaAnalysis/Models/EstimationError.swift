#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// A model that could not be fitted although the data are valid: one error type for every estimation method of
/// the library (τ² solvers, Mantel–Haenszel, Peto, the binomial–normal GLMM).
public enum EstimationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The solver did not reach the tolerance within `iterations`; `lastStep` is the size of its last update.
    case didNotConverge(estimator: TauSquaredEstimator, iterations: Int, lastStep: Double)
    /// An estimator needs user weights (`--weights column`) and none were given.
    case userWeightsRequired(estimator: TauSquaredEstimator)
    /// A τ² solver met an infinite or NaN value (`quantity`, at τ² = `tauSquared`): double precision cannot weigh these
    /// studies. `variances` is (smallest, largest) sampling variance when the fit knows them, to say why.
    /// `largestEffect` is the largest |y_i| when known.
    case nonFiniteValue(estimator: TauSquaredEstimator, quantity: String, tauSquared: Double, variances: ClosedRange<Double>? = nil,
                        largestEffect: Double? = nil)
    /// No τ² up to `searchLimit` solves the estimating equation.
    case rootNotBracketed(estimator: TauSquaredEstimator, searchLimit: Double)
    /// The weighted χ² distribution needed by GENQ/GENQM intervals and GENQM could not be evaluated accurately.
    case distributionNotComputable(detail: String)
    /// A method for sparse binary data (MH, Peto, GLMM) does not pool this measure (e.g. MH with SMD).
    case unsupportedMeasure(method: String, measure: EffectMeasure, supported: [EffectMeasure])
    /// The pooled estimate is not defined for these data (e.g. no events in any study); `reason` says why.
    case notEstimable(method: String, measure: EffectMeasure, reason: String)
    /// The GLMM optimiser stopped without meeting its convergence test, with the figures that show how far it got.
    case glmmDidNotConverge(model: GLMMModel, iterations: Int, gradientNorm: Double, quadraturePoints: Int)
    /// The selection model's likelihood is not finite at its start (the ML model without selection).
    case selectionModelStart
    /// The selection model's optimiser stopped at its iteration limit.
    case selectionModelDidNotConverge(iterations: Int, gradientNorm: Double)
    /// The selection model's Hessian is not positive definite at the estimate: no standard errors.
    case selectionModelInformation(studies: Int)
    /// Trim-and-fill cannot choose the funnel side from the data: every study has the same sampling variance, so
    /// the regression of the effects on their standard errors has no slope (metafor's `trimfill` stops there too).
    case funnelSideUndetermined(samplingVariance: Double)

    /// A magnitude for a sentence: 3 significant digits, powers of ten written 1e12 / 2.5e-300.
    static func short(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e-4 && a < 1e6 {
            let r = (x * 1000).rounded() / 1000
            return r == r.rounded() ? "\(Int(r))" : "\(r)"
        }
        var e = Int(log10(a).rounded(.down))
        // 10^e underflows below 1e-307: scale subnormal magnitudes up first.
        var m = e < -300 ? (x * 1e300) / pow(10, Double(e + 300)) : x / pow(10, Double(e))
        guard m.isFinite else { return "\(x)" }
        m = (m * 100).rounded() / 100
        if abs(m) >= 10 { m /= 10; e += 1 }
        let mantissa = m == m.rounded() ? "\(Int(m))" : "\(m)"
        return "\(mantissa)e\(e)"
    }

    public var description: String {
        switch self {
        case let .didNotConverge(estimator, iterations, lastStep) where !lastStep.isFinite:
            // An overflow inside the iteration, not slow convergence: the finite-value sentence, never "last step nan".
            return "The \(estimator.rawValue) estimator of tau^2 cannot be computed: its iteration reached a value that is not "
                + "a finite number after \(iterations) iterations; rescale the effect sizes or check the variances."
        case let .didNotConverge(estimator, iterations, lastStep):
            return "The \(estimator.rawValue) estimator of tau^2 did not converge in \(iterations) iterations "
                + "(last step \(lastStep)); try another method."
        case let .nonFiniteValue(estimator, quantity, t, variances, largestEffect):
            var why = "its \(quantity) is zero or not a finite number at tau^2 = \(Self.short(t))"
            if let variances, variances.lowerBound > 0 {
                let span = log10(variances.upperBound) - log10(variances.lowerBound)
                if span >= 12 {
                    why = "the sampling variances span \(Int(span.rounded())) orders of magnitude "
                        + "(\(Self.short(variances.lowerBound)) to \(Self.short(variances.upperBound))), beyond what double precision can weigh"
                } else if variances.lowerBound < 1e-100 || variances.upperBound > 1e100 {
                    let v = variances.lowerBound < 1e-100 ? variances.lowerBound : variances.upperBound
                    why = "a sampling variance of \(Self.short(v)) is beyond what double precision can weigh"
                }
            }
            if let largestEffect, largestEffect > 1e50, !why.hasPrefix("the sampling") {
                why = "an effect size of \(Self.short(largestEffect)) in magnitude is beyond what double precision can weigh"
            }
            return "The \(estimator.rawValue) estimator of tau^2 cannot be computed: \(why); rescale the effect sizes "
                + "or check the variances."
        case let .userWeightsRequired(estimator):
            return "Method \(estimator.rawValue) needs user weights; give them with \(ArgumentNaming.current(.userWeights)) COLUMN."
        case let .rootNotBracketed(estimator, limit):
            return "The \(estimator.rawValue) estimating equation has no solution for tau^2 up to \(Self.short(limit))."
        case let .distributionNotComputable(detail):
            return "The distribution of the generalized Q statistic could not be computed: \(detail)."
        case let .unsupportedMeasure(method, measure, supported):
            return "Method \(method) does not pool measure \(measure.rawValue); use one of \(supported.map(\.rawValue).joined(separator: ", "))."
        case let .notEstimable(method, measure, reason):
            return "The \(method) estimate of \(measure.rawValue) is not defined for these data: \(reason)."
        case let .glmmDidNotConverge(model, iterations, gradientNorm, quadraturePoints):
            return "The \(model.rawValue) GLMM did not converge after \(iterations) iterations (gradient norm \(gradientNorm), "
                + "\(quadraturePoints)-point adaptive Gauss–Hermite quadrature); the estimates would not be reliable."
        case .selectionModelStart:
            return "The selection model's likelihood is not finite at the estimates without selection; check the effect sizes and variances."
        case let .selectionModelDidNotConverge(iterations, gradientNorm):
            return "The selection model did not converge after \(iterations) iterations (largest gradient \(Self.short(gradientNorm))); the estimates would not be reliable."
        case let .selectionModelInformation(studies):
            return "The selection model's information matrix is not positive definite at the estimate (k = \(studies)): the data do not identify the selection parameters; use fewer steps."
        case let .funnelSideUndetermined(v):
            return "Trim-and-fill cannot choose the side of the funnel plot from the data: every study has the same sampling "
                + "variance (\(Self.short(v))), so the effects have no slope on their standard errors; give the side with "
                + "\(ArgumentNaming.current(.funnelSide)) left or right."
        }
    }
}
