import MetaAnalysis

extension RandomEffectsReport {
    /// A compact summary in the layout of metafor's `print.rma.uni`, followed by the prediction, the
    /// heterogeneity intervals, the choices made and any notes.
    public func textReport() -> String {
        let m = model
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var out = Self.metaforSummary(m)

        let p = m.prediction
        out += "\nPrediction:\n\n"
        out += Self.rightAligned(header: ["pred", "se", "ci.lb", "ci.ub", "pi.lb", "pi.ub"],
                                 row: [f(p.estimate), f(p.standardError ?? .nan), f(p.confidenceLower),
                                       f(p.confidenceUpper), f(p.predictionLower), f(p.predictionUpper)])
        if let t = backTransformation {
            let b = p.transformed(by: t)
            out += "\nBack-transformed (\(t.name)):\n\n"
            out += Self.rightAligned(header: ["pred", "ci.lb", "ci.ub", "pi.lb", "pi.ub"],
                                     row: [f(b.estimate), f(b.confidenceLower), f(b.confidenceUpper),
                                           f(b.predictionLower), f(b.predictionUpper)])
        }
        for i in [intervals, qProfileIntervals].compactMap({ $0 }) + extraIntervals {
            out += "\nHeterogeneity \(NumberFormat.fixed(i.level, digits: 0))% CI (\(Self.methodName(i.method))):\n\n"
            var table = TextTable(header: ["", "estimate", "ci.lb", "ci.ub"])
            func add(_ name: String, _ b: HeterogeneityConfidenceIntervals.Bounds, digits: Int = 4) {
                table.rows.append([name, NumberFormat.fixed(b.estimate, digits: digits),
                                   i.lowerMarker.rawValue + NumberFormat.fixed(b.lower, digits: digits),
                                   i.upperMarker.rawValue + NumberFormat.fixed(b.upper, digits: digits)])
            }
            add("tau^2", i.tauSquared)
            add("tau", i.tau)
            add("I^2(%)", i.iSquared, digits: 2)
            add("H^2", i.hSquared)
            out += table.rendered()
            if i.isEmptySet { out += "\n" + HeterogeneityConfidenceIntervals.emptySetNote + "\n" }
        }
        out += "\nChoices:\n" + choices.map { "  - \($0)\n" }.joined()
        let notes = inputNotes + m.diagnostics.map(\.description)
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        return out
    }

    /// What metafor's `print.rma.uni` prints for an intercept-only model: the model line, tau^2 (SE), tau, I^2, H^2,
    /// the test for heterogeneity and the estimate table (t statistic and df under Knapp-Hartung or t tests).
    public static func metaforSummary(_ m: RandomEffectsModel) -> String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var out = metaforHeterogeneity(m)
        out += "\nModel Results:\n\n"
        let statName = m.testUsed == .z ? "zval" : "tval"
        var header = ["estimate", "se", statName]
        var row = [f(m.estimate), f(m.standardError), f(m.statistic)]
        if let df = m.degreesOfFreedom { header.append("df"); row.append(String(df)) }
        header += ["pval", "ci.lb", "ci.ub"]
        row += [NumberFormat.pValue(m.pValue), f(m.confidenceLower), f(m.confidenceUpper)]
        out += Self.rightAligned(header: header, row: row)
        return out
    }

    /// The first part of metafor's `print.rma.uni` for an intercept-only model: the model line, tau^2 (SE), tau,
    /// I^2, H^2 and the test for heterogeneity.
    public static func metaforHeterogeneity(_ m: RandomEffectsModel) -> String {
        let f = { (x: Double) in NumberFormat.fixed(x) }
        var out = ""
        // metafor's own first line, so that output can be compared line by line; iterations are under Choices.
        out += m.isCommonEffect ? "Equal-Effects Model (k = \(m.studyCount))\n\n"
            : "Random-Effects Model (k = \(m.studyCount); tau^2 estimator: \(m.estimator.rawValue))\n\n"
        if m.studyCount >= 2 {
            if !m.isCommonEffect {
                let se = m.tauSquaredEstimate?.standardError.map { " (SE = \(f($0)))" } ?? ""
                out += "tau^2 (estimated amount of total heterogeneity): \(f(m.tauSquared))\(se)\n"
                out += "tau (square root of estimated tau^2 value):      \(f(m.tauSquared.squareRoot()))\n"
            }
            if let i2 = m.iSquared, let h2 = m.hSquared {
                out += "I^2 (total heterogeneity / total variability):   \(NumberFormat.fixed(i2, digits: 2))%\n"
                out += "H^2 (total variability / sampling variability):  \(NumberFormat.fixed(h2, digits: 2))\n"
            }
            if let q = m.cochranQ, let qp = m.cochranQPValue {
                out += "\nTest for Heterogeneity:\nQ(df = \(m.cochranQDegreesOfFreedom)) = \(f(q)), p-val \(Self.pText(qp))\n"
            }
        }
        return out
    }

    static func pText(_ p: Double) -> String {
        let s = NumberFormat.pValue(p)
        return s.hasPrefix("<") ? "< " + s.dropFirst() : "= " + s
    }

    static func rightAligned(header: [String], row: [String]) -> String {
        var table = TextTable(header: [""] + header, rows: [[""] + row])
        table.header.removeFirst()
        table.rows[0].removeFirst()
        // TextTable left-aligns its first column; pad it so numbers line up on the right like the others.
        let width = max(header[0].count, row[0].count)
        table.header[0] = String(repeating: " ", count: width - header[0].count) + header[0]
        table.rows[0][0] = String(repeating: " ", count: width - row[0].count) + row[0]
        return table.rendered()
    }

    /// Scalar results as `field,value` rows (CSV format).
    public func csvDocument() -> CSVDocument {
        var doc = CSVDocument(header: ["field", "value"])
        forEachScalarField { doc.rows.append([$0, $1]) }
        return doc
    }

    /// Calls `body(name, value)` for each row of ``csvDocument()``, in its order, without building the document
    /// (a batch renders its CSV rows from these): the scalar fields of ``jsonValue()``, nested ones as `predict.pred`,
    /// `confint.tau2.lb`.
    public func forEachScalarField(_ body: (String, String) -> Void) {
        guard case let .object(fields) = jsonValue() else { return }
        for (key, value) in fields {
            switch value {
            case let .number(x): body(key, NumberFormat.shortest(x))
            case let .string(s): body(key, s)
            case .null: body(key, "NA")
            case let .object(inner) where key == "predict" || key == "predict_transf":
                for (k, v) in inner {
                    if let x = v.doubleValue { body(key + "." + k, NumberFormat.shortest(x)) }
                    else if let s = v.stringValue { body(key + "." + k, s) }
                }
            case let .object(inner) where key.hasPrefix("confint"):
                for (k, v) in inner {
                    if let items = v.arrayValue, items.count == 3 {
                        for (suffix, item) in zip(["", ".lb", ".ub"], items) {
                            body(key + "." + k + suffix, item.doubleValue.map(NumberFormat.shortest) ?? "NA")
                        }
                    } else if let s = v.stringValue {
                        body(key + "." + k, s)
                    }
                }
            default: continue
            }
        }
    }
}
