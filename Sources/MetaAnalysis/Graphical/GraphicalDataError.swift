import MetaData

/// Why the data behind a diagnostic plot (L'Abbé, bubble, profile likelihood) cannot be computed from a model.
public enum GraphicalDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The L'Abbé plot needs two arms' events and group sizes and a measure whose pooled value maps the control
    /// arm's risk to the experimental arm's.
    case labbeNeedsTwoArmCounts(measure: String)
    /// The bubble plot draws the fitted line of one continuous moderator; `found` names the model's moderators.
    case bubbleNeedsOneContinuousModerator(found: String)
    /// The profile likelihood of τ² exists for the likelihood estimators only.
    case profileNeedsLikelihoodEstimator(found: String)
    /// τ² cannot be profiled with fewer than two studies (no heterogeneity to estimate).
    case profileNeedsTwoStudies(found: Int)
    /// A curve needs at least `minimum` points.
    case tooFewPoints(found: Int, minimum: Int)

    public var description: String {
        switch self {
        case let .labbeNeedsTwoArmCounts(measure):
            return "The L'Abbé plot needs the events and group sizes of two arms; expected \(ArgumentNaming.current(.measure)) "
                + "RR, OR, RD, AS or PETO; found \(measure)."
        case let .bubbleNeedsOneContinuousModerator(found):
            return "The bubble plot draws the fitted line of one moderator; expected \(ArgumentNaming.current(.moderators)) "
                + "naming one numeric column; found \(found)."
        case let .profileNeedsLikelihoodEstimator(found):
            return "The profile likelihood of tau^2 needs a likelihood estimator; expected \(ArgumentNaming.current(.estimator)) "
                + "ML or REML; found \(found)."
        case let .profileNeedsTwoStudies(found):
            return "The profile likelihood of tau^2 needs at least 2 studies; found \(found)."
        case let .tooFewPoints(found, minimum):
            return "A curve needs at least \(minimum) points; found \(found)."
        }
    }
}
