#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: RevMan 5 review file (XML)

extension RevManReview {
    /// Outcome elements of the RevMan 5 schema and their data types.
    static let outcomeElements: [String: RevManDataType] = [
        "DICH_OUTCOME": .dichotomous, "CONT_OUTCOME": .continuous, "IV_OUTCOME": .genericInverseVariance,
    ]
    /// Outcome elements of data types without a study-row mapping.
    static let unsupportedOutcomeElements: Set<String> = ["IPD_OUTCOME", "OTHER_OUTCOME"]

    static func readXML(_ bytes: [UInt8]) throws(RevManError) -> RevManReview {
        let root: XMLElementNode
        do { root = try TolerantXMLReader.parse(bytes) } catch { throw .xml(reason: error.description) }
        guard root.name == "COCHRANE_REVIEW" else {
            throw .notRevMan(found: "an XML file whose root element is \(root.name)")
        }
        var studies: [String: (name: String, year: String)] = [:]
        collectStudies(root, into: &studies, depth: 0)
        var comparisons: [RevManComparison] = []
        for analyses in root.children(named: "ANALYSES_AND_DATA") {
            for element in analyses.children(named: "COMPARISON") {
                let number = try integer(element, "NO", location: "Comparison on line \(element.line)")
                var comparison = RevManComparison(number: number, name: element.child(named: "NAME")?.text ?? "", outcomes: [])
                for child in element.children {
                    if let dataType = outcomeElements[child.name] {
                        comparison.outcomes.append(try outcome(child, comparison: number, dataType: dataType, studies: studies))
                    } else if unsupportedOutcomeElements.contains(child.name) {
                        let n = try integer(child, "NO", location: "Outcome on line \(child.line)")
                        comparison.unsupportedOutcomes.append(RevManUnsupportedOutcome(
                            comparison: number, number: n, name: child.child(named: "NAME")?.text ?? "", dataType: child.name))
                    }
                }
                comparisons.append(comparison)
            }
        }
        return RevManReview(comparisons: comparisons)
    }

    /// Every STUDY element (included, excluded, awaiting, ongoing) by ID. The tree's depth is already bounded.
    private static func collectStudies(_ node: XMLElementNode, into studies: inout [String: (name: String, year: String)], depth: Int) {
        for child in node.children {
            if child.name == "STUDY", let id = child.attribute("ID") {
                studies[id] = (child.attribute("NAME") ?? id, child.attribute("YEAR") ?? "")
            } else if child.name != "ANALYSES_AND_DATA" {
                collectStudies(child, into: &studies, depth: depth + 1)
            }
        }
    }

    private static func outcome(_ element: XMLElementNode, comparison: Int, dataType: RevManDataType,
                                studies: [String: (name: String, year: String)]) throws(RevManError) -> RevManOutcome {
        let outcomeNumber = try integer(element, "NO", location: "Outcome on line \(element.line) (comparison \(comparison))")
        let code = "\(comparison).\(outcomeNumber)"
        let location = "Outcome \(code)"
        let methodText = element.attribute("METHOD") ?? (dataType == .dichotomous ? "MH" : "IV")
        guard let method = RevManMethod(rawValue: methodText.uppercased()) else {
            throw .badValue(location: location, field: "METHOD", value: methodText, expected: "MH, IV or PETO")
        }
        let randomText = element.attribute("RANDOM") ?? "NO"
        guard randomText == "YES" || randomText == "NO" else {
            throw .badValue(location: location, field: "RANDOM", value: randomText, expected: "YES or NO")
        }
        let level = try number(element, "CI_TOTAL", location: location) ?? 95
        guard level > 0, level < 100 else {
            throw .badValue(location: location, field: "CI_TOTAL", value: element.attribute("CI_TOTAL") ?? "", expected: "a confidence level between 0 and 100")
        }
        let settings = RevManAnalysisSettings(method: method, effectMeasure: element.attribute("EFFECT_MEASURE") ?? "",
                                              randomEffects: randomText == "YES", confidenceLevel: level)
        let prefix = String(element.name.prefix { $0 != "_" })  // DICH, CONT, IV
        var outcome = RevManOutcome(comparison: comparison, number: outcomeNumber, name: element.child(named: "NAME")?.text ?? "",
                                    dataType: dataType, settings: settings,
                                    groupLabel1: element.child(named: "GROUP_LABEL_1")?.text ?? "",
                                    groupLabel2: element.child(named: "GROUP_LABEL_2")?.text ?? "",
                                    studies: [], reported: try reported(element, location: location))
        for child in element.children {
            if child.name == "\(prefix)_DATA" {
                outcome.studies.append(try study(child, dataType: dataType, settings: settings, subgroup: nil, code: code, studies: studies))
            } else if child.name == "\(prefix)_SUBGROUP" {
                let subgroupNumber = try integer(child, "NO", location: "\(location), subgroup on line \(child.line)")
                let name = child.child(named: "NAME")?.text ?? "Subgroup \(subgroupNumber)"
                guard !outcome.subgroups.contains(name) else {
                    throw .badValue(location: "\(location), subgroup \(subgroupNumber)", field: "NAME", value: name,
                                    expected: "a subgroup name not used by another subgroup")
                }
                outcome.subgroups.append(name)
                if let result = try reported(child, location: "\(location), subgroup \(subgroupNumber)") {
                    outcome.reportedBySubgroup[name] = result
                }
                for row in child.children(named: "\(prefix)_DATA") {
                    outcome.studies.append(try study(row, dataType: dataType, settings: settings, subgroup: name, code: code, studies: studies))
                }
            }
        }
        return outcome
    }

