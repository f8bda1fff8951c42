import Foundation
import MetaNumerics
import Testing

@Suite("Brent root finder")
struct BrentRootTests {
    // cos x = x: the Dottie number 0.73908513321516064165… (mpmath.findroot at 30 digits agrees).
    @Test func dottieNumber() throws {
        let root = try Brent.root(lower: 0, upper: 1) { cos($0) - $0 }
        #expect(abs(root.x - 0.7390851332151607) <= 2e-16)
        #expect(root.evaluations < 15)
    }

    // Wallis's cubic x³ − 2x − 5 = 0 (the example of Newton's method since 1685): 2.09455148154232659148…
    @Test func wallisCubic() throws {
        let root = try Brent.root(lower: 2, upper: 3) { $0 * $0 * $0 - 2 * $0 - 5 }
        #expect(abs(root.x - 2.0945514815423265) <= 9e-16)  // 2 ulps
        #expect(root.lower <= root.x && root.x <= root.upper)
    }

    @Test func expandsBracketUpward() throws {
        let root = try Brent.root(lower: 0, upper: 1, expansion: .init(lowerLimit: 0)) { log($0 + 1) - 5 }
        #expect(abs(root.x - (exp(5) - 1)) <= 1e-13 * exp(5))
    }

    @Test func noBracketWithinLimits() {
        #expect(throws: NumericsError.self) {
            _ = try Brent.root(lower: 0, upper: 1, expansion: .init(lowerLimit: 0, upperLimit: 10)) { $0 + 1 }
        }
        do {
            _ = try Brent.root(lower: 0, upper: 1) { _ in 2.0 }
            Issue.record("expected noBracket")
        } catch let error as NumericsError {
            #expect(error == .noBracket(lower: 0, upper: 1, valueAtLower: 2, valueAtUpper: 2))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func nonFiniteValueIsAnError() {
        #expect(throws: NumericsError.nonFiniteValue(at: -1)) {
            _ = try Brent.root(lower: -1, upper: 1) { log($0) }
        }
    }

    // R 4.2.2's uniroot (netlib zeroin.c) at loose tolerances, printed with %.17g: the zeroin rule reproduces its
    // root to the bit (metafor's confint bounds rely on this).
    @Test func zeroinMatchesUnirootOnWallisCubic() throws {
        func f(_ x: Double) -> Double { x * x * x - 2 * x - 5 }
        let root = try Brent.root(lower: 2, upper: 3, absoluteTolerance: 1e-4, relativeTolerance: 0, rule: .zeroin, f)
        #expect(root.x == 2.0945512665841388)
    }

    @Test func zeroinMatchesUnirootAtMetaforsTolerance() throws {
        func f(_ x: Double) -> Double {
            let decreasing: Double = 1 / (1 + x) - 0.05
            return decreasing - 0.01 * x.squareRoot()
        }
        let tolerance: Double = pow(Double.ulpOfOne, 0.25)
        let root = try Brent.root(lower: 0, upper: 100, absoluteTolerance: tolerance, relativeTolerance: 0, rule: .zeroin, f)
        #expect(root.x == 11.019797075970542)
    }

    @Test func iterationLimit() {
        #expect(throws: NumericsError.self) {
            _ = try Brent.root(lower: 0, upper: 10, maxIterations: 2) { pow($0 - 3.3, 3) }
        }
    }
}

@Suite("Brent minimiser")
struct BrentMinimumTests {
    @Test func parabola() throws {
        let m = try Brent.minimum(lower: -5, upper: 10) { ($0 - 2) * ($0 - 2) + 1 }
        #expect(abs(m.x - 2) < 1e-7 && abs(m.value - 1) < 1e-14)
    }

    // cos has its minimum at π on [3, 4].
    @Test func cosineMinimumIsPi() throws {
        let m = try Brent.minimum(lower: 3, upper: 4, absoluteTolerance: 1e-14, relativeTolerance: 1e-10) { cos($0) }
        #expect(abs(m.x - Double.pi) < 1e-7)
        #expect(abs(m.value + 1) < 1e-15)
    }

    // x⁴ − 3x: minimum at (3/4)^(1/3).
    @Test func quartic() throws {
        let m = try Brent.minimum(lower: 0, upper: 3) { $0 * $0 * $0 * $0 - 3 * $0 }
        #expect(abs(m.x - pow(0.75, 1.0 / 3)) < 1e-7)
    }

    @Test func iterationLimit() {
        #expect(throws: NumericsError.self) {
            _ = try Brent.minimum(lower: -5, upper: 10, maxIterations: 3) { ($0 - 2) * ($0 - 2) }
        }
    }
}

@Suite("Safeguarded Newton / Fisher scoring")
struct SafeguardedNewtonTests {
    @Test func squareRootOfTwo() throws {
        let root = try SafeguardedNewton.root(lower: 0, upper: 2) { ($0 * $0 - 2, 2 * $0) }
        #expect(abs(root.x - 2.0.squareRoot()) <= 4e-16)
        #expect(root.iterations <= 8 && root.bisections == 0)
    }

    // Newton on atan diverges from |x| > 1.39; the bracket forces bisection until it is safe.
    @Test func fallsBackToBisection() throws {
        let root = try SafeguardedNewton.root(lower: -10, upper: 20, start: 15) { (atan($0), 1 / (1 + $0 * $0)) }
        #expect(abs(root.x) <= 1e-13)
        #expect(root.bisections > 0)
    }

    // Fisher scoring for a Poisson mean: U(λ) = s/λ − n, I(λ) = n/λ; the MLE is s/n.
    @Test func fisherScoringPoissonMean() throws {
        let s = 17.0, n = 5.0
        let root = try SafeguardedNewton.root(lower: 1e-3, upper: 100, start: 1) { lambda in
            (s / lambda - n, -(n / lambda))
        }
        #expect(abs(root.x - 3.4) <= 1e-13 * 3.4)
    }

    @Test func typedFailures() {
        #expect(throws: NumericsError.noBracket(lower: 1, upper: 2, valueAtLower: -2, valueAtUpper: -1)) {
            _ = try SafeguardedNewton.root(lower: 1, upper: 2) { ($0 - 3, 1) }
        }
        #expect(throws: NumericsError.self) {
            _ = try SafeguardedNewton.root(lower: 0, upper: 2, maxIterations: 1) { ($0 * $0 - 2, 2 * $0) }
        }
    }
}
