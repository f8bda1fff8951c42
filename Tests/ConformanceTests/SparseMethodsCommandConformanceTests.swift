import Foundation
import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing

/// The rma.mh, rma.peto and (passing) rma.glmm cases end to end through `metaswift pool --method MH|PETO|GLMM
/// --format json`, run in-process and compared with metafor's values at the case's tolerance.
@Suite("metaswift pool MH/PETO/GLMM conformance")
struct SparseMethodsCommandConformanceTests {
    static let ids = ConformanceBank.caseIDs(group: "rma_mh") + ConformanceBank.caseIDs(group: "rma_peto")
        + ConformanceBank.caseIDs(group: "rma_glmm").filter { !ConformanceBank.pending.contains($0) }

    @Test("case through the CLI", arguments: ids)
    func sparseCase(_ id: String) throws {
        let c = try ConformanceBank.load(id)
        let caseFile = ConformanceBank.directory.appendingPathComponent("cases").appendingPathComponent(id + ".json")
        let raw = try JSONValue(parsing: String(decoding: try Data(contentsOf: caseFile), as: UTF8.self))
        let input = ConformanceBank.directory.appendingPathComponent(try #require(raw["input"]?.stringValue)).path
        let method = c.analysis == "rma.mh" ? "MH" : c.analysis == "rma.peto" ? "PETO" : "GLMM"
        var arguments = ["pool", "--method", method, "--measure", try c.effectMeasure.rawValue, "--data", input, "--format", "json"]
        for (name, column) in c.args.sorted(by: { $0.key < $1.key }) { arguments += ["--map", "\(name)=\(column)"] }
        if let model = c.stringOption("model") { arguments += ["--model", model] }
        if let correct = c.option("correct"), correct == .bool(false) { arguments.append("--no-correct") }
        let result = MetaSwiftCommand.runCapturing(arguments)
        #expect(result.exitCode == 0, "\(result.standardError)")
        let json = try JSONValue(parsing: result.standardOutput)
        let problems = compare(json, c.expected, tolerance: c.analysis == "rma.glmm" ? .glmm : .closedForm)
        #expect(problems.isEmpty, "\(id): \(problems.prefix(5))")
        #expect(json["provenance"] != nil)
    }
}
