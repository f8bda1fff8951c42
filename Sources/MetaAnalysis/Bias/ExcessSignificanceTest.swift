#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// The direction of a test: two-sided, or one-sided towards larger or smaller values.
public enum TestAlternative: String, CaseIterable, Sendable {
    case twoSided = "two.sided"
    case greater
    case less
}

/// The test of excess significance (Ioannidis & Trikalinos 2007, Clin Trials 4:245–253; metafor's `tes`): are more
/// studies significant than their power at a common effect θ predicts?
///
/// Each study i is tested at level α against H0 with z_i = (y_i − H0)/√v_i (two-sided, or one-sided); O counts the
/// significant ones. Its power at θ (with the studies' true effects N(θ, τ²) when τ² > 0) is
///
///     two-sided: 1 − Φ((c√v_i − δ)/s_i) + Φ((−c√v_i − δ)/s_i),   c = z_{1−α/2}, δ = θ − H0, s_i = √(v_i + τ²)
///     greater:   1 − Φ((c√v_i − δ)/s_i),  c = z_{1−α};   less: Φ((−c√v_i − δ)/s_i)
///
/// and E = Σ power_i. O is compared with E by
/// - `exact`: O ~ Poisson-binomial(power); one-sided P(X ≥ O) (P(X ≤ O) for `less`); two-sided, the sum of
///   P(X = j) over every j no more likely than O (within a factor 1 + 10⁻⁷, the rule of R's `binom.test`);
/// - `chiSquared`: X² = (O − E)²/(E(1 − E/k)) on 1 df (`prop.test(O, k, E/k, correct = FALSE)`), one-sided
///   through z = sign(O − E)√X²;
/// - `binomial`: the binomial test of O in k at E/k (`binom.test`).
/// `automatic` is `exact` when Σ_{j ≥ O} C(k, j) ≤ 10⁶ and `chiSquared` otherwise, as metafor decides.
/// `thetaLimits` are the θ (on the side of θ̂) at which the test's p-value equals `testAlpha`, found by a scan and
/// Brent's method: every crossing for a one-sided test (one when p is monotone in θ); for a two-sided test, as
/// metafor defines it, the first crossing of the `greater` test's p-value with `testAlpha`/2, then the `less`
/// test's (NaN where there is none).
public struct ExcessSignificanceTest: Sendable {
    public enum Method: String, CaseIterable, Sendable {
        case automatic = "auto"
        case exact
        case chiSquared = "chi2"
        case binomial = "binom"
    }

    public let studyCount: Int
    /// O: the number of significant studies.
    public let observed: Int
    /// E: their expected number, Σ power.
    public let expected: Double
    /// The method used (never `automatic`).
    public let method: Method
    /// X² (`chiSquared` only).
    public let chiSquared: Double?
    public let pValue: Double
    public let power: [Double]
    public let significant: [Bool]
    public let theta: Double
    public let thetaLimits: [Double]
    public let testAlternative: TestAlternative
    public let testAlpha: Double

    /// O/E.
    public var ratio: Double { Double(observed) / expected }

    /// - Parameters:
    ///   - theta: the common effect (default: the inverse-variance weighted mean of y).
    ///   - tauSquared: the heterogeneity of the true effects around θ (0: a common effect).
    ///   - alternative, alpha: the studies' own tests; `testAlternative`, `testAlpha`: the test of O against E.
    /// - Throws: `InputError` for fewer than 1 study, non-finite values, non-positive variances, levels outside (0, 1)
    ///   or a negative τ².
    public init(effectSizes y: [Double], samplingVariances v: [Double], theta: Double? = nil, tauSquared: Double = 0,
                nullValue: Double = 0, alternative: TestAlternative = .twoSided, alpha: Double = 0.05,
                method: Method = .automatic, testAlternative: TestAlternative = .greater, testAlpha: Double = 0.10) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        let k = y.count
        guard k >= 1 else { throw InputError.tooFewStudies(found: 0, needed: 1, analysis: "The test of excess significance") }
        for (name, level) in [("alpha", alpha), ("testAlpha", testAlpha)] where !(level > 0 && level < 1) {
            throw InputError.invalidOption(name: name, value: String(level), expected: "a significance level between 0 and 1")
        }
        guard tauSquared >= 0, tauSquared.isFinite else {
            throw InputError.invalidOption(name: "tauSquared", value: String(tauSquared), expected: "a heterogeneity variance ≥ 0")
        }
        guard nullValue.isFinite else { throw InputError.invalidOption(name: "nullValue", value: String(nullValue), expected: "a finite value") }
        try StudyValueCheck.validate(effectSizes: y, samplingVariances: v)
        var sumW = 0.0, sumWY = 0.0
        for i in 0..<k { sumW += 1 / v[i]; sumWY += y[i] / v[i] }
        let theta = theta ?? sumWY / sumW
        guard theta.isFinite else { throw InputError.invalidOption(name: "theta", value: String(theta), expected: "a finite effect") }

