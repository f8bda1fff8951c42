import MetaData
import MetaNumerics

/// The fail-safe N methods: how many unpublished null studies would overturn a result.
public enum FailSafeMethod: String, CaseIterable, Sendable {
    /// Rosenthal (1979): studies averaging z = 0 needed to make Stouffer's combined z non-significant (one-sided).
    case rosenthal = "Rosenthal"
    /// Orwin (1983): studies with effect 0 needed to bring the mean effect down to a target; the mean is
    /// inverse-variance weighted by default (metafor ≥ 4.4-0), the plain mean when `weighted` is false.
    case orwin = "Orwin"
    /// Rosenberg (2005): studies with effect 0 and average weight needed to make the common-effect estimate
    /// non-significant (two-sided).
    case rosenberg = "Rosenberg"
    /// The sign-test version: null studies, split evenly between the two directions (the odd one counted with the
    /// majority), needed to make the two-sided binomial test of the majority's share non-significant.
    case binomial = "Binomial"
}

/// A fail-safe N (metafor's `fsn`). Non-integer numbers are rounded up, as metafor reports them (a value within
/// 1.5e-8 of an integer counts as that integer, metafor's tolerance).
///
///     Rosenthal: z̄ = |Σ y_i/√v_i| / √k, p = 1 − Φ(z̄), N = max(0, k (z̄/z_{1−α})² − k)
///     Orwin:     ȳ = Σ w_i y_i / Σ w_i (w_i = 1/v_i; w_i = 1 unweighted), target t (ȳ/2 by default; a
///                target is taken with the sign of ȳ),
///                N = max(0, k (ȳ − t)/t)
///     Rosenberg: θ̂ = Σ w_i y_i / Σ w_i (w_i = 1/v_i), p two-sided,
///                N = max(0, k ((Σ w_i y_i / z_{1−α/2})² − Σ w_i) / Σ w_i)
///     Binomial:  m = max(#{y_i > 0}, k − #{y_i > 0}); p = the two-sided binomial (sign) test of m successes in k
///                trials at ½, min(1, 2 P(X ≥ m)) = min(1, 2 I_{½}(m, k − m + 1)); N = the smallest N ≥ 0 with
///                p(m + ⌈N/2⌉, k + N) ≥ α, searched up to 10⁷ (`reachedLimit` then)
public struct FailSafeN: Sendable, Equatable {
    public let method: FailSafeMethod
    /// The fail-safe number (rounded up).
    public let number: Int
    /// The unrounded value.
    public let rawNumber: Double
    public let alpha: Double
    /// Rosenthal: one-sided p of Stouffer's z; Rosenberg: two-sided p of the common-effect estimate; nil for Orwin.
    public let pValue: Double?
    /// Orwin: the (weighted or unweighted) mean effect; Rosenberg: the common-effect estimate; nil for Rosenthal.
    public let meanEffect: Double?
    /// Orwin's target effect.
    public let target: Double?
    /// Orwin: whether the mean effect is inverse-variance weighted; nil for the other methods.
    public let weighted: Bool?
    /// Binomial: the search stopped at its limit (10⁷) before the test became non-significant (metafor's ">").
    public let reachedLimit: Bool

    /// The largest fail-safe N the Binomial method searches.
    public static let binomialSearchLimit = 10_000_000

    /// - Parameters:
    ///   - target: Orwin's target effect (default: half the mean effect).
    ///   - weighted: Orwin: weight the mean effect by 1/v_i (metafor's default when variances are given).
    /// - Throws: `InputError` for no studies, non-finite values, non-positive variances, α outside (0, 1) or a
    ///   zero target.
    public init(effectSizes y: [Double], samplingVariances v: [Double], method: FailSafeMethod,
                alpha: Double = 0.05, target: Double? = nil, weighted: Bool = true) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        let k = y.count
        guard k >= 1 else { throw InputError.tooFewStudies(found: 0, needed: 1, analysis: "Fail-safe N") }
        guard alpha > 0, alpha < 1 else {
            throw InputError.invalidOption(name: "alpha", value: String(alpha), expected: "a significance level between 0 and 1")
        }
        if let target {
            guard target.isFinite else { throw InputError.invalidOption(name: "target", value: String(target), expected: "a finite target effect") }
            guard method == .orwin else {
                throw InputError.invalidOption(name: "target", value: String(target), expected: "a target only with Orwin's method (the others have none)")
            }
        }
        for i in 0..<k {
            guard y[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "yi", value: String(y[i])) }
            guard v[i].isFinite, v[i] > 0 else { throw InputError.nonPositiveVariance(study: String(i + 1), row: i + 1, value: v[i]) }
        }
        self.method = method
        self.alpha = alpha
        let n = Double(k)
        let raw: Double
        var limitReached = false
        switch method {
        case .rosenthal:
            var sumZ = 0.0
            for i in 0..<k { sumZ += y[i] / v[i].squareRoot() }
            let zBar = abs(sumZ) / n.squareRoot()
            let critical = Normal.quantile(1 - alpha)
            raw = max(0, n * (zBar / critical) * (zBar / critical) - n)
            pValue = Normal.survival(zBar)
            meanEffect = nil
            self.target = nil
            self.weighted = nil
        case .orwin:
            var sumW = 0.0, sumWY = 0.0
            for i in 0..<k {
                let w = weighted ? 1 / v[i] : 1
                sumW += w
                sumWY += w * y[i]
            }
            let mean = sumWY / sumW
            // A target given with the opposite sign of the mean effect is taken on the mean's side (metafor).
            let t = target.map { mean < 0 ? -abs($0) : abs($0) } ?? mean / 2
            guard t != 0 else { throw InputError.invalidOption(name: "target", value: "0", expected: "a non-zero target effect") }
            raw = max(0, n * (mean - t) / t)
            pValue = nil
            meanEffect = mean
            self.target = t
            self.weighted = weighted
        case .rosenberg:
            var sumW = 0.0, sumWY = 0.0
            for i in 0..<k { sumW += 1 / v[i]; sumWY += y[i] / v[i] }
            let estimate = sumWY / sumW
            let critical = Normal.quantile(1 - alpha / 2)
            let missingWeight = (sumWY / critical) * (sumWY / critical) - sumW
            raw = max(0, n * missingWeight / sumW)
            pValue = Normal.twoSidedPValue(estimate * sumW.squareRoot())
            meanEffect = estimate
            self.target = nil
            self.weighted = nil
        case .binomial:
            let positive = y.lazy.filter { $0 > 0 }.count
            let majority = max(positive, k - positive)
            pValue = Self.signTestPValue(successes: majority, trials: k)
            var added = 0
            while Self.signTestPValue(successes: majority + (added + 1) / 2, trials: k + added) < alpha {
                if added >= Self.binomialSearchLimit { limitReached = true; break }
                added += 1
            }
            raw = Double(added)
            meanEffect = nil
            self.target = nil
            self.weighted = nil
        }
        reachedLimit = limitReached
        rawNumber = raw
        let nearest = raw.rounded()
        number = Int(abs(raw - nearest) <= 1.5e-8 ? nearest : raw.rounded(.up))
    }

    /// The two-sided binomial test at ½ of `successes` (≥ trials/2) in `trials`: min(1, 2 P(X ≥ successes)).
    static func signTestPValue(successes: Int, trials: Int) -> Double {
        guard successes > 0 else { return 1 }
        let upper = regularizedBeta(Double(successes), Double(trials - successes + 1), 0.5)
        return min(1, 2 * upper)
    }
}
