import MetaNumerics

/// What one refit of a meta-regression records besides the per-coefficient values written to caller buffers.
public struct MetaRegressionRefitSummary: Sendable, Equatable {
    public var moderatorStatistic: Double
    public var tauSquared: Double
    public var iSquared: Double
    public var hSquared: Double
}

extension MetaRegressionRefit {
    /// Whether ``fit(kernel:tested:options:coefficients:statistics:)`` serves a model with these options and p:
    /// no user weights (their sandwich covariance takes the QR path) and p ≤ ``SmallDesignKernel/maximumCoefficients``.
    public static func smallDesignPathApplies(options: RandomEffectsOptions, coefficientCount p: Int, hasUserWeights: Bool) -> Bool {
        !hasUserWeights && !options.estimator.needsUserWeights && p <= SmallDesignKernel.maximumCoefficients
    }

    /// The refit of ``fit(effects:variances:design:userWeights:tested:options:)`` on a well-conditioned
    /// ``SmallDesignKernel``, allocating nothing: β̂ into `coefficients` and β̂_j/SE_j into `statistics`
    /// (p entries each); QM, τ̂², I², H² returned. The same formulas as the QR path (and as ``MetaRegressionModel``).
    ///
    /// - Throws: `EstimationError` when τ² cannot be estimated; `MetaRegressionError.singularWeightedDesign` when
    ///   XᵀWX or the tested block of Var(β̂) is numerically singular.
    public static func fit(kernel: SmallDesignKernel, tested: [Int], options: RandomEffectsOptions,
                           coefficients beta: UnsafeMutablePointer<Double>, statistics: UnsafeMutablePointer<Double>)
        throws -> MetaRegressionRefitSummary
    {
        let t2: Double, qm: Double
        do {
            (t2, qm) = try testStatistics(kernel: kernel, tested: tested, options: options, coefficients: beta, statistics: statistics)
        } catch {
            switch error {
            case let .estimation(failure): throw failure
            case .singularDesign:
                throw MetaRegressionError.singularWeightedDesign(coefficients: (0..<kernel.coefficientCount).map { "column \($0 + 1)" })
            }
        }
        let f0 = kernel.fit(tauSquared: 0, includingLikelihoodTerms: false)
        let shares = HeterogeneityShares(zeroTauFit: f0, tauSquared: t2, degreesOfFreedom: Double(kernel.studyCount - kernel.coefficientCount),
                                         commonEffect: options.estimator == .commonEffect)
        return MetaRegressionRefitSummary(moderatorStatistic: qm, tauSquared: t2, iSquared: shares.iSquared, hSquared: shares.hSquared)
    }

    /// The part of ``fit(kernel:tested:options:coefficients:statistics:)`` a permutation test needs: β̂ and β̂_j/SE_j
    /// into the buffers, τ̂² and QM returned (no I², H²: one pass over the studies fewer).
    ///
    /// - Throws: as ``fit(kernel:tested:options:coefficients:statistics:)``.
    public static func testStatistics(kernel: SmallDesignKernel, tested: [Int], options: RandomEffectsOptions,
                                      coefficients beta: UnsafeMutablePointer<Double>, statistics: UnsafeMutablePointer<Double>)
        throws(MetaRegressionRefitFailure) -> (tauSquared: Double, moderatorStatistic: Double)
    {
        precondition(smallDesignPathApplies(options: options, coefficientCount: kernel.coefficientCount, hasUserWeights: kernel.hasUserWeights),
                     "the small-design refit needs no user weights and p ≤ 8")
        let k = kernel.studyCount, p = kernel.coefficientCount, pp = p * p
        let t2: Double
        do { t2 = try options.estimator.estimate(on: kernel, control: options.control).tauSquared } catch { throw .estimation(error) }
        let qm: Double? = withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * pp) { scratch -> Double? in
            let vb = scratch.baseAddress!, sub = vb + pp, work = sub + pp
            guard t2.isFinite, kernel.coefficients(tauSquared: t2, coefficients: beta, covariance: vb) != nil else { return nil }
            // s²_w from the kernel's own YᵀPY, as MetaRegressionModel takes it, so that a refit reproduces the model exactly.
            let scale = options.test.varianceScale(residualQ: kernel.fit(tauSquared: t2, includingLikelihoodTerms: false).residualQ,
                                                   residualDegreesOfFreedom: k - p)
            for j in 0..<p { statistics[j] = beta[j] / (vb[j * p + j] * scale).squareRoot() }
            if tested.isEmpty { return .nan }
            // QM = b'V⁻¹b over the tested block (the χ² form).
            let m = tested.count
            for (r, i) in tested.enumerated() {
                for (c, j) in tested.enumerated() where c <= r { sub[r * m + c] = vb[i * p + j] * scale }
            }
            guard SmallDesignKernel.invert(sub, into: work, work: vb, m) != nil else { return nil }
            var value = 0.0
            for (r, i) in tested.enumerated() {
                for (c, j) in tested.enumerated() { value += beta[i] * work[r * m + c] * beta[j] }
            }
            return value
        }
        guard let qm else { throw .singularDesign }
        return (t2, qm)
    }
}

/// Why a small-design refit failed, without allocating (a permutation loop counts failures; it does not print them).
public enum MetaRegressionRefitFailure: Error, Equatable, Sendable {
    case estimation(EstimationError)
    /// XᵀWX or the tested block of Var(β̂) is numerically singular.
    case singularDesign
}
