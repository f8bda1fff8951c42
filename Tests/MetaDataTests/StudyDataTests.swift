import MetaData
import Testing

@Suite("StudyData: typed arrays as study columns")
struct StudyDataTests {
    @Test func columnsAreTheArgumentsGiven() throws {
        let data = StudyData.proportions(studies: ["a", "b"], xi: [1, 2], ni: [10, 20])
        #expect(data.columnNames == ["xi", "ni", "study"])
        #expect(data.rowCount == 2)
        #expect(try data.numbers("ni", neededBy: "measure PLO") == [10, 20])
        #expect(try data.strings("study", neededBy: "study labels") == ["a", "b"])
        #expect(!data.hasColumn("ai"))
    }

    @Test func aMissingArgumentNamesWhatIsPresent() {
        let data = StudyData.proportions(xi: [1, 2], ni: [10, 20])
        #expect(throws: InputError.missingColumn(name: "ai", neededBy: "measure OR", present: ["xi", "ni"])) {
            try data.numbers("ai", neededBy: "measure OR")
        }
    }

    @Test func aColumnOfTheWrongLengthIsAnError() {
        let data = StudyData.twoByTwo(studies: ["a", "b", "c"], ai: [1, 2, 3], bi: [4, 5], ci: [1, 1, 1], di: [2, 2, 2])
        #expect(throws: InputError.lengthMismatch(column: "bi", count: 2, expected: 3)) {
            try data.numbers("bi", neededBy: "measure OR")
        }
        #expect(InputError.lengthMismatch(column: "bi", count: 2, expected: 3).description
                == "Column 'bi' has 2 values; expected 3, one per study.")
    }

    @Test func nonFiniteAndMissingValuesNameTheRow() throws {
        let data = StudyData.precomputed(yi: [0.1, .nan], vi: [0.01, 0.02])
        #expect(throws: InputError.notFinite(row: 2, column: "yi", value: "nan")) { try data.numbers("yi", neededBy: "measure GEN") }
        let optional = StudyData(values: [.yi: [0.1, nil], .vi: [0.01, 0.02]])
        #expect(try optional.optionalNumbers("yi", neededBy: "measure GEN") == [0.1, nil])
        #expect(throws: InputError.missingValue(row: 2, column: "yi", value: "")) { try optional.numbers("yi", neededBy: "measure GEN") }
    }
}
