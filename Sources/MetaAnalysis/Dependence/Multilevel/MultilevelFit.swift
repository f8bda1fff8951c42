#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// A fitted ``MultilevelModel``: the coefficients and their tests, the variance components, the heterogeneity
/// test, fit statistics and multilevel I², as metafor's `rma.mv` reports them.
public struct MultilevelFit: Sendable {
    /// One variance component σ²ⱼ.
    public struct VarianceComponent: Sendable, Equatable {
        /// The grouping's name (`district`, `district/school`).
        public let name: String
        public let estimate: Double
        /// The number of levels of the grouping (metafor's `nlvls`).
        public let levelCount: Int
        /// Held at a given value rather than estimated.
        public let isFixed: Bool
        /// Estimated as exactly 0 with a score ≤ 0 there.
        public let isOnBoundary: Bool
    }

    /// The shares of heterogeneity of a model with only random intercepts (metafor-project.org, "I² for
    /// multilevel and multivariate models"): ṽ = (k − p)/tr(P_V) with P_V from W = V⁻¹,
    /// I²ⱼ = 100 σ²ⱼ/(Σσ² + ṽ), I²_total = 100 Σσ²/(Σσ² + ṽ).
    public struct HeterogeneityShares: Sendable, Equatable {
        public let typicalSamplingVariance: Double
        public let total: Double
        public let perComponent: [Double]
        /// σ²ⱼ/Σσ².
        public let shareOfHeterogeneity: [Double]
    }

    /// The estimates of a `~ inner | outer` term.
    public struct CorrelatedEstimate: Sendable, Equatable {
        public let structure: CovarianceStructure
        /// [inner, outer] column names.
        public let names: [String]
        public let innerLevels: [String]
        /// [number of inner levels, number of outer levels].
        public let levelCounts: [Int]
        /// τ² (one, or one per inner level).
        public let tau2: [Double]
        /// ρ (none, one, or one per pair (1,2), (1,3), …, (2,3), …).
        public let rho: [Double]
        public let tau2Fixed: [Bool]
        public let rhoFixed: [Bool]
        /// G, the implied covariance of the inner levels' random effects.
        public let covariance: Matrix
    }

    public let method: TauSquaredEstimator
    public let test: CoefficientTest
    public let dfs: MultilevelDegreesOfFreedom
    public let level: Double
    public let effectCount: Int
    public let coefficientNames: [String]
    public let coefficients: [Double]
    public let standardErrors: [Double]
    /// z or t statistics.
    public let statistics: [Double]
    public let pValues: [Double]
    public let confidenceLower: [Double]
    public let confidenceUpper: [Double]
    /// Per coefficient for the t test; nil for z.
    public let degreesOfFreedom: [Int]?
    /// (XᵀM⁻¹X)⁻¹.
    public let covariance: Matrix
    public let components: [VarianceComponent]
    /// QE = eᵀV⁻¹e with the GLS residuals of the V-only fit, df k − p (independent of the components).
    public let residualHeterogeneity: ChiSquareTest
    /// QM over all coefficients but the intercept (all when there is none); nil for an intercept-only model.
    public let moderatorTest: OmnibusTest?
    /// p plus the number of estimated components (counted in AIC, BIC, AICc).
    public let parameterCount: Int
    public let fitStatisticsML: FitStatistics
    public let fitStatisticsREML: FitStatistics
    /// Only for models whose random effects are all `~ 1 | …` components (nil otherwise).
    public let heterogeneityShares: HeterogeneityShares?
    /// The `~ inner | outer` terms' estimates (τ²/ρ, then γ²/φ).
    public let correlatedEstimates: [CorrelatedEstimate]
    public let iterations: Int
    /// max |score| over the estimated components not on the boundary, at the estimate.
    public let scoreNorm: Double
    /// The fitted model's matrices for sandwich estimators (see ``WorkingModel``).
    public let workingModel: WorkingModel
    let model: MultilevelModel

