#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// The one number formatter of the reports: fixed decimals and p-values for reading (as metafor prints them),
/// the shortest round-trip form for CSV and JSON, whole numbers as integers.
public enum NumberFormat {
    /// `x` as an integer when it is whole and below `limit` in magnitude (every such double is exact), else nil.
    public static func whole(_ x: Double, below limit: Double = 1e15) -> String? { NumberText.whole(x, below: limit) }

    /// `x` with `digits` decimals (`NA` for NaN, `Inf`/`-Inf`); a rounded negative zero prints as zero.
    public static func fixed(_ x: Double, digits: Int = 4) -> String {
        if x.isNaN { return "NA" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if let text = fastFixed(x, digits: digits) { return text }
        let text = printf("%.*f", digits, x)
        // "-0.0000" reads as a sign error; print it as zero.
        return text.allSatisfy { $0 == "-" || $0 == "0" || $0 == "." } ? String(text.drop { $0 == "-" }) : text
    }

    /// A p-value with `digits` decimals, or `<.0001` (for 4 digits) below what that shows, as metafor prints it.
    public static func pValue(_ p: Double, digits: Int = 4) -> String {
        if p.isNaN { return "NA" }
        let smallest = 1 / pow(10, Double(digits))
        if p < smallest { return "<." + String(repeating: "0", count: digits - 1) + "1" }
        return fixed(p, digits: digits)
    }

    /// The shortest decimal that reads back as the same double; whole numbers without a fraction part; `NA`,
    /// `Inf`, `-Inf` for the non-finite (CSV fields and option values in provenance).
    public static func shortest(_ x: Double) -> String {
        if x.isNaN { return "NA" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        return whole(x) ?? x.description
    }

    /// `x` with `significant` significant digits, trailing zeros dropped (C's `%g`).
    public static func significant(_ x: Double, _ significant: Int) -> String {
        printf("%.*g", significant, x)
    }

    /// Exact powers of ten 10⁰…10¹⁵.
    private static let powersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }

    /// `printf("%.*f")`'s text without `printf` (whose boxed variadic call dominated rendering 10⁶ rows), or nil where
    /// the correctly rounded digits cannot be told from one product: |x|·10^digits ≥ 2⁵², or within two units of
    /// rounding of a tie (the product's error is at most half a unit; `printf` decides those from the exact binary value).
    /// A value that rounds to zero prints unsigned, as `fixed` shows it.
    private static func fastFixed(_ x: Double, digits: Int) -> String? {
        guard digits >= 0, digits < powersOfTen.count else { return nil }
        let scale = powersOfTen[digits]
        let s = abs(x) * scale
        guard s < 4.5e15 else { return nil }
        let below = s.rounded(.down)
        let fraction = s - below
        guard abs(fraction - 0.5) > 4.5e-16 * s + 1e-300 else { return nil }
        let n = UInt64(fraction > 0.5 ? below + 1 : below)
        let divisor = UInt64(scale)
        var text = x < 0 && n != 0 ? "-" : ""
        text += String(n / divisor)
        if digits > 0 {
            let decimals = String(n % divisor)
            text += "." + String(repeating: "0", count: digits - decimals.count) + decimals
        }
        return text
    }

    private static func printf(_ format: String, _ digits: Int, _ x: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([digits, x]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
