import MetaAnalysis

/// Who rated the outcome (`rater` in `outcomes.csv`, from the scale): clinician-rated (MADRS, HAM-D) and
/// patient-rated (QIDS-SR16, PHQ-9, BDI) results are never pooled together.
public enum Rater: String, CaseIterable, Sendable, Codable {
    case clinician
    case patient

    public var displayName: String { self == .clinician ? "clinician-rated" : "patient-rated" }
}
