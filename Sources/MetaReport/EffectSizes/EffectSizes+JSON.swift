import MetaAnalysis

extension EffectSizes {
    /// The JSON document `metaswift escalc --format json` prints, with the conformance bank's field names:
    /// `measure`, `k`, `level`, `study`, `yi`, `vi`, `sei`, `zi`, `pval`, `ci_lb`, `ci_ub` (NA as `null`),
    /// then `diagnostics` (objects with `code`, `row`, `study`, `message`) and, when given, `provenance`.
    public func jsonValue(provenance: Provenance? = nil) -> JSONValue {
        let ci = confidenceInterval()
        func column(_ xs: [Double]) -> JSONValue { .doubles(xs.map { $0.isNaN ? nil : $0 }) }
        var fields: [(String, JSONValue)] = [
            ("measure", .string(measure.rawValue)),
            ("k", .number(Double(count))),
            ("level", .number(level)),
            ("study", .array(studies.map { .string($0) })),
            ("yi", column(yi)),
            ("vi", column(vi)),
            ("sei", column(sei)),
            ("zi", column(zi)),
            ("pval", column(pval)),
            ("ci_lb", column(ci.lower)),
            ("ci_ub", column(ci.upper)),
            ("diagnostics", .array(diagnostics.map(\.jsonValue))),
        ]
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }
}

extension EffectSizeDiagnostic {
    /// `{code, row, study, message}`.
    public var jsonValue: JSONValue {
        .object([
            ("code", .string(code)),
            ("row", .number(Double(row))),
            ("study", .string(study)),
            ("message", .string(description)),
        ])
    }
}
