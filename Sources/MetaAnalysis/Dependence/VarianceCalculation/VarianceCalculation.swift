#if canImport(Glibc)
import Glibc
#endif

/// The sampling covariance matrix V of dependent effect sizes, constructed from what the studies share, as
/// metafor's `vcalc` does: several outcomes measured on the same sample (correlation ρ), the same outcome at
/// several time points (autocorrelation φ^|t − u|), contrasts that share a group (a common control arm), or the
/// var-cov matrices a study reports.
///
/// V is block-diagonal by cluster, `V = diag(√v) R diag(√v)` with `R_ii = 1` and, for effects i ≠ j of one cluster,
///
///     R_ij = r_ij · g_ij
///     r_ij = 1 (same type, same observation) | ρ_obs (same type, other observation) | ρ_type (other types)
///     g_ij = [δ(g1ᵢ,g1ⱼ) a(t1ᵢ,t1ⱼ)/√(w1ᵢw1ⱼ) − δ(g1ᵢ,g2ⱼ) a(t1ᵢ,t2ⱼ)/√(w1ᵢw2ⱼ)
///             − δ(g2ᵢ,g1ⱼ) a(t2ᵢ,t1ⱼ)/√(w2ᵢw1ⱼ) + δ(g2ᵢ,g2ⱼ) a(t2ᵢ,t2ⱼ)/√(w2ᵢw2ⱼ)] / (sᵢ sⱼ)
///     sᵢ² = 1/w1ᵢ + 1/w2ᵢ − 2 δ(g1ᵢ,g2ᵢ) a(t1ᵢ,t2ᵢ)/√(w1ᵢw2ᵢ),   a(t, u) = φ^|t − u| (1 when t = u)
///
/// g_ij is the correlation of two contrasts (group 1 minus group 2) whose group means have variances ∝ 1/w and
/// share a group where the labels agree (Gleser & Olkin 2009, eq. 19.11 in its general form); without groups it is
/// the autocorrelation of the two time points. (metafor 5.1-12 documentation of `vcalc`; Pustejovsky & Tipton 2021.)
///
/// Unspecified inputs take vcalc's defaults: one common type and observation, group 1 and group 2 the same two
/// labels for every effect, weights 1 (`weights2` = `weights1` when only the latter is given), all times equal.
///
/// With `reportedCovariances` (vcalc's `rvars`) R is not built from ρ and φ: the block of a cluster with n effects
/// is read from the cluster's rows and the first n columns (lower triangle with the diagonal, mirrored), scaled by
/// √(vᵢvⱼ).
public struct VarianceCalculation: Sendable {
    /// Sampling variances vᵢ (k values).
    public var variances: [Double]
    /// Cluster label of each effect (e.g. the study): effects in different clusters are independent.
    public var clusters: [String]
    /// Construct (outcome type) of each effect; nil = one common type.
    public var types: [String]?
    /// Observation label of each effect within a type (e.g. the effect-size id); nil = one common observation.
    public var observations: [String]?
    /// ρ_obs: the correlation of two estimates of the same type from different observations.
    public var correlationWithinType: Double?
    /// ρ_type: the correlation of two estimates of different types.
    public var correlationBetweenTypes: Double?
    /// Time point of each effect (of group 1 when effects are contrasts); nil = one common time.
    public var times1: [Double]?
    /// Time point of group 2 of each contrast; nil = `times1`.
    public var times2: [Double]?
    /// φ: the autocorrelation of one lag; used when times are given.
    public var autocorrelation: Double?
    /// Label of the first group of each contrast; nil = one common label.
    public var groups1: [String]?
    /// Label of the second group of each contrast; nil = one common label, different from every `groups1` label.
    public var groups2: [String]?
    /// Weight of the first group (e.g. its sample size); nil = 1.
    public var weights1: [Double]?
    /// Weight of the second group; nil = `weights1` when that is given, else 1.
    public var weights2: [Double]?
    /// The columns of reported correlation/covariance matrices (vcalc's `rvars`), one array of k values per column.
    public var reportedCovariances: [[Double]]?

