#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The χ² distribution with ν > 0 degrees of freedom (not necessarily an integer).
///
/// P(X ≤ x) = P(ν/2, x/2), the regularized incomplete gamma function (Abramowitz & Stegun 26.4.19);
/// the survival function uses Q directly, so it stays relative-accurate down to ~1e-300.
public struct ChiSquared: Sendable, Hashable {
    /// ν, the degrees of freedom.
    public let degreesOfFreedom: Double

    /// - Precondition: `degreesOfFreedom > 0` and finite.
    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0 && degreesOfFreedom.isFinite, "χ² needs positive finite degrees of freedom")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 0 }
        return incompleteGamma(degreesOfFreedom / 2, x / 2).p
    }

    /// P(X > x).
    public func survival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        return incompleteGamma(degreesOfFreedom / 2, x / 2).q
    }

    /// The density x^(ν/2−1) e^(−x/2) / (2^(ν/2) Γ(ν/2)).
    public func density(_ x: Double) -> Double {
        if x < 0 { return 0 }
        let a = degreesOfFreedom / 2
        if x == 0 { return a < 1 ? .infinity : (a == 1 ? 0.5 : 0) }
        return gammaPrefactor(a, x / 2) / x
    }

    /// The p-quantile (P(X ≤ x) = p). 0 at p = 0, +∞ at p = 1, NaN outside [0, 1].
    ///
    /// Newton's method on the log scale (see `TailInversion`) on whichever of P and Q equals the smaller
    /// probability, from the best of: the Wilson–Hilferty approximation (Abramowitz & Stegun 26.4.17),
    /// the small-x form P ≈ (x/2)^(ν/2)/Γ(ν/2 + 1), and the large-x form Q ≈ (x/2)^(ν/2−1)e^(−x/2)/Γ(ν/2).
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        return p <= 0.5 ? solve(lowerTail: p) : solve(upperTail: 1 - p)
    }

    /// The x with P(X > x) = q: the upper-tail quantile, accurate for q far below the double spacing at 1.
    public func inverseSurvival(_ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        if q == 0 { return .infinity }
        if q == 1 { return 0 }
        return q <= 0.5 ? solve(upperTail: q) : solve(lowerTail: 1 - q)
    }

    private func starts(lowerTailProbability p: Double) -> [Double] {
        let nu = degreesOfFreedom, a = nu / 2
        let z = Normal.quantile(p)
        let c = 2 / (9 * nu)
        let w = 1 - c + z * c.squareRoot()
        var result = [nu * w * w * w]
        result.append(2 * exp((log(p) + logGamma(a + 1)) / a))
        let q = 1 - p
        if q > 0 {
            let z0 = max(1, -log(q) - logGamma(a))
            result.append(2 * max(1e-300, -log(q) + (a - 1) * log(z0) - logGamma(a)))
        }
        return result
    }

    private func solve(lowerTail p: Double) -> Double {
        QuantileMemo.value(.chiSquaredLowerTail, degreesOfFreedom: degreesOfFreedom, probability: p) { newtonSolve(lowerTail: p) }
    }

    private func solve(upperTail q: Double) -> Double {
        QuantileMemo.value(.chiSquaredUpperTail, degreesOfFreedom: degreesOfFreedom, probability: q) { newtonSolve(upperTail: q) }
    }

    private func newtonSolve(lowerTail p: Double) -> Double {
        TailInversion.solve(target: p, increasing: true, starts: starts(lowerTailProbability: p)) { x in
            (cdf(x), density(x))
        }
    }

    private func newtonSolve(upperTail q: Double) -> Double {
        var candidates = starts(lowerTailProbability: 1 - q)
        let a = degreesOfFreedom / 2
        let z0 = max(1, -log(q) - logGamma(a))
        candidates.append(2 * max(1e-300, -log(q) + (a - 1) * log(z0) - logGamma(a)))
        return TailInversion.solve(target: q, increasing: false, starts: candidates) { x in
            (survival(x), -density(x))
        }
    }
}
