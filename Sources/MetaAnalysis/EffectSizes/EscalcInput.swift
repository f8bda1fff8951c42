import MetaData

/// One numeric input column: the escalc argument, the CSV column it was read from, and its values.
struct EscalcColumn {
    let argument: EscalcArgument
    let name: String
    let values: [Double]

    subscript(i: Int) -> Double { values[i] }
}

/// Reads and checks the columns a measure needs. Errors name the CSV column and the measure.
struct EscalcInput {
    let table: any StudyColumns
    let columns: [EscalcArgument: String]
    let measure: EffectMeasure

    var rowCount: Int { table.rowCount }

    func columnName(_ argument: EscalcArgument) -> String { columns[argument] ?? argument.rawValue }

    func has(_ argument: EscalcArgument) -> Bool { table.hasColumn(columnName(argument)) }

    func column(_ argument: EscalcArgument) throws(InputError) -> EscalcColumn {
        let name = columnName(argument)
        if measure == .generic, argument == .yi, !has(.yi), let hint = rawDataHint() {
            throw .measureNotGiven(columns: hint.columns, measures: hint.measures)
        }
        return EscalcColumn(argument: argument, name: name, values: try table.numbers(name, neededBy: measure.requirement))
    }

    /// The raw-data columns of another measure family, when the table has them: without `yi` the user most
    /// likely meant to name that measure rather than read precomputed effect sizes (GEN, the default).
    func rawDataHint() -> (columns: [String], measures: [String])? {
        let families: [([EscalcArgument], [String])] = [
            ([.ai, .ci], ["OR", "RR", "RD"]), ([.m1i, .m2i, .ri], ["SMCR", "SMCC", "MC"]),
            ([.m1i, .sd1i, .m2i], ["SMD", "MD", "ROM"]), ([.median1i, .n1i, .n2i], ["SMD", "MD", "ROM"]),
            ([.x1i, .t1i], ["IRR", "IRD"]),
            ([.xi, .ni], ["PLO", "PR", "PFT"]), ([.ri, .ni], ["ZCOR", "COR"]), ([.xi, .ti], ["IRLN", "IR"]),
        ]
        for (needed, measures) in families where needed.allSatisfy(has) {
            return (needed.map(columnName), measures)
        }
        return nil
    }

    /// `primary` if present, else `alternative`; an error naming both when neither is there.
    func either(_ primary: EscalcArgument, or alternative: EscalcArgument) throws(InputError) -> EscalcColumn {
        if has(primary) { return try column(primary) }
        if has(alternative) { return try column(alternative) }
        throw .missingColumns(alternatives: [columnName(primary), columnName(alternative)], neededBy: measure.requirement,
                             present: table.columnNames)
    }

    /// Labels from the `study` column when present (repeated labels made unique, ``uniqueStudyLabels(_:)``), else
    /// 1-based row numbers.
    func studyLabels() throws(InputError) -> [String] { try labelledStudies().labels }

    /// ``studyLabels()`` with a note for each row whose label was numbered.
    func labelledStudies() throws(InputError) -> (labels: [String], renamed: [EffectSizeDiagnostic]) {
        let name = columnName(.study)
        if table.hasColumn(name) {
            let given = try table.strings(name, neededBy: "study labels")
            // An empty label named no study in the output (issue 16); NA is R's missing value, as metafor refuses it.
            for (i, label) in given.enumerated() where label.trimmingSpaces().isEmpty || label == "NA" {
                throw .missingValue(row: i + 1, column: name, value: label)
            }
            let labels = try Self.uniqueStudyLabels(given)
            let renamed = given.indices.filter { given[$0] != labels[$0] }
                .map { EffectSizeDiagnostic.repeatedStudyLabel(study: labels[$0], row: $0 + 1, label: given[$0]) }
            return (labels, renamed)
        }
        if columns[.study] != nil { throw .missingColumn(name: name, neededBy: "study labels", present: table.columnNames) }
        return ((0..<rowCount).map { String($0 + 1) }, [])
    }

    /// Repeated labels numbered in order of appearance, `A, A, B, A` → `A.1, A.2, B, A.3`: metafor's rule for study
    /// labels (`slab`) in every function (escalc, rma, leave1out, ...), so that per-study rows can be told apart.
    /// metafor applies it once and can leave a collision with an existing label (`A.1, A, A` → `A.1, A.1, A.2`); here
    /// it is applied again until the labels are unique. Each pass is O(k); labels built to collide pass after pass
    /// (`A, A, A.1, A.1.1, ...`) are refused after 16 passes, naming two rows that still share a label.
    /// - Throws: `InputError.duplicateStudy` in that case.
    static func uniqueStudyLabels(_ given: [String]) throws(InputError) -> [String] {
        var labels = given
        for pass in 0...16 {
            var firstRow: [String: Int] = [:], repeated = false
            for (i, label) in labels.enumerated() {
                if let j = firstRow[label] {
                    repeated = true
                    if pass == 16 { throw .duplicateStudy(label: label, rows: [j + 1, i + 1]) }
                } else {
                    firstRow[label] = i
                }
            }
            guard repeated else { return labels }
            var count: [String: Int] = [:]
            for label in labels { count[label, default: 0] += 1 }
            var seen: [String: Int] = [:]
            for i in labels.indices where count[labels[i]]! > 1 {
                let n = seen[labels[i], default: 0] + 1
                seen[labels[i]] = n
                labels[i] += ".\(n)"
            }
        }
        return labels
    }

    // MARK: Checks (rows are 1-based in errors)

    func requireNonNegative(_ c: EscalcColumn, _ what: String = "a count ≥ 0") throws(InputError) {
        for (i, x) in c.values.enumerated() where x < 0 {
            throw .outOfRange(row: i + 1, column: c.name, value: x, expected: what)
        }
    }

    func requirePositive(_ c: EscalcColumn, _ what: String) throws(InputError) {
        for (i, x) in c.values.enumerated() where !(x > 0) {
            throw .outOfRange(row: i + 1, column: c.name, value: x, expected: what)
        }
    }

    func requireAtLeast(_ c: EscalcColumn, _ minimum: Double, _ what: String) throws(InputError) {
        for (i, x) in c.values.enumerated() where !(x >= minimum) {
            throw .outOfRange(row: i + 1, column: c.name, value: x, expected: what)
        }
    }

    func requireOpenInterval(_ c: EscalcColumn, _ lower: Double, _ upper: Double, _ what: String) throws(InputError) {
        for (i, x) in c.values.enumerated() where !(x > lower && x < upper) {
            throw .outOfRange(row: i + 1, column: c.name, value: x, expected: what)
        }
    }

    func requireClosedInterval(_ c: EscalcColumn, _ lower: Double, _ upper: Double, _ what: String) throws(InputError) {
        for (i, x) in c.values.enumerated() where !(x >= lower && x <= upper) {
            throw .outOfRange(row: i + 1, column: c.name, value: x, expected: what)
        }
    }

    /// Events must not exceed the group size.
    func requireEvents(_ events: EscalcColumn, notAbove total: EscalcColumn) throws(InputError) {
        for i in 0..<events.values.count where events[i] > total[i] {
            throw .inconsistent(row: i + 1, columns: [events.name, total.name],
                                rule: "events (\(events.name) = \(format(events[i]))) exceed the group size (\(total.name) = \(format(total[i])))")
        }
    }
}

func format(_ x: Double) -> String {
    NumberText.plain(x)
}
