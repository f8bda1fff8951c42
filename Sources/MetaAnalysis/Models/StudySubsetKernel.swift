#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The intercept-only random-effects kernel over a subset of studies that never copies the data: the first
/// `count` studies of the arrays, optionally without study `excluded`. Leave-one-out (`count` = k, one study
/// excluded), cumulative analysis (arrays in cumulative order, the first j studies), trim-and-fill (sorted
/// arrays, the k − k₀ smallest) and GOSH (a gathered subset) all refit through this one kernel.
///
/// Each query is a single fused pass (one division per study). The sums that the two-pass
/// `InterceptOnlyKernel` forms from residuals are expanded here, e.g. Σ w(y − β)² = Σ w y² − β Σ w y; the
/// effects are centred at `centre` (a value near the pooled estimate, e.g. the full-data common-effect
/// estimate) so these expansions lose no significant digits.
///
struct StudySubsetKernel: RandomEffectsKernel {
    /// y_i − centre.
    let centredEffects: [Double]
    let variances: [Double]
    let userWeights: [Double]?
    let centre: Double
    /// The subset is the studies 0..<count …
    let count: Int
    /// … except this one (−1: none).
    let excluded: Int

    init(centredEffects: [Double], variances: [Double], userWeights: [Double]?, centre: Double, count: Int, excluded: Int = -1) {
        precondition(count <= centredEffects.count && centredEffects.count == variances.count, "subset out of range")
        self.centredEffects = centredEffects
        self.variances = variances
        self.userWeights = userWeights
        self.centre = centre
        self.count = count
        self.excluded = excluded
    }

    /// A kernel over all of `effects` (centred at `centre`), to derive subsets from with `first(_:)`/`without(_:)`.
    init(effects: [Double], variances: [Double], userWeights: [Double]?, centre: Double) {
        self.init(centredEffects: effects.map { $0 - centre }, variances: variances, userWeights: userWeights,
                  centre: centre, count: effects.count)
    }

    /// The first `n` studies.
    func first(_ n: Int) -> StudySubsetKernel {
        StudySubsetKernel(centredEffects: centredEffects, variances: variances, userWeights: userWeights, centre: centre, count: n)
    }

    /// All `count` studies but study `i`.
    func without(_ i: Int) -> StudySubsetKernel {
        StudySubsetKernel(centredEffects: centredEffects, variances: variances, userWeights: userWeights, centre: centre,
                          count: count, excluded: i)
    }

    /// The subset's effect sizes (gathered: only the SJ/SJIT start value asks for them).
    var effects: [Double] { (0..<count).filter { $0 != excluded }.map { centre + centredEffects[$0] } }

    var studyCount: Int { excluded >= 0 && excluded < count ? count - 1 : count }
    var coefficientCount: Int { 1 }
    var hasUserWeights: Bool { userWeights != nil }

