/// The data of a bubble plot (metafor's `regplot`) of a meta-regression on one continuous moderator: each study's
/// moderator value and effect size with its weight, and the fitted line β̂₀ + β̂₁x with its confidence and prediction
/// bands (`MetaRegressionModel.prediction(at:)` at each x of a grid spanning the moderator's range).
public struct RegressionBand: Sendable, Equatable {
    /// The moderator's column name.
    public let moderator: String
    public let studies: [String]
    /// Moderator value (x) and effect size (y, scale of analysis) per study in model order.
    public let moderatorValues: [Double]
    public let effectSizes: [Double]
    /// Each study's weight in the model, in percent (the bubbles' areas).
    public let weightsPercent: [Double]
    /// The grid of moderator values and the prediction at each (estimate, CI, PI).
    public let grid: [Double]
    public let predictions: [Prediction]

    /// - Throws: `GraphicalDataError.bubbleNeedsOneContinuousModerator` unless the model has an intercept and one
    ///   continuous moderator; `.tooFewPoints` for fewer than 2 grid points.
    public init(model: MetaRegressionModel, points: Int = 101) throws(GraphicalDataError) {
        let design = model.design
        let moderators = design.terms.map(\.column)
        guard design.hasIntercept, design.coefficientCount == 2, design.terms.count == 1,
              let term = design.terms.first, term.coding == .continuous, term.coefficientIndices == 1..<2 else {
            let found = design.terms.map { "\($0.column) (\($0.coding.rawValue))" }.joined(separator: ", ")
            throw .bubbleNeedsOneContinuousModerator(found: moderators.isEmpty ? "none" : found)
        }
        guard points >= 2 else { throw .tooFewPoints(found: points, minimum: 2) }
        let points = Swift.min(points, 100_000)
        moderator = term.column
        studies = model.studies
        let x = (0..<model.studyCount).map { design.matrix[$0, 1] }
        moderatorValues = x
        effectSizes = model.effectSizes
        weightsPercent = model.weightsPercent
        let low = x.min() ?? 0, high = x.max() ?? 1
        let grid = (0..<points).map { $0 == points - 1 ? high : low + (high - low) * Double($0) / Double(points - 1) }
        self.grid = grid
        predictions = grid.map { model.prediction(at: [1, $0]) }
    }
}
