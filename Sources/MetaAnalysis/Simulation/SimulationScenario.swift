#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import MetaData
import MetaNumerics

/// The kind of data a simulation generates.
public enum SimulatedOutcome: String, CaseIterable, Sendable {
    /// Two arms' means, SDs and sizes (σ = 1 in both arms), pooled as mean differences (MD).
    case continuous
    /// Two arms' events and sizes, pooled as log odds ratios (OR, metafor's continuity correction).
    case binary
}

/// One data-generating model of a simulation study (Langan et al. 2019; Veroniki et al. 2016): k studies whose true
/// effects are θᵢ ~ N(μ, τ²), each with two arms of nᵢ patients, nᵢ uniform on `sampleSizes`.
///
/// - continuous: arm means x̄₁ ~ N(θᵢ, 1/nᵢ), x̄₂ ~ N(0, 1/nᵢ), SDs sⱼ² ~ χ²(nᵢ − 1)/(nᵢ − 1) (σ = 1): μ is a mean
///   difference in SD units.
/// - binary: control risk p₀ = `baselineRisk`, treatment risk expit(logit p₀ + θᵢ), events binomial: μ is a log
///   odds ratio.
public struct SimulationScenario: Sendable, Equatable {
    /// k, the number of studies.
    public var studies: Int
    public var tauSquared: Double
    /// μ, the mean of the true effects (the estimand).
    public var effect: Double
    /// Patients per arm, drawn uniformly from this range for each study.
    public var sampleSizes: ClosedRange<Int>
    public var outcome: SimulatedOutcome
    /// The control arm's risk (binary outcomes only).
    public var baselineRisk: Double

    public init(studies: Int, tauSquared: Double, effect: Double, sampleSizes: ClosedRange<Int>,
                outcome: SimulatedOutcome, baselineRisk: Double = 0.2) {
        self.studies = studies
        self.tauSquared = tauSquared
        self.effect = effect
        self.sampleSizes = sampleSizes
        self.outcome = outcome
        self.baselineRisk = baselineRisk
    }

    /// The measure the generated data are pooled with.
    public var measure: EffectMeasure { outcome == .binary ? .logOddsRatio : .meanDifference }

    /// Checks that the model can generate data.
    ///
    /// - Throws: `InputError.invalidOption` naming the quantity and what it must be.
    public func validate() throws(InputError) {
        guard studies >= 1 else { throw .invalidOption(name: "k", value: String(studies), expected: "a number of studies >= 1") }
        guard tauSquared >= 0, tauSquared.isFinite else {
            throw .invalidOption(name: "tau^2", value: NumberText.plain(tauSquared), expected: "a finite value >= 0")
        }
        guard effect.isFinite else { throw .invalidOption(name: "effect", value: NumberText.plain(effect), expected: "a finite value") }
        let smallest = outcome == .continuous ? 2 : 1
        guard sampleSizes.lowerBound >= smallest else {
            throw .invalidOption(name: "sample sizes", value: "\(sampleSizes.lowerBound)-\(sampleSizes.upperBound)",
                                 expected: "patients per arm >= \(smallest) for \(outcome.rawValue) outcomes")
        }
        guard outcome == .continuous || (baselineRisk > 0 && baselineRisk < 1) else {
            throw .invalidOption(name: "baseline risk", value: NumberText.plain(baselineRisk), expected: "a risk strictly between 0 and 1")
        }
    }

    /// The k studies drawn from `stream`.
    public func data(_ stream: inout RandomStream) -> StudyData {
        let tau = tauSquared.squareRoot()
        let k = studies, span = Double(sampleSizes.count)
        switch outcome {
        case .continuous:
            var m1 = [Double](), sd1 = [Double](), m2 = [Double](), sd2 = [Double](), n = [Double]()
            for _ in 0..<k {
                let ni = sampleSizes.lowerBound + min(sampleSizes.count - 1, Int(stream.nextUniform() * span))
                let theta = effect + tau * stream.nextNormal()
                let se = (1 / Double(ni)).squareRoot(), df = Double(ni - 1)
                m1.append(theta + se * stream.nextNormal())
                m2.append(se * stream.nextNormal())
                sd1.append((stream.nextChiSquared(degreesOfFreedom: df) / df).squareRoot())
                sd2.append((stream.nextChiSquared(degreesOfFreedom: df) / df).squareRoot())
                n.append(Double(ni))
            }
            return .twoGroup(m1i: m1, sd1i: sd1, n1i: n, m2i: m2, sd2i: sd2, n2i: n)
        case .binary:
            var a = [Double](), c = [Double](), n = [Double]()
            let baseLogit = log(baselineRisk / (1 - baselineRisk))
            for _ in 0..<k {
                let ni = sampleSizes.lowerBound + min(sampleSizes.count - 1, Int(stream.nextUniform() * span))
                let theta = effect + tau * stream.nextNormal()
                let p1 = 1 / (1 + exp(-(baseLogit + theta)))
                a.append(Double(stream.nextBinomial(trials: ni, probability: p1)))
                c.append(Double(stream.nextBinomial(trials: ni, probability: baselineRisk)))
                n.append(Double(ni))
            }
            return .twoByTwo(ai: a, n1i: n, ci: c, n2i: n)
        }
    }
}
