#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// The data of a contrast-based network meta-analysis: one effect per comparison of `firstTreatments[i]` with
/// `secondTreatments[i]` (treatment 1 minus treatment 2 on the measure's scale) in study `studies[i]`, and their
/// sampling covariance V (block-diagonal by study: contrasts of one multi-arm study share an arm and covary).
public struct NetworkContrasts: Sendable, Equatable {
    public let studies: [String]
    public let firstTreatments: [String]
    public let secondTreatments: [String]
    public let effects: [Double]
    public let samplingCovariance: SamplingCovariance
    /// Data row (1-based) of each contrast, for messages; for arm-level data, the row of its first treatment's arm.
    public let dataRows: [Int]

    /// - Throws: ``NetworkError`` for lengths that differ or a contrast of a treatment with itself.
    public init(studies: [String], firstTreatments: [String], secondTreatments: [String], effects: [Double],
                samplingCovariance: SamplingCovariance, dataRows: [Int]? = nil) throws(NetworkError) {
        let k = effects.count
        for (what, count) in [("The study column", studies.count), ("The first treatment column", firstTreatments.count),
                              ("The second treatment column", secondTreatments.count), ("The sampling covariance", samplingCovariance.count),
                              ("The row list", dataRows?.count ?? k)] where count != k {
            throw .lengthMismatch(what: what, count: count, expected: k)
        }
        let rows = dataRows ?? (0..<k).map { $0 + 1 }
        for i in 0..<k where firstTreatments[i] == secondTreatments[i] {
            throw .sameTreatment(row: rows[i], treatment: firstTreatments[i])
        }
        self.studies = studies
        self.firstTreatments = firstTreatments
        self.secondTreatments = secondTreatments
        self.effects = effects
        self.samplingCovariance = samplingCovariance
        self.dataRows = rows
    }

    /// The treatments, sorted (as R orders factor levels).
    public var treatments: [String] { Set(firstTreatments + secondTreatments).sorted() }

    /// A study's design: its treatments, sorted, joined by "-" (Law et al. 2016's design of a study).
    public var designs: [String] {
        var arms: [String: Set<String>] = [:]
        for i in effects.indices { arms[studies[i], default: []].formUnion([firstTreatments[i], secondTreatments[i]]) }
        return studies.map { arms[$0, default: []].sorted().joined(separator: "-") }
    }

    /// The comparison of each contrast, "treatment1-treatment2".
    public var comparisons: [String] { effects.indices.map { "\(firstTreatments[$0])-\(secondTreatments[$0])" } }
}

