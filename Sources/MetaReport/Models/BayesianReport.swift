import MetaAnalysis

/// A Bayesian fit as a report: the summary (random-effects model or meta-regression) with the studies' labels, the
/// notes about the input (after the table; apart from the CSV) and, in JSON, the study labels and the provenance.
public struct BayesianReport: RenderableReport {
    public enum Fit {
        case randomEffects(BayesianRandomEffectsSummary)
        /// `predictionLabels`: the moderator values of each prediction as given (nil: no predictions asked).
        case regression(BayesianMetaRegressionSummary, predictionLabels: [String]?)
    }

    public var fit: Fit
    public var studyLabels: [String]
    public var notes: [String]
    public var provenance: Provenance

    public init(_ fit: Fit, studyLabels: [String], notes: [String], provenance: Provenance) {
        self.fit = fit
        self.studyLabels = studyLabels
        self.notes = notes
        self.provenance = provenance
    }

    /// The summary's document with `study` (the labels) second, each prediction's `at` first and `provenance` last.
    public func jsonValue() -> JSONValue {
        let document: JSONValue, predictionLabels: [String]?
        switch fit {
        case let .randomEffects(summary): (document, predictionLabels) = (summary.jsonValue(), nil)
        case let .regression(summary, labels): (document, predictionLabels) = (summary.jsonValue(), labels)
        }
        guard case var .object(fields) = document else { return document }
        fields.insert(("study", .array(studyLabels.map { .string($0) })), at: 1)
        if let predictionLabels, let i = fields.firstIndex(where: { $0.0 == "predictions" }), case let .array(items) = fields[i].1 {
            fields[i].1 = .array(zip(predictionLabels, items).map { label, item in
                guard case let .object(pairs) = item else { return item }
                return .object([("at", .string(label))] + pairs)
            })
        }
        fields.append(("provenance", provenance.jsonValue))
        return .object(fields)
    }

    public func csvDocument() -> CSVDocument {
        switch fit {
        case let .randomEffects(summary): return summary.csvDocument(studyLabels: studyLabels)
        case let .regression(summary, labels): return summary.csvDocument(studyLabels: studyLabels, predictionLabels: labels)
        }
    }

    public func textReport() -> String {
        var text: String
        switch fit {
        case let .randomEffects(summary): text = summary.textReport(studyLabels: studyLabels)
        case let .regression(summary, labels): text = summary.textReport(studyLabels: studyLabels, predictionLabels: labels)
        }
        for note in notes { text += "Note: \(note)\n" }
        return text
    }

    public var csvNotes: [String] { notes }
}
