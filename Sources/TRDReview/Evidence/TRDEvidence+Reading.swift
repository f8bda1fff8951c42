import MetaData
import MetaAnalysis

extension TRDEvidence {
    /// Reads `studies.csv` and `outcomes.csv` (text as in `Datasets/trd-review/`).
    ///
    /// - Throws: `InputError` naming the row and column of a missing column, a non-numeric cell or a code
    ///   outside its vocabulary (the codebook is `Datasets/trd-review/README.md`).
    public init(studiesCSV: String, outcomesCSV: String) throws(InputError) {
        self.init(studies: try Self.studies(csv: studiesCSV), outcomes: try Self.outcomes(csv: outcomesCSV))
    }

    /// Reads `studies.csv` alone, so that a front end reading two files can say which one an error is in.
    /// - Throws: `InputError` as ``init(studiesCSV:outcomesCSV:)``.
    public static func studies(csv: String) throws(InputError) -> [TRDStudy] {
        try readStudies(try DataTable(csv: csv))
    }

    /// Reads `outcomes.csv` alone (see ``studies(csv:)``).
    /// - Throws: `InputError` as ``init(studiesCSV:outcomesCSV:)``.
    public static func outcomes(csv: String) throws(InputError) -> [TRDOutcome] {
        try readOutcomes(try DataTable(csv: csv))
    }

    static func readStudies(_ table: DataTable) throws(InputError) -> [TRDStudy] {
        let c = try ColumnReader(table: table, file: "studies.csv")
        var studies: [TRDStudy] = []
        for r in 0..<table.rowCount {
            studies.append(TRDStudy(
                ref: try c.integer("ref", r), firstAuthor: try c.text("first_author", r), year: try c.integer("year", r),
                title: try c.text("title", r), doi: try c.optionalText("doi", r),
                primarySource: try c.text("primary_source", r), registryID: try c.optionalText("registry_id", r),
                pmid: try c.optionalText("pmid", r), design: try c.code("design", r), reviewDesign: try c.code("review_design", r),
                treatmentClass: try c.code("treatment_class", r), agent: try c.code("agent", r), route: try c.code("route", r),
                reviewTreatmentLists: try c.text("review_treatment_lists", r).split(separator: ";").map(String.init),
                reviewTable: try c.text("review_table", r), n: try c.optionalInteger("n", r),
                nReview: try c.optionalInteger("n_review", r), sampleGroup: try c.text("sample_group", r),
                overlap: try c.code("overlap", r), possibleOverlapGroup: try c.optionalText("possible_overlap_group", r),
                possibleOverlap: try c.optionalCode("possible_overlap", r), notes: try c.text("notes", r)))
        }
        return studies
    }

    static func readOutcomes(_ table: DataTable) throws(InputError) -> [TRDOutcome] {
        let c = try ColumnReader(table: table, file: "outcomes.csv")
        var outcomes: [TRDOutcome] = []
        for r in 0..<table.rowCount {
            outcomes.append(TRDOutcome(
                row: r + 1, studyRef: try c.integer("study_ref", r), sampleGroup: try c.text("sample_group", r),
                sourcePublication: try c.text("source_publication", r), sourceDOI: try c.optionalText("source_doi", r),
                arm: try c.text("arm", r), armRole: try c.code("arm_role", r), comparison: try c.optionalText("comparison", r),
                armClass: try c.code("arm_class", r) as ArmClass,
                agent: try c.code("agent", r), treatmentClass: try c.code("treatment_class", r),
                dose: try c.optionalText("dose", r), route: try c.optionalCode("route", r),
                design: try c.code("design", r), phase: try c.code("phase", r) as TrialPhase, outcome: try c.code("outcome", r),
                rater: try c.optionalCode("rater", r), measure: try c.code("measure", r),
                definition: try c.optionalText("definition", r), definitionCode: try c.optionalCode("definition_code", r),
                timepoint: try c.text("timepoint", r), timepointDays: try c.optionalInteger("timepoint_days", r),
                timepointWindow: try c.code("timepoint_window", r), primaryTimepoint: try c.optionalBoolean("primary_timepoint", r),
                events: try c.optionalInteger("events", r), total: try c.optionalInteger("total", r),
                percent: try c.optionalNumber("percent", r), mean: try c.optionalNumber("mean", r),
                sd: try c.optionalNumber("sd", r), n: try c.optionalInteger("n", r),
                nComparator: try c.optionalInteger("n_comparator", r), effectType: try c.optionalText("effect_type", r),
                effectDescription: try c.optionalText("effect_description", r),
                aboveNullFavoursFirstArm: try c.optionalText("above_null_favours", r).map { $0 == "first_arm" },
                effectValue: try c.optionalNumber("effect_value", r), ciLower: try c.optionalNumber("ci_lb", r),
                ciUpper: try c.optionalNumber("ci_ub", r), pValue: try c.optionalText("p_value", r),
                alpha: try c.optionalNumber("alpha", r),
                countDerived: try c.text("count_derived", r) == "true", sourceKind: try c.text("source_kind", r),
                confidence: try c.text("confidence", r), sourceURL: try c.text("source_url", r),
                sourceQuote: try c.text("source_quote", r), neverPool: try c.optionalText("never_pool", r),
                notes: try c.text("notes", r)))
        }
        return outcomes
    }
}