/// Arm-level data of a network: one row per arm (study, treatment) with the arm's events and size (binary
/// outcomes) or mean, SD and size (continuous outcomes).
public struct NetworkArms: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Events `xi` out of `ni` per arm.
        case binary(events: [Double], sizes: [Double])
        /// Mean `mi`, standard deviation `sdi` and size `ni` per arm.
        case continuous(means: [Double], standardDeviations: [Double], sizes: [Double])

        var count: Int {
            switch self {
            case let .binary(events, _): return events.count
            case let .continuous(means, _, _): return means.count
            }
        }
    }

    public let studies: [String]
    public let treatments: [String]
    public let outcome: Outcome

    /// The measures with an arm-level statistic: OR, RR, RD (binary) and MD (continuous).
    public static let armMeasures: [EffectMeasure] = [.logOddsRatio, .logRiskRatio, .riskDifference, .meanDifference]

    public init(studies: [String], treatments: [String], outcome: Outcome) throws(NetworkError) {
        for (what, count) in [("The study column", studies.count), ("The treatment column", treatments.count)] where count != outcome.count {
            throw .lengthMismatch(what: what, count: count, expected: outcome.count)
        }
        self.studies = studies
        self.treatments = treatments
        self.outcome = outcome
    }

    /// The contrasts of every study's arms against its base arm — the reference when the study has it, else its
    /// first treatment in sorted order — with V from the shared base arm: Cov(θ_a − θ_b, θ_c − θ_b) = Var(θ_b)
    /// (Gleser & Olkin 2009, eq. 19.11 for log odds; the same for any arm-level statistic θ).
    ///
    /// Arm statistics and variances, with `add` on both cells of every arm of a corrected study (metafor's `to`
    /// rule applied per study, so that a shared arm has one value in all its contrasts):
    ///
    ///     OR: log(x/(n − x)), 1/x + 1/(n − x)     RR: log(x/n), 1/x − 1/n
    ///     RD: x/n, p(1 − p)/n                     MD: m, sd²/n
    ///
    /// Each contrast equals escalc's yi and vi for that pair of arms.
    /// - Throws: ``NetworkError`` (a study with one arm or a repeated treatment, a measure without an arm
    ///   statistic) or `InputError` for events outside [0, n], sizes ≤ 0 or SDs < 0 (row and column named).
    public func contrasts(measure: EffectMeasure, reference: String?, options: EscalcOptions) throws -> (contrasts: NetworkContrasts, diagnostics: [EffectSizeDiagnostic]) {
        guard Self.armMeasures.contains(measure) else {
            throw NetworkError.measureNotFromArms(measure.rawValue, available: Self.armMeasures.map(\.rawValue))
        }
        let n = outcome.count
        // Checks first: each arm's numbers (rows named), then the arms of every study.
        switch outcome {
        case let .binary(events, sizes):
            guard measure != .meanDifference else { throw NetworkError.measureNotFromArms(measure.rawValue, available: ["OR", "RR", "RD"]) }
            for i in 0..<n {
                if !(sizes[i] > 0) { throw InputError.outOfRange(row: i + 1, column: "ni", value: sizes[i], expected: "a positive arm size") }
                if !(events[i] >= 0 && events[i] <= sizes[i]) {
                    throw InputError.outOfRange(row: i + 1, column: "xi", value: events[i], expected: "events between 0 and the arm size ni = \(sizes[i])")
                }
            }
        case let .continuous(_, sds, sizes):
            guard measure == .meanDifference else { throw NetworkError.measureNotFromArms(measure.rawValue, available: ["MD"]) }
            for i in 0..<n {
                if !(sizes[i] > 0) { throw InputError.outOfRange(row: i + 1, column: "ni", value: sizes[i], expected: "a positive arm size") }
                if !(sds[i] >= 0) { throw InputError.outOfRange(row: i + 1, column: "sdi", value: sds[i], expected: "a standard deviation >= 0") }
            }
        }
        var order: [String] = []
        var armsOf: [String: [Int]] = [:]
        for i in 0..<n {
            if armsOf[studies[i]] == nil { order.append(studies[i]) }
            if armsOf[studies[i]]?.contains(where: { treatments[$0] == treatments[i] }) == true {
                throw NetworkError.repeatedArm(study: studies[i], treatment: treatments[i])
            }
            armsOf[studies[i], default: []].append(i)
        }
        for s in order where armsOf[s]!.count < 2 { throw NetworkError.singleArm(study: s) }
        // The continuity correction, decided per study.
        var corrected = Set<String>()
        var diagnostics: [EffectSizeDiagnostic] = []
        if case let .binary(events, sizes) = outcome {
            let zero = order.map { s in armsOf[s]!.contains { events[$0] == 0 || events[$0] == sizes[$0] } }
            let anyZero = zero.contains(true)
            for (j, s) in order.enumerated() where ContinuityCorrectionPlan.corrects(hasZero: zero[j], anyZero: anyZero, options: options) {
                corrected.insert(s)
                diagnostics.append(.continuityCorrection(study: s, row: armsOf[s]![0] + 1, added: options.add))
            }
        }
        func statistic(_ i: Int) -> (theta: Double, variance: Double) {
            switch outcome {
            case let .binary(events, sizes):
                let add = corrected.contains(studies[i]) ? options.add : 0
                let x = events[i] + add, m = sizes[i] + 2 * add
                switch measure {
                case .logOddsRatio: return (log(x / (m - x)), 1 / x + 1 / (m - x))
                case .logRiskRatio: return (log(x / m), 1 / x - 1 / m)
                default: let p = x / m; return (p, p * (1 - p) / m)
                }
            case let .continuous(means, sds, sizes):
                return (means[i], sds[i] * sds[i] / sizes[i])
            }
        }
        var studyOf: [String] = [], first: [String] = [], second: [String] = [], y: [Double] = [], rows: [Int] = []
        var blocks: [(rows: [Int], values: [Double])] = []
        for s in order {
            let arms = armsOf[s]!
            let base = arms.first { treatments[$0] == reference } ?? arms.min { treatments[$0] < treatments[$1] }!
            let b = statistic(base)
            let others = arms.filter { $0 != base }
            let start = y.count
            for a in others {
                let t = statistic(a)
                studyOf.append(s); first.append(treatments[a]); second.append(treatments[base])
                y.append(t.theta - b.theta); rows.append(a + 1)
            }
            let size = others.count
            var values = [Double](repeating: b.variance, count: size * size)
            for (p, a) in others.enumerated() { values[p * size + p] = statistic(a).variance + b.variance }
            blocks.append((Array(start..<(start + size)), values))
        }
        let v = try SamplingCovariance(count: y.count, blocks: blocks)
        return (try NetworkContrasts(studies: studyOf, firstTreatments: first, secondTreatments: second, effects: y,
                                     samplingCovariance: v, dataRows: rows), diagnostics)
    }
}
