import MetaAnalysis

/// A reported number that is shown but not pooled, with the reason (a percentage without a denominator, a
/// non-randomised subgroup, a sample already represented, an arm with no partner to compare with).
public struct ListedResult: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        case noDenominator = "no_denominator"
        case subgroup
        case overlappingSample = "overlapping_sample"
        case noActiveArm = "no_active_arm"
        case notReviewTreatment = "not_review_treatment"

        public var description: String {
            switch self {
            case .noDenominator: return "no stated denominator: listed, not pooled"
            case .subgroup: return "non-randomised subgroup: not pooled with whole samples"
            case .overlappingSample: return "sample already represented by another report"
            case .noActiveArm: return "no arm of the review's treatment to compare with"
            case .notReviewTreatment: return "comparator or control arm without a comparison"
            }
        }
    }

    public var study: String
    public var ref: Int
    public var row: Int
    public var arm: String
    public var armRole: ArmRole
    public var agent: Agent
    public var treatmentClass: TreatmentClass
    public var outcome: ReportedOutcome
    public var timepoint: String
    /// E.g. "64.2%", "9 events (denominator not stated)", "30/47".
    public var value: String
    public var reason: Reason
    /// Extra detail (e.g. which report of the sample was used).
    public var detail: String
}
