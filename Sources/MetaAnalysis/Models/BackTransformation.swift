#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a pooled value on the analysis scale back to the scale of the measure (metafor's `transf`).
public enum BackTransformation: Sendable, Equatable {
    /// exp(x): ratio measures and log proportions/rates (RR, OR, PETO, ROM, IRR, PLN, IRLN).
    case exp
    /// 1/(1 + e^{−x}): logit proportions (PLO).
    case inverseLogit
    /// tanh(x): Fisher's z back to a correlation (ZCOR).
    case fisherZToCorrelation
    /// sin²(x), clamped to [0, 1] outside [0, π/2]: arcsine proportions (PAS).
    case inverseArcsine
    /// Miller's (1978) inverse of the Freeman–Tukey double arcsine with the harmonic mean n of the
    /// studies' sample sizes (PFT): p = ½[1 − sgn(cos t)·√(1 − (sin t + (sin t − 1/sin t)/n)²)], t = 2x,
    /// with 0 below the transform of 0/n and 1 above that of n/n.
    case inverseFreemanTukey(harmonicMeanN: Double)

    /// metafor's name for the transformation (the `transf` field of `predict_transf`).
    public var name: String {
        switch self {
        case .exp: return "exp"
        case .inverseLogit: return "transf.ilogit"
        case .fisherZToCorrelation: return "transf.ztor"
        case .inverseArcsine: return "transf.iarcsin"
        case .inverseFreemanTukey: return "transf.ipft.hm"
        }
    }

    public func apply(_ x: Double) -> Double {
        switch self {
        case .exp: return exponential(x)
        case .inverseLogit: return 1 / (1 + exponential(-x))
        case .fisherZToCorrelation: return tanh(x)
        case .inverseArcsine:
            if x < 0 { return 0 }
            if x > Double.pi / 2 { return 1 }
            let s = sin(x)
            return s * s
        case let .inverseFreemanTukey(n):
            let lowest = 0.5 * asin((1 / (n + 1)).squareRoot())
            let highest = 0.5 * (asin((n / (n + 1)).squareRoot()) + Double.pi / 2)
            if x <= lowest { return 0 }
            if x >= highest { return 1 }
            let t = 2 * x
            let s = sin(t)
            let inner = s + (s - 1 / s) / n
            let sign: Double = cos(t) > 0 ? 1 : (cos(t) < 0 ? -1 : 0)
            return 0.5 * (1 - sign * (1 - inner * inner).squareRoot())
        }
    }
}

private func exponential(_ x: Double) -> Double { exp(x) }
