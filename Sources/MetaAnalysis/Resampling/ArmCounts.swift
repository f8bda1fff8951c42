import MetaData
import MetaNumerics

/// The event counts behind a model's effect sizes, for the parametric bootstrap that redraws each arm's
/// events (``BootstrapType/arms``) and recomputes `yi`/`vi` with the same escalc settings.
///
/// Replicate data, study by study in model order, arm 1 then arm 2, from the replicate's own stream:
///
///     2×2 (RR, OR, RD, AS, PETO):   a*_i ~ Binomial(n1i, ai/n1i),  c*_i ~ Binomial(n2i, ci/n2i)
///     proportions (PR, PLN, PLO, PAS, PFT):   x*_i ~ Binomial(ni, xi/ni)
///     person-time (IRR, IRD):   x1*_i ~ Poisson(x1i),  x2*_i ~ Poisson(x2i)   (rate x/t, person-time t kept)
///     person-time (IRLN, IR):   x*_i ~ Poisson(xi)
///
/// The arm probabilities (rates) are the observed ones: the parametric bootstrap from the saturated binomial
/// (Poisson) model, each arm its own parameter estimated by maximum likelihood (Davison & Hinkley 1997,
/// *Bootstrap Methods and their Application*, section 2.2: resample from the fitted parametric model F̂_ψ̂;
/// Efron & Tibshirani 1993, section 6.5). It holds each study's true effect at its observed value and so
/// reproduces the within-study sampling error only: for a random-effects model the spread of μ̂* is the
/// conditional one (studies fixed), not the marginal one that would also redraw between-study variation
/// (which would draw arm probabilities around the pooled effect, θ*_i ~ N(μ̂, τ̂²) — not done here). An arm
/// with no events (or only events) keeps drawing none (all), as p̂ = 0 (1).
///
/// A replicate is scored by escalc's rules: the `to` rule decides the correction `add` from the replicate's
/// own zero counts; a study whose resampled table `drop00` would leave out, or whose `yi`/`vi` is not
/// finite (a zero count without correction), makes the replicate fail with that reason rather than refitting
/// fewer studies, so every replicate estimates the same k-study (and same-design) model. With escalc's
/// defaults (`add = 1/2`, `to = only0`, `drop00 = false`) no replicate fails this way.
public struct ArmCounts: Sendable, Equatable {
    /// How an arm's events are redrawn.
    enum Sampling: Sendable, Equatable {
        /// Binomial(size, events/size).
        case binomial
        /// Poisson(events); size is the person-time.
        case poisson
    }

    public let measure: EffectMeasure
    public let options: EscalcOptions
    /// Study labels and 1-based data rows, for failure reasons.
    public let studies: [String]
    public let rows: [Int]
    let sampling: Sampling
    let twoGroups: Bool
    /// Events and group size (or person-time) of arm 1 and, with two groups, arm 2, per study.
    let events1: [Double]
    let size1: [Double]
    let events2: [Double]
    let size2: [Double]

    public var studyCount: Int { events1.count }

    /// Reads the counts of data rows `rows` (0-based, the rows the model was fitted to, in model order).
    ///
    /// - Throws: `ResamplingError.armsNeedCounts` for a measure without counts; `InputError` for a missing
    ///   or malformed column, or a group size that is not a whole number (a binomial needs one).
    public static func read(measure: EffectMeasure, data: any StudyColumns, columns: [EscalcArgument: String] = [:],
                            options: EscalcOptions, rows: [Int]) throws -> ArmCounts {
        let input = EscalcInput(table: data, columns: columns, measure: measure)
        let labels = try input.studyLabels()
        var e1: [Double], s1: [Double], e2: [Double] = [], s2: [Double] = []
        let sampling: Sampling
        switch measure.family {
        case .twoByTwo:
            let tables = try TwoByTwoTable.read(input)
            e1 = tables.map(\.a); s1 = tables.map(\.n1); e2 = tables.map(\.c); s2 = tables.map(\.n2)
            sampling = .binomial
            for (i, t) in tables.enumerated() {
                try requireWhole(t.a, row: i, column: input.columnName(.ai))
                try requireWhole(t.n1, row: i, column: input.has(.bi) ? input.columnName(.bi) : input.columnName(.n1i))
                try requireWhole(t.c, row: i, column: input.columnName(.ci))
                try requireWhole(t.n2, row: i, column: input.has(.di) ? input.columnName(.di) : input.columnName(.n2i))
            }
        case .proportion:
            let x = try input.column(.xi)
            try input.requireNonNegative(x)
            let sizes = try input.either(.ni, or: .mi)
            e1 = x.values
            s1 = sizes.argument == .ni ? sizes.values : zip(x.values, sizes.values).map { $0 + $1 }
            sampling = .binomial
            for i in 0..<e1.count {
                try requireWhole(e1[i], row: i, column: x.name)
                try requireWhole(s1[i], row: i, column: sizes.name)
            }
        case .personTimeTwoGroup:
            let tables = try PersonTimeTable.read(input)
            e1 = tables.map(\.x1); s1 = tables.map(\.t1); e2 = tables.map(\.x2); s2 = tables.map(\.t2)
            sampling = .poisson
        case .personTimeSingleGroup:
            let x = try input.column(.xi), t = try input.column(.ti)
            try input.requireNonNegative(x)
            try input.requirePositive(t, "a person-time > 0")
            e1 = x.values; s1 = t.values
            sampling = .poisson
        default:
            throw ResamplingError.armsNeedCounts(measure: measure.rawValue)
        }
        let two = measure.family == .twoByTwo || measure.family == .personTimeTwoGroup
        return ArmCounts(measure: measure, options: options, studies: rows.map { labels[$0] }, rows: rows.map { $0 + 1 },
                         sampling: sampling, twoGroups: two, events1: rows.map { e1[$0] }, size1: rows.map { s1[$0] },
                         events2: two ? rows.map { e2[$0] } : [], size2: two ? rows.map { s2[$0] } : [])
    }

