import MetaData

/// The columns that describe one group of a two-group continuous measure.
struct GroupColumns {
    let number: Int
    let mean: EscalcArgument, sd: EscalcArgument, n: EscalcArgument
    let minimum: EscalcArgument, firstQuartile: EscalcArgument, median: EscalcArgument
    let thirdQuartile: EscalcArgument, maximum: EscalcArgument

    static let first = GroupColumns(number: 1, mean: .m1i, sd: .sd1i, n: .n1i, minimum: .min1i, firstQuartile: .q1_1i,
                                    median: .median1i, thirdQuartile: .q3_1i, maximum: .max1i)
    static let second = GroupColumns(number: 2, mean: .m2i, sd: .sd2i, n: .n2i, minimum: .min2i, firstQuartile: .q1_2i,
                                     median: .median2i, thirdQuartile: .q3_2i, maximum: .max2i)

    /// In the order min ≤ q1 ≤ median ≤ q3 ≤ max.
    var summary: [EscalcArgument] { [minimum, firstQuartile, median, thirdQuartile, maximum] }
}

extension EscalcInput {
    /// A group's means and SDs. Where a study leaves the mean or SD empty (or the column is absent) and reports
    /// its median with the range and/or quartiles instead, the missing values are estimated (``QuantileSummary``:
    /// Luo et al. 2018; Wan et al. 2014; Shi et al. 2020) and each estimate is noted in `notes`: metafor's
    /// `conv.fivenum(..., replace = "ifna")` followed by `escalc`, in one step. Unlike `conv.fivenum` this applies
    /// no test for skewness (Shi et al. 2023) and estimates for any n ≥ 2 (metafor leaves n < 5 and significantly
    /// skewed studies NA): MetaSwift never drops a study silently, and the note names every estimate. Without any
    /// summary column this reads `m1i`/`sd1i` exactly as before (an empty cell is an error). A reported mean with
    /// an empty SD needs no median (``QuantileSummary/standardDeviation(n:minimum:firstQuartile:thirdQuartile:maximum:)``).
    func meansAndSDs(_ group: GroupColumns, labels: [String],
                     notes: inout [EffectSizeDiagnostic]) throws(InputError) -> (mean: EscalcColumn, sd: EscalcColumn) {
        guard group.summary.contains(where: has) else { return (try column(group.mean), try column(group.sd)) }
        if !has(group.mean) && !has(group.median) {
            throw .missingColumns(alternatives: [columnName(group.mean), columnName(group.median)], neededBy: measure.requirement,
                                 present: table.columnNames)
        }
        let means = try optionalNumbers(group.mean), sds = try optionalNumbers(group.sd)
        let summary = try group.summary.map { (argument) throws(InputError) in try optionalNumbers(argument) }
        let names = group.summary.map(columnName)
        // The group sizes are read (and must exist) only when some study needs an estimate.
        let needsEstimate = (0..<rowCount).contains { means[$0] == nil || sds[$0] == nil }
        let sizes = needsEstimate ? try column(group.n).values : []
        var meanValues = [Double](), sdValues = [Double]()
        for i in 0..<rowCount {
            if let m = means[i], let s = sds[i] {
                meanValues.append(m)
                sdValues.append(s)
                continue
            }
            let row = i + 1
            let missing = [means[i] == nil ? columnName(group.mean) : nil, sds[i] == nil ? columnName(group.sd) : nil].compactMap { $0 }
            let given = (0..<5).filter { summary[$0][i] != nil }
            func incomplete(_ rule: String) -> InputError {
                .inconsistent(row: row, columns: missing + given.map { names[$0] }, rule: rule)
            }
            let (a, q1, m, q3, b) = (summary[0][i], summary[1][i], summary[2][i], summary[3][i], summary[4][i])
            // The SD estimators need no median, so a study reporting its mean with a range or quartiles gets its SD.
            guard m != nil || means[i] != nil else {
                throw incomplete("\(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") missing and \(names[2]) is empty, so there is nothing to estimate \(missing.count == 1 ? "it" : "them") from")
            }
            if (a == nil) != (b == nil) { throw incomplete("\(names[0]) and \(names[4]) (the range) must be given together") }
            if (q1 == nil) != (q3 == nil) { throw incomplete("\(names[1]) and \(names[3]) (the quartiles) must be given together") }
            if a == nil && q1 == nil {
                throw incomplete("estimating \(missing.joined(separator: " and ")) from \(names[2]) needs \(names[0]) and \(names[4]) and/or \(names[1]) and \(names[3])")
            }
            let values = given.compactMap { summary[$0][i] }
            if !zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 }) {
                let found = values.map(format).joined(separator: ", ")
                throw incomplete("expected \(given.map { names[$0] }.joined(separator: " ≤ ")); found \(found)")
            }
            let size = sizes[i]
            guard size >= 2 else {
                throw .outOfRange(row: row, column: columnName(group.n), value: size,
                                  expected: "a group size ≥ 2 to estimate the mean and SD from \(names[2])")
            }
            let estimate: (mean: Double?, sd: Double)
            if let m {
                let reported = QuantileSummary(n: size, minimum: a, firstQuartile: q1, median: m, thirdQuartile: q3, maximum: b)
                let both = try reported.meanAndStandardDeviation()
                estimate = (both.mean, both.sd)
            } else {
                estimate = (nil, try QuantileSummary.standardDeviation(n: size, minimum: a, firstQuartile: q1,
                                                                       thirdQuartile: q3, maximum: b))
            }
            if sds[i] == nil && !(estimate.sd > 0) {
                throw incomplete("the range and quartiles have zero width, so no SD > 0 can be estimated")
            }
            guard let mean = means[i] ?? estimate.mean else { preconditionFailure("a missing mean has a median here") }
            meanValues.append(mean)
            sdValues.append(sds[i] ?? estimate.sd)
            let scenario = QuantileSummary.scenario(minimum: a, firstQuartile: q1, thirdQuartile: q3, maximum: b) ?? .range
            notes.append(.meanAndSDFromQuantiles(study: labels[i], row: row, group: group.number,
                                                 mean: means[i] == nil ? estimate.mean : nil,
                                                 sd: sds[i] == nil ? estimate.sd : nil, scenario: scenario))
        }
        return (EscalcColumn(argument: group.mean, name: columnName(group.mean), values: meanValues),
                EscalcColumn(argument: group.sd, name: columnName(group.sd), values: sdValues))
    }

    /// A column whose empty or `NA` cells stand for "not reported" (all of them when the column is absent);
    /// any other non-number is an error naming row and column.
    func optionalNumbers(_ argument: EscalcArgument) throws(InputError) -> [Double?] {
        let name = columnName(argument)
        guard table.hasColumn(name) else { return Array(repeating: nil, count: rowCount) }
        return try table.optionalNumbers(name, neededBy: measure.requirement)
    }
}
