import MetaNumerics

/// The points and the pseudo-confidence envelope of a normal QQ plot of a model's standardized residuals.
///
/// Residual eᵢ = yᵢ − μ̂ with μ̂ = Σwⱼyⱼ/Σwⱼ has Var(eᵢ) = mᵢ − 2wᵢmᵢ/S + Σwⱼ²mⱼ/S² (mᵢ = vᵢ + τ̂², S = Σwⱼ), which is
/// mᵢ − 1/S for the inverse-variance weights wᵢ = 1/mᵢ; the standardized residual is eᵢ/√Var(eᵢ) (metafor's
/// `rstandard`). They are sorted against the normal quantiles at Blom's plotting positions (i − a)/(k + 1 − 2a),
/// a = 3/8 for k ≤ 10 and 1/2 otherwise (R's `ppoints`).
///
/// The envelope follows Atkinson (1981, Biometrika 68:13–20) and Cook & Weisberg (1982, *Residuals and Influence in
/// Regression*, section 2.3.3): `replicates` sets of errors εᵢ ~ N(0, mᵢ) are turned into the residuals of the same
/// weighted fit, eᵢ = εᵢ − Σwⱼεⱼ/S, standardized as the data's residuals are and sorted; the
/// envelope of the j-th order statistic runs between the (1 − level)/2 and (1 + level)/2 quantiles of its simulated
/// values. The draws come from a seeded stream, so the same model gives the same envelope. The envelope is not
/// smoothed.
public struct NormalQQData: Sendable, Equatable {
    /// Standardized residuals in model order.
    public let standardizedResiduals: [Double]
    /// The study of each sorted residual and the normal quantile it is drawn against (ascending).
    public let order: [Int]
    public let theoreticalQuantiles: [Double]
    public let sortedResiduals: [Double]
    /// The envelope's bounds per order statistic (empty without an envelope).
    public let envelopeLower: [Double]
    public let envelopeUpper: [Double]
    public let level: Double

    /// - Parameters:
    ///   - replicates: simulated sets of residuals for the envelope (0: no envelope); at most 100,000.
    ///   - seed: the seed of the simulation's random stream.
    public init(model: RandomEffectsModel, level: Double = 0.95, replicates: Int = 1000, seed: UInt64 = 1) throws(ResamplingError) {
        guard replicates == 0 || replicates >= 10 else { throw .tooFewReplicates(found: replicates, minimum: 10) }
        guard replicates <= 100_000 else {
            throw .tooManyReplicates(option: .replicates, found: replicates, maximum: 100_000, statistics: model.studyCount)
        }
        let k = model.studyCount
        let m = model.samplingVariances.map { $0 + model.tauSquared }
        let w = model.userWeights ?? m.map { 1 / $0 }
        let s = w.reduce(0, +)
        let mu = zip(w, model.effectSizes).reduce(0) { $0 + $1.0 * $1.1 } / s
        let spread = zip(w, m).reduce(0) { $0 + $1.0 * $1.0 * $1.1 } / (s * s)
        let residuals = (0..<k).map { i in
            let variance = m[i] - 2 * w[i] * m[i] / s + spread
            return variance > 0 ? (model.effectSizes[i] - mu) / variance.squareRoot() : .nan
        }
        let order = (0..<k).sorted { (residuals[$0], $0) < (residuals[$1], $1) }
        standardizedResiduals = residuals
        self.order = order
        sortedResiduals = order.map { residuals[$0] }
        theoreticalQuantiles = Self.plottingPositions(k).map(Normal.quantile)
        self.level = level

        guard replicates > 0, k >= 2 else {
            envelopeLower = []
            envelopeUpper = []
            return
        }
        // Errors εᵢ = √mᵢ zᵢ under the fitted model; their residuals eᵢ = εᵢ − Σwⱼεⱼ/S, standardized by the same
        // √Var(eᵢ) as the data's (for wᵢ = 1/mᵢ this is (I − P)z / √(1 − pᵢᵢ) of the whitened fit).
        let sd = m.map { $0.squareRoot() }
        let scale = (0..<k).map { i in 1 / (m[i] - 2 * w[i] * m[i] / s + spread).squareRoot() }
        var stream = RandomStream(seed: seed)
        var simulated = [[Double]](repeating: [], count: k)
        for j in 0..<k { simulated[j].reserveCapacity(replicates) }
        var e = [Double](repeating: 0, count: k)
        for _ in 0..<replicates {
            for i in 0..<k { e[i] = sd[i] * stream.nextNormal() }
            let mean = zip(w, e).reduce(0) { $0 + $1.0 * $1.1 } / s
            var r = (0..<k).map { i in (e[i] - mean) * scale[i] }
            r.sort()
            for j in 0..<k { simulated[j].append(r[j]) }
        }
        let alpha = (1 - level) / 2
        var lower: [Double] = [], upper: [Double] = []
        for j in 0..<k {
            let sorted = simulated[j].sorted()
            lower.append(BootstrapInterval.quantile(sorted: sorted, alpha))
            upper.append(BootstrapInterval.quantile(sorted: sorted, 1 - alpha))
        }
        envelopeLower = lower
        envelopeUpper = upper
    }

    /// Blom's plotting positions (i − a)/(k + 1 − 2a), i = 1…k, a = 3/8 for k ≤ 10, else 1/2 (as R's `ppoints`).
    public static func plottingPositions(_ k: Int) -> [Double] {
        let a = k <= 10 ? 0.375 : 0.5
        return (0..<k).map { (Double($0 + 1) - a) / (Double(k) + 1 - 2 * a) }
    }
}
