import Foundation
import MetaSwiftCLI
import Testing

/// `metaswift datasets list|show|export` (DESIGN §4) against the files in Datasets/ on disk.
@Suite("metaswift datasets")
struct DatasetsCommandTests {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets")

    /// Every CSV under Datasets/, as `folder/stem`.
    static func filesOnDisk() throws -> [String: URL] {
        var files: [String: URL] = [:]
        for folder in try FileManager.default.contentsOfDirectory(atPath: datasets.path) {
            let dir = datasets.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for name in names where name.hasSuffix(".csv") {
                files[folder + "/" + String(name.dropLast(4))] = dir.appendingPathComponent(name)
            }
        }
        return files
    }

    @Test func listNamesEveryFileWithItsRowCount() throws {
        let r = MetaSwiftCommand.runCapturing(["datasets", "list", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let doc = try #require(JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let items = try #require(doc["datasets"] as? [[String: Any]])
        let files = try Self.filesOnDisk()
        #expect(Set(items.compactMap { $0["name"] as? String }) == Set(files.keys))
        for item in items {
            let name = try #require(item["name"] as? String)
            let text = try String(contentsOf: try #require(files[name]), encoding: .utf8)
            // Data rows of a header-plus-rows CSV without embedded newlines in these files' quoted fields.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true).count
            #expect(item["rows"] as? Double == Double(lines - 1), "\(name)")
            #expect((item["source"] as? String)?.isEmpty == false, "\(name) needs a source")
        }
        let table = MetaSwiftCommand.runCapturing(["datasets", "list"])
        #expect(table.exitCode == 0)
        #expect(table.standardOutput.contains("classic/bcg"))
    }

    @Test func exportIsTheFileByteForByte() throws {
        let files = try Self.filesOnDisk()
        let onDisk = try String(contentsOf: try #require(files["classic/bcg"]), encoding: .utf8)
        let r = MetaSwiftCommand.runCapturing(["datasets", "export", "classic/bcg"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput == onDisk)

        let out = NSTemporaryDirectory() + "datasets-export-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(MetaSwiftCommand.runCapturing(["datasets", "export", "classic/bcg", "--out", out]).exitCode == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == onDisk)
        // The exported file is ready for analysis.
        let pool = MetaSwiftCommand.runCapturing(["pool", "--data", out, "--measure", "RR", "--format", "json"])
        #expect(pool.exitCode == 0, "\(pool.standardError)")
    }

    @Test func showDescribesOneDataset() throws {
        let r = MetaSwiftCommand.runCapturing(["datasets", "show", "classic/bcg", "--format", "json"])
        #expect(r.exitCode == 0)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        #expect(doc["rows"] as? Double == 13)
        #expect((doc["columns"] as? [String])?.contains("ablat") == true)
        #expect(doc["path"] as? String == "Datasets/classic/bcg.csv")
    }

    @Test(arguments: [["show"], ["export"]])
    func unknownNameIsOneSentenceListingTheNames(command: [String]) {
        let r = MetaSwiftCommand.runCapturing(["datasets"] + command + ["classic/nope"])
        #expect(r.exitCode != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError == "Error: No bundled dataset is named 'classic/nope'; the names are trd-review/studies, trd-review/outcomes, classic/bcg, classic/normand1999, classic/hackshaw1998, classic/raudenbush1985, classic/pritz1997, classic/collins1985b, classic/hasselblad1998.\n")
    }
}
