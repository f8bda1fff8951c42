/// A note about a publication-bias analysis that the user should see.
public enum BiasDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// Fewer than 10 studies: tests for funnel-plot asymmetry have too little power to tell chance from real
    /// asymmetry (Cochrane Handbook, version 6, section 13.3.5.4).
    case fewStudies(count: Int, analysis: String)
    /// Ties among the ranks: the rank correlation's p-value uses the normal approximation with the
    /// tie-corrected variance instead of the exact distribution.
    case normalApproximationForTies
    /// Trim-and-fill stopped at the iteration limit without the number of missing studies settling.
    case trimAndFillDidNotConverge(iterations: Int)

    public var description: String {
        switch self {
        case let .fewStudies(count, analysis):
            return "Only \(count) studies: \(analysis) has low power with fewer than 10 studies and should not be relied on (Cochrane Handbook 13.3.5.4)."
        case .normalApproximationForTies:
            return "There are tied ranks: the p-value uses the normal approximation with tie-corrected variance."
        case let .trimAndFillDidNotConverge(iterations):
            return "Trim-and-fill did not settle on a number of missing studies within \(iterations) iterations; the last estimate is shown."
        }
    }

    /// The minimum number of studies below which asymmetry tests are flagged.
    static let recommendedStudyCount = 10

    static func studyCountNote(_ k: Int, _ analysis: String) -> [BiasDiagnostic] {
        k < recommendedStudyCount ? [.fewStudies(count: k, analysis: analysis)] : []
    }
}
