import Foundation
import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing

/// The same escalc cases, end to end through the command line: `metaswift escalc ... --format json` run
/// in-process, its output parsed and compared with metafor's values at the closed-form tolerance.
@Suite("metaswift escalc conformance")
struct EscalcCommandConformanceTests {
    static let ids = ConformanceBank.caseIDs(group: "escalc")

    @Test("escalc case through the CLI", arguments: ids)
    func escalcCase(_ id: String) throws {
        let c = try ConformanceBank.load(id)
        let caseFile = ConformanceBank.directory.appendingPathComponent("cases").appendingPathComponent(id + ".json")
        let raw = try JSONValue(parsing: String(decoding: try Data(contentsOf: caseFile), as: UTF8.self))
        let input = ConformanceBank.directory.appendingPathComponent(try #require(raw["input"]?.stringValue)).path
        var arguments = ["escalc", "--measure", try c.effectMeasure.rawValue, "--data", input, "--format", "json"]
        for (name, column) in c.args.sorted(by: { $0.key < $1.key }) { arguments += ["--map", "\(name)=\(column)"] }
        let options = try c.escalcOptions
        arguments += ["--add", String(options.add), "--to", options.to.rawValue, "--level", String(options.level)]
        if options.drop00 { arguments.append("--drop00") }
        let result = MetaSwiftCommand.runCapturing(arguments)
        #expect(result.exitCode == 0, "\(result.standardError)")
        let json = try JSONValue(parsing: result.standardOutput)
        let problems = compare(json, c.expected, tolerance: .closedForm)
        #expect(problems.isEmpty, "\(id): \(problems.prefix(5))")
    }
}
