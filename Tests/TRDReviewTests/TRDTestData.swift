import Foundation
import MetaData
@testable import MetaAnalysis
@testable import TRDReview

/// The repository's TRD review files (`Datasets/trd-review/`), read from disk: the tests recompute from the CSV.
enum TRDTestData {
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Datasets/trd-review")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static func evidence() throws -> TRDEvidence {
        try TRDEvidence(studiesCSV: text("studies.csv"), outcomesCSV: text("outcomes.csv"))
    }

    /// The rows of outcomes.csv as dictionaries (read with a plain split-free RFC 4180 reader of the library's
    /// DataTable, independent of the typed reader under test).
    static func outcomeCells() throws -> [[String: String]] {
        let table = try DataTable(csv: text("outcomes.csv"))
        let columns = try table.columnNames.map { try table.strings($0, neededBy: "tests") }
        return (0..<table.rowCount).map { r in Dictionary(uniqueKeysWithValues: zip(table.columnNames, columns.map { $0[r] })) }
    }

    /// events/total of the row with this ref whose arm starts with `arm` for `outcome`.
    static func counts(ref: Int, armPrefix: String, outcome: String) throws -> (events: Double, total: Double) {
        let row = try outcomeCells().first {
            $0["study_ref"] == String(ref) && $0["outcome"] == outcome && $0["arm"]!.hasPrefix(armPrefix) && !$0["total"]!.isEmpty
        }!
        return (Double(row["events"]!)!, Double(row["total"]!)!)
    }
}

/// 2×2 effect sizes written out from their textbook formulas (Rothman, Greenland & Lash 2008, ch. 14; Deeks &
/// Higgins, Cochrane Handbook §10.4), independent of the library.
struct HandTwoByTwo {
    let a: Double, n1: Double, c: Double, n2: Double
    var p1: Double { a / n1 }
    var p2: Double { c / n2 }
    var logRR: Double { log(p1 / p2) }
    var varLogRR: Double { 1 / a - 1 / n1 + 1 / c - 1 / n2 }
    var logOR: Double { log(a * (n2 - c) / ((n1 - a) * c)) }
    var varLogOR: Double { 1 / a + 1 / (n1 - a) + 1 / c + 1 / (n2 - c) }
    var rd: Double { p1 - p2 }
    var varRD: Double { p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2 }
    static let z975 = 1.959963984540054
}
