import MetaNumerics

/// The p-value functions of a drapery plot (Rücker & Schwarzer 2021, Res Synth Methods 12:161–175; Infanger &
/// Schmidt-Trucksäss 2019, Stat Med 38:3077–3093): for every value θ of the effect, the two-sided p-value of the
/// test of H₀: effect = θ, for each study (z test with its standard error √vᵢ) and for the pooled estimate (the
/// model's own test: z, or t with the model's degrees of freedom and, for Knapp–Hartung, its scaled standard
/// error). At p = α a curve crosses the bounds of the (1 − α) confidence interval; its peak (p = 1) is the estimate.
///
/// The values are on the scale of analysis (log ratios for ratio measures).
public struct PValueFunctions: Sendable, Equatable {
    /// The θ grid shared by every curve (ascending).
    public let grid: [Double]
    /// One curve per study (model order), each with one p-value per grid value.
    public let studies: [[Double]]
    public let pooled: [Double]
    public let pooledEstimate: Double
    /// The prediction interval of the model (nil for a common-effect model), drawn as a band by the plot.
    public let predictionInterval: Prediction?

    /// - Parameters:
    ///   - range: θ from … to; by default the union of the studies' 99.9 % confidence intervals and the pooled one's.
    ///   - points: grid values (at least 2, at most 100,000).
    public init(model: RandomEffectsModel, range: (Double, Double)? = nil, points: Int = 301) throws(GraphicalDataError) {
        guard points >= 2 else { throw .tooFewPoints(found: points, minimum: 2) }
        let points = Swift.min(points, 100_000)
        let z = Normal.quantile(0.9995)
        let t = model.degreesOfFreedom.map { StudentT(degreesOfFreedom: Double($0)) }
        let wide = t.map { $0.quantile(0.9995) } ?? z
        var lower = model.estimate - wide * model.standardError, upper = model.estimate + wide * model.standardError
        for (y, v) in zip(model.effectSizes, model.samplingVariances) where y.isFinite && v.isFinite && v >= 0 {
            lower = Swift.min(lower, y - z * v.squareRoot())
            upper = Swift.max(upper, y + z * v.squareRoot())
        }
        if let range { (lower, upper) = (Swift.min(range.0, range.1), Swift.max(range.0, range.1)) }
        let grid = (0..<points).map { $0 == points - 1 ? upper : lower + (upper - lower) * Double($0) / Double(points - 1) }
        self.grid = grid
        studies = zip(model.effectSizes, model.samplingVariances).map { y, v in
            grid.map { Normal.twoSidedPValue((y - $0) / v.squareRoot()) }
        }
        let se = model.standardError
        pooled = grid.map { theta in
            let statistic = (model.estimate - theta) / se
            return t.map { $0.twoSidedPValue(statistic) } ?? Normal.twoSidedPValue(statistic)
        }
        pooledEstimate = model.estimate
        if model.isCommonEffect {
            predictionInterval = nil
        } else {
            predictionInterval = model.prediction
        }
    }
}
