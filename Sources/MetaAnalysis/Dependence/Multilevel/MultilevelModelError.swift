/// A multilevel model that cannot be specified or fitted: one sentence naming the term, column, component or
/// block at fault and what was expected. Effects are numbered from 1 in the messages.
public enum MultilevelModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A random-effects formula that cannot be read.
    case malformedRandomFormula(String, reason: String)
    /// A random term names a column the data do not have.
    case missingGroupingColumn(column: String, formula: String)
    /// A grouping column with a number of labels other than the number of effects.
    case labelCountMismatch(column: String, labels: Int, effects: Int)
    /// AR and HAR need numeric inner values (times).
    case nonNumericInner(column: String, structure: String)
    /// A grouping factor with one level: its variance cannot be told apart from the intercept's.
    case singleLevel(component: String, level: String)
    /// Two components with the same grouping (e.g. `~ 1 | a` twice).
    case repeatedComponent(component: String)
    /// Estimation method other than ML or REML.
    case unsupportedMethod(String)
    /// y, V, X or a grouping of different lengths.
    case dimensionMismatch(what: String, count: Int, effects: Int)
    /// An effect size that is not finite.
    case nonFiniteEffect(effect: Int, value: Double)
    /// A fixed value that is negative or not finite, or fixes a component that does not exist.
    case invalidFixedValue(component: String, value: Double)
    /// The design has as many coefficients as effects or more, or dependent columns.
    case designNotEstimable(reason: String)
    /// A block of the sampling covariance V is not positive definite (effects of that block listed).
    case samplingCovarianceNotPositiveDefinite(effects: [Int])
    /// The marginal covariance M = V + random effects of the effects in one cluster is not positive definite.
    case marginalCovarianceNotPositiveDefinite(effects: [Int], components: String)
    /// A correlation the data cannot identify: no outer level has effects of the inner levels it correlates.
    case notIdentifiable(component: String, term: String, reason: String)
    /// The (RE)ML iterations did not converge; `component` is the one with the largest score.
    case didNotConverge(component: String, iterations: Int, score: Double)
    /// A non-finite value appeared in the likelihood, its score or information at the given components.
    case nonFiniteValue(quantity: String, components: String)

    public var description: String {
        func effects(_ e: [Int]) -> String {
            let shown = e.prefix(8).map { String($0 + 1) }.joined(separator: ", ")
            return e.count > 8 ? shown + ", … (\(e.count) effects)" : shown
        }
        switch self {
        case let .malformedRandomFormula(text, reason):
            return "The random-effects formula '\(text)' cannot be read: \(reason); expected '~ 1 | a/b/…' or '~ inner | outer'."
        case let .missingGroupingColumn(column, formula):
            return "The random term '\(formula)' names the column '\(column)', which the data do not have."
        case let .labelCountMismatch(column, labels, count):
            return "The grouping column '\(column)' has \(labels) labels; expected one per effect (\(count))."
        case let .nonNumericInner(column, structure):
            return "The structure \(structure) needs numeric values (times) in the inner column '\(column)'; expected numbers."
        case let .singleLevel(component, level):
            return "The random-effects grouping '\(component)' has a single level ('\(level)'); expected at least two levels to estimate its variance."
        case let .repeatedComponent(component):
            return "The random-effects grouping '\(component)' appears twice; expected each grouping once."
        case let .unsupportedMethod(method):
            return "The multilevel model is fitted by ML or REML; '\(method)' is not supported."
        case let .dimensionMismatch(what, count, k):
            return "\(what) has \(count) entries; expected one per effect (\(k))."
        case let .nonFiniteEffect(effect, value):
            return "Effect \(effect + 1) is \(value); expected a finite number."
        case let .invalidFixedValue(component, value):
            return "The fixed value \(value) of \(component) is not allowed; expected a component of the model, a variance ≥ 0 or a correlation in [-1, 1]."
        case let .designNotEstimable(reason):
            return "The fixed effects cannot be estimated: \(reason)."
        case let .samplingCovarianceNotPositiveDefinite(e):
            return "The sampling covariance block of effects \(effects(e)) is not positive definite; expected a positive-definite V."
        case let .marginalCovarianceNotPositiveDefinite(e, components):
            return "The marginal covariance of effects \(effects(e)) is not positive definite at \(components); expected V plus the random effects to be positive definite."
        case let .notIdentifiable(component, term, reason):
            return "The correlation \(component) of '\(term)' cannot be estimated: \(reason); expected a structure with fewer correlations (e.g. DIAG or HCS) or the correlation held at a value."
        case let .didNotConverge(component, iterations, score):
            return "The variance components did not converge in \(iterations) iterations: the score of \(component) is still \(score); expected it to reach 0."
        case let .nonFiniteValue(quantity, components):
            return "The \(quantity) is not finite at \(components); the variance components cannot be estimated from these data."
        }
    }
}
