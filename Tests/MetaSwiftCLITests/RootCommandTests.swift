import MetaSwiftCLI
import Testing

@Suite("metaswift root command")
struct RootCommandTests {
    @Test func version() {
        let r = MetaSwiftCommand.runCapturing(["--version"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput == Invocation.version + "\n")
    }

    /// `--version` alone is answered before the parser is built: the same text as the parser's answer.
    @Test func versionShortcutPrintsWhatTheParserPrints() {
        do {
            _ = try MetaSwiftCommand.parseAsRoot(["--version"])
            Issue.record("--version did not end the parse")
        } catch {
            #expect(MetaSwiftCommand.fullMessage(for: error) + "\n" == MetaSwiftCommand.runCapturing(["--version"]).standardOutput)
        }
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
