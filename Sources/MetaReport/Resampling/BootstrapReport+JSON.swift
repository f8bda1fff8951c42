import MetaAnalysis

extension BootstrapReport {
    /// The JSON document: settings, then per statistic (`beta`, `tau2`, `I2`, `H2`) the estimate, the
    /// replicates' mean, bias and SE, and `ci_percentile`, `ci_basic`, `ci_bca` as [lb, ub] (null when not
    /// computable, with `bca_note`; `ci_basic` truncated to the parameter's range, with `ci_basic_untruncated` and
    /// `basic_note` when that changed it), then the failures, diagnostics and provenance.
    public func jsonValue() -> JSONValue {
        var fields = settings.jsonFields()
        fields.append(("successful", .number(Double(summary.replicateCount - summary.failures.count))))
        fields.append(("failed", .number(Double(summary.failures.count))))
        fields.append(("statistics", .object(summary.statistics.map { s in
            var entry: [(String, JSONValue)] = [
                ("estimate", .double(s.estimate)),
                ("successful", .number(Double(s.successful))),
                ("mean", .double(s.mean)),
                ("bias", .double(s.bias)),
                ("se", .double(s.standardError)),
                ("ci_percentile", Self.json(s.percentile)),
                ("ci_basic", Self.json(s.basic)),
                ("ci_bca", Self.json(s.bca)),
            ]
            if let note = s.bcaUnavailableReason { entry.append(("bca_note", .string(note))) }
            if let untruncated = s.basicUntruncated, let note = s.basicTruncationNote {
                entry.append(("ci_basic_untruncated", Self.json(untruncated)))
                entry.append(("basic_note", .string(note)))
            }
            return (s.name, .object(entry))
        })))
        fields.append(("failures", BootstrapSettings.json(summary.failures)))
        fields.append(("diagnostics", .array(settings.notes.map { .string($0) })))
        fields.append(("provenance", settings.provenance.jsonValue))
        return .object(fields)
    }

    static func json(_ interval: BootstrapInterval?) -> JSONValue {
        guard let interval else { return .null }
        return .doubles([interval.lower, interval.upper])
    }
}

extension BootstrapSettings {
    func jsonFields() -> [(String, JSONValue)] {
        [
            ("analysis", .string("bootstrap")),
            ("k", .number(Double(studyCount))),
            ("measure", .string(measure)),
            ("method", .string(method.rawValue)),
            ("test", .string(test.rawValue)),
            ("type", .string(type.rawValue)),
            ("replicates", .number(Double(replicates))),
            ("seed", .string(String(seed))),
            ("level", .number(level)),
        ]
    }

    static func json(_ failures: [BootstrapFailure]) -> JSONValue {
        .array(failures.map { .object([("replicate", .number(Double($0.replicate))), ("reason", .string($0.reason))]) })
    }
}

extension BootstrapSummary.Statistic {
    /// Why `basic` differs from `basicUntruncated` (nil when it does not).
    var basicTruncationNote: String? {
        guard let range, basicUntruncated != nil else { return nil }
        let upper = range.upperBound.isInfinite ? "inf)" : "\(NumberFormat.fixed(range.upperBound, digits: 0))]"
        return "2*estimate - replicate quantiles fell outside the parameter's range [\(NumberFormat.fixed(range.lowerBound, digits: 0)), \(upper); truncated to it"
    }
}
