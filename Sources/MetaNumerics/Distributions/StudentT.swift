#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t distribution with ν > 0 degrees of freedom (ν need not be an integer; ν = ∞ is the normal).
///
/// The tails come from the incomplete beta function: for t < 0, P(T ≤ t) = ½·I_{ν/(ν+t²)}(ν/2, ½)
/// (Abramowitz & Stegun 26.7.1), with both x = ν/(ν + t²) and 1 − x = t²/(ν + t²) formed directly, so each
/// tail and the central probability are relative-accurate.
public struct StudentT: Sendable, Hashable {
    /// ν, the degrees of freedom.
    public let degreesOfFreedom: Double

    /// - Precondition: `degreesOfFreedom > 0` (may be `.infinity`).
    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "Student t needs positive degrees of freedom")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The two probabilities around |t|: P(T > |t|) (one tail) and P(0 < T < |t|) (central).
    func tailAndCentral(_ t: Double) -> (tail: Double, central: Double) {
        let nu = degreesOfFreedom
        let s = abs(t)
        if s.isInfinite { return (0, 0.5) }
        if s > 1e150 * max(1, nu.squareRoot()) {
            // x = ν/(ν + t²) would underflow; Iₓ(a, ½) = xᵃ/(a·B(a, ½))·(1 + O(x)) with x = ν/t², and
            // O(x) < 1e-300 is far below rounding.
            let logX = log(nu) - 2 * log(s)
            let tail = exp(0.5 * nu * logX - log(nu) - logBeta(nu / 2, 0.5))
            return (tail, 0.5 - tail)
        }
        var x: Double, y: Double
        if s * s < nu {
            let t2 = s * s
            x = nu / (nu + t2)
            y = t2 / (nu + t2)
        } else {
            let r = nu / s / s
            x = r / (1 + r)
            y = 1 / (1 + r)
        }
        let (outside, inside) = incompleteBeta(nu / 2, 0.5, x: x, y: y)
        return (0.5 * outside, 0.5 * inside)
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        if degreesOfFreedom.isInfinite { return Normal.cdf(t) }
        let (tail, central) = tailAndCentral(t)
        return t < 0 ? tail : 0.5 + central
    }

    /// P(T > t), computed directly in the upper tail.
    public func survival(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        if degreesOfFreedom.isInfinite { return Normal.survival(t) }
        let (tail, central) = tailAndCentral(t)
        return t > 0 ? tail : 0.5 + central
    }

    /// The density Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2).
    public func density(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        if nu.isInfinite { return Normal.density(t) }
        let s = abs(t)
        let logKernel = s < 1e150 ? log1p(s * s / nu) : 2 * log(s) - log(nu)
        return exp(-logBeta(nu / 2, 0.5) - 0.5 * (nu + 1) * logKernel) / nu.squareRoot()
    }

    /// Two-sided p-value P(|T| ≥ |t|).
    public func twoSidedPValue(_ t: Double) -> Double {
        if degreesOfFreedom.isInfinite { return Normal.twoSidedPValue(t) }
        return 2 * tailAndCentral(t).tail
    }

    /// The p-quantile: the t with P(T ≤ t) = p. −∞ at 0, +∞ at 1, NaN outside [0, 1].
    ///
    /// ν = 1 and ν = 2 have closed forms. Otherwise Newton's method on the log scale
    /// (see `TailInversion`) solves the upper-tail equation P(T > s) = min(p, 1 − p) when that is below ¼,
    /// and the central equation P(0 < T < s) = |p − ½| (exact in floating point) otherwise, so quantiles
    /// near 0 stay relative-accurate. Starts: the Cornish–Fisher expansion about the normal quantile
    /// (Abramowitz & Stegun 26.7.5) and the tail asymptote P(T > s) ≈ c·ν^((ν−1)/2)·s^(−ν).
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let nu = degreesOfFreedom
        if nu.isInfinite { return Normal.quantile(p) }
        let upper = p > 0.5
        let q = upper ? 1 - p : p
        let s = nu == 1 || nu == 2 ? tailQuantile(q) : QuantileMemo.value(.studentT, degreesOfFreedom: nu, probability: q) { tailQuantile(q) }
        return upper ? s : -s
    }

    /// The s > 0 with P(T > s) = q, for 0 < q < ½ and finite ν.
    private func tailQuantile(_ q: Double) -> Double {
        let nu = degreesOfFreedom
        let s: Double
        if nu == 1 {
            // Cauchy; ½ − q is exact for q ≥ ¼, which keeps quantiles near 0 relative-accurate.
            s = q < 0.25 ? 1 / tan(Double.pi * q) : tan(Double.pi * (0.5 - q))
        } else if nu == 2 {
            s = (1 - 2 * q) / (2 * q * (1 - q)).squareRoot()
        } else {
            let z = -Normal.quantile(q)
            let z2 = z * z
            let cornishFisher = z + z * (z2 + 1) / (4 * nu)
                + z * ((5 * z2 + 16) * z2 + 3) / (96 * nu * nu)
            // P(T > s) ≈ c·ν^((ν−1)/2)·s^(−ν) with c = 1/(√ν·B(ν/2, ½)), solved for s.
            let logC = -logBeta(nu / 2, 0.5) - 0.5 * log(nu)
            let asymptote = exp((logC + 0.5 * (nu - 1) * log(nu) - log(q)) / nu)
            let starts = [cornishFisher, asymptote]
            if q < 0.25 {
                s = TailInversion.solve(target: q, increasing: false, starts: starts) { s in
                    (tailAndCentral(s).tail, -density(s))
                }
            } else {
                let delta = 0.5 - q
                s = TailInversion.solve(target: delta, increasing: true, starts: starts) { s in
                    (tailAndCentral(s).central, density(s))
                }
            }
        }
        return s
    }
}
