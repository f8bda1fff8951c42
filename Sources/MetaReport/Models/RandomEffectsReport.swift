import MetaAnalysis
import MetaData

/// Everything `metaswift pool` reports about one fitted model: the model, its prediction (and back-transformed
/// prediction), heterogeneity intervals, notes and provenance. Rendered as JSON with the conformance bank's
/// field names (`jsonValue()`) or as a metafor-like text summary (`textReport()`).
public struct RandomEffectsReport: Sendable {
    public var model: RandomEffectsModel
    /// The effect measure code (GEN for precomputed yi/vi).
    public var measureCode: String
    public var backTransformation: BackTransformation?
    /// `confint(res)`: Q-profile, or generalized Q-profile for GENQ/GENQM.
    public var intervals: HeterogeneityConfidenceIntervals?
    /// `confint(res, type = "QP")` for GENQ/GENQM fits.
    public var qProfileIntervals: HeterogeneityConfidenceIntervals?
    /// Further intervals (profile likelihood, Biggerstaff–Jackson) shown after the default one.
    public var extraIntervals: [HeterogeneityConfidenceIntervals]
    /// Whether to list the per-study yi and vi (they come from escalc unless the measure is GEN).
    public var includesStudyValues: Bool
    /// Notes from earlier steps (escalc corrections, omitted studies), shown before the model's own.
    public var inputNotes: [String]
    public var provenance: Provenance?

    public init(model: RandomEffectsModel, measureCode: String, backTransformation: BackTransformation? = nil,
                intervals: HeterogeneityConfidenceIntervals? = nil, qProfileIntervals: HeterogeneityConfidenceIntervals? = nil,
                extraIntervals: [HeterogeneityConfidenceIntervals] = [], includesStudyValues: Bool = true,
                inputNotes: [String] = [], provenance: Provenance? = nil) {
        self.model = model
        self.measureCode = measureCode
        self.backTransformation = backTransformation
        self.intervals = intervals
        self.qProfileIntervals = qProfileIntervals
        self.extraIntervals = extraIntervals
        self.includesStudyValues = includesStudyValues
        self.inputNotes = inputNotes
        self.provenance = provenance
    }

    /// Every choice that shaped the result, in words (the text summary prints these; JSON has them in provenance).
    public var choices: [String] {
        let m = model
        var lines = [
            "tau^2 estimator: \(m.estimator.rawValue) (\(m.estimator.displayName))",
            "test and CI for the pooled estimate: \(m.testUsed.rawValue) (\(m.testUsed.displayName)), level \(NumberFormat.fixed(m.options.level, digits: 0))%",
            "prediction interval: estimate -/+ \(Self.predictionQuantile(m)) quantile x sqrt(SE^2 + tau^2)",
            "I^2 and H^2 computed from tau^2 with the typical sampling variance (Higgins & Thompson 2002)",
        ]
        if let e = m.tauSquaredEstimate, e.iterations > 0 { lines.insert("tau^2 iterations: \(e.iterations)", at: 1) }
        if let i = intervals { lines.append("heterogeneity CI: \(i.method.rawValue) (\(Self.methodName(i.method)))") }
        if m.estimator.needsUserWeights { lines.append("pooled estimate weighted by the user weights (sandwich variance)") }
        return lines
    }

    /// The distribution of the prediction interval's critical value, as `--pi` chose it.
    static func predictionQuantile(_ m: RandomEffectsModel) -> String {
        let k = m.studyCount, p = m.coefficientCount
        switch m.options.predictionInterval {
        case .followsTest: return m.degreesOfFreedom.map { "t(\($0))" } ?? "z"
        case .z: return "z (\(ArgumentNaming.current(.predictionInterval)) z)"
        case .t: return "t(\(k - p)) (\(ArgumentNaming.current(.predictionInterval)) t)"
        case .riley: return "t(\(k - p - 1)) (\(ArgumentNaming.current(.predictionInterval)) riley, Riley et al. 2011)"
        }
    }

    static func methodName(_ method: HeterogeneityConfidenceIntervals.Method) -> String {
        switch method {
        case .qProfile: return "Q-profile, Viechtbauer 2007"
        case .generalizedQProfile: return "generalized Q-profile, Jackson 2013"
        case .profileLikelihood: return "profile likelihood"
        case .biggerstaffJackson: return "Biggerstaff-Jackson 2008"
        case .biggerstaffTweedie: return "Biggerstaff-Tweedie 1997"
        case .wald: return "Wald-type, from SE(tau^2)"
        case .sidikJonkman: return "Sidik-Jonkman 2005"
        }
    }
}
