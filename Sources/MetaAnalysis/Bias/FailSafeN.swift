#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// The general approach of metafor ≥ 4.0 (`type = "General"`): null studies (effect 0, variance the harmonic
    /// mean of the v_i) needed to make the random-effects estimate non-significant (two-sided, z test) or, with a
    /// target, to bring it down to the target; τ² of the augmented data follows without refitting.
    case general = "General"
}

/// How Rosenthal's method pools the studies' one-sided p-values (metafor's `pool`).
public enum FailSafePool: String, CaseIterable, Sendable {
    /// Stouffer's sum of z-values (Rosenthal 1979).
    case stouffer = "Stouffer"
    /// Fisher's −2 Σ log p_i, χ² with 2k df; each null study adds p = ½.
    case fisher = "Fisher"
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
///     Rosenthal, Fisher pooling: p_i = 1 − Φ(|y_i|/√v_i), X²(N) = −2 (Σ log p_i + ⌊N⌋ log ½),
///                N = the root of P(χ²_{2(k+N)} > X²(N)) = α found as R's uniroot finds it (see General)
///     General:   μ̂, τ̂² of the random-effects model (z test); N null studies with y = 0, v_t = k/Σ(1/v_i);
///                m = k μ̂/(k + N), τ²_N = ((k − 1) τ̂² + max(0, N − 1) τ̂² + k (μ̂ − m)² + N m²)/(k + N − 1)
///                (0 for EE), μ_N = Σ w_i y_i/(Σ w_i + N w_t), w = 1/(v + τ²_N), p_N = 2 Φ(−|μ_N| √(Σ w_i + N w_t));
///                N solves p_⌊N⌋ = α (or μ_⌊N⌋ = target) by Brent's zeroin from [0, 50k] (tol 2⁻¹³, widened upward as
///                R's uniroot(extendInt) widens), then rounded up; est_fsn etc. are those of the rounded N
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
    /// Rosenthal: one-sided p of Stouffer's z (Fisher pooling: of Fisher's χ²); Rosenberg: two-sided p of the
    /// common-effect estimate; General: the random-effects model's two-sided p; nil for Orwin.
    public let pValue: Double?
    /// Orwin: the (weighted or unweighted) mean effect; Rosenberg: the common-effect estimate; General: the
    /// random-effects estimate; nil for Rosenthal.
    public let meanEffect: Double?
    /// Orwin's and General's target effect (with the sign of the mean effect).
    public let target: Double?
    /// Orwin: whether the mean effect is inverse-variance weighted; nil for the other methods.
    public let weighted: Bool?
    /// Binomial and General: the search stopped at its limit (10⁷) before the test became non-significant
    /// (metafor's ">").
    public let reachedLimit: Bool
    /// Rosenthal: how the p-values are pooled; nil for the other methods.
    public let pool: FailSafePool?
    /// General: the τ² estimator of the random-effects model; nil for the other methods.
    public let estimator: TauSquaredEstimator?
    /// General: τ̂² of the model; nil for the other methods.
    public let tauSquared: Double?
    /// General: the estimate, τ² and two-sided p-value after adding the fail-safe number of null studies (the
    /// model's own when none are needed); nil for the other methods.
    public let estimateAfter: Double?
    public let tauSquaredAfter: Double?
    public let pValueAfter: Double?
    /// The number of studies analysed.
    public let studyCount: Int
    /// General: the null studies behind `estimateAfter` (`number`, at most the search limit); nil otherwise.
    public let addedStudies: Int?

    /// The largest fail-safe N the Binomial and General methods search (metafor's `maxint`).
    public static let binomialSearchLimit = 10_000_000
    /// R's `uniroot` default tolerance, .Machine$double.eps^0.25 (metafor's `tol` for the Fisher and General
    /// searches).
    static let searchTolerance = pow(Double.ulpOfOne, 0.25)

