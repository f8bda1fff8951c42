import MetaNumerics

/// Cluster-robust (sandwich) inference for the coefficients of a fitted model, as metafor's `robust()`:
///
///     V_R = B [Σ_c X_c' W_c A_c e_c e_c' A_c' W_c X_c] B,   B = (X'WX)⁻¹,  W = M⁻¹
///
/// with A_c = I for CR0 and CR1 (CR1 multiplies by m/(m − p), m clusters; t and F tests with m − p df;
/// metafor 5.1-12 `robust(adjust = TRUE/FALSE)`), and for CR2 the bias-reduced adjustment
/// A_c = D_c' (D_c (Φ_c − X_c B X_c') D_c')^{−1/2} D_c, D_c'D_c = Φ_c the working model's block (here M_c), which
/// makes V_R unbiased when M is right (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018, eq. 5; a symmetric
/// pseudo-inverse square root where a block is singular). CR2 tests coefficient j with Satterthwaite df
/// (tr Ω)²/‖Ω‖²_F, Ω the covariance under M of the m cluster terms of V_R[j, j] (Tipton 2015), and the omnibus
/// hypothesis with the HTZ test: F = (η − q + 1)/(η q) · Q on (q, η − q + 1) df, η = q(q + 1)/Σ_st Var(g_st) for
/// the standardized q × q matrix G (Tipton & Pustejovsky 2015, sec. 3; clubSandwich's `Wald_test(test = "HTZ")`).
///
/// Complexity: O(Σ n_c³ + m p³ + q² p² m) for m clusters of sizes n_c; nothing of order k².
public struct ClusterRobustInference: Sendable {
    public let correction: SmallSampleCorrection
    /// m, the number of clusters.
    public let clusterCount: Int
    /// The number of effects in each cluster, in order of the clusters' first appearance.
    public let clusterSizes: [Int]
    public let coefficientNames: [String]
    public let coefficients: [Double]
    /// V_R, the cluster-robust covariance of the coefficients.
    public let covariance: Matrix
    public let standardErrors: [Double]
    /// t statistics β̂ⱼ / SEⱼ.
    public let statistics: [Double]
    /// Degrees of freedom of each coefficient's t test: m − p (CR0, CR1) or Satterthwaite's (CR2).
    public let degreesOfFreedom: [Double]
    public let pValues: [Double]
    public let confidenceLower: [Double]
    public let confidenceUpper: [Double]
    /// Confidence level in percent.
    public let level: Double
    /// 0-based coefficients of the omnibus test.
    public let testedCoefficients: [Int]
    /// The omnibus F statistic: the Wald statistic / q (CR0, CR1) or the HTZ statistic (CR2).
    public let omnibusStatistic: Double
    public let omnibusDegreesOfFreedom: (numerator: Double, denominator: Double)
    public let omnibusPValue: Double

