#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// The shape of a selection function w(p) (metafor's `selmodel` types).
public enum SelectionFunctionType: String, CaseIterable, Sendable {
    /// w(p) = δ_j for α_{j−1} < p ≤ α_j, δ_1 = 1 (Vevea & Hedges 1995; `steps` α_1 < … < α_c = 1).
    case stepFunction = "stepfun"
}

/// A random-effects selection model fitted by maximum likelihood (metafor's `selmodel` on an ML model):
/// y_i ~ N(μ, v_i + τ²) observed with relative probability w(p_i), p_i the one-sided p-value 1 − Φ(y_i/√v_i)
/// (`greater`), Φ(y_i/√v_i) (`less`) or 2(1 − Φ(|y_i|/√v_i)) (`twoSided`). Each study's likelihood is
///
///     L_i = w(p_i) φ((y_i − μ)/s_i)/s_i / A_i,   s_i² = v_i + τ²,   A_i = E[w(p(Y))], Y ~ N(μ, s_i²)
///
/// (Vevea & Hedges 1995, Psychometrika 60:419–435). For the step function A_i = Σ_j δ_j (F_i(α_j) − F_i(α_{j−1}))
/// with F_i(α) = P(p(Y) ≤ α) in closed form. μ, τ² ≥ 0 and the free δ maximise Σ log L_i (Levenberg–Marquardt on
/// finite-difference derivatives; τ² held at 0 when the likelihood decreases there). Standard errors come from the
/// inverse Hessian of −log L at the estimate, over the parameters not on a bound; Wald tests and intervals use
/// them (δ tested against 1 for the step function; interval bounds truncated at δ ≥ 0 and τ² ≥ 0). The
/// likelihood-ratio test compares with the ML model without selection (δ = 1), df = the number of free δ.
public struct SelectionModel: Sendable {
    public let type: SelectionFunctionType
    public let alternative: TestAlternative
    /// The step function's cut points α_1 < … < α_c = 1 (1 appended if missing); empty for other types.
    public let steps: [Double]
    public let studyCount: Int
    public let estimate: Double
    public let standardError: Double
    public let tauSquared: Double
    /// nil when τ² is on its bound 0 (not in the Hessian).
    public let tauSquaredStandardError: Double?
    /// δ, the fixed ones included (δ_1 = 1 for the step function).
    public let delta: [Double]
    public let deltaFixed: [Bool]
    /// nil for fixed δ.
    public let deltaStandardErrors: [Double?]
    /// The value of δ under no selection (1 for the step function).
    public let deltaNull: Double
    public let logLikelihood: Double
    /// log-likelihood of the ML model without selection.
    public let logLikelihoodWithoutSelection: Double
    /// log-likelihood of the selection model with τ² = 0.
    public let logLikelihoodWithoutHeterogeneity: Double
    /// Number of p-values in each step interval (step function only).
    public let pValueCounts: [Int]
    /// Confidence level in percent.
    public let level: Double
    /// Iterations the fit took, and the largest |gradient| of −log L over the free parameters at the estimate.
    public let iterations: Int
    public let gradientNorm: Double

    public var zValue: Double { estimate / standardError }
    public var pValue: Double { Normal.twoSidedPValue(zValue) }
    var critical: Double { Normal.quantile(1 - (1 - level / 100) / 2) }
    public var confidenceInterval: (lower: Double, upper: Double) {
        (estimate - critical * standardError, estimate + critical * standardError)
    }
    public var tauSquaredInterval: (lower: Double, upper: Double)? {
        tauSquaredStandardError.map { (max(0, tauSquared - critical * $0), tauSquared + critical * $0) }
    }
    public var deltaZValues: [Double?] { zip(delta, deltaStandardErrors).map { d, se in se.map { (d - deltaNull) / $0 } } }
    public var deltaPValues: [Double?] { deltaZValues.map { $0.map(Normal.twoSidedPValue) } }
    public var deltaIntervals: [(lower: Double, upper: Double)?] {
        zip(delta, deltaStandardErrors).map { d, se in se.map { (max(0, d - critical * $0), d + critical * $0) } }
    }
    /// 2 (log L − log L without selection), on `likelihoodRatioDF` df.
    public var likelihoodRatio: Double { max(0, 2 * (logLikelihood - logLikelihoodWithoutSelection)) }
    public var likelihoodRatioDF: Int { deltaFixed.filter { !$0 }.count }
    public var likelihoodRatioPValue: Double { ChiSquared(degreesOfFreedom: Double(likelihoodRatioDF)).survival(likelihoodRatio) }
    /// The likelihood-ratio test of τ² = 0 within the selection model (1 df).
    public var tauSquaredLikelihoodRatio: Double { max(0, 2 * (logLikelihood - logLikelihoodWithoutHeterogeneity)) }
    public var tauSquaredLikelihoodRatioPValue: Double { ChiSquared(degreesOfFreedom: 1).survival(tauSquaredLikelihoodRatio) }
    /// Fit statistics with μ, τ² and the free δ as parameters.
    public var fitStatistics: FitStatistics {
        FitStatistics(logLikelihood: logLikelihood, deviance: -2 * logLikelihood, parameterCount: 2 + likelihoodRatioDF,
                      sampleSize: studyCount)
    }

