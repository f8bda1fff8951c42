#if canImport(Glibc)
import Glibc
#endif
import MetaAnalysis
import MetaNumerics

/// Small data sets for the resampling tests.
enum ResamplingTestData {
    /// The BCG vaccine trials (Colditz et al. 1994; metadat `dat.bcg`, as in the conformance bank's bcg.csv):
    /// tpos, tneg, cpos, cneg per trial.
    static let bcgCounts: [(Double, Double, Double, Double)] = [
        (4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619), (33, 5036, 47, 5761),
        (180, 1361, 372, 1079), (8, 2537, 10, 619), (505, 87886, 499, 87892), (29, 7470, 45, 7232),
        (17, 1699, 65, 1600), (186, 50448, 141, 27197), (5, 2493, 3, 2338), (27, 16886, 29, 17825),
    ]

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
