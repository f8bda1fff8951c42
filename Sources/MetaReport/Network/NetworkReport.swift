import MetaAnalysis

/// Everything `network` reports: the fitted network (treatment effects against the reference, variance
/// components), every pairwise relative effect with CI and PI, the league table and the Q decomposition. JSON with
/// the bank's `rma.mv` field names plus `pairwise` (as the bank's network cases) and `Q_decomposition`.
public struct NetworkReport: Sendable, RenderableReport {
    public var network: NetworkFit
    public var measureCode: String
    /// How the contrasts and V were obtained, in words.
    public var dataSource: String
    public var inputNotes: [String]
    public var provenance: Provenance?

    public init(network: NetworkFit, measureCode: String, dataSource: String, inputNotes: [String] = [], provenance: Provenance? = nil) {
        self.network = network
        self.measureCode = measureCode
        self.dataSource = dataSource
        self.inputNotes = inputNotes
        self.provenance = provenance
    }

    private var multilevel: MultilevelReport {
        MultilevelReport(fit: network.fit, measureCode: measureCode, samplingCovarianceSource: dataSource, inputNotes: inputNotes)
    }

    public func jsonValue() -> JSONValue {
        guard case var .object(fields) = multilevel.jsonValue() else { return multilevel.jsonValue() }
        fields.removeAll { $0.0 == "diagnostics" || $0.0 == "provenance" }
        fields.insert(contentsOf: [("model", .string(network.heterogeneity.rawValue)), ("reference", .string(network.reference)),
                                   ("treatments", .array(network.treatments.map { .string($0) }))], at: 0)
        let pairs = network.pairwiseEffects
        guard case var .object(columns) = MultilevelFit.json(pairs.map(\.prediction), scalar: false) else { return .object(fields) }
        columns.insert(("labels", .array(pairs.map { .string("\($0.first) - \($0.second)") })), at: 0)
        fields.append(("pairwise", .object(columns)))
        let q = network.qDecomposition
        func test(_ t: ChiSquareTest) -> JSONValue {
            .object([("Q", .double(t.statistic)), ("df", .number(Double(t.degreesOfFreedom))), ("pval", .double(t.pValue.isNaN ? nil : t.pValue))])
        }
        fields.append(("Q_decomposition", .object([("total", test(q.total)), ("within_designs", test(q.withinDesigns)),
                                                    ("between_designs", test(q.betweenDesigns))])))
        fields.append(("diagnostics", .array((inputNotes).map { .string($0) })))
        if let provenance { fields.append(("provenance", provenance.jsonValue)) }
        return .object(fields)
    }

    /// The header, variance components, treatment effects against the reference, all pairwise effects, the league
    /// table and the Q decomposition; then the choices made and notes.
    public func textReport() -> String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        let fit = network.fit
        var out = "Network Meta-Analysis (k = \(fit.effectCount) contrasts, \(network.treatments.count) treatments; model: \(network.heterogeneity.rawValue); method: \(fit.method.rawValue))\n\n"
        out += multilevel.varianceComponentsText
        out += "\nTreatment effects against '\(network.reference)' (\(measureCode)):\n\n"
        out += effectTable(network.effectsAgainstReference)
        out += "\nAll pairwise effects (first minus second):\n\n"
        out += effectTable(network.pairwiseEffects)
        out += "\nLeague table (row minus column, estimate [CI]):\n\n"
        out += leagueTable
        let q = network.qDecomposition
        out += "\nTest for heterogeneity and inconsistency (equal-effects Q decomposition):\n\n"
        var qt = TextTable(header: ["", "Q", "df", "pval"])
        for (name, t) in [("total", q.total), ("within designs", q.withinDesigns), ("between designs", q.betweenDesigns)] {
            qt.rows.append([name, f(t.statistic), String(t.degreesOfFreedom), t.degreesOfFreedom > 0 ? NumberFormat.pValue(t.pValue) : "NA"])
        }
        out += qt.rendered()
        out += "\nChoices:\n" + choices.map { "  - \($0)\n" }.joined()
        if !inputNotes.isEmpty { out += "\nNotes:\n" + inputNotes.map { "  - \($0)\n" }.joined() }
        return out
    }

    /// Every choice that shaped the result, in words.
    public var choices: [String] {
        let model: String
        switch network.heterogeneity {
        case .commonEffect: model = "equal effects (no heterogeneity)"
        case .consistency: model = "consistency model, common tau^2, correlation 1/2 between contrasts of one study"
        case .randomInconsistency: model = "random-inconsistency model: tau^2 (rho = 1/2) and design-by-comparison gamma^2 (phi = 1/2)"
        }
        return ["network model: \(model)", "reference treatment: \(network.reference)", "contrasts and V: \(dataSource)"]
            + multilevel.choices.filter { !$0.hasPrefix("sampling covariance") }
    }

    private func effectTable(_ effects: [NetworkFit.RelativeEffect]) -> String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var table = TextTable(header: ["", "estimate", "se", "ci.lb", "ci.ub", "pi.lb", "pi.ub"])
        for e in effects {
            let p = e.prediction
            table.rows.append(["\(e.first) - \(e.second)", f(p.estimate), f(p.standardError ?? .nan), f(p.confidenceLower),
                               f(p.confidenceUpper), f(p.predictionLower), f(p.predictionUpper)])
        }
        return table.rendered()
    }

    /// A T × T grid: the treatment names on the diagonal, row minus column below it, blank above.
    private var leagueTable: String {
        let f = { (x: Double) in NumberFormat.fixed(x, digits: 2) }
        let t = network.treatments
        var table = TextTable(header: [""] + t.indices.map { String($0 + 1) })
        for (i, a) in t.enumerated() {
            var row = ["\(i + 1) \(a)"]
            for (j, b) in t.enumerated() {
                if j == i { row.append(a) }
                else if j < i {
                    let p = network.relativeEffect(a, versus: b).prediction
                    row.append("\(f(p.estimate)) [\(f(p.confidenceLower)), \(f(p.confidenceUpper))]")
                } else { row.append("") }
            }
            table.rows.append(row)
        }
        return table.rendered()
    }

    /// One row per pairwise effect: first, second, estimate, se, ci_lb, ci_ub, pi_lb, pi_ub.
    public func csvDocument() -> CSVDocument {
        var doc = CSVDocument(header: ["first", "second", "estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub"])
        for e in network.pairwiseEffects {
            let p = e.prediction
            doc.rows.append([e.first, e.second] + [p.estimate, p.standardError ?? .nan, p.confidenceLower, p.confidenceUpper,
                                                   p.predictionLower, p.predictionUpper].map(NumberFormat.shortest))
        }
        return doc
    }

    public var csvNotes: [String] { inputNotes }
}
