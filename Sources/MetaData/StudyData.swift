/// Study data given as typed arrays, one value per study, keyed by `escalc` argument: what a Swift caller passes
/// instead of a CSV file.
///
/// ```swift
/// let bcg = StudyData.twoByTwo(studies: ["Aronson", "Ferguson"], ai: [4, 6], bi: [119, 300], ci: [11, 29], di: [128, 274])
/// let precomputed = StudyData.precomputed(yi: [0.1, 0.3, -0.2], vi: [0.01, 0.04, 0.02])
/// ```
///
/// A value that is not finite, a column whose length differs from the number of studies, or a column a measure
/// needs and the data lack is an ``InputError`` naming the study (1-based row) and the argument, as for a CSV file.
public struct StudyData: StudyColumns, Equatable {
    /// Study labels (metafor's `slab`); nil gives "1", "2", … .
    public var studies: [String]?
    /// Values by argument; nil stands for "not reported" (allowed only where a measure reads a column as optional,
    /// e.g. a group's mean when its median and quartiles are given).
    public var values: [EscalcArgument: [Double?]]

    /// Data with optional (not reported) values.
    public init(studies: [String]? = nil, values: [EscalcArgument: [Double?]]) {
        self.studies = studies
        self.values = values
    }

    /// Data with every value given.
    public init(studies: [String]? = nil, _ columns: [EscalcArgument: [Double]]) {
        self.init(studies: studies, values: columns.mapValues { $0.map(Optional.some) })
    }

    /// 2×2 tables: events and non-events of group 1 (`ai`, `bi`) and group 2 (`ci`, `di`).
    public static func twoByTwo(studies: [String]? = nil, ai: [Double], bi: [Double], ci: [Double], di: [Double]) -> StudyData {
        StudyData(studies: studies, [.ai: ai, .bi: bi, .ci: ci, .di: di])
    }

    /// 2×2 tables from events and group sizes (`ai`, `n1i`, `ci`, `n2i`).
    public static func twoByTwo(studies: [String]? = nil, ai: [Double], n1i: [Double], ci: [Double], n2i: [Double]) -> StudyData {
        StudyData(studies: studies, [.ai: ai, .n1i: n1i, .ci: ci, .n2i: n2i])
    }

    /// Two groups' means, standard deviations and sizes.
    public static func twoGroup(studies: [String]? = nil, m1i: [Double], sd1i: [Double], n1i: [Double],
                                m2i: [Double], sd2i: [Double], n2i: [Double]) -> StudyData {
        StudyData(studies: studies, [.m1i: m1i, .sd1i: sd1i, .n1i: n1i, .m2i: m2i, .sd2i: sd2i, .n2i: n2i])
    }

    /// Single-group proportions: events `xi` of `ni`.
    public static func proportions(studies: [String]? = nil, xi: [Double], ni: [Double]) -> StudyData {
        StudyData(studies: studies, [.xi: xi, .ni: ni])
    }

    /// Two groups' events and person-times.
    public static func personTime(studies: [String]? = nil, x1i: [Double], t1i: [Double], x2i: [Double], t2i: [Double]) -> StudyData {
        StudyData(studies: studies, [.x1i: x1i, .t1i: t1i, .x2i: x2i, .t2i: t2i])
    }

    /// Correlations `ri` with sample sizes `ni`.
    public static func correlations(studies: [String]? = nil, ri: [Double], ni: [Double]) -> StudyData {
        StudyData(studies: studies, [.ri: ri, .ni: ni])
    }

    /// Precomputed effect sizes and sampling variances (measure GEN).
    public static func precomputed(studies: [String]? = nil, yi: [Double], vi: [Double]) -> StudyData {
        StudyData(studies: studies, [.yi: yi, .vi: vi])
    }

    // MARK: StudyColumns

    /// The arguments given, in `EscalcArgument` order, then `study` when labels are given.
    public var columnNames: [String] {
        EscalcArgument.allCases.filter { values[$0] != nil && $0 != .study }.map(\.rawValue)
            + (studies == nil ? [] : [EscalcArgument.study.rawValue])
    }

    public var rowCount: Int { studies?.count ?? values.values.first?.count ?? 0 }

    public func hasColumn(_ name: String) -> Bool { columnNames.contains(name) }

    public func strings(_ name: String, neededBy: String) throws(InputError) -> [String] {
        if name == EscalcArgument.study.rawValue, let studies { return studies }
        return try optionalNumbers(name, neededBy: neededBy).map { $0.map { "\($0)" } ?? "" }
    }

    public func numbers(_ name: String, neededBy: String) throws(InputError) -> [Double] {
        var out: [Double] = []
        for (r, x) in try optionalNumbers(name, neededBy: neededBy).enumerated() {
            guard let x else { throw .missingValue(row: r + 1, column: name, value: "") }
            out.append(x)
        }
        return out
    }

    public func optionalNumbers(_ name: String, neededBy: String) throws(InputError) -> [Double?] {
        guard let argument = EscalcArgument(rawValue: name), let column = values[argument] else {
            throw .missingColumn(name: name, neededBy: neededBy, present: columnNames)
        }
        guard column.count == rowCount else {
            throw .lengthMismatch(column: name, count: column.count, expected: rowCount)
        }
        for (r, x) in column.enumerated() where x.map({ !$0.isFinite }) ?? false {
            throw .notFinite(row: r + 1, column: name, value: "\(x!)")
        }
        return column
    }
}
