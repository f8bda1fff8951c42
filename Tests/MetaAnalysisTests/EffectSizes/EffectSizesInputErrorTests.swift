import MetaData
import MetaAnalysis
import Testing

/// Every kind of bad input is a typed `InputError` naming row and column (DESIGN.md §7).
@Suite("EffectSizes bad input")
struct EffectSizesInputErrorTests {
    static func compute(_ measure: EffectMeasure, _ csv: String, columns: [EscalcArgument: String] = [:],
                        options: EscalcOptions = EscalcOptions()) throws(InputError) -> EffectSizes {
        try EffectSizes.compute(measure: measure, data: try DataTable(csv: csv), columns: columns, options: options)
    }

    @Test func missingColumnNamesTheMeasure() {
        #expect(throws: InputError.missingColumn(name: "sd2i", neededBy: "measure SMD", present: ["m1i", "sd1i", "n1i", "m2i", "n2i"])) {
            try Self.compute(.standardizedMeanDifference, "m1i,sd1i,n1i,m2i,n2i\n1,1,10,0,10\n")
        }
        #expect(throws: InputError.missingColumns(alternatives: ["bi", "n1i"], neededBy: "measure OR", present: ["ai", "ci", "di"])) {
            try Self.compute(.logOddsRatio, "ai,ci,di\n1,2,3\n")
        }
        #expect(throws: InputError.missingColumns(alternatives: ["vi", "sei"], neededBy: "measure GEN", present: ["yi"])) {
            try Self.compute(.generic, "yi\n1\n")
        }
    }

    @Test func mappedColumnThatIsAbsentIsNamed() {
        #expect(throws: InputError.missingColumn(name: "m_post", neededBy: "measure MC", present: ["m1i", "m2i", "sd1i", "sd2i", "ni", "ri"])) {
            try Self.compute(.meanChange, "m1i,m2i,sd1i,sd2i,ni,ri\n1,1,1,1,10,0.5\n", columns: [.m1i: "m_post"])
        }
        #expect(throws: InputError.missingColumn(name: "trial", neededBy: "study labels", present: ["yi", "vi"])) {
            try Self.compute(.generic, "yi,vi\n1,1\n", columns: [.study: "trial"])
        }
    }

    @Test func nonNumericAndNonFiniteCells() {
        #expect(throws: InputError.notANumber(row: 2, column: "ni", value: "twelve")) {
            try Self.compute(.proportion, "xi,ni\n1,10\n2,twelve\n")
        }
        #expect(throws: InputError.notFinite(row: 1, column: "yi", value: "Inf")) {
            try Self.compute(.generic, "yi,vi\nInf,1\n")
        }
    }

    @Test func negativeCounts() {
        #expect(throws: InputError.outOfRange(row: 1, column: "ci", value: -1, expected: "a count ≥ 0")) {
            try Self.compute(.logRiskRatio, "ai,bi,ci,di\n1,2,-1,3\n")
        }
        #expect(throws: InputError.outOfRange(row: 2, column: "x2i", value: -3, expected: "a count ≥ 0")) {
            try Self.compute(.logIncidenceRateRatio, "x1i,t1i,x2i,t2i\n1,10,1,10\n1,10,-3,10\n")
        }
    }

    @Test func eventsAboveGroupSize() {
        #expect(throws: InputError.inconsistent(row: 1, columns: ["ci", "n2i"], rule: "events (ci = 12) exceed the group size (n2i = 11)")) {
            try Self.compute(.riskDifference, "ai,n1i,ci,n2i\n1,10,12,11\n")
        }
        #expect(throws: InputError.inconsistent(row: 1, columns: ["xi", "ni"], rule: "events (xi = 9) exceed the group size (ni = 8)")) {
            try Self.compute(.logitProportion, "xi,ni\n9,8\n")
        }
    }

    @Test func nonPositiveStandardDeviation() {
        #expect(throws: InputError.outOfRange(row: 1, column: "sd2i", value: 0, expected: "a standard deviation > 0")) {
            try Self.compute(.meanDifference, "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,10,0,0,10\n")
        }
        #expect(throws: InputError.outOfRange(row: 1, column: "sd_pre", value: -2, expected: "a standard deviation > 0")) {
            try Self.compute(.standardizedMeanChangeRawScore, "m1i,m2i,sd_pre,ni,ri\n1,1,-2,10,0.5\n", columns: [.sd1i: "sd_pre"])
        }
    }

    @Test func correlationOutsideTheOpenInterval() {
        #expect(throws: InputError.outOfRange(row: 2, column: "ri", value: 1, expected: "a correlation strictly between -1 and 1")) {
            try Self.compute(.fisherZ, "ri,ni\n0.3,20\n1,20\n")
        }
        #expect(throws: InputError.outOfRange(row: 1, column: "ri", value: 1.5, expected: "a correlation between -1 and 1")) {
            try Self.compute(.meanChange, "m1i,m2i,sd1i,sd2i,ni,ri\n1,1,1,1,10,1.5\n")
        }
    }

    @Test func sampleTooSmall() {
        #expect(throws: InputError.outOfRange(row: 1, column: "n1i", value: 1,
                                              expected: "a group size ≥ 2 (SMD needs a standard deviation per group)")) {
            try Self.compute(.standardizedMeanDifference, "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,1,0,1,10\n")
        }
        #expect(throws: InputError.outOfRange(row: 1, column: "ni", value: 3, expected: "a sample size ≥ 4 (ZCOR's variance is 1/(n − 3))")) {
            try Self.compute(.fisherZ, "ri,ni\n0.2,3\n")
        }
        #expect(throws: InputError.outOfRange(row: 1, column: "ni", value: 0, expected: "a group size ≥ 1")) {
            try Self.compute(.proportion, "xi,ni\n0,0\n")
        }
    }

    @Test func otherRangeRules() {
        #expect(throws: InputError.outOfRange(row: 1, column: "m2i", value: -1, expected: "a mean > 0 (ROM takes the log of the ratio of means)")) {
            try Self.compute(.logRatioOfMeans, "m1i,sd1i,n1i,m2i,sd2i,n2i\n1,1,10,-1,1,10\n")
        }
        #expect(throws: InputError.outOfRange(row: 1, column: "t1i", value: 0, expected: "a person-time > 0")) {
            try Self.compute(.incidenceRateDifference, "x1i,t1i,x2i,t2i\n1,0,1,10\n")
        }
        #expect(throws: InputError.outOfRange(row: 1, column: "vi", value: -0.1, expected: "a sampling variance ≥ 0")) {
            try Self.compute(.generic, "yi,vi\n0.2,-0.1\n")
        }
        #expect(throws: InputError.inconsistent(row: 1, columns: ["ai", "bi"], rule: "group 1 has no participants")) {
            try Self.compute(.logOddsRatio, "ai,bi,ci,di\n0,0,1,1\n")
        }
        #expect(throws: InputError.invalidOption(name: "add", value: "-0.5", expected: "a finite number ≥ 0")) {
            try Self.compute(.logOddsRatio, "ai,bi,ci,di\n1,1,1,1\n", options: EscalcOptions(add: -0.5))
        }
    }

    @Test func errorSentence() {
        #expect(InputError.missingColumns(alternatives: ["bi", "n1i"], neededBy: "measure OR").description
            == "Column 'bi' or 'n1i' is missing; measure OR needs one of them (use --map to map another column).")
    }
}
