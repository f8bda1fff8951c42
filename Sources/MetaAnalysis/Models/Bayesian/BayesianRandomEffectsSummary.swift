/// Everything a Bayesian random-effects analysis reports, in bayesmeta's terms: posterior summaries of τ, μ and a
/// new study's effect θ, point estimates, evidence, intervals, quantiles, densities on grids, shrinkage estimates,
/// I² quantiles and the posterior weights.
public struct BayesianRandomEffectsSummary: Sendable {
    /// Mode (nil if none), median, mean, SD and the shortest interval of one posterior.
    public struct Marginal: Sendable {
        public let mode: Double?
        public let median: Double
        public let mean: Double
        public let standardDeviation: Double
        public let shortest: (lower: Double, upper: Double)
        public let central: (lower: Double, upper: Double)
        public let quantiles: [Double]
    }

    /// The posterior of one study's true effect θᵢ.
    public struct Shrinkage: Sendable {
        public let mode: Double
        /// bayesmeta's mode: the argmax within [Q_μ(0.1), Q_μ(0.9)] (its search interval).
        public let modeWithinMuDeciles: Double
        public let median: Double
        public let mean: Double
        public let standardDeviation: Double
        public let shortest: (lower: Double, upper: Double)
        public let central: (lower: Double, upper: Double)
    }

    public let model: BayesianRandomEffectsModel
    public let level: Double
    public let quantileProbabilities: [Double]
    public let tau: Marginal
    public let mu: Marginal
    public let theta: Marginal
    public let maximumLikelihood: (joint: BayesianRandomEffectsModel.Estimate, marginal: BayesianRandomEffectsModel.Estimate)
    public let maximumAPosteriori: (joint: BayesianRandomEffectsModel.Estimate, marginal: BayesianRandomEffectsModel.Estimate)
    public let logMarginalLikelihood: Double?
    public let bayesFactors: (actualTau0: Double?, actualMu0: Double?, minimumTau0: Double?, minimumMu0: Double?)
    public let shrinkage: [Shrinkage]
    public let iSquaredQuantiles: [Double]
    public let weights: [Double]
    public let priorMeanWeight: Double?
    public let tauGrid: [Double]
    public let tauDensity: [Double]
    public let tauCDF: [Double]
    public let muGrid: [Double]
    public let muDensity: [Double]
    public let muCDF: [Double]
    public let predictiveDensity: [Double]
    public let predictiveCDF: [Double]

    /// Computes the summary.
    /// - Parameters:
    ///   - level: credible level of the intervals (0.95).
    ///   - quantiles: probabilities for the quantiles of τ, μ, θ and I².
    ///   - tauGrid, muGrid: where to evaluate densities and CDFs (μ's grid serves the predictive distribution too).
    /// - Throws: ``BayesianError/numericalFailure(quantity:detail:)``.
    public init(model: BayesianRandomEffectsModel, level: Double = 0.95, quantiles: [Double] = [0.025, 0.5, 0.975],
                tauGrid: [Double] = [], muGrid: [Double] = []) throws {
        self.model = model
        self.level = level
        quantileProbabilities = quantiles
        func numerical<T>(_ what: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as BayesianError { throw e } catch {
                throw BayesianError.numericalFailure(quantity: what, detail: "\(error)")
            }
        }
        let tauQuantiles = try quantiles.map { try model.tauQuantile($0) }
        tau = Marginal(mode: try model.tauMode(), median: try model.tauQuantile(0.5), mean: model.tauMean,
                       standardDeviation: model.tauStandardDeviation, shortest: try model.tauShortestInterval(level: level),
                       central: try model.tauCentralInterval(level: level), quantiles: tauQuantiles)
        let muMixture = model.muPosterior, thetaMixture = model.predictivePosterior
        func marginal(_ m: NormalMixture, _ name: String) throws -> Marginal {
            try numerical("posterior of \(name)") {
                Marginal(mode: try m.mode(), median: try m.quantile(0.5), mean: m.mean, standardDeviation: m.standardDeviation,
                         shortest: try m.shortestInterval(level: level), central: try m.centralInterval(level: level),
                         quantiles: try quantiles.map { try m.quantile($0) })
            }
        }
        mu = try marginal(muMixture, "mu")
        theta = try marginal(thetaMixture, "theta")
        maximumLikelihood = try model.maximumLikelihood()
        maximumAPosteriori = try model.maximumAPosteriori()
        logMarginalLikelihood = model.logMarginalLikelihood
        bayesFactors = try model.bayesFactors()
        let deciles = try numerical("deciles of mu") { (try muMixture.quantile(0.1), try muMixture.quantile(0.9)) }
        shrinkage = try model.effectSizes.indices.map { i in
            let m = model.shrinkagePosterior(study: i)
            return try numerical("shrinkage estimate of study \(i + 1)") {
                let mode = try m.mode()
                let restricted = min(max(mode, deciles.0), deciles.1)
                return Shrinkage(mode: mode, modeWithinMuDeciles: restricted, median: try m.quantile(0.5), mean: m.mean,
                                 standardDeviation: m.standardDeviation, shortest: try m.shortestInterval(level: level),
                                 central: try m.centralInterval(level: level))
            }
        }
        iSquaredQuantiles = tauQuantiles.map(model.iSquared(tau:))
        let w = model.posteriorWeights
        weights = w.studies
        priorMeanWeight = w.priorMean
        self.tauGrid = tauGrid
        tauDensity = tauGrid.map(model.tauDensity)
        tauCDF = tauGrid.map(model.tauCDF)
        self.muGrid = muGrid
        muDensity = muGrid.map(muMixture.density)
        muCDF = muGrid.map(muMixture.cdf)
        predictiveDensity = muGrid.map(thetaMixture.density)
        predictiveCDF = muGrid.map(thetaMixture.cdf)
    }
}