    /// The selection function at p (p in [0, 1]).
    public func weight(atPValue p: Double) -> Double {
        let j = steps.firstIndex { p <= $0 } ?? steps.count - 1
        return delta[j]
    }

    /// - Parameters:
    ///   - steps: the step function's cut points in (0, 1] (1 is appended when missing).
    ///   - level: confidence level in percent.
    /// - Throws: `InputError` for fewer than 3 studies, non-finite values, non-positive variances, steps outside
    ///   (0, 1] or not increasing, a step interval without an observed p-value; `EstimationError` when the fit does
    ///   not converge.
    public init(effectSizes y: [Double], samplingVariances v: [Double], type: SelectionFunctionType = .stepFunction,
                steps: [Double], alternative: TestAlternative = .greater, level: Double = 95) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        try StudyValueCheck.validate(effectSizes: y, samplingVariances: v)
        let k = y.count
        guard k >= 3 else { throw InputError.tooFewStudies(found: k, needed: 3, analysis: "A selection model") }
        guard level > 0, level < 100 else {
            throw InputError.invalidOption(name: "level", value: String(level), expected: "a confidence level between 0 and 100")
        }
        var cuts = steps
        for (i, s) in cuts.enumerated() {
            guard s.isFinite, s > 0, s <= 1 else {
                throw InputError.invalidOption(name: "steps", value: String(s), expected: "cut points between 0 (exclusive) and 1")
            }
            if i > 0, s <= cuts[i - 1] {
                throw InputError.invalidOption(name: "steps", value: String(s), expected: "increasing cut points")
            }
        }
        guard !cuts.isEmpty else { throw InputError.invalidOption(name: "steps", value: "", expected: "at least one cut point for the step function") }
        if cuts.last! < 1 { cuts.append(1) }
        let p = (0..<k).map { Self.pValue(y[$0], v[$0], alternative) }
        var counts = [Int](repeating: 0, count: cuts.count)
        for pi in p { counts[cuts.firstIndex { pi <= $0 } ?? cuts.count - 1] += 1 }
        if let empty = counts.firstIndex(of: 0) {
            let lower = empty == 0 ? 0 : cuts[empty - 1]
            throw InputError.invalidOption(name: "steps", value: cuts.map { String($0) }.joined(separator: ","),
                                           expected: "at least one observed p-value in every interval (none in \(lower) < p <= \(cuts[empty]))")
        }
        let likelihood = StepLikelihood(y: y, v: v, p: p, cuts: cuts, alternative: alternative)
        let ml = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v,
                                            options: RandomEffectsOptions(estimator: .maximumLikelihood, test: .z))
        let ll0 = likelihood.logLikelihood([ml.estimate, ml.tauSquared] + [Double](repeating: 1, count: cuts.count - 1))
        // Parameters: μ, τ², δ_2 … δ_c.
        let start = [ml.estimate, ml.tauSquared] + [Double](repeating: 1, count: cuts.count - 1)
        let lowerBounds = [-Double.infinity, 0] + [Double](repeating: 0, count: cuts.count - 1)
        let fit = try BoundedMaximizer.maximize(start: start, lower: lowerBounds) { likelihood.logLikelihood($0) }
        var fixedTau = start
        fixedTau[1] = 0
        let noTau = try BoundedMaximizer.maximize(start: fixedTau, lower: lowerBounds, fixed: [1]) { likelihood.logLikelihood($0) }
        // Standard errors over the parameters off their bounds.
        let free = (0..<fit.x.count).filter { $0 == 0 || fit.x[$0] > lowerBounds[$0] }
        let hessian = BoundedMaximizer.hessian(at: fit.x, indices: free) { -likelihood.logLikelihood($0) }
        var se = [Double?](repeating: nil, count: fit.x.count)
        if let inverse = try? CholeskyFactorization(hessian).inverse() {
            for (a, index) in free.enumerated() { se[index] = inverse[a, a].squareRoot() }
        }
        guard let seMu = se[0] else {
            throw EstimationError.selectionModelInformation(studies: k)
        }
        self.type = type
        self.alternative = alternative
        self.steps = cuts
        self.studyCount = k
        self.estimate = fit.x[0]
        self.standardError = seMu
        self.tauSquared = fit.x[1]
        self.tauSquaredStandardError = se[1]
        self.delta = [1] + fit.x[2...]
        self.deltaFixed = [true] + [Bool](repeating: false, count: cuts.count - 1)
        self.deltaStandardErrors = [nil] + se[2...]
        self.deltaNull = 1
        self.logLikelihood = fit.value
        self.logLikelihoodWithoutSelection = ll0
        self.logLikelihoodWithoutHeterogeneity = min(noTau.value, fit.value)
        self.pValueCounts = counts
        self.level = level
        self.iterations = fit.iterations
        self.gradientNorm = fit.gradientNorm
    }

    static func pValue(_ y: Double, _ v: Double, _ alternative: TestAlternative) -> Double {
        let z = y / v.squareRoot()
        switch alternative {
        case .greater: return Normal.survival(z)
        case .less: return Normal.cdf(z)
        case .twoSided: return 2 * Normal.survival(abs(z))
        }
    }
}

