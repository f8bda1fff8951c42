import MetaAnalysis
import MetaReport

/// The TRD review reanalysis as files: text and CSV tables, JSON with provenance, SVG plots and one self-contained
/// HTML report (`metaswift review`). Holds no statistics: every number comes from `RateAnalysis` and `ReviewClaims`.
public struct ReviewReport: Sendable {
    public var evidence: TRDEvidence
    /// Response and remission by class (the main tables) and by agent × route.
    public var byClass: [RateAnalysis]
    public var byRoute: [RateAnalysis]
    public var claims: [ReviewClaim]
    public var gaps: [ReviewGap]
    public var provenance: Provenance

    public init(evidence: TRDEvidence, byClass: [RateAnalysis], byRoute: [RateAnalysis], claims: [ReviewClaim],
                gaps: [ReviewGap], provenance: Provenance) {
        self.evidence = evidence
        self.byClass = byClass
        self.byRoute = byRoute
        self.claims = claims
        self.gaps = gaps
        self.provenance = provenance
    }

    /// A file of the report: its name in the output folder and its text.
    public struct File: Sendable, Equatable {
        public var name: String
        public var contents: String
    }

    /// The key findings, generated from the rate analyses.
    public var keyFindings: [KeyFinding] { KeyFindings.make(evidence: evidence, analyses: byClass) }

    /// The limitations, with their counts from the data.
    public var limitations: [String] { Limitations.make(evidence: evidence, analyses: byClass) }

    /// Every file, in a stable order; `report.html` last.
    public func files() -> [File] {
        var files: [File] = [
            File(name: "summary.txt", contents: textReport()),
            File(name: "key-findings.csv", contents: keyFindingsCSV().serialized()),
            File(name: "studies.csv", contents: studiesCSV().serialized()),
            File(name: "counts.csv", contents: countsCSV().serialized()),
            File(name: "claims.csv", contents: claimsCSV().serialized()),
            File(name: "claims.txt", contents: claimsTable().rendered()),
            File(name: "gaps.csv", contents: CSVDocument(header: ["study", "missing", "where"],
                                                         rows: gaps.map { [$0.study, $0.missing, $0.source] }).serialized()),
        ]
        for a in byClass + byRoute {
            let stem = "rates-\(a.outcome.rawValue)-by-\(a.grouping.rawValue)"
            files.append(File(name: stem + ".csv", contents: a.csvDocument().serialized()))
            files.append(File(name: stem + ".txt", contents: a.textReport()))
        }
        files.append(File(name: "review.json", contents: jsonValue().serialized() + "\n"))
        for plot in plots() { files.append(File(name: plot.name, contents: plot.svg)) }
        files.append(File(name: "report.html", contents: html()))
        return files
    }

