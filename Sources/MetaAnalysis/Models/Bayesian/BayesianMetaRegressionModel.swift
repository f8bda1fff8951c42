#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// Bayesian random-effects meta-regression (bayesmeta's `bmr`): yᵢ ~ N(θᵢ, σᵢ²), θᵢ ~ N(xᵢ'β, τ²), with a prior on τ
/// (any ``TauPrior``) and a flat or normal prior on β.
///
/// Computed as ``BayesianRandomEffectsModel`` is: the marginal posterior of τ is integrated exactly (adaptive
/// Gauss–Legendre in log τ, same error bound), and given τ the coefficients are normal (``RegressionDesign``), so the
/// posterior of each coefficient, of xᵢ'β, of a new study's effect at x and of each θᵢ is a normal mixture over the
/// quadrature nodes. With an intercept-only design it is the normal–normal model.
public struct BayesianMetaRegressionModel: Sendable {
    /// The design matrix by rows (k rows of d covariate values; include a column of 1s for an intercept).
    public let design: [[Double]]
    public let coefficientNames: [String]
    public let coefficientPrior: CoefficientPrior
    let engine: BayesianRandomEffectsModel
    let regression: RegressionDesign
    /// E[β | τⱼ, y] and Cov[β | τⱼ, y] (row-major) at each mixture component τⱼ.
    let componentMeans: [[Double]]
    let componentCovariances: [[Double]]

    public var effectSizes: [Double] { engine.effectSizes }
    public var standardErrors: [Double] { engine.standardErrors }
    public var tauPrior: TauPrior { engine.tauPrior }
    public var quadratureErrorEstimate: Double { engine.quadratureErrorEstimate }
    public var quadratureNodes: Int { engine.quadratureNodes }

    /// Fits the meta-regression.
    /// - Parameters:
    ///   - design: one row per study, one value per coefficient (finite; columns linearly independent).
    ///   - coefficientNames: one name per column (used in messages and output).
    /// - Throws: ``BayesianError`` for invalid data, design or priors, an improper posterior, or a numerical failure.
    public init(effectSizes: [Double], standardErrors: [Double], design: [[Double]], coefficientNames: [String],
                tauPrior: TauPrior, coefficientPrior: CoefficientPrior = .improperUniform) throws {
        let k = effectSizes.count
        guard let d = design.first?.count, d > 0 else {
            throw BayesianError.invalidDesign("The meta-regression needs at least one study and one coefficient; the design has \(design.count) rows and \(design.first?.count ?? 0) columns.")
        }
        guard design.count == k else {
            throw BayesianError.invalidDesign("The design needs one row per study (\(k)); found \(design.count) rows.")
        }
        guard coefficientNames.count == d else {
            throw BayesianError.invalidDesign("The design has \(d) columns but \(coefficientNames.count) coefficient names.")
        }
        for (i, row) in design.enumerated() {
            guard row.count == d else {
                throw BayesianError.invalidDesign("Study \(i + 1): the design row has \(row.count) values; expected \(d) (\(coefficientNames.joined(separator: ", "))).")
            }
            for (j, value) in row.enumerated() where !value.isFinite {
                throw BayesianError.invalidDesign("Study \(i + 1), coefficient '\(coefficientNames[j])': the covariate must be finite; found \(value).")
            }
        }
        let dependent = Matrix(rowArrays: design).linearlyDependentColumns()
        if let j = dependent.first {
            throw BayesianError.invalidDesign("Coefficient '\(coefficientNames[j])' is a linear combination of the other columns of the design (with \(k) studies); drop it or choose other covariates.")
        }
        var precision: [Double]? = nil, priorMean = [Double](repeating: 0, count: d), logDeterminant = 0.0
        if case let .normal(mean, covariance) = coefficientPrior {
            guard mean.count == d, mean.allSatisfy(\.isFinite) else {
                throw BayesianError.invalidPriorParameter(prior: "normal coefficient", parameter: "mean", value: Double(mean.count),
                                                          expected: "\(d) finite values (one per coefficient)")
            }
            let flat = covariance.flatMap { $0 }
            guard covariance.count == d, covariance.allSatisfy({ $0.count == d }), flat.allSatisfy(\.isFinite),
                  let l = RegressionDesign.cholesky(flat, order: d) else {
                throw BayesianError.invalidPriorParameter(prior: "normal coefficient", parameter: "covariance", value: Double(covariance.count),
                                                          expected: "a \(d)×\(d) symmetric positive-definite matrix")
            }
            for j in 0..<d { logDeterminant += 2 * log(l[j * d + j]) }
            precision = RegressionDesign.inverse(cholesky: l, order: d)
            priorMean = mean
        }
        let regression = RegressionDesign(columns: d, x: design.flatMap { $0 }, priorPrecision: precision, priorMean: priorMean,
                                          priorLogDeterminant: logDeterminant, priorLabel: coefficientPrior.label)
        engine = try BayesianRandomEffectsModel(effectSizes: effectSizes, standardErrors: standardErrors, tauPrior: tauPrior,
                                                muPrior: .improperUniform, design: regression)
        self.design = design
        self.coefficientNames = coefficientNames
        self.coefficientPrior = coefficientPrior
        self.regression = regression
        var means: [[Double]] = [], covariances: [[Double]] = []
        for t in engine.componentTau {
            let c = regression.conditional(t, y: effectSizes, v: engine.variances)
            means.append(c.mean)
            covariances.append(c.covariance)
        }
        componentMeans = means
        componentCovariances = covariances
    }