    /// - Parameters:
    ///   - model: the fitted model (`ClusterRobustModel.robustWorkingModel()`).
    ///   - clusters: the cluster of each effect (e.g. the study); M must not link effects of different clusters.
    ///   - correction: CR1 by default, as metafor.
    ///   - level: confidence level in percent.
    /// - Throws: `ClusterRobustError` for a label count that is not k, a single cluster, no more clusters than
    ///   coefficients, a model whose covariance links two clusters, or a block that cannot be factored.
    public init(model: RobustWorkingModel, clusters: [String], correction: SmallSampleCorrection = .cr1,
                level: Double = 95) throws(ClusterRobustError) {
        let k = model.residuals.count, p = model.coefficients.count
        guard clusters.count == k else { throw .clusterCountMismatch(labels: clusters.count, effects: k) }
        let groups = VarianceCalculation.rowsByCluster(clusters)
        let m = groups.count
        guard m >= 2 else { throw .singleCluster(label: clusters.first ?? "") }
        guard m > p else { throw .tooFewClusters(clusters: m, coefficients: p) }
        var clusterOf = [Int](repeating: 0, count: k)
        for (c, rows) in groups.enumerated() { for r in rows { clusterOf[r] = c } }
        for block in model.marginalCovariance.blocks {
            for a in 0..<block.size { for b in (a + 1)..<max(block.size, a + 1)
                where clusterOf[block.rows[a]] != clusterOf[block.rows[b]] && block.element(a, b) != 0 {
                throw .notNested(rowA: block.rows[a], rowB: block.rows[b])
            } }
        }

        // Per cluster: Φ_c = M_c = L L', W_c X_c, W_c e_c.
        let x = model.design, e = model.residuals, covariance = model.marginalCovariance
        var parts = [Part]()
        parts.reserveCapacity(m)
        var xtwx = Matrix(rows: p, columns: p)
        for (c, rows) in groups.enumerated() {
            let n = rows.count
            var phi = Matrix(rows: n, columns: n)
            for a in 0..<n { for b in 0..<n { phi[a, b] = covariance.element(rows[a], rows[b]) } }
            guard let chol = try? CholeskyFactorization(phi) else {
                throw .notPositiveDefinite(what: "The model's marginal covariance of cluster '\(clusters[groups[c][0]])'")
            }
            var xc = Matrix(rows: n, columns: p)
            for a in 0..<n { for j in 0..<p { xc[a, j] = x[rows[a], j] } }
            let ec = rows.map { e[$0] }
            let wx = chol.solve(xc)
            xtwx = Self.sum(xtwx, xc.multiplied(by: wx, transposingSelf: true))
            parts.append(Part(rows: rows, phi: phi, cholesky: chol, x: xc, wx: wx, e: ec))
        }
        guard let breadFactor = try? CholeskyFactorization(xtwx) else { throw .notPositiveDefinite(what: "X'WX") }
        let bread = breadFactor.inverse()

        var meat = Matrix(rows: p, columns: p)
        var degrees = [Double](repeating: Double(m - p), count: p)
        var adjusted = [Part.Adjusted]()
        switch correction {
        case .cr0, .cr1:
            for part in parts { meat = Self.sum(meat, Self.outer(part.wx.multiplied(by: part.e, transposingSelf: true))) }
        case .cr2:
            for (c, part) in parts.enumerated() {
                guard let a = Self.adjustment(part, bread: bread) else {
                    throw .notPositiveDefinite(what: "The CR2 adjustment of cluster '\(clusters[groups[c][0]])'")
                }
                // G_c = A_c W_c X_c B: the cluster's term of (β̂ − β) in the residuals; F_c = G_c'Φ_c G_c, U_c = X_c'G_c.
                let g = a * part.wx * bread
                adjusted.append(Part.Adjusted(f: g.multiplied(by: part.phi * g, transposingSelf: true),
                                              u: part.x.multiplied(by: g, transposingSelf: true)))
                meat = Self.sum(meat, Self.outer(part.wx.multiplied(by: a * part.e, transposingSelf: true)))
            }
        }
        var v = bread * meat * bread
        if correction == .cr1 { v = Self.scaled(v, Double(m) / Double(m - p)) }
        if correction == .cr2 {
            for j in 0..<p {
                var unit = [Double](repeating: 0, count: p)
                unit[j] = 1
                guard let df = Self.hotellingDegreesOfFreedom(contrasts: [unit], parts: adjusted, bread: bread) else {
                    throw .notPositiveDefinite(what: "The CR2 variance of coefficient '\(model.coefficientNames[j])' under the working model")
                }
                degrees[j] = df
            }
        }

        let beta = model.coefficients
        let se = (0..<p).map { v[$0, $0].squareRoot() }
        let t = (0..<p).map { beta[$0] / se[$0] }
        let alpha = 1 - level / 100
        var lower = [Double](), upper = [Double](), pValues = [Double]()
        for j in 0..<p {
            let dist = StudentT(degreesOfFreedom: degrees[j])
            let crit = dist.quantile(1 - alpha / 2)
            pValues.append(dist.twoSidedPValue(t[j]))
            lower.append(beta[j] - crit * se[j])
            upper.append(beta[j] + crit * se[j])
        }

        // Omnibus test of the tested coefficients: Q = b'(V_bb)⁻¹b.
        let tested = model.testedCoefficients
        let q = tested.count
        var vbb = Matrix(rows: q, columns: q)
        for (a, i) in tested.enumerated() { for (b, j) in tested.enumerated() { vbb[a, b] = v[i, j] } }
        let b = tested.map { beta[$0] }
        guard let vbbFactor = try? CholeskyFactorization(vbb) else {
            throw .notPositiveDefinite(what: "The cluster-robust covariance of the tested coefficients")
        }
        let wald = dot(b, vbbFactor.solve(b))
        let statistic: Double, denominator: Double
        if correction == .cr2 {
            let contrasts = tested.map { j -> [Double] in var r = [Double](repeating: 0, count: p); r[j] = 1; return r }
            guard let eta = Self.hotellingDegreesOfFreedom(contrasts: contrasts, parts: adjusted, bread: bread) else {
                throw .notPositiveDefinite(what: "The CR2 covariance of the tested coefficients under the working model")
            }
            statistic = (eta - Double(q) + 1) / (eta * Double(q)) * wald
            denominator = eta - Double(q) + 1
        } else {
            statistic = wald / Double(q)
            denominator = Double(m - p)
        }

        self.correction = correction
        self.clusterCount = m
        self.clusterSizes = groups.map(\.count)
        self.coefficientNames = model.coefficientNames
        self.coefficients = beta
        self.covariance = v
        self.standardErrors = se
        self.statistics = t
        self.degreesOfFreedom = degrees
        self.pValues = pValues
        self.confidenceLower = lower
        self.confidenceUpper = upper
        self.level = level
        self.testedCoefficients = tested
        self.omnibusStatistic = statistic
        self.omnibusDegreesOfFreedom = (Double(q), denominator)
        self.omnibusPValue = FisherF(numeratorDegreesOfFreedom: Double(q), denominatorDegreesOfFreedom: denominator).survival(statistic)
    }

