import MetaNumerics

extension MultilevelFit {
    /// The best linear unbiased predictions of one grouping's random effects (metafor's `ranef`).
    public struct RandomEffectPredictions: Sendable, Equatable {
        /// The grouping's name.
        public let term: String
        public let levels: [String]
        public let predictions: [Double]
        public let standardErrors: [Double]
        /// BLUP ∓ c·SE: c normal for z; for t, t(k − p) (dfs residual) or t(levels − p) (contain).
        public let lower: [Double]
        public let upper: [Double]
    }

    /// BLUPs per grouping: ûⱼ = σ²ⱼ Zⱼᵀ M⁻¹(y − Xβ̂) with Var(ûⱼ − uⱼ) = σ²ⱼ I − σ⁴ⱼ ZⱼᵀPZⱼ (Henderson 1975;
    /// Robinson 1991), so SE_ℓ² = σ²ⱼ − σ⁴ⱼ 1_ℓᵀP1_ℓ. |BLUP| < 100 ε is set to 0 as metafor does.
    public var randomEffects: [RandomEffectPredictions] {
        let ev = evaluation
        let clusters = model.kernel.clusters
        var clusterOf = [(cluster: Int, position: Int)](repeating: (0, 0), count: effectCount)
        for (ci, c) in clusters.enumerated() { for (a, r) in c.rows.enumerated() { clusterOf[r] = (ci, a) } }
        let p = coefficients.count
        return model.groupings.enumerated().map { j, g in
            // metafor's ranef under the t test: k − p df (dfs residual) or this grouping's levels − p (contain).
            let c = degreesOfFreedom == nil ? criticalValue
                : StudentT(degreesOfFreedom: Double((dfs == .contain ? g.levelCount : effectCount) - p)).quantile(0.5 + level / 2)
            let s2 = ev.theta[j]
            var members = [[Int]](repeating: [], count: g.levelCount)
            for (i, l) in g.levelOfEffect.enumerated() { members[l].append(i) }
            var blup: [Double] = [], se: [Double] = []
            for rows in members {
                let ci = clusterOf[rows[0]].cluster
                let positions = rows.map { clusterOf[$0].position }
                let inv = ev.inverses[ci]
                let xc = clusters[ci].x
                var sumPy = 0.0, oneMOne = 0.0
                var xm1 = [Double](repeating: 0, count: p)
                for a in positions {
                    sumPy += ev.py[ci][a]
                    for b in positions { oneMOne += inv[a, b] }
                    for r in 0..<inv.rows { for x in 0..<p { xm1[x] += xc[r, x] * inv[r, a] } }
                }
                let axm = ev.covariance.multiplied(by: xm1)
                let oneP1 = oneMOne - zip(xm1, axm).reduce(0) { $0 + $1.0 * $1.1 }
                var u = s2 * sumPy
                if abs(u) < 100 * Double.ulpOfOne { u = 0 }
                blup.append(u)
                se.append(max(s2 - s2 * s2 * oneP1, 0).squareRoot())
            }
            return RandomEffectPredictions(term: g.name, levels: g.levels, predictions: blup, standardErrors: se,
                                           lower: zip(blup, se).map { $0 - c * $1 }, upper: zip(blup, se).map { $0 + c * $1 })
        }
    }
}
