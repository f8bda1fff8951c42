import MetaData
import MetaAnalysis

/// One row of the gaps table of `Datasets/trd-review/README.md`: numbers a full text would add.
public struct ReviewGap: Sendable, Equatable {
    public var study: String
    public var missing: String
    public var source: String

    /// The rows of the Markdown table under the heading that starts with "## Gaps" in `readme`.
    public static func parse(readme: String) -> [ReviewGap] {
        var gaps: [ReviewGap] = []
        var inSection = false
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inSection = line.hasPrefix("## Gaps"); continue }
            guard inSection, line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { String($0).trimmingSpaces() }
            guard cells.count == 3, !cells[0].allSatisfy({ $0 == "-" }), cells[0] != "study (ref)" else { continue }
            gaps.append(ReviewGap(study: cells[0], missing: cells[1], source: cells[2]))
        }
        return gaps
    }
}
