import MetaData
import Testing

@Suite("DataTable")
struct DataTableTests {
    @Test func readsQuotedFieldsAndNumbers() throws {
        let t = try DataTable(csv: "study,yi,vi\n\"Smith, 2001\",0.5,0.01\r\n\"O\"\"Brien\",-1e-3,2\n\n")
        #expect(t.rowCount == 2)
        #expect(try t.strings("study", neededBy: "labels") == ["Smith, 2001", "O\"Brien"])
        #expect(try t.numbers("yi", neededBy: "measure GEN") == [0.5, -0.001])
    }

    @Test func errorsNameRowAndColumn() throws {
        #expect(throws: InputError.notANumber(row: 2, column: "vi", value: "abc")) {
            try DataTable(csv: "yi,vi\n1,2\n3,abc\n").numbers("vi", neededBy: "measure GEN")
        }
        #expect(throws: InputError.missingValue(row: 1, column: "yi", value: "NA")) {
            try DataTable(csv: "yi,vi\nNA,2\n").numbers("yi", neededBy: "measure GEN")
        }
        #expect(throws: InputError.missingValue(row: 2, column: "vi", value: "")) {
            try DataTable(csv: "yi,vi\n1,2\n3,\n").numbers("vi", neededBy: "measure GEN")
        }
        #expect(throws: InputError.notFinite(row: 1, column: "yi", value: "NaN")) {
            try DataTable(csv: "yi,vi\nNaN,2\n").numbers("yi", neededBy: "measure GEN")
        }
        #expect(throws: InputError.noDataRows) { try DataTable(csv: "yi,vi\n") }
        let groups = try? DataTable(csv: "g,yi\nb,1\n NA ,2\n,3\na,4\n")
        #expect(throws: InputError.missingValue(row: 2, column: "g", value: " NA ")) { try groups?.labels("g", neededBy: "--subgroup") }
        #expect(throws: InputError.missingValue(row: 3, column: "g", value: "")) { try groups?.labels("g", neededBy: "--subgroup", rows: [0, 2]) }
        #expect(try groups?.labels("g", neededBy: "--subgroup", rows: [3, 0]) == ["a", "b"])
        #expect(throws: InputError.noDataRows) { try DataTable(csv: "yi,vi\r\n\r\n\n") }
        #expect(throws: InputError.missingColumn(name: "vi", neededBy: "measure GEN", present: ["yi"])) {
            try DataTable(csv: "yi\n1\n").numbers("vi", neededBy: "measure GEN")
        }
        #expect(throws: InputError.wrongFieldCount(row: 1, expected: 2, found: 3)) {
            try DataTable(csv: "yi,vi\n1,2,3\n")
        }
        #expect(throws: InputError.duplicateColumn(name: "yi")) { try DataTable(csv: "yi,yi\n1,2\n") }
        #expect(throws: InputError.malformedQuote(row: 1)) { try DataTable(csv: "a,b\n\"x,1\n") }
        #expect(throws: InputError.emptyInput) { try DataTable(csv: "") }
        #expect(throws: InputError.notUTF8(offset: 8)) { try DataTable(csv: Array("yi,vi\n1,".utf8) + [0xFF, 0x0A]) }
    }

    @Test func byteOrderMarkAndCRLFAreReadAsPlainCSV() throws {
        let t = try DataTable(csv: [0xEF, 0xBB, 0xBF] + Array("study,yi,vi\r\n\"A, 1\",1,2\r\n\r\n".utf8))
        #expect(t.columnNames == ["study", "yi", "vi"])
        #expect(try t.strings("study", neededBy: "labels") == ["A, 1"])
        #expect(try t.numbers("vi", neededBy: "measure GEN") == [2])
    }

    @Test func errorSentencesNameWhatWasExpected() {
        #expect(InputError.missingValue(row: 3, column: "ai", value: "NA").description
            == "Row 3, column 'ai': the value is missing ('NA'); studies are never dropped silently: fill it in or remove the row.")
        #expect(InputError.missingValue(row: 1, column: "vi", value: "").description.contains("the value is missing (an empty cell)"))
        #expect(InputError.tooFewStudies(found: 0, needed: 1, analysis: "A model").description
            == "A model needs at least 1 study; found 0.")
        #expect(InputError.notANumber(row: 2, column: "vi", value: "abc").description
            == "Row 2, column 'vi': expected a number; found 'abc'.")
    }
}
