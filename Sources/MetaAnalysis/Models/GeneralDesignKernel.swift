#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// The random-effects kernel for a general design X (k × p, full column rank): meta-regression.
///
/// `fit` and `generalizedQ` go through ``SmallDesignKernel`` (normal equations on a centred, scaled design, no
/// allocation) when p ≤ 8 and that design is well-conditioned; otherwise, and for everything else,
/// every query is a weighted least-squares fit with diagonal weights A = diag(a), solved by QR of A^½X
/// (MetaNumerics' `QRFactorization`, so XᵀAX is never formed or inverted by hand). With C = (XᵀAX)⁻¹ and the
/// leverages h_i = a_i x_iᵀ C x_i of the hat matrix H = A^½ X C Xᵀ A^½, the projection
/// P_A = A − A X C Xᵀ A = A^½ (I − H) A^½ gives, for any diagonal S = diag(s):
///
///     tr(P_A)       = Σ a_i (1 − h_i)
///     tr(P_A S P_A S) = Σ (a_i s_i)² (1 − 2 h_i) + tr((C M)²),   M = Xᵀ diag(a_i² s_i) X
///
/// (expand tr((I − H) D (I − H) D) with D = A^½ S A^½), so no k × k matrix is needed except for the
/// eigenvalues that GENQM asks for. Viechtbauer (2005, section 2) defines P; Raudenbush (2009, section 16.4)
/// gives the mixed-effects meta-regression these quantities serve.
public struct GeneralDesignKernel: RandomEffectsKernel {
    /// Effect sizes y_i.
    public let effects: [Double]
    /// Sampling variances v_i (> 0).
    public let variances: [Double]
    /// The design X (k × p, full column rank: checked by the caller, e.g. `DesignMatrix`).
    public let design: Matrix
    /// User weights a_i (> 0) for GENQ/GENQM, or nil.
    public let userWeights: [Double]?
    /// log det(XᵀX), the constant of the restricted likelihood.
    public let logDetDesign: Double

    /// The allocation-free normal-equation path, when the design is narrow and well-conditioned enough for it
    /// (``SmallDesignKernel``); nil: every query goes through QR.
    let smallDesign: SmallDesignKernel?

    /// - Parameter smallDesignPath: whether `fit` and `generalizedQ` may use ``SmallDesignKernel`` (they do when
    ///   p ≤ 8 and the centred, scaled design is well-conditioned; any non-finite answer there falls back to QR).
    public init(effects: [Double], variances: [Double], design: Matrix, userWeights: [Double]? = nil, smallDesignPath: Bool = true) {
        precondition(effects.count == variances.count && design.rows == effects.count,
                     "effects, variances and design rows must agree")
        precondition(userWeights.map { $0.count == effects.count } ?? true, "user weights must have one entry per study")
        precondition(design.columns <= design.rows, "the design has more columns than rows")
        self.effects = effects
        self.variances = variances
        self.design = design
        self.userWeights = userWeights
        var small: SmallDesignKernel?
        if smallDesignPath, design.columns <= SmallDesignKernel.maximumCoefficients, design.columns < design.rows {
            let candidate = SmallDesignKernel(effects: effects, variances: variances, design: design, userWeights: userWeights)
            if candidate.isWellConditioned { small = candidate }
        }
        smallDesign = small
        logDetDesign = small?.logDetDesign
            ?? Self.projection(design: design, response: effects, weights: Array(repeating: 1, count: effects.count))
            .map { $0.logDetInformation } ?? .nan
    }

    public var studyCount: Int { effects.count }
    public var coefficientCount: Int { design.columns }
    public var hasUserWeights: Bool { userWeights != nil }

    /// The weighted least-squares fit with weights `a` (nil when the weighted design is numerically singular).
    public func projection(weights a: [Double]) -> WeightedProjection? {
        Self.projection(design: design, response: effects, weights: a)
    }

    /// The inverse-variance weights 1/(v_i + τ²).
    public func inverseVarianceWeights(tauSquared t: Double) -> [Double] {
        variances.map { 1 / ($0 + t) }
    }

