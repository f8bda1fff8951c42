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

    /// Every file, in a stable order; `report.html` last.
    public func files() -> [File] {
        var files: [File] = [
            File(name: "summary.txt", contents: textReport()),
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

    /// The JSON document: provenance, counts, the rate analyses, the claims and the gaps.
    public func jsonValue() -> JSONValue {
        .object([
            ("analysis", .string("trd-review")),
            ("provenance", provenance.jsonValue),
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
    func countRows() -> [(cls: TreatmentClass, design: StudyDesign, count: Int)] {
        var rows: [(TreatmentClass, StudyDesign, Int)] = []
        for cls in TreatmentClass.allCases {
            for design in StudyDesign.allCases {
                let n = evidence.studies.filter { $0.treatmentClass == cls && $0.design == design }.count
                if n > 0 { rows.append((cls, design, n)) }
            }
        }
        return rows
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

    /// The few lines `metaswift review` prints.
    public func summary(outputDirectory: String, fileCount: Int) -> String {
        var out = "TRD review reanalysis: \(evidence.studies.count) studies, \(evidence.outcomes.count) outcome rows (bundled data)\n"
        for a in byClass {
            let pools = a.pooled.map { p in "\(p.label) \(RateFormat.percent(p.estimate)) (k=\(p.k), N=\(p.totalN))" }.joined(separator: "; ")
            out += "  \(a.outcome.rawValue): \(pools)\n"
        }
        let comparisons = (byClass.first?.comparisons ?? []) + (byClass.dropFirst().first?.comparisons ?? [])
        out += "  controlled comparisons: \(comparisons.count) (\(comparisons.map { "\($0.study) RR \(RateFormat.number($0.riskRatio.estimate))" }.joined(separator: "; ")))\n"
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

    /// summary.txt: every table.
    public func textReport() -> String {
        var out = "TRD review reanalysis (MetaSwift \(provenance.toolVersion))\n\n"
        out += "Studies by class and design\n"
        out += TextTable(header: ["Class", "Design", "Studies"],
                         rows: countRows().map { [$0.cls.displayName, $0.design.displayName, String($0.count)] }).rendered() + "\n"
        for a in byClass { out += a.textReport() + "\n" }
        out += "Review claims v the data\n" + claimsTable().rendered() + "\n"
        out += "Gaps: numbers a full text would add\n"
        out += TextTable(header: ["Study", "Missing", "Where"], rows: gaps.map { [$0.study, $0.missing.shortened(70), $0.source.shortened(50)] },
                         alignments: [.left, .left, .left]).rendered()
        return out
    }
}
