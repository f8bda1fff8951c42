#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Brent's derivative-free methods: a root finder (bisection + secant + inverse quadratic interpolation)
/// and a minimiser (golden section + successive parabolic interpolation).
///
/// Both follow Brent (1973), *Algorithms for Minimization without Derivatives*, ch. 4 (ZERO) and ch. 5
/// (LOCALMIN): every step keeps a bracket, so they converge at least as fast as bisection / golden
/// section and superlinearly on smooth functions.
public enum Brent {
    /// A root found by ``root(lower:upper:expansion:absoluteTolerance:relativeTolerance:maxIterations:_:)``.
    public struct Root: Sendable, Equatable {
        /// The root estimate (the bracket end with the smaller |f|).
        public let x: Double
        /// f(x).
        public let value: Double
        /// The final bracket [lower, upper] around the root (its width is within the tolerance).
        public let lower: Double
        public let upper: Double
        /// Function evaluations used, including bracket expansion.
        public let evaluations: Int
    }

    /// How to widen [lower, upper] when f has the same sign at both ends.
    ///
    /// Each step moves the end with the smaller |f| outward by `factor` × the current width (Numerical
    /// Recipes §9.1, ZBRAC), never past `lowerLimit`/`upperLimit` (e.g. 0 for a variance).
    public struct Expansion: Sendable, Equatable {
        public var lowerLimit: Double
        public var upperLimit: Double
        public var factor: Double
        public var maxSteps: Int

        public init(lowerLimit: Double = -.infinity, upperLimit: Double = .infinity, factor: Double = 1.6,
                    maxSteps: Int = 60) {
            self.lowerLimit = lowerLimit
            self.upperLimit = upperLimit
            self.factor = factor
            self.maxSteps = maxSteps
        }
    }

    /// Which step an interpolation must beat (the one difference between Brent's published ZERO and the C
    /// `zeroin` behind R's `uniroot`).
    public enum StepRule: Sendable, Equatable {
        /// Brent (1973, ch. 4): an interpolated step is kept if it is under half the step before the last one.
        case brent1973
        /// netlib `zeroin.c` (R's `uniroot`): under half the last step. With a loose tolerance (metafor's
        /// `confint` uses 2⁻¹³-ish ones) the bound then equals R's to the bit; with a tight one both rules agree.
        case zeroin
    }

