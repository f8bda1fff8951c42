#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaNumerics

/// A prior distribution for the between-study standard deviation τ of the normal–normal hierarchical model.
///
/// Densities are those of bayesmeta 3.4 (Röver 2020, J Stat Softw 93(6), §2.3 and its documentation of
/// `dhalfnormal`, `dhalfcauchy`, `dhalft`, `"Jeffreys"`, `"conventional"`, `"shrinkage"`, `"DuMouchel"`, `"I2"`).
/// The data-dependent priors (Jeffreys, conventional, shrinkage, DuMouchel, I²) are resolved against the studies'
/// standard errors by ``BayesianRandomEffectsModel``.
public enum TauPrior: Sendable, Equatable {
    /// 2/s·φ(τ/s) (Friede et al. 2017, Res Synth Methods 8:79, recommend s = 0.5 for log odds ratios).
    case halfNormal(scale: Double)
    /// 2/(πs(1 + (τ/s)²)) (Gelman 2006, Bayesian Anal 1:515).
    case halfCauchy(scale: Double)
    /// 2/s·t_ν(τ/s) (Gelman 2006).
    case halfStudentT(degreesOfFreedom: Double, scale: Double)
    /// Uniform on [0, upper] (bounded support; the improper uniform on [0, ∞) is ``improperUniform``).
    case uniform(upper: Double)
    /// The improper uniform prior on [0, ∞) (bayesmeta's default `"uniform"`).
    case improperUniform
    /// λ·e^(−λτ).
    case exponential(rate: Double)
    /// The (improper) Jeffreys prior √(Σᵢ (τ/(σᵢ² + τ²))²) (Bodnar et al. 2017, Stat Med 36:1207; bayesmeta `"Jeffreys"`).
    case jeffreys
    /// The conventional prior τ·Πᵢ(σᵢ² + τ²)^(−3/(2k)), normalised numerically (Bodnar et al. 2017; Berger &
    /// Deely 1988; bayesmeta `"conventional"`).
    case conventional
    /// The uniform shrinkage prior 2τs₀²/(s₀² + τ²)², s₀² = k/Σ σᵢ⁻² (Daniels 1999, Stat Med 18:1011).
    case uniformShrinkage
    /// DuMouchel's prior s₀/(s₀ + τ)², s₀ = √(k/Σ σᵢ⁻²) (DuMouchel & Normand 2000; Spiegelhalter et al. 2004, §5.7.3).
    case duMouchel
    /// Uniform on I² = τ²/(τ² + σ̂²) with Higgins & Thompson's σ̂² (density 2τσ̂²/(τ² + σ̂²)²).
    case uniformISquared
    /// log τ² ~ N(μ, σ²): an empirical log-normal prior of Turner et al. (2015).
    case turner(TurnerPrior)
    /// log τ² ~ t₅(location, scale): an empirical log-t prior of Rhodes et al. (2015).
    case rhodes(RhodesPrior)

    /// Whether the prior integrates to a finite value (the marginal likelihood and Bayes factors need it).
    public var isProper: Bool {
        switch self {
        case .improperUniform, .jeffreys: return false
        default: return true
        }
    }

    /// A short label in bayesmeta's terms, for reports.
    public var label: String {
        switch self {
        case .halfNormal(let s): return "half-normal (scale \(s))"
        case .halfCauchy(let s): return "half-Cauchy (scale \(s))"
        case .halfStudentT(let df, let s): return "half-Student-t (df \(df), scale \(s))"
        case .uniform(let u): return "uniform (0, \(u))"
        case .improperUniform: return "improper uniform"
        case .exponential(let r): return "exponential (rate \(r))"
        case .jeffreys: return "Jeffreys"
        case .conventional: return "conventional"
        case .uniformShrinkage: return "uniform shrinkage"
        case .duMouchel: return "DuMouchel"
        case .uniformISquared: return "uniform on I²"
        case .turner(let p): return "Turner et al. (2015): \(p.label)"
        case .rhodes(let p): return "Rhodes et al. (2015): \(p.label)"
        }
    }
}

/// Turner et al.'s (2015) log-normal prior for τ² of a log odds ratio: log τ² ~ N(meanLog, sdLog²).
public struct TurnerPrior: Sendable, Equatable {
    /// The outcome type (Turner et al.'s label), or nil for the general setting.
    public let outcome: TurnerPrior.Outcome?
    /// The comparison type, or nil for the general setting.
    public let comparison: TurnerPrior.Comparison?
    /// Mean and standard deviation of log τ².
    public let meanLog: Double
    public let sdLog: Double

    public var label: String {
        guard let outcome, let comparison else { return "any outcome, any comparison" }
        return "\(outcome.rawValue); \(comparison.rawValue)"
    }

    /// Outcome types of Turner et al. (2015, Table IV), spelled as bayesmeta's `TurnerEtAlPrior()` spells them.
    public enum Outcome: String, Sendable, CaseIterable {
        case allCauseMortality = "all-cause mortality"
        case obstetric = "obstetric outcomes"
        case causeSpecificMortality = "cause-specific mortality / major morbidity event / composite (mortality or morbidity)"
        case resourceUse = "resource use / hospital stay / process"
        case surgical = "surgical / device related success / failure"
        case withdrawals = "withdrawals / drop-outs"
        case internalStructure = "internal / structure-related outcomes"
        case generalPhysicalHealth = "general physical health indicators"
        case adverseEvents = "adverse events"
        case infection = "infection / onset of new disease"
        case signsSymptoms = "signs / symptoms reflecting continuation / end of condition"
        case pain = "pain"
        case qualityOfLife = "quality of life / functioning (dichotomized)"
        case mentalHealth = "mental health indicators"
        case biologicalMarkers = "biological markers (dichotomized)"
        case subjective = "subjective outcomes (various)"
    }

