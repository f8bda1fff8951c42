import MetaData
@testable import MetaAnalysis
import Testing

/// Two-group continuous measures from studies that report a median with the range and/or quartiles: escalc
/// estimates the missing means and SDs (``QuantileSummary``), as metafor's `conv.fivenum` followed by `escalc`.
@Suite("escalc from medians")
struct EscalcFromQuantilesTests {
    /// Group 1 of studies A–C is metafor's `conv.fivenum` reference example (n = 20; reference page
    /// https://wviechtb.github.io/metafor/reference/conv.fivenum.html), whose printed estimates are
    /// A (min, median, max) 6.594468 / 3.211576, B (quartiles) 6.719500 / 4.787076, C (all five) 6.938841 / 3.679435;
    /// study D reports its mean and SD (7, 4.2), like the page's study 4. Group 2 reports mean 7, SD 4.2 throughout.
    static let csv = """
    study,m1i,sd1i,median1i,min1i,max1i,q1_1i,q3_1i,n1i,m2i,sd2i,n2i
    A,,,6,2,14,,,20,7,4.2,20
    B,NA,NA,6,,,4,10,20,7,4.2,20
    C,,,6,2,14,4,10,20,7,4.2,20
    D,7,4.2,,,,,,20,7,4.2,20
    """
    static let printed: [(mean: Double, sd: Double)] = [(6.594468, 3.211576), (6.719500, 4.787076), (6.938841, 3.679435), (7, 4.2)]

    static func compute(_ measure: EffectMeasure, _ csv: String,
                        columns: [EscalcArgument: String] = [:]) throws(InputError) -> EffectSizes {
        try EffectSizes.compute(measure: measure, data: try DataTable(csv: csv), columns: columns)
    }

