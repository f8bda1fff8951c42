import MetaData
import MetaNumerics

/// A sample reported by its median with the quartiles and/or the range, to be turned into the mean and SD
/// that two-group measures need. Assumes roughly normal data; skewed data make every such estimate rough.
///
/// Scenarios (Wan et al. 2014, BMC Med Res Methodol 14:135), with the equation numbers metafor's `conv.fivenum`
/// cites for the same estimators:
/// - S1 {min, median, max, n}: mean by Luo et al. (2018, Stat Methods Med Res 27:1785, eq. 7):
///   w = 4/(4 + n^0.75), mean = w (a + b)/2 + (1 − w) m;  SD by Wan et al. (eq. 9): (b − a)/ξ(n).
/// - S2 {q1, median, q3, n}: mean by Luo et al. (eq. 11): (0.7 + 0.39/n)(q1 + q3)/2 + (0.3 − 0.39/n) m;
///   SD by Wan et al. (eq. 16): (q3 − q1)/η(n).
/// - S3 {min, q1, median, q3, max, n}: mean by Luo et al. (eq. 15): w₁ = 2.2/(2.2 + n^0.75),
///   w₂ = 0.7 − 0.72/n^0.55, mean = w₁ (a + b)/2 + w₂ (q1 + q3)/2 + (1 − w₁ − w₂) m;
///   SD by Shi et al. (2020, Res Synth Methods 11:641, eq. 10): w = 1/(1 + 0.07 n^0.6),
///   SD = w (b − a)/ξ(n) + (1 − w)(q3 − q1)/η(n).
///
/// with ξ(n) = 2Φ⁻¹((n − 0.375)/(n + 0.25)) and η(n) = 2Φ⁻¹((0.75n − 0.125)/(n + 0.25)): Blom's (1958)
/// approximations of the expected range and interquartile range of n standard normals.
///
/// These closed forms are used for every n, never exact expected order statistics (such as the tabulated
/// expected range d₂(n)): they are the estimators as Wan et al. and Shi et al. state them, and what the usual
/// software computes (metafor's `conv.fivenum`, method "luo/wan/shi"; metaBLUE's `Luo.mean`/`Wan.std`), so
/// results agree with theirs to every printed digit (see the tests). The price is a small-sample bias of ξ(n):
/// 4.5% above the exact expected range at n = 2, 1.4% at n = 5, within ±0.6% for n ≥ 10, so an SD from the
/// range of a very small sample comes out that much too small. Wan et al.'s own S3 SD (equal weights on the two
/// terms) is superseded by Shi et al.'s weights, as in metafor.
public struct QuantileSummary: Sendable, Equatable {
    public var n: Double
    public var minimum: Double?
    public var firstQuartile: Double?
    public var median: Double
    public var thirdQuartile: Double?
    public var maximum: Double?

    public init(n: Double, minimum: Double? = nil, firstQuartile: Double? = nil, median: Double,
                thirdQuartile: Double? = nil, maximum: Double? = nil) {
        self.n = n
        self.minimum = minimum
        self.firstQuartile = firstQuartile
        self.median = median
        self.thirdQuartile = thirdQuartile
        self.maximum = maximum
    }

