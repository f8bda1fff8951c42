import Foundation
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

    /// `parseDouble` takes Clinger's fast path where it is exact and `strtod` elsewhere: every text gives strtod's
    /// double bit for bit, and only strtod's decimal form is a number.
    @Test func numbersReadAsStrtodReadsThem() {
        func strtodValue(_ s: String) -> Double? {
            s.withCString { p in
                var end: UnsafeMutablePointer<CChar>? = nil
                let v = strtod(p, &end)
                return end.map { $0 - UnsafeMutablePointer(mutating: p) } == s.utf8.count && !s.isEmpty ? v : nil
            }
        }
        var texts = ["0", "-0", "+0", "0.0", "-0.0", "00012", "1.", ".5", "-.5", "+1e5", "1E-5", "1e+022", "1e22", "1e23",
                     "9007199254740993", "9007199254740992", "123456789012345678901234567890", "0.1", "0.3", "2.2250738585072014e-308",
                     "4.9e-324", "1e-400", "1.7976931348623157e308", "1e309", "0e500", "-0e-500", "0.000000000000000000000000001",
                     "4503599627370497.5", "1e-22", "1e-23", "8.5e-23"]
        let invalid = ["", ".", "+", "-", "e5", "1e", "1e+", "1.2.3", "1e5.5", "--1", "1-", "0x10", "inf", "nan", " 1", "1 ", "1,5", "1e5e5"]
        var state: UInt64 = 22
        for _ in 0..<4000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let x = Double(state >> 11) * pow(10, Double(Int(state % 640) - 320)) // 0 or 1e-320 ... 1e336 (inf: skipped)
            guard x.isFinite else { continue }
            let digits = Int(state % 18) + 1
            texts.append(String(format: "%.\(digits)g", x))
            texts.append(String(format: "%.\(digits)e", -x))
            texts.append(String(format: "%.\(digits % 12)f", Double(state % 1_000_000_007) / 1e6))
        }
        for t in texts {
            let expected = strtodValue(t)
            #expect(expected != nil, "\(t) is a number")
            #expect(DataTable.parseDouble(t)?.bitPattern == expected?.bitPattern, "\(t)")
        }
        for t in invalid { #expect(DataTable.parseDouble(t) == nil, "'\(t)' is not a number") }
    }
}
