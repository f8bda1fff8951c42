import MetaAnalysis
import MetaReport

extension ReviewReport {
    /// One self-contained HTML file: styles inline, every plot as inline SVG, no scripts, no external resources
    /// (links only to the studies' sources).
    public func html() -> String {
        var body = ""
        body += "<h1>Treatment-resistant depression: the 2025 narrative review, reanalysed</h1>\n"
        body += "<p class=\"lead\">Cavallotto C, Chiappini S, Miuli A, et al. <em>Novel Perspectives for Glutamatergic Strategies, Psychedelics and Antipsychotic Augmentation in Treatment Resistant Depression: A Narrative Review.</em> Clin Neuropsychopharmacol Addict 2025;1(1):6. The review pooled nothing; this report pools what its \(evidence.studies.count) cited studies report where pooling is sound, checks its claims against the data, and lists what is missing. Every number traces to a verbatim quote in <code>Datasets/trd-review/outcomes.csv</code>.</p>\n"
        body += "<nav><a href=\"#counts\">Studies</a> · <a href=\"#rates\">Pooled rates</a> · <a href=\"#comparisons\">Controlled comparisons</a> · <a href=\"#continuous\">Continuous outcomes</a> · <a href=\"#claims\">Claims v data</a> · <a href=\"#listed\">Not pooled</a> · <a href=\"#gaps\">Gaps</a> · <a href=\"#provenance\">Provenance</a></nav>\n"

        let plots = self.plots()
        func inline(_ name: String) -> String {
            guard let p = plots.first(where: { $0.name == name }) else { return "" }
            return "<figure>\(Self.inlineSVG(p.svg))<figcaption>\(MarkupEscaping.escaped(p.title))</figcaption></figure>\n"
        }

        body += "<h2 id=\"counts\">Included studies</h2>\n" + inline("counts-by-class-and-design.svg")
        body += Self.table(header: ["Class", "Design", "Studies"],
                           rows: countRows().map { [$0.cls.displayName, $0.design.displayName, String($0.count)] }, numeric: [2])

        body += "<h2 id=\"rates\">Pooled single-arm rates</h2>\n"
        if let a = byClass.first { body += "<p>Model: \(MarkupEscaping.escaped(a.modelDescription)). Arms of the review's treatments with events and a stated denominator; each sample counted once (the fullest report of a <code>sample_group</code> is used).</p>\n" }
        for a in byClass + byRoute {
            body += "<h3>\(MarkupEscaping.escaped(a.outcome.rawValue.capitalizedFirstLetter)) by \(a.grouping.rawValue)</h3>\n"
            body += Self.table(header: ["Group", "k", "N", "Events", "Rate % [95% CI]", "95% PI (%)", "I²", "Model", "Studies"],
                               rows: a.pooled.map { p in
                                   [p.label, String(p.k), String(p.totalN), String(p.totalEvents),
                                    RateFormat.percentWithCI(p.estimate, p.ciLower, p.ciUpper),
                                    RateFormat.interval(p.predictionLower, p.predictionUpper, scale: 100), RateFormat.iSquared(p.iSquared),
                                    p.k == 1 ? "one study" : p.model.rawValue, p.studies.map(\.study).joined(separator: "; ")]
                               }, numeric: [1, 2, 3, 4, 5, 6])
        }
        for a in byClass { for p in a.pooled { body += inline("forest-rate-\(p.outcome.rawValue)-\(p.key.replacingSlashes()).svg") } }

        body += "<h2 id=\"comparisons\">Controlled comparisons</h2>\n<p>Active arm v control (placebo, active placebo, waitlist) or active comparator, with events and denominators in both arms. RD in percentage points; NNT with Altman's (1998) interval. Pooled within class, outcome and comparator kind when two independent comparisons exist (Mantel–Haenszel and random effects); arms shared within a multi-arm trial are combined so they count once.</p>\n"
        for a in byClass {
            body += "<h3>\(MarkupEscaping.escaped(a.outcome.rawValue.capitalizedFirstLetter))</h3>\n"
            body += Self.table(header: ["Study", "Timepoint", "Active", "Control", "Kind", "RR [95% CI]", "OR [95% CI]", "RD [95% CI]", "NNT"],
                               rows: a.comparisons.map { c in
                                   [c.study, c.timepoint, "\(c.activeArm) \(c.activeEvents)/\(c.activeTotal)",
                                    "\(c.controlArm) \(c.controlEvents)/\(c.controlTotal)", c.kind.rawValue, RateFormat.effect(c.riskRatio),
                                    RateFormat.effect(c.oddsRatio), RateFormat.effect(c.riskDifference), c.numberNeededToTreat.description]
                               }, numeric: [5, 6, 7])
            if a.comparisonPools.isEmpty {
                body += "<p class=\"note\">Pooled: none — no class has two independent comparisons of the same kind for \(a.outcome.rawValue).</p>\n"
            } else {
                body += Self.table(header: ["Pool", "k", "Measure", "Method", "Estimate [95% CI]", "Studies"],
                                   rows: a.comparisonPools.flatMap { p in (p.mantelHaenszel + p.randomEffects).map { e in
                                       [p.label, String(p.k), e.measure.rawValue, e.method, RateFormat.effect(e), p.units.map(\.study).joined(separator: "; ")]
                                   } }, numeric: [1, 4])
            }
        }
        for plot in plots where plot.name.hasPrefix("forest-comparison-") { body += inline(plot.name) }

        if let a = byClass.first {
            body += "<h2 id=\"continuous\">Continuous outcomes</h2>\n<p>Hedges' g (active minus control) from arm means, SDs and sizes; negative favours the active arm.</p>\n"
            body += Self.table(header: ["Study", "Scale", "Timepoint", "Active mean (SD) n", "Control mean (SD) n", "g [95% CI]"],
                               rows: a.continuous.map { c in
                                   [a.continuousLabel(c), c.outcome.displayName, c.timepoint,
                                    "\(RateFormat.number(c.activeMean)) (\(RateFormat.number(c.activeSD))) \(c.activeN)",
                                    "\(RateFormat.number(c.controlMean)) (\(RateFormat.number(c.controlSD))) \(c.controlN)",
                                    RateFormat.effect(c.standardizedMeanDifference)]
                               }, numeric: [3, 4, 5])
            for p in a.continuousPools {
                body += "<p>Pooled \(MarkupEscaping.escaped(p.label)): g = \(RateFormat.effect(p.pooled)) (k = \(p.k) comparisons; Knapp–Hartung CI with \(p.k - 1) df).</p>\n"
            }
            for plot in plots where plot.name.hasPrefix("forest-smd-") { body += inline(plot.name) }
        }

        body += "<h2 id=\"claims\">The review's claims v the data</h2>\n<p>Each row's data column is computed from the dataset when the report is built.</p>\n"
        body += "<table class=\"claims\"><thead><tr><th>Claim</th><th>Where</th><th>The review says</th><th>The data show</th><th>Verdict</th><th>Why</th></tr></thead><tbody>\n"
        for c in claims {
            let cls = c.verdict.rawValue.replacingSpaces()
            body += "<tr><td>\(MarkupEscaping.escaped(c.topic))</td><td>\(MarkupEscaping.escaped(c.location))</td><td>\(MarkupEscaping.escaped(c.claim))</td><td>\(MarkupEscaping.escaped(c.data))</td><td class=\"verdict \(cls)\">\(MarkupEscaping.escaped(c.verdict.rawValue))</td><td>\(MarkupEscaping.escaped(c.basis))</td></tr>\n"
        }
        body += "</tbody></table>\n"

        body += "<h2 id=\"listed\">Reported but not pooled</h2>\n"
        for a in byClass {
            body += "<h3>\(MarkupEscaping.escaped(a.outcome.rawValue.capitalizedFirstLetter))</h3>\n"
            body += Self.table(header: ["Study", "Arm", "Role", "Timepoint", "Value", "Why not pooled"],
                               rows: a.listed.map { [$0.study, $0.arm, $0.armRole.rawValue, $0.timepoint, $0.value,
                                                     $0.reason.description + ($0.detail.isEmpty ? "" : " (\($0.detail))")] }, numeric: [4])
        }

        body += "<h2 id=\"gaps\">Gaps: numbers a full text would add</h2>\n"
        body += Self.table(header: ["Study (ref)", "Missing", "Where"], rows: gaps.map { [$0.study, $0.missing, $0.source] }, numeric: [])

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
        body += "<h3>Sources of the numbers</h3>\n<ul class=\"sources\">\n"
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
        figure { margin: 1.2em 0; overflow-x: auto; } figcaption { font-size: 0.85em; color: #555; } figure svg { width: 100%; max-width: 880px; height: auto; }
        .note { color: #555; font-style: italic; } code { font-size: 0.9em; } dt { font-weight: 600; } dd { margin: 0 0 0.6em 1.5em; word-break: break-all; }
        .sources { font-size: 0.8em; word-break: break-all; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// The SVG without its XML declaration, for inline use.
    static func inlineSVG(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: ">") else { return svg }
        return String(svg[svg.index(after: end)...]).trimmingLeadingNewlines()
    }

    static func table(header: [String], rows: [[String]], numeric: Set<Int>) -> String {
        var out = "<table><thead><tr>" + header.map { "<th>\(MarkupEscaping.escaped($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            out += "<tr>" + row.enumerated().map { i, cell in numeric.contains(i) ? "<td class=\"num\">\(MarkupEscaping.escaped(cell))</td>" : "<td>\(MarkupEscaping.escaped(cell))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }
}

extension String {
    var capitalizedFirstLetter: String { prefix(1).uppercased() + dropFirst() }
    func replacingSpaces() -> String { String(map { $0 == " " ? "-" : $0 }) }
    func trimmingLeadingNewlines() -> String { String(drop { $0 == "\n" }) }
}
