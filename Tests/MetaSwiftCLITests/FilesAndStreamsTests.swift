import Foundation
import MetaSwiftCLI
import Testing

/// Issue 16, defect 7: files and streams. Inputs are never overwritten (`--out` naming an input, through any path,
/// is refused), a device given as `--out` stays a device, a write error on standard output is an error exit, a
/// pipe as input is read once and hashed from the bytes parsed, and an interrupted run leaves no temporary file.
/// The stream cases run the built `metaswift` executable (in-process runs capture standard output).
@Suite("metaswift files and streams")
struct FilesAndStreamsTests {
    static let data = "study,yi,vi\na,0.1,0.01\nb,0.3,0.02\nc,0.2,0.015\nd,0.5,0.03\ne,0.05,0.01\n"

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("streams-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The `metaswift` executable beside the test bundle (`swift build --build-tests` / `swift test` build it).
    static func executable() throws -> URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent()]
            .map { $0.appendingPathComponent("metaswift") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "metaswift beside \(here.path)")
    }

    /// Runs the executable with `input` on standard input and `standardOutput` as its standard output (a pipe when nil).
    static func runProcess(_ arguments: [String], input: Data = Data(), standardOutput: FileHandle? = nil) throws
        -> (status: Int32, output: String, error: String)
    {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = standardOutput ?? stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = standardOutput == nil ? stdout.fileHandleForReading.readDataToEndOfFile() : Data()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    @Test func outputNamingAnInputIsRefusedAndTheInputKept() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/d.csv", link = dir + "/link.csv"
        try Self.data.write(toFile: data, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: data)
        for arguments in [["pool", "--data", data, "--out", data], ["escalc", "--data=\(link)", "--out", data],
                          ["sensitivity", "leave1out", "--data", data, "--out=\(link)"]] {
            let r = MetaSwiftCommand.runCapturing(arguments)
            #expect(r.exitCode != 0 && r.standardOutput.isEmpty, "\(arguments)")
            #expect(r.standardError.hasPrefix("Error: Cannot write '") && r.standardError.hasSuffix("and inputs are never overwritten.\n"), "\(r.standardError)")
        }
        #expect(try String(contentsOfFile: data, encoding: .utf8) == Self.data)
        // merge: a shard named as --out.
        let shard = dir + "/b1.json"
        #expect(MetaSwiftCommand.runCapturing(["bootstrap", "--data", data, "--replicates", "10", "--seed", "1", "--shard", "1/1", "--out", shard]).exitCode == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: shard))
        let merge = MetaSwiftCommand.runCapturing(["merge", shard, "--out", shard])
        #expect(merge.exitCode != 0 && merge.standardError.contains("it is the input file '\(shard)'"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: shard)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["b1.json", "d.csv", "link.csv"])
    }

    /// `--out /dev/null` was renamed over: as root that replaced the device node with a regular file.
    @Test func aDeviceAsOutputIsWrittenInPlace() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/d.csv"
        try Self.data.write(toFile: data, atomically: true, encoding: .utf8)
        #expect(MetaSwiftCommand.runCapturing(["pool", "--data", data, "--out", "/dev/null"]).exitCode == 0)
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
        let directory = MetaSwiftCommand.runCapturing(["pool", "--data", data, "--out", dir])
        #expect(directory.exitCode != 0 && directory.standardError == "Error: Cannot write '\(dir)': it is a directory.\n")
    }

    @Test func aWriteErrorOnStandardOutputIsAnErrorExit() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let r = try Self.runProcess(["pool", "--data", "/dev/stdin"], input: Data(Self.data.utf8), standardOutput: full)
        #expect(r.status != 0)
        #expect(r.error == "Error: Cannot write 'standard output': No space left on device.\n")
    }

    /// A pipe as `--data` (and as a shard of `merge`) is read once; the recorded SHA-256 is that of the bytes read.
    @Test func aPipeIsReadOnceAndHashedFromItsBytes() throws {
        let r = try Self.runProcess(["pool", "--data", "/dev/stdin", "--format", "json"], input: Data(Self.data.utf8))
        #expect(r.status == 0, "\(r.error)")
        // SHA-256 of Self.data (sha256sum).
        #expect(r.output.contains("\"input_sha256\": \"5133ba41cfecb593c00c1d6d053bdc7235582e32bba58125d70e6e5dba0f962e\""))
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/d.csv"
        try Self.data.write(toFile: data, atomically: true, encoding: .utf8)
        var shards: [String] = []
        for format in ["json", "csv", "binary"] {
            let paths = (1...2).map { dir + "/s\($0).\(format)" }
            for (i, path) in paths.enumerated() {
                let arguments = format == "json"
                    ? ["bootstrap", "--data", data, "--replicates", "10", "--seed", "1", "--shard", "\(i + 1)/2", "--out", path]
                    : ["sensitivity", "gosh", "--data", data, "--format", format, "--shard", "\(i + 1)/2", "--out", path]
                #expect(MetaSwiftCommand.runCapturing(arguments).exitCode == 0)
            }
            let single = dir + "/single.\(format)", piped = dir + "/piped.\(format)"
            #expect(MetaSwiftCommand.runCapturing(["merge"] + paths + ["--out", single]).exitCode == 0)
            let m = try Self.runProcess(["merge", paths[1], "/dev/stdin", "--out", piped], input: try Data(contentsOf: URL(fileURLWithPath: paths[0])))
            #expect(m.status == 0, "\(format): \(m.error)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: piped)) == Data(contentsOf: URL(fileURLWithPath: single)), "\(format)")
            shards += paths
        }
        #expect(shards.count == 6)
    }

    /// SIGTERM or SIGINT during a streamed run removes the `FILE.tmp-PID` file (a killed GOSH run left 7.4 GB).
    @Test(.timeLimit(.minutes(2)), arguments: [SIGTERM, SIGINT])
    func anInterruptedRunLeavesNoTemporaryFile(signal: Int32) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var csv = "study,yi,vi\n"
        for i in 0..<60 { csv += "s\(i),\(Double(i % 9) / 10),0.0\(i % 5 + 1)\n" }
        try csv.write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = ["sensitivity", "gosh", "--data", dir + "/d.csv", "--subsets", "100000000", "--format", "csv",
                             "--threads", "1", "--out", dir + "/out.csv"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        var started = false
        for _ in 0..<200 where !started {
            started = try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.hasPrefix("out.csv.tmp-") }
            if !started { usleep(50_000) }
        }
        #expect(started, "the run wrote its temporary file")
        if signal == SIGINT { process.interrupt() } else { process.terminate() }
        for _ in 0..<400 where process.isRunning { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("the run did not end on signal \(signal)")
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["d.csv"])
    }
}
