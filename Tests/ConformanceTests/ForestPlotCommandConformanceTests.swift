import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing

/// `metaswift plot forest` on the input of every conformance case that starts from effect sizes (issue 10's
/// done-when): the SVG parses as XML, names every study of the data file, has one pooled diamond, a prediction
/// interval for random-effects models, and the pooled estimate and CI metafor computed (as the plot prints them,
/// two decimals, back-transformed where the plot back-transforms).
@Suite("metaswift plot forest on every conformance input")
struct ForestPlotCommandConformanceTests {
    /// One distinct command line (up to the test), with the first case that needs it.
    struct Run: Sendable, CustomTestStringConvertible {
        let caseID: String
        let arguments: [String]
        var testDescription: String { caseID }
    }

    static let runs: [Run] = {
        var seen = Set<[String]>()
        var runs: [Run] = []
        for group in ConformanceBank.groups {
            for id in ConformanceBank.caseIDs(group: group) {
                guard let c = try? ConformanceBank.load(id), c.expectedError == nil, let arguments = try? arguments(for: c) else { continue }
                // The test (z, t, knha, adhoc) changes only the intervals, which the pool conformance cases check:
                // one test per data file, measure and model keeps the suite short.
                var key = arguments
                if let i = key.firstIndex(of: "--test") { key.removeSubrange(i...(i + 1)) }
                if seen.insert(key).inserted { runs.append(Run(caseID: id, arguments: arguments)) }
            }
        }
        return runs
    }()

    static func arguments(for c: BankCase) throws -> [String] {
        let caseFile = ConformanceBank.directory.appendingPathComponent("cases/\(c.id).json")
        let raw = try JSONValue(parsing: String(decoding: try Data(contentsOf: caseFile), as: UTF8.self))
        let input = ConformanceBank.directory.appendingPathComponent(try #require(raw["input"]?.stringValue)).path
        var arguments = ["plot", "forest", "--measure", try c.effectMeasure.rawValue, "--data", input]
        for (name, column) in c.args.sorted(by: { $0.key < $1.key }) { arguments += ["--map", "\(name)=\(column)"] }
        let options = try c.escalcOptions
        arguments += ["--add", String(options.add), "--to", options.to.rawValue, "--level", String(options.level)]
        if options.drop00 { arguments.append("--drop00") }
        // The case's τ² estimator and test where it has them (MH, Peto and GLMM cases: the default model).
        if let method = c.stringOption("method"), TauSquaredEstimator(code: method) != nil { arguments += ["--method", method] }
        if let test = c.stringOption("test"), CoefficientTest(rawValue: test) != nil { arguments += ["--test", test] }
        if let weights = c.stringOption("weights") { arguments += ["--weights", weights] }
        if c.analysis == "subgroup", let column = c.stringOption("group_var") { arguments += ["--subgroup", column] }
        return arguments
    }

    @Test("plot forest", arguments: runs)
    func forest(_ run: Run) throws {
        let c = try ConformanceBank.load(run.caseID)
        let result = MetaSwiftCommand.runCapturing(run.arguments)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        let svg = try ForestSVG(result.standardOutput)

        // Every study of the data file, each once, in file order within its block; repeated labels numbered as
        // metafor numbers them (raudenbush1985's two "Pellegrini & Hicks 1972" rows are drawn as .1 and .2).
        let studies = try EscalcInput.uniqueStudyLabels(
            try c.table.strings("study", neededBy: "the test").map { $0.trimmingCharacters(in: .whitespaces) })
        let labels = svg.studyLabels
        #expect(labels.sorted() == studies.sorted(), "labels \(labels.prefix(5)) vs \(studies.prefix(5))")

        // A single study (e.g. escalc_extra's one matched-pairs table) is drawn without a pooled estimate.
        if studies.count == 1 {
            #expect(svg.count(class: "pooled-diamond") == 0)
            return
        }
        let method = run.arguments.firstIndex(of: "--method").map { run.arguments[$0 + 1] } ?? "REML"
        let commonEffect = TauSquaredEstimator(code: method) == .commonEffect
        #expect(svg.count(class: "pooled-diamond") == 1)
        let overall = try #require(svg.groups.first { $0.classes.contains("overall") })
        #expect(overall.count(class: "pooled-diamond") == 1)

        if c.analysis == "subgroup" {
            let levels = try #require(c.expected["subgroups"]?.arrayValue)
            let pooledLevels = levels.filter { ($0["k"]?.doubleValue ?? 0) >= 2 }.count
            #expect(svg.count(class: "subgroup-diamond") == pooledLevels)
            // A prediction interval per random-effects subtotal and overall, from k = 3 studies (ForestPlot's rule).
            let predictionLevels = levels.filter { ($0["k"]?.doubleValue ?? 0) >= Double(ForestPlot.minimumStudiesForPredictionInterval) }.count
            #expect(svg.count(class: "prediction-interval") == (commonEffect ? 0 : predictionLevels + 1))
            // Q_between as metafor's EE model over the subgroup estimates gives it.
            let q = try #require(c.expected["test_separate_tau2"]?["Q_between"]?.doubleValue)
            #expect(svg.texts.contains { $0.hasPrefix("Test for subgroup differences") && $0.contains("χ² = " + Self.fixed(q)) },
                    "\(svg.texts.filter { $0.contains("subgroup") })")
        } else {
            #expect(svg.count(class: "prediction-interval") == (commonEffect ? 0 : 1))
        }

        // The pooled estimate and CI of rma.uni cases, as printed in the overall row.
        if c.analysis == "rma.uni", let beta = c.expected["beta"]?.doubleValue, let lb = c.expected["ci_lb"]?.doubleValue,
           let ub = c.expected["ci_ub"]?.doubleValue {
            let measure = try c.effectMeasure
            guard measure != .freemanTukeyProportion else { return }
            let shown: (Double) -> Double = { x in measure.backTransformation().map { $0.apply(x) } ?? x }
            let texts = overall.texts
            #expect(texts.contains(Self.fixed(shown(beta))), "\(texts) vs \(shown(beta))")
            #expect(texts.contains("[" + Self.fixed(shown(lb)) + ","), "\(texts) vs \(shown(lb))")
            #expect(texts.contains(Self.fixed(shown(ub)) + "]"), "\(texts) vs \(shown(ub))")
            // RevMan's lines under the diamond: Cochran's Q as χ² and the test for the overall effect (the iterative
            // statistics from the tightly converged fit where the bank has one).
            let reference = c.expectedTight.flatMap { $0["zval"] == nil ? nil : $0 } ?? c.expected
            if let qe = reference["QE"]?.doubleValue {
                #expect(svg.texts.contains { $0.hasPrefix("Heterogeneity:") && $0.contains("χ² = " + Self.fixed(qe)) })
            }
            if let statistic = reference["zval"]?.doubleValue {
                #expect(svg.texts.contains { $0.hasPrefix("Test for overall effect:") && $0.contains("= " + Self.fixed(statistic)) },
                        "\(svg.texts.filter { $0.hasPrefix("Test for overall") }) vs \(statistic)")
            }
        }
    }

    /// Two decimals as the plot prints them (typographic minus).
    static func fixed(_ x: Double) -> String {
        let text = String(format: "%.2f", x)
        return text == "-0.00" ? "0.00" : text.replacingOccurrences(of: "-", with: "\u{2212}")
    }
}

