import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift plot labbe --arm-labels E,C`: the arms' names in the axis titles; the forest plot's other options are
/// refused for the L'Abbé plot.
@Suite("metaswift plot labbe")
struct PlotLabbeCommandTests {
    static let bcg = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets/classic/bcg.csv").path

    @Test func armLabelsNameTheAxes() throws {
        let plain = MetaSwiftCommand.runCapturing(["plot", "labbe", "--data", Self.bcg, "--measure", "RR"])
        try #require(plain.exitCode == 0, "\(plain.standardError)")
        #expect(plain.standardOutput.contains("Event rate, control") && plain.standardOutput.contains("Event rate, experimental"))
        let named = MetaSwiftCommand.runCapturing(["plot", "labbe", "--data", Self.bcg, "--measure", "RR", "--arm-labels", "BCG,Unvaccinated"])
        try #require(named.exitCode == 0, "\(named.standardError)")
        #expect(named.standardOutput.contains("Event rate, unvaccinated") && named.standardOutput.contains("Event rate, BCG"))
        #expect(!named.standardOutput.contains("Event rate, control"))
        let bad = MetaSwiftCommand.runCapturing(["plot", "labbe", "--data", Self.bcg, "--measure", "RR", "--arm-labels", "BCG"])
        #expect(bad.exitCode != 0 && bad.standardError.contains("Option --arm-labels: expected two names separated by a comma, e.g. Ketamine,Placebo; found 'BCG'."))
        let other = MetaSwiftCommand.runCapturing(["plot", "labbe", "--data", Self.bcg, "--measure", "RR", "--arm-labels", "A,B", "--xlim", "0,1"])
        #expect(other.exitCode != 0 && other.standardError.contains("apply to the forest plot only (--arm-labels also to the L'Abbé plot)."))
    }
}