/// The step-function selection model's log-likelihood in (μ, τ², δ_2 … δ_c).
struct StepLikelihood {
    let y: [Double], v: [Double]
    /// Per study, the interval of its p-value.
    let interval: [Int]
    let cuts: [Double]
    let alternative: TestAlternative
    /// Per cut α_j (j < c), its critical value q_j: p ≤ α_j ⇔ y ≥ √v q_j (greater), y ≤ −√v q_j (less), |y| ≥ √v q_j.
    let quantiles: [Double]

    init(y: [Double], v: [Double], p: [Double], cuts: [Double], alternative: TestAlternative) {
        self.y = y
        self.v = v
        self.cuts = cuts
        self.alternative = alternative
        interval = p.map { pi in cuts.firstIndex { pi <= $0 } ?? cuts.count - 1 }
        quantiles = cuts.dropLast().map { alternative == .twoSided ? Normal.quantile(1 - $0 / 2) : Normal.quantile(1 - $0) }
    }

    /// P(p(Y) ≤ α_j) for Y ~ N(μ, s²) and study variance v.
    func below(_ j: Int, mu: Double, s: Double, v: Double) -> Double {
        let c = v.squareRoot() * quantiles[j]
        switch alternative {
        case .greater: return Normal.survival((c - mu) / s)
        case .less: return Normal.cdf((-c - mu) / s)
        case .twoSided: return Normal.survival((c - mu) / s) + Normal.cdf((-c - mu) / s)
        }
    }

    func logLikelihood(_ x: [Double]) -> Double {
        let mu = x[0], tau2 = x[1]
        var total = 0.0
        for i in 0..<y.count {
            let s2 = v[i] + tau2
            guard s2 > 0 else { return -.infinity }
            let s = s2.squareRoot()
            var a = 0.0, previous = 0.0
            for j in 0..<cuts.count {
                let f = j == cuts.count - 1 ? 1 : below(j, mu: mu, s: s, v: v[i])
                a += (j == 0 ? 1 : x[1 + j]) * (f - previous)
                previous = f
            }
            let w = interval[i] == 0 ? 1 : x[1 + interval[i]]
            let r = y[i] - mu
            total += log(w) - 0.5 * log(2 * Double.pi * s2) - 0.5 * r * r / s2 - log(a)
        }
        return total.isNaN ? -.infinity : total
    }
}

/// Maximises a smooth function of a few parameters with lower bounds: Levenberg–Marquardt steps on central-difference
/// gradients and Hessians; a parameter at its bound whose gradient points outward is held there.
enum BoundedMaximizer {
    struct Result {
        let x: [Double]
        let value: Double
        let iterations: Int
        let gradientNorm: Double
    }

