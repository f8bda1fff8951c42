#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// The points and the pooled-effect curve of a L'Abbé plot (L'Abbé, Detsky & O'Rourke 1987, Ann Intern Med
/// 107:224–233): each study's event rate in the experimental arm (arm 1: `ai/n1i`) against the rate in the control
/// arm (arm 2: `ci/n2i`), with the pooled effect drawn as the curve of experimental risks it implies at every
/// control risk.
///
/// The rates are the observed proportions (no continuity correction: 0/n is the rate 0); the curve maps a control
/// risk p to RR·p (RR), the risk with odds OR·p/(1−p) (OR, PETO), p + RD (RD) or sin²(asin √p + AS) (AS), and is
/// cut where it leaves [0, 1].
public struct LabbeData: Sendable, Equatable {
    public let measure: EffectMeasure
    public let studies: [String]
    /// Event rate of the control arm (x of the plot) and of the experimental arm (y), per study in model order.
    public let controlRates: [Double]
    public let experimentalRates: [Double]
    /// Each study's weight in the model, in percent (the points' areas).
    public let weightsPercent: [Double]
    /// The pooled estimate on the scale of analysis (log ratio, difference or arcsine difference).
    public let pooledEstimate: Double

    /// The measures whose pooled value maps a control risk to an experimental risk.
    public static let measures: [EffectMeasure] = [.logRiskRatio, .logOddsRatio, .riskDifference, .arcsineRiskDifference, .petoLogOddsRatio]

    /// Reads the arms' counts of data rows `rows` (the model's studies, in model order) and takes the weights and
    /// the pooled estimate from `model`.
    ///
    /// - Throws: `GraphicalDataError.labbeNeedsTwoArmCounts` for another measure; `InputError` for a missing or
    ///   malformed column.
    public init(model: RandomEffectsModel, measure: EffectMeasure, data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                options: EscalcOptions, rows: [Int]) throws {
        guard Self.measures.contains(measure) else { throw GraphicalDataError.labbeNeedsTwoArmCounts(measure: measure.rawValue) }
        let counts = try ArmCounts.read(measure: measure, data: data, columns: columns, options: options, rows: rows)
        precondition(counts.studyCount == model.studyCount, "LabbeData: the rows are the model's studies")
        self.init(measure: measure, studies: model.studies,
                  controlRates: zip(counts.events2, counts.size2).map { $0 / $1 },
                  experimentalRates: zip(counts.events1, counts.size1).map { $0 / $1 },
                  weightsPercent: model.weightsPercent, pooledEstimate: model.estimate)
    }

    public init(measure: EffectMeasure, studies: [String], controlRates: [Double], experimentalRates: [Double],
                weightsPercent: [Double], pooledEstimate: Double) {
        precondition(controlRates.count == experimentalRates.count && controlRates.count == weightsPercent.count,
                     "LabbeData: one rate per arm and one weight per study")
        self.measure = measure
        self.studies = studies
        self.controlRates = controlRates
        self.experimentalRates = experimentalRates
        self.weightsPercent = weightsPercent
        self.pooledEstimate = pooledEstimate
    }

    /// The experimental risk the pooled effect implies at control risk `p` (nil where it leaves [0, 1]).
    public func experimentalRisk(controlRisk p: Double) -> Double? {
        let q = unclippedRisk(p)
        return q.isFinite && q >= 0 && q <= 1 ? q : nil
    }

    /// The implied risk before clipping: below 0 or above 1 where the pooled effect leaves the unit interval (an
    /// arcsine difference past 0 or π/2 gives −1 or 2). Increasing in `p` for every measure.
    func unclippedRisk(_ p: Double) -> Double {
        let theta = pooledEstimate
        switch measure {
        case .logRiskRatio: return exp(theta) * p
        case .logOddsRatio, .petoLogOddsRatio:
            guard p < 1 else { return 1 }
            let odds = exp(theta) * p / (1 - p)
            return odds / (1 + odds)
        case .riskDifference: return p + theta
        case .arcsineRiskDifference:
            let angle = asin(p.squareRoot()) + theta
            if angle < 0 { return -1 }
            if angle > Double.pi / 2 { return 2 }
            return sin(angle) * sin(angle)
        default: return .nan
        }
    }

    /// The pooled-effect curve at `points` control risks evenly spaced on [0, `upTo`], kept where the implied risk lies
    /// in [0, `upTo`] (the square the plot draws), with the points where it crosses 0 or `upTo` added so that the
    /// curve reaches the frame.
    public func pooledCurve(upTo: Double = 1, points: Int = 101) throws(GraphicalDataError) -> [(control: Double, experimental: Double)] {
        guard points >= 2 else { throw .tooFewPoints(found: points, minimum: 2) }
        let top = upTo.isFinite ? Swift.min(1, Swift.max(upTo, 1e-6)) : 1
        var controls = (0..<points).map { top * Double($0) / Double(points - 1) }
        // Crossings of q(p) = 0 and q(p) = top by bisection (q increases in p); 200 halvings at most.
        for level in [0, top] where unclippedRisk(0) < level && unclippedRisk(top) > level {
            var (a, b) = (0.0, top)
            for _ in 0..<200 where b - a > 1e-15 * top {
                let mid = (a + b) / 2
                if unclippedRisk(mid) < level { a = mid } else { b = mid }
            }
            controls.append((a + b) / 2)
        }
        var curve: [(control: Double, experimental: Double)] = []
        for p in controls.sorted() {
            let q = unclippedRisk(p)
            guard q.isFinite else { continue }
            if q >= -1e-12 && q <= top * (1 + 1e-12) { curve.append((p, Swift.min(Swift.max(q, 0), top))) }
        }
        return curve
    }
}