    /// One cluster's pieces: its rows, Φ_c = M_c and its Cholesky factor, X_c, W_c X_c, e_c.
    struct Part {
        let rows: [Int]
        let phi: Matrix
        let cholesky: CholeskyFactorization
        let x: Matrix
        let wx: Matrix
        let e: [Double]

        /// CR2's per-cluster matrices for the df: F_c = G_c'Φ_c G_c and U_c = X_c'G_c (both p × p).
        struct Adjusted {
            let f: Matrix
            let u: Matrix
        }
    }

    /// A_c = L (L'S L)^{−1/2} L' with Φ_c = LL' (so D_c = L'), S = Φ_c − X_c B X_c' (the covariance of the
    /// cluster's residuals under the working model when W = Φ⁻¹). Eigenvalues below 1e-12 of the largest are
    /// treated as zero (pseudo-inverse), nil when none is positive.
    static func adjustment(_ part: Part, bread: Matrix) -> Matrix? {
        let l = part.cholesky.factor
        let hat = part.x * bread.multiplied(by: part.x, transposingOther: true)
        let s = sum(part.phi, scaled(hat, -1))
        let inner = symmetrized(l.multiplied(by: s * l, transposingSelf: true))
        guard let eigen = try? SymmetricEigenDecomposition(inner), let top = eigen.eigenvalues.last, top > 0 else { return nil }
        let n = inner.rows
        var root = Matrix(rows: n, columns: n)
        for (index, lambda) in eigen.eigenvalues.enumerated() where lambda > 1e-12 * top {
            let w = 1 / lambda.squareRoot()
            for a in 0..<n { for b in 0..<n {
                root[a, b] += eigen.eigenvectors[a, index] * w * eigen.eigenvectors[b, index]
            } }
        }
        return symmetrized(l * root.multiplied(by: l, transposingOther: true))
    }

