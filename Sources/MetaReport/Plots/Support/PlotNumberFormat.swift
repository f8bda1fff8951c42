/// Fixed, locale-free number formatting for plots, so the same input always gives the same bytes.
enum PlotNumberFormat {
    /// The typographic minus sign (U+2212) used in visible text.
    static let minus = "\u{2212}"

    /// `x` rounded half away from zero to `digits` decimals, e.g. `fixed(-0.4694, digits: 2)` is "−0.47".
    /// A value that rounds to zero is written without a sign.
    static func fixed(_ x: Double, digits: Int, minus: String = PlotNumberFormat.minus) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "\u{221E}" : minus + "\u{221E}") }
        let digits = max(0, min(digits, 12))
        let scaled = (Swift.abs(x) * power10(digits)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return (x < 0 ? minus : "") + Swift.abs(x).description }
        var text = String(UInt64(scaled))
        if digits > 0 {
            if text.count <= digits { text = String(repeating: "0", count: digits + 1 - text.count) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
        }
        return (x < 0 && scaled != 0 ? minus : "") + text
    }

    /// The shortest decimal form with at most `maxDigits` decimals that represents `x` to 1e-9 relative,
    /// for tick labels ("0.05", "0.25", "1", "4", "2.5").
    static func shortest(_ x: Double, maxDigits: Int = 6, minus: String = PlotNumberFormat.minus) -> String {
        guard x.isFinite else { return fixed(x, digits: 0, minus: minus) }
        for digits in 0..<maxDigits {
            let scale = power10(digits)
            let rounded = (x * scale).rounded(.toNearestOrAwayFromZero) / scale
            if Swift.abs(rounded - x) <= 1e-9 * Swift.max(1, Swift.abs(x)) {
                return fixed(x, digits: digits, minus: minus)
            }
        }
        return fixed(x, digits: maxDigits, minus: minus)
    }

    /// An SVG coordinate or length: at most two decimals, trailing zeros dropped, ASCII minus.
    static func coordinate(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var text = fixed(x, digits: 2, minus: "-")
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A percentage such as "9.7%".
    static func percent(_ x: Double, digits: Int = 1) -> String {
        fixed(x, digits: digits) + "%"
    }

    /// An integer with thousands separated by commas ("1,048,575").
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return (n < 0 ? minus : "") + out
    }

    static func power10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= 10 }
        return result
    }
}
