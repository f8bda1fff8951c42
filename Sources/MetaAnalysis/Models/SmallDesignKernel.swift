#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// The random-effects kernel for a meta-regression with few coefficients (p ≤ ``maximumCoefficients``): every
/// query is one O(k p²) pass accumulating weighted cross-products (XᵀAX, XᵀAy, …) into stack scratch, a p × p
/// Cholesky factorization, and one O(k p) pass over the residuals. Nothing is allocated per query, so a τ² solver
/// and a resampling loop of thousands of refits stay cheap.
///
/// Normal equations square the condition number, so the columns are centred (when the design has an all-ones
/// column) and scaled internally: X̃ = X T with T invertible has the column space of X, so the projection
/// P_A = A − AX(XᵀAX)⁻¹XᵀA, the residuals and every trace are unchanged, and log det(XᵀAX) moves only by the
/// constant −2 log|det T|. A design whose centred and scaled form is still ill-conditioned
/// (``isWellConditioned`` false) belongs to the QR-based ``GeneralDesignKernel``, which makes that choice itself.
///
/// With C = (XᵀAX)⁻¹, M_s = Xᵀ diag(s) X and r = y − Xβ̂ (expand P_A under the trace; Viechtbauer 2005,
/// section 2, defines P):
///
///     tr(P_A)         = Σ a_i − tr(C M_{a²})
///     tr(P_A S P_A S) = Σ a_i² s_i² − 2 tr(C M_{a³s²}) + tr((C M_{a²s})²)
///     YᵀP_A³Y         = Σ a_i³ r_i² − gᵀCg,   g = Xᵀ diag(a²) r
public struct SmallDesignKernel: RandomEffectsKernel {
    /// The largest p served; wider designs use ``GeneralDesignKernel``'s QR path.
    public static let maximumCoefficients = 8
    /// The largest accepted bound on the condition number of X̃ᵀAX̃ (κ₁(X̃ᵀX̃) times the spread of the weights):
    /// normal equations then keep about 8 of 16 digits in the worst case, and in practice (centred designs,
    /// κ ≈ 1–100) nearly all of them.
    static let conditionLimit = 1e8

    public private(set) var effects: [Double]
    public private(set) var variances: [Double]
    /// User weights a_i (> 0) for GENQ/GENQM, or nil.
    public private(set) var userWeights: [Double]?
    /// X̃ = X T, row-major k × p: column j is (X_j − shift_j)/scale_j.
    private var scaledRows: [Double]
    public let coefficientCount: Int
    private let shifts: [Double]
    private let scales: [Double]
    /// The all-ones column of X, if any (only then are the other columns centred).
    private let interceptColumn: Int?
    /// log det(XᵀAX) − log det(X̃ᵀAX̃) = 2 Σ log scale_j.
    private let logDetOffset: Double
    /// log det(XᵀX).
    public private(set) var logDetDesign: Double = .nan
    /// Whether X̃ᵀAX̃ is safely invertible for every weighting the estimators use (see ``conditionLimit``).
    public private(set) var isWellConditioned = false

    /// A kernel over (y, v, X[, a]); check ``isWellConditioned`` before relying on it.
    public init(effects: [Double], variances: [Double], design: Matrix, userWeights: [Double]? = nil) {
        let k = effects.count, p = design.columns
        precondition(variances.count == k && design.rows == k, "effects, variances and design rows must agree")
        precondition(userWeights.map { $0.count == k } ?? true, "user weights must have one entry per study")
        precondition(p >= 1 && p <= Self.maximumCoefficients, "SmallDesignKernel serves 1 ≤ p ≤ \(Self.maximumCoefficients)")
        self.effects = effects
        self.variances = variances
        self.userWeights = userWeights
        coefficientCount = p
        let intercept = (0..<p).first { j in (0..<k).allSatisfy { design[$0, j] == 1 } }
        interceptColumn = intercept
        var shifts = [Double](repeating: 0, count: p), scales = [Double](repeating: 1, count: p)
        for j in 0..<p where j != intercept {
            var mean = 0.0
            if intercept != nil {
                for i in 0..<k { mean += design[i, j] }
                mean /= Double(k)
            }
            var spread = 0.0
            for i in 0..<k { spread += (design[i, j] - mean) * (design[i, j] - mean) }
            spread = (spread / Double(k)).squareRoot()
            if spread > 0 && spread.isFinite {
                shifts[j] = mean
                scales[j] = spread
            }
        }
        self.shifts = shifts
        self.scales = scales
        logDetOffset = 2 * scales.reduce(0) { $0 + log($1) }
        var rows = [Double](repeating: 0, count: k * p)
        for i in 0..<k {
            for j in 0..<p { rows[i * p + j] = (design[i, j] - shifts[j]) / scales[j] }
        }
        scaledRows = rows
        refreshConditioning()
    }

