import Foundation

/// The numbers a verbatim quote holds, read tolerantly of how sources print them: "30/47", "64.2%", "−6.1"
/// (Unicode minus), "2·0" (Lancet's middle dot), "7,60000" (decimal comma), "5,619" (thousands comma), ".526"
/// (no leading zero), and small counts written as words ("nine and four patients").
///
/// Signs are not compared: sources print a fall as "a 16.5 point decrease" and the data hold -16.5.
struct QuoteNumbers {
    private(set) var values: Set<Double> = []

    init(_ quotes: String...) {
        for quote in quotes { read(quote) }
    }

    func contains(_ value: Double) -> Bool {
        let v = abs(value)
        return values.contains { abs($0 - v) <= 1e-9 * max(1, v) }
    }

    private static let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                "seventeen", "eighteen", "nineteen", "twenty"]

    private mutating func read(_ quote: String) {
        let text = Array(quote.replacingOccurrences(of: "\u{00B7}", with: ".").lowercased().unicodeScalars)
        var i = 0
        while i < text.count {
            let c = text[i]
            let startsNumber = isDigit(c) || (c == "." && i + 1 < text.count && isDigit(text[i + 1]))
            if startsNumber {
                var token = ""
                while i < text.count, isDigit(text[i]) || ((text[i] == "." || text[i] == ",") && i + 1 < text.count && isDigit(text[i + 1])) {
                    token.unicodeScalars.append(text[i])
                    i += 1
                }
                addToken(token)
            } else if c.properties.isAlphabetic {
                var word = ""
                while i < text.count, text[i].properties.isAlphabetic {
                    word.unicodeScalars.append(text[i])
                    i += 1
                }
                if let n = Self.words.firstIndex(of: word) { values.insert(Double(n)) }
            } else {
                i += 1
            }
        }
    }

    private mutating func addToken(_ token: String) {
        let commas = token.filter { $0 == "," }.count
        let dots = token.filter { $0 == "." }.count
        if let x = Double(token.hasPrefix(".") ? "0" + token : token) { values.insert(x) }
        if commas > 0, let x = Double(token.replacingOccurrences(of: ",", with: "")) { values.insert(x) }
        if commas == 1, dots == 0, let x = Double(token.replacingOccurrences(of: ",", with: ".")) { values.insert(x) }
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
}