/// Reads typed cells of a TRD table; errors name the 1-based data row and the column.
private struct ColumnReader {
    let table: DataTable
    let file: String
    private var columns: [String: [String]] = [:]

    init(table: DataTable, file: String) throws(InputError) {
        self.table = table
        self.file = file
        for name in table.columnNames { columns[name] = try table.strings(name, neededBy: file) }
    }

    func text(_ name: String, _ r: Int) throws(InputError) -> String {
        guard let column = columns[name] else {
            throw .missingColumn(name: name, neededBy: "the TRD review data (\(file))", present: table.columnNames, mappable: false)
        }
        return column[r].trimmingSpaces()
    }

    func optionalText(_ name: String, _ r: Int) throws(InputError) -> String? {
        let t = try text(name, r)
        return t.isEmpty ? nil : t
    }

    func optionalNumber(_ name: String, _ r: Int) throws(InputError) -> Double? {
        guard let t = try optionalText(name, r) else { return nil }
        guard let x = DataTable.parseDouble(t), x.isFinite else { throw .notANumber(row: r + 1, column: name, value: t) }
        return x
    }

    func optionalInteger(_ name: String, _ r: Int) throws(InputError) -> Int? {
        guard let x = try optionalNumber(name, r) else { return nil }
        guard x == x.rounded(), abs(x) < 1e15 else {
            throw .outOfRange(row: r + 1, column: name, value: x, expected: "a whole number")
        }
        return Int(x)
    }

    func optionalBoolean(_ name: String, _ r: Int) throws(InputError) -> Bool? {
        guard let t = try optionalText(name, r) else { return nil }
        guard t == "true" || t == "false" else {
            throw .unknownCode(row: r + 1, column: name, value: t, allowed: ["true", "false", ""])
        }
        return t == "true"
    }

    func integer(_ name: String, _ r: Int) throws(InputError) -> Int {
        guard let x = try optionalInteger(name, r) else { throw .notFinite(row: r + 1, column: name, value: "") }
        return x
    }

    func optionalCode<T: RawRepresentable & CaseIterable>(_ name: String, _ r: Int) throws(InputError) -> T?
        where T.RawValue == String
    {
        guard let t = try optionalText(name, r) else { return nil }
        guard let value = T(rawValue: t) else {
            throw .unknownCode(row: r + 1, column: name, value: t, allowed: T.allCases.map(\.rawValue))
        }
        return value
    }

    func code<T: RawRepresentable & CaseIterable>(_ name: String, _ r: Int) throws(InputError) -> T where T.RawValue == String {
        guard let value: T = try optionalCode(name, r) else {
            throw .unknownCode(row: r + 1, column: name, value: "", allowed: T.allCases.map(\.rawValue))
        }
        return value
    }
}
