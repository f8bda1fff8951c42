import MetaAnalysis

/// What an outcome row describes (`arm_role` in `outcomes.csv`).
public enum ArmRole: String, CaseIterable, Sendable, Codable {
    /// The review's treatment in a controlled study.
    case active
    /// Placebo, active placebo or waitlist.
    case control
    /// Another active treatment.
    case comparator
    /// The treated group of an uncontrolled study or phase.
    case singleArm = "single_arm"
    /// A non-randomised subgroup of one cohort or a secondary-analysis subset: never pooled with main rows.
    case subgroup
    /// All arms together (e.g. a baseline).
    case pooledArms = "pooled_arms"
    /// A between-arm effect as the source reports it.
    case contrast
    /// An effect between non-randomised subgroups: not a treatment effect.
    case subgroupContrast = "subgroup_contrast"
}