    static func projection(design: Matrix, response: [Double], weights: [Double]) -> WeightedProjection? {
        let k = design.rows, p = design.columns
        var scaled = design
        var scaledResponse = response
        for i in 0..<k {
            let r = weights[i].squareRoot()
            scaledResponse[i] *= r
            for j in 0..<p { scaled[i, j] *= r }
        }
        // The caller has established full rank of X; with positive weights only an exact breakdown can remain.
        guard let qr = try? QRFactorization(scaled, rankTolerance: 0) else { return nil }
        let beta = qr.solve(scaledResponse)
        let c = qr.inverseGram()
        let fitted = design * beta
        let xc = design * c
        var leverages = [Double](repeating: 0, count: k)
        for i in 0..<k {
            var s = 0.0
            for j in 0..<p { s += xc[i, j] * design[i, j] }
            leverages[i] = weights[i] * s
        }
        let result = WeightedProjection(
            weights: weights, coefficients: beta, inverseInformation: c,
            residuals: zip(response, fitted).map { $0 - $1 }, leverages: leverages,
            logDetInformation: 2 * qr.logAbsDeterminantOfR, design: design)
        return result.isFinite ? result : nil
    }

    public func fit(tauSquared t: Double, includingLikelihoodTerms: Bool) -> WeightedFit {
        if let smallDesign {
            let f = smallDesign.fit(tauSquared: t, includingLikelihoodTerms: includingLikelihoodTerms)
            if f.residualQ.isFinite && f.tracePP.isFinite && f.residualQPPP.isFinite { return f }
        }
        let w = inverseVarianceWeights(tauSquared: t)
        var logs = 0.0, s1 = 0.0, s2 = 0.0
        for i in w.indices {
            if includingLikelihoodTerms { logs += log(variances[i] + t) }
            s1 += w[i]
            s2 += w[i] * w[i]
        }
        guard let f = projection(weights: w) else {
            return WeightedFit(tauSquared: t, sumOfWeights: s1, sumOfSquaredWeights: s2, residualQ: .nan, residualQPP: .nan,
                               residualQPPP: .nan, traceP: .nan, tracePP: .nan, sumLogVariances: logs, logDetInformation: .nan,
                               logDetDesign: logDetDesign)
        }
        // PY = W r; YᵀPPPY = uᵀPu with u = PY, and Pu = W(u − X C XᵀW u).
        var q = 0.0, qpp = 0.0
        var wu = [Double](repeating: 0, count: w.count)
        var u = [Double](repeating: 0, count: w.count)
        for i in w.indices {
            u[i] = w[i] * f.residuals[i]
            q += u[i] * f.residuals[i]
            qpp += u[i] * u[i]
            wu[i] = w[i] * u[i]
        }
        let bu = f.inverseInformation * design.multiplied(by: wu, transposingSelf: true)
        let xbu = design * bu
        var qppp = 0.0
        for i in w.indices { qppp += wu[i] * (u[i] - xbu[i]) }
        return WeightedFit(tauSquared: t, sumOfWeights: s1, sumOfSquaredWeights: s2, residualQ: q, residualQPP: qpp,
                           residualQPPP: qppp, traceP: f.traceP,
                           tracePP: f.traceOfSquare(scaledBy: Array(repeating: 1, count: w.count)),
                           sumLogVariances: logs, logDetInformation: f.logDetInformation, logDetDesign: logDetDesign)
    }

    private func weights(_ scheme: MomentWeights) -> [Double] {
        switch scheme {
        case let .inverseVariance(t): return inverseVarianceWeights(tauSquared: t)
        case .equal: return Array(repeating: 1, count: effects.count)
        case .user:
            precondition(userWeights != nil, "user weights requested but none were given")
            return userWeights!
        }
    }

