import Foundation
import MetaData
import MetaAnalysis
import MetaReport

/// metafor's reference bank, copied from shared/conformance into `Tests/ConformanceTests/Bank`
/// (see its README.md for every field).
enum ConformanceBank {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Bank")

    /// The case ids `manifest.json` lists, in its order: the bank's own list of what it holds.
    static let manifestCaseIDs: [String] = (manifest["cases"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }

    /// `manifest.json` (null if it cannot be read, which leaves no cases and fails the manifest test).
    static let manifest: JSONValue = {
        let url = directory.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url) else { return .null }
        return (try? JSONValue(parsing: String(decoding: data, as: UTF8.self))) ?? .null
    }()

    /// The manifest's case groups (an id is `group/name`), in the order they first appear there.
    static let allGroups: [String] = {
        var seen = Set<String>()
        return manifestCaseIDs.compactMap { id in
            let group = String(id.prefix { $0 != "/" })
            return seen.insert(group).inserted ? group : nil
        }
    }()

    /// The groups to run: all of them, or those named by `CONFORMANCE_GROUPS=escalc,rma_uni` in the environment (an
    /// inner-loop convenience; the full suite runs every group).
    static let groups: [String] = {
        guard let only = ProcessInfo.processInfo.environment["CONFORMANCE_GROUPS"] else { return allGroups }
        return allGroups.filter { only.split(separator: ",").map(String.init).contains($0) }
    }()

    /// The cases to run, one test each: those of ``groups``, or only the ids named by
    /// `CONFORMANCE_CASES=rma_uni/bcg_RR_REML,escalc/bcg_RR` (to run one case alone by name).
    static let selectedCaseIDs: [String] = {
        let ids = groups.flatMap(caseIDs(group:))
        guard let only = ProcessInfo.processInfo.environment["CONFORMANCE_CASES"] else { return ids }
        let named = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return ids.filter(named.contains)
    }()

    /// A group's case ids, sorted.
    static func caseIDs(group: String) -> [String] {
        manifestCaseIDs.filter { $0.hasPrefix(group + "/") }.sorted()
    }

    /// The case files on disk (`cases/<group>/<name>.json`), for checking the manifest against them.
    static func caseFiles() -> [String] {
        let cases = directory.appendingPathComponent("cases")
        let groups = (try? FileManager.default.contentsOfDirectory(atPath: cases.path)) ?? []
        return groups.flatMap { group in
            ((try? FileManager.default.contentsOfDirectory(atPath: cases.appendingPathComponent(group).path)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { group + "/" + String($0.dropLast(5)) }
        }.sorted()
    }

    static func load(_ id: String) throws -> BankCase {
        let url = directory.appendingPathComponent("cases").appendingPathComponent(id + ".json")
        let json = try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        return try BankCase(json: json)
    }

    /// Case ids listed in `pending.txt`: cases known not to pass yet. The runner still executes them and
    /// reports each as a known issue; one that starts passing fails the run until it is removed from the list.
    static let pending: Set<String> = {
        let url = directory.deletingLastPathComponent().appendingPathComponent("pending.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()

    private static let tableCache = TableCache()

    static func table(_ input: String, in bank: URL = directory) throws -> DataTable {
        try tableCache.table(bank.appendingPathComponent(input).path)
    }
}

private final class TableCache: @unchecked Sendable {
    private var tables: [String: DataTable] = [:]
    private let lock = NSLock()

    func table(_ path: String) throws -> DataTable {
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[path] { return t }
        let t = try DataTable(contentsOfFile: path)
        tables[path] = t
        return t
    }
}

/// One reference case.
struct BankCase: Sendable {
    let id: String
    let analysis: String
    let dataset: String
    let options: JSONValue
    /// metafor argument name → CSV column.
    let args: [String: String]
    let table: DataTable
    let expected: JSONValue
    let expectedTight: JSONValue?
    let expectedError: String?

    /// - Parameter bank: the folder the case's `input` path is relative to.
    init(json: JSONValue, bank: URL = ConformanceBank.directory) throws {
        id = json["id"]?.stringValue ?? "?"
        analysis = json["analysis"]?.stringValue ?? "?"
        dataset = json["dataset"]?.stringValue ?? "?"
        options = json["options"] ?? .object([])
        var a: [String: String] = [:]
        for (k, v) in json["args"]?.objectValue ?? [] { a[k] = v.stringValue }
        args = a
        table = try ConformanceBank.table(json["input"]?.stringValue ?? "", in: bank)
        expected = json["expected"] ?? .null
        expectedTight = json["expected_tight"]
        expectedError = json["expected_error"]?.stringValue
    }

    func option(_ name: String) -> JSONValue? {
        guard let v = options[name], v != .null else { return nil }
        return v
    }

    func stringOption(_ name: String) -> String? { option(name)?.stringValue }
    func numberOption(_ name: String) -> Double? { option(name)?.doubleValue }
}
