import MetaData
import MetaAnalysis
import MetaReport

/// `vcalc` cases (BankMV group vcalc): the case's vcalc() arguments as a `VarianceCalculation` (rho by the
/// bank README's rule: [rho_obs, rho_type] with both obs and type, else the one that is given).
enum VcalcRunner {
    static func calculation(_ c: BankCase) throws -> VarianceCalculation {
        let table = c.table
        func labels(_ name: String) throws -> [String]? {
            try c.stringOption(name).map { try table.labels($0, neededBy: name) }
        }
        func numbers(_ name: String) throws -> [Double]? {
            try c.stringOption(name).map { try table.numbers($0, neededBy: name) }
        }
        guard let clusterColumn = c.stringOption("cluster") else { throw BankCaseError(description: "no cluster") }
        let variances: [Double]
        if let constant = c.numberOption("vi") {
            variances = [Double](repeating: constant, count: table.rowCount)
        } else if let vi = try numbers("vi") {
            variances = vi
        } else {
            throw BankCaseError(description: "no vi")
        }
        var calculation = VarianceCalculation(variances: variances, clusters: try table.labels(clusterColumn, neededBy: "cluster"))
        calculation.types = try labels("type")
        calculation.observations = try labels("obs")
        let rho = c.option("rho").map { $0.arrayValue?.compactMap(\.doubleValue) ?? [$0.doubleValue].compactMap { $0 } } ?? []
        switch (calculation.observations != nil, calculation.types != nil, rho.count) {
        case (_, _, 0): break
        case (true, true, 2): (calculation.correlationWithinType, calculation.correlationBetweenTypes) = (rho[0], rho[1])
        case (true, false, 1): calculation.correlationWithinType = rho[0]
        case (false, true, 1): calculation.correlationBetweenTypes = rho[0]
        default: throw BankCaseError(description: "unsupported rho \(rho)")
        }
        calculation.times1 = try numbers("time1")
        calculation.times2 = try numbers("time2")
        calculation.autocorrelation = c.numberOption("phi")
        calculation.groups1 = try labels("grp1")
        calculation.groups2 = try labels("grp2")
        calculation.weights1 = try numbers("w1")
        calculation.weights2 = try numbers("w2")
        if let names = c.option("rvars")?.arrayValue {
            calculation.reportedCovariances = try names.map { try table.numbers($0.stringValue ?? "", neededBy: "rvars") }
        }
        return calculation
    }
}
