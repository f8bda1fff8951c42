import MetaAnalysis

/// The class of an arm's own treatment (`arm_class` in `outcomes.csv`): ESCAPE-TRD's quetiapine XR arm is
/// antipsychotic augmentation although its study's class is glutamatergic (audit A16).
public enum ArmClass: String, CaseIterable, Sendable, Codable {
    case glutamatergic
    case antipsychoticAugmentation = "antipsychotic_augmentation"
    case psychedelic
    /// Bupropion or lithium added, or rTMS.
    case otherAugmentation = "other_augmentation"
    /// A switch to another antidepressant.
    case `switch`
    /// Placebo, active placebo (midazolam) or waitlist.
    case control
    case other

    /// The review's three treatment classes, as arm classes.
    public var treatmentClass: TreatmentClass? {
        switch self {
        case .glutamatergic: return .glutamatergic
        case .antipsychoticAugmentation: return .antipsychoticAugmentation
        case .psychedelic: return .psychedelic
        default: return nil
        }
    }

    public var displayName: String {
        treatmentClass?.displayName ?? [.otherAugmentation: "Other augmentation", .switch: "Switch", .control: "Control",
                                        .other: "Other"][self]!
    }
}
