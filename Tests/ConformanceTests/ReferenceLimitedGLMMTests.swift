import MetaReport
import Testing

/// The rma.glmm cases kept in pending.txt because metafor's optimiser (lme4, optim) stops short of the
/// optimum (measured differences and the evidence are listed there). DESIGN.md §3 allows 1e-4 for GLMM
/// "where documented": this suite holds them to it, field by field, so that they cannot drift unnoticed;
/// the fields excluded for a case are the ones pending.txt explains.
@Suite("rma.glmm cases limited by the reference")
struct ReferenceLimitedGLMMTests {
    static let documented = Tolerance(relative: 1e-4, absolute: 1e-6, name: "GLMM, documented reference limit")

    /// Case → fields left out (beyond 1e-4 for the documented reason).
    static let cases: [String: Set<String>] = [
        "rma_glmm/bcg_OR_UMFS": [],
        "rma_glmm/bcg_OR_CMEL": ["QE_Wld", "QEp_Wld"],
        "rma_glmm/hannum2020_PLO_UMFS": ["beta", "zval"],
        "rma_glmm/nielweise2007_OR_CMEL": ["pval", "QE_Wld", "QEp_Wld"],
    ]

    @Test("agrees at 1e-4 on every undocumented field", arguments: cases.keys.sorted())
    func documentedCase(_ id: String) throws {
        let c = try ConformanceBank.load(id)
        let json = try CaseRunner.run(c)
        let problems = compare(json, c.expected, tolerance: Self.documented, excluding: Self.cases[id] ?? [])
        #expect(problems.isEmpty, "\(id): \(problems.prefix(5))")
    }
}
