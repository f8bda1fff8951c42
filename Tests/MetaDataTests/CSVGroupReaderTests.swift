import Foundation
@testable import MetaData
import Testing

/// `CSVGroupReader` splits a file into its analyses exactly as `DataTable` reads the whole file, whatever the chunk
/// size (records, quotes, `\r\n` and the byte-order mark may straddle chunks), and hashes every byte.
@Suite("CSVGroupReader")
struct CSVGroupReaderTests {
    static func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("groups-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A file with a BOM, CRLF and LF line ends, quoted fields holding commas, doubled quotes, a lone CR and line
    /// breaks, and a last line without a line end.
    static let text = "\u{FEFF}id,label,yi,vi\r\n"
        + "a,\"x, \"\"quoted\"\"\",0.1,0.01\r\n"
        + "a,\"two\nlines\",0.2,0.02\n"
        + "\"b\",plain\rcr,0.3,0.03\r\n"
        + "c,\"\",0.4,0.04\n"
        + "c,last,0.5,0.05"

    @Test("Every chunk size gives the same analyses as one read of the whole file", arguments: [1, 2, 3, 5, 7, 64, 1 << 20])
    func chunkSizes(_ chunkSize: Int) throws {
        let bytes = Array(Self.text.utf8)
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try DataTable(csv: bytes)
        let reader = try CSVGroupReader(path: path, keyColumns: ["id"], chunkSize: chunkSize, hashing: true)
        var groups: [CSVGroup] = []
        while let g = try reader.next() { groups.append(g) }
        #expect(groups.map(\.key) == [["a"], ["b"], ["c"]])
        #expect(groups.map(\.rows) == [1...2, 3...3, 4...5])
        #expect(groups.map(\.index) == [0, 1, 2])
        #expect(reader.sha256 == SHA256.hexDigest(bytes))
        // The analyses' rows, read back from their own CSV, are the whole file's rows in order.
        var labels: [String] = [], yi: [Double] = []
        for g in groups {
            let t = try g.table()
            labels += try t.strings("label", neededBy: "test")
            yi += try t.numbers("yi", neededBy: "test")
        }
        #expect(labels == (try whole.strings("label", neededBy: "test")))
        #expect(yi == (try whole.numbers("yi", neededBy: "test")))
        #expect(String(decoding: groups[1].csv, as: UTF8.self) == "\u{FEFF}id,label,yi,vi\r\n\"b\",plain\rcr,0.3,0.03\r\n")
    }

    @Test("A quote left open is the run's error; an analysis that comes back names both places")
    func errors() throws {
        let open = try Self.write(Array("id,yi\na,\"1\nb,2\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: open) }
        #expect(throws: DataFileError.input(path: open, .malformedQuote(row: 1))) {
            let reader = try CSVGroupReader(path: open, keyColumns: ["id"], chunkSize: 3)
            while try reader.next() != nil {}
        }
        let split = try Self.write(Array("id,yi\na,1\nb,2\na,3\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: split) }
        #expect(throws: DataFileError.input(path: split, .analysisNotAdjacent(columns: ["id"], key: ["a"], rows: 1...1, row: 3))) {
            let reader = try CSVGroupReader(path: split, keyColumns: ["id"])
            while try reader.next() != nil {}
        }
        let tiny = try Self.write(Array("g\na".utf8))
        defer { try? FileManager.default.removeItem(atPath: tiny) }
        #expect(try CSVGroupReader(path: tiny, keyColumns: ["g"]).next()?.key == ["a"])
        let empty = try Self.write([])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: DataFileError.input(path: empty, .emptyInput)) { _ = try CSVGroupReader(path: empty, keyColumns: ["id"]).next() }
    }

    @Test("SHA-256 in pieces equals SHA-256 at once, for every split point")
    func incrementalHash() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = SHA256.hexDigest(bytes)
        for split in [0, 1, 55, 56, 63, 64, 65, 128, 199, 300] {
            var h = SHA256.Hasher()
            bytes.withUnsafeBufferPointer { all in
                h.update(UnsafeBufferPointer(rebasing: all[0..<split]))
                h.update(UnsafeBufferPointer(rebasing: all[split...]))
            }
            #expect(h.finalize() == whole, "split at \(split)")
        }
    }

    @Test("Keys in any order: a file out of key order reads; a key that comes back is found after the order broke", arguments: [2, 1 << 20])
    func keyOrder(_ chunkSize: Int) throws {
        func keys(_ text: String) throws -> [[String]] {
            let path = try Self.write(Array(text.utf8))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let reader = try CSVGroupReader(path: path, keyColumns: ["id", "o"], chunkSize: chunkSize)
            var out: [[String]] = []
            while let g = try reader.next() { out.append(g.key) }
            return out
        }
        // Ascending (numbers as numbers): nothing kept; then an order that breaks twice, every key new.
        #expect(try keys("id,o,yi\n1,x,1\n2,x,2\n10,x,3\n10,y,4\nb,x,5\n").map { $0.joined() } == ["1x", "2x", "10x", "10y", "bx"])
        #expect(try keys("id,o,yi\nb,x,1\na,x,2\nc,x,3\n0,x,4\n").map { $0.joined() } == ["bx", "ax", "cx", "0x"])
        // "2" comes back at row 5, after the order broke at row 4 (9 < 10): its rows are read again from the file.
        let text = "id,o,yi\n1,x,1\n2,x,2\n2,x,2\n10,x,3\n9,x,4\n2,x,5\n"
        let path = try Self.write(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DataFileError.input(path: path, .analysisNotAdjacent(columns: ["id", "o"], key: ["2", "x"], rows: 2...3, row: 6))) {
            let reader = try CSVGroupReader(path: path, keyColumns: ["id", "o"], chunkSize: chunkSize)
            while try reader.next() != nil {}
        }
    }

    @Test("Key order: digits before other text and as numbers, then by text; a fingerprint match is confirmed by the key")
    func keyHistory() throws {
        let order = ["01", "1", "2", "9", "010", "10", "100", "1a", "a", "ab", "b"]
        for (i, a) in order.enumerated() {
            for (j, b) in order.enumerated() {
                #expect(AnalysisKeyHistory.precedes([a], [b]) == (i < j), "\(a) before \(b)")
                #expect(AnalysisKeyHistory.precedes(["x", a], ["x", b]) == (i < j), "second column \(a) before \(b)")
                #expect(AnalysisKeyHistory.precedes([a, "z"], [b, "a"]) == (i < j), "first column decides")
            }
        }
        // A fingerprint match is a repeat only when the analysis read again has the key: here the file's first
        // analysis is read back as "z", as if "a" shared its fingerprint.
        var history = AnalysisKeyHistory(mode: .fingerprints)
        history.insert(["a"], index: 0, rows: 1...2)
        #expect(try history.earlierRows(of: ["a"]) { _ in [(["a"], 1...2)] } == 1...2)
        #expect(try history.earlierRows(of: ["a"]) { _ in [(["z"], 1...2)] } == nil)
        #expect(try history.earlierRows(of: ["b"]) { _ in Issue.record("no reread without a fingerprint match"); return [] } == nil)
    }
}
