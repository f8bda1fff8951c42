/// The analyses of a Cochrane review as RevMan 5 stores them: comparisons, their outcomes (with RevMan's analysis
/// settings and, where the file has them, RevMan's own pooled results) and each outcome's study data.
///
/// Read from a RevMan 5 review file (`.rm5`, XML in ISO-8859-1) or from a Cochrane data package CSV (one row per
/// comparison, outcome, subgroup and study, with "Comparison Number, Outcome Number, Subgroup Number, Name, Data
/// Type, …"). `table(for:)` turns one outcome into study rows under escalc's argument names, so the library's
/// effect sizes and models read it like any CSV:
///
/// | RevMan data type | columns |
/// |---|---|
/// | dichotomous | `ai` (events 1), `n1i` (total 1), `ci` (events 2), `n2i` (total 2) |
/// | continuous | `m1i`, `sd1i`, `n1i`, `m2i`, `sd2i`, `n2i` |
/// | generic inverse variance | `yi` (the estimate on the analysis scale: log for ratio measures), `sei` |
///
/// plus `study` (the study name), `year`, and `subgroup` when the outcome has subgroups. Group 1 is RevMan's
/// experimental group. A value the file leaves empty stays an empty cell: the analysis then names the row and
/// column, no study is dropped silently.
public struct RevManReview: Sendable, Equatable {
    public var comparisons: [RevManComparison]

    public init(comparisons: [RevManComparison]) { self.comparisons = comparisons }

    /// Every outcome, in file order.
    public var outcomes: [RevManOutcome] { comparisons.flatMap(\.outcomes) }

    /// Reads a RevMan 5 review file or a Cochrane data package CSV (told apart by their first bytes).
    public init(bytes: [UInt8]) throws(RevManError) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let head = bytes[start...].drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if head.first == UInt8(ascii: "<") {
            self = try Self.readXML(bytes)
        } else if head.starts(with: Array("Comparison Number".utf8)) {
            self = try Self.readDataPackageCSV(bytes)
        } else {
            let firstLine = String(decoding: head.prefix { $0 != 0x0A && $0 != 0x0D }.prefix(60), as: UTF8.self)
            throw .notRevMan(found: firstLine.isEmpty ? "an empty file" : "'\(firstLine)'")
        }
        guard comparisons.contains(where: { !$0.outcomes.isEmpty || !$0.unsupportedOutcomes.isEmpty }) else { throw .noOutcomes }
    }

    /// The outcome numbered `comparison`.`outcome`; both may be omitted when the review has a single outcome (and
    /// `outcome` when the comparison has one).
    public func outcome(comparison: Int?, outcome: Int?) throws(RevManError) -> RevManOutcome {
        let listing = comparisons.flatMap { $0.outcomes.map(\.listing) + $0.unsupportedOutcomes.map(\.listing) }
        guard let comparison else {
            if outcome == nil, outcomes.count == 1, listing.count == 1 { return outcomes[0] }
            if outcome == nil, outcomes.isEmpty, let u = comparisons.first?.unsupportedOutcomes.first, listing.count == 1 {
                throw .unknownDataType(outcome: "\(u.comparison).\(u.number) \(u.name)", dataType: u.dataType)
            }
            throw .outcomeNotChosen(present: listing)
        }
        guard let c = comparisons.first(where: { $0.number == comparison }) else {
            throw .comparisonNotFound(number: comparison,
                                      present: comparisons.map { "\($0.number) \($0.name)" }, outcomes: listing)
        }
        guard let outcome else {
            if c.outcomes.count == 1 { return c.outcomes[0] }
            throw .outcomeNotChosen(present: c.outcomes.map(\.listing))
        }
        guard let o = c.outcomes.first(where: { $0.number == outcome }) else {
            if let u = c.unsupportedOutcomes.first(where: { $0.number == outcome }) {
                throw .unknownDataType(outcome: "\(u.comparison).\(u.number) \(u.name)", dataType: u.dataType)
            }
            throw .outcomeNotFound(comparison: comparison, number: outcome, present: c.outcomes.map(\.listing))
        }
        return o
    }
}

public struct RevManComparison: Sendable, Equatable {
    public var number: Int
    public var name: String
    public var outcomes: [RevManOutcome]
    /// Outcomes of data types that do not map to study rows (O−E and variance, other data): listed, not importable.
    public var unsupportedOutcomes: [RevManUnsupportedOutcome]

    public init(number: Int, name: String, outcomes: [RevManOutcome], unsupportedOutcomes: [RevManUnsupportedOutcome] = []) {
        self.number = number
        self.name = name
        self.outcomes = outcomes
        self.unsupportedOutcomes = unsupportedOutcomes
    }
}

/// An outcome whose data type has no study-row mapping.
public struct RevManUnsupportedOutcome: Sendable, Equatable {
    public var comparison: Int
    public var number: Int
    public var name: String
    /// The file's name for the data type (an XML element such as IPD_OUTCOME, or a CSV Data Type code).
    public var dataType: String

    public init(comparison: Int, number: Int, name: String, dataType: String) {
        self.comparison = comparison
        self.number = number
        self.name = name
        self.dataType = dataType
    }

    public var listing: String { "\(comparison).\(number) \(name) (data type \(dataType), not importable)" }
}

/// RevMan's outcome data types that map to study rows.
public enum RevManDataType: String, Sendable, Equatable, CaseIterable {
    case dichotomous
    case continuous
    case genericInverseVariance = "generic inverse variance"

    /// The escalc columns of one study row, in output order.
    public var columns: [EscalcArgument] {
        switch self {
        case .dichotomous: return [.ai, .n1i, .ci, .n2i]
        case .continuous: return [.m1i, .sd1i, .n1i, .m2i, .sd2i, .n2i]
        case .genericInverseVariance: return [.yi, .sei]
        }
    }
}

