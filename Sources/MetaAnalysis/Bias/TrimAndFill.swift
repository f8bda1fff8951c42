#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData
import MetaNumerics

/// Duval & Tweedie's estimators of the number of missing studies.
public enum MissingStudiesEstimator: String, CaseIterable, Sendable {
    /// L₀ = (4 T_n − n(n + 1)) / (2n − 1), T_n the Wilcoxon rank sum of the positive centred effects.
    case L0
    /// R₀ = γ* − 1, γ* the length of the run of positive centred effects at the top of the ranks.
    case R0
}

/// The side of the funnel plot on which studies are missing.
public enum FunnelSide: String, CaseIterable, Sendable {
    case left
    case right
}

/// Trim-and-fill (Duval & Tweedie 2000a, 2000b; Duval 2005; metafor's `trimfill`).
///
/// With the missing side on the left (right: the effects are mirrored first), the studies are sorted by
/// effect; iteratively, the k₀ largest are trimmed, μ̂ is re-estimated from the rest with the model's
/// estimator, the effects of all n studies are centred at μ̂ and ranked by |y_i − μ̂|, and k₀ is
/// re-estimated (L₀ rounded, or R₀, truncated at 0) until it repeats. The k₀ trimmed studies are then
/// mirrored about μ̂ (y ↦ 2μ̂ − y, same variance) and the model is refitted to the k + k₀ studies.
///
/// Standard errors of k₀ (Duval & Tweedie 2000b): Var(R₀) = 2k₀ + 2; Var(L₀) = 16 Var(T_n)/(2n − 1)² with
/// Var(T_n) = [n(n+1)(2n+1) + 10k³ + 27k² + 17k − 18nk² − 18nk + 6n²k]/24 at k = the unrounded L₀. For R₀,
/// P(R₀ ≥ r) = 2^−(r+1) under no asymmetry gives the p-value of k₀.
public struct TrimAndFill: Sendable {
    public let estimator: MissingStudiesEstimator
    public let side: FunnelSide
    /// Whether `side` was chosen from the data (sign of the slope of y on √v) rather than given.
    public let sideWasEstimated: Bool
    /// k₀.
    public let missingCount: Int
    public let missingStandardError: Double
    /// R₀ only: the p-value of H₀: no missing studies.
    public let missingPValue: Double?
    /// Observed studies in input order, then the filled ones.
    public let filledEffects: [Double]
    public let filledVariances: [Double]
    public let isFilled: [Bool]
    public let studies: [String]
    /// The model fitted to observed and filled studies.
    public let adjustedModel: RandomEffectsModel
    public let iterations: Int
    public let diagnostics: [BiasDiagnostic]

    /// - Parameters:
    ///   - model: the fitted intercept-only model (its estimator, test, level and solver are used throughout).
    ///   - side: the side with missing studies; nil chooses it as metafor does, from the sign of the slope of
    ///     the meta-regression of y on √v with the model's estimator (negative: right, else left).
    /// - Throws: `InputError.tooFewStudies` for k < 3; `EstimationError.funnelSideUndetermined` when `side` is nil
    ///   and every sampling variance is the same; estimation errors from the fits.
    public init(model: RandomEffectsModel, estimator: MissingStudiesEstimator = .L0, side: FunnelSide? = nil,
                maxIterations: Int = 100) throws {
        let k = model.studyCount
        guard k >= 3 else { throw InputError.tooFewStudies(found: k, needed: 3, analysis: "Trim-and-fill") }
        let y = model.effectSizes, v = model.samplingVariances
        let chosenSide: FunnelSide
        if let side {
            chosenSide = side
        } else {
            // Equal variances make √v collinear with the intercept (metafor: NA slope, then an error).
            if let first = v.first, v.allSatisfy({ $0 == first }) {
                throw EstimationError.funnelSideUndetermined(samplingVariance: first)
            }
            let design = try DesignMatrix(continuous: [(name: "sei", values: v.map { $0.squareRoot() })])
            // Only the slope's sign is used; metafor fits this regression with its default z test, so an exact fit
            // (a Knapp-Hartung scale of 0) does not stop it.
            var sideOptions = model.options
            sideOptions.test = .z
            let slope = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, options: sideOptions)
                .coefficients[1]
            chosenSide = slope < 0 ? .right : .left
        }
        self.estimator = estimator
        self.side = chosenSide
        sideWasEstimated = side == nil
        let sign: Double = chosenSide == .left ? 1 : -1

