#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fisher's F distribution with ν₁ (numerator) and ν₂ (denominator) degrees of freedom, both > 0.
///
/// P(F ≤ f) = I_x(ν₁/2, ν₂/2) with x = ν₁f/(ν₁f + ν₂) (Abramowitz & Stegun 26.6.2); x and 1 − x are
/// formed directly so both tails keep their relative accuracy.
public struct FisherF: Sendable, Hashable {
    /// ν₁, the numerator degrees of freedom.
    public let numeratorDegreesOfFreedom: Double
    /// ν₂, the denominator degrees of freedom.
    public let denominatorDegreesOfFreedom: Double

    /// - Precondition: both degrees of freedom positive and finite.
    public init(numeratorDegreesOfFreedom: Double, denominatorDegreesOfFreedom: Double) {
        precondition(numeratorDegreesOfFreedom > 0 && numeratorDegreesOfFreedom.isFinite
            && denominatorDegreesOfFreedom > 0 && denominatorDegreesOfFreedom.isFinite,
            "F needs positive finite degrees of freedom")
        self.numeratorDegreesOfFreedom = numeratorDegreesOfFreedom
        self.denominatorDegreesOfFreedom = denominatorDegreesOfFreedom
    }

    /// x = ν₁f/(ν₁f + ν₂) and y = 1 − x, without overflow for huge f.
    private func betaArguments(_ f: Double) -> (x: Double, y: Double) {
        let d1 = numeratorDegreesOfFreedom, d2 = denominatorDegreesOfFreedom
        if f.isInfinite { return (1, 0) }
        if d1 * f > d2 {
            let r = d2 / d1 / f
            return (1 / (1 + r), r / (1 + r))
        }
        let r = d1 * f / d2
        return (r / (1 + r), 1 / (1 + r))
    }

    /// P(F ≤ f).
    public func cdf(_ f: Double) -> Double {
        if f.isNaN { return .nan }
        if f <= 0 { return 0 }
        let (x, y) = betaArguments(f)
        return incompleteBeta(numeratorDegreesOfFreedom / 2, denominatorDegreesOfFreedom / 2, x: x, y: y).p
    }

    /// P(F > f).
    public func survival(_ f: Double) -> Double {
        if f.isNaN { return .nan }
        if f <= 0 { return 1 }
        let (x, y) = betaArguments(f)
        return incompleteBeta(numeratorDegreesOfFreedom / 2, denominatorDegreesOfFreedom / 2, x: x, y: y).q
    }

    /// The density, as xᵃyᵇ/(B(a, b)·f) with a = ν₁/2, b = ν₂/2 (the same factor as the tails, so it is
    /// accurate for large degrees of freedom).
    public func density(_ f: Double) -> Double {
        let a = numeratorDegreesOfFreedom / 2, b = denominatorDegreesOfFreedom / 2
        if f < 0 { return 0 }
        if f == 0 { return a < 1 ? .infinity : (a == 1 ? 1 : 0) }
        if f.isInfinite { return 0 }
        let (x, y) = betaArguments(f)
        return betaPrefactor(a, b, x: x, y: y) / f
    }

    /// The p-quantile (P(F ≤ f) = p). 0 at p = 0, +∞ at p = 1, NaN outside [0, 1].
    ///
    /// Newton's method on the log scale (see `TailInversion`) on the tail holding the smaller probability,
    /// from the best of: ln F ≈ normal with variance 2/ν₁ + 2/ν₂, and the two tail asymptotes
    /// P(F ≤ f) ≈ xᵃ/(a·B(a, b)), P(F > f) ≈ yᵇ/(b·B(a, b)).
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        return p <= 0.5 ? solve(lowerTail: p) : solve(upperTail: 1 - p)
    }

    /// The f with P(F > f) = q.
    public func inverseSurvival(_ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        if q == 0 { return .infinity }
        if q == 1 { return 0 }
        return q <= 0.5 ? solve(upperTail: q) : solve(lowerTail: 1 - q)
    }

    private func starts(lower p: Double, upper q: Double) -> [Double] {
        let d1 = numeratorDegreesOfFreedom, d2 = denominatorDegreesOfFreedom
        let a = d1 / 2, b = d2 / 2
        let logB = logBeta(a, b)
        let z = p <= 0.5 ? Normal.quantile(p) : -Normal.quantile(q)
        var result = [exp(z * (2 / d1 + 2 / d2).squareRoot())]
        // Lower: x ≈ (p·a·B)^(1/a), f = (ν₂/ν₁)·x/(1 − x).
        let x = exp((log(p) + log(a) + logB) / a)
        if x < 1 { result.append(d2 / d1 * x / (1 - x)) }
        let y = exp((log(q) + log(b) + logB) / b)
        if y < 1 { result.append(d2 / d1 * (1 - y) / y) }
        return result
    }

    private func solve(lowerTail p: Double) -> Double {
        TailInversion.solve(target: p, increasing: true, starts: starts(lower: p, upper: 1 - p)) { f in
            (cdf(f), density(f))
        }
    }

    private func solve(upperTail q: Double) -> Double {
        TailInversion.solve(target: q, increasing: false, starts: starts(lower: 1 - q, upper: q)) { f in
            (survival(f), -density(f))
        }
    }
}
