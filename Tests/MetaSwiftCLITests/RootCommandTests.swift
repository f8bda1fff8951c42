import MetaSwiftCLI
import Testing

@Suite("metaswift root command")
struct RootCommandTests {
    @Test func version() {
        let r = MetaSwiftCommand.runCapturing(["--version"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput == MetaSwiftCommand.version + "\n")
    }

    @Test func helpPointsToReview() {
        let r = MetaSwiftCommand.runCapturing(["--help"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.contains("metaswift review"))
    }

    @Test func unknownArgumentIsAnErrorOnStderr() {
        let r = MetaSwiftCommand.runCapturing(["no-such-command"])
        #expect(r.exitCode != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError.hasPrefix("Error: "))
    }
}
