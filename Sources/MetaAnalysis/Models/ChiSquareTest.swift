import MetaNumerics

/// A statistic referred to a χ² distribution: the value, its degrees of freedom and the upper-tail p-value.
public struct ChiSquareTest: Sendable, Equatable {
    public let statistic: Double
    public let degreesOfFreedom: Int
    /// P(χ²_df > statistic); NaN when df = 0.
    public let pValue: Double

    public init(statistic: Double, degreesOfFreedom: Int) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        pValue = degreesOfFreedom > 0 ? ChiSquared(degreesOfFreedom: Double(degreesOfFreedom)).survival(statistic) : .nan
    }
}
