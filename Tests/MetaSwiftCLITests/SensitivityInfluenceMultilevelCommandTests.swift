import Foundation
import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing

/// `metaswift sensitivity influence --random … [--cluster COL]`: case-deletion diagnostics of a multilevel model. The
/// numbers are the library's (`MultilevelFit.influence`, checked against metafor in MultilevelInfluenceTests), so the
/// CLI's JSON must carry exactly the values of a fit built here from the data.
@Suite("metaswift sensitivity influence --random")
struct SensitivityInfluenceMultilevelCommandTests {
    static let base = ["sensitivity", "influence", "--data", PlotMultilevelProfileCommandTests.data, "--measure", "GEN",
                       "--random", "~ 1 | district/school", "--method", "REML"]

    @Test func clusterDeletionIsTheLibrarys() throws {
        let r = MetaSwiftCommand.runCapturing(Self.base + ["--cluster", "district", "--format", "json"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let json = try JSONValue(parsing: r.standardOutput)
        let districts = try String(contentsOfFile: PlotMultilevelProfileCommandTests.data, encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        let influence = try PlotMultilevelProfileCommandTests.libraryFit().influence(clusterName: "district", clusterLabels: districts, threads: 1)
        #expect(json["district"]?.arrayValue?.compactMap(\.stringValue) == influence.cases.map(\.label))
        #expect(json["cook_d"]?.arrayValue?.compactMap(\.doubleValue) == influence.cases.map(\.cooksDistance))
        #expect(json["X2"]?.arrayValue?.compactMap(\.doubleValue) == influence.cases.map(\.residualChiSquare))
        #expect(json["sigma2[2]"]?.arrayValue?.compactMap(\.doubleValue) == influence.cases.map { $0.refit!.componentEstimates[1] })
        #expect(json["hat"]?.arrayValue?.count == 56)
    }

    @Test func clusterNeedsRandomAndAnExistingColumn() {
        let noRandom = MetaSwiftCommand.runCapturing(["sensitivity", "influence", "--data", PlotMultilevelProfileCommandTests.data,
                                                      "--measure", "GEN", "--cluster", "district"])
        #expect(noRandom.exitCode != 0 && noRandom.standardError.contains("--cluster needs --random"))
        let missing = MetaSwiftCommand.runCapturing(Self.base + ["--cluster", "county"])
        #expect(missing.exitCode != 0 && missing.standardError.contains("county"))
    }
}
