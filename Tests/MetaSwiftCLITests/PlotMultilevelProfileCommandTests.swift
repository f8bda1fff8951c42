import Foundation
import MetaAnalysis
import MetaReport
import MetaSwiftCLI
import Testing

/// `metaswift plot profile --random …`: the profile plot of a multilevel model's variance components. The curves are
/// the library's (`MultilevelFit.profile`), so the CLI's SVG must equal the one drawn from a fit built here directly
/// from the data; the options choose components and refuse what does not apply.
@Suite("metaswift plot profile --random")
struct PlotMultilevelProfileCommandTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/BankMV/data/konstantopoulos2011.csv").path
    static let base = ["plot", "profile", "--data", data, "--measure", "GEN", "--random", "~ 1 | district/school"]

    /// The three-level model of Konstantopoulos (2011) fitted by the library from the CSV's columns.
    static func libraryFit() throws -> MultilevelFit {
        let lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let header = lines[0], rows = lines.dropFirst()
        func column(_ name: String) throws -> [String] {
            let i = try #require(header.firstIndex(of: name))
            return rows.map { $0[i] }
        }
        let y = try column("yi").map { try #require(Double($0)) }, v = try column("vi").map { try #require(Double($0)) }
        let groupings = try NestedRandomIntercepts(formula: "~ 1 | district/school")
            .groupings(labels: ["district": try column("district"), "school": try column("school")], effectCount: y.count)
        let model = try MultilevelModel(effects: y, samplingCovariance: SamplingCovariance(variances: v),
                                        design: DesignMatrix(intercept: true, studyCount: y.count), groupings: groupings)
        return try model.fit(method: .restrictedMaximumLikelihood, test: .t, dfs: .contain, level: 0.95)
    }

    @Test func oneComponentIsTheLibrarysCurve() throws {
        let r = MetaSwiftCommand.runCapturing(Self.base + ["--component", "sigma2[2]"])
        try #require(r.exitCode == 0, "\(r.standardError)")
        let fit = try Self.libraryFit()
        let expected = ProfilePlot(title: "Profile likelihood plot", curves: [fit.profile(.sigma2(1))]).svg()
        #expect(r.standardOutput == expected)
        #expect(r.standardOutput.contains("Profile of sigma2[2]") && !r.standardOutput.contains("sigma2[1]"))
    }

    @Test func optionsThatDoNotApplyAreRefusedByName() {
        let unknown = MetaSwiftCommand.runCapturing(Self.base + ["--component", "rho"])
        #expect(unknown.exitCode != 0)
        #expect(unknown.standardError.contains("Option --component: expected an estimated component of this model: sigma2[1], sigma2[2] (or its kind, e.g. sigma2); found 'rho'."))
        let notML = MetaSwiftCommand.runCapturing(Self.base + ["--method", "DL"])
        #expect(notML.exitCode != 0 && notML.standardError.contains("Option --method: expected ML or REML with --random; found 'DL'."))
        // A tool preset's test and PI conventions do not exist for multilevel models: refused by name, as pool refuses them.
        let preset = MetaSwiftCommand.runCapturing(Self.base + ["--preset", "cochrane"])
        #expect(preset.exitCode != 0 && preset.standardError.contains("Option --preset: expected guidance or metafor with --random"))
        let pool = MetaSwiftCommand.runCapturing(["pool", "--data", Self.data, "--measure", "GEN", "--random", "~ 1 | district", "--preset", "revman5"])
        #expect(pool.exitCode != 0 && pool.standardError.contains("--preset revman5 applies to pooling without moderators") && pool.standardError.contains("does not combine with --random"))
        let otherPlot = MetaSwiftCommand.runCapturing(["plot", "funnel", "--data", Self.data, "--measure", "GEN", "--random", "~ 1 | district"])
        #expect(otherPlot.exitCode != 0 && otherPlot.standardError.contains("--random applies to the profile plot only."))
        let noRandom = MetaSwiftCommand.runCapturing(["plot", "profile", "--data", Self.data, "--measure", "GEN", "--component", "sigma2"])
        #expect(noRandom.exitCode != 0 && noRandom.standardError.contains("--component needs --random"))
    }
}
