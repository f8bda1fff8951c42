import MetaAnalysis
import MetaReport

extension ReviewReport {
    /// One self-contained HTML file: styles inline, every plot as inline SVG, no scripts, no external resources
    /// (links only to the studies' sources).
    public func html() -> String {
        var body = ""
        body += "<h1>Treatment-resistant depression: the 2025 narrative review, reanalysed</h1>\n"
        body += "<p class=\"lead\">Cavallotto C, Chiappini S, Miuli A, et al. <em>Novel Perspectives for Glutamatergic Strategies, Psychedelics and Antipsychotic Augmentation in Treatment Resistant Depression: A Narrative Review.</em> Clin Neuropsychopharmacol Addict 2025;1(1):6. The review pooled nothing; this report pools what its \(evidence.studies.count) cited studies report only where the eligibility rules below allow it, shows every other result as the single study's result, checks the review's claims against the data, and lists what is missing. Every number traces to a verbatim quote in <code>Datasets/trd-review/outcomes.csv</code>.</p>\n"
        body += "<nav><a href=\"#findings\">Key findings</a> · <a href=\"#rules\">Rules</a> · <a href=\"#counts\">Studies</a> · <a href=\"#rates\">Rates</a> · <a href=\"#comparisons\">Controlled comparisons</a> · <a href=\"#continuous\">Continuous outcomes</a> · <a href=\"#reported\">Reported effects</a> · <a href=\"#claims\">Claims v data</a> · <a href=\"#listed\">Not pooled</a> · <a href=\"#gaps\">Gaps</a> · <a href=\"#limitations\">Limitations</a> · <a href=\"#sources\">Study sources</a> · <a href=\"#provenance\">Provenance</a></nav>\n"

        body += "<h2 id=\"findings\">Key findings</h2>\n<p>One row per stratum with a result, generated from the data: controlled comparisons first, then scale scores, then single-arm rates (outcomes on a treatment, not its effect). A <em>study result</em> is the only study in its stratum and is never pooled. Certainty follows the GRADE rules listed below the table; \(MarkupEscaping.escaped(PrimaryTimepoint.legend)); + marks counts back-calculated from percentages.</p>\n"
        body += "<table class=\"findings\"><thead><tr><th>Question</th><th>Result</th><th>Studies</th><th>Participants</th><th>Estimate [95% CI]</th><th>95% PI</th><th>Certainty (GRADE domains)</th><th>Plain reading</th></tr></thead><tbody>\n"
        for f in keyFindings {
            let studies = zip(f.studies, f.refs).map { label, ref in studyLink(label: label, ref: ref) }.joined(separator: "; ")
            body += "<tr><td>\(MarkupEscaping.escaped(f.question))</td><td>\(f.kind == .pooled ? "pooled, k = \(f.k)" : "study result (k = 1)")</td><td>\(studies)</td><td class=\"num\">\(f.participants)</td><td class=\"num\">\(MarkupEscaping.escaped(PrimaryTimepoint.marked(f.estimate + (f.countDerived ? " +" : ""), f.primaryTimepoint)))<br><small>\(MarkupEscaping.escaped(f.method))</small></td><td>\(MarkupEscaping.escaped(f.predictionInterval))</td><td>\(MarkupEscaping.escaped(f.certainty.description))</td><td>\(MarkupEscaping.escaped(f.reading))</td></tr>\n"
        }
        body += "</tbody></table>\n<h3>Certainty (GRADE), as applied</h3>\n<ul>\n" + KeyFindings.gradeRules.map { "<li>\(MarkupEscaping.escaped($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        body += "<h2 id=\"rules\">Eligibility rules</h2>\n<ol>\n" + EligibilityRules.statement.map { "<li>\(MarkupEscaping.escaped($0))</li>" }.joined(separator: "\n") + "\n</ol>\n"

        let plots = self.plots()
        func inline(_ name: String) -> String {
            guard let p = plots.first(where: { $0.name == name }) else { return "" }
            return "<figure>\(Self.inlineSVG(p.svg))<figcaption>\(MarkupEscaping.escaped(p.title))</figcaption></figure>\n"
        }

        body += "<h2 id=\"counts\">Included studies</h2>\n<p>By the review's own design categories (as its Figure 1); the design each study reports is in the study sources table, and the analyses use that one.</p>\n" + inline("counts-by-class-and-design.svg")
        body += Self.table(header: ["Class", "Design (the review's category)", "Studies"],
                           rows: countRows().map { [$0.cls.displayName, $0.design.displayName, String($0.count)] }, numeric: [2])

        body += "<h2 id=\"rates\">Single-arm rates</h2>\n"
        if let a = byClass.first { body += "<p>\(MarkupEscaping.escaped(a.modelDescription)). Arms of the review's treatments with events and a stated denominator, one per sample and stratum.</p>\n" }
        for a in byClass + byRoute {
            body += "<h3>\(MarkupEscaping.escaped(a.outcome.rawValue.capitalizedFirstLetter)) by \(a.grouping.rawValue): study results (k = 1, not pooled)</h3>\n"
            body += Self.table(header: ["Stratum", "Study", "Arm", "Timepoint", "Events/N", "Rate % [95% CI, exact]"],
                               rows: a.studyResults.map { r in
                                   [r.stratum.label, studyLink(label: r.study, ref: r.ref), r.arm, PrimaryTimepoint.label(r.timepoint, r.primaryTimepoint), "\(r.events)/\(r.total)\(r.countDerived ? " +" : "")",
                                    RateFormat.percentWithCI(r.interval.proportion, r.interval.lower, r.interval.upper)]
                               }, numeric: [4, 5], html: [1])
            if a.pooled.isEmpty {
                body += "<p class=\"note\">Pooled: none — no stratum has two independent samples.</p>\n"
            } else {
                body += "<h3>\(MarkupEscaping.escaped(a.outcome.rawValue.capitalizedFirstLetter)) by \(a.grouping.rawValue): pooled strata (k &ge; 2; * = recommended)</h3>\n"
                body += Self.table(header: ["Stratum", "k", "N", "Method", "Rate % [95% CI]", "95% PI (%)", "I²", "Studies"],
                                   rows: a.pooled.flatMap { p in p.estimates.map { e in
                                       [p.label, String(p.k), String(p.totalN), e.method.displayName + (e.recommended ? " *" : ""),
                                        RateFormat.percentWithCI(e.estimate, e.ciLower, e.ciUpper),
                                        RateFormat.interval(e.predictionLower, e.predictionUpper, scale: 100), RateFormat.iSquared(p.iSquared),
                                        p.studies.map { studyLink(label: $0.study, ref: $0.ref) }.joined(separator: "; ")]
                                   } }, numeric: [1, 2, 4, 5, 6], html: [7])
            }
        }
        for plot in plots where plot.name.hasPrefix("forest-rate-") || plot.name.hasPrefix("study-results-") { body += inline(plot.name) }

        body += "<h2 id=\"comparisons\">Controlled comparisons</h2>\n<p>One result per trial and stratum: active arm v placebo or active placebo, waitlist, or an active comparator (by its class), at the trial's primary timepoint where a source names it. RD in percentage points; NNT with Altman's (1998) interval. A multi-arm trial's arms on each side are combined so a shared control counts once (Cochrane Handbook 23.3.4). Where a trial set its own significance threshold the RD's interval at that level and its p-value are shown. Pooled only when two independent trials share a stratum.</p>\n"
        for a in byClass {
            body += "<h3>\(MarkupEscaping.escaped(a.outcome.rawValue.capitalizedFirstLetter))</h3>\n"
            body += Self.table(header: ["Study", "Timepoint", "Active", "Control", "Kind", "RR [95% CI]", "OR [95% CI]", "RD [95% CI]", "At the trial's alpha", "NNT"],
                               rows: a.comparisons.map { c in
                                   let derived = c.countDerived ? " +" : ""
                                   let reported = c.reported.map { "; reported \(RateFormat.number($0.measure == .riskDifference ? 100 * $0.estimate : $0.estimate))\($0.differs ? " (differs from the counts)" : "")" }.joined()
                                   let trial = c.alpha == 0.05 ? "" : "\(RateFormat.number(100 * (1 - c.alpha), digits: 1))% CI \(RateFormat.interval(c.riskDifferenceAtTrialAlpha.ciLower, c.riskDifferenceAtTrialAlpha.ciUpper, scale: 100)); p = \(RateFormat.number(c.riskDifference.pValue, digits: 3)) v \(RateFormat.number(c.alpha, digits: 3))"
                                   return [studyLink(label: c.study, ref: c.ref), PrimaryTimepoint.label(c.timepoint, c.primaryTimepoint), "\(c.activeArm) \(c.activeEvents)/\(c.activeTotal)\(derived)",
                                           "\(c.controlArm) \(c.controlEvents)/\(c.controlTotal)\(derived)", c.stratum.comparator?.displayName ?? c.kind.rawValue,
                                           RateFormat.effect(c.riskRatio), RateFormat.effect(c.oddsRatio) + reported, RateFormat.effect(c.riskDifference),
                                           trial, c.numberNeededToTreat.description]
                               }, numeric: [5, 6, 7], html: [0])
            if a.comparisonPools.isEmpty {
                body += "<p class=\"note\">Pooled: none — no stratum has two independent trials for \(a.outcome.rawValue).</p>\n"
            } else {
                body += Self.table(header: ["Pool", "k", "Measure", "Method", "Estimate [95% CI]", "Studies"],
                                   rows: a.comparisonPools.flatMap { p in (p.mantelHaenszel + p.randomEffects).map { e in
                                       [p.label, String(p.k), e.measure.rawValue, e.method, RateFormat.effect(e),
                                        p.units.map { studyLink(label: $0.study, ref: $0.ref) }.joined(separator: "; ")]
                                   } }, numeric: [1, 4], html: [5])
            }
        }
        for plot in plots where plot.name.hasPrefix("forest-comparison-") { body += inline(plot.name) }

        if let a = byClass.first {
            body += "<h2 id=\"continuous\">Continuous outcomes</h2>\n<p>Hedges' g (active minus control) from arm means, SDs and sizes; negative favours the active arm. One per trial and stratum; a multi-arm trial's arms are combined on each side (Singh 2016's two schedules are one trial). Where change and endpoint scores both exist the endpoint g is shown beside it.</p>\n"
            body += Self.table(header: ["Study", "Scale", "Timepoint", "Active mean (SD) n", "Control mean (SD) n", "g [95% CI]", "Endpoint g"],
                               rows: a.continuous.map { c in
                                   [studyLink(label: a.continuousLabel(c), ref: c.ref), c.outcome.displayName + (c.measure == .meanChange ? " change" : " endpoint"), PrimaryTimepoint.label(c.timepoint, c.primaryTimepoint),
                                    "\(RateFormat.number(c.activeMean)) (\(RateFormat.number(c.activeSD))) \(c.activeN)",
                                    "\(RateFormat.number(c.controlMean)) (\(RateFormat.number(c.controlSD))) \(c.controlN)",
                                    RateFormat.effect(c.standardizedMeanDifference),
                                    c.endpointAlternative.map { RateFormat.effect($0) + (c.analysisDependent ? " (analysis-dependent)" : "") } ?? ""]
                               }, numeric: [3, 4, 5, 6], html: [0])
            if a.continuousPools.isEmpty { body += "<p class=\"note\">Pooled: none — no stratum has two independent trials.</p>\n" }
            for p in a.continuousPools {
                for e in p.estimates {
                    body += "<p>Pooled \(MarkupEscaping.escaped(p.label)) (k = \(p.k) trials): g = \(RateFormat.number(e.estimate)) \(RateFormat.interval(e.ciLower, e.ciUpper, digits: 2)), \(MarkupEscaping.escaped(e.method.displayName))\(e.recommended ? " (recommended)" : "").</p>\n"
                }
            }
            for plot in plots where plot.name.hasPrefix("forest-smd-") { body += inline(plot.name) }
        }

        var seenShared = Set<String>()
        let shared = byClass.flatMap(\.sharedControl).filter { seenShared.insert($0.stratum.key).inserted }
        if !shared.isEmpty, let a = byClass.first {
            body += "<h2 id=\"multiarm\">Multi-arm trials: shared-control sensitivity analysis</h2>\n<p>The main analysis combines a trial's arms on each side (Cochrane Handbook 23.3.4). Here every arm pair enters as its own effect, pairs that share an arm correlated through it (vcalc, the arm sizes as weights: Gleser and Olkin 2009), in a multilevel model with a random intercept per trial (REML), or by the trial's generalised least squares when the stratum has one trial. Participants are counted once per arm.</p>\n"
            var all = a
            all.sharedControl = shared
            all.comparisons = byClass.flatMap(\.comparisons)
            body += Self.table(header: all.sharedControlTable().header, rows: all.sharedControlTable().rows, numeric: [1, 2, 3, 4])
        }
        let reported = reportedContrasts
        body += "<h2 id=\"reported\">Between-group effects reported without arm data</h2>\n<p>Effects a trial prints without the arm means or counts to recompute them: each is that trial's study result, never pooled. Differences are harmonised so that negative favours the first-named arm; a Cohen's d printed without an interval gets one from its arm sizes (Hedges and Olkin 1985). The last column says whether the effect is a key finding and, if not, why. \(MarkupEscaping.escaped(PrimaryTimepoint.legend)).</p>\n"
        body += Self.table(header: ["Study", "Contrast", "Outcome", "Timepoint", "As reported", "Harmonised [95% CI]", "Direction", "n", "Key finding?"],
                           rows: reported.map { c in
                               [studyLink(label: c.study, ref: c.ref), c.contrast, c.outcome.displayName, PrimaryTimepoint.label(c.timepoint, c.primaryTimepoint),
                                Self.asReported(c), c.estimateText, c.direction, Self.sizes(c), c.exclusion?.description ?? "yes (study result)"]
                           }, numeric: [4, 5, 7], html: [0])
        for plot in plots where plot.name.hasPrefix("reported-effects-") { body += inline(plot.name) }

        body += "<h2 id=\"claims\">The review's claims v the data</h2>\n<p>Each row's data column is computed from the dataset when the report is built.</p>\n"
        body += "<table class=\"claims\"><thead><tr><th>Claim</th><th>Where</th><th>The review says</th><th>The data show</th><th>Verdict</th><th>Why</th><th>Studies</th></tr></thead><tbody>\n"
        for c in claims {
            let cls = c.verdict.rawValue.replacingSpaces()
            body += "<tr><td>\(MarkupEscaping.escaped(c.topic))</td><td>\(MarkupEscaping.escaped(c.location))</td><td>\(MarkupEscaping.escaped(c.claim))</td><td>\(MarkupEscaping.escaped(c.data))</td><td class=\"verdict \(cls)\">\(MarkupEscaping.escaped(c.verdict.rawValue))</td><td>\(MarkupEscaping.escaped(c.basis))</td><td>\(c.refs.map { studyLink(label: evidence.label(ref: $0), ref: $0) }.joined(separator: "; "))</td></tr>\n"
        }
        body += "</tbody></table>\n"

        body += "<h2 id=\"listed\">Reported but not pooled</h2>\n"
        for a in byClass {
            body += "<h3>\(MarkupEscaping.escaped(a.outcome.rawValue.capitalizedFirstLetter))</h3>\n"
            body += Self.table(header: ["Study", "Arm", "Role", "Timepoint", "Value", "Why not pooled"],
                               rows: a.listed.map { [studyLink(label: $0.study, ref: $0.ref), $0.arm, $0.armRole.rawValue, $0.timepoint, $0.value,
                                                     $0.reason.description + ($0.detail.isEmpty ? "" : " (\($0.detail))")] }, numeric: [4], html: [0])
        }

        body += "<h2 id=\"gaps\">Gaps: numbers a full text would add</h2>\n"
        body += Self.table(header: ["Study (ref)", "Missing", "Where"], rows: gaps.map { [$0.study, $0.missing, $0.source] }, numeric: [])

        body += "<h2 id=\"limitations\">Limitations</h2>\n<ul>\n" + limitations.map { "<li>\(MarkupEscaping.escaped($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"

        body += "<h2 id=\"sources\">Studies and their primary sources</h2>\n<p>Every study by its DOI (and PubMed and ClinicalTrials.gov ids where the sources show them); the design as the study reports it beside the review's category.</p>\n"
        body += "<table><thead><tr><th>Study</th><th>Design (as reported)</th><th>The review's category</th><th>Primary source</th></tr></thead><tbody>\n"
        for s in evidence.studies {
            let links = s.links.map { "<a href=\"\(MarkupEscaping.escaped($0.url))\">\(MarkupEscaping.escaped($0.label))</a>" }.joined(separator: " · ")
            body += "<tr id=\"ref-\(s.ref)\"><td>\(MarkupEscaping.escaped(s.label))</td><td>\(MarkupEscaping.escaped(s.design.displayName))</td><td>\(MarkupEscaping.escaped(s.reviewDesign.displayName))</td><td>\(links)</td></tr>\n"
        }
        body += "</tbody></table>\n"

        let notes = (byClass + byRoute).flatMap(\.diagnostics).map(\.description).uniqued()
        if !notes.isEmpty {
            body += "<h2>Notes</h2>\n<ul>\n" + notes.map { "<li>\(MarkupEscaping.escaped($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }

        body += "<h2 id=\"provenance\">Provenance</h2>\n<dl>\n"
        body += "<dt>Tool</dt><dd>MetaSwift \(MarkupEscaping.escaped(provenance.toolVersion))</dd>\n"
        body += "<dt>Command</dt><dd><code>\(MarkupEscaping.escaped(provenance.commandLine.joined(separator: " ")))</code></dd>\n"
        body += "<dt>Inputs</dt><dd>\(MarkupEscaping.escaped(provenance.inputPath ?? ""))</dd>\n"
        body += "<dt>SHA-256</dt><dd><code>\(MarkupEscaping.escaped(provenance.inputSHA256 ?? ""))</code></dd>\n"
        body += "<dt>Options</dt><dd>\(MarkupEscaping.escaped(provenance.options.map { "\($0.0) = \($0.1)" }.joined(separator: "; ")))</dd>\n</dl>\n"
        body += "<h3>Where each quote was read</h3>\n<p>Copies of abstracts, registry records and summaries the extraction read; the studies' primary sources are in the table above.</p>\n<ul class=\"sources\">\n"
        var seen = Set<String>()
        for o in evidence.outcomes where !o.sourceURL.isEmpty && seen.insert(o.sourceURL).inserted {
            body += "<li>\(MarkupEscaping.escaped(evidence.label(ref: o.studyRef))): <a href=\"\(MarkupEscaping.escaped(o.sourceURL))\">\(MarkupEscaping.escaped(o.sourceURL))</a></li>\n"
        }
        body += "</ul>\n"

        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>TRD review reanalysis — MetaSwift</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1.5em; color: #222; line-height: 1.45; }
        h1 { font-size: 1.6em; margin-bottom: 0.3em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; } h3 { margin-top: 1.4em; }
        .lead { color: #444; } nav { margin: 1em 0 2em; font-size: 0.95em; } nav a { color: #0b5394; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.86em; width: 100%; }
        th, td { border-bottom: 1px solid #e2e2e2; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; font-weight: 600; } td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        td.verdict { font-weight: 600; white-space: nowrap; } .supported { color: #1a7f37; } .partly-supported { color: #9a6700; }
        .not-supported { color: #cf222e; } .not-testable { color: #57606a; }
        figure { margin: 1.2em 0; overflow-x: auto; } figcaption { font-size: 0.85em; color: #555; } figure svg { display: block; max-width: none; height: auto; }
        .note { color: #555; font-style: italic; } code { font-size: 0.9em; } dt { font-weight: 600; } dd { margin: 0 0 0.6em 1.5em; word-break: break-all; }
        .sources { font-size: 0.8em; word-break: break-all; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// "Author year [ref]" linked to the study's primary source.
    func studyLink(label: String, ref: Int) -> String {
        guard let url = evidence.study(ref: ref)?.links.first?.url else { return MarkupEscaping.escaped(label) }
        return "<a href=\"\(MarkupEscaping.escaped(url))\">\(MarkupEscaping.escaped(label))</a>"
    }

    /// The SVG without its XML declaration, for inline use.
    static func inlineSVG(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: ">") else { return svg }
        return String(svg[svg.index(after: end)...]).trimmingLeadingNewlines()
    }

    /// A table; the cells of the `html` columns are markup already (study links), every other cell is escaped.
    static func table(header: [String], rows: [[String]], numeric: Set<Int>, html: Set<Int> = []) -> String {
        var out = "<table><thead><tr>" + header.map { "<th>\(MarkupEscaping.escaped($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            out += "<tr>" + row.enumerated().map { i, cell in
                let text = html.contains(i) ? cell : MarkupEscaping.escaped(cell)
                return numeric.contains(i) ? "<td class=\"num\">\(text)</td>" : "<td>\(text)</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }
}

extension String {
    var capitalizedFirstLetter: String { prefix(1).uppercased() + dropFirst() }
    func replacingSpaces() -> String { String(map { $0 == " " ? "-" : $0 }) }
    func trimmingLeadingNewlines() -> String { String(drop { $0 == "\n" }) }
}