    /// The JSON document: provenance, key findings, the rules, the studies with their links, counts, the rate
    /// analyses, the claims, the gaps and the limitations.
    public func jsonValue() -> JSONValue {
        .object([
            ("analysis", .string("trd-review")),
            ("provenance", provenance.jsonValue),
            ("key_findings", .array(keyFindings.map { f in
                .object([("question", .string(f.question)), ("stratum", .string(f.stratum.key)), ("result", .string(f.kind.rawValue)),
                         ("k", .number(Double(f.k))), ("studies", .array(f.studies.map { .string($0) })),
                         ("refs", .array(f.refs.map { .number(Double($0)) })), ("participants", .number(Double(f.participants))),
                         ("estimate", .string(f.estimate)), ("method", .string(f.method)), ("pi", .string(f.predictionInterval)),
                         ("certainty", .string(f.certainty.level.displayName)), ("certainty_text", .string(f.certainty.description)),
                         ("grade_domains", .array(f.certainty.domains.map { d in
                             .object([("domain", .string(d.name.rawValue)), ("downgrade", .number(Double(d.downgrade))), ("reason", .string(d.reason))])
                         })),
                         ("reading", .string(f.reading)), ("count_derived", .bool(f.countDerived)),
                         ("primary_timepoint", f.primaryTimepoint.map { .bool($0) } ?? .null)])
            })),
            ("grade_rules", .array(KeyFindings.gradeRules.map { .string($0) })),
            ("reported_contrasts", .array(reportedContrasts.map { c in
                .object([("study", .string(c.study)), ("ref", .number(Double(c.ref))), ("row", .number(Double(c.row))),
                         ("contrast", .string(c.contrast)), ("outcome", .string(c.outcome.rawValue)), ("timepoint", .string(c.timepoint)),
                         ("primary_timepoint", c.primaryTimepoint.map { .bool($0) } ?? .null), ("effect_type", .string(c.effectType)),
                         ("reported", .double(c.reported)), ("reported_ci_lb", .double(c.reportedLower)), ("reported_ci_ub", .double(c.reportedUpper)),
                         ("estimate", .double(c.estimate)), ("ci_lb", .double(c.ciLower)), ("ci_ub", .double(c.ciUpper)),
                         ("ci_computed", .bool(c.intervalComputed)), ("estimate_text", .string(c.estimateText)), ("direction", .string(c.direction)),
                         ("n1i", c.activeN.map { .number(Double($0)) } ?? .null), ("n2i", c.controlN.map { .number(Double($0)) } ?? .null),
                         ("key_finding", .bool(c.exclusion == nil)), ("why_not", .string(c.exclusion?.description ?? ""))])
            })),
            ("plots", .array(plots().map { .object([("name", .string($0.name)), ("title", .string($0.title))]) })),
            ("eligibility_rules", .array(EligibilityRules.statement.map { .string($0) })),
            ("studies", .array(evidence.studies.map { s in
                .object([("ref", .number(Double(s.ref))), ("study", .string(s.label)), ("design", .string(s.design.rawValue)),
                         ("review_design", .string(s.reviewDesign.rawValue)), ("primary_source", .string(s.primarySource)),
                         ("links", .array(s.links.map { .object([("label", .string($0.label)), ("url", .string($0.url))]) }))])
            })),
            ("limitations", .array(limitations.map { .string($0) })),
            ("counts", .array(countRows().map { r in
                .object([("class", .string(r.cls.rawValue)), ("design", .string(r.design.rawValue)), ("studies", .number(Double(r.count)))])
            })),
            ("rates_by_class", .array(byClass.map { $0.jsonValue() })),
            ("rates_by_route", .array(byRoute.map { $0.jsonValue() })),
            ("claims", .array(claims.map { c in
                .object([("id", .string(c.id)), ("topic", .string(c.topic)), ("location", .string(c.location)),
                         ("claim", .string(c.claim)), ("data", .string(c.data)), ("verdict", .string(c.verdict.rawValue)),
                         ("basis", .string(c.basis)), ("refs", .array(c.refs.map { .number(Double($0)) }))])
            })),
            ("gaps", .array(gaps.map { .object([("study", .string($0.study)), ("missing", .string($0.missing)), ("where", .string($0.source))]) })),
        ])
    }

    /// Studies by class and design (each study once).
    func countRows() -> [(cls: TreatmentClass, design: ReviewDesignCategory, count: Int)] {
        var rows: [(TreatmentClass, ReviewDesignCategory, Int)] = []
        for cls in TreatmentClass.allCases {
            for design in ReviewDesignCategory.allCases {
                let n = evidence.studies.filter { $0.treatmentClass == cls && $0.reviewDesign == design }.count
                if n > 0 { rows.append((cls, design, n)) }
            }
        }
        return rows
    }

    func keyFindingsCSV() -> CSVDocument {
        CSVDocument(header: ["question", "result", "k", "studies", "refs", "participants", "estimate", "method", "pi", "certainty",
                             "grade_domains", "reading", "primary_timepoint"],
                    rows: keyFindings.map { f in
                        [f.question, f.kind.rawValue, String(f.k), f.studies.joined(separator: "; "), f.refs.map(String.init).joined(separator: ";"),
                         String(f.participants), f.estimate, f.method, f.predictionInterval, f.certainty.level.displayName,
                         f.certainty.description, f.reading, f.primaryTimepoint.map { String($0) } ?? ""]
                    })
    }

    func studiesCSV() -> CSVDocument {
        CSVDocument(header: ["ref", "study", "design", "review_design", "primary_source", "links"],
                    rows: evidence.studies.map { s in
                        [String(s.ref), s.label, s.design.rawValue, s.reviewDesign.rawValue, s.primarySource,
                         s.links.map(\.url).joined(separator: " ")]
                    })
    }

    /// The key-findings table as text (the first table of the report).
    public func keyFindingsTable() -> TextTable {
        TextTable(header: ["Question", "Result", "Studies", "N", "Estimate [95% CI]", "95% PI", "Certainty", "Plain reading"],
                  rows: keyFindings.map { f in
                      [f.question.shortened(70), f.kind == .pooled ? "pooled (k = \(f.k))" : "study result", f.studies.joined(separator: "; ").shortened(40),
                       String(f.participants), PrimaryTimepoint.marked(f.estimate + (f.countDerived ? " +" : ""), f.primaryTimepoint), f.predictionInterval.shortened(24),
                       f.certainty.level.displayName, f.reading.shortened(110)]
                  },
                  alignments: [.left, .left, .left, .right, .left, .left, .left, .left])
    }

    func countsCSV() -> CSVDocument {
        CSVDocument(header: ["class", "design", "studies"], rows: countRows().map { [$0.cls.rawValue, $0.design.rawValue, String($0.count)] })
    }