    // MARK: τ

    public func tauDensity(_ t: Double) -> Double { engine.tauDensity(t) }
    public func tauCDF(_ t: Double) -> Double { engine.tauCDF(t) }
    public func tauQuantile(_ p: Double) throws -> Double { try engine.tauQuantile(p) }
    public var tauMean: Double { engine.tauMean }
    public var tauStandardDeviation: Double { engine.tauStandardDeviation }
    public func tauMode() throws -> Double? { try engine.tauMode() }
    public func tauShortestInterval(level: Double = 0.95) throws -> (lower: Double, upper: Double) {
        try engine.tauShortestInterval(level: level)
    }
    public func tauCentralInterval(level: Double = 0.95) throws -> (lower: Double, upper: Double) {
        try engine.tauCentralInterval(level: level)
    }

    // MARK: β, predictions and the θᵢ

    /// x'β's conditional mean and variance at component j.
    func linear(_ x: [Double], component j: Int) -> (mean: Double, variance: Double) {
        let d = regression.columns, b = componentMeans[j], v = componentCovariances[j]
        var mean = 0.0, variance = 0.0
        for a in 0..<d {
            mean += x[a] * b[a]
            for c in 0..<d { variance += x[a] * v[a * d + c] * x[c] }
        }
        return (mean, max(variance, 0))
    }

    /// The marginal posterior of coefficient j.
    public func coefficientPosterior(_ j: Int) -> NormalMixture {
        var x = [Double](repeating: 0, count: regression.columns)
        x[j] = 1
        return meanPosterior(at: x)
    }

    /// The posterior of the mean effect x'β at covariates x (one value per coefficient).
    public func meanPosterior(at x: [Double]) -> NormalMixture {
        precondition(x.count == regression.columns, "meanPosterior: \(x.count) covariates for \(regression.columns) coefficients")
        var means: [Double] = [], sds: [Double] = []
        for j in engine.componentTau.indices { let l = linear(x, component: j); means.append(l.mean); sds.append(l.variance.squareRoot()) }
        return NormalMixture(weights: engine.componentWeight, means: means, standardDeviations: sds)
    }

    /// The posterior predictive distribution of a new study's true effect at covariates x.
    public func predictivePosterior(at x: [Double]) -> NormalMixture {
        precondition(x.count == regression.columns, "predictivePosterior: \(x.count) covariates for \(regression.columns) coefficients")
        var means: [Double] = [], sds: [Double] = []
        for (j, t) in engine.componentTau.enumerated() {
            let l = linear(x, component: j)
            means.append(l.mean); sds.append((l.variance + t * t).squareRoot())
        }
        return NormalMixture(weights: engine.componentWeight, means: means, standardDeviations: sds)
    }

