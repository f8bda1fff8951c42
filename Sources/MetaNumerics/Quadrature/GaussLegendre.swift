#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss–Legendre quadrature on [−1, 1]: ∫ f ≈ Σ wᵢ f(xᵢ), exact for polynomials of degree ≤ 2n − 1.
///
/// Nodes are the roots of the Legendre polynomial Pₙ, found by Newton's method from Tricomi's asymptotic
/// starting values cos(π(i − ¼)/(n + ½)) with Pₙ evaluated by the three-term recurrence
/// (k+1)Pₖ₊₁ = (2k+1)xPₖ − kPₖ₋₁; weights wᵢ = 2/((1 − xᵢ²)Pₙ′(xᵢ)²) (Abramowitz & Stegun 25.4.29).
public struct GaussLegendre: Sendable {
    /// Nodes in ascending order on [−1, 1].
    public let nodes: [Double]
    /// Weights (they sum to 2).
    public let weights: [Double]

    /// The n-point rule, 1 ≤ n ≤ 200.
    public init(count n: Int) {
        precondition(n >= 1 && n <= 200, "Gauss–Legendre needs 1 ≤ n ≤ 200 nodes")
        var nodes = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<((n + 1) / 2) {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            // Newton converges quadratically from Tricomi's start; 100 is a cap, never reached in practice.
            for _ in 0..<100 {
                let (p, dp) = Self.legendre(n, at: x)
                derivative = dp
                let step = p / dp
                x -= step
                if abs(step) <= 4 * Double.ulpOfOne { break }
            }
            derivative = Self.legendre(n, at: x).derivative
            let w = 2 / ((1 - x * x) * derivative * derivative)
            nodes[i] = -x; nodes[n - 1 - i] = x
            weights[i] = w; weights[n - 1 - i] = w
        }
        if n % 2 == 1 { nodes[n / 2] = 0 }
        self.nodes = nodes
        self.weights = weights
    }

    /// Pₙ(x) and Pₙ′(x) by the recurrence.
    static func legendre(_ n: Int, at x: Double) -> (value: Double, derivative: Double) {
        var previous = 1.0, current = x
        if n == 0 { return (1, 0) }
        for k in 1..<n {
            let next = (Double(2 * k + 1) * x * current - Double(k) * previous) / Double(k + 1)
            previous = current
            current = next
        }
        let derivative = Double(n) * (x * current - previous) / (x * x - 1)
        return (current, derivative)
    }

    /// ∫ₐᵇ f by this rule.
    public func integrate(from a: Double, to b: Double, _ f: (Double) throws -> Double) rethrows -> Double {
        let half = 0.5 * (b - a), middle = 0.5 * (a + b)
        var total = 0.0
        for (x, w) in zip(nodes, weights) { total += w * (try f(middle + half * x)) }
        return total * half
    }
}

/// Globally adaptive composite Gauss–Legendre quadrature of several integrands at once.
///
/// [a, b] is cut into panels; on each panel the n-point rule over the whole panel is compared with the
/// rule over its two halves, and |whole − halves| is the panel's error estimate (conservative: the halves'
/// value, which is kept, is ~2²ⁿ times more accurate for an analytic integrand). The panel with the largest
/// estimate (relative to each component's total) is bisected until the summed estimate of every component is
/// within `relativeTolerance` of its total (or `absoluteTolerance`), or `maxPanels` is reached. The result keeps
/// the final composite rule (its nodes and weights) so that a caller can integrate further functions on the same
/// nodes, as the Bayesian normal–normal model does to build its normal mixtures.
public enum AdaptiveGaussLegendre {
    /// A converged composite rule.
    public struct Result: Sendable {
        /// Accepted panels [lower, upper], in ascending order.
        public let panels: [(lower: Double, upper: Double)]
        /// The composite rule's nodes (ascending) and weights: Σ weights[j]·g(nodes[j]) ≈ ∫ g.
        public let nodes: [Double]
        public let weights: [Double]
        /// The integral of each component.
        public let integrals: [Double]
        /// The summed error estimate of each component.
        public let errorEstimates: [Double]
        /// Integrand evaluations (vector evaluations).
        public let evaluations: Int
    }