    /// The estimated sample mean and SD.
    /// - Throws: `InputError.invalidOption` when neither the range nor the quartiles are complete, the values
    ///   are not ordered (min ≤ q1 ≤ median ≤ q3 ≤ max), or n < 2.
    public func meanAndStandardDeviation() throws(InputError) -> (mean: Double, sd: Double) {
        guard n >= 2, n.isFinite else { throw .invalidOption(name: "n", value: String(n), expected: "a sample size ≥ 2") }
        let range = minimum.flatMap { a in maximum.map { (a, $0) } }
        let quartiles = firstQuartile.flatMap { q1 in thirdQuartile.map { (q1, $0) } }
        let ordered = [minimum, firstQuartile, median, thirdQuartile, maximum].compactMap { $0 }
        guard zip(ordered, ordered.dropFirst()).allSatisfy({ $0 <= $1 }), ordered.allSatisfy(\.isFinite) else {
            throw .invalidOption(name: "summary", value: ordered.map { String($0) }.joined(separator: ", "),
                                 expected: "finite values with min ≤ q1 ≤ median ≤ q3 ≤ max")
        }
        guard let sd = Self.standardDeviation(n: n, range: range, quartiles: quartiles) else {
            throw .invalidOption(name: "summary", value: "median only",
                                 expected: "the minimum and maximum and/or the first and third quartiles")
        }
        let m = median
        switch (range, quartiles) {
        case let ((a, b)?, (q1, q3)?):
            let w1 = 2.2 / (2.2 + pow(n, 0.75)), w2 = 0.7 - 0.72 / pow(n, 0.55)
            return (w1 * (a + b) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * m, sd)
        case let ((a, b)?, nil):
            let w = 4 / (4 + pow(n, 0.75))
            return (w * (a + b) / 2 + (1 - w) * m, sd)
        case let (nil, (q1, q3)?):
            return ((0.7 + 0.39 / n) * (q1 + q3) / 2 + (0.3 - 0.39 / n) * m, sd)
        case (nil, nil):
            preconditionFailure("standardDeviation returned a value without a range or quartiles")
        }
    }

    /// The SD alone, for a study that reports its mean with the range and/or quartiles but no median: the SD
    /// estimators (Wan et al. eqs. 9 and 16; Shi et al. eq. 10) do not use the median.
    /// - Throws: `InputError.invalidOption` when neither the range nor the quartiles are complete, the values
    ///   are not ordered (min ≤ q1 ≤ q3 ≤ max), or n < 2.
    public static func standardDeviation(n: Double, minimum: Double? = nil, firstQuartile: Double? = nil,
                                         thirdQuartile: Double? = nil, maximum: Double? = nil) throws(InputError) -> Double {
        guard n >= 2, n.isFinite else { throw .invalidOption(name: "n", value: String(n), expected: "a sample size ≥ 2") }
        let ordered = [minimum, firstQuartile, thirdQuartile, maximum].compactMap { $0 }
        guard zip(ordered, ordered.dropFirst()).allSatisfy({ $0 <= $1 }), ordered.allSatisfy(\.isFinite) else {
            throw .invalidOption(name: "summary", value: ordered.map { String($0) }.joined(separator: ", "),
                                 expected: "finite values with min ≤ q1 ≤ q3 ≤ max")
        }
        let range = minimum.flatMap { a in maximum.map { (a, $0) } }
        let quartiles = firstQuartile.flatMap { q1 in thirdQuartile.map { (q1, $0) } }
        guard let sd = standardDeviation(n: n, range: range, quartiles: quartiles) else {
            throw .invalidOption(name: "summary", value: ordered.map { String($0) }.joined(separator: ", "),
                                 expected: "the minimum and maximum and/or the first and third quartiles")
        }
        return sd
    }

    private static func standardDeviation(n: Double, range: (Double, Double)?, quartiles: (Double, Double)?) -> Double? {
        switch (range, quartiles) {
        case let ((a, b)?, (q1, q3)?):
            let w = 1 / (1 + 0.07 * pow(n, 0.6))
            return w * (b - a) / xi(n) + (1 - w) * (q3 - q1) / eta(n)
        case let ((a, b)?, nil): return (b - a) / xi(n)
        case let (nil, (q1, q3)?): return (q3 - q1) / eta(n)
        case (nil, nil): return nil
        }
    }

    /// ξ(n) = 2Φ⁻¹((n − 0.375)/(n + 0.25)).
    static func xi(_ n: Double) -> Double { 2 * Normal.quantile((n - 0.375) / (n + 0.25)) }
    /// η(n) = 2Φ⁻¹((0.75n − 0.125)/(n + 0.25)).
    static func eta(_ n: Double) -> Double { 2 * Normal.quantile((0.75 * n - 0.125) / (n + 0.25)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
