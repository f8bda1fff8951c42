/// Estimated text widths for layout, from the Helvetica/Arial advance widths (1/1000 em).
///
/// SVG has no way to measure text before a viewer renders it, so columns are sized from these widths.
/// Arial and Liberation Sans share Helvetica's metrics, which is why the style names them as fallbacks.
enum TextMetrics {
    /// Advance widths of the printable ASCII characters 32...126.
    private static let ascii: [UInt16] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,      // p … ~
    ]

    /// Width in pixels of `text` set at `size` pixels.
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var units = 0.0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= 32 && v <= 126 {
                units += Double(ascii[Int(v) - 32])
            } else if v == 0x2212 || v == 0x00B1 || v == 0x2264 || v == 0x2265 {
                units += 584
            } else if v == 0x2026 || v == 0x2014 {
                units += 1000
            } else if v == 0x00B2 || v == 0x00B3 || v == 0x00B9 {
                units += 333
            } else if (0x0300...0x036F).contains(v) {
                continue
            } else if v >= 0x1100 && (v <= 0x115F || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                                          || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v)) {
                units += 1000
            } else {
                units += 556
            }
        }
        return units / 1000 * size * (bold ? 1.08 : 1)
    }

    /// `text` shortened with an ellipsis so it is at most `maxWidth` pixels wide.
    static func truncated(_ text: String, size: Double, maxWidth: Double, bold: Bool = false) -> String {
        guard width(text, size: size, bold: bold) > maxWidth else { return text }
        var characters = Array(text)
        while !characters.isEmpty && width(String(characters) + "\u{2026}", size: size, bold: bold) > maxWidth {
            characters.removeLast()
        }
        while characters.last == " " { characters.removeLast() }
        return String(characters) + "\u{2026}"
    }

    /// `text` broken at spaces into lines at most `maxWidth` pixels wide, at most `maxLines` of them; a word
    /// wider than a line, or text left over after the last line, is shortened with an ellipsis.
    static func wrapped(_ text: String, size: Double, maxWidth: Double, maxLines: Int, bold: Bool = false) -> [String] {
        guard width(text, size: size, bold: bold) > maxWidth, maxLines > 1 else {
            return [truncated(text, size: size, maxWidth: maxWidth, bold: bold)]
        }
        var lines: [String] = []
        var current = ""
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)[...]
        while let word = words.first {
            let candidate = current.isEmpty ? word : current + " " + word
            if width(candidate, size: size, bold: bold) <= maxWidth {
                current = candidate
                words.removeFirst()
                continue
            }
            if current.isEmpty {
                // One word wider than the line: it gets a line of its own, shortened.
                current = truncated(word, size: size, maxWidth: maxWidth, bold: bold)
                words.removeFirst()
            }
            if lines.count == maxLines - 1 {
                let rest = ([current] + words).joined(separator: " ")
                return lines + [truncated(rest, size: size, maxWidth: maxWidth, bold: bold)]
            }
            lines.append(current)
            current = ""
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
