#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// The marginal log-likelihood of a binomial–normal model, −F(x) = Σᵢ log Lᵢ, over the parameter vector
/// x = (α₁ … α_k if the model has study intercepts, β, ω = log τ if τ is estimated), maximised by Newton's
/// method with a backtracking line search.
///
/// Study i depends only on (αᵢ, β, ω), so the Hessian is an arrowhead: a diagonal block for the αᵢ, their
/// columns against (β, ω), and a 2×2 block. Newton systems and the covariance of (β, ω) use its Schur
/// complement S = C − Σᵢ bᵢbᵢᵀ/dᵢ; (S⁻¹)_ββ is the variance of β̂ in the full model (the α block profiled
/// out exactly, not ignored). Derivatives of each Lᵢ are central differences of the quadrature value in its
/// 2–3 local parameters (errors ~1e-9 relative: each Lᵢ is smooth to rounding because the mode is solved
/// to 1e-13).
struct MarginalLikelihood {
    let studies: [ConditionalLikelihood]
    let quadrature: AdaptiveGaussHermite
    let hasStudyIntercepts: Bool
    let estimatesTau: Bool

    var globalCount: Int { estimatesTau ? 2 : 1 }
    var parameterCount: Int { (hasStudyIntercepts ? studies.count : 0) + globalCount }
    var betaIndex: Int { hasStudyIntercepts ? studies.count : 0 }

    /// Below this log τ the optimum is taken to be on the boundary τ = 0.
    static let boundaryLogTau = -12.0

    func local(_ x: [Double], _ i: Int) -> [Double] {
        var l: [Double] = []
        if hasStudyIntercepts { l.append(x[i]) }
        l.append(x[betaIndex])
        if estimatesTau { l.append(x[betaIndex + 1]) }
        return l
    }

    /// log Lᵢ at local parameters (α?, β, ω?).
    func studyLogLikelihood(_ i: Int, _ l: [Double]) -> AdaptiveGaussHermite.Result {
        var j = 0
        var alpha = 0.0
        if hasStudyIntercepts { alpha = l[0]; j = 1 }
        let beta = l[j]
        let tau = estimatesTau ? exp(l[j + 1]) : 0
        return quadrature.logLikelihood(studies[i], beta: beta, alpha: alpha, tau: tau)
    }

    func logLikelihood(_ x: [Double]) -> Double {
        var total = 0.0
        for i in studies.indices { total += studyLogLikelihood(i, local(x, i)).logLikelihood }
        return total
    }