    /// Finds x with f(x) = 0 in [lower, upper].
    ///
    /// Converges when the bracket is narrower than 2·(absoluteTolerance + relativeTolerance·|x|) or
    /// f(x) = 0 exactly. With the defaults the root is found to within a few ulps.
    ///
    /// - Parameters:
    ///   - lower, upper: the starting interval; f(lower) and f(upper) must differ in sign unless
    ///     `expansion` is given.
    ///   - expansion: widen the interval until it brackets a root (nil: do not widen).
    ///   - absoluteTolerance, relativeTolerance: the convergence tolerance on x.
    ///   - maxIterations: limit on Brent iterations (after bracketing).
    ///   - rule: which step an interpolation must beat (``StepRule``).
    /// - Throws: ``NumericsError/noBracket(lower:upper:valueAtLower:valueAtUpper:)`` if no sign change is
    ///   found, ``NumericsError/nonFiniteValue(at:)`` if f returns NaN/∞,
    ///   ``NumericsError/didNotConverge(iterations:lastStep:)`` at the iteration limit, and rethrows f's errors.
    public static func root(
        lower: Double, upper: Double, expansion: Expansion? = nil,
        absoluteTolerance: Double = 0, relativeTolerance: Double = 2 * .ulpOfOne, maxIterations: Int = 200,
        rule: StepRule = .brent1973, _ f: (Double) throws -> Double
    ) throws -> Root {
        precondition(lower < upper, "Brent.root needs lower < upper")
        var evaluations = 0
        func evaluate(_ x: Double) throws -> Double {
            evaluations += 1
            let value = try f(x)
            guard value.isFinite else { throw NumericsError.nonFiniteValue(at: x) }
            return value
        }
        var a = lower, b = upper
        var fa = try evaluate(a), fb = try evaluate(b)
        if let expansion, (fa > 0) == (fb > 0), fa != 0, fb != 0 {
            var steps = 0
            while (fa > 0) == (fb > 0) && fa != 0 && fb != 0 && steps < expansion.maxSteps {
                let width = b - a
                let canLower = a > expansion.lowerLimit, canRaise = b < expansion.upperLimit
                if canLower && (abs(fa) < abs(fb) || !canRaise) {
                    a = max(expansion.lowerLimit, a - expansion.factor * width)
                    fa = try evaluate(a)
                } else if canRaise {
                    b = min(expansion.upperLimit, b + expansion.factor * width)
                    fb = try evaluate(b)
                } else {
                    break
                }
                steps += 1
            }
        }
        if fa == 0 { return Root(x: a, value: 0, lower: a, upper: a, evaluations: evaluations) }
        if fb == 0 { return Root(x: b, value: 0, lower: b, upper: b, evaluations: evaluations) }
        guard (fa > 0) != (fb > 0) else {
            throw NumericsError.noBracket(lower: a, upper: b, valueAtLower: fa, valueAtUpper: fb)
        }
        // Brent's ZERO: b is the best estimate, a the previous one, c the opposite end of the bracket.
        var c = a, fc = fa
        var d = b - a, e = d
        var lastStep = d
        for _ in 0..<maxIterations {
            let stepBefore = b - a  // the last step taken (zeroin's comparison step)
            if (fb > 0) == (fc > 0) {
                c = a; fc = fa
                d = b - a; e = d
            }
            if abs(fc) < abs(fb) {
                a = b; b = c; c = a
                fa = fb; fb = fc; fc = fa
            }
            let tolerance = 2 * .ulpOfOne * abs(b) + 0.5 * (absoluteTolerance + relativeTolerance * abs(b))
            let m = 0.5 * (c - b)
            if abs(m) <= tolerance || fb == 0 {
                return Root(x: b, value: fb, lower: min(b, c), upper: max(b, c), evaluations: evaluations)
            }
            let comparisonStep = rule == .zeroin ? stepBefore : e
            if abs(comparisonStep) >= tolerance && abs(fa) > abs(fb) {
                // Interpolate: secant when only two points are distinct, inverse quadratic otherwise.
                let s = fb / fa
                var p: Double, q: Double
                if a == c {
                    p = 2 * m * s
                    q = 1 - s
                } else {
                    let qa = fa / fc, r = fb / fc
                    p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                // Accept only if the step falls well inside the bracket and shrinks faster than bisection.
                if 2 * p < 3 * m * q - abs(tolerance * q) && p < abs(0.5 * comparisonStep * q) {
                    e = d
                    d = p / q
                } else {
                    d = m; e = m
                }
            } else {
                d = m; e = m
            }
            a = b; fa = fb
            switch rule {
            case .brent1973: b += abs(d) > tolerance ? d : (m > 0 ? tolerance : -tolerance)
            case .zeroin: b += abs(d) < tolerance ? (d > 0 ? tolerance : -tolerance) : d
            }
            lastStep = b - a
            fb = try evaluate(b)
        }
        throw NumericsError.didNotConverge(iterations: maxIterations, lastStep: lastStep)
    }

    /// A minimum found by ``minimum(lower:upper:absoluteTolerance:relativeTolerance:maxIterations:_:)``.
    public struct Minimum: Sendable, Equatable {
        public let x: Double
        public let value: Double
        public let iterations: Int
    }

    /// Minimises f on [lower, upper] (a local minimum; the global one if f is unimodal there).
    ///
    /// Brent's LOCALMIN: golden-section steps, replaced by parabolic interpolation when that is safe.
    /// Converges when x is known to within 2·(absoluteTolerance + relativeTolerance·|x|). The default
    /// relative tolerance √ε is the best attainable for a smooth minimum: f is flat to first order there,
    /// so f values cannot locate x more closely.
    ///
    /// - Throws: ``NumericsError/didNotConverge(iterations:lastStep:)``, ``NumericsError/nonFiniteValue(at:)``,
    ///   and f's errors.
    public static func minimum(
        lower: Double, upper: Double, absoluteTolerance: Double = 1e-12,
        relativeTolerance: Double = Double.ulpOfOne.squareRoot(), maxIterations: Int = 500,
        _ f: (Double) throws -> Double
    ) throws -> Minimum {
        precondition(lower < upper, "Brent.minimum needs lower < upper")
        let golden = 0.5 * (3 - 5.0.squareRoot())
        var a = lower, b = upper
        var x = a + golden * (b - a)
        var w = x, v = x
        var fx = try f(x)
        guard fx.isFinite else { throw NumericsError.nonFiniteValue(at: x) }
        var fw = fx, fv = fx
        var d = 0.0, e = 0.0
        for iteration in 0..<maxIterations {
            let middle = 0.5 * (a + b)
            let tolerance1 = relativeTolerance * abs(x) + absoluteTolerance / 3
            let tolerance2 = 2 * tolerance1
            if abs(x - middle) <= tolerance2 - 0.5 * (b - a) {
                return Minimum(x: x, value: fx, iterations: iteration)
            }
            var useGolden = true
            if abs(e) > tolerance1 {
                // Parabola through (v, fv), (w, fw), (x, fx).
                var r = (x - w) * (fx - fv)
                var q = (x - v) * (fx - fw)
                var p = (x - v) * q - (x - w) * r
                q = 2 * (q - r)
                if q > 0 { p = -p } else { q = -q }
                r = e
                e = d
                if abs(p) < abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x) {
                    d = p / q
                    let u = x + d
                    if u - a < tolerance2 || b - u < tolerance2 { d = x < middle ? tolerance1 : -tolerance1 }
                    useGolden = false
                }
            }
            if useGolden {
                e = (x < middle ? b : a) - x
                d = golden * e
            }
            let u = abs(d) >= tolerance1 ? x + d : x + (d > 0 ? tolerance1 : -tolerance1)
            let fu = try f(u)
            guard fu.isFinite else { throw NumericsError.nonFiniteValue(at: u) }
            if fu <= fx {
                if u < x { b = x } else { a = x }
                v = w; fv = fw
                w = x; fw = fx
                x = u; fx = fu
            } else {
                if u < x { a = u } else { b = u }
                if fu <= fw || w == x {
                    v = w; fv = fw
                    w = u; fw = fu
                } else if fu <= fv || v == x || v == w {
                    v = u; fv = fu
                }
            }
        }
        throw NumericsError.didNotConverge(iterations: maxIterations, lastStep: d)
    }
}
