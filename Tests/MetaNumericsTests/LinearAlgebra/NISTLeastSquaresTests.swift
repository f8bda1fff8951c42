import Foundation
import MetaNumerics
import Testing

/// NIST StRD linear least squares (files in Fixtures/nist, with their source and certified values).
/// LRE = −log₁₀(|estimate − certified| / |certified|) (McCullough 1998, JASA 52:358), or
/// −log₁₀|estimate − certified| when the certified value is 0; capped at 15.
struct NISTDataset {
    let name: String
    let y: [Double]
    let x: [[Double]]
    var certified: [String: (estimate: Double, sd: Double?)] = [:]

    init(_ name: String) throws {
        self.name = name
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/nist/\(name).csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var y: [Double] = [], x: [[Double]] = []
        var sawHeader = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# certified,") {
                let f = line.dropFirst(12).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                certified[f[0]] = (Double(f[1])!, f.count > 2 ? Double(f[2]) : nil)
            } else if line.hasPrefix("#") {
                continue
            } else if !sawHeader {
                sawHeader = true
            } else {
                let values = line.split(separator: ",").map { Double($0)! }
                y.append(values[0])
                x.append(Array(values.dropFirst()))
            }
        }
        self.y = y
        self.x = x
    }

    static func lre(_ estimate: Double, _ certified: Double) -> Double {
        let error = certified == 0 ? abs(estimate) : abs(estimate - certified) / abs(certified)
        return error == 0 ? 15 : min(15, -log10(error))
    }
}

@Suite("NIST StRD linear least squares")
struct NISTLeastSquaresTests {
    /// Fits with intercept; `powers` builds the polynomial columns for the Wampler sets.
    func fit(_ data: NISTDataset, polynomialDegree: Int? = nil) throws -> (coefficients: [Double], se: [Double], sigma: Double) {
        let n = data.y.count
        var columns: [[Double]] = [Array(repeating: 1, count: n)]
        if let degree = polynomialDegree {
            for j in 1...degree { columns.append(data.x.map { pow($0[0], Double(j)) }) }
        } else {
            for j in 0..<data.x[0].count { columns.append(data.x.map { $0[j] }) }
        }
        let design = Matrix(columnArrays: columns)
        let wls = try WeightedLeastSquares(design: design, response: data.y, weights: Array(repeating: 1, count: n))
        let p = columns.count
        let sigma2 = wls.weightedResidualSumOfSquares / Double(n - p)
        let se = (0..<p).map { (wls.inverseInformation[$0, $0] * sigma2).squareRoot() }
        return (wls.coefficients, se, sigma2.squareRoot())
    }

    func report(_ data: NISTDataset, _ result: (coefficients: [Double], se: [Double], sigma: Double)) -> (coefficients: [Double], se: [Double]) {
        var coefficientLRE: [Double] = [], seLRE: [Double] = []
        for j in result.coefficients.indices {
            let c = data.certified["b\(j)"]!
            coefficientLRE.append(NISTDataset.lre(result.coefficients[j], c.estimate))
            if let sd = c.sd, sd != 0 { seLRE.append(NISTDataset.lre(result.se[j], sd)) }
        }
        let f = { (v: [Double]) in v.map { String(format: "%.1f", $0) }.joined(separator: " ") }
        print("NIST \(data.name) LRE coefficients: \(f(coefficientLRE))  (min \(String(format: "%.1f", coefficientLRE.min()!)))")
        if !seLRE.isEmpty { print("NIST \(data.name) LRE standard errors: \(f(seLRE))  (min \(String(format: "%.1f", seLRE.min()!)))") }
        return (coefficientLRE, seLRE)
    }

    @Test func longley() throws {
        let data = try NISTDataset("Longley")
        #expect(data.y.count == 16 && data.x[0].count == 6)
        let result = try fit(data)
        let lre = report(data, result)
        #expect(lre.coefficients.min()! >= 10, "Longley coefficients must reach 10 digits")
        #expect(lre.se.min()! >= 10)
        let sigmaLRE = NISTDataset.lre(result.sigma, data.certified["residualStandardDeviation"]!.estimate)
        print("NIST Longley LRE residual SD: \(String(format: "%.1f", sigmaLRE))")
        #expect(sigmaLRE >= 10)
    }

    @Test func norris() throws {
        let data = try NISTDataset("Norris")
        #expect(data.y.count == 36)
        let lre = report(data, try fit(data))
        #expect(lre.coefficients.min()! >= 12 && lre.se.min()! >= 12)
    }

    /// Pontius: quadratic in x with x up to 3e6, so the x² column is ~1e13 times the intercept's.
    @Test func pontius() throws {
        let data = try NISTDataset("Pontius")
        #expect(data.y.count == 40)
        let lre = report(data, try fit(data, polynomialDegree: 2))
        #expect(lre.coefficients.min()! >= 11 && lre.se.min()! >= 11)
    }

    /// Wampler1 (exact polynomial, x = 0…20, degree 5, condition number ~1e10 with the intercept):
    /// certified coefficients all 1 and residual SD 0.
    @Test func wampler1() throws {
        let data = try NISTDataset("Wampler1")
        let lre = report(data, try fit(data, polynomialDegree: 5))
        #expect(lre.coefficients.min()! >= 7)
    }

    @Test func wampler2() throws {
        let data = try NISTDataset("Wampler2")
        let lre = report(data, try fit(data, polynomialDegree: 5))
        #expect(lre.coefficients.min()! >= 7)
    }
}
