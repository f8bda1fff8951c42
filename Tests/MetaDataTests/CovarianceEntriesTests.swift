import Testing
import MetaData

@Suite struct CovarianceEntriesTests {
    @Test func blocksAreConnectedEffects() throws {
        // Effects 1-3 linked through (1,2) and (2,3); 4 alone; the lower-triangle duplicate of (1,2) agrees.
        let csv = "row1,row2,cov\n1,1,1\n1,2,0.5\n2,1,0.5\n2,2,2\n2,3,0.25\n3,3,3\n4,4,4\n"
        let entries = try CovarianceEntries(table: DataTable(csv: csv), count: 4)
        let blocks = entries.blocks()
        #expect(blocks.map(\.rows) == [[0, 1, 2], [3]])
        #expect(blocks[0].values == [1, 0.5, 0, 0.5, 2, 0.25, 0, 0.25, 3])
        #expect(blocks[1].values == [4])
    }

    @Test func rowOutOfRangeNamesLineAndColumn() {
        #expect(throws: InputError.outOfRange(row: 2, column: "row2", value: 5, expected: "an effect number from 1 to 4 (a data row of the effects' file)")) {
            try CovarianceEntries(table: DataTable(csv: "row1,row2,cov\n1,1,1\n1,5,0.1\n"), count: 4)
        }
        #expect(throws: InputError.outOfRange(row: 1, column: "row1", value: 1.5, expected: "an effect number from 1 to 4 (a data row of the effects' file)")) {
            try CovarianceEntries(table: DataTable(csv: "row1,row2,cov\n1.5,1,1\n"), count: 4)
        }
    }

    @Test func asymmetricDuplicateIsAnError() {
        let csv = "row1,row2,cov\n1,1,1\n2,2,1\n1,2,0.5\n2,1,0.4\n"
        #expect(throws: InputError.inconsistent(row: 4, columns: ["row1", "row2", "cov"],
                                                rule: "the covariance of data rows 1 and 2 is 0.4 here and 0.5 in row 3; expected one value (V is symmetric)")) {
            try CovarianceEntries(table: DataTable(csv: csv), count: 2)
        }
    }

    @Test func nonNumericCellNamesRowAndColumn() {
        #expect(throws: InputError.notANumber(row: 2, column: "cov", value: "x")) {
            try CovarianceEntries(table: DataTable(csv: "row1,row2,cov\n1,1,1\n2,2,x\n"), count: 2)
        }
        #expect(throws: InputError.missingColumn(name: "cov", neededBy: "a covariance file (row1, row2, cov)", present: ["row1", "row2", "value"])) {
            try CovarianceEntries(table: DataTable(csv: "row1,row2,value\n1,1,1\n"), count: 1)
        }
    }

    @Test func dataRowsMapToEffectPositions() throws {
        // The effects' file has 5 data rows; row 3 has no effect size, so data rows 1,2,4,5 are effects 0-3.
        let csv = "row1,row2,cov\n1,1,1\n2,2,2\n4,4,4\n5,5,5\n4,5,0.5\n"
        let entries = try CovarianceEntries(table: DataTable(csv: csv), effectRows: [0, 1, 3, 4])
        #expect(entries.blocks().map(\.rows) == [[0], [1], [2, 3]])
        #expect(entries.blocks()[2].values == [4, 0.5, 0.5, 5])
        #expect(throws: InputError.outOfRange(row: 6, column: "row2", value: 3,
                                              expected: "a data row of the effects' file that has an effect size (4 of rows 1 to 5)")) {
            try CovarianceEntries(table: DataTable(csv: csv + "1,3,0.1\n"), effectRows: [0, 1, 3, 4])
        }
    }

    @Test func everyEffectNeedsAPositiveVariance() {
        #expect(throws: InputError.missingVariance(dataRow: 2)) {
            try CovarianceEntries(table: DataTable(csv: "row1,row2,cov\n1,1,1\n1,2,0.3\n"), count: 2)
        }
        #expect(throws: InputError.outOfRange(row: 2, column: "cov", value: 0, expected: "a sampling variance > 0 (row1 = row2)")) {
            try CovarianceEntries(table: DataTable(csv: "row1,row2,cov\n1,1,1\n2,2,0\n"), count: 2)
        }
    }
}