    private static func study(_ element: XMLElementNode, dataType: RevManDataType, settings: RevManAnalysisSettings,
                              subgroup: String?, code: String,
                              studies: [String: (name: String, year: String)]) throws(RevManError) -> RevManStudyRow {
        guard let id = element.attribute("STUDY_ID"), let described = studies[id] else {
            throw .unknownStudy(id: element.attribute("STUDY_ID") ?? "(no STUDY_ID on line \(element.line))", outcome: code)
        }
        let location = "Outcome \(code), study '\(described.name)'"
        var values: [EscalcArgument: Double?] = [:]
        switch dataType {
        case .dichotomous:
            for (argument, attribute) in [(EscalcArgument.ai, "EVENTS_1"), (.n1i, "TOTAL_1"), (.ci, "EVENTS_2"), (.n2i, "TOTAL_2")] {
                values[argument] = try count(element, attribute, location: location)
            }
        case .continuous:
            for (argument, attribute) in [(EscalcArgument.m1i, "MEAN_1"), (.m2i, "MEAN_2")] {
                values[argument] = try number(element, attribute, location: location)
            }
            for (argument, attribute) in [(EscalcArgument.sd1i, "SD_1"), (.sd2i, "SD_2")] {
                values[argument] = try nonNegative(element, attribute, location: location)
            }
            for (argument, attribute) in [(EscalcArgument.n1i, "TOTAL_1"), (.n2i, "TOTAL_2")] {
                values[argument] = try count(element, attribute, location: location)
            }
        case .genericInverseVariance:
            // RevMan enters generic inverse-variance data on the analysis scale (log for ratio measures) with its
            // SE; where the file also has the study's CI (on the measure's scale), the estimate must agree with it.
            let y = try number(element, "EFFECT_SIZE", location: location)
            let se = try nonNegative(element, "SE", location: location)
            values[.yi] = y
            values[.sei] = se
            if let y, let se, let lower = try number(element, "CI_START", location: location),
               let upper = try number(element, "CI_END", location: location), se > 0 {
                let z = 1.959963984540054
                let (l, u) = settings.isRatio ? (exp(y - z * se), exp(y + z * se)) : (y - z * se, y + z * se)
                let agrees = abs(l - lower) <= 1e-3 * max(1, abs(lower)) && abs(u - upper) <= 1e-3 * max(1, abs(upper))
                guard agrees else {
                    throw .badValue(location: location, field: "EFFECT_SIZE", value: element.attribute("EFFECT_SIZE") ?? "",
                                    expected: "an estimate on the analysis scale\(settings.isRatio ? " (log)" : "") whose 95% CI with SE matches CI_START..CI_END (\(element.attribute("CI_START") ?? "")..\(element.attribute("CI_END") ?? ""))")
                }
            }
        }
        return RevManStudyRow(name: described.name, year: described.year, subgroup: subgroup, values: values)
    }

    private static func reported(_ element: XMLElementNode, location: String) throws(RevManError) -> RevManReportedResult? {
        guard let estimate = try number(element, "EFFECT_SIZE", location: location) else { return nil }
        return RevManReportedResult(
            estimate: estimate, ciLower: try number(element, "CI_START", location: location),
            ciUpper: try number(element, "CI_END", location: location), q: try number(element, "CHI2", location: location),
            degreesOfFreedom: try number(element, "DF", location: location), pQ: try number(element, "P_CHI2", location: location),
            iSquared: try number(element, "I2", location: location), tauSquared: try number(element, "TAU2", location: location),
            z: try number(element, "Z", location: location), pZ: try number(element, "P_Z", location: location))
    }

    // MARK: Attribute values

    /// A finite number, or nil when the attribute is absent or empty.
    private static func number(_ element: XMLElementNode, _ key: String, location: String) throws(RevManError) -> Double? {
        guard let raw = element.attribute(key) else { return nil }
        return try parseNumber(raw, location: location, field: key)
    }

