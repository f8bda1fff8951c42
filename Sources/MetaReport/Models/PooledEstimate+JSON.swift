#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaAnalysis

extension PooledEstimate {
    /// `beta, se, zval, pval, ci_lb, ci_ub` (the conformance names), as key–value pairs to splice into a model.
    var jsonFields: [(String, JSONValue)] {
        [("beta", .double(estimate)), ("se", .double(standardError)), ("zval", .double(zValue)),
         ("pval", .double(pValue)), ("ci_lb", .double(ciLower)), ("ci_ub", .double(ciUpper))]
    }

    /// `predict_transf` for a measure analysed on the log scale: `{transf: "exp", pred, ci_lb, ci_ub}`; nil otherwise.
    func exponentiated(for measure: EffectMeasure) -> JSONValue? {
        switch measure {
        case .logOddsRatio, .logRiskRatio, .petoLogOddsRatio, .logIncidenceRateRatio:
            return .object([("transf", .string("exp")), ("pred", .double(exp(estimate))),
                            ("ci_lb", .double(exp(ciLower))), ("ci_ub", .double(exp(ciUpper)))])
        default:
            return nil
        }
    }
}

extension FixedEstimateHeterogeneity {
    /// `k_yi, QE, QEp, I2, H2` (null when fewer than two studies have an effect size).
    var jsonFields: [(String, JSONValue)] {
        [("k_yi", .number(Double(studyCount))), ("QE", .double(q?.statistic)), ("QEp", .double(q?.pValue)),
         ("I2", .double(iSquared)), ("H2", .double(hSquared))]
    }
}

extension Optional where Wrapped == ChiSquareTest {
    /// `NAME, NAMEp` for a test that may be undefined (null then).
    func jsonFields(_ name: String) -> [(String, JSONValue)] {
        [(name, .double(self?.statistic)), (name + "p", .double(self?.pValue))]
    }
}

/// The per-study escalc values and their diagnostics shared by the MH and Peto documents.
func perStudyFields(_ effects: EffectSizes) -> [(String, JSONValue)] {
    [("study", .array(effects.studies.map { .string($0) })),
     ("yi", .doubles(effects.yi.map { $0.isNaN ? nil : $0 })),
     ("vi", .doubles(effects.vi.map { $0.isNaN ? nil : $0 })),
     ("diagnostics", .array(effects.diagnostics.map(\.jsonValue)))]
}
