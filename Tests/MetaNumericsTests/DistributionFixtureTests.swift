import Foundation
import MetaNumerics
import Testing

/// Reference values from `Fixtures/distributions.csv`, made once by `Fixtures/make_distributions.py`
/// with mpmath at 60 digits from the exact double inputs (see the script's header).
struct DistributionFixture {
    struct Row: Sendable, CustomStringConvertible {
        let function: String
        let p1: Double, p2: Double, x: Double, value: Double
        var description: String { "\(function)(\(p1), \(p2), \(x))" }
    }

    static let rows: [Row] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/distributions.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst(2).compactMap { line in
            let f = line.split(separator: ",").map(String.init)
            guard f.count == 5, let p1 = Double(f[1]), let p2 = Double(f[2]), let x = Double(f[3]),
                  let v = Double(f[4]) else { return nil }
            return Row(function: f[0], p1: p1, p2: p2, x: x, value: v)
        }
    }()

    static func evaluate(_ row: Row) -> Double? {
        let (a, b, x) = (row.p1, row.p2, row.x)
        switch row.function {
        case "logGamma": return logGamma(x)
        case "gammaP": return regularizedGammaP(a, x)
        case "gammaQ": return regularizedGammaQ(a, x)
        case "betaI": return incompleteBeta(a, b, x: x, y: 1 - x).p
        case "betaIc": return incompleteBeta(a, b, x: x, y: 1 - x).q
        case "normalCdf": return Normal.cdf(x)
        case "normalSurvival": return Normal.survival(x)
        case "normalDensity": return Normal.density(x)
        case "normalQuantile": return Normal.quantile(x)
        case "tCdf": return StudentT(degreesOfFreedom: a).cdf(x)
        case "tSurvival": return StudentT(degreesOfFreedom: a).survival(x)
        case "tDensity": return StudentT(degreesOfFreedom: a).density(x)
        case "tQuantile": return StudentT(degreesOfFreedom: a).quantile(x)
        case "chiSquaredCdf": return ChiSquared(degreesOfFreedom: a).cdf(x)
        case "chiSquaredSurvival": return ChiSquared(degreesOfFreedom: a).survival(x)
        case "chiSquaredDensity": return ChiSquared(degreesOfFreedom: a).density(x)
        case "chiSquaredQuantile": return ChiSquared(degreesOfFreedom: a).quantile(x)
        case "chiSquaredInverseSurvival": return ChiSquared(degreesOfFreedom: a).inverseSurvival(x)
        case "fCdf": return FisherF(numeratorDegreesOfFreedom: a, denominatorDegreesOfFreedom: b).cdf(x)
        case "fSurvival": return FisherF(numeratorDegreesOfFreedom: a, denominatorDegreesOfFreedom: b).survival(x)
        case "fDensity": return FisherF(numeratorDegreesOfFreedom: a, denominatorDegreesOfFreedom: b).density(x)
        case "fQuantile": return FisherF(numeratorDegreesOfFreedom: a, denominatorDegreesOfFreedom: b).quantile(x)
        default: return nil
        }
    }

    /// Relative error, or absolute error where the reference is 0.
    static func error(_ computed: Double, _ reference: Double) -> Double {
        if reference == 0 { return abs(computed) }
        return abs(computed - reference) / abs(reference)
    }
}

@Suite("Distributions against the mpmath fixture")
struct DistributionFixtureTests {
    @Test func fixtureIsPresent() {
        #expect(DistributionFixture.rows.count > 3000)
    }

    /// Allowed relative error for a reference value v (or probability p, for quantiles).
    ///
    /// 2e-14 plus 5e-16·|ln v|: a tail probability is exp(E) for an exponent E of size |ln v| that no
    /// double-precision method obtains with an absolute error much below ε·|ln v|, so far-tail values
    /// (v ≈ 1e-300, |ln v| ≈ 690) are held to ~4e-13 and central ones to 2e-14. Shape parameters below
    /// 0.1 (degrees of freedom below 0.2, which statistics does not use) get 100× more: the small-parameter
    /// series of DiDonato & Morris is not implemented.
    static func tolerance(_ row: DistributionFixture.Row) -> Double {
        let scale = row.function.hasSuffix("Quantile") || row.function.hasSuffix("InverseSurvival")
            ? min(row.x, 1 - row.x) : abs(row.value)
        let logScale = scale > 0 ? abs(log(scale)) : 0
        var tolerance = 2e-14 + 5e-16 * logScale
        let shapes = row.function.hasPrefix("beta") || row.function.hasPrefix("gamma") ? [row.p1, row.p2] : []
        if shapes.contains(where: { $0 > 0 && $0 < 0.1 }) { tolerance *= 100 }
        return tolerance
    }