    private static func nonNegative(_ element: XMLElementNode, _ key: String, location: String) throws(RevManError) -> Double? {
        guard let x = try number(element, key, location: location) else { return nil }
        guard x >= 0 else { throw .badValue(location: location, field: key, value: element.attribute(key) ?? "", expected: "a number ≥ 0") }
        return x
    }

    private static func count(_ element: XMLElementNode, _ key: String, location: String) throws(RevManError) -> Double? {
        guard let x = try number(element, key, location: location) else { return nil }
        guard x >= 0, x == x.rounded() else {
            throw .badValue(location: location, field: key, value: element.attribute(key) ?? "", expected: "a whole count ≥ 0")
        }
        return x
    }

    private static func integer(_ element: XMLElementNode, _ key: String, location: String) throws(RevManError) -> Int {
        let raw = element.attribute(key) ?? ""
        guard let n = Int(raw.trimmingSpaces()), n >= 0 else {
            throw .badValue(location: location, field: key, value: raw, expected: "a whole number ≥ 0")
        }
        return n
    }

    static func parseNumber(_ raw: String, location: String, field: String) throws(RevManError) -> Double? {
        let text = raw.trimmingSpaces()
        if text.isEmpty { return nil }
        guard let x = DataTable.parseDouble(text), x.isFinite else {
            throw .badValue(location: location, field: field, value: raw, expected: "a finite number")
        }
        return x
    }
}

// MARK: Cochrane data package CSV

extension RevManReview {
    /// Data Type codes of the data package and their data types.
    static let csvDataTypes: [String: RevManDataType] = ["DIC": .dichotomous, "CON": .continuous, "IV": .genericInverseVariance, "GIV": .genericInverseVariance]

