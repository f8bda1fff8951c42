import Foundation
import MetaAnalysis
import MetaData
import Testing

/// The example of the README's and the DocC article's "Using MetaSwift from Swift", compiled and run: the code between
/// the markers below is, line for line, the code block of both documents (checked here), and its numbers are
/// metafor's for the same five studies (`rma(measure = "RR", ai, bi, ci, di, test = "knha",
/// control = list(threshold = 1e-14))` and `predict(res, transf = exp)`, metafor 3.8-1: 0.346946250394769
/// [0.164080560836265, 0.733613415565468], PI [0.0639267016351578, 1.88296435736626]; with metafor's default REML
/// threshold 1e-5 the digits move from the 7th significant one).
@Suite("Using MetaSwift from Swift: the documented example")
struct UsingMetaSwiftFromSwiftTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// What the example prints (its `print` resolves to this one).
    final class Printed: @unchecked Sendable { var lines: [String] = [] }
    let printed = Printed()
    func print(_ line: String) { printed.lines.append(line) }

    func example() throws -> PooledAnalysis {
        // BEGIN EXAMPLE
        let data = StudyData.twoByTwo(
            studies: ["Aronson 1948", "Ferguson & Simes 1949", "Rosenthal 1960", "Hart & Sutherland 1977", "Frimodt-Moller 1973"],
            ai: [4, 6, 3, 62, 33], bi: [119, 300, 228, 13536, 5036],
            ci: [11, 29, 11, 248, 47], di: [128, 274, 209, 12619, 5761])
        let analysis = try PooledAnalysis.pool(data, measure: .logRiskRatio)  // REML, Knapp-Hartung
        let rr = analysis.backTransformedPrediction
        print("risk ratio \(rr.estimate) (95% CI \(rr.confidenceLower) to \(rr.confidenceUpper))")
        print("95% prediction interval \(rr.predictionLower) to \(rr.predictionUpper)")
        // END EXAMPLE
        return analysis
    }

    /// The lines between the markers, without the common indentation.
    static func exampleSource() throws -> [String] {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8).components(separatedBy: "\n")
        guard let begin = source.firstIndex(where: { $0.hasSuffix("// BEGIN EXAMPLE") }),
              let end = source.firstIndex(where: { $0.hasSuffix("// END EXAMPLE") }) else { return [] }
        return source[(begin + 1)..<end].map { String($0.dropFirst(8)) }
    }

    @Test("The example runs and gives metafor's estimate, CI and prediction interval")
    func runs() throws {
        let analysis = try example()
        let rr = analysis.backTransformedPrediction
        let expected = [0.346946250394769, 0.164080560836265, 0.733613415565468, 0.0639267016351578, 1.88296435736626]
        let got = [rr.estimate, rr.confidenceLower, rr.confidenceUpper, rr.predictionLower, rr.predictionUpper]
        for (g, e) in zip(got, expected) { #expect(abs(g - e) <= 1e-9 * abs(e), "\(g) vs \(e)") }
        #expect(analysis.model.studyCount == 5)
        #expect(analysis.heterogeneityIntervals != nil)
        #expect(printed.lines.count == 2, "\(printed.lines)")
        #expect(printed.lines.first?.hasPrefix("risk ratio 0.3469462503") == true)
        #expect(printed.lines.last?.hasPrefix("95% prediction interval 0.0639267016") == true)
    }

    @Test("The README and the DocC article show exactly this example", arguments: [
        "README.md", "Sources/MetaAnalysis/MetaAnalysis.docc/UsingMetaSwiftFromSwift.md",
    ])
    func documented(_ path: String) throws {
        let example = try Self.exampleSource()
        #expect(example.count >= 8)
        let document = try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
        let block = (["```swift", "import MetaAnalysis", "import MetaData", ""] + example + ["```"]).joined(separator: "\n")
        #expect(document.contains(block), "\(path) must contain the example block:\n\(block)")
    }
}
