import Testing
import MetaData
@testable import MetaAnalysis

@Suite struct VarianceCalculationTests {
    /// Two contrasts against a shared control with equal arm sizes correlate 1/2 (Gleser & Olkin 2009): with
    /// weights n, Cov = 1/n_control, Var = 1/n_t + 1/n_c.
    @Test func sharedControlCorrelatesOneHalf() throws {
        var calculation = VarianceCalculation(variances: [0.2, 0.2, 0.1], clusters: ["a", "a", "b"])
        calculation.groups1 = ["t1", "t2", "t1"]
        calculation.groups2 = ["c", "c", "c"]
        calculation.weights1 = [10, 10, 20]
        calculation.weights2 = [10, 10, 20]
        let v = try calculation.covariance()
        #expect(abs(v.element(0, 1) - 0.1) < 1e-15)
        #expect(v.element(0, 2) == 0 && v.element(2, 2) == 0.1)
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 4e-16 * abs(b) }

    /// AR(1): effects two time units apart correlate φ².
    @Test func autocorrelationByLag() throws {
        var calculation = VarianceCalculation(variances: [1, 4, 9], clusters: ["s", "s", "s"])
        calculation.times1 = [1, 2, 4]
        calculation.autocorrelation = 0.5
        let v = try calculation.covariance()
        #expect(Self.close(v.element(0, 1), 0.5 * 2))
        #expect(Self.close(v.element(0, 2), 0.125 * 3))
        #expect(Self.close(v.element(1, 2), 0.25 * 6))
    }

    @Test func typesAndObservations() throws {
        var calculation = VarianceCalculation(variances: [1, 1, 1], clusters: ["s", "s", "s"])
        calculation.types = ["x", "x", "y"]
        calculation.observations = ["1", "2", "1"]
        calculation.correlationWithinType = 0.6
        calculation.correlationBetweenTypes = 0.3
        let v = try calculation.covariance()
        #expect(Self.close(v.element(0, 1), 0.6) && Self.close(v.element(0, 2), 0.3) && Self.close(v.element(1, 2), 0.3))
    }

    @Test func longFormatRoundTripsExactly() throws {
        var calculation = VarianceCalculation(variances: [0.3, 0.7, 0.11, 0.05], clusters: ["a", "b", "a", "b"])
        calculation.observations = ["1", "1", "2", "2"]
        calculation.correlationWithinType = 0.37
        let v = try calculation.covariance()
        var csv = "row1,row2,cov\n"
        for e in v.upperTriangleEntries { csv += "\(e.row1 + 1),\(e.row2 + 1),\(e.value)\n" }
        let back = try SamplingCovariance(CovarianceEntries(table: DataTable(csv: csv), count: 4), count: 4)
        #expect(back == v)
    }

    @Test func badInputIsNamed() {
        var calculation = VarianceCalculation(variances: [0.1, -1], clusters: ["a", "a"])
        #expect(throws: VarianceCalculationError.invalidValue(argument: "vi", row: 1, value: -1, expected: "a finite sampling variance > 0")) {
            try calculation.covariance()
        }
        calculation.variances = [0.1, 0.2]
        calculation.weights1 = [1, 0]
        #expect(throws: VarianceCalculationError.invalidValue(argument: "w1", row: 1, value: 0, expected: "a finite weight > 0")) {
            try calculation.covariance()
        }
        calculation.weights1 = nil
        calculation.groups1 = ["a", "b"]
        calculation.groups2 = ["b", "b"]
        #expect(throws: VarianceCalculationError.degenerateContrast(row: 1)) { try calculation.covariance() }
        calculation.groups1 = nil
        calculation.groups2 = nil
        calculation.reportedCovariances = [[1, 1]]
        #expect(throws: VarianceCalculationError.tooFewReportedColumns(cluster: "a", effects: 2, columns: 1)) { try calculation.covariance() }
        calculation.reportedCovariances = nil
        calculation.clusters = ["a"]
        #expect(throws: VarianceCalculationError.lengthMismatch(argument: "cluster", count: 1, expected: 2)) { try calculation.covariance() }
    }
}
