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
        // lme4 stopped with max|grad| = 0.0089 (its own warning): β, τ² and everything computed from them.
        "rma_glmm/nielweise2007_OR_UMFS": ["beta", "se", "ci_lb", "ci_ub", "tau2", "I2", "H2", "predict_transf"],
    ]

    @Test("agrees at 1e-4 on every undocumented field", arguments: cases.keys.sorted())
    func documentedCase(_ id: String) throws {
        let c = try ConformanceBank.load(id)
        let json = try CaseRunner.run(c)
        let problems = compare(json, c.expected, tolerance: Self.documented, excluding: Self.cases[id] ?? [])
        #expect(problems.isEmpty, "\(id): \(problems.prefix(5))")
    }
}

extension ReferenceLimitedGLMMTests {
    /// CM.EL `QE_Wld` is the Wald test of the saturated conditional model. metafor takes its information matrix from a
    /// numerical Hessian that is off by up to 98× (bcg) and 868× (nielweise2007) on the diagonal; the same statistic
    /// with the exact information Var(a | margins), evaluated in R at metafor's own saturated estimate
    /// (scripts/glmm-reference-evidence.R, pending.txt), is the reference here. metafor's saturated estimate has
    /// |gradient| 1e-4 (bcg) and 6e-6 (nielweise2007), which bounds the agreement to a few 1e-7.
    static let exactInformationWald: [String: Double] = [
        "rma_glmm/bcg_OR_CMEL": 163.089438819,
        "rma_glmm/nielweise2007_OR_CMEL": 11.8663088993,
    ]

    @Test("CM.EL QE_Wld equals the Wald statistic with exact information", arguments: exactInformationWald.keys.sorted())
    func exactWald(_ id: String) throws {
        let json = try CaseRunner.run(try ConformanceBank.load(id))
        let reference = try #require(Self.exactInformationWald[id])
        let value = try #require(json["QE_Wld"]?.doubleValue)
        #expect(abs(value - reference) <= 1e-6 * reference, "\(id): QE_Wld \(value) vs \(reference)")
    }
}

extension ReferenceLimitedGLMMTests {
    /// UM.FS: lme4 1.1-31 itself, run to tight convergence (`glmerControl(optimizer = c("bobyqa", "bobyqa"),
    /// optCtrl = list(rhoend = 1e-12, maxfun = 1e6))`, nAGQ = 7, the model rma.glmm passes it; scripts/
    /// glmm-reference-evidence.R), lands where MetaSwift does and away from metafor's default-settings values
    /// (nielweise2007: 3.5e-4 in β, 8.8e-4 in τ² from the bank). bcg_OR_UMFS is left out: there lme4 still stops
    /// with max|grad| 4.3e-5 under these settings.
    static let tightLme4: [String: (beta: Double, se: Double, tau2: Double)] = [
        "rma_glmm/hannum2020_PLO_UMFS": (-0.060071163089, 0.209902411712, 1.461583287740),
        "rma_glmm/pritz1997_PLO_UMFS": (1.376600062403, 0.288385664834, 0.589325227454),
        "rma_glmm/nielweise2007_OR_UMFS": (-1.236493387643, 0.280337359012, 0.319512784635),
    ]

    @Test("UM.FS agrees at the GLMM tolerance with lme4 run to tight convergence", arguments: tightLme4.keys.sorted())
    func tightlyConvergedLme4(_ id: String) throws {
        let json = try CaseRunner.run(try ConformanceBank.load(id))
        let reference = try #require(Self.tightLme4[id])
        for (field, value) in [("beta", reference.beta), ("se", reference.se), ("tau2", reference.tau2)] {
            let actual = try #require(json[field]?.doubleValue)
            #expect(Tolerance.glmm.accepts(actual: actual, expected: value), "\(id) \(field): \(actual) vs lme4 \(value)")
        }
    }
}
