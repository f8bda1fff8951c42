import Foundation
import MetaReport

/// The multilevel / multivariate / network / robust bank (metafor 5.1-12 + clubSandwich 0.5.8), copied from
/// shared/conformance-mv into `Tests/ConformanceTests/BankMV` (see its README.md for every field).
enum ConformanceBankMV {
    static let directory: URL = ConformanceBank.directory.deletingLastPathComponent().appendingPathComponent("BankMV")

    static func caseIDs(group: String) -> [String] {
        let dir = directory.appendingPathComponent("cases").appendingPathComponent(group)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { group + "/" + String($0.dropLast(5)) }.sorted()
    }

    static func load(_ id: String) throws -> BankCase {
        let url = directory.appendingPathComponent("cases").appendingPathComponent(id + ".json")
        let json = try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        return try BankCase(json: json, bank: directory)
    }
}