    /// The fitted marginal model as a cluster-robust (sandwich) estimator needs it: X, y, β̂ and, per cluster of
    /// the model, the marginal covariance M_c = V_c + random-effects part and the weight matrix W_c = M_c⁻¹.
    public struct WorkingModel: Sendable {
        public struct Cluster: Sendable {
            /// The effects of the cluster (0-based, ascending).
            public let rows: [Int]
            /// M restricted to `rows`.
            public let marginalCovariance: Matrix
            /// M_c⁻¹.
            public let weights: Matrix
        }
        /// X, k × p.
        public let design: Matrix
        public let effects: [Double]
        public let coefficients: [Double]
        /// (XᵀWX)⁻¹.
        public let covariance: Matrix
        public let clusters: [Cluster]
        /// k − p.
        public let residualDegreesOfFreedom: Int
        public let test: CoefficientTest
    }

    init(model: MultilevelModel, evaluation ev: MarginalCovarianceKernel.Evaluation, method: TauSquaredEstimator,
         test: CoefficientTest, dfs: MultilevelDegreesOfFreedom, level: Double, fixed: [Bool], iterations: Int,
         fixedComponents: MultilevelModel.FixedComponents) throws(MultilevelModelError) {
        self.model = model
        self.fixedComponents = fixedComponents
        let k = model.effectCount, p = model.design.coefficientCount
        let x = model.design.matrix
        self.method = method
        self.test = test
        self.dfs = dfs
        self.level = level
        self.iterations = iterations
        effectCount = k
        coefficientNames = model.design.coefficientNames
        coefficients = ev.beta
        covariance = ev.covariance
        standardErrors = (0..<p).map { ev.covariance[$0, $0].squareRoot() }
        statistics = zip(ev.beta, standardErrors).map { $0 / $1 }
        let df: [Int]? = test == .t ? Self.degreesOfFreedom(model: model, dfs: dfs) : nil
        if let df, let j = df.firstIndex(where: { $0 < 1 }) {
            throw .designNotEstimable(reason: "the coefficient \(model.design.coefficientNames[j]) has \(df[j]) degrees of freedom under the \(dfs.rawValue) rule; expected at least 1")
        }
        degreesOfFreedom = df
        var pv: [Double] = [], lo: [Double] = [], hi: [Double] = []
        for j in 0..<p {
            let crit: Double, pval: Double
            if let df {
                let t = StudentT(degreesOfFreedom: Double(df[j]))
                crit = t.quantile(0.5 + level / 2)
                pval = t.twoSidedPValue(statistics[j])
            } else {
                crit = Normal.quantile(0.5 + level / 2)
                pval = Normal.twoSidedPValue(statistics[j])
            }
            pv.append(pval)
            lo.append(ev.beta[j] - crit * standardErrors[j])
            hi.append(ev.beta[j] + crit * standardErrors[j])
        }
        pValues = pv
        confidenceLower = lo
        confidenceUpper = hi

        let kinds = model.parameterKinds
        let boundary = (0..<ev.theta.count).map { !fixed[$0] && kinds[$0] == .variance && ev.theta[$0] == 0 && (ev.score[$0] <= 0) }
        components = model.groupings.enumerated().map { j, g in
            VarianceComponent(name: g.name, estimate: ev.theta[j], levelCount: g.levelCount, isFixed: fixed[j], isOnBoundary: boundary[j])
        }
        scoreNorm = (0..<ev.theta.count).filter { !fixed[$0] && !boundary[$0] }.map { abs(ev.score[$0]) }.max() ?? 0
        var estimates: [CorrelatedEstimate] = []
        for (index, t) in model.correlatedTerms.enumerated() {
            let term = model.kernel.terms[model.groupings.count + index]
            let param = term.parameterization
            let range = term.offset..<(term.offset + param.parameterCount)
            let theta = Array(ev.theta[range])
            let l = param.levels
            let g = param.matrices(theta).g
            var (tau2, rho) = param.reported(theta)
            if param.kind == .heteroscedastic {
                let sign = theta[0..<param.tauCount].map { $0 < 0 ? -1.0 : 1.0 }
                switch param.correlation {
                case .unstructured:
                    for a in 0..<l { for b in (a + 1)..<max(l, a + 1) { rho[param.pairIndex(a, b)] *= sign[a] * sign[b] } }
                case .compound where l == 2:
                    rho[0] *= sign[0] * sign[1]
                default: break
                }
            }
            var gm = Matrix(rows: l, columns: l)
            for a in 0..<l { for b in 0..<l { gm[a, b] = g[a * l + b] } }
            var flags = Array(fixed[range])
            if param.rhoCount == 0 { rho = [0]; flags.append(true) }  // metafor reports ρ = 0, fixed, for DIAG and ID
            estimates.append(CorrelatedEstimate(
                structure: t.structure, names: [t.innerColumn, t.outerColumn], innerLevels: t.innerLevels,
                levelCounts: [l, t.outer.levelCount], tau2: tau2, rho: rho,
                tau2Fixed: Array(flags[0..<param.tauCount]), rhoFixed: Array(flags[param.tauCount...]), covariance: gm))
        }
        correlatedEstimates = estimates

        let tested = model.design.moderatorCoefficientIndices
        if tested.isEmpty {
            moderatorTest = nil
        } else {
            var sub = Matrix(rows: tested.count, columns: tested.count)
            for (a, i) in tested.enumerated() { for (b, j) in tested.enumerated() { sub[a, b] = ev.covariance[i, j] } }
            let b = tested.map { ev.beta[$0] }
            guard let chol = try? CholeskyFactorization(sub) else {
                throw .designNotEstimable(reason: "the covariance of the tested coefficients is singular")
            }
            let qm = zip(b, chol.solve(b)).reduce(0) { $0 + $1.0 * $1.1 }
            let mdf = tested.count
            if let df {
                let ddf = tested.map { df[$0] }.min()!
                let f = qm / Double(mdf)
                moderatorTest = OmnibusTest(statistic: f, pValue: FisherF(numeratorDegreesOfFreedom: Double(mdf), denominatorDegreesOfFreedom: Double(ddf)).survival(f),
                                            numeratorDegreesOfFreedom: mdf, denominatorDegreesOfFreedom: ddf, coefficientIndices: tested)
            } else {
                moderatorTest = OmnibusTest(statistic: qm, pValue: ChiSquared(degreesOfFreedom: Double(mdf)).survival(qm),
                                            numeratorDegreesOfFreedom: mdf, denominatorDegreesOfFreedom: nil, coefficientIndices: tested)
            }
        }

        // The V-only GLS fit: QE, ṽ and the saturated log-likelihood, per block of V.
        var logDetV = 0.0
        var a = Matrix(rows: p, columns: p), b = [Double](repeating: 0, count: p)
        var xv2x = Matrix(rows: p, columns: p)
        var traceVinv = 0.0
        var blockInverses: [(rows: [Int], inverse: Matrix)] = []
        for block in model.samplingCovariance.blocks {
            let n = block.size
            var vb = Matrix(rows: n, columns: n)
            for i in 0..<n { for j in 0..<n { vb[i, j] = block.element(i, j) } }
            guard let chol = try? CholeskyFactorization(vb) else { throw .samplingCovarianceNotPositiveDefinite(effects: block.rows) }
            logDetV += chol.logDeterminant
            let inv = chol.inverse()
            for i in 0..<n { traceVinv += inv[i, i] }
            var xb = Matrix(rows: n, columns: p)
            for i in 0..<n { for j in 0..<p { xb[i, j] = x[block.rows[i], j] } }
            let g = inv.multiplied(by: xb)
            let gtx = g.multiplied(by: xb, transposingSelf: true)
            let gtg = g.multiplied(by: g, transposingSelf: true)
            for e in 0..<a.elements.count { a.elements[e] += gtx.elements[e]; xv2x.elements[e] += gtg.elements[e] }
            let gty = g.multiplied(by: block.rows.map { model.effects[$0] }, transposingSelf: true)
            for j in 0..<p { b[j] += gty[j] }
            blockInverses.append((block.rows, inv))
        }
        guard let cholA = try? CholeskyFactorization(a) else { throw .designNotEstimable(reason: "XᵀV⁻¹X is singular") }
        let betaV = cholA.solve(b)
        let fittedV = x.multiplied(by: betaV)
        var qe = 0.0
        for (rows, inv) in blockInverses {
            let e = rows.map { model.effects[$0] - fittedV[$0] }
            let ve = inv.multiplied(by: e)
            qe += zip(e, ve).reduce(0) { $0 + $1.0 * $1.1 }
        }
        residualHeterogeneity = ChiSquareTest(statistic: qe, degreesOfFreedom: k - p)
        let ainv = cholA.inverse()
        var traceP = traceVinv
        for i in 0..<p { for j in 0..<p { traceP -= ainv[i, j] * xv2x[j, i] } }
        let vt = Double(k - p) / traceP
        let sigmas = Array(ev.theta[0..<model.groupings.count])
        let total = sigmas.reduce(0, +)
        heterogeneityShares = model.correlatedTerms.isEmpty && !sigmas.isEmpty ? HeterogeneityShares(
            typicalSamplingVariance: vt, total: 100 * total / (total + vt),
            perComponent: sigmas.map { 100 * $0 / (total + vt) },
            shareOfHeterogeneity: sigmas.map { $0 / total }) : nil

        parameterCount = p + fixed.filter { !$0 }.count
        let saturated = -0.5 * (Double(k) * log(2 * Double.pi) + logDetV)
        fitStatisticsML = FitStatistics(logLikelihood: ev.logLikelihoodML, deviance: -2 * (ev.logLikelihoodML - saturated),
                                        parameterCount: parameterCount, sampleSize: k)
        fitStatisticsREML = FitStatistics(logLikelihood: ev.logLikelihoodREML, deviance: -2 * ev.logLikelihoodREML,
                                          parameterCount: parameterCount, sampleSize: k - p)

        workingModel = WorkingModel(
            design: x, effects: model.effects, coefficients: ev.beta, covariance: ev.covariance,
            clusters: model.kernel.clusters.enumerated().map { ci, c in
                WorkingModel.Cluster(rows: c.rows, marginalCovariance: ev.blocks[ci], weights: ev.inverses[ci])
            },
            residualDegreesOfFreedom: k - p, test: test)
        self.evaluation = ev
    }

