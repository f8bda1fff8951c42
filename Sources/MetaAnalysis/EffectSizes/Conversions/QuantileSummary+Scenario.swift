extension QuantileSummary {
    /// Which values a study reported besides its median and size: Wan et al.'s (2014) scenarios, with the
    /// estimators ``QuantileSummary`` uses for each.
    public enum Scenario: String, CaseIterable, Sendable, Equatable, CustomStringConvertible {
        /// S1: minimum and maximum.
        case range = "S1"
        /// S2: first and third quartiles.
        case quartiles = "S2"
        /// S3: minimum, quartiles and maximum (the five-number summary).
        case fiveNumbers = "S3"

        /// The values and the methods, e.g. "median and range (Luo et al. 2018; Wan et al. 2014)".
        public var description: String { "\(withMedian) (Luo et al. 2018; \(standardDeviationSource))" }

        /// The values with the median: "median and range", "median and quartiles", "median, quartiles and range".
        public var withMedian: String { self == .fiveNumbers ? "median, quartiles and range" : "median and \(spread)" }

        /// The spread reported: "range", "quartiles" or "quartiles and range".
        public var spread: String {
            switch self {
            case .range: return "range"
            case .quartiles: return "quartiles"
            case .fiveNumbers: return "quartiles and range"
            }
        }

        /// The source of the SD estimator.
        public var standardDeviationSource: String { self == .fiveNumbers ? "Shi et al. 2020" : "Wan et al. 2014" }
    }

    /// The scenario these values form; nil when neither the range nor the quartiles are complete.
    public var scenario: Scenario? { Self.scenario(minimum: minimum, firstQuartile: firstQuartile, thirdQuartile: thirdQuartile, maximum: maximum) }

    static func scenario(minimum: Double?, firstQuartile: Double?, thirdQuartile: Double?, maximum: Double?) -> Scenario? {
        switch (minimum != nil && maximum != nil, firstQuartile != nil && thirdQuartile != nil) {
        case (true, true): return .fiveNumbers
        case (true, false): return .range
        case (false, true): return .quartiles
        case (false, false): return nil
        }
    }
}