/// The parts of a forest-plot SVG the test needs, read with a real XML parser (malformed SVG fails to parse).
private final class ForestSVG: NSObject, XMLParserDelegate {
    final class Element {
        let name: String
        let classes: [String]
        var text = ""
        var children: [Element] = []
        init(name: String, classes: [String]) {
            self.name = name
            self.classes = classes
        }
        var all: [Element] { [self] + children.flatMap(\.all) }
        func count(class name: String) -> Int { all.filter { $0.classes.contains(name) }.count }
        var texts: [String] { all.filter { $0.name == "text" }.map(\.text) }
    }

    private var stack: [Element] = []
    private(set) var root: Element?

    init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse(), let root, root.name == "svg" else {
            throw ForestSVGError(description: "not an SVG document: \(parser.parserError.map { "\($0)" } ?? "no root")")
        }
    }

    var all: [Element] { root?.all ?? [] }
    var groups: [Element] { all.filter { $0.name == "g" } }
    var texts: [String] { root?.texts ?? [] }
    func count(class name: String) -> Int { root?.count(class: name) ?? 0 }

    /// Each study row's label, its wrapped lines joined again.
    var studyLabels: [String] {
        groups.filter { $0.classes.contains("study-row") }.map { row in
            row.all.filter { $0.classes.contains("label") }.map(\.text).joined(separator: " ")
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let element = Element(name: name, classes: (attributes["class"] ?? "").split(separator: " ").map(String.init))
        if let parent = stack.last { parent.children.append(element) } else { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Tooltips (<title> inside a text) are not visible text.
        guard let current = stack.last, current.name != "title" || stack.count < 3 else { return }
        current.text += string
    }
}

private struct ForestSVGError: Error, CustomStringConvertible {
    let description: String
}
