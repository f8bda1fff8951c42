import Foundation
import MetaData
import MetaAnalysis

/// Reads the repository's `Datasets/` folder (the source of truth the bundled copy is generated from).
enum DatasetFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Datasets")

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
    }

    /// Every `.csv` file under `Datasets/`, as paths relative to it.
    static func allCSVPaths() -> [String] {
        let base = root.standardizedFileURL.path + "/"
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var out: [String] = []
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "csv" { out.append(String(url.standardizedFileURL.path.dropFirst(base.count))) }
        }
        return out.sorted()
    }

    /// A CSV file as rows of `column: text`, read with the library's own reader.
    static func rows(_ path: String) throws -> [Row] {
        let table = try DataTable(csv: bytes(path))
        let columns = try table.columnNames.map { try table.strings($0, neededBy: "the integrity tests") }
        return (0..<table.rowCount).map { r in
            Row(number: r + 1, cells: Dictionary(uniqueKeysWithValues: zip(table.columnNames, columns.map { $0[r] })))
        }
    }

    static func columns(_ path: String) throws -> [String] {
        try DataTable(csv: bytes(path)).columnNames
    }
}

/// One data row (1-based, header excluded) of a dataset.
struct Row: CustomStringConvertible {
    let number: Int
    let cells: [String: String]

    subscript(_ column: String) -> String { cells[column] ?? "" }
    func has(_ column: String) -> Bool { !self[column].isEmpty }
    func double(_ column: String) -> Double? { Double(self[column]) }
    func int(_ column: String) -> Int? { Int(self[column]) }

    var description: String {
        let id = cells["extraction_row"].map { ", extraction row \($0)" } ?? ""
        let ref = cells["study_ref"] ?? cells["ref"] ?? "?"
        return "row \(number) (ref \(ref)\(id))"
    }
}