    func claimsCSV() -> CSVDocument {
        CSVDocument(header: ["id", "topic", "location", "claim", "data", "verdict", "basis", "refs"],
                    rows: claims.map { [$0.id, $0.topic, $0.location, $0.claim, $0.data, $0.verdict.rawValue, $0.basis,
                                        $0.refs.map(String.init).joined(separator: ";")] })
    }

    public func claimsTable() -> TextTable {
        TextTable(header: ["Claim", "Review says", "Data show", "Verdict"],
                  rows: claims.map { [$0.topic, $0.claim.shortened(60), $0.data.shortened(90), $0.verdict.rawValue] },
                  alignments: [.left, .left, .left, .left])
    }

    /// The few lines the review command prints: counts of study results and pooled strata, never a k = 1 result
    /// as a pooled one.
    public func summary(outputDirectory: String, fileCount: Int) -> String {
        var out = "TRD review reanalysis: \(evidence.studies.count) studies, \(evidence.outcomes.count) outcome rows (bundled data)\n"
        for a in byClass {
            let pools = a.pooled.map { p in
                let e = p.recommended ?? p.estimates[0]
                return "\(p.stratum.treatmentLabel) \(RateFormat.percent(e.estimate)) [\(RateFormat.percent(e.ciLower)), \(RateFormat.percent(e.ciUpper))] (k=\(p.k), N=\(p.totalN), \(e.method.displayName))"
            }
            out += "  \(a.outcome.rawValue): \(a.studyResults.count) single-study results (not pooled); \(a.pooled.count) pooled strata" + (pools.isEmpty ? "" : ": " + pools.joined(separator: "; ")) + "\n"
        }
        let comparisons = (byClass.first?.comparisons ?? []) + (byClass.dropFirst().first?.comparisons ?? [])
        let poolCount = byClass.reduce(0) { $0 + $1.comparisonPools.count }
        out += "  controlled comparisons: \(comparisons.count) trial results, \(poolCount) pooled (\(comparisons.map { "\($0.study) RR \(RateFormat.number($0.riskRatio.estimate))" }.joined(separator: "; ")))\n"
        let findings = keyFindings
        out += "  key findings: \(findings.count) (\(Certainty.Level.allCases.reversed().compactMap { l in let n = findings.filter { $0.certainty.level == l }.count; return n > 0 ? "\(n) \(l.displayName)" : nil }.joined(separator: ", ")) certainty)\n"
        var tally: [String] = []
        for v in ClaimVerdict.allCases {
            let n = claims.filter { $0.verdict == v }.count
            if n > 0 { tally.append("\(n) \(v.rawValue)") }
        }
        out += "  review claims checked: \(claims.count) (\(tally.joined(separator: ", ")))\n"
        out += "  gaps a full text would fill: \(gaps.count)\n"
        out += "Wrote \(fileCount) files to \(outputDirectory)/ — open \(outputDirectory)/report.html\n"
        return out
    }

    /// summary.txt: the key findings first, then every table, the rules, the studies' links and the limitations.
    public func textReport() -> String {
        var out = "TRD review reanalysis (MetaSwift \(provenance.toolVersion))\n\n"
        out += "Key findings (one row per stratum; + = counts back-calculated from percentages; \(PrimaryTimepoint.legend))\n"
        out += keyFindingsTable().rendered() + "\n"
        out += "Certainty (GRADE), as applied\n" + KeyFindings.gradeRules.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        out += "Studies by class and design (the review's categories)\n"
        out += TextTable(header: ["Class", "Design", "Studies"],
                         rows: countRows().map { [$0.cls.displayName, $0.design.displayName, String($0.count)] }).rendered() + "\n"
        for a in byClass { out += a.textReport() + "\n" }
        out += "Between-group effects reported without arm data (each one trial's result, not pooled; differences: negative favours the first-named arm)\n"
        out += reportedContrastTable().rendered() + "\n"
        out += "Review claims v the data\n" + claimsTable().rendered() + "\n"
        out += "Gaps: numbers a full text would add\n"
        out += TextTable(header: ["Study", "Missing", "Where"], rows: gaps.map { [$0.study, $0.missing.shortened(70), $0.source.shortened(50)] },
                         alignments: [.left, .left, .left]).rendered()
        out += "\nStudies and their primary sources\n"
        out += TextTable(header: ["Study", "Design (as reported)", "Review's category", "Links"],
                         rows: evidence.studies.map { [$0.label, $0.design.displayName, $0.reviewDesign.displayName, $0.links.map(\.url).joined(separator: " ")] },
                         alignments: [.left, .left, .left, .left]).rendered()
        out += "\nLimitations\n" + limitations.map { "- " + $0 }.joined(separator: "\n") + "\n"
        return out
    }
}