    /// Comparison types of Turner et al. (2015, Table IV).
    public enum Comparison: String, Sendable, CaseIterable {
        case pharmacologicalVsPlaceboControl = "pharmacological vs. placebo / control"
        case pharmacologicalVsPharmacological = "pharmacological vs. pharmacological"
        case nonPharmacological = "non-pharmacological (any)"
    }

    /// The general (marginal) setting: log τ² ~ N(−2.56, 1.74²) (Turner et al. 2015, Table IV, "general
    /// healthcare setting"; bayesmeta `TurnerEtAlPrior()`).
    public static let anySetting = TurnerPrior(outcome: nil, comparison: nil, meanLog: -2.56, sdLog: 1.74)

    /// The prior for an outcome and comparison type (Turner et al. 2015, Table IV).
    public init(outcome: Outcome, comparison: Comparison) {
        let row = Outcome.allCases.firstIndex(of: outcome)!
        let column = Comparison.allCases.firstIndex(of: comparison)!
        self.init(outcome: outcome, comparison: comparison,
                  meanLog: Self.meanLogTable[column][row], sdLog: Self.sdLogTable[column][row])
    }

    init(outcome: Outcome?, comparison: Comparison?, meanLog: Double, sdLog: Double) {
        self.outcome = outcome
        self.comparison = comparison
        self.meanLog = meanLog
        self.sdLog = sdLog
    }

    // Turner RM, Jackson D, Wei Y, Thompson SG, Higgins JPT (2015), Stat Med 34:984–998, Table IV: the
    // predictive log-normal distributions for τ² by outcome type (rows, in `Outcome` order) and comparison type
    // (columns, in `Comparison` order). Cross-checked: the "pharmacological vs. placebo / control" entries for
    // all-cause mortality (−3.95, 1.34) and surgical/device outcomes (−2.14, 1.74) and the general setting
    // (−2.56, 1.74) against bayesmeta 3.4's `TurnerEtAlPrior()` (conformance bank v5b); the other entries as
    // tabulated in the paper (transcription cross-read against rnmamod's `table_tau2_prior`).
    static let meanLogTable: [[Double]] = [
        [-3.95, -3.52, -3.71, -2.34, -2.14, -2.99, -2.71, -2.29, -1.87, -2.49, -2.06, -1.83, -2.54, -2.12, -1.77, -2.70],
        [-4.18, -3.75, -3.95, -2.58, -2.37, -3.23, -2.94, -2.53, -2.10, -2.73, -2.29, -2.06, -2.78, -2.35, -2.00, -2.93],
        [-4.17, -3.74, -3.93, -2.56, -2.36, -3.21, -2.93, -2.51, -2.10, -2.71, -2.28, -2.05, -2.77, -2.34, -1.99, -2.92],
    ]
    static let sdLogTable: [[Double]] = [
        [1.34, 1.74, 1.74, 1.74, 1.74, 1.74, 1.74, 1.53, 1.52, 1.52, 1.51, 1.52, 1.54, 1.53, 1.52, 1.52],
        [1.41, 1.79, 1.79, 1.79, 1.79, 1.79, 1.79, 1.58, 1.58, 1.58, 1.58, 1.58, 1.60, 1.60, 1.58, 1.58],
        [1.55, 1.91, 1.91, 1.91, 1.91, 1.91, 1.92, 1.72, 1.71, 1.71, 1.71, 1.71, 1.73, 1.72, 1.71, 1.71],
    ]
}

/// Rhodes et al.'s (2015) log-t₅ prior for τ² of a standardised mean difference: log τ² ~ t₅(location, scale).
///
/// Only the settings whose values are verified against bayesmeta 3.4's `RhodesEtAlPrior()` are named here (the
/// general setting and one outcome/comparison/area cell); any other published cell can be given by its
/// location and scale with ``init(label:location:scale:)``.
public struct RhodesPrior: Sendable, Equatable {
    public let label: String
    /// Location and scale of log τ² (t distribution with 5 degrees of freedom).
    public let location: Double
    public let scale: Double

    public init(label: String, location: Double, scale: Double) {
        self.label = label
        self.location = location
        self.scale = scale
    }

    /// The general (marginal) setting: log τ² ~ t₅(−3.44, 2.59) (Rhodes, Turner & Higgins 2015, J Clin Epidemiol
    /// 68:52–60, Table 3; bayesmeta `RhodesEtAlPrior()`).
    public static let anySetting = RhodesPrior(label: "any outcome, any comparison", location: -3.44, scale: 2.59)

    /// Resource use and hospital stay / process, non-pharmacological comparison, other medical area:
    /// t₅(−2.41, 2.57) (Rhodes et al. 2015, Table 3; bayesmeta `RhodesEtAlPrior("resource use and hospital stay /
    /// process", "non-pharmacological", "placebo / control")`).
    public static let resourceUseNonPharmacological = RhodesPrior(
        label: "resource use and hospital stay / process; non-pharmacological (any); other area",
        location: -2.41, scale: 2.57)
}