    /// MD = m1 − 7 and vi = sd1²/20 + 4.2²/20 with metafor's printed mean and SD (7 significant digits).
    @Test func meanDifferenceUsesPublishedEstimates() throws {
        let es = try Self.compute(.meanDifference, Self.csv)
        for (i, p) in Self.printed.enumerated() {
            #expect(abs(es.yi[i] - (p.mean - 7)) < 5e-7)
            #expect(abs(es.vi[i] - (p.sd * p.sd + 4.2 * 4.2) / 20) < 2e-7)
        }
        #expect(es.diagnostics.map(\.code) == Array(repeating: "mean_sd_from_quantiles", count: 3))
        #expect(es.diagnostics.map(\.row) == [1, 2, 3])
        #expect(es.diagnostics.first?.description
                == "Row 1 (A): group 1 mean 6.594468 and SD 3.211576 estimated from the median and range (Luo et al. 2018; Wan et al. 2014).")
        #expect(es.diagnostics.last?.description
                == "Row 3 (C): group 1 mean 6.938841 and SD 3.679435 estimated from the median, quartiles and range (Luo et al. 2018; Shi et al. 2020).")
    }

    /// SMD, SMDH and ROM on the summaries equal the same measures on a table holding the estimates.
    @Test(arguments: [EffectMeasure.standardizedMeanDifference, .heteroscedasticStandardizedMeanDifference, .logRatioOfMeans])
    func otherMeasuresSeeTheEstimates(measure: EffectMeasure) throws {
        let summaries: [QuantileSummary] = [
            QuantileSummary(n: 20, minimum: 2, median: 6, maximum: 14),
            QuantileSummary(n: 20, firstQuartile: 4, median: 6, thirdQuartile: 10),
            QuantileSummary(n: 20, minimum: 2, firstQuartile: 4, median: 6, thirdQuartile: 10, maximum: 14),
        ]
        var rows = ["m1i,sd1i,n1i,m2i,sd2i,n2i"]
        for s in summaries {
            let e = try s.meanAndStandardDeviation()
            rows.append("\(e.mean),\(e.sd),20,7,4.2,20")
        }
        rows.append("7,4.2,20,7,4.2,20")
        let direct = try Self.compute(measure, rows.joined(separator: "\n"))
        let estimated = try Self.compute(measure, Self.csv)
        #expect(direct.yi == estimated.yi)
        #expect(direct.vi == estimated.vi)
    }

    /// A reported value is kept; only the missing one is estimated, and the note says which.
    @Test func onlyTheMissingValueIsEstimated() throws {
        let es = try Self.compute(.meanDifference, "m1i,sd1i,median1i,min1i,max1i,n1i,m2i,sd2i,n2i\n6.5,,6,2,14,20,7,4.2,20\n")
        #expect(es.yi[0] == 6.5 - 7)
        #expect(abs(es.vi[0] - (3.211576 * 3.211576 + 4.2 * 4.2) / 20) < 2e-7)
        #expect(es.diagnostics.first?.description
                == "Row 1 (1): group 1 SD 3.211576 estimated from the range (Wan et al. 2014).")
        // The SD needs no median (metafor's conv.fivenum documentation says the same): mean and range suffice.
        let noMedian = try Self.compute(.meanDifference, "m1i,sd1i,median1i,min1i,max1i,n1i,m2i,sd2i,n2i\n6.5,,,2,14,20,7,4.2,20\n")
        #expect(noMedian.vi == es.vi)
        let sdReported = try Self.compute(.meanDifference, "m1i,sd1i,median1i,q1_1i,q3_1i,n1i,m2i,sd2i,n2i\n,4,6,4,10,20,7,4.2,20\n")
        #expect(abs(sdReported.yi[0] - (6.719500 - 7)) < 5e-7)
        #expect(sdReported.diagnostics.first?.description
                == "Row 1 (1): group 1 mean 6.7195 estimated from the median and quartiles (Luo et al. 2018).")
    }

    /// Group 2 and mapped column names work the same way; errors then name the mapped columns.
    @Test func secondGroupWithMappedColumns() throws {
        let csv = "m1i,sd1i,n1i,med_c,lo_c,hi_c,n2i\n7,4.2,20,6,2,14,20\n"
        let columns: [EscalcArgument: String] = [.median2i: "med_c", .min2i: "lo_c", .max2i: "hi_c"]
        let es = try Self.compute(.meanDifference, csv, columns: columns)
        #expect(abs(es.yi[0] - (7 - 6.594468)) < 5e-7)
        #expect(es.diagnostics.first?.description.contains("group 2 mean 6.594468 and SD 3.211576") == true)
        #expect(throws: InputError.inconsistent(row: 1, columns: ["m2i", "sd2i", "lo_c", "med_c", "hi_c"],
                                               rule: "expected lo_c ≤ med_c ≤ hi_c; found 2, 16, 14")) {
            try Self.compute(.meanDifference, "m1i,sd1i,n1i,med_c,lo_c,hi_c,n2i\n7,4.2,20,16,2,14,20\n", columns: columns)
        }
    }

    @Test func quartileAboveMedianNamesRowAndColumns() {
        #expect(throws: InputError.inconsistent(row: 2, columns: ["m1i", "sd1i", "q1_1i", "median1i", "q3_1i"],
                                               rule: "expected q1_1i ≤ median1i ≤ q3_1i; found 7, 6, 10")) {
            try Self.compute(.meanDifference, Self.csv.replacingFirst("B,NA,NA,6,,,4,10", with: "B,NA,NA,6,,,7,10"))
        }
    }

    @Test func groupSizeBelowTwoIsAnError() {
        #expect(throws: InputError.outOfRange(row: 1, column: "n1i", value: 1,
                                              expected: "a group size ≥ 2 to estimate the mean and SD from median1i")) {
            try Self.compute(.meanDifference, Self.csv.replacingFirst("A,,,6,2,14,,,20", with: "A,,,6,2,14,,,1"))
        }
    }

    @Test func incompleteSummariesAreErrors() {
        #expect(throws: InputError.inconsistent(row: 1, columns: ["m1i", "sd1i", "min1i", "median1i"],
                                               rule: "min1i and max1i (the range) must be given together")) {
            try Self.compute(.meanDifference, Self.csv.replacingFirst("A,,,6,2,14", with: "A,,,6,2,"))
        }
        #expect(throws: InputError.inconsistent(row: 1, columns: ["m1i", "sd1i", "min1i", "max1i"],
                                               rule: "m1i and sd1i are missing and median1i is empty, so there is nothing to estimate them from")) {
            try Self.compute(.meanDifference, Self.csv.replacingFirst("A,,,6,2,14", with: "A,,,,2,14"))
        }
        #expect(throws: InputError.inconsistent(row: 1, columns: ["m1i", "sd1i", "median1i"],
                                               rule: "estimating m1i and sd1i from median1i needs min1i and max1i and/or q1_1i and q3_1i")) {
            try Self.compute(.meanDifference, Self.csv.replacingFirst("A,,,6,2,14", with: "A,,,6,,"))
        }
        #expect(throws: InputError.inconsistent(row: 1, columns: ["m1i", "sd1i", "min1i", "median1i", "max1i"],
                                               rule: "the range and quartiles have zero width, so no SD > 0 can be estimated")) {
            try Self.compute(.meanDifference, Self.csv.replacingFirst("A,,,6,2,14", with: "A,,,6,6,6"))
        }
    }

    @Test func missingAndNonNumericColumns() {
        #expect(throws: InputError.missingColumns(alternatives: ["m1i", "median1i"], neededBy: "measure MD",
                                                         present: ["sd1i", "min1i", "max1i", "n1i", "m2i", "sd2i", "n2i"])) {
            try Self.compute(.meanDifference, "sd1i,min1i,max1i,n1i,m2i,sd2i,n2i\n1,2,14,20,7,4.2,20\n")
        }
        #expect(throws: InputError.notANumber(row: 2, column: "q1_1i", value: "four")) {
            try Self.compute(.meanDifference, Self.csv.replacingFirst("B,NA,NA,6,,,4,10", with: "B,NA,NA,6,,,four,10"))
        }
        // Without any summary column an empty mean stays the error it always was.
        #expect(throws: InputError.missingValue(row: 1, column: "m1i", value: "")) {
            try Self.compute(.meanDifference, "m1i,sd1i,n1i,m2i,sd2i,n2i\n,1,20,7,4.2,20\n")
        }
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = range(of: target) else { preconditionFailure("\(target) not in the test data") }
        return replacingCharacters(in: r, with: replacement)
    }
}

@Suite("escalc from medians: measure hint")
struct EscalcFromQuantilesHintTests {
    /// Without --measure a file of medians is not silently read as precomputed effect sizes.
    @Test func medianColumnsWithoutMeasureNameTheMeasures() {
        #expect(throws: InputError.measureNotGiven(columns: ["median1i", "n1i", "n2i"], measures: ["SMD", "MD", "ROM"])) {
            try EffectSizes.compute(measure: .generic, data: try DataTable(csv: "median1i,min1i,max1i,n1i,m2i,sd2i,n2i\n6,2,14,20,7,4.2,20\n"))
        }
    }
}