    static func step(_ x: Double) -> Double { 1e-4 * max(abs(x), 1e-2) }

    /// Fourth-order central differences (error O(h⁴) + O(ε/h)).
    static func gradient(at x: [Double], indices: [Int], _ f: ([Double]) -> Double) -> [Double] {
        indices.map { i in
            let h = 10 * step(x[i])
            func at(_ d: Double) -> Double { var z = x; z[i] += d; return f(z) }
            return (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h)
        }
    }

    /// Central differences of f (symmetric).
    static func hessian(at x: [Double], indices: [Int], _ f: ([Double]) -> Double) -> Matrix {
        let n = indices.count
        var h = Matrix(rows: n, columns: n)
        let f0 = f(x)
        for a in 0..<n {
            let i = indices[a], hi = step(x[i])
            func at(_ di: Double, _ j: Int, _ dj: Double) -> Double { var z = x; z[i] += di; z[j] += dj; return f(z) }
            h[a, a] = (-at(2 * hi, i, 0) + 16 * at(hi, i, 0) - 30 * f0 + 16 * at(-hi, i, 0) - at(-2 * hi, i, 0)) / (12 * hi * hi)
            for b in 0..<a {
                let j = indices[b], hj = step(x[j])
                let value = (at(hi, j, hj) - at(hi, j, -hj) - at(-hi, j, hj) + at(-hi, j, -hj)) / (4 * hi * hj)
                h[a, b] = value
                h[b, a] = value
            }
        }
        return h
    }

    static func maximize(start: [Double], lower: [Double], fixed: Set<Int> = [], maxIterations: Int = 500,
                         _ f: ([Double]) -> Double) throws -> Result {
        var x = start
        var value = f(x)
        guard value.isFinite else { throw EstimationError.selectionModelStart }
        var lambda = 1e-3
        var gradientNorm = Double.infinity
        for iteration in 1...maxIterations {
            // Free parameters: not fixed, and not at a bound with the gradient pointing outward.
            let candidates = (0..<x.count).filter { !fixed.contains($0) }
            let fullGradient = gradient(at: x, indices: candidates, f)
            var free: [Int] = [], g: [Double] = []
            for (a, i) in candidates.enumerated() where !(x[i] <= lower[i] && fullGradient[a] <= 0) {
                free.append(i)
                g.append(fullGradient[a])
            }
            gradientNorm = g.map(abs).max() ?? 0
            if free.isEmpty { return Result(x: x, value: value, iterations: iteration, gradientNorm: 0) }
            let negativeHessian = hessian(at: x, indices: free) { -f($0) }
            var improved = false
            var stepSize = 0.0
            for _ in 0..<60 {
                var m = negativeHessian
                for a in 0..<free.count { m[a, a] += lambda * max(abs(negativeHessian[a, a]), 1e-12) }
                guard let chol = try? CholeskyFactorization(m) else { lambda *= 10; continue }
                let d = chol.solve(g)
                // Stay within the bounds: shorten the step to land on the first bound it crosses.
                var t = 1.0
                for (a, i) in free.enumerated() where x[i] + d[a] < lower[i] { t = min(t, (x[i] - lower[i]) / -d[a]) }
                var trial = x
                for (a, i) in free.enumerated() { trial[i] = max(lower[i], x[i] + t * d[a]) }
                let trialValue = f(trial)
                if trialValue.isFinite, trialValue >= value - 1e-14 * abs(value) {
                    stepSize = zip(free, d).map { i, di in abs(t * di) / max(abs(x[i]), 1e-8) }.max() ?? 0
                    improved = trialValue > value || stepSize < 1e-12
                    x = trial
                    value = max(value, trialValue)
                    lambda = max(lambda / 10, 1e-12)
                    break
                }
                lambda *= 10
            }
            if !improved && lambda > 1e12 { return Result(x: x, value: value, iterations: iteration, gradientNorm: gradientNorm) }
            if stepSize < 1e-11 || gradientNorm < 1e-10 { return Result(x: x, value: value, iterations: iteration, gradientNorm: gradientNorm) }
        }
        throw EstimationError.selectionModelDidNotConverge(iterations: maxIterations, gradientNorm: gradientNorm)
    }
}
