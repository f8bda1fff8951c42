import Foundation
import MetaSwiftCLI
import Testing
import _TestSupport

/// JSON provenance (issue 10): the input's SHA-256 and every option in force. Same bytes and options give the same
/// hash and options block wherever the file lies; one changed byte gives another hash; another option changes
/// that option's entry only. The reference digests come from coreutils' `sha256sum`, not from MetaSwift.
@Suite("JSON provenance")
struct ProvenanceTests {
    static func file(_ text: String, _ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "provenance-\(name)-\(getpid()).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func provenance(_ arguments: [String]) throws -> [String: Any] {
        let r = MetaSwiftCommand.runCapturing(arguments + ["--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        return try #require(json["provenance"] as? [String: Any])
    }

    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(output.prefix(64))
    }

    /// The recorded command line is the one run, also when run in-process (not the test runner's arguments).
    @Test(arguments: [["pool"], ["escalc"], ["bias", "egger"], ["sensitivity", "leave1out"], ["rates"]])
    func commandLineIsTheOneRun(command: [String]) throws {
        let tag = command.joined(separator: "-") + "-line"
        let arguments: [String]
        if command == ["rates"] {
            arguments = command + ["--outcome", "remission"]
        } else {
            arguments = command + ["--data", try Self.file(BCG.csv, tag), "--measure", "RR"]
        }
        defer { if let i = arguments.firstIndex(of: "--data") { try? FileManager.default.removeItem(atPath: arguments[i + 1]) } }
        let recorded = try #require(try Self.provenance(arguments)["command_line"] as? [String])
        #expect(recorded == ["metaswift"] + arguments + ["--format", "json"])
    }

    @Test(arguments: [["pool"], ["escalc"], ["bias", "egger"], ["sensitivity", "leave1out"]])
    func sameInputAndOptionsGiveTheSameHashAndOptions(command: [String]) throws {
        // Files of their own per command: the parameterized cases run in parallel.
        let tag = command.joined(separator: "-")
        let a = try Self.file(BCG.csv, tag + "-a"), b = try Self.file(BCG.csv, tag + "-b")
        let changed = try Self.file(BCG.csv.replacingOccurrences(of: "\"Aronson 1948\",1948,4,", with: "\"Aronson 1948\",1948,5,"), tag + "-c")
        defer { for p in [a, b, changed] { try? FileManager.default.removeItem(atPath: p) } }
        let options = ["--measure", "RR"]
        let first = try Self.provenance(command + ["--data", a] + options)
        let again = try Self.provenance(command + ["--data", a] + options)
        let moved = try Self.provenance(command + ["--data", b] + options)
        let edited = try Self.provenance(command + ["--data", changed] + options)

        let hash = try #require(first["input_sha256"] as? String)
        #expect(hash == (try Self.sha256sum(a)))
        #expect(again["input_sha256"] as? String == hash)
        #expect(moved["input_sha256"] as? String == hash)
        #expect(edited["input_sha256"] as? String == (try Self.sha256sum(changed)))
        #expect(edited["input_sha256"] as? String != hash)

        let block = try #require(first["options"] as? [String: String])
        #expect(block["measure"] == "RR")
        #expect(again["options"] as? [String: String] == block)
        #expect(moved["options"] as? [String: String] == block)
        #expect(edited["options"] as? [String: String] == block)
    }

    /// Defaults are recorded explicitly, and a changed option changes its entry and nothing else.
    @Test func optionsBlockRecordsDefaultsAndChanges() throws {
        let a = try Self.file(BCG.csv, "options")
        defer { try? FileManager.default.removeItem(atPath: a) }
        let plain = try #require(try Self.provenance(["pool", "--data", a, "--measure", "RR"])["options"] as? [String: String])
        let dl = try #require(try Self.provenance(["pool", "--data", a, "--measure", "RR", "--method", "DL"])["options"] as? [String: String])
        #expect(plain["method"] == "REML" && plain["test"] == "knha" && plain["level"] == "95" && plain["preset"] == "guidance")
        #expect(dl["method"] == "DL")
        #expect(plain.filter { $0.key != "method" } == dl.filter { $0.key != "method" })
    }
}
