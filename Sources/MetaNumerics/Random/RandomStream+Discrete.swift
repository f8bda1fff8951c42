#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomStream {
    /// A Binomial(n, p) variate (exact).
    ///
    /// For n·min(p, 1−p) < 10, inversion by sequential search from 0 with the pmf recurrence
    /// f(k+1) = f(k)·(n−k)/(k+1)·p/q (Kachitvichyanukul & Schmeiser 1988, BINV). Otherwise BTRS, the
    /// transformed rejection method with squeeze of Hörmann (1993, J. Stat. Comput. Simul. 46:101), whose
    /// acceptance test uses the exact log pmf via ln Γ. Uses p ≤ ½ and reflects, so the cost is bounded
    /// for any p.
    public mutating func nextBinomial(trials n: Int, probability p: Double) -> Int {
        precondition(n >= 0 && p >= 0 && p <= 1, "Binomial needs n ≥ 0 and 0 ≤ p ≤ 1")
        if n == 0 || p == 0 { return 0 }
        if p == 1 { return n }
        let flipped = p > 0.5
        let r = flipped ? 1 - p : p
        let k = Double(n) * r < 10 ? binomialInversion(n, r) : binomialBTRS(n, r)
        return flipped ? n - k : k
    }

    private mutating func binomialInversion(_ n: Int, _ p: Double) -> Int {
        let q = 1 - p
        let ratio = p / q
        // Start at P(0) = qⁿ; restart on the (astronomically rare) floating-point run-off past n.
        while true {
            var u = nextUniform()
            var f = exp(Double(n) * log1p(-p))
            var k = 0
            while u > f {
                u -= f
                f *= ratio * Double(n - k) / Double(k + 1)
                k += 1
                if k > n { break }
            }
            if k <= n { return k }
        }
    }

    private mutating func binomialBTRS(_ n: Int, _ p: Double) -> Int {
        let q = 1 - p
        let nd = Double(n)
        let spq = (nd * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = nd * p + 0.5
        let vr = 0.92 - 4.2 / b
        let alpha = (2.83 + 5.1 / b) * spq
        let lpq = log(p / q)
        let m = floor((nd + 1) * p)
        let h = logGamma(m + 1) + logGamma(nd - m + 1)
        while true {
            let u = nextUniform() - 0.5
            var v = nextUniform()
            let us = 0.5 - abs(u)
            let k = floor((2 * a / us + b) * u + c)
            if k < 0 || k > nd { continue }
            if us >= 0.07 && v <= vr { return Int(k) }
            v = log(v * alpha / (a / (us * us) + b))
            if v <= h - logGamma(k + 1) - logGamma(nd - k + 1) + (k - m) * lpq { return Int(k) }
        }
    }

    /// A Poisson(μ) variate (exact).
    ///
    /// For μ < 10, inversion by sequential search with f(k+1) = f(k)·μ/(k+1) from f(0) = e^(−μ).
    /// Otherwise PTRS, Hörmann's (1993, Insurance Math. Econom. 12:39) transformed rejection with squeeze,
    /// accepting against the exact log pmf.
    public mutating func nextPoisson(mean mu: Double) -> Int {
        precondition(mu >= 0 && mu.isFinite, "Poisson needs a finite mean ≥ 0")
        if mu == 0 { return 0 }
        if mu < 10 {
            var u = nextUniform()
            var f = exp(-mu)
            var k = 0
            while u > f && f > 0 {
                u -= f
                k += 1
                f *= mu / Double(k)
            }
            return k
        }
        let slam = mu.squareRoot()
        let logMu = log(mu)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = nextUniform() - 0.5
            let v = nextUniform()
            let us = 0.5 - abs(u)
            let k = floor((2 * a / us + b) * u + mu + 0.43)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(inverseAlpha) - log(a / (us * us) + b) <= -mu + k * logMu - logGamma(k + 1) {
                return Int(k)
            }
        }
    }
}
