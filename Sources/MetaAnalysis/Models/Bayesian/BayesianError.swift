/// Why a Bayesian random-effects analysis cannot be computed. Each case names what was expected.
public enum BayesianError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No studies.
    case noStudies
    /// Effects and standard errors differ in length.
    case lengthMismatch(effects: Int, standardErrors: Int)
    /// A study's effect is not finite.
    case nonFiniteEffect(study: Int, value: Double)
    /// A study's standard error is not positive and finite.
    case invalidStandardError(study: Int, value: Double)
    /// A prior parameter is out of range.
    case invalidPriorParameter(prior: String, parameter: String, value: Double, expected: String)
    /// The posterior would not integrate to a finite value (or lacks a finite mean/SD).
    case improperPosterior(tauPrior: String, muPrior: String, studies: Int, suggestion: String)
    /// A meta-regression whose posterior would not integrate: k studies, d coefficients with a flat prior.
    case improperRegressionPosterior(tauPrior: String, betaPrior: String, studies: Int, coefficients: Int, suggestion: String)
    /// A meta-regression's design matrix is unusable (wrong shape, non-finite, or collinear columns).
    case invalidDesign(String)
    /// A Turner et al. (2015) outcome type or comparison type that the published table does not cover.
    case unknownTurnerCategory(kind: String, given: String, available: [String])
    /// The numerical integration or a root search failed.
    case numericalFailure(quantity: String, detail: String)

    public var description: String {
        switch self {
        case .noStudies:
            return "A Bayesian meta-analysis needs at least one study; found none."
        case let .lengthMismatch(effects, standardErrors):
            return "Effects and standard errors must have the same length; found \(effects) and \(standardErrors)."
        case let .nonFiniteEffect(study, value):
            return "Study \(study): the effect size must be finite; found \(value)."
        case let .invalidStandardError(study, value):
            return "Study \(study): the standard error must be positive and finite; found \(value)."
        case let .invalidPriorParameter(prior, parameter, value, expected):
            return "The \(prior) prior's \(parameter) must be \(expected); found \(value)."
        case let .improperPosterior(tauPrior, muPrior, studies, suggestion):
            return "With \(studies) \(studies == 1 ? "study" : "studies"), the \(tauPrior) prior on tau and the \(muPrior) prior on mu give an improper posterior; \(suggestion)"
        case let .improperRegressionPosterior(tauPrior, betaPrior, studies, coefficients, suggestion):
            return "With \(studies) \(studies == 1 ? "study" : "studies") and \(coefficients) coefficients, the \(tauPrior) prior on tau and the \(betaPrior) prior on the coefficients give an improper posterior; \(suggestion)"
        case let .invalidDesign(reason):
            return reason
        case let .unknownTurnerCategory(kind, given, available):
            return "Turner et al. (2015) give no prior for the \(kind) '\(given)'; the \(kind)s they cover are: \(available.joined(separator: "; "))."
        case let .numericalFailure(quantity, detail):
            return "The \(quantity) could not be computed: \(detail)"
        }
    }
}

extension TurnerPrior {
    /// The prior for an outcome and comparison type given by their published labels (case-insensitive).
    /// - Throws: ``BayesianError/unknownTurnerCategory(kind:given:available:)`` naming the covered types.
    public static func named(outcome: String, comparison: String) throws -> TurnerPrior {
        guard let o = Outcome.allCases.first(where: { $0.rawValue.lowercased() == outcome.lowercased() }) else {
            throw BayesianError.unknownTurnerCategory(kind: "outcome type", given: outcome,
                                                      available: Outcome.allCases.map(\.rawValue))
        }
        guard let c = Comparison.allCases.first(where: { $0.rawValue.lowercased() == comparison.lowercased() }) else {
            throw BayesianError.unknownTurnerCategory(kind: "comparison type", given: comparison,
                                                      available: Comparison.allCases.map(\.rawValue))
        }
        return TurnerPrior(outcome: o, comparison: c)
    }
}