    public var studyCount: Int { effects.count }
    public var hasUserWeights: Bool { userWeights != nil }

    // MARK: Reuse in resampling loops

    /// Sets study i's design row to row j of `source` (a kernel built from the same design, so with the same
    /// centring and scaling). A permutation of the rows leaves X̃ᵀX̃ unchanged, so ``refreshConditioning()`` is
    /// only needed when rows are drawn with replacement.
    @inline(__always)
    public mutating func setDesignRow(_ i: Int, from source: SmallDesignKernel, row j: Int) {
        let p = coefficientCount
        for c in 0..<p { scaledRows[i * p + c] = source.scaledRows[j * p + c] }
    }

    /// Sets study i to study j of `source`: effect, variance, user weight and design row.
    @inline(__always)
    public mutating func setStudy(_ i: Int, from source: SmallDesignKernel, study j: Int) {
        effects[i] = source.effects[j]
        variances[i] = source.variances[j]
        if userWeights != nil, let a = source.userWeights { userWeights![i] = a[j] }
        setDesignRow(i, from: source, row: j)
    }

    /// Sets study i's effect size.
    @inline(__always)
    public mutating func setEffect(_ i: Int, _ value: Double) { effects[i] = value }

    /// Recomputes ``isWellConditioned`` and ``logDetDesign`` after the rows changed (O(k p²), no allocation).
    public mutating func refreshConditioning() {
        let k = effects.count, p = coefficientCount, pp = p * p
        var spread = 1.0
        variances.withUnsafeBufferPointer { v in
            guard let low = v.min(), let high = v.max(), low > 0 else { spread = .infinity; return }
            spread = high / low
        }
        if let a = userWeights, let low = a.min(), let high = a.max() {
            spread = low > 0 ? max(spread, high / low) : .infinity
        }
        let result: (logDet: Double, condition: Double)? = withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * pp) { scratch in
            let g = scratch.baseAddress!, c = g + pp, work = c + pp
            for j in 0..<pp { g[j] = 0 }
            scaledRows.withUnsafeBufferPointer { xs in
                for i in 0..<k {
                    let x = xs.baseAddress! + i * p
                    for j in 0..<p {
                        for l in 0...j { g[j * p + l] += x[j] * x[l] }
                    }
                }
            }
            Self.symmetrize(g, p)
            var norm = 0.0
            for j in 0..<p {
                var s = 0.0
                for l in 0..<p { s += abs(g[j * p + l]) }
                norm = max(norm, s)
            }
            guard let logDet = Self.invert(g, into: c, work: work, p) else { return nil }
            var inverseNorm = 0.0
            for j in 0..<p {
                var s = 0.0
                for l in 0..<p { s += abs(c[j * p + l]) }
                inverseNorm = max(inverseNorm, s)
            }
            return (logDet, norm * inverseNorm)
        }
        guard let result, k > p else {
            isWellConditioned = false
            logDetDesign = .nan
            return
        }
        logDetDesign = result.logDet + logDetOffset
        isWellConditioned = result.condition * spread <= Self.conditionLimit
    }

    // MARK: Kernel queries

    public func fit(tauSquared t: Double, includingLikelihoodTerms: Bool) -> WeightedFit {
        let k = effects.count, p = coefficientCount, pp = p * p
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * pp + 2 * p) { scratch -> WeightedFit in
            let m1 = scratch.baseAddress!, m2 = m1 + pp, m3 = m2 + pp, c = m3 + pp, work = c + pp, b = work + pp, g = b + p
            for j in 0..<(5 * pp + 2 * p) { m1[j] = 0 }
            var s1 = 0.0, s2 = 0.0, logs = 0.0
            var q = 0.0, qpp = 0.0, swu2 = 0.0
            var logDet: Double?
            effects.withUnsafeBufferPointer { y in
                variances.withUnsafeBufferPointer { v in
                    scaledRows.withUnsafeBufferPointer { xs in
                        for i in 0..<k {
                            let w = 1 / (v[i] + t)
                            let w2 = w * w
                            s1 += w
                            s2 += w2
                            let x = xs.baseAddress! + i * p
                            for j in 0..<p {
                                let wx = w * x[j]
                                b[j] += wx * y[i]
                                for l in 0...j {
                                    let wxx = wx * x[l]
                                    m1[j * p + l] += wxx
                                    m2[j * p + l] += wxx * w
                                    m3[j * p + l] += wxx * w2
                                }
                            }
                        }
                        if includingLikelihoodTerms {
                            for i in 0..<k { logs += log(v[i] + t) }
                        }
                        Self.symmetrize(m2, p)
                        Self.symmetrize(m3, p)
                        logDet = Self.invert(m1, into: c, work: work, p)
                        guard logDet != nil else { return }
                        Self.multiply(c, b, into: work, p)  // β̃ in work[0..<p]
                        for i in 0..<k {
                            let x = xs.baseAddress! + i * p
                            var fitted = 0.0
                            for j in 0..<p { fitted += x[j] * work[j] }
                            let w = 1 / (v[i] + t)
                            let r = y[i] - fitted
                            let wr = w * r
                            q += wr * r
                            qpp += wr * wr
                            swu2 += w * wr * wr
                            for j in 0..<p { g[j] += w * wr * x[j] }
                        }
                    }
                }
            }
            guard let logDet else {
                return WeightedFit(tauSquared: t, sumOfWeights: s1, sumOfSquaredWeights: s2, residualQ: .nan, residualQPP: .nan,
                                   residualQPPP: .nan, traceP: .nan, tracePP: .nan, sumLogVariances: logs,
                                   logDetInformation: .nan, logDetDesign: logDetDesign)
            }
            let traceP = s1 - Self.traceOfProduct(c, m2, p)
            let tracePP = s2 - 2 * Self.traceOfProduct(c, m3, p) + Self.traceOfSquaredProduct(c, m2, work: work, p)
            return WeightedFit(tauSquared: t, sumOfWeights: s1, sumOfSquaredWeights: s2, residualQ: q, residualQPP: qpp,
                               residualQPPP: swu2 - Self.quadraticForm(c, g, p), traceP: traceP, tracePP: tracePP,
                               sumLogVariances: logs, logDetInformation: logDet + logDetOffset, logDetDesign: logDetDesign)
        }
    }

    public func generalizedQ(weights scheme: MomentWeights, sigmaTauSquared t: Double) -> GeneralizedQMoments {
        precondition(scheme != .user || userWeights != nil, "user weights requested but none were given")
        let k = effects.count, p = coefficientCount, pp = p * p
        let nan = GeneralizedQMoments(q: .nan, traceP: .nan, tracePV: .nan, tracePSigmaPSigma: .nan)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 8 * pp + p) { scratch -> GeneralizedQMoments in
            let ma = scratch.baseAddress!, ma2 = ma + pp, mv = ma2 + pp, ms = mv + pp, ms2 = ms + pp
            let c = ms2 + pp, work = c + pp, beta = work + pp, b = beta + pp
            for j in 0..<(8 * pp + p) { ma[j] = 0 }
            var sa = 0.0, sav = 0.0, sas2 = 0.0, q = 0.0
            var solved = false
            let user = userWeights ?? []
            effects.withUnsafeBufferPointer { y in
                variances.withUnsafeBufferPointer { v in
                    scaledRows.withUnsafeBufferPointer { xs in
                        @inline(__always) func weight(_ i: Int) -> Double {
                            switch scheme {
                            case let .inverseVariance(tau2): return 1 / (v[i] + tau2)
                            case .equal: return 1
                            case .user: return user[i]
                            }
                        }
                        for i in 0..<k {
                            let a = weight(i), s = v[i] + t
                            sa += a
                            sav += a * v[i]
                            sas2 += (a * s) * (a * s)
                            let x = xs.baseAddress! + i * p
                            for j in 0..<p {
                                let ax = a * x[j]
                                b[j] += ax * y[i]
                                for l in 0...j {
                                    let axx = ax * x[l]
                                    ma[j * p + l] += axx
                                    ma2[j * p + l] += axx * a
                                    mv[j * p + l] += axx * a * v[i]
                                    ms[j * p + l] += axx * a * s
                                    ms2[j * p + l] += axx * a * a * s * s
                                }
                            }
                        }
                        Self.symmetrize(ma2, p)
                        Self.symmetrize(mv, p)
                        Self.symmetrize(ms, p)
                        Self.symmetrize(ms2, p)
                        guard Self.invert(ma, into: c, work: work, p) != nil else { return }
                        solved = true
                        Self.multiply(c, b, into: beta, p)
                        for i in 0..<k {
                            let x = xs.baseAddress! + i * p
                            var fitted = 0.0
                            for j in 0..<p { fitted += x[j] * beta[j] }
                            let r = y[i] - fitted
                            q += weight(i) * r * r
                        }
                    }
                }
            }
            guard solved else { return nan }
            return GeneralizedQMoments(
                q: q, traceP: sa - Self.traceOfProduct(c, ma2, p), tracePV: sav - Self.traceOfProduct(c, mv, p),
                tracePSigmaPSigma: sas2 - 2 * Self.traceOfProduct(c, ms2, p) + Self.traceOfSquaredProduct(c, ms, work: work, p))
        }
    }

    /// Delegates to the QR path (the k × k eigen-decomposition dominates; GENQM only).
    public func generalizedQEigenvalues(weights scheme: MomentWeights, tauSquared t: Double, into eigenvalues: inout [Double]) {
        general.generalizedQEigenvalues(weights: scheme, tauSquared: t, into: &eigenvalues)
    }

    /// The same data as a QR-based kernel (X̃ spans the same columns).
    var general: GeneralDesignKernel {
        let k = effects.count, p = coefficientCount
        var x = Matrix(rows: k, columns: p)
        for i in 0..<k {
            for j in 0..<p { x[i, j] = scaledRows[i * p + j] }
        }
        return GeneralDesignKernel(effects: effects, variances: variances, design: x, userWeights: userWeights, smallDesignPath: false)
    }

    /// The design in the original coordinates (the rows currently loaded).
    public var design: Matrix {
        let k = effects.count, p = coefficientCount
        var x = Matrix(rows: k, columns: p)
        for i in 0..<k {
            for j in 0..<p {
                x[i, j] = scaledRows[i * p + j] * scales[j] + shifts[j]
            }
        }
        return x
    }

    /// The weighted least-squares fit with weights 1/(v_i + τ²) in the original coordinates: β̂ into
    /// `coefficients` (p entries), C = (XᵀWX)⁻¹ into `covariance` (p × p, row-major); returns YᵀPY, or nil when
    /// XᵀWX is numerically singular. No allocation.
    public func coefficients(tauSquared t: Double, coefficients: UnsafeMutablePointer<Double>,
                             covariance: UnsafeMutablePointer<Double>) -> Double? {
        let k = effects.count, p = coefficientCount, pp = p * p
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * pp + 2 * p) { scratch -> Double? in
            let m = scratch.baseAddress!, c = m + pp, work = c + pp, b = work + pp, betaTilde = b + p
            for j in 0..<(3 * pp + 2 * p) { m[j] = 0 }
            var q = 0.0
            var solved = false
            effects.withUnsafeBufferPointer { y in
                variances.withUnsafeBufferPointer { v in
                    scaledRows.withUnsafeBufferPointer { xs in
                        for i in 0..<k {
                            let w = 1 / (v[i] + t)
                            let x = xs.baseAddress! + i * p
                            for j in 0..<p {
                                let wx = w * x[j]
                                b[j] += wx * y[i]
                                for l in 0...j { m[j * p + l] += wx * x[l] }
                            }
                        }
                        guard Self.invert(m, into: c, work: work, p) != nil else { return }
                        solved = true
                        Self.multiply(c, b, into: betaTilde, p)
                        for i in 0..<k {
                            let x = xs.baseAddress! + i * p
                            var fitted = 0.0
                            for j in 0..<p { fitted += x[j] * betaTilde[j] }
                            let r = y[i] - fitted
                            q += r * r / (v[i] + t)
                        }
                    }
                }
            }
            guard solved else { return nil }
            // β = T β̃ and C = T C̃ Tᵀ for X̃ = X T: T_jj = 1/scale_j, T_0j = −shift_j/scale_j (0 the intercept column).
            @inline(__always) func transform(_ r: Int, _ col: Int) -> Double {
                var value = r == col ? 1 / scales[col] : 0
                if let intercept = interceptColumn, r == intercept, col != intercept { value -= shifts[col] / scales[col] }
                return value
            }
            for r in 0..<p {
                var s = 0.0
                for col in 0..<p { s += transform(r, col) * betaTilde[col] }
                coefficients[r] = s
            }
            // work = C̃ Tᵀ, then covariance = T work.
            for r in 0..<p {
                for col in 0..<p {
                    var s = 0.0
                    for l in 0..<p { s += c[r * p + l] * transform(col, l) }
                    work[r * p + col] = s
                }
            }
            for r in 0..<p {
                for col in 0..<p {
                    var s = 0.0
                    for l in 0..<p { s += transform(r, l) * work[l * p + col] }
                    covariance[r * p + col] = s
                }
            }
            return q
        }
    }

    /// ``coefficients(tauSquared:coefficients:covariance:)`` as arrays: β̂ and (XᵀWX)⁻¹; nil when singular.
    public func coefficientsAndCovariance(tauSquared t: Double) -> (coefficients: [Double], covariance: Matrix)? {
        let p = coefficientCount
        var beta = [Double](repeating: .nan, count: p), c = [Double](repeating: .nan, count: p * p)
        let q = beta.withUnsafeMutableBufferPointer { b in
            c.withUnsafeMutableBufferPointer { cov in coefficients(tauSquared: t, coefficients: b.baseAddress!, covariance: cov.baseAddress!) }
        }
        guard q != nil else { return nil }
        // Symmetric, so row-major storage reads as column-major.
        return (beta, Matrix(rows: p, columns: p, elements: c))
    }

    // MARK: p × p helpers (row-major, stack scratch)

    /// Copies the lower triangle to the upper.
    @inline(__always)
    static func symmetrize(_ m: UnsafeMutablePointer<Double>, _ p: Int) {
        for j in 0..<p {
            for l in 0..<j { m[l * p + j] = m[j * p + l] }
        }
    }

    /// Inverts the symmetric positive definite matrix whose lower triangle is in `a` (destroyed: it receives the
    /// Cholesky factor L) into `inverse` (full); returns log det, or nil when a pivot is not safely positive.
    static func invert(_ a: UnsafeMutablePointer<Double>, into inverse: UnsafeMutablePointer<Double>,
                       work: UnsafeMutablePointer<Double>, _ p: Int) -> Double? {
        var logDet = 0.0
        for j in 0..<p {
            let diagonal = a[j * p + j]
            var d = diagonal
            for l in 0..<j { d -= a[j * p + l] * a[j * p + l] }
            // A pivot that lost all but 12 digits of its diagonal means XᵀAX is singular to working precision.
            guard d.isFinite, d > 1e-12 * diagonal else { return nil }
            let root = d.squareRoot()
            a[j * p + j] = root
            logDet += 2 * log(root)
            for i in (j + 1)..<p {
                var s = a[i * p + j]
                for l in 0..<j { s -= a[i * p + l] * a[j * p + l] }
                a[i * p + j] = s / root
            }
        }
        // work = L⁻¹ (lower), by forward substitution on the columns of I.
        for j in 0..<p {
            for i in 0..<p {
                if i < j { work[i * p + j] = 0; continue }
                var s = i == j ? 1.0 : 0.0
                for l in j..<i { s -= a[i * p + l] * work[l * p + j] }
                work[i * p + j] = s / a[i * p + i]
            }
        }
        // (LLᵀ)⁻¹ = L⁻ᵀ L⁻¹.
        for j in 0..<p {
            for l in 0...j {
                var s = 0.0
                for m in j..<p { s += work[m * p + j] * work[m * p + l] }
                inverse[j * p + l] = s
                inverse[l * p + j] = s
            }
        }
        return logDet
    }

    @inline(__always)
    static func multiply(_ m: UnsafeMutablePointer<Double>, _ x: UnsafeMutablePointer<Double>,
                         into out: UnsafeMutablePointer<Double>, _ p: Int) {
        for j in 0..<p {
            var s = 0.0
            for l in 0..<p { s += m[j * p + l] * x[l] }
            out[j] = s
        }
    }

    /// tr(AB) for symmetric A, B.
    @inline(__always)
    static func traceOfProduct(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ p: Int) -> Double {
        var s = 0.0
        for j in 0..<(p * p) { s += a[j] * b[j] }
        return s
    }

    /// tr((AB)²) for symmetric A, B.
    static func traceOfSquaredProduct(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>,
                                      work: UnsafeMutablePointer<Double>, _ p: Int) -> Double {
        for j in 0..<p {
            for l in 0..<p {
                var s = 0.0
                for m in 0..<p { s += a[j * p + m] * b[m * p + l] }
                work[j * p + l] = s
            }
        }
        var s = 0.0
        for j in 0..<p {
            for l in 0..<p { s += work[j * p + l] * work[l * p + j] }
        }
        return s
    }

    /// gᵀCg.
    @inline(__always)
    static func quadraticForm(_ c: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>, _ p: Int) -> Double {
        var s = 0.0
        for j in 0..<p {
            for l in 0..<p { s += g[j] * c[j * p + l] * g[l] }
        }
        return s
    }
}
