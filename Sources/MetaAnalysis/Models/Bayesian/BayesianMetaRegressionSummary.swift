/// Everything a Bayesian meta-regression reports, in bayesmeta's `bmr` terms: the posterior of τ and of each
/// coefficient, joint ML and MAP estimates, marginal modes, the marginal likelihood (both priors proper), each
/// study's shrinkage estimate, predictions at given covariates and τ's density and CDF on a grid.
public struct BayesianMetaRegressionSummary: Sendable {
    public typealias Marginal = BayesianRandomEffectsSummary.Marginal
    public typealias Shrinkage = BayesianRandomEffectsSummary.Shrinkage

    /// The posterior of the mean effect x'β and of a new study's effect at covariates x.
    public struct Prediction: Sendable {
        public let covariates: [Double]
        public let mean: Marginal
        public let predictive: Marginal
    }

    public let model: BayesianMetaRegressionModel
    public let level: Double
    public let quantileProbabilities: [Double]
    public let tau: Marginal
    /// One per coefficient, in the design's column order.
    public let coefficients: [Marginal]
    public let maximumLikelihood: BayesianMetaRegressionModel.Estimate
    public let maximumAPosteriori: (joint: BayesianMetaRegressionModel.Estimate, marginal: BayesianMetaRegressionModel.Estimate)
    public let logMarginalLikelihood: Double?
    /// Shrinkage estimates; ``BayesianRandomEffectsSummary/Shrinkage/modeWithinMuDeciles`` equals the mode here.
    public let shrinkage: [Shrinkage]
    public let predictions: [Prediction]
    public let tauGrid: [Double]
    public let tauDensity: [Double]
    public let tauCDF: [Double]

    /// Computes the summary.
    /// - Parameters:
    ///   - predictAt: covariate vectors (one value per coefficient) at which to summarise x'β and a new study's effect.
    /// - Throws: ``BayesianError/numericalFailure(quantity:detail:)``; ``BayesianError/invalidDesign(_:)`` when a
    ///   covariate vector has the wrong length or a non-finite value.
    public init(model: BayesianMetaRegressionModel, level: Double = 0.95, quantiles: [Double] = [0.025, 0.5, 0.975],
                predictAt: [[Double]] = [], tauGrid: [Double] = []) throws {
        self.model = model
        self.level = level
        quantileProbabilities = quantiles
        tau = try Marginal(tauOf: model.engine, level: level, quantiles: quantiles)
        coefficients = try model.coefficientNames.indices.map { j in
            try Marginal(model.coefficientPosterior(j), name: model.coefficientNames[j], level: level, quantiles: quantiles)
        }
        maximumLikelihood = try model.maximumLikelihood()
        maximumAPosteriori = try model.maximumAPosteriori()
        logMarginalLikelihood = model.logMarginalLikelihood
        shrinkage = try model.effectSizes.indices.map { i in
            try Shrinkage(model.shrinkagePosterior(study: i), study: i, level: level, searchInterval: nil)
        }
        let d = model.coefficientNames.count
        predictions = try predictAt.enumerated().map { n, x in
            guard x.count == d, x.allSatisfy(\.isFinite) else {
                throw BayesianError.invalidDesign("Prediction \(n + 1): expected \(d) finite covariate values (\(model.coefficientNames.joined(separator: ", "))); found \(x.map { "\($0)" }.joined(separator: ", ")).")
            }
            return Prediction(covariates: x,
                              mean: try Marginal(model.meanPosterior(at: x), name: "the mean effect at prediction \(n + 1)",
                                                 level: level, quantiles: quantiles),
                              predictive: try Marginal(model.predictivePosterior(at: x), name: "a new study's effect at prediction \(n + 1)",
                                                       level: level, quantiles: quantiles))
        }
        self.tauGrid = tauGrid
        tauDensity = tauGrid.map(model.tauDensity)
        tauCDF = tauGrid.map(model.tauCDF)
    }
}
