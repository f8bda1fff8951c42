import Testing
@testable import MetaAnalysis

@Suite struct SamplingCovarianceTests {
    @Test func blocksAreSortedAndIndexed() throws {
        // Block over rows 2 and 0 given in that order: values permute with the rows.
        let v = try SamplingCovariance(count: 3, blocks: [(rows: [1], values: [0.5]), (rows: [2, 0], values: [2, 0.3, 0.3, 1])])
        #expect(v.blocks.map(\.rows) == [[0, 2], [1]])
        #expect(v.variances == [1, 0.5, 2])
        #expect(v.element(0, 2) == 0.3 && v.element(2, 0) == 0.3 && v.element(0, 1) == 0)
    }

    @Test func diagonalFromVariances() throws {
        let v = try SamplingCovariance(variances: [0.1, 0.2])
        #expect(v.blocks.count == 2 && v.element(1, 1) == 0.2 && v.element(0, 1) == 0)
    }

    @Test func badInputIsNamed() {
        #expect(throws: SamplingCovarianceError.nonPositiveVariance(row: 1, value: 0)) { try SamplingCovariance(variances: [1, 0]) }
        #expect(throws: SamplingCovarianceError.rowInNoBlock(row: 1)) {
            try SamplingCovariance(count: 2, blocks: [(rows: [0], values: [1])])
        }
        #expect(throws: SamplingCovarianceError.rowInTwoBlocks(row: 0)) {
            try SamplingCovariance(count: 2, blocks: [(rows: [0, 1], values: [1, 0, 0, 1]), (rows: [0], values: [1])])
        }
        #expect(throws: SamplingCovarianceError.notSymmetric(rowA: 0, rowB: 1, upper: 0.2, lower: 0.3)) {
            try SamplingCovariance(count: 2, blocks: [(rows: [0, 1], values: [1, 0.2, 0.3, 1])])
        }
        #expect(throws: SamplingCovarianceError.malformedBlock(rows: [0, 1], values: 3)) {
            try SamplingCovariance(count: 2, blocks: [(rows: [0, 1], values: [1, 0, 1])])
        }
        #expect(throws: SamplingCovarianceError.rowOutOfRange(row: 2, count: 2)) {
            try SamplingCovariance(count: 2, blocks: [(rows: [0, 1], values: [1, 0, 0, 1]), (rows: [2], values: [1])])
        }
    }
}