    /// The posterior of study i's true effect θᵢ: given τ, normal with mean (1 − bᵢ)yᵢ + bᵢxᵢ'E[β] and variance
    /// σᵢ²(1 − bᵢ) + bᵢ² xᵢ'Cov[β]xᵢ, bᵢ = σᵢ²/(σᵢ² + τ²).
    public func shrinkagePosterior(study i: Int) -> NormalMixture {
        var means: [Double] = [], sds: [Double] = []
        let v = engine.variances[i], y = engine.effectSizes[i]
        for (j, t) in engine.componentTau.enumerated() {
            let l = linear(design[i], component: j)
            let b = v / (v + t * t)
            means.append((1 - b) * y + b * l.mean)
            sds.append((v * (1 - b) + b * b * l.variance).squareRoot())
        }
        return NormalMixture(weights: engine.componentWeight, means: means, standardDeviations: sds)
    }

    // MARK: Point estimates and evidence

    /// A (τ, β) pair; nil where it does not exist.
    public struct Estimate: Sendable, Equatable {
        public let tau: Double?
        public let coefficients: [Double]?
    }

    /// The joint maximum-likelihood estimate over (τ, β).
    public func maximumLikelihood() throws -> Estimate {
        try jointMaximum(withPriors: false)
    }

    /// Posterior modes: joint = argmax of p(τ, β | y); marginal = the mode of τ's and of each coefficient's marginal.
    public func maximumAPosteriori() throws -> (joint: Estimate, marginal: Estimate) {
        let joint = try jointMaximum(withPriors: true)
        do {
            let modes = try coefficientNames.indices.map { try coefficientPosterior($0).mode() }
            return (joint, Estimate(tau: try tauMode(), coefficients: modes))
        } catch let error as BayesianError { throw error } catch {
            throw BayesianError.numericalFailure(quantity: "posterior mode of the coefficients", detail: "\(error)")
        }
    }

    func jointMaximum(withPriors: Bool) throws -> Estimate {
        let tau = try engine.maximise(includeZero: withPriors ? engine.zeroCanBeMode : true,
                                      value: { jointProfile($0, withPriors: withPriors).value },
                                      valueAtZero: jointProfile(0, withPriors: withPriors).value,
                                      derivative: { jointProfile($0, withPriors: withPriors).derivative })
        return Estimate(tau: tau, coefficients: tau.map { jointProfile($0, withPriors: withPriors).beta })
    }

    /// The joint log likelihood (or log posterior) over τ with β at its conditional optimum, and its τ-derivative
    /// (envelope theorem: β's own gradient is 0 there).
    func jointProfile(_ t: Double, withPriors: Bool) -> (value: Double, derivative: Double, beta: [Double]) {
        let design = withPriors ? regression : regression.withoutPrior
        let beta = design.conditional(t, y: engine.effectSizes, v: engine.variances).mean
        let d = regression.columns
        var value = 0.0, score = 0.0
        for i in engine.effectSizes.indices {
            let variance = engine.variances[i] + t * t
            var fitted = 0.0
            for j in 0..<d { fitted += design.x[i * d + j] * beta[j] }
            let r = engine.effectSizes[i] - fitted
            value += -0.5 * log(2 * Double.pi * variance) - 0.5 * r * r / variance
            score += -0.5 / variance + 0.5 * r * r / (variance * variance)
        }
        var derivative = 2 * t * score
        if withPriors {
            value += t == 0 ? log(engine.prior.densityAtZero) : log(engine.prior.density(t))
            if t > 0 { derivative += engine.prior.logDensityDerivative(t) }
            if let p = design.priorPrecision {
                for j in 0..<d {
                    for m in 0..<d { value -= 0.5 * (beta[j] - design.priorMean[j]) * p[j * d + m] * (beta[m] - design.priorMean[m]) }
                }
            }
        }
        return (value, derivative, beta)
    }

    /// log p(y), when the τ prior and the coefficient prior are both proper (nil otherwise).
    public var logMarginalLikelihood: Double? {
        guard tauPrior.isProper, regression.hasProperPrior else { return nil }
        return log(engine.normaliser) + engine.logOffset
    }
}