    public func generalizedQ(weights scheme: MomentWeights, sigmaTauSquared t: Double) -> GeneralizedQMoments {
        if let smallDesign {
            let m = smallDesign.generalizedQ(weights: scheme, sigmaTauSquared: t)
            if m.q.isFinite && m.tracePV.isFinite && m.tracePSigmaPSigma.isFinite { return m }
        }
        let a = weights(scheme)
        guard let f = projection(weights: a) else { return GeneralizedQMoments(q: .nan, traceP: .nan, tracePV: .nan, tracePSigmaPSigma: .nan) }
        var q = 0.0, tracePV = 0.0
        for i in a.indices {
            q += a[i] * f.residuals[i] * f.residuals[i]
            tracePV += a[i] * variances[i] * (1 - f.leverages[i])
        }
        return GeneralizedQMoments(q: q, traceP: f.traceP, tracePV: tracePV,
                                   tracePSigmaPSigma: f.traceOfSquare(scaledBy: variances.map { $0 + t }))
    }

    /// The k − p positive eigenvalues of Σ^½ P_A Σ^½ (the other p are zero), from the symmetric
    /// eigen-decomposition of that k × k matrix.
    public func generalizedQEigenvalues(weights scheme: MomentWeights, tauSquared t: Double, into eigenvalues: inout [Double]) {
        eigenvalues.removeAll(keepingCapacity: true)
        let a = weights(scheme)
        let k = effects.count, p = design.columns
        guard k > p, let f = projection(weights: a) else { return }
        // Σ^½ P_A Σ^½ = Σ^½ A Σ^½ − (Σ^½ A X) C (Σ^½ A X)ᵀ.
        var b = design
        for i in 0..<k {
            let factor = (variances[i] + t).squareRoot() * a[i]
            for j in 0..<p { b[i, j] *= factor }
        }
        var m = b * f.inverseInformation.multiplied(by: b, transposingOther: true)
        for j in 0..<k {
            for i in 0..<k { m[i, j] = -m[i, j] }
            m[j, j] += a[j] * (variances[j] + t)
        }
        guard let decomposition = try? SymmetricEigenDecomposition(m) else { return }
        eigenvalues.append(contentsOf: decomposition.eigenvalues.suffix(k - p).map { max(0, $0) })
    }
}

/// One weighted least-squares fit β̂ = (XᵀAX)⁻¹XᵀAy with what the projection P_A = A − AX(XᵀAX)⁻¹XᵀA needs.
public struct WeightedProjection: Sendable {
    /// a_i.
    public let weights: [Double]
    /// β̂.
    public let coefficients: [Double]
    /// C = (XᵀAX)⁻¹.
    public let inverseInformation: Matrix
    /// y_i − x_iᵀβ̂.
    public let residuals: [Double]
    /// h_i = a_i x_iᵀ C x_i (they sum to p).
    public let leverages: [Double]
    /// log det(XᵀAX).
    public let logDetInformation: Double
    let design: Matrix

    var isFinite: Bool {
        coefficients.allSatisfy(\.isFinite) && inverseInformation.elements.allSatisfy(\.isFinite) && logDetInformation.isFinite
    }

    /// tr(P_A) = Σ a_i (1 − h_i).
    public var traceP: Double {
        var s = 0.0
        for i in weights.indices { s += weights[i] * (1 - leverages[i]) }
        return s
    }

    /// tr(P_A S P_A S) for S = diag(s) (see `GeneralDesignKernel`).
    public func traceOfSquare(scaledBy s: [Double]) -> Double {
        let k = design.rows, p = design.columns
        var diagonalPart = 0.0
        var scaledDesign = design
        for i in 0..<k {
            let d = weights[i] * s[i]
            diagonalPart += d * d * (1 - 2 * leverages[i])
            let factor = weights[i] * d
            for j in 0..<p { scaledDesign[i, j] *= factor }
        }
        let cm = inverseInformation * design.multiplied(by: scaledDesign, transposingSelf: true)
        var cross = 0.0
        for j in 0..<p {
            for l in 0..<p { cross += cm[j, l] * cm[l, j] }
        }
        return diagonalPart + cross
    }
}
