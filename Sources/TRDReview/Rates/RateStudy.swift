import MetaAnalysis

/// One arm in a pooled rate: its events and denominator, its effect size on the model's scale and the
/// back-transformed proportion with its confidence interval.
public struct RateStudy: Sendable, Equatable {
    /// "Author year [ref]".
    public var study: String
    public var ref: Int
    public var sampleGroup: String
    public var arm: String
    public var agent: Agent
    public var route: Route?
    public var treatmentClass: TreatmentClass
    public var timepoint: String
    /// The CSV row of `outcomes.csv`.
    public var row: Int
    public var events: Int
    public var total: Int
    /// y_i and v_i on the per-study scale (logit, or double arcsine for Freeman–Tukey).
    public var yi: Double
    public var vi: Double
    /// events/total.
    public var proportion: Double
    /// Wald interval of y_i, back-transformed.
    public var ciLower: Double
    public var ciUpper: Double
    /// Inverse-variance weight in the pooled estimate, percent (nil for the GLMM, which has no such weights).
    public var weightPercent: Double?
}