    let evaluation: MarginalCovarianceKernel.Evaluation
    /// The components the user held fixed.
    public let fixedComponents: MultilevelModel.FixedComponents

    /// metafor's containment rule (`dfs = "contain"`) or k − p for every coefficient.
    static func degreesOfFreedom(model: MultilevelModel, dfs: MultilevelDegreesOfFreedom) -> [Int] {
        let k = model.effectCount, p = model.design.coefficientCount
        let x = model.design.matrix
        guard dfs == .contain else { return [Int](repeating: k - p, count: p) }
        return (0..<p).map { j in
            var fewest = k
            var factors: [(levels: [Int], count: Int)] = model.groupings.map { ($0.levelOfEffect, $0.levelCount) }
            // metafor's rule for `~ inner | outer`: the outer factor and the inner-within-outer combination.
            for t in model.correlatedTerms {
                factors.append((t.outer.levelOfEffect, t.outer.levelCount))
                let combined = RandomGrouping(name: t.formula, columns: [t.outer.levelOfEffect.map(String.init), t.innerOfEffect.map(String.init)])
                factors.append((combined.levelOfEffect, combined.levelCount))
            }
            for g in factors {
                var value = [Double?](repeating: nil, count: g.count)
                var constant = true
                for i in 0..<k {
                    let l = g.levels[i]
                    if let v = value[l] { if v != x[i, j] { constant = false; break } } else { value[l] = x[i, j] }
                }
                if constant { fewest = min(fewest, g.count) }
            }
            return fewest - p
        }
    }

    /// The estimates σ²ⱼ in grouping order.
    public var sigmaSquared: [Double] { components.map(\.estimate) }

    /// The variance of a new effect's true value beyond the coefficients' uncertainty: Σσ² plus, per correlated
    /// term, τ² of the given inner level (the only τ² for homoscedastic structures; level 0 when not given).
    public func heterogeneityVariance(innerLevels: [Int] = []) -> Double {
        var total = sigmaSquared.reduce(0, +)
        for (index, e) in correlatedEstimates.enumerated() {
            let level = index < innerLevels.count ? innerLevels[index] : 0
            total += e.tau2.count == 1 ? e.tau2[0] : e.tau2[level]
        }
        return total
    }
}