    public init(variances: [Double], clusters: [String]) {
        self.variances = variances
        self.clusters = clusters
    }

    /// V as a block-diagonal `SamplingCovariance` (blocks = clusters, in order of first appearance).
    /// - Throws: `VarianceCalculationError` naming the first input that cannot give a covariance matrix: a
    ///   length that is not k, a variance, weight, correlation or time that is out of range, a contrast whose
    ///   variance is not positive, a cluster with more effects than reported columns.
    /// - Complexity: O(Σ n_c²) over the clusters.
    public func covariance() throws(VarianceCalculationError) -> SamplingCovariance {
        let k = variances.count
        try checkLength("cluster", clusters.count, k)
        for (i, v) in variances.enumerated() where !(v.isFinite && v > 0) {
            throw .invalidValue(argument: "vi", row: i, value: v, expected: "a finite sampling variance > 0")
        }
        if let types { try checkLength("type", types.count, k) }
        if let observations { try checkLength("obs", observations.count, k) }
        if let groups1 { try checkLength("grp1", groups1.count, k) }
        if let groups2 { try checkLength("grp2", groups2.count, k) }
        for (name, rho) in [("rho", correlationWithinType), ("rho", correlationBetweenTypes)] {
            if let rho, !(rho.isFinite && rho >= -1 && rho <= 1) {
                throw .invalidCorrelation(argument: name, value: rho, expected: "a correlation in [-1, 1]")
            }
        }
        if let phi = autocorrelation, !(phi.isFinite && phi >= -1 && phi <= 1) {
            throw .invalidCorrelation(argument: "phi", value: phi, expected: "an autocorrelation in [-1, 1]")
        }
        let t1 = try numbers(times1, "time1", default: 0, positive: false)
        let t2 = times2 == nil ? t1 : try numbers(times2, "time2", default: 0, positive: false)
        let w1 = try numbers(weights1, "w1", default: 1, positive: true)
        let w2 = weights2 == nil ? w1 : try numbers(weights2, "w2", default: 1, positive: true)
        if let columns = reportedCovariances {
            for column in columns { try checkLength("rvars", column.count, k) }
        }

        // Group labels as codes; the default group 2 is a label no group-1 value can equal.
        let g1 = groups1.map(Self.codes) ?? [Int](repeating: 0, count: k)
        let g2: [Int]
        if let groups2 {
            var dictionary = [String: Int]()
            if let groups1 { for (i, label) in groups1.enumerated() where dictionary[label] == nil { dictionary[label] = g1[i] } }
            var next = (g1.max() ?? 0) + 1
            g2 = groups2.map { label in
                if let code = dictionary[label] { return code }
                dictionary[label] = next; next += 1
                return next - 1
            }
        } else {
            g2 = [Int](repeating: -1, count: k)
        }
        let type = types.map(Self.codes) ?? [Int](repeating: 0, count: k)
        let obs = observations.map(Self.codes) ?? [Int](repeating: 0, count: k)
        let phi = autocorrelation ?? 1

        func lagCorrelation(_ t: Double, _ u: Double) -> Double { t == u ? 1 : Self.power(phi, abs(t - u)) }
        func delta(_ x: Int, _ y: Int) -> Double { x == y ? 1 : 0 }
        var scale = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let s2 = 1 / w1[i] + 1 / w2[i] - 2 * delta(g1[i], g2[i]) * lagCorrelation(t1[i], t2[i]) / (w1[i] * w2[i]).squareRoot()
            guard s2.isFinite && s2 > 0 else { throw .degenerateContrast(row: i) }
            scale[i] = s2.squareRoot()
        }
        let clusterRows = Self.rowsByCluster(clusters)
        var blocks = [(rows: [Int], values: [Double])]()
        blocks.reserveCapacity(clusterRows.count)
        for rows in clusterRows {
            let n = rows.count
            var values = [Double](repeating: 0, count: n * n)
            if let columns = reportedCovariances {
                guard n <= columns.count else {
                    throw .tooFewReportedColumns(cluster: clusters[rows[0]], effects: n, columns: columns.count)
                }
                for a in 0..<n { for b in 0...a {
                    let x = columns[b][rows[a]]
                    guard x.isFinite else {
                        throw .invalidValue(argument: "rvars", row: rows[a], value: x, expected: "a finite covariance")
                    }
                    let v = (variances[rows[a]] * variances[rows[b]]).squareRoot() * x
                    values[a * n + b] = v
                    values[b * n + a] = v
                } }
            } else {
                for a in 0..<n {
                    let i = rows[a]
                    values[a * n + a] = variances[i]
                    for b in 0..<a {
                        let j = rows[b]
                        let r: Double
                        if type[i] != type[j] { r = correlationBetweenTypes ?? 0 }
                        else if obs[i] != obs[j] { r = correlationWithinType ?? 0 }
                        else { r = 1 }
                        // Correlation of the contrasts g1 − g2 of effects i and j (terms of shared groups only).
                        let g = (delta(g1[i], g1[j]) * lagCorrelation(t1[i], t1[j]) / (w1[i] * w1[j]).squareRoot()
                            - delta(g1[i], g2[j]) * lagCorrelation(t1[i], t2[j]) / (w1[i] * w2[j]).squareRoot()
                            - delta(g2[i], g1[j]) * lagCorrelation(t2[i], t1[j]) / (w2[i] * w1[j]).squareRoot()
                            + delta(g2[i], g2[j]) * lagCorrelation(t2[i], t2[j]) / (w2[i] * w2[j]).squareRoot())
                            / (scale[i] * scale[j])
                        let v = variances[i].squareRoot() * r * g * variances[j].squareRoot()
                        values[a * n + b] = v
                        values[b * n + a] = v
                    }
                }
            }
            blocks.append((rows, values))
        }
        do {
            return try SamplingCovariance(count: k, blocks: blocks)
        } catch let error as SamplingCovarianceError {
            throw .invalidCovariance(error)
        } catch {
            preconditionFailure("SamplingCovariance throws only SamplingCovarianceError: \(error)")
        }
    }

    private func checkLength(_ argument: String, _ count: Int, _ k: Int) throws(VarianceCalculationError) {
        guard count == k else { throw .lengthMismatch(argument: argument, count: count, expected: k) }
    }

    private func numbers(_ values: [Double]?, _ argument: String, default value: Double, positive: Bool)
        throws(VarianceCalculationError) -> [Double] {
        guard let values else { return [Double](repeating: value, count: variances.count) }
        try checkLength(argument, values.count, variances.count)
        for (i, x) in values.enumerated() where !(x.isFinite && (!positive || x > 0)) {
            throw .invalidValue(argument: argument, row: i, value: x, expected: positive ? "a finite weight > 0" : "a finite time")
        }
        return values
    }

    /// φ^d for a lag d ≥ 0 (a negative φ with a fractional lag gives NaN, caught when the block is checked).
    private static func power(_ phi: Double, _ d: Double) -> Double { pow(phi, d) }

    private static func codes(_ labels: [String]) -> [Int] {
        var dictionary = [String: Int]()
        return labels.map { label in
            if let c = dictionary[label] { return c }
            dictionary[label] = dictionary.count
            return dictionary.count - 1
        }
    }

    /// The rows of each cluster in order of the cluster's first appearance (rows ascending inside a cluster).
    static func rowsByCluster(_ clusters: [String]) -> [[Int]] {
        var index = [String: Int]()
        var rows = [[Int]]()
        for (i, label) in clusters.enumerated() {
            if let c = index[label] { rows[c].append(i) } else { index[label] = rows.count; rows.append([i]) }
        }
        return rows
    }
}
