import MetaAnalysis
import Testing

@Suite("DataTable")
struct DataTableTests {
    @Test func readsQuotedFieldsAndNumbers() throws {
        let t = try DataTable(csv: "study,yi,vi\n\"Smith, 2001\",0.5,0.01\r\n\"O\"\"Brien\",-1e-3,2\n\n")
        #expect(t.rowCount == 2)
        #expect(try t.strings("study", neededBy: "labels") == ["Smith, 2001", "O\"Brien"])
        #expect(try t.numbers("yi", neededBy: "measure GEN") == [0.5, -0.001])
    }

    @Test func errorsNameRowAndColumn() {
        #expect(throws: InputError.notANumber(row: 2, column: "vi", value: "abc")) {
            try DataTable(csv: "yi,vi\n1,2\n3,abc\n").numbers("vi", neededBy: "measure GEN")
        }
        #expect(throws: InputError.notFinite(row: 1, column: "yi", value: "NA")) {
            try DataTable(csv: "yi,vi\nNA,2\n").numbers("yi", neededBy: "measure GEN")
        }
        #expect(throws: InputError.missingColumn(name: "vi", neededBy: "measure GEN")) {
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

    @Test func errorSentencesNameWhatWasExpected() {
        #expect(InputError.notANumber(row: 2, column: "vi", value: "abc").description
            == "Row 2, column 'vi': expected a number; found 'abc'.")
    }
}
