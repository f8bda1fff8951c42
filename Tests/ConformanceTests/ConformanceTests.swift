import MetaReport
import Testing

/// Every case of metafor's reference bank, group by group. A case not in `pending.txt` must pass; a pending case
/// is still run and reported as a known issue, and fails the run once it passes (so the list cannot go stale).
@Suite("metafor conformance")
struct ConformanceTests {
    @Test("conformance group", arguments: ConformanceBank.groups)
    func group(_ group: String) throws {
        let ids = ConformanceBank.caseIDs(group: group)
        #expect(!ids.isEmpty, "no cases found for group \(group)")
        var passed = 0, failures = 0
        var pendingFailures: [String] = []
        for id in ids {
            let problems = try Self.check(ConformanceBank.load(id))
            let report = problems.prefix(6).map(\.description).joined(separator: "\n  ")
                + (problems.count > 6 ? "\n  … and \(problems.count - 6) more" : "")
            if ConformanceBank.pending.contains(id) {
                if problems.isEmpty {
                    Issue.record("\(id) passes now: remove it from Tests/ConformanceTests/pending.txt")
                } else {
                    pendingFailures.append("\(id): \(problems[0])")
                }
            } else if problems.isEmpty {
                passed += 1
            } else {
                failures += 1
                Issue.record("\(id):\n  \(report)")
            }
        }
        if !pendingFailures.isEmpty {
            let examples = pendingFailures.prefix(3).joined(separator: "\n  ")
            withKnownIssue("pending cases of \(group) (see pending.txt)") {
                Issue.record("\(pendingFailures.count) pending cases fail, e.g.\n  \(examples)")
            }
        }
        print("conformance \(group): \(passed)/\(ids.count) pass, \(pendingFailures.count) pending (known failures), \(failures) failing")
    }

    @Test("pending.txt names only real cases")
    func pendingListIsValid() {
        let all = Set(ConformanceBank.allGroups.flatMap(ConformanceBank.caseIDs(group:)))
            .union(PresetConformanceTests.caseIDs).union(BayesianConformanceTests.caseIDs)
        for id in ConformanceBank.pending.sorted() {
            #expect(all.contains(id), "pending.txt names \(id), which is not in the bank")
        }
    }

    /// Methods whose fit is closed form: their non-interval fields are also held to `expected` at 1e-10.
    static let closedFormMethods: Set<String> = ["EE", "FE", "DL", "HE", "HS", "HSk", "SJ", "GENQ"]
    /// Methods solved iteratively.
    static let iterativeMethods: Set<String> = ["ML", "REML", "EB", "PM", "PMM", "GENQM", "DLIT", "SJIT"]

    /// Analyses that never use the fitted model's τ² (the rank test, fail-safe N, Egger's test by weighted least
    /// squares): closed form whatever `method` the case records, so held to 1e-10.
    static func isClosedFormWhateverTheMethod(_ c: BankCase) -> Bool {
        c.analysis == "ranktest" || c.analysis == "fsn" || (c.analysis == "regtest" && c.stringOption("model") == "lm")
    }

    static func check(_ c: BankCase) -> [Mismatch] {
        let result = Result { try CaseRunner.run(c) }
        if let error = c.expectedError {
            switch result {
            case .failure(let e) where !(e is NotImplemented):
                return []
            case .success(let json):
                if let tight = c.expectedTight, tight["k"] != nil {
                    return compare(json, tight, tolerance: .iterative)
                }
                return [Mismatch(path: "", message: "metafor stops ('\(error)') and no converged reference exists; expected a typed error")]
            case .failure(let e):
                return [Mismatch(path: "", message: "\(e)")]
            }
        }
        let json: JSONValue
        switch result {
        case .success(let j): json = j
        case .failure(let e): return [Mismatch(path: "", message: "threw: \(e)")]
        }
        let method = c.stringOption("method") ?? ""
        if let tight = c.expectedTight {
            var problems = compare(json, tight, tolerance: .iterative)
            if closedFormMethods.contains(method) {
                problems += compare(json, c.expected, tolerance: c.closedFormTolerance, excluding: ["confint", "confint_QP"])
            }
            return problems
        }
        let tolerance: Tolerance
        if c.analysis == "rma.glmm" {
            tolerance = .glmm
        } else if isClosedFormWhateverTheMethod(c) {
            tolerance = .closedForm
        } else if iterativeMethods.contains(method) {
            tolerance = .iterativeDefault
        } else {
            tolerance = c.closedFormTolerance
        }
        return compare(json, c.expected, tolerance: tolerance)
    }
}
