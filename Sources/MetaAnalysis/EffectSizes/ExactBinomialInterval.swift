import MetaData
import MetaNumerics

/// The exact (Clopper–Pearson 1934) confidence interval for a binomial proportion x/n: the proportions p for
/// which a one-sided binomial test at α/2 does not reject. Through the beta–F relation (Leemis & Trivedi 1996):
///
///     lower = x / (x + (n − x + 1) · F₁₋α/₂(2(n − x + 1), 2x)),                   lower = 0 when x = 0
///     upper = (x + 1) F₁₋α/₂(2(x + 1), 2(n − x)) / (n − x + (x + 1) F₁₋α/₂(2(x + 1), 2(n − x))),   upper = 1 when x = n
///
/// It never falls below its nominal coverage, so it is the interval for a single arm's rate (R's `binom.test`).
public struct ExactBinomialInterval: Sendable, Equatable {
    public let events: Int
    public let total: Int
    /// Confidence level in percent.
    public let level: Double
    public let proportion: Double
    public let lower: Double
    public let upper: Double

    /// - Throws: `InputError.invalidOption` unless 0 ≤ events ≤ total, total ≥ 1 and 0 < level < 100.
    public init(events: Int, total: Int, level: Double = 95) throws(InputError) {
        guard total >= 1, events >= 0, events <= total else {
            throw .invalidOption(name: "events/total", value: "\(events)/\(total)", expected: "0 ≤ events ≤ total and total ≥ 1")
        }
        guard level > 0, level < 100, level.isFinite else {
            throw .invalidOption(name: "level", value: "\(level)", expected: "a confidence level between 0 and 100 (percent)")
        }
        let x = Double(events), n = Double(total)
        let upperTail = 1 - (1 - level / 100) / 2
        self.events = events
        self.total = total
        self.level = level
        proportion = x / n
        if events == 0 {
            lower = 0
        } else {
            let f = FisherF(numeratorDegreesOfFreedom: 2 * (n - x + 1), denominatorDegreesOfFreedom: 2 * x).quantile(upperTail)
            lower = x / (x + (n - x + 1) * f)
        }
        if events == total {
            upper = 1
        } else {
            let f = FisherF(numeratorDegreesOfFreedom: 2 * (x + 1), denominatorDegreesOfFreedom: 2 * (n - x)).quantile(upperTail)
            upper = (x + 1) * f / (n - x + (x + 1) * f)
        }
    }
}