/// RevMan's pooling method.
public enum RevManMethod: String, Sendable, Equatable {
    case mantelHaenszel = "MH"
    case inverseVariance = "IV"
    case peto = "PETO"
}

/// How RevMan analysed an outcome.
public struct RevManAnalysisSettings: Sendable, Equatable {
    public var method: RevManMethod
    /// RevMan's effect measure code (OR, RR, RD, MD, SMD, or for generic inverse variance any label, e.g. HR).
    public var effectMeasure: String
    /// Random effects (DerSimonian–Laird in RevMan 5) or fixed effect.
    public var randomEffects: Bool
    /// Confidence level of the pooled interval, in percent.
    public var confidenceLevel: Double

    public init(method: RevManMethod, effectMeasure: String, randomEffects: Bool, confidenceLevel: Double = 95) {
        self.method = method
        self.effectMeasure = effectMeasure
        self.randomEffects = randomEffects
        self.confidenceLevel = confidenceLevel
    }

    /// Whether the measure is a ratio (analysed on the log scale).
    public var isRatio: Bool { ["OR", "RR", "HR", "PETO_OR", "ROM", "IRR"].contains(effectMeasure.uppercased()) }
}

/// RevMan's own pooled result for an outcome or subgroup, as the file reports it (nil fields: not reported).
/// `estimate` and the interval are on the measure's scale (a ratio, not its log).
public struct RevManReportedResult: Sendable, Equatable {
    public var estimate: Double?
    public var ciLower: Double?
    public var ciUpper: Double?
    /// The heterogeneity χ² (Cochran's Q), its df and p-value; I² in percent; τ².
    public var q: Double?
    public var degreesOfFreedom: Double?
    public var pQ: Double?
    public var iSquared: Double?
    public var tauSquared: Double?
    /// The test for the overall effect.
    public var z: Double?
    public var pZ: Double?

    public init(estimate: Double? = nil, ciLower: Double? = nil, ciUpper: Double? = nil, q: Double? = nil,
                degreesOfFreedom: Double? = nil, pQ: Double? = nil, iSquared: Double? = nil, tauSquared: Double? = nil,
                z: Double? = nil, pZ: Double? = nil) {
        self.estimate = estimate
        self.ciLower = ciLower
        self.ciUpper = ciUpper
        self.q = q
        self.degreesOfFreedom = degreesOfFreedom
        self.pQ = pQ
        self.iSquared = iSquared
        self.tauSquared = tauSquared
        self.z = z
        self.pZ = pZ
    }
}

/// One study's row of an outcome. `values` holds the escalc columns of the data type; nil is a value the file
/// leaves empty.
public struct RevManStudyRow: Sendable, Equatable {
    public var name: String
    public var year: String
    public var subgroup: String?
    public var values: [EscalcArgument: Double?]

    public init(name: String, year: String, subgroup: String?, values: [EscalcArgument: Double?]) {
        self.name = name
        self.year = year
        self.subgroup = subgroup
        self.values = values
    }
}

public struct RevManOutcome: Sendable, Equatable {
    public var comparison: Int
    public var number: Int
    public var name: String
    public var dataType: RevManDataType
    public var settings: RevManAnalysisSettings
    /// Labels of the experimental (1) and control (2) groups.
    public var groupLabel1: String
    public var groupLabel2: String
    public var studies: [RevManStudyRow]
    /// Subgroup names in file order (empty when the outcome has none).
    public var subgroups: [String]
    /// RevMan's pooled result over all studies, when the file has it.
    public var reported: RevManReportedResult?
    /// RevMan's pooled result per subgroup, when the file has it.
    public var reportedBySubgroup: [String: RevManReportedResult]

    public init(comparison: Int, number: Int, name: String, dataType: RevManDataType, settings: RevManAnalysisSettings,
                groupLabel1: String = "", groupLabel2: String = "", studies: [RevManStudyRow], subgroups: [String] = [],
                reported: RevManReportedResult? = nil, reportedBySubgroup: [String: RevManReportedResult] = [:]) {
        self.comparison = comparison
        self.number = number
        self.name = name
        self.dataType = dataType
        self.settings = settings
        self.groupLabel1 = groupLabel1
        self.groupLabel2 = groupLabel2
        self.studies = studies
        self.subgroups = subgroups
        self.reported = reported
        self.reportedBySubgroup = reportedBySubgroup
    }

    /// "1.2" — RevMan's analysis number.
    public var code: String { "\(comparison).\(number)" }

    /// One line naming the outcome for listings: "1.1 Aspirin … (dichotomous, MH OR fixed, 7 studies)".
    public var listing: String {
        "\(code) \(name) (\(dataType.rawValue), \(settings.method.rawValue) \(settings.effectMeasure) "
            + "\(settings.randomEffects ? "random" : "fixed"), \(studies.count) \(studies.count == 1 ? "study" : "studies"))"
    }

    /// The study rows under escalc's names: `study`, `year`, `subgroup` (only when the outcome has subgroups), then
    /// the data type's columns. Numbers are written in their shortest exact form; empty values stay empty.
    public func table() -> DataTable {
        var columns: [(name: String, values: [String])] = [
            ("study", studies.map(\.name)),
            ("year", studies.map(\.year)),
        ]
        if !subgroups.isEmpty { columns.append(("subgroup", studies.map { $0.subgroup ?? "" })) }
        for argument in dataType.columns {
            columns.append((argument.rawValue, studies.map { row in
                guard let value = row.values[argument] ?? nil else { return "" }
                return Self.format(value)
            }))
        }
        // The names are fixed and distinct, so this cannot throw.
        return try! DataTable(columns: columns)
    }

    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
