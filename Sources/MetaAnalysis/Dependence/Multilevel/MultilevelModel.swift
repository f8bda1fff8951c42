#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// A multilevel meta-analytic model (metafor's `rma.mv` with nested random intercepts):
///
///     y = Xβ + Σⱼ Zⱼuⱼ + e,   uⱼ ~ N(0, σ²ⱼ I),   e ~ N(0, V)
///
/// with V known (``SamplingCovariance``) and one variance component σ²ⱼ per grouping (``RandomGrouping``; e.g.
/// the levels of ``NestedRandomIntercepts``). The marginal covariance M = V + Σⱼ σ²ⱼ ZⱼZⱼᵀ is block-diagonal over
/// the clusters of effects linked by V or a grouping, so a fit costs O(Σ n_c³) per iteration, not O(k³).
///
/// ```swift
/// let term = try NestedRandomIntercepts(formula: "~ 1 | district/school")
/// let model = try MultilevelModel(effects: y, samplingCovariance: SamplingCovariance(variances: v),
///                                 design: design, groupings: term.groupings(from: table, rows: rows))
/// let fit = try model.fit(method: .restrictedMaximumLikelihood)
/// ```
public struct MultilevelModel: Sendable {
    public let effects: [Double]
    public let samplingCovariance: SamplingCovariance
    public let design: DesignMatrix
    public let groupings: [RandomGrouping]
    let kernel: MarginalCovarianceKernel