    /// - Parameters:
    ///   - target: Orwin's and General's target effect (Orwin's default: half the mean effect; General's default:
    ///     none, the p-value criterion).
    ///   - weighted: Orwin: weight the mean effect by 1/v_i (metafor's default when variances are given).
    ///   - pool: Rosenthal: Stouffer's (default) or Fisher's pooling of the p-values.
    ///   - estimator: General: the τ² estimator of the random-effects model (REML by default).
    /// - Throws: `InputError` for no studies (fewer than 2 for General), non-finite values, non-positive variances,
    ///   α outside (0, 1), a zero target, a target or pool with a method that has none; `EstimationError` when the
    ///   General model cannot be fitted; `NumericsError` when a search does not converge.
    public init(effectSizes y: [Double], samplingVariances v: [Double], method: FailSafeMethod,
                alpha: Double = 0.05, target: Double? = nil, weighted: Bool = true, pool: FailSafePool = .stouffer,
                estimator: TauSquaredEstimator = .restrictedMaximumLikelihood) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        let k = y.count
        guard k >= 1 else { throw InputError.tooFewStudies(found: 0, needed: 1, analysis: "Fail-safe N") }
        guard alpha > 0, alpha < 1 else {
            throw InputError.invalidOption(name: "alpha", value: String(alpha), expected: "a significance level between 0 and 1")
        }
        if let target {
            guard target.isFinite else { throw InputError.invalidOption(name: "target", value: String(target), expected: "a finite target effect") }
            guard method == .orwin || method == .general else {
                throw InputError.invalidOption(name: "target", value: String(target), expected: "a target only with the Orwin or General method (the others have none)")
            }
        }
        if pool != .stouffer, method != .rosenthal {
            throw InputError.invalidOption(name: "pool", value: pool.rawValue, expected: "Fisher pooling only with Rosenthal's method")
        }
        if method == .general, k < 2 {
            throw InputError.tooFewStudies(found: k, needed: 2, analysis: "The General fail-safe N")
        }
        try StudyValueCheck.validate(effectSizes: y, samplingVariances: v)
        self.method = method
        self.alpha = alpha
        self.pool = method == .rosenthal ? pool : nil
        self.estimator = method == .general ? estimator : nil
        studyCount = k
        var general: (tau2: Double, after: GeneralOutcome)?
        let n = Double(k)
        let raw: Double
        var limitReached = false
        switch method {
        case .rosenthal where pool == .fisher:
            var sumLogP = 0.0
            for i in 0..<k { sumLogP += Self.logUpperNormalTail(abs(y[i]) / v[i].squareRoot()) }
            func excess(_ x: Double) -> Double {
                // R's rep(0.5, x) truncates x, while the degrees of freedom keep it whole (metafor's .fsn.fisher).
                let added = min(x.rounded(.towardZero), Double(Self.binomialSearchLimit))
                return ChiSquared(degreesOfFreedom: 2 * (n + x)).survival(-2 * (sumLogP + added * log(0.5))) - alpha
            }
            let observed = ChiSquared(degreesOfFreedom: 2 * n).survival(-2 * sumLogP)
            raw = observed >= alpha ? 0 : try Self.searchUpward(lower: 0, upper: 50 * n, rising: true, excess)
            limitReached = raw >= Double(Self.binomialSearchLimit)
            pValue = observed
            meanEffect = nil
            self.target = nil
            self.weighted = nil
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
        case .general:
            let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v,
                                                   options: RandomEffectsOptions(estimator: estimator, test: .z))
            let est = model.estimate, tau2 = model.tauSquared
            var sumInverse = 0.0
            for value in v { sumInverse += 1 / value }
            let vt = n / sumInverse  // 1/mean(1/v_i)
            let limit = Double(Self.binomialSearchLimit)
            func outcome(_ x: Double) -> GeneralOutcome {
                Self.generalOutcome(added: min(x.rounded(.down), limit), y: y, v: v, nullVariance: vt, estimate: est,
                                    tauSquared: tau2, commonEffect: estimator == .commonEffect)
            }
            var root = 0.0
            var t: Double?
            if let target {
                let signed = est < 0 ? -abs(target) : abs(target)
                guard signed != 0 else { throw InputError.invalidOption(name: "target", value: "0", expected: "a non-zero target effect") }
                t = signed
                if abs(signed) < abs(est) {
                    root = try Self.searchUpward(lower: 0, upper: 50 * n, rising: est < 0) { x in
                        x.rounded(.down) >= limit ? 0 : outcome(x).estimate - signed
                    }
                }
            } else if model.pValue < alpha {
                root = try Self.searchUpward(lower: 0, upper: 50 * n, rising: true) { x in
                    x.rounded(.down) >= limit ? 0 : outcome(x).pValue - alpha
                }
            }
            root = min(root, limit)
            raw = root
            limitReached = root >= limit
            let added = min(Self.roundedUp(root), limit)
            general = (tau2, added == 0 ? GeneralOutcome(estimate: est, tauSquared: tau2, pValue: model.pValue) : outcome(added))
            pValue = model.pValue
            meanEffect = est
            self.target = t
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
        tauSquared = general?.tau2
        estimateAfter = general?.after.estimate
        tauSquaredAfter = general?.after.tauSquared
        pValueAfter = general?.after.pValue
        addedStudies = general.map { _ in Int(min(Self.roundedUp(raw), Double(Self.binomialSearchLimit))) }
        rawNumber = raw
        number = Int(Self.roundedUp(raw))
    }

    /// metafor's rounding of a fail-safe number: up, unless within 1.5e-8 (√ε) of an integer.
    static func roundedUp(_ raw: Double) -> Double {
        let nearest = raw.rounded()
        return abs(raw - nearest) < Double.ulpOfOne.squareRoot() ? nearest : raw.rounded(.up)
    }

    /// The General method's model after adding `added` null studies (an integer).
    struct GeneralOutcome {
        let estimate: Double
        let tauSquared: Double
        let pValue: Double
    }

    static func generalOutcome(added: Double, y: [Double], v: [Double], nullVariance vt: Double, estimate est: Double,
                               tauSquared tau2: Double, commonEffect: Bool) -> GeneralOutcome {
        let k = Double(y.count)
        var t2 = 0.0
        if !commonEffect {
            // The unweighted mean of the k studies (at est) and the N null ones; the pooled spread around it.
            let m = k * est / (k + added)
            t2 = max(0, ((k - 1) * tau2 + max(0, added - 1) * tau2 + k * (est - m) * (est - m) + added * m * m) / (k + added - 1))
        }
        var sumW = 0.0, sumWY = 0.0
        for i in 0..<y.count {
            let w = 1 / (v[i] + t2)
            sumW += w
            sumWY += w * y[i]
        }
        sumW += added / (vt + t2)
        let estimate = sumWY / sumW
        return GeneralOutcome(estimate: estimate, tauSquared: t2, pValue: Normal.twoSidedPValue(estimate * sumW.squareRoot()))
    }

    /// The root of a step function g of the number of added studies as R's `uniroot(g, c(lower, upper),
    /// extendInt = "upX"/"downX", tol = 2⁻¹³)` finds it (metafor's search, whose result fsn rounds up): the upper
    /// end moves out by 1 %, 2 %, 4 %, … of itself until g has the sign of a root there, then Brent's method with
    /// zeroin's step rule.
    static func searchUpward(lower: Double, upper: Double, rising: Bool, maxIterations: Int = 1000,
                             _ g: (Double) -> Double) throws -> Double {
        let sign = rising ? 1.0 : -1.0
        var upper = upper, atUpper = g(upper)
        var delta = 0.01 * max(1e-4, abs(upper))
        var steps = 0
        while sign * atUpper < 0 {
            steps += 1
            guard steps <= maxIterations else { throw NumericsError.didNotConverge(iterations: maxIterations, lastStep: delta) }
            upper += delta
            atUpper = g(upper)
            delta *= 2
        }
        return try Brent.root(lower: lower, upper: upper, absoluteTolerance: searchTolerance, relativeTolerance: 0,
                              maxIterations: maxIterations + 1, rule: .zeroin, g).x
    }

    /// log(1 − Φ(x)) for x ≥ 0, accurate where 1 − Φ(x) underflows (x > 37): the asymptotic series
    /// φ(x)/x · (1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸) (Abramowitz & Stegun 26.2.12), relative error < 1e-12 there.
    static func logUpperNormalTail(_ x: Double) -> Double {
        let tail = Normal.survival(x)
        if tail >= 1e-300 { return log(tail) }
        let r = 1 / (x * x)
        return -0.5 * x * x - log(x) - 0.5 * log(2 * Double.pi) + log1p(r * (-1 + r * (3 + r * (-15 + r * 105))))
    }

    /// The two-sided binomial test at ½ of `successes` (≥ trials/2) in `trials`: min(1, 2 P(X ≥ successes)).
    static func signTestPValue(successes: Int, trials: Int) -> Double {
        guard successes > 0 else { return 1 }
        let upper = regularizedBeta(Double(successes), Double(trials - successes + 1), 0.5)
        return min(1, 2 * upper)
    }
}
