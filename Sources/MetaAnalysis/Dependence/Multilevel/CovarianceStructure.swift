#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The covariance G of the correlated random effects of a term `~ inner | outer` over the inner levels
/// (metafor's `struct`); raw values are metafor's codes.
public enum CovarianceStructure: String, CaseIterable, Sendable, Codable {
    /// Compound symmetry: one τ², one ρ.
    case compoundSymmetry = "CS"
    /// Heteroscedastic compound symmetry: τ² per level, one ρ.
    case heteroscedasticCompoundSymmetry = "HCS"
    /// Unstructured: τ² per level, ρ per pair (G positive semidefinite).
    case unstructured = "UN"
    /// First-order autoregressive over numeric inner values: one τ², ρ^|tᵢ − tⱼ|.
    case autoregressive = "AR"
    /// Heteroscedastic AR(1): τ² per level, ρ^|tᵢ − tⱼ|.
    case heteroscedasticAutoregressive = "HAR"
    /// Diagonal: τ² per level, ρ = 0.
    case diagonal = "DIAG"
    /// Identity: one τ², ρ = 0.
    case identity = "ID"

    /// Whether τ² differs by inner level.
    public var isHeteroscedastic: Bool { [.heteroscedasticCompoundSymmetry, .unstructured, .heteroscedasticAutoregressive, .diagonal].contains(self) }
    /// Whether the inner values must be numbers (times).
    public var needsNumericInner: Bool { self == .autoregressive || self == .heteroscedasticAutoregressive }

    /// The number of τ² and of ρ parameters for `levels` inner levels.
    func counts(levels l: Int) -> (tau: Int, rho: Int) {
        switch self {
        case .compoundSymmetry, .autoregressive: return (1, 1)
        case .heteroscedasticCompoundSymmetry, .heteroscedasticAutoregressive: return (l, 1)
        case .unstructured: return (l, l * (l - 1) / 2)
        case .diagonal: return (l, 0)
        case .identity: return (1, 0)
        }
    }
}

/// How one term's parameters map to its G (L × L, row-major), with exact first and second derivatives.
/// Homoscedastic structures use θ = (τ², ρ…) and G = τ² R(ρ); heteroscedastic correlated ones use the standard
/// deviations θ = (τ₁…τ_L, ρ…) and G = diag(τ) R(ρ) diag(τ), smooth in θ everywhere; DIAG uses (τ²₁…τ²_L).
struct TermParameterization: Sendable {
    enum Kind: Sendable { case scaled, heteroscedastic, diagonal }
    enum Correlation: Sendable { case none, compound, unstructured, autoregressive([Double]) }
    enum ParameterKind: Sendable, Equatable { case variance, standardDeviation, correlation }

    let kind: Kind
    let correlation: Correlation
    let levels: Int

    init(structure: CovarianceStructure?, levels: Int, times: [Double]) {
        self.levels = levels
        switch structure {
        case nil, .identity?: kind = .scaled; correlation = .none
        case .compoundSymmetry?: kind = .scaled; correlation = .compound
        case .autoregressive?: kind = .scaled; correlation = .autoregressive(times)
        case .heteroscedasticCompoundSymmetry?: kind = .heteroscedastic; correlation = .compound
        case .unstructured?: kind = .heteroscedastic; correlation = .unstructured
        case .heteroscedasticAutoregressive?: kind = .heteroscedastic; correlation = .autoregressive(times)
        case .diagonal?: kind = .diagonal; correlation = .none
        }
    }

    var tauCount: Int { kind == .scaled ? 1 : levels }
    var rhoCount: Int {
        switch correlation {
        case .none: return 0
        case .compound, .autoregressive: return 1
        case .unstructured: return levels * (levels - 1) / 2
        }
    }
    var parameterCount: Int { tauCount + rhoCount }
    var parameterKinds: [ParameterKind] {
        Array(repeating: kind == .heteroscedastic ? .standardDeviation : .variance, count: tauCount)
            + Array(repeating: .correlation, count: rhoCount)
    }