    /// - Throws: ``MultilevelModelError`` for lengths that differ from the number of effects, a non-finite
    ///   effect, a grouping with a single level or given twice, or a design with as many coefficients as effects.
    public init(effects: [Double], samplingCovariance: SamplingCovariance, design: DesignMatrix,
                groupings: [RandomGrouping]) throws(MultilevelModelError) {
        let k = effects.count
        if let i = effects.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteEffect(effect: i, value: effects[i]) }
        guard samplingCovariance.count == k else { throw .dimensionMismatch(what: "The sampling covariance", count: samplingCovariance.count, effects: k) }
        guard design.studyCount == k else { throw .dimensionMismatch(what: "The design matrix", count: design.studyCount, effects: k) }
        guard design.coefficientCount < k else {
            throw .designNotEstimable(reason: "\(design.coefficientCount) coefficients for \(k) effects; expected fewer coefficients than effects")
        }
        var names = Set<String>()
        for g in groupings {
            guard g.levelOfEffect.count == k else { throw .dimensionMismatch(what: "The grouping '\(g.name)'", count: g.levelOfEffect.count, effects: k) }
            guard g.levelCount > 1 else { throw .singleLevel(component: g.name, level: g.levels.first ?? "") }
            guard names.insert(g.name).inserted else { throw .repeatedComponent(component: g.name) }
        }
        self.effects = effects
        self.samplingCovariance = samplingCovariance
        self.design = design
        self.groupings = groupings
        kernel = try MarginalCovarianceKernel(y: effects, v: samplingCovariance, x: design.matrix, groupings: groupings)
    }

    /// The number of effects k.
    public var effectCount: Int { effects.count }

    /// Fits the variance components by ML or REML and tests the coefficients.
    ///
    /// The components are found by Newton's method on the exact (RE)ML score with the observed information,
    /// falling back to Fisher scoring where the observed information is not positive definite; each step is
    /// halved until the likelihood does not decrease, and a component whose step would go below 0 is held at
    /// 0 while its score is ≤ 0 (reported as on the boundary). Stops when every step is below 1e-12 relative.
    ///
    /// - Parameters:
    ///   - method: `.maximumLikelihood` or `.restrictedMaximumLikelihood`.
    ///   - test: `.z` (normal, χ² omnibus) or `.t` (t and F with `dfs` degrees of freedom).
    ///   - dfs: `.residual` (k − p) or `.contain` (metafor's containment rule).
    ///   - fixed: per grouping, a value to hold σ²ⱼ at, or nil to estimate it (empty: estimate all).
    ///   - maxIterations: the iteration cap.
    /// - Throws: ``MultilevelModelError`` naming the component that did not converge, the cluster whose
    ///   marginal covariance is not positive definite, or a bad fixed value.
    public func fit(method: TauSquaredEstimator = .restrictedMaximumLikelihood, test: CoefficientTest = .z,
                    dfs: MultilevelDegreesOfFreedom = .residual, level: Double = 0.95, fixed: [Double?] = [],
                    maxIterations: Int = 200) throws(MultilevelModelError) -> MultilevelFit {
        guard method == .maximumLikelihood || method == .restrictedMaximumLikelihood else { throw .unsupportedMethod(method.rawValue) }
        guard test == .z || test == .t else { throw .unsupportedMethod("test \(test.rawValue)") }
        let m = groupings.count
        let fixedValues = fixed.isEmpty ? [Double?](repeating: nil, count: m) : fixed
        guard fixedValues.count == m else { throw .dimensionMismatch(what: "The list of fixed components", count: fixedValues.count, effects: m) }
        for (j, f) in fixedValues.enumerated() {
            if let f, !(f.isFinite && f >= 0) { throw .invalidFixedValue(component: "sigma2[\(groupings[j].name)]", value: f) }
        }
        let reml = method == .restrictedMaximumLikelihood
        var theta = try startValues(fixed: fixedValues)
        var iterations = 0
        var ev = try kernel.evaluate(theta, reml: reml, derivatives: true)
        let free = (0..<m).filter { fixedValues[$0] == nil }
        var converged = free.isEmpty
        func ll(_ e: MarginalCovarianceKernel.Evaluation) -> Double { reml ? e.logLikelihoodREML : e.logLikelihoodML }
        while !converged {
            guard iterations < maxIterations else {
                let worst = free.max { abs(ev.score[$0]) < abs(ev.score[$1]) }!
                throw .didNotConverge(component: "sigma2[\(groupings[worst].name)]", iterations: iterations, score: ev.score[worst])
            }
            iterations += 1
            // Components at 0 whose score points below 0 stay on the boundary.
            let active = free.filter { !(theta[$0] == 0 && ev.score[$0] <= 0) }
            if active.isEmpty { converged = true; break }
            let step = newtonStep(ev, active: active)
            var t = 1.0
            var accepted: MarginalCovarianceKernel.Evaluation?
            var candidate = theta
            for _ in 0..<60 {
                candidate = theta
                for (i, j) in active.enumerated() { candidate[j] = max(0, theta[j] + t * step[i]) }
                if let e = try? kernel.evaluate(candidate, reml: reml, derivatives: false),
                   ll(e) >= ll(ev) - 1e-12 * max(1, abs(ll(ev))) {
                    accepted = e
                    break
                }
                t /= 2
            }
            let change = active.map { abs(candidate[$0] - theta[$0]) / max(abs(theta[$0]), 1e-8) }.max() ?? 0
            guard accepted != nil else {
                // No step improves the likelihood: at the optimum to rounding, or stuck.
                if change < 1e-8 || active.allSatisfy({ abs(ev.score[$0]) < 1e-8 }) { converged = true; break }
                let worst = active.max { abs(ev.score[$0]) < abs(ev.score[$1]) }!
                throw .didNotConverge(component: "sigma2[\(groupings[worst].name)]", iterations: iterations, score: ev.score[worst])
            }
            theta = candidate
            ev = try kernel.evaluate(theta, reml: reml, derivatives: true)
            if change < 1e-12 { converged = true }
        }
        return try MultilevelFit(model: self, evaluation: ev, method: method, test: test, dfs: dfs, level: level,
                                 fixed: fixedValues.map { $0 != nil }, iterations: iterations)
    }

    /// θ with the free components started at an equal share of the heterogeneity left by the V-only fit.
    private func startValues(fixed: [Double?]) throws(MultilevelModelError) -> [Double] {
        let m = groupings.count
        let zero = [Double](repeating: 0, count: m)
        let base = try kernel.evaluate(zero.enumerated().map { fixed[$0.offset] ?? 0 }, reml: false, derivatives: false)
        var residualSquares = 0.0
        for (ci, c) in kernel.clusters.enumerated() {
            let fitted = c.x.multiplied(by: base.beta)
            for (a, yi) in c.y.enumerated() { residualSquares += (yi - fitted[a]) * (yi - fitted[a]) }
            _ = ci
        }
        let meanV = samplingCovariance.variances.reduce(0, +) / Double(effectCount)
        let excess = residualSquares / Double(effectCount - design.coefficientCount) - meanV
        let free = fixed.filter { $0 == nil }.count
        let share = max(excess, 0.1 * meanV) / Double(max(free, 1))
        return fixed.map { $0 ?? share }
    }

    /// Newton's step on the active components with the observed information, or Fisher scoring where that
    /// is not positive definite.
    private func newtonStep(_ ev: MarginalCovarianceKernel.Evaluation, active: [Int]) -> [Double] {
        let n = active.count
        let g = active.map { ev.score[$0] }
        func sub(_ a: Matrix) -> Matrix {
            var s = Matrix(rows: n, columns: n)
            for (i, x) in active.enumerated() { for (j, y) in active.enumerated() { s[i, j] = a[x, y] } }
            return s
        }
        if let c = try? CholeskyFactorization(sub(ev.observed)) { return c.solve(g) }
        if let c = try? CholeskyFactorization(sub(ev.fisher)) { return c.solve(g) }
        // Information singular (a component not identified by the data): a gradient step.
        return g.map { $0 * 1e-3 }
    }
}

/// How the t-test degrees of freedom of a multilevel model's coefficients are found (metafor's `dfs`).
public enum MultilevelDegreesOfFreedom: String, CaseIterable, Sendable, Codable {
    /// k − p for every coefficient.
    case residual
    /// The containment rule: for coefficient j, the fewest levels among the groupings within whose every level
    /// column j of X is constant (k if none), minus p.
    case contain
}
