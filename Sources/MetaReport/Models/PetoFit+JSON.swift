import MetaAnalysis

extension PetoFit {
    /// The JSON document `metaswift pool --method PETO` prints, with the conformance names of `rma.peto`:
    /// `measure, method, level, k, k_yi, beta, se, zval, pval, ci_lb, ci_ub, QE, QEp, I2, H2, predict_transf`,
    /// then `study`, `yi`, `vi` and `diagnostics`.
    public func jsonValue() -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("measure", .string("PETO")), ("method", .string("PETO")), ("level", .number(options.level)),
            ("k", .number(Double(tableCount))),
        ]
        fields += heterogeneity.jsonFields.prefix(1)
        fields += pooled.jsonFields
        fields += heterogeneity.jsonFields.dropFirst()
        if let transformed = pooled.exponentiated(for: .petoLogOddsRatio) { fields.append(("predict_transf", transformed)) }
        fields += perStudyFields(effectSizes)
        return .object(fields)
    }
}
