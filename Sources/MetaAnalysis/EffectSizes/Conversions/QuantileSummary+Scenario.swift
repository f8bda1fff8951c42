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
        public var description: String {
            switch self {
            case .range: return "median and range (Luo et al. 2018; Wan et al. 2014)"
            case .quartiles: return "median and quartiles (Luo et al. 2018; Wan et al. 2014)"
            case .fiveNumbers: return "median, quartiles and range (Luo et al. 2018; Shi et al. 2020)"
            }
        }
    }

    /// The scenario these values form; nil when neither the range nor the quartiles are complete.
    public var scenario: Scenario? {
        switch (minimum != nil && maximum != nil, firstQuartile != nil && thirdQuartile != nil) {
        case (true, true): return .fiveNumbers
        case (true, false): return .range
        case (false, true): return .quartiles
        case (false, false): return nil
        }
    }
}
