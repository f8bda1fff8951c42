import Foundation
import MetaSwiftCLI
import Testing
import _TestSupport

/// `--out FILE`: written whole or not at all, never over an unwritable place silently.
@Suite("--out files")
struct OutputFileTests {
    @Test func writesTheSameBytesAsStandardOutput() throws {
        let out = NSTemporaryDirectory() + "out-file-\(getpid()).json"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let toFile = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--format", "csv", "--out", out])
        let toConsole = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--format", "csv"])
        #expect(toFile.exitCode == 0 && toFile.standardOutput.isEmpty)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == toConsole.standardOutput)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("out-file-\(getpid()).json.tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func unwritablePlaceIsOneSentence() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--out", "/nonexistent-dir/x.json"])
        #expect(r.exitCode != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError == "Error: Cannot write '/nonexistent-dir/x.json': No such file or directory.\n")
    }
}