    /// The index of the ρ of pair (a, b), a < b, in the unstructured order (1,2), (1,3), …, (2,3), …
    func pairIndex(_ a: Int, _ b: Int) -> Int {
        let (i, j) = (min(a, b), max(a, b))
        return i * levels - i * (i + 1) / 2 + (j - i - 1)
    }

    /// R_ab and its derivatives in the ρ parameters (k, m index ρ within the term).
    private func r(_ a: Int, _ b: Int, _ rho: [Double]) -> (value: Double, d1: [(Int, Double)], d2: [(Int, Int, Double)]) {
        if a == b { return (1, [], []) }
        switch correlation {
        case .none: return (0, [], [])
        case .compound: return (rho[0], [(0, 1)], [])
        case .unstructured: let k = pairIndex(a, b); return (rho[k], [(k, 1)], [])
        case let .autoregressive(t):
            let d = abs(t[a] - t[b])
            let p = rho[0]
            let v = pow(p, d)
            let d1 = d == 0 ? 0 : d * pow(p, d - 1)
            let d2 = (d == 0 || d == 1) ? 0 : d * (d - 1) * pow(p, d - 2)
            return (v, [(0, d1)], [(0, 0, d2)])
        }
    }

    /// G, ∂G/∂θⱼ and the nonzero ∂²G/∂θⱼ∂θₗ (j ≤ l) at θ.
    func matrices(_ theta: [Double]) -> (g: [Double], d1: [[Double]], d2: [(Int, Int, [Double])]) {
        let l = levels, n = parameterCount, t = tauCount
        var g = [Double](repeating: 0, count: l * l)
        var d1 = [[Double]](repeating: [Double](repeating: 0, count: l * l), count: n)
        var d2: [Int: [Double]] = [:]
        func add2(_ j: Int, _ k: Int, _ at: Int, _ v: Double) {
            guard v != 0 else { return }
            let key = min(j, k) * n + max(j, k)
            d2[key, default: [Double](repeating: 0, count: l * l)][at] += v
        }
        let rho = Array(theta[t...])
        for a in 0..<l {
            for b in 0..<l {
                let at = a * l + b
                let (rv, rd1, rd2) = r(a, b, rho)
                switch kind {
                case .diagonal:
                    if a == b { g[at] = theta[a]; d1[a][at] = 1 }
                case .scaled:
                    let s = theta[0]
                    g[at] = s * rv
                    d1[0][at] = rv
                    for (k, v) in rd1 { d1[t + k][at] += s * v; add2(0, t + k, at, v) }
                    for (k, m, v) in rd2 { add2(t + k, t + m, at, s * v) }
                case .heteroscedastic:
                    let ta = theta[a], tb = theta[b]
                    g[at] = ta * tb * rv
                    d1[a][at] += tb * rv
                    d1[b][at] += ta * rv
                    if a == b { add2(a, a, at, 2 * rv) } else { add2(a, b, at, rv) }
                    for (k, v) in rd1 {
                        d1[t + k][at] += ta * tb * v
                        add2(a, t + k, at, tb * v)
                        add2(b, t + k, at, ta * v)
                    }
                    for (k, m, v) in rd2 { add2(t + k, t + m, at, ta * tb * v) }
                }
            }
        }
        return (g, d1, d2.keys.sorted().map { ($0 / n, $0 % n, d2[$0]!) })
    }

    /// τ² per level (one value for homoscedastic structures) and the ρ values, from θ.
    func reported(_ theta: [Double]) -> (tau2: [Double], rho: [Double]) {
        let t = tauCount
        let tau2 = kind == .heteroscedastic ? theta[0..<t].map { $0 * $0 } : Array(theta[0..<t])
        return (tau2, Array(theta[t...]))
    }
}
