/// The number needed to treat for one more responder (or remitter), from a risk difference and its CI.
///
/// NNT = 1/|RD|: a benefit (NNTB) when RD > 0 for a desirable outcome, a harm (NNTH) when RD < 0. Its interval
/// is the reciprocal of the RD interval. When that interval includes zero the NNT interval passes through
/// infinity and is written "NNTB a to ∞ to NNTH b" (Altman 1998, BMJ 317:1309), a = 1/RD_upper, b = 1/|RD_lower|.
public struct NumberNeededToTreat: Sendable, Equatable, CustomStringConvertible {
    public enum Direction: String, Sendable, Equatable {
        case benefit = "NNTB"
        case harm = "NNTH"
    }

    /// The interval: both ends of one kind, or through infinity.
    public enum Interval: Sendable, Equatable {
        case bounded(lower: Double, upper: Double, direction: Direction)
        /// NNTB `benefit` to ∞ to NNTH `harm` (either may be infinite when an RD bound is exactly 0).
        case throughInfinity(benefit: Double, harm: Double)
    }

    public var riskDifference: Double
    public var riskDifferenceLower: Double
    public var riskDifferenceUpper: Double

    public init(riskDifference: Double, lower: Double, upper: Double) {
        self.riskDifference = riskDifference
        self.riskDifferenceLower = lower
        self.riskDifferenceUpper = upper
    }

    /// 1/|RD| (∞ when RD = 0).
    public var value: Double { 1 / abs(riskDifference) }
    public var direction: Direction { riskDifference >= 0 ? .benefit : .harm }

    public var interval: Interval {
        if riskDifferenceLower > 0 {
            return .bounded(lower: 1 / riskDifferenceUpper, upper: 1 / riskDifferenceLower, direction: .benefit)
        }
        if riskDifferenceUpper < 0 {
            return .bounded(lower: 1 / abs(riskDifferenceLower), upper: 1 / abs(riskDifferenceUpper), direction: .harm)
        }
        return .throughInfinity(benefit: 1 / riskDifferenceUpper, harm: 1 / abs(riskDifferenceLower))
    }

    /// E.g. "NNTB 10.4 (5.6 to 71.4)" or "NNTB 6.9 (NNTB 3.1 to ∞ to NNTH 24.5)".
    public var description: String {
        let head = "\(direction.rawValue) \(Self.format(value))"
        switch interval {
        case let .bounded(lower, upper, _): return "\(head) (\(Self.format(lower)) to \(Self.format(upper)))"
        case let .throughInfinity(benefit, harm):
            return "\(head) (NNTB \(Self.format(benefit)) to ∞ to NNTH \(Self.format(harm)))"
        }
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "∞" }
        let tenths = (x * 10).rounded()
        let whole = Int(tenths) / 10, fraction = Int(tenths) % 10
        return "\(whole).\(fraction)"
    }
}
