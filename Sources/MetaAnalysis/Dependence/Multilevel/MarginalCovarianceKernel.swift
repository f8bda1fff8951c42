#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// The (RE)ML likelihood of y ~ N(Xβ, M(θ)), M(θ) = V + Σⱼ θⱼ Dⱼ, with M block-diagonal by cluster: every
/// evaluation factors each cluster's block (O(Σ n_c³)), never a dense k × k matrix.
///
/// Score and information are the exact ones of Harville (1977) and Searle, Casella & McCulloch (1992, §6.6):
/// with P = M⁻¹ − M⁻¹X(XᵀM⁻¹X)⁻¹XᵀM⁻¹ and T = P (REML) or M⁻¹ (ML),
/// sⱼ = −½ tr(T Dⱼ) + ½ yᵀP Dⱼ P y, Fisher Iⱼₗ = ½ tr(T Dⱼ T Dₗ), observed Jⱼₗ = yᵀP Dⱼ P Dₗ P y − Iⱼₗ.
struct MarginalCovarianceKernel: Sendable {
    /// One cluster: its effects (0-based, ascending) and dense blocks, column-major.
    struct Cluster: Sendable {
        let rows: [Int]
        let v: Matrix
        /// Dⱼ restricted to the cluster, one per component.
        let derivatives: [Matrix]
        let x: Matrix
        let y: [Double]
    }

    let clusters: [Cluster]
    let k: Int
    let p: Int
    let componentNames: [String]
    /// ½ log|XᵀX| enters metafor's REML likelihood (REMLf = TRUE).
    let logDetXtX: Double

    /// The quantities at one θ.
    struct Evaluation: Sendable {
        var theta: [Double]
        var logLikelihoodML: Double
        var logLikelihoodREML: Double
        var beta: [Double]
        /// (XᵀM⁻¹X)⁻¹.
        var covariance: Matrix
        /// M_c⁻¹ per cluster.
        var inverses: [Matrix]
        /// M_c per cluster.
        var blocks: [Matrix]
        var score: [Double] = []
        var fisher: Matrix = Matrix(rows: 0, columns: 0)
        var observed: Matrix = Matrix(rows: 0, columns: 0)
        /// P y = M⁻¹(y − Xβ̂), per cluster.
        var py: [[Double]]
    }

