/// Options of the effect-size computation, as metafor's `escalc` names them.
///
/// Defaults are metafor 5's: `add = 1/2`, `to = "only0"`, `drop00 = false`, `vtype = "LS"`,
/// `correct = true`, `level = 95`. Note that `rma.mh`/`rma.peto` use `drop00 = true`: callers that reproduce them pass it
/// explicitly.
///
/// metafor 3.8-1 adds 1/2 for AS, PAS and PFT too: the bank's AS/PAS/PFT cases (e.g. `escalc/pritz1997_PAS`,
/// a study with xi = ni = 10 gives asin √(10.5/11)) show it, although the bank README says their default is 0.
public struct EscalcOptions: Sendable, Equatable {
    /// Amount added to the counts of a study that gets a continuity correction.
    public var add: Double
    /// Which studies get the correction.
    public var to: ContinuityCorrectionScope
    /// Whether a two-group study with no events in both groups (or only events in both groups) is left out:
    /// its `yi` and `vi` are then NaN (NA), and a diagnostic says so.
    public var drop00: Bool
    /// Variance estimator.
    public var vtype: VarianceType
    /// Confidence level for `ci_lb`/`ci_ub`, in percent (a value in (0, 1) is read as a fraction).
    public var level: Double
    /// Whether the measures with a small-sample or bias correction apply it (metafor's `correct`, on by default
    /// since metafor 5.0-1, which also made it the default for ROM: Lajeunesse 2015, eq. 8).
    public var correct: Bool

    public init(add: Double = 0.5, to: ContinuityCorrectionScope = .onlyZero, drop00: Bool = false,
                vtype: VarianceType = .largeSample, level: Double = 95, correct: Bool = true) {
        self.correct = correct
        self.add = add
        self.to = to
        self.drop00 = drop00
        self.vtype = vtype
        self.level = level
    }

    /// The level as a fraction in (0, 1).
    public var levelFraction: Double { level > 1 ? level / 100 : level }
}
