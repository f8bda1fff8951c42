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
        tau = try Marginal(tauOf: model, level: level, quantiles: quantiles)
        let tauQuantiles = tau.quantiles
        let muMixture = model.muPosterior, thetaMixture = model.predictivePosterior
        mu = try Marginal(muMixture, name: "mu", level: level, quantiles: quantiles)
        theta = try Marginal(thetaMixture, name: "theta", level: level, quantiles: quantiles)
        maximumLikelihood = try model.maximumLikelihood()
        maximumAPosteriori = try model.maximumAPosteriori()
        logMarginalLikelihood = model.logMarginalLikelihood
        bayesFactors = try model.bayesFactors()
        let deciles = try numerical("deciles of mu") { (try muMixture.quantile(0.1), try muMixture.quantile(0.9)) }
        shrinkage = try model.effectSizes.indices.map { i in
            try Shrinkage(model.shrinkagePosterior(study: i), study: i, level: level, searchInterval: deciles)
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

extension BayesianRandomEffectsSummary.Marginal {
    /// The summary of a normal-mixture posterior (μ, θ, a coefficient, a prediction).
    init(_ m: NormalMixture, name: String, level: Double, quantiles: [Double]) throws {
        do {
            self.init(mode: try m.mode(), median: try m.quantile(0.5), mean: m.mean, standardDeviation: m.standardDeviation,
                      shortest: try m.shortestInterval(level: level), central: try m.centralInterval(level: level),
                      quantiles: try quantiles.map { try m.quantile($0) })
        } catch let e as BayesianError { throw e } catch {
            throw BayesianError.numericalFailure(quantity: "posterior of \(name)", detail: "\(error)")
        }
    }

    /// The summary of τ's marginal posterior.
    init(tauOf model: BayesianRandomEffectsModel, level: Double, quantiles: [Double]) throws {
        self.init(mode: try model.tauMode(), median: try model.tauQuantile(0.5), mean: model.tauMean,
                  standardDeviation: model.tauStandardDeviation, shortest: try model.tauShortestInterval(level: level),
                  central: try model.tauCentralInterval(level: level), quantiles: try quantiles.map { try model.tauQuantile($0) })
    }
}

extension BayesianRandomEffectsSummary.Shrinkage {
    /// The summary of study i's shrinkage posterior; `searchInterval` (bayesmeta's μ deciles) bounds
    /// ``modeWithinMuDeciles`` (nil: the true mode).
    init(_ m: NormalMixture, study i: Int, level: Double, searchInterval: (Double, Double)?) throws {
        do {
            let mode = try m.mode()
            let restricted = searchInterval.map { min(max(mode, $0.0), $0.1) } ?? mode
            self.init(mode: mode, modeWithinMuDeciles: restricted, median: try m.quantile(0.5), mean: m.mean,
                      standardDeviation: m.standardDeviation, shortest: try m.shortestInterval(level: level),
                      central: try m.centralInterval(level: level))
        } catch let e as BayesianError { throw e } catch {
            throw BayesianError.numericalFailure(quantity: "shrinkage estimate of study \(i + 1)", detail: "\(error)")
        }
    }
}
