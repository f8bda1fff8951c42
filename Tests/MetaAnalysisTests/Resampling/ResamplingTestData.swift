#if canImport(Glibc)
import Glibc
#endif
import MetaAnalysis
import MetaNumerics
import _TestSupport

/// Small data sets for the resampling tests.
enum ResamplingTestData {
    /// The BCG vaccine trials (`BCG.trials`): tpos, tneg, cpos, cneg per trial.
    static let bcgCounts: [(Double, Double, Double, Double)] = BCG.trials.map {
        (Double($0.ai), Double($0.bi), Double($0.ci), Double($0.di))
    }

    /// Log risk ratios and their variances (escalc measure RR): y = log((a/n1)/(c/n2)), v = 1/a − 1/n1 + 1/c − 1/n2.
    static var bcg: (y: [Double], v: [Double]) {
        let y = bcgCounts.map { a, b, c, d in log((a / (a + b)) / (c / (c + d))) }
        let v = bcgCounts.map { a, b, c, d in 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) }
        return (y, v)
    }

    /// A uniform index in 0..<n from 64-bit words by Lemire's multiply-and-reject method, written out again
    /// here (not taken from the library) so the slow reference pins the documented draw.
    static func index(below n: Int, _ stream: inout RandomStream) -> Int {
        let bound = UInt64(n)
        while true {
            let product = stream.next().multipliedFullWidth(by: bound)
            if product.low >= (0 &- bound) % bound { return Int(product.high) }
        }
    }
}
