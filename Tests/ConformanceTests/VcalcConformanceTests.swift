import MetaAnalysis
import MetaReport
import Testing

/// The vcalc group of the multilevel bank: V block by block and in full, at the closed-form tolerance (nothing is
/// iterated), through the JSON renderer of `metaswift vcalc --format json` (so the field names are pinned too).
@Suite("metafor conformance: vcalc")
struct VcalcConformanceTests {
    static let ids = ConformanceBankMV.caseIDs(group: "vcalc")

    @Test("the bank holds the 10 vcalc cases")
    func caseCount() { #expect(Self.ids.count == 10) }

    @Test("vcalc case", arguments: ids)
    func vcalcCase(_ id: String) throws {
        let c = try ConformanceBankMV.load(id)
        let calculation = try VcalcRunner.calculation(c)
        let v = try calculation.covariance()
        let json = SamplingCovarianceReport(covariance: v, clusters: calculation.clusters).jsonValue()
        let expected = c.expected
        var problems = compare(json["k"], expected["k"] ?? .null, tolerance: .closedForm, path: "k")
        let got = json["blocks"]?.arrayValue ?? []
        let want = expected["blocks"]?.arrayValue ?? []
        #expect(got.count == want.count, "number of blocks")
        for (i, (g, w)) in zip(got, want).enumerated() {
            let wantLabel = w["cluster"].map { $0.stringValue ?? $0.doubleValue.map { NumberFormat.shortest($0) } ?? "" }
            if g["cluster"]?.stringValue != wantLabel {
                problems.append(Mismatch(path: "blocks[\(i)].cluster", message: "\(String(describing: g["cluster"])) vs \(String(describing: wantLabel))"))
            }
            problems += compare(g, w, tolerance: .closedForm, path: "blocks[\(i)]", excluding: ["cluster"])
        }
        // The full k × k matrix, zeros across clusters included.
        let full = expected["V"]?.arrayValue ?? []
        #expect(full.count == v.count)
        for (i, row) in full.enumerated() {
            for (j, cell) in (row.arrayValue ?? []).enumerated() {
                problems += compare(.number(v.element(i, j)), cell, tolerance: .closedForm, path: "V[\(i)][\(j)]")
            }
        }
        #expect(problems.isEmpty, "\(id):\n  \(problems.prefix(6).map(\.description).joined(separator: "\n  "))")
    }
}