    private static func requireWhole(_ x: Double, row: Int, column: String) throws(InputError) {
        guard x == x.rounded(), x < 1e15 else {
            throw .outOfRange(row: row + 1, column: column, value: x, expected: "a whole number (binomial resampling of arms)")
        }
    }

    private func draw(_ events: Double, _ size: Double, _ stream: inout RandomStream) -> Double {
        switch sampling {
        case .binomial:
            let n = Int(size)
            return n > 0 ? Double(stream.nextBinomial(trials: n, probability: events / size)) : 0
        case .poisson:
            return Double(stream.nextPoisson(mean: events))
        }
    }

    /// Study i's zero tests on drawn events (x1, x2): (has a zero count, is a double-zero study for `drop00`).
    private func zeros(_ i: Int, _ x1: Double, _ x2: Double) -> (Bool, Bool) {
        switch measure.family {
        case .twoByTwo:
            let b = size1[i] - x1, d = size2[i] - x2
            return (x1 == 0 || b == 0 || x2 == 0 || d == 0, (x1 == 0 && x2 == 0) || (b == 0 && d == 0))
        case .proportion:
            return (x1 == 0 || x1 == size1[i], false)
        case .personTimeTwoGroup:
            return (x1 == 0 || x2 == 0, x1 == 0 && x2 == 0)
        default:
            return (x1 == 0, false)
        }
    }

    /// Study i's (yi, vi) from drawn events (x1, x2) with correction `add`.
    private func effect(_ i: Int, _ x1: Double, _ x2: Double, add: Double) -> (Double, Double) {
        switch measure.family {
        case .twoByTwo:
            return TwoByTwoCalculator.effect(measure, a: x1 + add, b: size1[i] - x1 + add, c: x2 + add, d: size2[i] - x2 + add)
        case .proportion:
            return ProportionCalculator.effect(measure, events: x1 + add, nonEvents: size1[i] - x1 + add)
        case .personTimeTwoGroup:
            return PersonTimeCalculator.twoGroupEffect(measure, x1: x1 + add, t1: size1[i], x2: x2 + add, t2: size2[i])
        default:
            return PersonTimeCalculator.singleGroupEffect(measure, x: x1 + add, t: size1[i])
        }
    }

    /// The observed data's (yi, vi), scored as a replicate is (for checks: they equal escalc's).
    public func observedEffects() -> (yi: [Double], vi: [Double]) {
        let k = studyCount
        var anyZero = false
        for i in 0..<k where zeros(i, events1[i], twoGroups ? events2[i] : 0).0 { anyZero = true }
        var y = [Double](repeating: .nan, count: k), v = y
        for i in 0..<k {
            let hasZero = zeros(i, events1[i], twoGroups ? events2[i] : 0).0
            let add = ContinuityCorrectionPlan.corrects(hasZero: hasZero, anyZero: anyZero, options: options) ? options.add : 0
            (y[i], v[i]) = effect(i, events1[i], twoGroups ? events2[i] : 0, add: add)
        }
        return (y, v)
    }

    /// Draws one replicate's events from `stream` (study by study, arm 1 then arm 2) into `drawn` (2k) and
    /// writes its (yi, vi) into `y` and `v`.
    ///
    /// - Returns: nil, or why the replicate cannot be scored (a study `drop00` leaves out, or a non-finite yi/vi).
    func drawReplicate(_ stream: inout RandomStream, y: inout [Double], v: inout [Double], drawn: inout [Double]) -> String? {
        let k = studyCount
        var anyZero = false
        for i in 0..<k {
            let x1 = draw(events1[i], size1[i], &stream)
            let x2 = twoGroups ? draw(events2[i], size2[i], &stream) : 0
            drawn[2 * i] = x1
            drawn[2 * i + 1] = x2
            let (hasZero, doubleZero) = zeros(i, x1, x2)
            if doubleZero && options.drop00 {
                return "study \(studies[i]) (row \(rows[i])): the resampled table has no events (or only events) in both groups, which --drop00 leaves out"
            }
            if hasZero { anyZero = true }
        }
        for i in 0..<k {
            let x1 = drawn[2 * i], x2 = drawn[2 * i + 1]
            let add = ContinuityCorrectionPlan.corrects(hasZero: zeros(i, x1, x2).0, anyZero: anyZero, options: options) ? options.add : 0
            let (yi, vi) = effect(i, x1, x2, add: add)
            guard yi.isFinite, vi.isFinite, vi > 0 else {
                return "study \(studies[i]) (row \(rows[i])): the resampled yi or vi is not finite or vi is not positive (a zero count without a continuity correction)"
            }
            y[i] = yi
            v[i] = vi
        }
        return nil
    }
}
