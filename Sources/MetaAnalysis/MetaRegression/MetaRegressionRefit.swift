import MetaNumerics

/// The quantities a resampling method records from one fit of a meta-regression — coefficients, their test
/// statistics, the omnibus QM, τ̂², I², H² — computed as ``MetaRegressionModel`` computes them (the same
/// kernel, projection and Cholesky steps), without the parts a replicate does not need (fit statistics,
/// pseudo-R², predictions). Without user weights and with p ≤ 8 on a well-conditioned design it goes through
/// ``SmallDesignKernel`` (normal equations, no allocation per fit); otherwise through the QR-based kernel.
public struct MetaRegressionRefit: Sendable, Equatable {
    public var coefficients: [Double]
    /// β̂_j / SE_j (z, or t with the Knapp–Hartung scale).
    public var statistics: [Double]
    /// The Wald statistic of the moderators b'V⁻¹b over `tested` (the χ² form; metafor's F is QM/m).
    public var moderatorStatistic: Double
    public var tauSquared: Double
    public var iSquared: Double
    public var hSquared: Double

    /// Fits y = Xβ + u + e on (y, v, X[, a]) with `options`; `tested` are the coefficients of the omnibus test.
    ///
    /// - Throws: `EstimationError` when τ² cannot be estimated, `MetaRegressionError.singularWeightedDesign`
    ///   when the (resampled or permuted) design is singular.
    public static func fit(effects y: [Double], variances v: [Double], design x: Matrix, userWeights a: [Double]?,
                           tested: [Int], options: RandomEffectsOptions) throws -> MetaRegressionRefit {
        let k = y.count, p = x.columns
        if smallDesignPathApplies(options: options, coefficientCount: p, hasUserWeights: a != nil), p < k {
            let kernel = SmallDesignKernel(effects: y, variances: v, design: x)
            if kernel.isWellConditioned {
                var beta = [Double](repeating: .nan, count: p), statistics = [Double](repeating: .nan, count: p)
                let summary = try beta.withUnsafeMutableBufferPointer { b in
                    try statistics.withUnsafeMutableBufferPointer { z in
                        try MetaRegressionRefit.fit(kernel: kernel, tested: tested, options: options, coefficients: b.baseAddress!, statistics: z.baseAddress!)
                    }
                }
                return MetaRegressionRefit(coefficients: beta, statistics: statistics, moderatorStatistic: summary.moderatorStatistic,
                                           tauSquared: summary.tauSquared, iSquared: summary.iSquared, hSquared: summary.hSquared)
            }
        }
        let dfResidual = Double(k - p)
        let weights = a
        let kernel = GeneralDesignKernel(effects: y, variances: v, design: x, userWeights: weights)
        let singular = MetaRegressionError.singularWeightedDesign(coefficients: (0..<p).map { "column \($0 + 1)" })
        let t2 = try options.estimator.estimate(on: kernel, control: options.control).tauSquared
        guard t2.isFinite, let fitW = kernel.projection(weights: kernel.inverseVarianceWeights(tauSquared: t2)) else { throw singular }
        var beta = fitW.coefficients
        var vb = fitW.inverseInformation
        if let weights {
            guard let fitA = kernel.projection(weights: weights) else { throw singular }
            beta = fitA.coefficients
            var scaled = x
            for i in 0..<k {
                let factor = weights[i] * weights[i] * (v[i] + t2)
                for j in 0..<p { scaled[i, j] *= factor }
            }
            vb = fitA.inverseInformation * x.multiplied(by: scaled, transposingSelf: true) * fitA.inverseInformation
        }
        let scale = options.test.varianceScale(residualQ: kernel.fit(tauSquared: t2, includingLikelihoodTerms: false).residualQ,
                                               residualDegreesOfFreedom: k - p)
        if scale != 1 { vb.elements = vb.elements.map { $0 * scale } }
        let statistics = (0..<p).map { beta[$0] / vb[$0, $0].squareRoot() }
        var qm = Double.nan
        if !tested.isEmpty {
            var sub = Matrix(rows: tested.count, columns: tested.count)
            for (r, i) in tested.enumerated() {
                for (c, j) in tested.enumerated() { sub[r, c] = vb[i, j] }
            }
            let b = tested.map { beta[$0] }
            guard let cholesky = try? CholeskyFactorization(sub) else { throw singular }
            qm = dot(b, cholesky.solve(b))
        }
        let f0 = kernel.fit(tauSquared: 0, includingLikelihoodTerms: false)
        let shares = HeterogeneityShares(zeroTauFit: f0, tauSquared: t2, degreesOfFreedom: dfResidual,
                                         commonEffect: options.estimator == .commonEffect)
        let i2 = shares.iSquared, h2 = shares.hSquared
        return MetaRegressionRefit(coefficients: beta, statistics: statistics, moderatorStatistic: qm, tauSquared: t2,
                                   iSquared: i2, hSquared: h2)
    }

    public init(coefficients: [Double], statistics: [Double], moderatorStatistic: Double, tauSquared: Double,
                iSquared: Double, hSquared: Double) {
        self.coefficients = coefficients
        self.statistics = statistics
        self.moderatorStatistic = moderatorStatistic
        self.tauSquared = tauSquared
        self.iSquared = iSquared
        self.hSquared = hSquared
    }
}