    private struct Panel {
        var lower: Double, upper: Double
        var values: [Double]
        var errors: [Double]
    }

    /// Integrates the `components` functions filled in by `f(x, &out)` over [a, b].
    ///
    /// - Throws: ``NumericsError/nonFiniteValue(at:)`` if an integrand is not finite, and
    ///   ``NumericsError/didNotConverge(iterations:lastStep:)`` if `maxPanels` is reached before the tolerance.
    public static func integrate(
        from a: Double, to b: Double, initialPanels: Int, rule: GaussLegendre = GaussLegendre(count: 20),
        components: Int, relativeTolerance: Double = 1e-13, absoluteTolerance: Double = 0, maxPanels: Int = 4000,
        _ f: (Double, inout [Double]) throws -> Void
    ) throws -> Result {
        precondition(a < b && initialPanels >= 1 && components >= 1)
        var evaluations = 0
        var buffer = [Double](repeating: 0, count: components)
        func apply(_ lower: Double, _ upper: Double) throws -> [Double] {
            var sum = [Double](repeating: 0, count: components)
            let half = 0.5 * (upper - lower), middle = 0.5 * (lower + upper)
            for (x, w) in zip(rule.nodes, rule.weights) {
                let t = middle + half * x
                try f(t, &buffer)
                evaluations += 1
                for c in 0..<components {
                    guard buffer[c].isFinite else { throw NumericsError.nonFiniteValue(at: t) }
                    sum[c] += w * half * buffer[c]
                }
            }
            return sum
        }
        func panel(_ lower: Double, _ upper: Double) throws -> Panel {
            let whole = try apply(lower, upper)
            let middle = 0.5 * (lower + upper)
            let left = try apply(lower, middle), right = try apply(middle, upper)
            var values = [Double](repeating: 0, count: components), errors = values
            for c in 0..<components {
                values[c] = left[c] + right[c]
                errors[c] = abs(values[c] - whole[c])
            }
            return Panel(lower: lower, upper: upper, values: values, errors: errors)
        }
        var panels: [Panel] = []
        let width = (b - a) / Double(initialPanels)
        for i in 0..<initialPanels {
            let lower = a + Double(i) * width, upper = i == initialPanels - 1 ? b : a + Double(i + 1) * width
            panels.append(try panel(lower, upper))
        }
        while true {
            var totals = [Double](repeating: 0, count: components), errors = totals
            for p in panels { for c in 0..<components { totals[c] += p.values[c]; errors[c] += p.errors[c] } }
            var worst = -1, worstScore = 0.0, converged = true
            for c in 0..<components where errors[c] > relativeTolerance * abs(totals[c]) + absoluteTolerance {
                converged = false
            }
            if converged || panels.count >= maxPanels {
                if !converged {
                    throw NumericsError.didNotConverge(iterations: panels.count, lastStep: errors.max() ?? .nan)
                }
                var nodes: [Double] = [], weights: [Double] = []
                nodes.reserveCapacity(panels.count * 2 * rule.nodes.count)
                weights.reserveCapacity(nodes.capacity)
                for p in panels {
                    let middle = 0.5 * (p.lower + p.upper)
                    for (lower, upper) in [(p.lower, middle), (middle, p.upper)] {
                        let half = 0.5 * (upper - lower), centre = 0.5 * (lower + upper)
                        for (x, w) in zip(rule.nodes, rule.weights) {
                            nodes.append(centre + half * x)
                            weights.append(w * half)
                        }
                    }
                }
                return Result(panels: panels.map { ($0.lower, $0.upper) }, nodes: nodes, weights: weights,
                              integrals: totals, errorEstimates: errors, evaluations: evaluations)
            }
            for (i, p) in panels.enumerated() {
                var score = 0.0
                for c in 0..<components {
                    let scale = relativeTolerance * abs(totals[c]) + absoluteTolerance
                    score = max(score, scale > 0 ? p.errors[c] / scale : (p.errors[c] > 0 ? .infinity : 0))
                }
                if score > worstScore { worstScore = score; worst = i }
            }
            let p = panels[worst]
            let middle = 0.5 * (p.lower + p.upper)
            panels.replaceSubrange(worst...worst, with: [try panel(p.lower, middle), try panel(middle, p.upper)])
        }
    }
}
