import MetaAnalysis

extension MultilevelInfluence {
    /// The case-deletion diagnostics of a multilevel fit as a table, one row per deleted case (a level of the
    /// clustering variable, or an effect): `k_del` (effects deleted), `cook_d`, `dfbetas` (one column per
    /// coefficient, `dfbetas[name]` when there are several), `X2` (the deleted residuals' χ² on `k_del` df; the
    /// studentized residual `rstudent` instead when each case is one effect), then the refit without the case:
    /// `estimate`/`se` per coefficient and every estimated component (`sigma2[1]`, `tau2[1]`, `rho[1]`, …).
    /// `hat` (one per effect, metafor's `hatvalues`) is a top-level field.
    public func report(fit: MultilevelFit, measureCode: String, notes: [String] = [], provenance: Provenance? = nil) -> AnalysisReport {
        let p = coefficientNames.count
        func named(_ base: String, _ j: Int) -> String { p == 1 ? base : "\(base)[\(coefficientNames[j])]" }
        var columns: [(String, [JSONValue])] = [("k_del", cases.map { .number(Double($0.effects.count)) })]
        columns.append(("cook_d", cases.map { .double($0.cooksDistance) }))
        for j in 0..<p { columns.append((named("dfbetas", j), cases.map { .double($0.dfbetas[j]) })) }
        if clusterName == nil {
            columns.append(("rstudent", cases.map { .double($0.studentizedResiduals[0]) }))
        } else {
            columns.append(("X2", cases.map { .double($0.residualChiSquare) }))
        }
        for j in 0..<p {
            columns.append((named("estimate", j), cases.map { .double($0.refit?.coefficients[j] ?? .nan) }))
            columns.append((named("se", j), cases.map { .double($0.refit?.standardErrors[j] ?? .nan) }))
        }
        for component in fit.estimatedComponents {
            columns.append((component.label, cases.map { c in
                guard let r = c.refit, let i = r.components.firstIndex(of: component) else { return .double(.nan) }
                return .double(r.componentEstimates[i])
            }))
        }
        let failures = cases.compactMap { c in c.failure.map { "Without \(clusterName ?? "effect") \(c.label) the model cannot be fitted (NA): \($0.description)" } }
        let deleted = clusterName.map { "one level of '\($0)' at a time" } ?? "one effect at a time"
        return AnalysisReport(
            title: "Case-deletion diagnostics of the multilevel model (\(fit.method.rawValue), \(fit.test.rawValue) test), deleting \(deleted) and re-estimating the variance components",
            fields: [("k", .number(Double(fit.effectCount))), ("measure", .string(measureCode)), ("method", .string(fit.method.rawValue)),
                     ("test", .string(fit.test.rawValue)), ("cluster", clusterName.map { .string($0) } ?? .null),
                     ("coef_names", .array(coefficientNames.map { .string($0) })), ("hat", .doubles(fit.hatValues))],
            rowLabels: (clusterName ?? "effect", cases.map(\.label)), columns: columns,
            notes: notes + failures, provenance: provenance)
    }
}
