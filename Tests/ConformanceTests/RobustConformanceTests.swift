import MetaAnalysis
import MetaReport
import Testing

/// The robust group of the multilevel bank: metafor's `robust()` CR1 (default) and CR0, and clubSandwich's CR2
/// through `robust(clubSandwich = TRUE)`, each on its working model; every variant's fields and the model's are
/// compared with `expected_tight` (REML: iterative tolerance; DL: closed form).
@Suite("metafor conformance: robust")
struct RobustConformanceTests {
    static let ids = ConformanceBankMV.caseIDs(group: "robust")

    /// Cases that cannot pass yet, with the reason. A listed case that passes fails the test (the list cannot go stale).
    static let pending: [String: String] = [:]

    @Test("the bank holds the 9 robust cases; pending names only real ones")
    func caseCount() {
        #expect(Self.ids.count == 9)
        #expect(Set(Self.pending.keys).isSubset(of: Set(Self.ids)))
    }

    @Test("robust case", arguments: ids)
    func robustCase(_ id: String) throws {
        let c = try ConformanceBankMV.load(id)
        let problems = Self.check(c)
        if let reason = Self.pending[id] {
            if problems.isEmpty {
                Issue.record("\(id) passes now: remove it from RobustConformanceTests.pending")
            } else {
                withKnownIssue("\(id) is pending: \(reason)") {
                    Issue.record("\(problems[0])")
                }
            }
            return
        }
        #expect(problems.isEmpty, "\(id):\n  \(problems.prefix(8).map(\.description).joined(separator: "\n  "))")
    }

    static func check(_ c: BankCase) -> [Mismatch] {
        guard let tight = c.expectedTight else { return [Mismatch(path: "", message: "no expected_tight")] }
        let tolerance: Tolerance = c.stringOption("method") == "DL" ? .closedForm : .iterative
        let reference = c.stringOption("method") == "DL" ? c.expected : tight
        var problems = [Mismatch]()
        for correction in SmallSampleCorrection.allCases {
            let json: JSONValue
            do { json = try RobustRunner.run(c, correction: correction) } catch {
                return [Mismatch(path: correction.rawValue, message: "threw: \(error)")]
            }
            problems += compare(json[correction.rawValue], reference[correction.rawValue] ?? .null,
                                tolerance: tolerance, path: correction.rawValue)
            if correction == .cr1 {
                problems += compare(json, reference["model"] ?? .null, tolerance: tolerance, path: "model")
            }
        }
        return problems
    }
}