    @Test func everyRowWithinTolerance() {
        var worst: [String: (Double, String)] = [:]
        var failures = 0
        for row in DistributionFixture.rows {
            guard let computed = DistributionFixture.evaluate(row) else {
                Issue.record("unknown function \(row.function)")
                continue
            }
            let e = DistributionFixture.error(computed, row.value)
            if !(e <= Self.tolerance(row)) {
                failures += 1
                if failures <= 20 { Issue.record("\(row): \(computed), reference \(row.value), relative error \(e)") }
            }
            if e > (worst[row.function]?.0 ?? -1) { worst[row.function] = (e, "\(row) = \(computed), ref \(row.value)") }
        }
        for (function, (e, at)) in worst.sorted(by: { $0.key < $1.key }) {
            print("worst relative error \(function): \(e)  at \(at)")
        }
        #expect(failures == 0)
    }
}

@Suite("Distributions: edges and published values")
struct DistributionEdgeTests {
    // The usual 95% critical values t(10), χ²(1), F(3, 27), solved with mpmath at 40 digits.
    @Test func publishedQuantiles() {
        #expect(abs(StudentT(degreesOfFreedom: 10).quantile(0.975) / 2.228138851986275 - 1) < 1e-14)
        #expect(abs(ChiSquared(degreesOfFreedom: 1).quantile(0.95) / 3.841458820694126 - 1) < 1e-14)
        #expect(abs(FisherF(numeratorDegreesOfFreedom: 3, denominatorDegreesOfFreedom: 27).quantile(0.95)
            / 2.9603513184112886 - 1) < 1e-14)
    }

    @Test func boundaries() {
        let t = StudentT(degreesOfFreedom: 4.5)
        #expect(t.quantile(0) == -.infinity && t.quantile(1) == .infinity && t.quantile(0.5) == 0)
        #expect(t.quantile(-0.1).isNaN && t.cdf(.nan).isNaN)
        #expect(t.cdf(-.infinity) == 0 && t.cdf(.infinity) == 1)
        let c = ChiSquared(degreesOfFreedom: 3)
        #expect(c.cdf(0) == 0 && c.survival(0) == 1 && c.quantile(0) == 0 && c.quantile(1) == .infinity)
        #expect(c.cdf(-1) == 0 && c.inverseSurvival(0) == .infinity)
        let f = FisherF(numeratorDegreesOfFreedom: 2, denominatorDegreesOfFreedom: 7)
        #expect(f.cdf(0) == 0 && f.survival(.infinity) == 0 && f.quantile(1) == .infinity)
        #expect(StudentT(degreesOfFreedom: .infinity).cdf(1.96) == Normal.cdf(1.96))
    }

    /// Quantile ∘ cdf returns the argument across fractional degrees of freedom.
    @Test(arguments: [0.3, 1.7, 2.5, 7.25, 63.5])
    func roundTrip(degreesOfFreedom nu: Double) {
        for p in [1e-12, 0.01, 0.2, 0.45, 0.5001, 0.8, 0.999] {
            let t = StudentT(degreesOfFreedom: nu)
            #expect(abs(t.cdf(t.quantile(p)) / p - 1) < 1e-13, "t(\(nu)) p=\(p)")
            let c = ChiSquared(degreesOfFreedom: nu)
            #expect(abs(c.cdf(c.quantile(p)) / p - 1) < 1e-13, "χ²(\(nu)) p=\(p)")
            let f = FisherF(numeratorDegreesOfFreedom: nu, denominatorDegreesOfFreedom: nu + 3)
            #expect(abs(f.cdf(f.quantile(p)) / p - 1) < 1e-13, "F(\(nu)) p=\(p)")
        }
    }
}