    /// Builds clusters as the connected effects: two effects are in one cluster when they share a V block or a
    /// level of any grouping (so M is block-diagonal over the clusters).
    init(y: [Double], v: SamplingCovariance, x: Matrix, groupings: [RandomGrouping]) throws(MultilevelModelError) {
        let k = y.count
        var parent = Array(0..<k)
        func find(_ a: Int) -> Int {
            var a = a
            while parent[a] != a { parent[a] = parent[parent[a]]; a = parent[a] }
            return a
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        for block in v.blocks { for r in block.rows.dropFirst() { union(block.rows[0], r) } }
        for g in groupings {
            var first = [Int](repeating: -1, count: g.levelCount)
            for (i, l) in g.levelOfEffect.enumerated() {
                if first[l] < 0 { first[l] = i } else { union(first[l], i) }
            }
        }
        var clusterOfRoot: [Int: Int] = [:]
        var members: [[Int]] = []
        for i in 0..<k {
            let r = find(i)
            if let c = clusterOfRoot[r] { members[c].append(i) } else { clusterOfRoot[r] = members.count; members.append([i]) }
        }
        let p = x.columns
        clusters = members.map { rows in
            let n = rows.count
            var vc = Matrix(rows: n, columns: n)
            for a in 0..<n { for b in 0..<n { vc[a, b] = v.element(rows[a], rows[b]) } }
            let derivatives = groupings.map { g -> Matrix in
                var d = Matrix(rows: n, columns: n)
                for a in 0..<n { for b in 0..<n where g.levelOfEffect[rows[a]] == g.levelOfEffect[rows[b]] { d[a, b] = 1 } }
                return d
            }
            var xc = Matrix(rows: n, columns: p)
            for a in 0..<n { for j in 0..<p { xc[a, j] = x[rows[a], j] } }
            return Cluster(rows: rows, v: vc, derivatives: derivatives, x: xc, y: rows.map { y[$0] })
        }
        self.k = k
        self.p = p
        componentNames = groupings.map(\.name)
        do {
            logDetXtX = try CholeskyFactorization(x.multiplied(by: x, transposingSelf: true)).logDeterminant
        } catch {
            throw .designNotEstimable(reason: "the columns of X are linearly dependent")
        }
    }

    func describe(_ theta: [Double]) -> String {
        zip(componentNames, theta).map { "sigma2[\($0.0)] = \($0.1)" }.joined(separator: ", ")
    }

    /// The likelihoods, β̂ and its covariance at θ; with `derivatives`, also score and information for `method`.
    func evaluate(_ theta: [Double], reml: Bool, derivatives: Bool) throws(MultilevelModelError) -> Evaluation {
        let m = theta.count
        var logDetM = 0.0
        var a = Matrix(rows: p, columns: p)
        var b = [Double](repeating: 0, count: p)
        var inverses: [Matrix] = []
        var blocks: [Matrix] = []
        var gs: [Matrix] = []
        inverses.reserveCapacity(clusters.count)
        for c in clusters {
            var mc = c.v
            for j in 0..<m where theta[j] != 0 {
                let d = c.derivatives[j]
                for e in 0..<mc.elements.count { mc.elements[e] += theta[j] * d.elements[e] }
            }
            let chol: CholeskyFactorization
            do { chol = try CholeskyFactorization(mc) } catch {
                throw .marginalCovarianceNotPositiveDefinite(effects: c.rows, components: describe(theta))
            }
            logDetM += chol.logDeterminant
            let inv = chol.inverse()
            let g = inv.multiplied(by: c.x)
            let gtx = g.multiplied(by: c.x, transposingSelf: true)
            for e in 0..<a.elements.count { a.elements[e] += gtx.elements[e] }
            let gty = g.multiplied(by: c.y, transposingSelf: true)
            for j in 0..<p { b[j] += gty[j] }
            inverses.append(inv)
            blocks.append(mc)
            gs.append(g)
        }
        let cholA: CholeskyFactorization
        do { cholA = try CholeskyFactorization(a) } catch {
            throw .designNotEstimable(reason: "XᵀM⁻¹X is singular at \(describe(theta))")
        }
        let ainv = cholA.inverse()
        let beta = cholA.solve(b)
        var quad = 0.0
        var py: [[Double]] = []
        py.reserveCapacity(clusters.count)
        for (ci, c) in clusters.enumerated() {
            let fitted = c.x.multiplied(by: beta)
            let r = zip(c.y, fitted).map { $0 - $1 }
            let u = inverses[ci].multiplied(by: r)
            quad += zip(r, u).reduce(0) { $0 + $1.0 * $1.1 }
            py.append(u)
        }
        let log2pi = log(2 * Double.pi)
        let llML = -0.5 * (Double(k) * log2pi + logDetM + quad)
        let llREML = -0.5 * (Double(k - p) * log2pi + logDetM + cholA.logDeterminant - logDetXtX + quad)
        guard llML.isFinite, llREML.isFinite else { throw .nonFiniteValue(quantity: "log-likelihood", components: describe(theta)) }
        var ev = Evaluation(theta: theta, logLikelihoodML: llML, logLikelihoodREML: llREML, beta: beta, covariance: ainv,
                            inverses: inverses, blocks: blocks, py: py)
        guard derivatives else { return ev }

        // Per component: tr(M⁻¹Dⱼ), Sⱼ = XᵀM⁻¹DⱼM⁻¹X, qⱼ = (Py)ᵀDⱼ(Py), wⱼ = Dⱼ Py and its products.
        var trMD = [Double](repeating: 0, count: m)
        var s = [Matrix](repeating: Matrix(rows: p, columns: p), count: m)
        var q = [Double](repeating: 0, count: m)
        var xmw = [[Double]](repeating: [Double](repeating: 0, count: p), count: m)
        var t1 = Matrix(rows: m, columns: m), k2 = [[Matrix]](repeating: [Matrix](repeating: Matrix(rows: p, columns: p), count: m), count: m)
        var wmw = Matrix(rows: m, columns: m)
        for (ci, c) in clusters.enumerated() {
            let inv = inverses[ci], g = gs[ci], u = py[ci]
            let n = c.rows.count
            var e: [Matrix] = [], f: [Matrix] = [], h: [Matrix] = [], w: [[Double]] = [], mw: [[Double]] = []
            for j in 0..<m {
                let d = c.derivatives[j]
                let ej = inv.multiplied(by: d)  // M⁻¹Dⱼ
                var tr = 0.0
                for i in 0..<n { tr += ej[i, i] }
                trMD[j] += tr
                let fj = d.multiplied(by: g)  // Dⱼ M⁻¹X
                let sj = g.multiplied(by: fj, transposingSelf: true)
                for x in 0..<s[j].elements.count { s[j].elements[x] += sj.elements[x] }
                let wj = d.multiplied(by: u)
                q[j] += zip(u, wj).reduce(0) { $0 + $1.0 * $1.1 }
                let xw = g.multiplied(by: wj, transposingSelf: true)
                for x in 0..<p { xmw[j][x] += xw[x] }
                e.append(ej); f.append(fj); h.append(inv.multiplied(by: fj)); w.append(wj); mw.append(inv.multiplied(by: wj))
            }
            for j in 0..<m {
                for l in j..<m {
                    // tr(M⁻¹Dⱼ M⁻¹Dₗ) = Σ_ab (M⁻¹Dⱼ)_ab (M⁻¹Dₗ)_ba
                    var tr = 0.0
                    for bcol in 0..<n { for arow in 0..<n { tr += e[j][arow, bcol] * e[l][bcol, arow] } }
                    t1[j, l] += tr
                    let kjl = f[j].multiplied(by: h[l], transposingSelf: true)
                    for x in 0..<kjl.elements.count { k2[j][l].elements[x] += kjl.elements[x] }
                    wmw[j, l] += zip(w[j], mw[l]).reduce(0) { $0 + $1.0 * $1.1 }
                }
            }
        }
        let ainvS = s.map { ainv.multiplied(by: $0) }
        var score = [Double](repeating: 0, count: m)
        var fisher = Matrix(rows: m, columns: m), observed = Matrix(rows: m, columns: m)
        for j in 0..<m {
            var trPD = trMD[j]
            if reml { for i in 0..<p { trPD -= ainvS[j][i, i] } }
            score[j] = -0.5 * trPD + 0.5 * q[j]
            for l in j..<m {
                var trace = t1[j, l]
                if reml {
                    var t2 = 0.0, t3 = 0.0
                    for x in 0..<p { for z in 0..<p {
                        t2 += ainv[x, z] * k2[j][l][z, x]
                        t3 += ainvS[j][x, z] * ainvS[l][z, x]
                    } }
                    trace += -2 * t2 + t3
                }
                // yᵀPDⱼPDₗPy = wⱼᵀ M⁻¹ wₗ − (XᵀM⁻¹wⱼ)ᵀ A⁻¹ (XᵀM⁻¹wₗ)
                let aw = ainv.multiplied(by: xmw[l])
                let quadratic = wmw[j, l] - zip(xmw[j], aw).reduce(0) { $0 + $1.0 * $1.1 }
                fisher[j, l] = 0.5 * trace; fisher[l, j] = fisher[j, l]
                observed[j, l] = quadratic - 0.5 * trace; observed[l, j] = observed[j, l]
            }
        }
        guard score.allSatisfy(\.isFinite), fisher.elements.allSatisfy(\.isFinite), observed.elements.allSatisfy(\.isFinite) else {
            throw .nonFiniteValue(quantity: "score or information", components: describe(theta))
        }
        ev.score = score
        ev.fisher = fisher
        ev.observed = observed
        return ev
    }
}