    /// Reads the CSV. Rows: a comparison (Outcome Number 0); an outcome (Data Type given; its pooled result); a
    /// subgroup (Subgroup Number > 0, no Data Type, df given: its name and pooled result); otherwise a study of the
    /// outcome (and subgroup) its numbers name. Not UTF-8 is read as ISO-8859-1.
    static func readDataPackageCSV(_ raw: [UInt8]) throws(RevManError) -> RevManReview {
        var bytes = raw
        if String(validating: raw, as: UTF8.self) == nil {
            bytes = Array(String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) })).utf8)
        }
        let table: DataTable
        do { table = try DataTable(csv: bytes) } catch { throw .csv(error) }
        func column(_ name: String) throws(RevManError) -> [String] {
            do { return try table.strings(name, neededBy: "a Cochrane data package") } catch { throw .csv(error) }
        }
        let comparisonNo = try column("Comparison Number"), outcomeNo = try column("Outcome Number")
        let subgroupNo = try column("Subgroup Number"), names = try column("Name"), types = try column("Data Type")
        let methods = try column("Statistical Method"), measures = try column("Effect Measure"), models = try column("Analysis Model")
        let df = try column("df")
        let optional: (String) -> [String] = { name in (try? table.strings(name, neededBy: "")) ?? Array(repeating: "", count: table.rowCount) }
        let years = optional("Year of study"), label1 = optional("Group Label 1"), label2 = optional("Group Label 2")
        var cells: [String: [String]] = [:]
        for name in ["Events 1", "Mean 1", "SD 1", "Total 1", "Events 2", "Mean 2", "SD 2", "Total 2", "Effect Estimate", "SE",
                     "CI Start", "CI End", "Q", "P(Q)", "I²(Q)", "Tau²", "Z", "P(Z)"] {
            cells[name] = optional(name)
        }
        func value(_ name: String, _ r: Int, _ location: String) throws(RevManError) -> Double? {
            try parseNumber(cells[name]![r], location: location, field: name)
        }

        var comparisons: [RevManComparison] = []
        // (comparison, outcome) → index in comparisons[c].outcomes, or nil for an unsupported outcome.
        var outcomeIndex: [String: (Int, Int?)] = [:]
        var subgroupNames: [String: String] = [:]
        for r in 0..<table.rowCount {
            let rowLocation = "Row \(r + 1)"
            func integer(_ cells: [String], _ field: String) throws(RevManError) -> Int {
                guard let n = Int(cells[r].trimmingSpaces()), n >= 0 else {
                    throw .badValue(location: rowLocation, field: field, value: cells[r], expected: "a whole number ≥ 0")
                }
                return n
            }
            let c = try integer(comparisonNo, "Comparison Number"), o = try integer(outcomeNo, "Outcome Number")
            let s = try integer(subgroupNo, "Subgroup Number")
            let type = types[r].trimmingSpaces()
            if o == 0 {
                comparisons.append(RevManComparison(number: c, name: names[r], outcomes: []))
                continue
            }
            guard let ci = comparisons.lastIndex(where: { $0.number == c }) else {
                throw .badValue(location: rowLocation, field: "Comparison Number", value: comparisonNo[r],
                                expected: "a comparison introduced by an earlier row with Outcome Number 0")
            }
            let code = "\(c).\(o)"
            if !type.isEmpty {
                guard let dataType = csvDataTypes[type.uppercased()] else {
                    comparisons[ci].unsupportedOutcomes.append(RevManUnsupportedOutcome(comparison: c, number: o, name: names[r], dataType: type))
                    outcomeIndex[code] = (ci, nil)
                    continue
                }
                let location = "\(rowLocation) (outcome \(code))"
                let methodText = methods[r].trimmingSpaces().uppercased()
                guard let method = RevManMethod(rawValue: methodText) else {
                    throw .badValue(location: location, field: "Statistical Method", value: methods[r], expected: "MH, IV or Peto")
                }
                let model = models[r].trimmingSpaces().lowercased()
                guard model == "fixed" || model == "random" else {
                    throw .badValue(location: location, field: "Analysis Model", value: models[r], expected: "Fixed or Random")
                }
                let settings = RevManAnalysisSettings(method: method, effectMeasure: measures[r].trimmingSpaces(), randomEffects: model == "random")
                let outcome = RevManOutcome(comparison: c, number: o, name: names[r], dataType: dataType, settings: settings,
                                            groupLabel1: label1[r], groupLabel2: label2[r], studies: [],
                                            reported: try reportedCSV(r, location, value, df: df[r]))
                comparisons[ci].outcomes.append(outcome)
                outcomeIndex[code] = (ci, comparisons[ci].outcomes.count - 1)
                continue
            }
            guard let (oc, index) = outcomeIndex[code] else {
                throw .badValue(location: rowLocation, field: "Outcome Number", value: outcomeNo[r],
                                expected: "an outcome introduced by an earlier row with its Data Type")
            }
            guard let oi = index else { continue }  // a row of an outcome that cannot be imported
            let location = "\(rowLocation) (outcome \(code))"
            if s > 0, !df[r].trimmingSpaces().isEmpty {
                let name = names[r]
                subgroupNames["\(code).\(s)"] = name
                comparisons[oc].outcomes[oi].subgroups.append(name)
                if let result = try reportedCSV(r, location, value, df: df[r]) {
                    comparisons[oc].outcomes[oi].reportedBySubgroup[name] = result
                }
                continue
            }
            var subgroup: String?
            if s > 0 {
                guard let name = subgroupNames["\(code).\(s)"] else {
                    throw .badValue(location: location, field: "Subgroup Number", value: subgroupNo[r],
                                    expected: "a subgroup introduced by an earlier row")
                }
                subgroup = name
            }
            let outcome = comparisons[oc].outcomes[oi]
            let studyLocation = "\(location), study '\(names[r])'"
            var values: [EscalcArgument: Double?] = [:]
            let fields: [(EscalcArgument, String)]
            switch outcome.dataType {
            case .dichotomous: fields = [(.ai, "Events 1"), (.n1i, "Total 1"), (.ci, "Events 2"), (.n2i, "Total 2")]
            case .continuous: fields = [(.m1i, "Mean 1"), (.sd1i, "SD 1"), (.n1i, "Total 1"), (.m2i, "Mean 2"), (.sd2i, "SD 2"), (.n2i, "Total 2")]
            case .genericInverseVariance: fields = [(.yi, "Effect Estimate"), (.sei, "SE")]
            }
            for (argument, field) in fields {
                var x = try value(field, r, studyLocation)
                if argument == .yi, outcome.settings.isRatio, let ratio = x {
                    // The data package prints ratio estimates on their own scale; the analysis scale is the log.
                    guard ratio > 0 else {
                        throw .badValue(location: studyLocation, field: field, value: cells[field]![r], expected: "a ratio > 0")
                    }
                    x = log(ratio)
                }
                values[argument] = x
            }
            comparisons[oc].outcomes[oi].studies.append(
                RevManStudyRow(name: names[r], year: years[r].trimmingSpaces(), subgroup: subgroup, values: values))
        }
        return RevManReview(comparisons: comparisons)
    }

    private static func reportedCSV(_ r: Int, _ location: String,
                                    _ value: (String, Int, String) throws(RevManError) -> Double?,
                                    df: String) throws(RevManError) -> RevManReportedResult? {
        guard let estimate = try value("Effect Estimate", r, location) else { return nil }
        return RevManReportedResult(
            estimate: estimate, ciLower: try value("CI Start", r, location), ciUpper: try value("CI End", r, location),
            q: try value("Q", r, location), degreesOfFreedom: try parseNumber(df, location: location, field: "df"),
            pQ: try value("P(Q)", r, location), iSquared: try value("I²(Q)", r, location), tauSquared: try value("Tau²", r, location),
            z: try value("Z", r, location), pZ: try value("P(Z)", r, location))
    }
}
