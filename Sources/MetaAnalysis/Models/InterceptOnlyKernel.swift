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

    /// From this k on, the two passes of `fit` run over fixed chunks on all processors: partial sums per chunk,
    /// added in chunk order, so the result depends on k only, never on the thread count.
    static let parallelThreshold = 1 << 18
    static let chunkSize = 1 << 16

    public func fit(tauSquared t: Double, includingLikelihoodTerms: Bool) -> WeightedFit {
        let k = effects.count
        var first: FirstPass, second: SecondPass
        if k < Self.parallelThreshold {
            first = Self.firstPass(effects, variances, t, 0..<k, logs: includingLikelihoodTerms)
            second = Self.secondPass(effects, variances, t, 0..<k, beta: first.swy / first.s1)
        } else {
            let y = effects, v = variances
            first = Self.chunked(k) { Self.firstPass(y, v, t, $0, logs: includingLikelihoodTerms) }
            let beta = first.swy / first.s1
            second = Self.chunked(k) { Self.secondPass(y, v, t, $0, beta: beta) }
        }
        let s1 = first.s1, s2 = first.s2, s3 = first.s3
        let ratio = s2 / s1
        return WeightedFit(tauSquared: t, sumOfWeights: s1, sumOfSquaredWeights: s2, residualQ: second.q, residualQPP: second.qpp,
                           residualQPPP: second.swu2 - second.swu * second.swu / s1,
                           traceP: s1 - ratio, tracePP: s2 - 2 * s3 / s1 + ratio * ratio, sumLogVariances: first.logs,
                           logDetInformation: log(s1), logDetDesign: log(Double(k)))
    }

    /// S_1, S_2, S_3, Σ w y and Σ log(v + τ²) over `range`.
    struct FirstPass: PartialSum {
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, swy = 0.0, logs = 0.0
        static func + (a: Self, b: Self) -> Self {
            FirstPass(s1: a.s1 + b.s1, s2: a.s2 + b.s2, s3: a.s3 + b.s3, swy: a.swy + b.swy, logs: a.logs + b.logs)
        }
    }

    /// YᵀPY, YᵀPPY and, with u = PY = W r, Σ w u² and Σ w u (YᵀPPPY = uᵀPu = Σ w u² − (Σ w u)²/Σw) over `range`.
    struct SecondPass: PartialSum {
        var q = 0.0, qpp = 0.0, swu2 = 0.0, swu = 0.0
        static func + (a: Self, b: Self) -> Self {
            SecondPass(q: a.q + b.q, qpp: a.qpp + b.qpp, swu2: a.swu2 + b.swu2, swu: a.swu + b.swu)
        }
    }

    static func firstPass(_ effects: [Double], _ variances: [Double], _ t: Double, _ range: Range<Int>, logs withLogs: Bool) -> FirstPass {
        var r = FirstPass()
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                for i in range {
                    let w = 1 / (v[i] + t)
                    r.s1 += w
                    r.s2 += w * w
                    r.s3 += w * w * w
                    r.swy += w * y[i]
                }
                if withLogs {
                    for i in range { r.logs += log(v[i] + t) }
                }
            }
        }
        return r
    }

    static func secondPass(_ effects: [Double], _ variances: [Double], _ t: Double, _ range: Range<Int>, beta: Double) -> SecondPass {
        var r = SecondPass()
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                for i in range {
                    let w = 1 / (v[i] + t)
                    let wr = w * (y[i] - beta)
                    r.q += wr * (y[i] - beta)
                    r.qpp += wr * wr
                    r.swu2 += w * wr * wr
                    r.swu += w * wr
                }
            }
        }
        return r
    }

    /// `pass` over fixed chunks of 0..<k on all processors, the partial sums added in chunk order.
    static func chunked<T: PartialSum>(_ k: Int, _ pass: @Sendable (Range<Int>) -> T) -> T {
        let chunks = (k + chunkSize - 1) / chunkSize
        let partials = ParallelLoop.map(chunks) { c in pass(c * chunkSize..<min(k, (c + 1) * chunkSize)) }
        return partials.dropFirst().reduce(partials[0], +)
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

/// Partial sums that add.
protocol PartialSum: Sendable {
    static func + (a: Self, b: Self) -> Self
}