    func fit(tauSquared t: Double, includingLikelihoodTerms: Bool) -> WeightedFit {
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, swy = 0.0, swyy = 0.0, sw2y = 0.0, sw2yy = 0.0, sw3y = 0.0, sw3yy = 0.0
        var logs = 0.0
        centredEffects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                for i in 0..<count where i != excluded {
                    let w = 1 / (v[i] + t)
                    let w2 = w * w
                    let w3 = w2 * w
                    let yi = y[i]
                    s1 += w
                    s2 += w2
                    s3 += w3
                    swy += w * yi
                    swyy += w * yi * yi
                    sw2y += w2 * yi
                    sw2yy += w2 * yi * yi
                    sw3y += w3 * yi
                    sw3yy += w3 * yi * yi
                }
                if includingLikelihoodTerms {
                    for i in 0..<count where i != excluded { logs += log(v[i] + t) }
                }
            }
        }
        let beta = swy / s1
        let q = swyy - beta * swy
        let qpp = sw2yy - 2 * beta * sw2y + beta * beta * s2
        // u = PY = W r: YᵀPPPY = Σ w u² − (Σ w u)²/Σ w, with Σ w u² = Σ w³ r² and Σ w u = Σ w² r.
        let swu2 = sw3yy - 2 * beta * sw3y + beta * beta * s3
        let swu = sw2y - beta * s2
        let ratio = s2 / s1
        return WeightedFit(tauSquared: t, sumOfWeights: s1, sumOfSquaredWeights: s2, residualQ: max(0, q),
                           residualQPP: max(0, qpp), residualQPPP: max(0, swu2 - swu * swu / s1),
                           traceP: s1 - ratio, tracePP: s2 - 2 * s3 / s1 + ratio * ratio, sumLogVariances: logs,
                           logDetInformation: log(s1), logDetDesign: log(Double(studyCount)))
    }

    /// The pooled estimate at τ² and its model-based variance: weights 1/(v_i + τ²), or the user weights a_i
    /// with the sandwich variance Σ a_i²(v_i + τ²)/(Σ a_i)² (as GENQ/GENQM fits estimate the mean).
    func pooled(tauSquared t: Double) -> (estimate: Double, variance: Double, sumOfWeights: Double) {
        var sa = 0.0, say = 0.0, sa2s = 0.0
        centredEffects.withUnsafeBufferPointer { y in
            variances.withUnsafeBufferPointer { v in
                if let userWeights {
                    userWeights.withUnsafeBufferPointer { a in
                        for i in 0..<count where i != excluded {
                            sa += a[i]
                            say += a[i] * y[i]
                            sa2s += a[i] * a[i] * (v[i] + t)
                        }
                    }
                } else {
                    for i in 0..<count where i != excluded {
                        let w = 1 / (v[i] + t)
                        sa += w
                        say += w * y[i]
                    }
                    sa2s = sa
                }
            }
        }
        return (centre + say / sa, sa2s / (sa * sa), sa)
    }

    @inline(__always)
    private func weight(_ scheme: MomentWeights, _ i: Int) -> Double {
        switch scheme {
        case let .inverseVariance(t): return 1 / (variances[i] + t)
        case .equal: return 1
        case .user: return userWeights![i]
        }
    }

    func generalizedQ(weights scheme: MomentWeights, sigmaTauSquared t: Double) -> GeneralizedQMoments {
        precondition(scheme != .user || userWeights != nil, "user weights requested but none were given")
        var sa = 0.0, say = 0.0, sayy = 0.0, sa2 = 0.0, sav = 0.0, sa2v = 0.0
        var sad2 = 0.0, sa3d2 = 0.0, sa2d = 0.0
        for i in 0..<count where i != excluded {
            let a = weight(scheme, i)
            let v = variances[i]
            let y = centredEffects[i]
            let d = v + t
            sa += a
            say += a * y
            sayy += a * y * y
            sa2 += a * a
            sav += a * v
            sa2v += a * a * v
            sad2 += (a * d) * (a * d)
            sa3d2 += a * a * a * d * d
            sa2d += a * a * d
        }
        let q = max(0, sayy - say * say / sa)
        let c = sa2d / sa
        return GeneralizedQMoments(q: q, traceP: sa - sa2 / sa, tracePV: sav - sa2v / sa,
                                   tracePSigmaPSigma: sad2 - 2 * sa3d2 / sa + c * c)
    }

    func generalizedQEigenvalues(weights: MomentWeights, tauSquared: Double, into eigenvalues: inout [Double]) {
        // Only GENQM needs these, and it allocates per evaluation anyway: delegate to a gathered copy.
        let indices = (0..<count).filter { $0 != excluded }
        let gathered = InterceptOnlyKernel(effects: indices.map { centredEffects[$0] }, variances: indices.map { variances[$0] },
                                           userWeights: userWeights.map { a in indices.map { a[$0] } })
        gathered.generalizedQEigenvalues(weights: weights, tauSquared: tauSquared, into: &eigenvalues)
    }
}
