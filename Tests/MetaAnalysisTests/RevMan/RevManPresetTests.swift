import Foundation
import MetaAnalysis
import MetaData
import Testing

/// The `revman5` conventions reproduce RevMan 5's printed results of the fixture's data package
/// (Fleiss1993_CR.csv): outcome 1.1 by Mantel–Haenszel (Q around the MH estimate), outcome 1.2 by inverse variance,
/// each to the 8 decimals RevMan printed (P(Q) to 6: RevMan's χ² tail is ~7e-8 off the exact one, see
/// RevManImportTests).
@Suite("RevMan 5 preset")
struct RevManPresetTests {
    @Test(arguments: [1, 2])
    func reproducesRevMansPooledRows(outcome number: Int) throws {
        let o = try RevManFixture.review("Fleiss1993_CR.csv").outcome(comparison: 1, outcome: number)
        let revman = try #require(o.reported)
        let c = ToolConventions.revman5
        let a = number == 1
            ? try ConventionalAnalysis.fitMantelHaenszel(measure: .logOddsRatio, data: o.table(), conventions: c)
            : try {
                let es = try c.effectSizes(measure: .meanDifference, data: o.table())
                return try ConventionalAnalysis.fit(effectSizes: es.yi, standardErrors: es.vi.map { $0.squareRoot() }, conventions: c)
            }()
        let back: (Double) -> Double = number == 1 ? { exp($0) } : { $0 }
        let pairs: [(String, Double, Double?)] = [
            ("estimate", back(a.common.estimate), revman.estimate), ("CI start", back(a.common.lower), revman.ciLower),
            ("CI end", back(a.common.upper), revman.ciUpper), ("Q", a.q, revman.q), ("I²", 100 * a.iSquared, revman.iSquared),
            ("Z", abs(try #require(a.common.statistic)), revman.z), ("P(Z)", try #require(a.common.pValue), revman.pZ),
        ]
        for (name, x, printed) in pairs {
            let printed = try #require(printed, "RevMan's \(name) of 1.\(number)")
            #expect(agreesWithPrinted(x, printed), "1.\(number) \(name): ours \(x), RevMan \(printed)")
        }
        #expect(agreesWithPrinted(a.qPValue, try #require(revman.pQ), decimals: 6))
        #expect(Double(a.qDegreesOfFreedom) == revman.degreesOfFreedom)
        if number == 2 {
            let weights = try #require(a.commonWeights)
            let total = weights.reduce(0, +)
            let printed = [2.79315513, 38.61251498, 2.19316111, 31.92826572, 24.47290305]
            for (w, p) in zip(weights, printed) { #expect(agreesWithPrinted(100 * w / total, p), "weight \(w) vs \(p)") }
        }
    }

    /// The Q that RevMan 5's DerSimonian–Laird τ² starts from is the one around the MH estimate (Q.Cochrane), and
    /// that τ² then has no interval; the inverse-variance Q differs in the 7th digit.
    @Test func mantelHaenszelQFeedsDerSimonianLaird() throws {
        let o = try RevManFixture.review("Fleiss1993_CR.csv").outcome(comparison: 1, outcome: 1)
        let a = try ConventionalAnalysis.fitMantelHaenszel(measure: .logOddsRatio, data: o.table(), conventions: .revman5)
        let iv = try ConventionalAnalysis.fitMantelHaenszel(measure: .logOddsRatio, data: o.table(), conventions: .meta4.with(estimator: .restrictedMaximumLikelihood))
        // RevMan 5.0.23's full-precision Q in Fleiss1993.rm5.
        #expect(abs(a.q - 9.946055983220074) <= 1e-10 * 9.946055983220074)
        #expect(abs(iv.q - a.q) > 1e-7)
        #expect(a.tauSquaredLower == nil && a.tauSquaredUpper == nil)
        #expect(abs(a.iSquared - (a.q - 6) / a.q) <= 1e-15)
    }
}