        // Work with the missing studies on the left: the excess on the right is trimmed.
        let order = (0..<k).sorted { (sign * y[$0], $0) < (sign * y[$1], $1) }
        let sortedY = order.map { sign * y[$0] }
        let sortedV = order.map { v[$0] }
        var subsetOptions = model.options
        subsetOptions.test = .z
        let kernel = StudySubsetKernel(effects: sortedY, variances: sortedV, userWeights: model.userWeights.map { a in order.map { a[$0] } },
                                       centre: sign * model.estimate)
        let n = Double(k)
        var k0 = 0
        var raw = 0.0
        var mu = 0.0
        var iteration = 0
        var converged = false
        var ranks = [Double](repeating: 0, count: k)
        while iteration < maxIterations {
            iteration += 1
            mu = try SubsetFit(kernel: kernel.first(k - k0), options: subsetOptions).estimate
            let centred = sortedY.map { $0 - mu }
            Self.averageRanks(of: centred.map(abs), into: &ranks)
            let next: Int
            switch estimator {
            case .L0:
                var sumPositive = 0.0
                for i in 0..<k where centred[i] > 0 { sumPositive += ranks[i] }
                raw = (4 * sumPositive - n * (n + 1)) / (2 * n - 1)
                next = max(0, Int(raw.rounded()))
            case .R0:
                // The run of positive deviations among the largest |deviations|.
                let byMagnitude = (0..<k).sorted { ranks[$0] > ranks[$1] }
                var run = 0
                for i in byMagnitude { if centred[i] > 0 { run += 1 } else { break } }
                raw = Double(run - 1)
                next = max(0, run - 1)
            }
            if next == k0 { converged = true; break }
            k0 = next
        }
        missingCount = k0
        iterations = iteration
        switch estimator {
        case .L0:
            let m = raw
            let varianceT = (n * (n + 1) * (2 * n + 1) + 10 * m * m * m + 27 * m * m + 17 * m - 18 * n * m * m - 18 * n * m
                + 6 * n * n * m) / 24
            missingStandardError = (16 * varianceT).squareRoot() / (2 * n - 1)
            missingPValue = nil
        case .R0:
            missingStandardError = (2 * Double(k0) + 2).squareRoot()
            missingPValue = pow(0.5, Double(k0 + 1))
        }
        var notes = BiasDiagnostic.studyCountNote(k, "trim-and-fill")
        if !converged { notes.append(.trimAndFillDidNotConverge(iterations: maxIterations)) }
        diagnostics = notes

        let trimmed = Array((k - k0)..<k)
        let fillY = trimmed.map { sign * (2 * mu - sortedY[$0]) }
        let fillV = trimmed.map { sortedV[$0] }
        filledEffects = y + fillY
        filledVariances = v + fillV
        isFilled = [Bool](repeating: false, count: k) + [Bool](repeating: true, count: k0)
        let labels = model.studies
        studies = labels + trimmed.map { "Filled \(labels[order[$0]])" }
        adjustedModel = try RandomEffectsModel.fit(effectSizes: filledEffects, samplingVariances: filledVariances, studies: studies,
                                                   userWeights: model.userWeights.map { a in a + trimmed.map { a[order[$0]] } },
                                                   options: model.options)
    }

    /// Ranks 1…n with ties given their average rank (R's `rank` default).
    static func averageRanks(of values: [Double], into ranks: inout [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j + 2) / 2
            for m in i...j { ranks[order[m]] = rank }
            i = j + 1
        }
    }
}
