import MetaAnalysis
import MetaData
import MetaNumerics
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

    /// metafor's `stop()` messages (a part of each) that a case may record as `expected_error`, with the kind of typed
    /// error MetaSwift raises in their place: an expected-error case passes only on that kind, not on any error.
    static let metaforErrorKinds: [(message: String, isExpectedKind: @Sendable (any Error) -> Bool)] = [
        ("did not converge", isConvergenceFailure),
        ("did not achieve convergence", isConvergenceFailure),
        ("Processing terminated since k", { e in
            if case InputError.tooFewStudies = e { return true }
            return false
        }),
    ]

    @Sendable static func isConvergenceFailure(_ e: any Error) -> Bool {
        switch e {
        case EstimationError.didNotConverge, EstimationError.glmmDidNotConverge, NumericsError.didNotConverge: return true
        default: return false
        }
    }

    @Test("An expected-error case is matched by the kind of error, not by any error")
    func expectedErrorKinds() {
        func kind(_ message: String) -> (@Sendable (any Error) -> Bool)? { Self.metaforErrorKinds.first { message.contains($0.message) }?.isExpectedKind }
        let fisher = kind("Fisher scoring algorithm did not converge. See 'help(rma)' for possible remedies.")
        #expect(fisher?(EstimationError.didNotConverge(estimator: .restrictedMaximumLikelihood, iterations: 100, lastStep: 1e-3)) == true)
        #expect(fisher?(NumericsError.singular(pivot: 1)) == false)
        #expect(fisher?(InputError.tooFewStudies(found: 1, needed: 2, analysis: "A model")) == false)
        #expect(kind("Processing terminated since k <= 1.")?(InputError.tooFewStudies(found: 1, needed: 2, analysis: "A model")) == true)
        #expect(kind("an error metafor has never raised") == nil)
    }

    static func check(_ c: BankCase) -> [Mismatch] {
        let result = Result { try CaseRunner.run(c) }
        if let error = c.expectedError {
            switch result {
            case .failure(let e) where !(e is NotImplemented):
                guard let kind = metaforErrorKinds.first(where: { error.contains($0.message) }) else {
                    return [Mismatch(path: "", message: "metafor stops ('\(error)'), and no typed error is known for that message (add it to metaforErrorKinds); MetaSwift threw: \(e)")]
                }
                return kind.isExpectedKind(e) ? [] : [Mismatch(path: "", message: "metafor stops ('\(error)'); MetaSwift threw another kind of error: \(e)")]
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
