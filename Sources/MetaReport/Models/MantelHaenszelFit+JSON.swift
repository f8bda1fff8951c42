import MetaAnalysis

extension MantelHaenszelFit {
    /// The JSON document `metaswift pool --method MH` prints, with the conformance names of `rma.mh`:
    /// `measure, method, level, k, k_yi, beta, se, zval, pval, ci_lb, ci_ub, QE, QEp, I2, H2, MH, MHp, CO, COp,
    /// BD, BDp, TA, TAp, k_pos` (null where a test is not defined for the measure), `predict_transf` for the
    /// log-scale measures, then `study`, `yi`, `vi` and `diagnostics`.
    public func jsonValue() -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("measure", .string(measure.rawValue)), ("method", .string("MH")), ("level", .number(options.level)),
            ("correct", .bool(options.correct)), ("k", .number(Double(tableCount))),
        ]
        fields += heterogeneity.jsonFields.prefix(1)
        fields += pooled.jsonFields
        fields += heterogeneity.jsonFields.dropFirst()
        fields += cochranMantelHaenszel.jsonFields("MH") + cochran.jsonFields("CO")
            + breslowDay.jsonFields("BD") + tarone.jsonFields("TA")
        fields.append(("k_pos", informativeTableCount.map { .number(Double($0)) } ?? .null))
        if let transformed = pooled.exponentiated(for: measure) { fields.append(("predict_transf", transformed)) }
        fields += perStudyFields(effectSizes)
        return .object(fields)
    }
}
