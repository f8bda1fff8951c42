#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// A finite mixture of normal distributions Σⱼ πⱼ N(mⱼ, sⱼ²): the exact form (up to the quadrature over τ) of the
/// posterior of μ, of a new study's effect θ, and of each study's shrunken effect θᵢ in the normal–normal model,
/// since all three are conditionally normal given τ.
public struct NormalMixture: Sendable {
    /// Mixing weights (summing to 1), component means and standard deviations.
    public let weights: [Double]
    public let means: [Double]
    public let standardDeviations: [Double]

    init(weights: [Double], means: [Double], standardDeviations: [Double]) {
        self.weights = weights
        self.means = means
        self.standardDeviations = standardDeviations
    }

    /// E[X] = Σ πⱼ mⱼ.
    public var mean: Double {
        var total = 0.0
        for j in weights.indices { total += weights[j] * means[j] }
        return total
    }

    /// SD[X] = √(Σ πⱼ (sⱼ² + (mⱼ − E X)²)).
    public var standardDeviation: Double {
        let centre = mean
        var total = 0.0
        for j in weights.indices {
            let d = means[j] - centre
            total += weights[j] * (standardDeviations[j] * standardDeviations[j] + d * d)
        }
        return total.squareRoot()
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        var total = 0.0
        for j in weights.indices { total += weights[j] * Normal.cdf((x - means[j]) / standardDeviations[j]) }
        return min(max(total, 0), 1)
    }

    /// The density at x.
    public func density(_ x: Double) -> Double {
        var total = 0.0
        for j in weights.indices {
            let s = standardDeviations[j]
            total += weights[j] * Normal.density((x - means[j]) / s) / s
        }
        return total
    }

    /// The density's derivative at x: −Σ πⱼ φ(zⱼ) zⱼ / sⱼ².
    public func densityDerivative(_ x: Double) -> Double {
        var total = 0.0
        for j in weights.indices {
            let s = standardDeviations[j], z = (x - means[j]) / s
            total -= weights[j] * Normal.density(z) * z / (s * s)
        }
        return total
    }

    /// The p-quantile, 0 < p < 1: Newton's method on the CDF inside a bracket (falling back to bisection).
    /// - Throws: ``NumericsError`` if no bracket is found within 60 doublings or the iteration cap is reached.
    public func quantile(_ p: Double, start: Double? = nil) throws -> Double {
        precondition(p > 0 && p < 1)
        let centre = mean, spread = max(standardDeviation, Double.leastNormalMagnitude)
        var lower = centre - 8 * spread, upper = centre + 8 * spread
        var steps = 0
        while cdf(lower) > p && steps < 60 { lower = centre - 2 * (centre - lower); steps += 1 }
        while cdf(upper) < p && steps < 120 { upper = centre + 2 * (upper - centre); steps += 1 }
        let root = try SafeguardedNewton.root(lower: lower, upper: upper, start: start,
                                              absoluteTolerance: 0, relativeTolerance: 1e-15, maxIterations: 200) { x in
            (cdf(x) - p, density(x))
        }
        return root.x
    }

    /// The mode: the highest of the local maxima found on a grid over the central 99.8 %, each refined as a root
    /// of the density's derivative (Brent).
    public func mode() throws -> Double {
        let lower = try quantile(0.001), upper = try quantile(0.999)
        let n = 200
        var bestX = lower, bestDensity = -Double.infinity
        var previous = densityDerivative(lower)
        var x0 = lower
        for i in 1...n {
            let x1 = lower + (upper - lower) * Double(i) / Double(n)
            let current = densityDerivative(x1)
            if previous > 0 && current <= 0 {
                let root = current == 0 ? x1 : try Brent.root(lower: x0, upper: x1, maxIterations: 200) { densityDerivative($0) }.x
                let value = density(root)
                if value > bestDensity { bestDensity = value; bestX = root }
            }
            previous = current
            x0 = x1
        }
        return bestX
    }

    /// The shortest interval with probability `level` (a highest-density interval for a unimodal mixture).
    public func shortestInterval(level: Double) throws -> (lower: Double, upper: Double) {
        try ShortestInterval.solve(level: level, quantile: { try quantile($0) }, density: density,
                                   lowerSupport: nil, upperSupport: nil)
    }

    /// The central interval [Q((1 − level)/2), Q((1 + level)/2)].
    public func centralInterval(level: Double) throws -> (lower: Double, upper: Double) {
        (try quantile(0.5 * (1 - level)), try quantile(0.5 * (1 + level)))
    }
}

/// The shortest interval [a, b] with F(b) − F(a) = level: the shortest of a = Q(p), b = Q(p + level) with p solving
/// f(Q(p)) = f(Q(p + level)) (Brent; the stationarity condition of the length Q(p + level) − Q(p)), and, on a bounded
/// support, the intervals that start at its lower end or stop at its upper end (e.g. [0, Q(level)] for τ with its
/// mode at 0). Taking the shortest candidate also handles a Rhodes prior's integrable spike of density at τ = 0.
enum ShortestInterval {
    static func solve(level: Double, quantile: (Double) throws -> Double, density: (Double) -> Double,
                      lowerSupport: Double?, upperSupport: Double?) throws -> (lower: Double, upper: Double) {
        let slack = 1 - level
        var candidates: [(lower: Double, upper: Double)] = []
        if let lowerSupport { candidates.append((lowerSupport, try quantile(level))) }
        if let upperSupport { candidates.append((try quantile(slack), upperSupport)) }
        func gap(_ p: Double) throws -> Double { density(try quantile(p)) - density(try quantile(p + level)) }
        // Away from the ends the gap has its sign already at 1e-10 (the densities there are tiny), and the CDF can
        // still be inverted accurately.
        let edge = 1e-10
        if try gap(edge) < 0, try gap(slack - edge) > 0 {
            let p = try Brent.root(lower: edge, upper: slack - edge, absoluteTolerance: 1e-17, relativeTolerance: 1e-15,
                                   maxIterations: 300, gap).x
            candidates.append((try quantile(p), try quantile(p + level)))
        }
        guard let best = candidates.min(by: { $0.upper - $0.lower < $1.upper - $1.lower }) else {
            throw NumericsError.noBracket(lower: edge, upper: slack - edge, valueAtLower: try gap(edge), valueAtUpper: try gap(slack - edge))
        }
        return best
    }
}