    /// η for the contrasts C (q rows): q(q + 1)/Σ_st Var(g_st), G the CR2 estimate of C V C' standardized by its
    /// expectation Ω under the working model. For q = 1, η is the Satterthwaite df (tr Ω)²/‖Ω‖²_F.
    ///
    /// With y_sc = U_c c̃_s, f_c(s, t) = c̃_s'F_c c̃_t, k_c(s, t) = y_sc'B y_tc and S_st = Σ_c y_sc y_tc', the
    /// covariance of the cluster terms is ω(s,c; t,d) = δ_cd f_c(s,t) − y_sc'B y_td, and (Gaussian moments)
    /// Var(g_st) = Σ_cd ω(s,c;s,d) ω(t,c;t,d) + ω(s,c;t,d) ω(t,c;s,d), summed in O(m p²) through traces.
    static func hotellingDegreesOfFreedom(contrasts: [[Double]], parts: [Part.Adjusted], bread: Matrix) -> Double? {
        let q = contrasts.count
        func omegaTarget(_ s: [Double], _ t: [Double]) -> Double {
            parts.reduce(0) { acc, part in
                acc + dot(s, part.f * t) - dot(part.u * s, bread * (part.u * t))
            }
        }
        var target = Matrix(rows: q, columns: q)
        for s in 0..<q { for t in 0...s {
            let o = omegaTarget(contrasts[s], contrasts[t])
            target[s, t] = o; target[t, s] = o
        } }
        guard let chol = try? CholeskyFactorization(target) else { return nil }
        // Standardized contrasts c̃ = L⁻¹ C (forward substitution).
        var standardized = [[Double]]()
        for s in 0..<q {
            var row = contrasts[s]
            for r in 0..<s { for j in row.indices { row[j] -= chol.factor[s, r] * standardized[r][j] } }
            standardized.append(row.map { $0 / chol.factor[s, s] })
        }
        let p = bread.rows
        let y = parts.map { part in standardized.map { part.u * $0 } }
        var sMatrices = [[Matrix]](repeating: [Matrix](repeating: Matrix(rows: p, columns: p), count: q), count: q)
        for s in 0..<q { for t in 0..<q {
            var acc = Matrix(rows: p, columns: p)
            for ys in y { for a in 0..<p { for b in 0..<p { acc[a, b] += ys[s][a] * ys[t][b] } } }
            sMatrices[s][t] = acc
        } }
        func traceProduct(_ a: Matrix, _ b: Matrix) -> Double {
            let left = bread * a, right = bread * b
            var tr = 0.0
            for i in 0..<p { for j in 0..<p { tr += left[i, j] * right[j, i] } }
            return tr
        }
        var total = 0.0
        for s in 0..<q { for t in 0..<q {
            var diagonal = 0.0
            for (c, part) in parts.enumerated() {
                let fss = dot(standardized[s], part.f * standardized[s])
                let ftt = dot(standardized[t], part.f * standardized[t])
                let fst = dot(standardized[s], part.f * standardized[t])
                let kss = dot(y[c][s], bread * y[c][s])
                let ktt = dot(y[c][t], bread * y[c][t])
                let kst = dot(y[c][s], bread * y[c][t])
                diagonal += fss * ftt - fss * ktt - kss * ftt + fst * fst - 2 * fst * kst
            }
            total += diagonal + traceProduct(sMatrices[s][t], sMatrices[t][s]) + traceProduct(sMatrices[t][s], sMatrices[t][s])
        } }
        let eta = Double(q * (q + 1)) / total
        return eta.isFinite && eta > 0 ? eta : nil
    }

    static func sum(_ a: Matrix, _ b: Matrix) -> Matrix {
        Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 + $1 })
    }

    static func scaled(_ a: Matrix, _ factor: Double) -> Matrix {
        Matrix(rows: a.rows, columns: a.columns, elements: a.elements.map { $0 * factor })
    }

    static func outer(_ u: [Double]) -> Matrix {
        var out = Matrix(rows: u.count, columns: u.count)
        for a in u.indices { for b in u.indices { out[a, b] = u[a] * u[b] } }
        return out
    }

    static func symmetrized(_ a: Matrix) -> Matrix {
        var out = a
        for i in 0..<a.rows { for j in 0..<i { let m = (a[i, j] + a[j, i]) / 2; out[i, j] = m; out[j, i] = m } }
        return out
    }
}
