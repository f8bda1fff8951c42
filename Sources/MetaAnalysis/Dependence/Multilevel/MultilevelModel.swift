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
    /// The `~ 1 | …` components, one σ² each.
    public let groupings: [RandomGrouping]
    /// The `~ inner | outer` terms (at most two: τ²/ρ, then γ²/φ).
    public let correlatedTerms: [CorrelatedRandomEffects]
    let kernel: MarginalCovarianceKernel
    /// Per parameter of θ: its kind (bounds) and its place in the output.
    let parameterKinds: [TermParameterization.ParameterKind]

    /// - Throws: ``MultilevelModelError`` for lengths that differ from the number of effects, a non-finite
    ///   effect, a block of V that is not positive definite, a grouping with a single level or given twice, more
    ///   than two correlated terms, or a design with as many coefficients as effects.
    public init(effects: [Double], samplingCovariance: SamplingCovariance, design: DesignMatrix,
                groupings: [RandomGrouping], correlatedTerms: [CorrelatedRandomEffects] = []) throws(MultilevelModelError) {
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
        guard correlatedTerms.count <= 2 else { throw .repeatedComponent(component: correlatedTerms[2].formula) }
        for t in correlatedTerms where t.innerOfEffect.count != k {
            throw .dimensionMismatch(what: "The term '\(t.formula)'", count: t.innerOfEffect.count, effects: k)
        }
        for block in samplingCovariance.blocks where block.size > 1 {
            var vb = Matrix(rows: block.size, columns: block.size)
            for a in 0..<block.size { for b in 0..<block.size { vb[a, b] = block.element(a, b) } }
            guard (try? CholeskyFactorization(vb)) != nil else { throw .samplingCovarianceNotPositiveDefinite(effects: block.rows) }
        }
        self.effects = effects
        self.samplingCovariance = samplingCovariance
        self.design = design
        self.groupings = groupings
        self.correlatedTerms = correlatedTerms
        var terms: [MarginalCovarianceKernel.Term] = []
        var parameterNames: [String] = []
        var kinds: [TermParameterization.ParameterKind] = []
        for g in groupings {
            let param = TermParameterization(structure: nil, levels: 1, times: [])
            terms.append(.init(outer: g.levelOfEffect, inner: Array(repeating: 0, count: k), parameterization: param, offset: parameterNames.count))
            parameterNames.append("sigma2[\(g.name)]")
            kinds.append(.variance)
        }
        for (index, t) in correlatedTerms.enumerated() {
            let param = t.parameterization
            terms.append(.init(outer: t.outer.levelOfEffect, inner: t.innerOfEffect, parameterization: param, offset: parameterNames.count))
            let (variance, correlation) = index == 0 ? ("tau2", "rho") : ("gamma2", "phi")
            if param.tauCount == 1 {
                parameterNames.append(variance)
            } else {
                parameterNames += t.innerLevels.map { "\(variance)[\($0)]" }
            }
            if case .unstructured = param.correlation {
                for a in 0..<param.levels { for b in (a + 1)..<max(param.levels, a + 1) {
                    parameterNames.append("\(correlation)[\(t.innerLevels[a]),\(t.innerLevels[b])]")
                } }
            } else if param.rhoCount == 1 {
                parameterNames.append(correlation)
            }
            kinds += param.parameterKinds
        }
        parameterKinds = kinds
        kernel = try MarginalCovarianceKernel(y: effects, v: samplingCovariance, x: design.matrix, terms: terms, parameterNames: parameterNames)
    }

    /// The number of effects k.
    public var effectCount: Int { effects.count }

    /// Fits the variance components by ML or REML and tests the coefficients.
    ///
    /// The components are found by Newton's method on the exact (RE)ML score with the observed information,
    /// falling back to Fisher scoring where the observed information is not positive definite; each step is
    /// halved until the likelihood does not decrease and correlations stay in [−1, 1]; a variance whose step
    /// would go below 0 is held at 0 while its score is ≤ 0 (reported as on the boundary). Stops when every
    /// step is below 1e-12 relative.
    ///
    /// - Parameters:
    ///   - method: `.maximumLikelihood` or `.restrictedMaximumLikelihood`.
    ///   - test: `.z` (normal, χ² omnibus) or `.t` (t and F with `dfs` degrees of freedom).
    ///   - dfs: `.residual` (k − p) or `.contain` (metafor's containment rule).
    ///   - fixed: components held at given values instead of estimated.
    ///   - maxIterations: the iteration cap.
    /// - Throws: ``MultilevelModelError`` naming the component that did not converge, the cluster whose
    ///   marginal covariance is not positive definite, or a bad fixed value.
    public func fit(method: TauSquaredEstimator = .restrictedMaximumLikelihood, test: CoefficientTest = .z,
                    dfs: MultilevelDegreesOfFreedom = .residual, level: Double = 0.95, fixed: FixedComponents = FixedComponents(),
                    maxIterations: Int = 300) throws(MultilevelModelError) -> MultilevelFit {
        try fit(method: method, test: test, dfs: dfs, level: level, fixed: fixed, maxIterations: maxIterations, start: nil)
    }

    /// The fit from `start` (θ in the kernel's parameterization; nil: the default start values).
    func fit(method: TauSquaredEstimator, test: CoefficientTest, dfs: MultilevelDegreesOfFreedom, level: Double,
             fixed: FixedComponents, maxIterations: Int, start: [Double]?) throws(MultilevelModelError) -> MultilevelFit {
        guard method == .maximumLikelihood || method == .restrictedMaximumLikelihood else { throw .unsupportedMethod(method.rawValue) }
        guard test == .z || test == .t else { throw .unsupportedMethod("test \(test.rawValue)") }
        let fixedValues = try fixedParameters(fixed)
        let m = fixedValues.count
        let names = kernel.parameterNames
        let reml = method == .restrictedMaximumLikelihood
        var theta = try startValues(fixed: fixedValues)
        if let start, start.count == theta.count {
            // Warm start (e.g. a profile next to the estimate): the free components from `start`.
            for j in 0..<m where fixedValues[j] == nil { theta[j] = start[j] }
        }
        var iterations = 0
        var ev = try kernel.evaluate(theta, reml: reml, derivatives: true)
        let free = (0..<m).filter { fixedValues[$0] == nil }
        var converged = free.isEmpty
        var lastChange = Double.infinity
        func ll(_ e: MarginalCovarianceKernel.Evaluation) -> Double { reml ? e.logLikelihoodREML : e.logLikelihoodML }
        while !converged {
            guard iterations < maxIterations else {
                let worst = free.max { abs(ev.score[$0]) < abs(ev.score[$1]) }!
                throw .didNotConverge(component: names[worst], iterations: iterations, score: ev.score[worst])
            }
            iterations += 1
            // Variances and standard deviations at 0 whose score points below 0, and correlations at ±1 whose score
            // points outward, stay on the boundary (a negative SD would flip the sign of its correlations: with a
            // correlation held fixed, e.g. in a profile, that would fit a correlation other than the one held).
            let active = free.filter { j in
                switch parameterKinds[j] {
                case .variance, .standardDeviation: return !(theta[j] == 0 && ev.score[j] <= 0)
                case .correlation: return !(abs(theta[j]) == 1 && ev.score[j] * theta[j] >= 0)
                }
            }
            if active.isEmpty { converged = true; break }
            // Fisher scoring while far from the optimum (robust), Newton's method near it (quadratic).
            let step = newtonStep(ev, active: active, observed: lastChange < 1e-3)
            var t = 1.0
            var accepted: MarginalCovarianceKernel.Evaluation?
            var candidate = theta
            for _ in 0..<60 {
                candidate = theta
                for (i, j) in active.enumerated() {
                    let value = theta[j] + t * step[i]
                    switch parameterKinds[j] {
                    case .variance, .standardDeviation: candidate[j] = max(0, value)
                    case .correlation: candidate[j] = min(1, max(-1, value))
                    }
                }
                if structuresAdmissible(candidate), let e = try? kernel.evaluate(candidate, reml: reml, derivatives: false),
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
                throw .didNotConverge(component: names[worst], iterations: iterations, score: ev.score[worst])
            }
            theta = candidate
            ev = try kernel.evaluate(theta, reml: reml, derivatives: true)
            // Only a full step that small means convergence (a halved one may just be blocked).
            if change < 1e-12 && t == 1 { converged = true }
            lastChange = t == 1 ? change : max(change, 1e-2)
        }
        return try MultilevelFit(model: self, evaluation: ev, method: method, test: test, dfs: dfs, level: level,
                                 fixed: fixedValues.map { $0 != nil }, iterations: iterations, fixedComponents: fixed)
    }

    /// Components held at given values (metafor's `sigma2`, `tau2`, `rho`, `gamma2`, `phi` arguments): each array
    /// has one entry per component (nil = estimated), or a single entry for all of them.
    public struct FixedComponents: Sendable, Equatable {
        public var sigma2: [Double?]
        public var tau2: [Double?]
        public var rho: [Double?]
        public var gamma2: [Double?]
        public var phi: [Double?]

        public init(sigma2: [Double?] = [], tau2: [Double?] = [], rho: [Double?] = [], gamma2: [Double?] = [], phi: [Double?] = []) {
            self.sigma2 = sigma2
            self.tau2 = tau2
            self.rho = rho
            self.gamma2 = gamma2
            self.phi = phi
        }
    }

    /// θ's fixed entries (nil = estimated) from the user's values, in the kernel's parameterization.
    private func fixedParameters(_ fixed: FixedComponents) throws(MultilevelModelError) -> [Double?] {
        var out: [Double?] = []
        func expand(_ values: [Double?], count: Int, name: String, correlation: Bool, sd: Bool) throws(MultilevelModelError) -> [Double?] {
            if values.isEmpty { return Array(repeating: nil, count: count) }
            guard values.count == count || values.count == 1 else {
                throw .dimensionMismatch(what: "The fixed values of \(name)", count: values.count, effects: count)
            }
            let all = values.count == count ? values : Array(repeating: values[0], count: count)
            return try all.map { v throws(MultilevelModelError) -> Double? in
                guard let v else { return nil }
                guard v.isFinite, correlation ? abs(v) <= 1 : v >= 0 else { throw .invalidFixedValue(component: name, value: v) }
                return sd ? v.squareRoot() : v
            }
        }
        out += try expand(fixed.sigma2, count: groupings.count, name: "sigma2", correlation: false, sd: false)
        let extra: [(String, [Double?])] = [("tau2", fixed.tau2), ("rho", fixed.rho), ("gamma2", fixed.gamma2), ("phi", fixed.phi)]
        for (index, (name, values)) in extra.enumerated() {
            let term = index / 2
            guard term < correlatedTerms.count else {
                if let v = values.compactMap({ $0 }).first { throw .invalidFixedValue(component: name, value: v) }
                continue
            }
            let param = correlatedTerms[term].parameterization
            if index % 2 == 0 {
                out += try expand(values, count: param.tauCount, name: name, correlation: false, sd: param.kind == .heteroscedastic)
            } else {
                if param.rhoCount == 0, let v = values.compactMap({ $0 }).first { throw .invalidFixedValue(component: name, value: v) }
                out += try expand(values, count: param.rhoCount, name: name, correlation: true, sd: false)
            }
        }
        return out
    }

    /// θ with the free variances started at an equal share of the heterogeneity left by the V-only fit,
    /// correlations at 0 (AR: 0.5).
    private func startValues(fixed: [Double?]) throws(MultilevelModelError) -> [Double] {
        let x = design.matrix
        // The V-only GLS fit, per block of V.
        var a = Matrix(rows: x.columns, columns: x.columns), b = [Double](repeating: 0, count: x.columns)
        for block in samplingCovariance.blocks {
            for (i, r) in block.rows.enumerated() {
                for (j, s) in block.rows.enumerated() where i == j {
                    _ = s
                    let w = 1 / block.element(i, j)
                    for u in 0..<x.columns { b[u] += w * x[r, u] * effects[r]; for v in 0..<x.columns { a[u, v] += w * x[r, u] * x[r, v] } }
                }
            }
        }
        let beta = (try? CholeskyFactorization(a))?.solve(b) ?? [Double](repeating: 0, count: x.columns)
        let fitted = x.multiplied(by: beta)
        let residualSquares = zip(effects, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let meanV = samplingCovariance.variances.reduce(0, +) / Double(effectCount)
        let excess = residualSquares / Double(effectCount - design.coefficientCount) - meanV
        let variances = (0..<fixed.count).filter { fixed[$0] == nil && parameterKinds[$0] != .correlation }.count
        let share = max(excess, 0.1 * meanV) / Double(max(variances, 1))
        var theta: [Double] = []
        var index = 0
        for (ti, t) in kernel.terms.enumerated() {
            _ = ti
            for kind in t.parameterization.parameterKinds {
                defer { index += 1 }
                if let f = fixed[index] { theta.append(f); continue }
                switch kind {
                case .variance: theta.append(share)
                case .standardDeviation: theta.append(share.squareRoot())
                case .correlation:
                    if case .autoregressive = t.parameterization.correlation { theta.append(0.5) } else { theta.append(0) }
                }
            }
        }
        return theta
    }

    /// Whether every unstructured G is positive semidefinite at θ (metafor's UN parameter space); the other
    /// structures are by construction for correlations in [−1, 1].
    private func structuresAdmissible(_ theta: [Double]) -> Bool {
        for t in kernel.terms {
            guard case .unstructured = t.parameterization.correlation else { continue }
            let l = t.parameterization.levels
            let g = t.parameterization.matrices(Array(theta[t.offset..<(t.offset + t.parameterization.parameterCount)])).g
            var r = Matrix(rows: l, columns: l)
            // The correlation matrix R must be PSD: factor R + 1e-12 I.
            let sd = (0..<l).map { abs(theta[t.offset + $0]) }
            for a in 0..<l { for b in 0..<l {
                r[a, b] = sd[a] > 0 && sd[b] > 0 ? g[a * l + b] / (sd[a] * sd[b]) : (a == b ? 1 : 0)
                if a == b { r[a, b] += 1e-12 }
            } }
            if (try? CholeskyFactorization(r)) == nil { return false }
        }
        return true
    }

    /// Newton's step on the active components with the observed information, or Fisher scoring where that
    /// is not positive definite.
    private func newtonStep(_ ev: MarginalCovarianceKernel.Evaluation, active: [Int], observed: Bool) -> [Double] {
        let n = active.count
        let g = active.map { ev.score[$0] }
        func sub(_ a: Matrix) -> Matrix {
            var s = Matrix(rows: n, columns: n)
            for (i, x) in active.enumerated() { for (j, y) in active.enumerated() { s[i, j] = a[x, y] } }
            return s
        }
        if observed, let c = try? CholeskyFactorization(sub(ev.observed)) { return c.solve(g) }
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
