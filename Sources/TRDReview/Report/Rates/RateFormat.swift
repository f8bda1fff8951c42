import MetaAnalysis
import MetaReport

/// How rate results are written for readers: proportions as percentages with one decimal, ratios and differences
/// with two, intervals as "[lower, upper]".
enum RateFormat {
    static func percent(_ x: Double?) -> String {
        guard let x else { return "" }
        return NumberFormat.fixed(100 * x, digits: 1) + "%"
    }

    static func percentWithCI(_ x: Double, _ lo: Double, _ hi: Double) -> String {
        "\(NumberFormat.fixed(100 * x, digits: 1)) [\(NumberFormat.fixed(100 * lo, digits: 1)), \(NumberFormat.fixed(100 * hi, digits: 1))]"
    }

    static func interval(_ lo: Double?, _ hi: Double?, scale: Double = 1, digits: Int = 1, suffix: String = "") -> String {
        guard let lo, let hi else { return "" }
        return "[\(NumberFormat.fixed(scale * lo, digits: digits)), \(NumberFormat.fixed(scale * hi, digits: digits))]\(suffix)"
    }

    static func effect(_ e: ComparisonEffect) -> String {
        let scale = e.measure == .riskDifference ? 100.0 : 1.0
        let digits = e.measure == .riskDifference ? 1 : 2
        return "\(NumberFormat.fixed(scale * e.estimate, digits: digits)) [\(NumberFormat.fixed(scale * e.ciLower, digits: digits)), \(NumberFormat.fixed(scale * e.ciUpper, digits: digits))]"
    }

    static func iSquared(_ x: Double?) -> String {
        guard let x else { return "" }
        return NumberFormat.fixed(x, digits: 0) + "%"
    }

    static func number(_ x: Double, digits: Int = 2) -> String { NumberFormat.fixed(x, digits: digits) }
}
