import MetaNumerics

/// Case-deletion diagnostics of a multilevel model (metafor's `cooks.distance`, `dfbetas` and `rstudent` for
/// `rma.mv`, with or without `cluster`): the model is refitted without each case — one effect, or every effect of
/// one level of a clustering variable (a study, a district) — re-estimating the variance components, and compared
/// with the full fit (Viechtbauer & Cheung 2010; Viechtbauer 2021, "Model checking in meta-analysis", §13.5):
///
///     Cook's distance  Dᶜ = (β̂ − β̂₍₋c₎)ᵀ Var(β̂)⁻¹ (β̂ − β̂₍₋c₎)          (Var(β̂) of the full fit)
///     DFBETASᶜⱼ        = (β̂ⱼ − β̂₍₋c₎ⱼ) / √[(XᵀM(θ̂₍₋c₎)⁻¹X)⁻¹]ⱼⱼ   (all effects, the refit's components)
///     deleted residuals rᶜ = y_c − X_c β̂₍₋c₎,  S_c = M_c(θ̂₍₋c₎) + X_c Var(β̂₍₋c₎) X_cᵀ,
///                      zᵢ = rᵢ/√(S_c)ᵢᵢ,  X²_c = rᶜᵀ S_c⁻¹ rᶜ on n_c effects
///
/// with M the marginal covariance (V plus random effects) and M_c its block of the case's effects, at the refit's
/// components θ̂₍₋c₎. DFBETAS scales by the full data's Var(β̂) at θ̂₍₋c₎, as metafor 3.8-1 does (checked against
/// its output: scaling by the refit's own Var(β̂₍₋c₎) differs by ~10 %).
/// A case whose refit fails (e.g. a grouping left with one level, a coefficient no longer estimable) has NaN
/// diagnostics and the reason in ``DeletedCase/failure``, as metafor reports NA.
public struct MultilevelInfluence: Sendable {
    /// The fit without one case.
    public struct Refit: Sendable, Equatable {
        public let coefficients: [Double]
        public let standardErrors: [Double]
        /// The estimated components of the refit, in metafor's order (σ², τ², ρ, γ², φ), with their estimates.
        public let components: [MultilevelFit.Component]
        public let componentEstimates: [Double]
        public let iterations: Int
    }

    /// One deleted case and what its deletion changes.
    public struct DeletedCase: Sendable {
        /// The clustering variable's level, or the effect's 1-based number without a clustering variable.
        public let label: String
        /// The case's effects (0-based).
        public let effects: [Int]
        /// nil when the model cannot be fitted without the case (see `failure`).
        public let refit: Refit?
        public let failure: MultilevelModelError?
        public let cooksDistance: Double
        /// One per coefficient (NaN when an inner level of a correlated term was lost with the case).
        public let dfbetas: [Double]
        /// Per effect of the case: the deleted residual y − xᵀβ̂₍₋c₎, its standard error and their ratio.
        public let deletedResiduals: [Double]
        public let deletedResidualStandardErrors: [Double]
        public let studentizedResiduals: [Double]
        /// X²_c = rᶜᵀ S_c⁻¹ rᶜ (for one effect, z²); NaN when the refit changed the components' layout (an inner
        /// level of a correlated term lost), so that M_c at the refit's components is not defined.
        public let residualChiSquare: Double
    }

    public let coefficientNames: [String]
    /// The clustering variable's name, or nil for one case per effect.
    public let clusterName: String?
    public let cases: [DeletedCase]
}

