import MetaData
import MetaAnalysis
import Testing

/// Clopper–Pearson limits against R 4.2.2 `binom.test(x, n, conf.level = L)$conf.int` (printed with %.17g).
@Suite("ExactBinomialInterval")
struct ExactBinomialIntervalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let x: Int, n: Int, level: Double, lower: Double, upper: Double
        var testDescription: String { "\(x)/\(n) at \(level)%" }
    }

    static let cases = [
        Case(x: 17, n: 31, level: 95, lower: 0.36034232716081654, upper: 0.72683501399626493),
        Case(x: 0, n: 12, level: 95, lower: 0, upper: 0.26464846939705111),
        Case(x: 12, n: 12, level: 95, lower: 0.73535153060294889, upper: 1),
        Case(x: 61, n: 211, level: 95, lower: 0.22891919305316882, upper: 0.35531430900336858),
        Case(x: 1, n: 15, level: 95, lower: 0.0016864302413527026, upper: 0.31948456657830326),
        Case(x: 168, n: 231, level: 95, lower: 0.66499339119163259, upper: 0.78361612363547295),
        Case(x: 5, n: 14, level: 90, lower: 0.15271762238466305, upper: 0.60958513247008317),
    ]

    /// The F quantile is iterative, so the limits are compared at the iterative tolerance.
    @Test(arguments: cases) func matchesR(_ c: Case) throws {
        let ci = try ExactBinomialInterval(events: c.x, total: c.n, level: c.level)
        #expect(abs(ci.lower - c.lower) <= 1e-7 * max(1e-3, c.lower), "lower \(ci.lower) v \(c.lower)")
        #expect(abs(ci.upper - c.upper) <= 1e-7 * c.upper, "upper \(ci.upper) v \(c.upper)")
        #expect(ci.proportion == Double(c.x) / Double(c.n))
    }

    @Test func badCountsAreTypedErrors() {
        #expect(throws: InputError.self) { try ExactBinomialInterval(events: 5, total: 4) }
        #expect(throws: InputError.self) { try ExactBinomialInterval(events: -1, total: 4) }
        #expect(throws: InputError.self) { try ExactBinomialInterval(events: 1, total: 0) }
        #expect(throws: InputError.self) { try ExactBinomialInterval(events: 1, total: 4, level: 100) }
    }
}
