import MetaAnalysis

/// The review's three treatment classes (`treatment_class` in `Datasets/trd-review/`).
public enum TreatmentClass: String, CaseIterable, Sendable, Codable, Comparable {
    case glutamatergic
    case antipsychoticAugmentation = "antipsychotic_augmentation"
    case psychedelic

    /// How the review names the class.
    public var displayName: String {
        switch self {
        case .glutamatergic: return "Glutamatergic"
        case .antipsychoticAugmentation: return "Antipsychotic augmentation"
        case .psychedelic: return "Psychedelic"
        }
    }

    public static func < (a: TreatmentClass, b: TreatmentClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