        let critical = alternative == .twoSided ? Normal.quantile(1 - alpha / 2) : Normal.quantile(1 - alpha)
        let significant = (0..<k).map { i -> Bool in
            let z = (y[i] - nullValue) / v[i].squareRoot()
            switch alternative {
            case .twoSided: return abs(z) > critical
            case .greater: return z > critical
            case .less: return z < -critical
            }
        }
        let observed = significant.filter { $0 }.count
        let method = method != .automatic ? method : (Self.upperSubsetCount(k: k, from: observed) <= 1e6 ? .exact : .chiSquared)
        func powers(_ t: Double) -> [Double] {
            (0..<k).map { Self.power(delta: t - nullValue, variance: v[$0], tauSquared: tauSquared, critical: critical,
                                     alternative: alternative) }
        }
        func test(_ p: [Double]) -> (pValue: Double, chiSquared: Double?) {
            Self.test(observed: observed, powers: p, method: method, alternative: testAlternative)
        }
        let power = powers(theta)
        let result = test(power)
        self.studyCount = k
        self.observed = observed
        self.expected = power.reduce(0, +)
        self.method = method
        self.chiSquared = result.chiSquared
        self.pValue = result.pValue
        self.power = power
        self.significant = significant
        self.theta = theta
        self.testAlternative = testAlternative
        self.testAlpha = testAlpha
        if testAlternative == .twoSided {
            // metafor's two-sided limits: the one-sided tests' (greater, then less) at half the level.
            var both: [Double] = []
            for side in [TestAlternative.greater, .less] {
                let roots = try Self.limits(theta: theta, nullValue: nullValue, y: y, v: v, tauSquared: tauSquared, alpha: testAlpha / 2) {
                    Self.test(observed: observed, powers: powers($0), method: method, alternative: side).pValue
                }
                both.append(roots.first ?? .nan)
            }
            self.thetaLimits = both
        } else {
            self.thetaLimits = try Self.limits(theta: theta, nullValue: nullValue, y: y, v: v, tauSquared: tauSquared,
                                               alpha: testAlpha) { test(powers($0)).pValue }
        }
    }

    /// A study's power at true mean effect δ (relative to H0), as in the type's documentation.
    static func power(delta: Double, variance v: Double, tauSquared: Double, critical c: Double,
                      alternative: TestAlternative) -> Double {
        let s = (v + tauSquared).squareRoot(), se = v.squareRoot()
        switch alternative {
        case .twoSided: return Normal.survival((c * se - delta) / s) + Normal.cdf((-c * se - delta) / s)
        case .greater: return Normal.survival((c * se - delta) / s)
        case .less: return Normal.cdf((-c * se - delta) / s)
        }
    }

    /// Σ_{j ≥ from} C(k, j), the number of subsets metafor's exact test would sum over.
    static func upperSubsetCount(k: Int, from: Int) -> Double {
        var total = 0.0
        for j in max(from, 0)...max(k, from) where j <= k {
            total += exp(logGamma(Double(k + 1)) - logGamma(Double(j + 1)) - logGamma(Double(k - j + 1))).rounded()
        }
        return total
    }

    static func test(observed o: Int, powers p: [Double], method: Method,
                     alternative: TestAlternative) -> (pValue: Double, chiSquared: Double?) {
        let k = p.count
        let e = p.reduce(0, +)
        switch method {
        case .chiSquared:
            let x2 = (Double(o) - e) * (Double(o) - e) / (e * (1 - e / Double(k)))
            let z = (Double(o) > e ? 1 : (Double(o) < e ? -1 : 0)) * x2.squareRoot()
            switch alternative {
            case .twoSided: return (ChiSquared(degreesOfFreedom: 1).survival(x2), x2)
            case .greater: return (Normal.survival(z), x2)
            case .less: return (Normal.cdf(z), x2)
            }
        case .binomial:
            let q = e / Double(k)
            let pmf = (0...k).map { binomialProbability($0, trials: k, probability: q) }
            return (tailOrTwoSided(pmf, observed: o, alternative: alternative), nil)
        case .exact, .automatic:
            // The Poisson-binomial distribution of the number of significant studies, by convolution.
            var pmf = [Double](repeating: 0, count: k + 1)
            pmf[0] = 1
            for (n, pi) in p.enumerated() {
                for j in stride(from: n + 1, through: 1, by: -1) { pmf[j] = pmf[j] * (1 - pi) + pmf[j - 1] * pi }
                pmf[0] *= 1 - pi
            }
            return (tailOrTwoSided(pmf, observed: o, alternative: alternative), nil)
        }
    }

    /// P(X ≥ o), P(X ≤ o), or the two-sided sum of P(X = j) ≤ P(X = o)(1 + 10⁻⁷).
    static func tailOrTwoSided(_ pmf: [Double], observed o: Int, alternative: TestAlternative) -> Double {
        switch alternative {
        case .greater: return min(1, pmf[o...].reduce(0, +))
        case .less: return min(1, pmf[...o].reduce(0, +))
        case .twoSided:
            let d = pmf[o] * (1 + 1e-7)
            return min(1, pmf.filter { $0 <= d }.reduce(0, +))
        }
    }

    static func binomialProbability(_ j: Int, trials n: Int, probability p: Double) -> Double {
        if p <= 0 { return j == 0 ? 1 : 0 }
        if p >= 1 { return j == n ? 1 : 0 }
        let logChoose = logGamma(Double(n + 1)) - logGamma(Double(j + 1)) - logGamma(Double(n - j + 1))
        return exp(logChoose + Double(j) * log(p) + Double(n - j) * log1p(-p))
    }

    /// The θ on the side of θ̂ (from H0 outwards) where `pValue(θ) = alpha`: a scan of 4,000 points up to a span
    /// set by the data (10 × (max |y − H0| + 5 max √v)), each sign change refined by Brent's method.
    static func limits(theta: Double, nullValue: Double, y: [Double], v: [Double], tauSquared: Double, alpha: Double,
                       pValue: (Double) -> Double) throws -> [Double] {
        let side: Double = theta < nullValue ? -1 : 1
        let span = 10 * (y.map { abs($0 - nullValue) }.max()! + 5 * v.map { $0.squareRoot() }.max()! + tauSquared.squareRoot())
        let steps = 4000
        func g(_ t: Double) -> Double { pValue(nullValue + side * t) - alpha }
        var roots: [Double] = []
        var previousT = span / Double(steps) * 1e-6, previous = g(previousT)
        for s in 1...steps {
            let t = span * Double(s) / Double(steps)
            let value = g(t)
            guard value.isFinite, previous.isFinite else { previousT = t; previous = value; continue }
            if value == 0 {
                roots.append(nullValue + side * t)
            } else if (previous < 0) != (value < 0), previous != 0 {
                let root = try Brent.root(lower: previousT, upper: t, absoluteTolerance: 1e-15, relativeTolerance: 1e-15) { g($0) }
                roots.append(nullValue + side * root.x)
            }
            previousT = t
            previous = value
        }
        return roots
    }
}
