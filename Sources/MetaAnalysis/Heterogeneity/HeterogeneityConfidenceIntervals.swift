/// Confidence intervals for τ², τ, I² and H² (metafor's `confint(res)` for a model without moderators).
public struct HeterogeneityConfidenceIntervals: Sendable, Equatable {
    /// How the τ² interval was obtained; raw values are metafor's `type` codes.
    public enum Method: String, Sendable, CaseIterable {
        /// Q-profile: Q(τ²) = χ²(k − p) quantiles (Viechtbauer 2007).
        case qProfile = "QP"
        /// Generalized Q-profile: the generalized Q's own null distribution (Jackson 2013), for GENQ/GENQM.
        case generalizedQProfile = "GENQ"
        /// Profile likelihood (ML or REML; Hardy & Thompson 1996).
        case profileLikelihood = "PL"
        /// Biggerstaff & Jackson (2008): the exact distribution of the DerSimonian–Laird Q.
        case biggerstaffJackson = "BJ"
        /// Biggerstaff & Tweedie (1997): the DerSimonian–Laird Q approximated by a gamma distribution with its
        /// mean and variance under τ² (Viechtbauer 2007, section 2.2).
        case biggerstaffTweedie = "BT"
        /// Wald-type: τ̂² ± z_{1−α/2} SE(τ̂²), the lower bound truncated at 0 (Viechtbauer 2007, section 2.4;
        /// meant for ML and REML, whose SE comes from the Fisher information).
        case wald = "Wald"
        /// Sidik & Jonkman (2005): (k − 1) τ̂²_SJ / τ² taken as χ²_{k−1} (Viechtbauer 2007, section 2.5).
        case sidikJonkman = "SJ"
    }

    /// metafor's marker for a bound that stopped at the end of the search interval.
    public enum BoundMarker: String, Sendable {
        case none = ""
        /// The bound lies below the search interval.
        case below = "<"
        /// The bound lies above the search interval (reported as its upper end).
        case above = ">"
    }

    /// An estimate with its interval.
    public struct Bounds: Sendable, Equatable {
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        public init(estimate: Double, lower: Double, upper: Double) {
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
        }
    }

    public var method: Method
    /// Confidence level in percent.
    public var level: Double
    public var tauSquared: Bounds
    public var lowerMarker: BoundMarker
    public var upperMarker: BoundMarker
    /// The ṽ used to map τ² bounds to I² = 100 τ²/(τ² + ṽ) and H² = 1 + τ²/ṽ.
    public var typicalSamplingVariance: Double

    public init(method: Method, level: Double, tauSquared: Bounds, lowerMarker: BoundMarker = .none,
                upperMarker: BoundMarker = .none, typicalSamplingVariance: Double) {
        self.method = method
        self.level = level
        self.tauSquared = tauSquared
        self.lowerMarker = lowerMarker
        self.upperMarker = upperMarker
        // A root search whose upper bound is already below τ² = 0 leaves both bounds below 0: the CI is the empty
        // set, marked "<" on both bounds as metafor prints it (it used to read as the interval [0, 0]).
        if tauSquared.upper == 0 && upperMarker == .none && lowerMarker == .none {
            self.lowerMarker = .below
            self.upperMarker = .below
        }
        self.typicalSamplingVariance = typicalSamplingVariance
    }

    /// Whether both τ² bounds fall below 0, so that the interval is the empty set (bounds shown as "<0").
    public var isEmptySet: Bool { lowerMarker == .below && upperMarker == .below }

    /// The sentence a report prints under an empty-set interval.
    public static let emptySetNote = "The upper and lower CI bounds for tau^2 both fall below 0: the CI is the empty set (printed as <0)."

    private func map(_ f: (Double) -> Double) -> Bounds {
        Bounds(estimate: f(tauSquared.estimate), lower: f(tauSquared.lower), upper: f(tauSquared.upper))
    }
    public var tau: Bounds { map { $0.squareRoot() } }
    public var iSquared: Bounds { map { 100 * $0 / ($0 + typicalSamplingVariance) } }
    public var hSquared: Bounds { map { 1 + $0 / typicalSamplingVariance } }
}

/// Settings of the interval searches.
public struct HeterogeneityIntervalOptions: Sendable, Equatable {
    /// Root tolerance (absolute, on τ²) of the Q-profile and profile-likelihood searches.
    public var tolerance: Double
    /// Root tolerance of the generalized Q-profile search. metafor 3.8-1 uses `uniroot`'s default 2⁻¹³ here
    /// whatever `control` says; set this to reproduce its numbers digit for digit.
    public var generalizedTolerance: Double
    /// The search interval is [0, max(`minimumUpperLimit`, `upperLimitFactor` · τ̂²)] (metafor: 100 and 10).
    public var minimumUpperLimit: Double
    public var upperLimitFactor: Double

    public init(tolerance: Double = 1e-13, generalizedTolerance: Double = 1e-13, minimumUpperLimit: Double = 100,
                upperLimitFactor: Double = 10) {
        self.tolerance = tolerance
        self.generalizedTolerance = generalizedTolerance
        self.minimumUpperLimit = minimumUpperLimit
        self.upperLimitFactor = upperLimitFactor
    }

    /// metafor's `uniroot` default tolerance, .Machine$double.eps^0.25.
    public static let metaforUnirootTolerance = 0x1p-13
}
