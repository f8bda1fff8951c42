#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The random-effects kernel for X = 1 (no moderators): every query is one or two O(k) passes with no
/// allocation, so a bootstrap of thousands of fits stays cheap.
///
/// With w_i = 1/(v_i + τ²) and S_m = Σ w_i^m: β̂ = Σ w_i y_i / S_1, tr(P) = S_1 − S_2/S_1,
/// tr(PP) = S_2 − 2 S_3/S_1 + (S_2/S_1)², YᵀPY = Σ w_i r_i², YᵀPPY = Σ w_i² r_i² (PY = W r).
public struct InterceptOnlyKernel: RandomEffectsKernel {
    /// Effect sizes y_i.
    public let effects: [Double]
    /// Sampling variances v_i (> 0).
    public let variances: [Double]
    /// User weights a_i (> 0) for GENQ/GENQM, or nil.
    public let userWeights: [Double]?

    public init(effects: [Double], variances: [Double], userWeights: [Double]? = nil) {
        precondition(effects.count == variances.count, "effects and variances must have equal length")
        precondition(userWeights.map { $0.count == effects.count } ?? true, "user weights must have one entry per study")
        self.effects = effects
        self.variances = variances
        self.userWeights = userWeights
    }

    public var studyCount: Int { effects.count }
    public var coefficientCount: Int { 1 }
    public var hasUserWeights: Bool { userWeights != nil }

    public func fit(tauSquared t: Double, includingLikelihoodTerms: Bool) -> WeightedFit {
        let k = effects.count
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, swy = 0.0, logs = 0.0
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                for i in 0..<k {
                    let s = v[i] + t
                    let w = 1 / s
                    s1 += w
                    s2 += w * w
                    s3 += w * w * w
                    swy += w * y[i]
                }
                if includingLikelihoodTerms {
                    for i in 0..<k { logs += log(v[i] + t) }
                }
            }
        }
        let beta = swy / s1
        // With u = PY = W r: YᵀPPPY = uᵀPu = Σ w u² − (Σ w u)²/Σw.
        var q = 0.0, qpp = 0.0, swu2 = 0.0, swu = 0.0
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                for i in 0..<k {
                    let w = 1 / (v[i] + t)
                    let wr = w * (y[i] - beta)
                    q += wr * (y[i] - beta)
                    qpp += wr * wr
                    swu2 += w * wr * wr
                    swu += w * wr
                }
            }
        }
        let ratio = s2 / s1
        return WeightedFit(tauSquared: t, sumOfWeights: s1, sumOfSquaredWeights: s2, residualQ: q, residualQPP: qpp, residualQPPP: swu2 - swu * swu / s1,
                           traceP: s1 - ratio, tracePP: s2 - 2 * s3 / s1 + ratio * ratio, sumLogVariances: logs,
                           logDetInformation: log(s1), logDetDesign: log(Double(k)))
    }

    @inline(__always)
    private func weight(_ scheme: MomentWeights, _ i: Int) -> Double {
        switch scheme {
        case let .inverseVariance(t): return 1 / (variances[i] + t)
        case .equal: return 1
        case .user: return userWeights![i]
        }
    }

    public func generalizedQ(weights scheme: MomentWeights, sigmaTauSquared t: Double) -> GeneralizedQMoments {
        precondition(scheme != .user || userWeights != nil, "user weights requested but none were given")
        let k = effects.count
        var sa = 0.0, say = 0.0, sa2 = 0.0, sav = 0.0, sa2v = 0.0
        var sad2 = 0.0, sa3d2 = 0.0, sa2d = 0.0
        for i in 0..<k {
            let a = weight(scheme, i)
            let v = variances[i]
            let d = v + t
            sa += a
            say += a * effects[i]
            sa2 += a * a
            sav += a * v
            sa2v += a * a * v
            sad2 += (a * d) * (a * d)
            sa3d2 += a * a * a * d * d
            sa2d += a * a * d
        }
        let beta = say / sa
        var q = 0.0
        for i in 0..<k {
            let r = effects[i] - beta
            q += weight(scheme, i) * r * r
        }
        let c = sa2d / sa
        return GeneralizedQMoments(q: q, traceP: sa - sa2 / sa, tracePV: sav - sa2v / sa,
                                   tracePSigmaPSigma: sad2 - 2 * sa3d2 / sa + c * c)
    }

    /// The matrix is D − u uᵀ/Σa with D = diag(a_i s_i), u_i = a_i √s_i (s_i = v_i + τ²): its eigenvalues
    /// interlace the d_i, one is 0, and the k − 1 others are the roots of the secular equation
    /// 1 = (1/Σa) Σ u_i²/(d_i − λ) (Golub 1973), one in each gap between consecutive distinct d_i.
    public func generalizedQEigenvalues(weights scheme: MomentWeights, tauSquared t: Double, into eigenvalues: inout [Double]) {
        precondition(scheme != .user || userWeights != nil, "user weights requested but none were given")
        let k = effects.count
        var pairs = [(d: Double, u2: Double)]()
        pairs.reserveCapacity(k)
        var sa = 0.0
        for i in 0..<k {
            let s = variances[i] + t
            let a = weight(scheme, i)
            pairs.append((a * s, a * a * s))
            sa += a
        }
        pairs.sort { $0.d > $1.d }
        eigenvalues.removeAll(keepingCapacity: true)
        guard k >= 2 else { return }
        func secular(_ lambda: Double) -> Double {
            var s = 0.0
            for p in pairs { s += p.u2 / (p.d - lambda) }
            return 1 - s / sa
        }
        for i in 0..<(k - 1) {
            let hi = pairs[i].d, lo = pairs[i + 1].d
            if hi == lo {
                // A repeated d_i is itself an eigenvalue (the rank-one update cannot move all copies).
                eigenvalues.append(hi)
                continue
            }
            // secular is decreasing on (lo, hi), from +∞ to −∞: bisect to the last representable double.
            var l = lo, h = hi
            while true {
                let m = 0.5 * (l + h)
                if m <= l || m >= h { break }
                if secular(m) > 0 { l = m } else { h = m }
            }
            eigenvalues.append(0.5 * (l + h))
        }
    }
}
