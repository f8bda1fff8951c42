import MetaReport
import Testing

/// Every case of metafor's reference bank, one test each (a failure names its case; `CONFORMANCE_CASES=id` runs one
/// alone). A case not in `pending.txt` must pass; a pending case is still run and reported as a known issue, and
/// fails the run once it passes (so the list cannot go stale).
@Suite("metafor conformance")
struct ConformanceTests {
    @Test("metafor case", arguments: ConformanceBank.selectedCaseIDs)
    func bankCase(_ id: String) throws {
        let problems = try Self.check(ConformanceBank.load(id))
        if ConformanceBank.pending.contains(id) {
            if problems.isEmpty {
                Issue.record("\(id) passes now: remove it from Tests/ConformanceTests/pending.txt")
            } else {
                withKnownIssue("\(id) is pending (pending.txt)") { Issue.record("\(problems[0])") }
            }
        } else if !problems.isEmpty {
            let report = problems.prefix(6).map(\.description).joined(separator: "\n  ")
                + (problems.count > 6 ? "\n  … and \(problems.count - 6) more" : "")
            Issue.record("\(id):\n  \(report)")
        }
    }

    @Test("The manifest lists every case file, and the groups run are the manifest's")
    func manifestMatchesCaseFiles() {
        #expect(ConformanceBank.manifestCaseIDs.sorted() == ConformanceBank.caseFiles())
        #expect(ConformanceBank.manifestCaseIDs.count == ConformanceBank.manifest["n_cases"]?.doubleValue.map { Int($0) })
        #expect(ConformanceBank.allGroups.sorted() == (ConformanceBank.manifest["counts_by_group"]?.objectValue ?? []).map(\.0).sorted())
    }

    @Test("pending.txt names only real cases")
    func pendingListIsValid() {
        let all = Set(ConformanceBank.manifestCaseIDs).union(PresetConformanceTests.caseIDs).union(BayesianConformanceTests.caseIDs)
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
        if c.analysis == "selmodel", let tight = c.expectedTight {
            // Bank README (selmodel): estimates, SEs, CIs, p-values ~1e-5 relative; ll, ll0, LRT ~1e-8.
            let likelihoodFields: Set<String> = ["ll", "ll0", "LRT", "fit_stats_ML"]
            return compare(json, tight, tolerance: .selectionModel, excluding: likelihoodFields)
                + likelihoodFields.sorted().flatMap { key in
                    tight[key].map { compare(json[key], $0, tolerance: .selectionModelLikelihood, path: key) } ?? []
                }
        }
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