    /// Per study: value, gradient and Hessian of log Lᵢ in its local parameters (central differences).
    func localDerivatives(_ i: Int, _ l: [Double]) -> (value: Double, gradient: [Double], hessian: [[Double]]) {
        let d = l.count
        let h = 1e-4
        func f(_ p: [Double]) -> Double { studyLogLikelihood(i, p).logLikelihood }
        let f0 = f(l)
        var gradient = [Double](repeating: 0, count: d)
        var hessian = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        var plus = [Double](repeating: 0, count: d), minus = plus
        for a in 0..<d {
            var p = l, m = l
            p[a] += h
            m[a] -= h
            plus[a] = f(p)
            minus[a] = f(m)
            gradient[a] = (plus[a] - minus[a]) / (2 * h)
            hessian[a][a] = (plus[a] - 2 * f0 + minus[a]) / (h * h)
        }
        for a in 0..<d {
            for b in (a + 1)..<d {
                var pp = l, pm = l, mp = l, mm = l
                pp[a] += h; pp[b] += h
                pm[a] += h; pm[b] -= h
                mp[a] -= h; mp[b] += h
                mm[a] -= h; mm[b] -= h
                let value = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * h * h)
                hessian[a][b] = value
                hessian[b][a] = value
            }
        }
        return (f0, gradient, hessian)
    }

    /// Gradient and arrowhead Hessian of F = −log L.
    struct Derivatives {
        var value: Double
        var gradient: [Double]
        /// ∂²F/∂αᵢ² and ∂²F/∂αᵢ∂(global).
        var diagonal: [Double]
        var cross: [[Double]]
        /// ∂²F/∂(global)².
        var global: [[Double]]
    }

    func derivatives(_ x: [Double]) -> Derivatives {
        let g = globalCount
        var out = Derivatives(value: 0, gradient: [Double](repeating: 0, count: parameterCount),
                              diagonal: [], cross: [],
                              global: [[Double]](repeating: [Double](repeating: 0, count: g), count: g))
        let offset = hasStudyIntercepts ? 1 : 0
        for i in studies.indices {
            let (v, grad, hess) = localDerivatives(i, local(x, i))
            out.value -= v
            if hasStudyIntercepts {
                out.gradient[i] -= grad[0]
                out.diagonal.append(-hess[0][0])
                out.cross.append((0..<g).map { -hess[0][offset + $0] })
            }
            for a in 0..<g {
                out.gradient[betaIndex + a] -= grad[offset + a]
                for b in 0..<g { out.global[a][b] -= hess[offset + a][offset + b] }
            }
        }
        return out
    }

    /// The Schur complement S = C − Σ bᵢbᵢᵀ/dᵢ (+ λ on every diagonal entry), or nil if not positive definite.
    func schur(_ d: Derivatives, shift lambda: Double) -> [[Double]]? {
        let g = globalCount
        var s = d.global
        for a in 0..<g { s[a][a] += lambda }
        for i in d.diagonal.indices {
            let di = d.diagonal[i] + lambda
            guard di > 0 else { return nil }
            for a in 0..<g { for b in 0..<g { s[a][b] -= d.cross[i][a] * d.cross[i][b] / di } }
        }
        guard s[0][0] > 0 else { return nil }
        if g == 2 { guard s[0][0] * s[1][1] - s[0][1] * s[1][0] > 0 else { return nil } }
        return s
    }

    static func invert(_ s: [[Double]]) -> [[Double]] {
        if s.count == 1 { return [[1 / s[0][0]]] }
        let det = s[0][0] * s[1][1] - s[0][1] * s[1][0]
        return [[s[1][1] / det, -s[0][1] / det], [-s[1][0] / det, s[0][0] / det]]
    }

    /// Solves (H + λI) δ = −g by block elimination.
    func newtonStep(_ d: Derivatives, shift lambda: Double) -> [Double]? {
        guard let s = schur(d, shift: lambda) else { return nil }
        let g = globalCount
        let sInv = Self.invert(s)
        var rhs = (0..<g).map { -d.gradient[betaIndex + $0] }
        for i in d.diagonal.indices {
            let ratio = -d.gradient[i] / (d.diagonal[i] + lambda)
            for a in 0..<g { rhs[a] -= d.cross[i][a] * ratio }
        }
        let globalStep = (0..<g).map { a in (0..<g).reduce(0) { $0 + sInv[a][$1] * rhs[$1] } }
        var step = [Double](repeating: 0, count: parameterCount)
        for i in d.diagonal.indices {
            let coupling = (0..<g).reduce(0) { $0 + d.cross[i][$1] * globalStep[$1] }
            step[i] = (-d.gradient[i] - coupling) / (d.diagonal[i] + lambda)
        }
        for a in 0..<g { step[betaIndex + a] = globalStep[a] }
        return step
    }

    struct Maximum {
        var x: [Double]
        var logLikelihood: Double
        var iterations: Int
        var gradientNorm: Double
        /// Covariance of the global parameters (β, ω) from the inverse Hessian.
        var globalCovariance: [[Double]]
        var converged: Bool
    }

    /// Maximises log L from `start`.
    func maximize(from start: [Double], maxIterations: Int = 200) -> Maximum {
        var x = start
        var d = derivatives(x)
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            var lambda = 0.0
            var step = newtonStep(d, shift: 0)
            let scale = max(1e-8, d.diagonal.map(abs).max() ?? 0, d.global[0][0])
            while step == nil, lambda < 1e12 * scale {
                lambda = lambda == 0 ? 1e-8 * scale : lambda * 10
                step = newtonStep(d, shift: lambda)
            }
            guard var delta = step else { break }
            let largest = delta.map(abs).max() ?? 0
            if largest > 3 { delta = delta.map { $0 * 3 / largest } }
            let slope = zip(d.gradient, delta).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var candidate = x
            var fCandidate = Double.infinity
            for _ in 0..<50 {
                candidate = zip(x, delta).map { $0 + t * $1 }
                if estimatesTau { candidate[betaIndex + 1] = max(candidate[betaIndex + 1], Self.boundaryLogTau - 1) }
                fCandidate = -logLikelihood(candidate)
                if fCandidate <= d.value + 1e-4 * t * min(slope, 0) + 1e-12 * abs(d.value) { break }
                t *= 0.5
            }
            let moved = zip(candidate, x).map { abs($0 - $1) }.max() ?? 0
            guard fCandidate.isFinite, fCandidate <= d.value + 1e-10 * abs(d.value) else {
                // No descent left: at the optimum to rounding if the gradient is already tiny.
                converged = gradientNorm(d) < 1e-5
                break
            }
            x = candidate
            d = derivatives(x)
            let decrement = -slope
            if (moved < 1e-10 && gradientNorm(d) < 1e-4) || (decrement >= 0 && decrement < 1e-16 * max(1, abs(d.value))) {
                converged = true
                break
            }
            if estimatesTau, x[betaIndex + 1] < Self.boundaryLogTau { break }
        }
        let s = schur(d, shift: 0)
        return Maximum(x: x, logLikelihood: -d.value, iterations: iterations, gradientNorm: gradientNorm(d),
                       globalCovariance: s.map(Self.invert) ?? [], converged: converged && s != nil)
    }

    func gradientNorm(_ d: Derivatives) -> Double { d.gradient.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