extension MultilevelFit {
    /// The diagonal of the hat matrix H = X (XᵀWX)⁻¹ XᵀW, W = M⁻¹ (metafor's `hatvalues` for `rma.mv`), per
    /// effect; they sum to p. Block-diagonal W: O(Σ n_c² p).
    public var hatValues: [Double] {
        var h = [Double](repeating: 0, count: effectCount)
        let x = workingModel.design
        let p = coefficients.count
        for c in workingModel.clusters {
            let n = c.rows.count
            // Row i of X_c A⁻¹, then h_i = Σ_j (X_c A⁻¹ X_cᵀ)_ij W_ji.
            let xa = c.rows.map { r in covariance.multiplied(by: x.row(r)) }
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<n {
                    var q = 0.0
                    for u in 0..<p { q += xa[i][u] * x[c.rows[j], u] }
                    sum += q * c.weights[j, i]
                }
                h[c.rows[i]] = sum
            }
        }
        return h
    }

    /// Refits without each case and compares (see ``MultilevelInfluence``).
    ///
    /// - Parameters:
    ///   - clusterName: the clustering variable's name as the output shows it.
    ///   - clusterLabels: one label per effect; the cases are its levels (sorted as R sorts a factor: numerically
    ///     when every label is a number). nil: one case per effect.
    ///   - threads: refits run in parallel (nil: all processors); the result does not depend on it.
    public func influence(clusterName: String? = nil, clusterLabels: [String]? = nil, threads: Int? = nil) -> MultilevelInfluence {
        precondition(clusterLabels.map { $0.count == effectCount } ?? true, "one cluster label per effect")
        let groups: [(label: String, effects: [Int])]
        if let clusterLabels {
            let g = RandomGrouping(name: clusterName ?? "cluster", columns: [clusterLabels])
            var members = [[Int]](repeating: [], count: g.levelCount)
            for (e, l) in g.levelOfEffect.enumerated() { members[l].append(e) }
            groups = zip(g.levels, members).map { ($0, $1) }
        } else {
            groups = (0..<effectCount).map { (String($0 + 1), [$0]) }
        }
        let cases = ParallelLoop.map(groups.count, threads: threads, blockSize: 1) { index in
            deletedCase(label: groups[index].label, effects: groups[index].effects)
        }
        return MultilevelInfluence(coefficientNames: coefficientNames, clusterName: clusterLabels == nil ? nil : clusterName, cases: cases)
    }

    private func deletedCase(label: String, effects deleted: [Int]) -> MultilevelInfluence.DeletedCase {
        let p = coefficients.count
        let removed = Set(deleted)
        let kept = (0..<effectCount).filter { !removed.contains($0) }
        let n = deleted.count
        func failed(_ error: MultilevelModelError) -> MultilevelInfluence.DeletedCase {
            let nan = [Double](repeating: .nan, count: n)
            return .init(label: label, effects: deleted, refit: nil, failure: error, cooksDistance: .nan,
                         dfbetas: [Double](repeating: .nan, count: p), deletedResiduals: nan, deletedResidualStandardErrors: nan,
                         studentizedResiduals: nan, residualChiSquare: .nan)
        }
        let refit: MultilevelFit
        do {
            let reduced = try model.keepingEffects(kept)
            // Warm start at the full fit's components when the parameterization is unchanged.
            let start = reduced.kernel.parameterNames == model.kernel.parameterNames ? evaluation.theta : nil
            refit = try reduced.fit(method: method, test: test, dfs: dfs, level: level, fixed: fixedComponents,
                                    maxIterations: 300, start: start)
        } catch {
            return failed(error)
        }
        let difference = zip(coefficients, refit.coefficients).map { $0 - $1 }
        let cook: Double
        if let chol = try? CholeskyFactorization(covariance) {
            cook = zip(difference, chol.solve(difference)).reduce(0) { $0 + $1.0 * $1.1 }
        } else {
            cook = .nan
        }
        // The layout of θ is the same when no inner level of a correlated term was lost with the case.
        let sameLayout = model.kernel.parameterNames == refit.model.kernel.parameterNames
        let scale = sameLayout ? (try? model.kernel.evaluate(refit.evaluation.theta, reml: method == .restrictedMaximumLikelihood, derivatives: false))?.covariance : nil
        let dfbetas = (0..<p).map { j in scale.map { difference[j] / $0[j, j].squareRoot() } ?? .nan }

        let x = model.design.matrix
        let residuals = deleted.map { i in model.effects[i] - zip(x.row(i), refit.coefficients).reduce(0) { $0 + $1.0 * $1.1 } }
        var s = sameLayout
            ? model.marginalCovariance(of: deleted, theta: refit.evaluation.theta)
            : Matrix(rows: n, columns: n, repeating: .nan)
        let xv = deleted.map { refit.covariance.multiplied(by: x.row($0)) }
        for a in 0..<n { for b in 0..<n { s[a, b] += zip(x.row(deleted[a]), xv[b]).reduce(0) { $0 + $1.0 * $1.1 } } }
        let se = (0..<n).map { s[$0, $0].squareRoot() }
        let chiSquare = (try? CholeskyFactorization(s)).map { chol in zip(residuals, chol.solve(residuals)).reduce(0) { $0 + $1.0 * $1.1 } } ?? .nan
        let estimated = refit.estimatedComponents
        return .init(label: label, effects: deleted,
                     refit: .init(coefficients: refit.coefficients, standardErrors: refit.standardErrors, components: estimated,
                                  componentEstimates: estimated.map(refit.estimate(of:)), iterations: refit.iterations),
                     failure: nil, cooksDistance: cook, dfbetas: dfbetas, deletedResiduals: residuals,
                     deletedResidualStandardErrors: se, studentizedResiduals: zip(residuals, se).map { $0 / $1 },
                     residualChiSquare: chiSquare)
    }
}

extension MultilevelModel {
    /// M = V + Σ_terms G(θ)[inner_a, inner_b] (for effects sharing an outer level), restricted to `rows`.
    func marginalCovariance(of rows: [Int], theta: [Double]) -> Matrix {
        let n = rows.count
        var m = Matrix(rows: n, columns: n)
        for a in 0..<n { for b in 0..<n { m[a, b] = samplingCovariance.element(rows[a], rows[b]) } }
        for t in kernel.terms {
            let param = t.parameterization
            let g = param.matrices(Array(theta[t.offset..<(t.offset + param.parameterCount)])).g
            let l = param.levels
            for a in 0..<n { for b in 0..<n where t.outer[rows[a]] == t.outer[rows[b]] {
                m[a, b] += g[t.inner[rows[a]] * l + t.inner[rows[b]]]
            } }
        }
        return m
    }
}
