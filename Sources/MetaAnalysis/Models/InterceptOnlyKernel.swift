#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

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
    /// Processors used by the passes from k = ``parallelThreshold`` on (nil: all). Results do not depend on it.
    public let threads: Int?

    public init(effects: [Double], variances: [Double], userWeights: [Double]? = nil, threads: Int? = nil) {
        precondition(effects.count == variances.count, "effects and variances must have equal length")
        precondition(userWeights.map { $0.count == effects.count } ?? true, "user weights must have one entry per study")
        precondition(threads.map { $0 >= 1 } ?? true, "threads must be positive")
        self.effects = effects
        self.variances = variances
        self.userWeights = userWeights
        self.threads = threads
    }

    public var studyCount: Int { effects.count }
    public var coefficientCount: Int { 1 }
    public var hasUserWeights: Bool { userWeights != nil }

    /// From this k on, the passes run over fixed chunks of ``chunkSize`` studies on up to `threads` processors:
    /// partial sums per chunk, added in chunk order, so the result depends on k only, never on the thread count.
    public static let parallelThreshold = 1 << 16
    static let chunkSize = 1 << 14
    /// The provisional centre of a fused pass is a weighted mean over at most this many evenly spaced studies.
    static let pilotSize = 1024

    /// One pass over the data (two in rare cases, see `centredSums`) gives every quantity; Σ log(v_i + τ²) is
    /// added only when asked for.
    public func fit(tauSquared t: Double, includingLikelihoodTerms: Bool) -> WeightedFit {
        let k = effects.count
        let (s, delta) = centredSums(t, logs: includingLikelihoodTerms)
        // With d = y − c and β̂ = c + δ: Σ w r² = Σ w d² − δ Σ w d, Σ w^m r² = Σ w^m d² − 2δ Σ w^m d + δ² S_m,
        // Σ w² r = Σ w² d − δ S_2 (the corrected two-pass sums of Chan, Golub & LeVeque 1983).
        let q = s.swd2 - delta * s.swd
        let qpp = s.sw2d2 - 2 * delta * s.sw2d + delta * delta * s.s2
        let swu = s.sw2d - delta * s.s2
        let swu2 = s.sw3d2 - 2 * delta * s.sw3d + delta * delta * s.s3
        let ratio = s.s2 / s.s1
        return WeightedFit(tauSquared: t, sumOfWeights: s.s1, sumOfSquaredWeights: s.s2, residualQ: q, residualQPP: qpp,
                           residualQPPP: swu2 - swu * swu / s.s1,
                           traceP: s.s1 - ratio, tracePP: s.s2 - 2 * s.s3 / s.s1 + ratio * ratio, sumLogVariances: s.logs,
                           logDetInformation: log(s.s1), logDetDesign: log(Double(k)))
    }

    /// The sums of `fit` about a centre c close to β̂(τ²), so that the residual sums (r = d − δ, d = y − c) come
    /// from one pass without the cancellation of raw moments, and δ = β̂ − c.
    ///
    /// Up to k = ``pilotSize``, c is β̂ = Σ w y / Σ w itself and δ (rounding noise) is dropped: the textbook
    /// two-pass evaluation. Beyond, c is the weighted mean of a pilot subsample and δ is corrected for; when the
    /// correction S_m δ² would take more than 1/16 of Σ w^m d² (so costing relative precision), the pass is
    /// repeated about c + δ.
    func centredSums(_ t: Double, logs withLogs: Bool) -> (sums: CentredSums, delta: Double) {
        var c = pilotCentre(t)
        var s = sums(t, centre: c, logs: withLogs)
        if effects.count <= Self.pilotSize { return (s, 0) }
        var delta = s.swd / s.s1
        let d2 = 16 * delta * delta
        if d2 * s.s1 > s.swd2 || d2 * s.s2 > s.sw2d2 || d2 * s.s3 > s.sw3d2 {
            c += delta
            let logs = s.logs
            s = sums(t, centre: c, logs: false)
            s.logs = logs
            delta = s.swd / s.s1
        }
        return (s, delta)
    }

    /// The weighted mean Σ w y / Σ w at τ² over at most ``pilotSize`` evenly spaced studies.
    func pilotCentre(_ t: Double) -> Double {
        let k = effects.count
        let stride = max(1, k / Self.pilotSize)
        var sw = 0.0, swy = 0.0
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                var i = 0
                while i < k {
                    let w = 1 / (v[i] + t)
                    sw += w
                    swy += w * y[i]
                    i += stride
                }
            }
        }
        return swy / sw
    }

    /// Beyond ``pilotSize`` the sums run in two SIMD lanes, added at the end of each range.
    func sums(_ t: Double, centre c: Double, logs withLogs: Bool) -> CentredSums {
        let k = effects.count
        let lanes = k > Self.pilotSize
        if k < Self.parallelThreshold { return Self.sums(effects, variances, t, c, 0..<k, logs: withLogs, lanes: lanes) }
        let y = effects, v = variances
        return chunked(k) { Self.sums(y, v, t, c, $0, logs: withLogs, lanes: lanes) }
    }

    /// With d_i = y_i − c over `range`: S_1, S_2, S_3, Σ w d, Σ w d², Σ w² d, Σ w² d², Σ w³ d, Σ w³ d² and, if asked,
    /// Σ log(v + τ²).
    struct CentredSums: PartialSum {
        var s1 = 0.0, s2 = 0.0, s3 = 0.0
        var swd = 0.0, swd2 = 0.0, sw2d = 0.0, sw2d2 = 0.0, sw3d = 0.0, sw3d2 = 0.0
        var logs = 0.0
        static func + (a: Self, b: Self) -> Self {
            CentredSums(s1: a.s1 + b.s1, s2: a.s2 + b.s2, s3: a.s3 + b.s3, swd: a.swd + b.swd, swd2: a.swd2 + b.swd2,
                        sw2d: a.sw2d + b.sw2d, sw2d2: a.sw2d2 + b.sw2d2, sw3d: a.sw3d + b.sw3d, sw3d2: a.sw3d2 + b.sw3d2,
                        logs: a.logs + b.logs)
        }
    }

    static func sums(_ effects: [Double], _ variances: [Double], _ t: Double, _ c: Double, _ range: Range<Int>,
                     logs withLogs: Bool, lanes: Bool) -> CentredSums {
        var r = CentredSums()
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                var start = range.lowerBound
                if lanes {
                    typealias Lanes = SIMD2<Double>
                    let yBase = UnsafeRawPointer(y.baseAddress!), vBase = UnsafeRawPointer(v.baseAddress!)
                    let stride = MemoryLayout<Double>.stride
                    let tt = Lanes(repeating: t), cc = Lanes(repeating: c), one = Lanes(repeating: 1)
                    var s1 = Lanes(), s2 = Lanes(), s3 = Lanes(), swd = Lanes(), swd2 = Lanes()
                    var sw2d = Lanes(), sw2d2 = Lanes(), sw3d = Lanes(), sw3d2 = Lanes()
                    while start + 2 <= range.upperBound {
                        let w = one / (vBase.loadUnaligned(fromByteOffset: start * stride, as: Lanes.self) + tt)
                        let d = yBase.loadUnaligned(fromByteOffset: start * stride, as: Lanes.self) - cc
                        let wd = w * d, w2d = w * wd
                        s1 += w
                        s2 += w * w
                        s3 += w * w * w
                        swd += wd
                        swd2 += wd * d
                        sw2d += w2d
                        sw2d2 += wd * wd
                        sw3d += w * w2d
                        sw3d2 += w2d * wd
                        start += 2
                    }
                    func total(_ x: Lanes) -> Double { x[0] + x[1] }
                    r = CentredSums(s1: total(s1), s2: total(s2), s3: total(s3), swd: total(swd), swd2: total(swd2),
                                    sw2d: total(sw2d), sw2d2: total(sw2d2), sw3d: total(sw3d), sw3d2: total(sw3d2))
                }
                for i in start..<range.upperBound {
                    let w = 1 / (v[i] + t)
                    let d = y[i] - c
                    let wd = w * d, w2d = w * wd
                    r.s1 += w
                    r.s2 += w * w
                    r.s3 += w * w * w
                    r.swd += wd
                    r.swd2 += wd * d
                    r.sw2d += w2d
                    r.sw2d2 += wd * wd
                    r.sw3d += w * w2d
                    r.sw3d2 += w2d * wd
                }
                if withLogs {
                    if let logs = lanes ? logSumBySignificands(v, t, range) : nil {
                        r.logs = logs
                    } else {
                        for i in range { r.logs += log(v[i] + t) }
                    }
                }
            }
        }
        return r
    }

    /// Σ log(v_i + τ²) over `range` as log Π m_i + (Σ e_i) log 2 with v_i + τ² = m_i 2^{e_i}, m_i ∈ [1, 2): two
    /// logarithms instead of one per study. Each product of significands is brought back to [1, 2) before it
    /// can overflow, so the result carries a relative error of at most n ε in Π m_i, i.e. n ε absolute (n the
    /// range's length), below the rounding of the sum of n logarithms itself. nil when a value is subnormal or
    /// infinite (its bits are not m 2^e).
    static func logSumBySignificands(_ v: UnsafeBufferPointer<Double>, _ t: Double, _ range: Range<Int>) -> Double? {
        typealias Lanes = SIMD2<Double>
        typealias Bits = SIMD2<UInt64>
        let significandMask = Bits(repeating: (1 << 52) - 1), one = Bits(repeating: (1.0).bitPattern)
        let base = UnsafeRawPointer(v.baseAddress!), stride = MemoryLayout<Double>.stride
        let tt = Lanes(repeating: t)
        var product = Lanes(repeating: 1)
        var exponents = Bits(), lowest = Bits(repeating: .max), highest = Bits()
        var i = range.lowerBound, sinceRenormalised = 0
        while i + 2 <= range.upperBound {
            let bits = unsafeBitCast(base.loadUnaligned(fromByteOffset: i * stride, as: Lanes.self) + tt, to: Bits.self)
            let field = bits &>> 52
            exponents &+= field
            lowest = pointwiseMin(lowest, field)
            highest = pointwiseMax(highest, field)
            product *= unsafeBitCast((bits & significandMask) | one, to: Lanes.self)
            i += 2
            sinceRenormalised += 1
            if sinceRenormalised == 512 {
                // 512 factors below 2 keep the product below 2^512.
                let p = unsafeBitCast(product, to: Bits.self)
                exponents &+= (p &>> 52) &- 1023
                product = unsafeBitCast((p & significandMask) | one, to: Lanes.self)
                sinceRenormalised = 0
            }
        }
        guard lowest.min() > 0 && highest.max() < 2047 else { return nil }
        let pairs = (range.lowerBound..<i).count / 2
        // Each biased exponent field carries 1023; the renormalisations added theirs unbiased.
        let e = Double(Int64(bitPattern: exponents[0] &+ exponents[1])) - 2 * 1023 * Double(pairs)
        var sum = (log(product[0]) + log(product[1])) + e * M_LN2
        for j in i..<range.upperBound { sum += log(v[j] + t) }
        return sum
    }

    /// What the model needs besides `fit` at τ̂²: the study weights in percent, 100 w_i / Σ w (w_i = 1/(v_i + τ²)),
    /// β̂ = Σ w y / Σ w, Σ w, and the likelihood terms Σ log(v_i + τ²) and Σ log v_i, in one pass (and a second,
    /// cheap one that scales the weights).
    func pooledWeights(tauSquared t: Double) -> PooledWeights {
        let k = effects.count
        let y = effects, v = variances
        let lanes = k > Self.pilotSize
        var total = WeightSums()
        let percent = [Double](unsafeUninitializedCapacity: k) { buffer, count in
            let out = DisjointWriter(buffer)
            if k < Self.parallelThreshold {
                total = Self.writeWeights(y, v, t, out, 0..<k, lanes: lanes)
                Self.percent(out, 0..<k, of: total.sw)
            } else {
                total = chunked(k) { Self.writeWeights(y, v, t, out, $0, lanes: lanes) }
                let sum = total.sw
                _ = chunked(k) { range -> WeightSums in
                    Self.percent(out, range, of: sum)
                    return WeightSums()
                }
            }
            count = k
        }
        return PooledWeights(percent: percent, estimate: total.swy / total.sw, sumOfWeights: total.sw,
                             sumLogVariances: total.logs, sumLogSamplingVariances: total.logs0)
    }

    struct PooledWeights {
        var percent: [Double]
        var estimate: Double
        var sumOfWeights: Double
        /// Σ log(v_i + τ²).
        var sumLogVariances: Double
        /// Σ log v_i.
        var sumLogSamplingVariances: Double
    }

    /// Writes w_i over `range` into `out`; returns Σ w, Σ w y, Σ log(v + τ²) and Σ log v there.
    static func writeWeights(_ effects: [Double], _ variances: [Double], _ t: Double, _ out: DisjointWriter<Double>,
                             _ range: Range<Int>, lanes: Bool) -> WeightSums {
        var r = WeightSums()
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                for i in range {
                    let w = 1 / (v[i] + t)
                    out[i] = w
                    r.sw += w
                    r.swy += w * y[i]
                }
                if lanes, let logs = logSumBySignificands(v, t, range), let logs0 = logSumBySignificands(v, 0, range) {
                    r.logs = logs
                    r.logs0 = logs0
                } else {
                    for i in range {
                        r.logs += log(v[i] + t)
                        r.logs0 += log(v[i])
                    }
                }
            }
        }
        return r
    }

    static func percent(_ out: DisjointWriter<Double>, _ range: Range<Int>, of sum: Double) {
        for i in range { out[i] = 100 * out[i] / sum }
    }

    struct WeightSums: PartialSum {
        var sw = 0.0, swy = 0.0, logs = 0.0, logs0 = 0.0
        static func + (a: Self, b: Self) -> Self {
            WeightSums(sw: a.sw + b.sw, swy: a.swy + b.swy, logs: a.logs + b.logs, logs0: a.logs0 + b.logs0)
        }
    }

    /// `pass` over fixed chunks of 0..<k on up to `threads` processors, the partial sums added in chunk order.
    func chunked<T: PartialSum>(_ k: Int, _ pass: @Sendable (Range<Int>) -> T) -> T {
        let size = Self.chunkSize
        let chunks = (k + size - 1) / size
        let partials = ParallelLoop.map(chunks, threads: threads, blockSize: 1) { c in pass(c * size..<min(k, (c + 1) * size)) }
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
        if scheme == .equal && k > Self.pilotSize { return equalWeightMoments(sigmaTauSquared: t) }
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

    /// `generalizedQ` with a_i = 1 (Hedges' start of the ML/REML solvers) in one chunked pass: with s_i = v_i + τ²,
    /// tr(P) = k − 1, tr(PV) = Σ v (1 − 1/k), tr(PΣPΣ) = Σ s² − 2 Σ s²/k + (Σ s/k)², and Q = Σ (y − ȳ)² from sums
    /// about the mean c of a pilot subsample (Q = Σ d² − δ Σ d with d = y − c, δ = ȳ − c), re-centred on c + δ
    /// when k δ² exceeds Q/16.
    func equalWeightMoments(sigmaTauSquared t: Double) -> GeneralizedQMoments {
        let k = effects.count, n = Double(k)
        let y = effects, v = variances
        let stride = max(1, k / Self.pilotSize)
        var c = 0.0, m = 0.0
        for i in Swift.stride(from: 0, to: k, by: stride) { c += y[i]; m += 1 }
        c /= m
        func pass(_ c: Double) -> EqualWeightSums {
            k < Self.parallelThreshold ? Self.equalWeightSums(y, v, t, c, 0..<k) : chunked(k) { Self.equalWeightSums(y, v, t, c, $0) }
        }
        var s = pass(c)
        var delta = s.sd / n
        if 16 * n * delta * delta > s.sd2 {
            c += delta
            s = pass(c)
            delta = s.sd / n
        }
        let mean = s.ss / n
        return GeneralizedQMoments(q: s.sd2 - delta * s.sd, traceP: n - 1, tracePV: s.sv - s.sv / n,
                                   tracePSigmaPSigma: s.ss2 - 2 * s.ss2 / n + mean * mean)
    }

    /// Σ d, Σ d² (d = y − c), Σ v, Σ s, Σ s² (s = v + τ²) over `range`.
    struct EqualWeightSums: PartialSum {
        var sd = 0.0, sd2 = 0.0, sv = 0.0, ss = 0.0, ss2 = 0.0
        static func + (a: Self, b: Self) -> Self {
            EqualWeightSums(sd: a.sd + b.sd, sd2: a.sd2 + b.sd2, sv: a.sv + b.sv, ss: a.ss + b.ss, ss2: a.ss2 + b.ss2)
        }
    }

    static func equalWeightSums(_ effects: [Double], _ variances: [Double], _ t: Double, _ c: Double,
                                _ range: Range<Int>) -> EqualWeightSums {
        var r = EqualWeightSums()
        effects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                for i in range {
                    let d = y[i] - c, s = v[i] + t
                    r.sd += d
                    r.sd2 += d * d
                    r.sv += v[i]
                    r.ss += s
                    r.ss2 += s * s
                }
            }
        }
        return r
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
            // A bisection of a finite interval ends within ~2100 halvings; the cap stops a NaN from looping.
            var l = lo, h = hi
            for _ in 0..<2200 {
                let m = 0.5 * (l + h)
                if !(m > l && m < h) { break }
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
