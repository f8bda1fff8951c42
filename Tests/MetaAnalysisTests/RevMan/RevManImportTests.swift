import Foundation
import MetaAnalysis
import MetaData
import Testing

/// The fixture review (Fleiss 1993 examples, as distributed with R's meta 8.3-0): `Fleiss1993.rm5` (RevMan 5.0.23)
/// and the same review as a Cochrane data package CSV whose pooled rows are RevMan's own results.
enum RevManFixture {
    static let folder: String = {
        var path = #filePath
        while let last = path.last, last != "/" { path.removeLast() }
        return path + "../Fixtures/RevMan/"
    }()

    static func bytes(_ name: String) throws -> [UInt8] { try DataFile.bytes(folder + name) }
    static func review(_ name: String) throws -> RevManReview { try RevManReview(bytes: bytes(name)) }
}

/// A pooled result as RevMan reports it: ratio measures back on their own scale, |Z|.
struct PooledLikeRevMan {
    var estimate, ciLower, ciUpper, q, pQ, iSquared, tauSquared, z, pZ: Double
    var df: Int
    var weightsPercent: [Double]?
}

/// Pools an imported outcome with the library's existing models, chosen by the analysis settings read from the
/// file (method, effect measure, model): MH → `MantelHaenszelFit`; inverse variance fixed → the common-effect
/// model with a z-test; random effects → DerSimonian–Laird with a z-test (RevMan 5's random-effects model).
func poolLikeRevMan(_ outcome: RevManOutcome) throws -> PooledLikeRevMan {
    let data = outcome.table()
    let measure = try #require(outcome.escalcMeasure, "no escalc measure for \(outcome.settings.effectMeasure)")
    let ratio = outcome.settings.isRatio
    let back: (Double) -> Double = { ratio ? exp($0) : $0 }
    let level = outcome.settings.confidenceLevel
    if outcome.settings.method == .mantelHaenszel && !outcome.settings.randomEffects {
        let fit = try MantelHaenszelFit.fit(measure: measure, data: data,
                                            options: MantelHaenszelOptions(escalc: EscalcOptions(drop00: true, level: level)))
        let q = try #require(fit.heterogeneity.q)
        return PooledLikeRevMan(estimate: back(fit.pooled.estimate), ciLower: back(fit.pooled.ciLower), ciUpper: back(fit.pooled.ciUpper),
                                q: q.statistic, pQ: q.pValue, iSquared: fit.heterogeneity.iSquared ?? .nan, tauSquared: 0,
                                z: abs(fit.pooled.zValue), pZ: fit.pooled.pValue, df: q.degreesOfFreedom, weightsPercent: nil)
    }
    let sizes = try EffectSizes.compute(measure: measure, data: data, options: EscalcOptions(level: level))
    var options = RandomEffectsOptions(estimator: outcome.settings.randomEffects ? .derSimonianLaird : .commonEffect, test: .z)
    options.level = level
    let model = try RandomEffectsModel.fit(effectSizes: sizes.yi, samplingVariances: sizes.vi, studies: sizes.studies, options: options)
    // RevMan's I² is the Higgins–Thompson one from Q for either model.
    let q = try #require(model.cochranQ)
    let df = Double(model.cochranQDegreesOfFreedom)
    return PooledLikeRevMan(estimate: back(model.estimate), ciLower: back(model.confidenceLower), ciUpper: back(model.confidenceUpper),
                            q: q, pQ: try #require(model.cochranQPValue), iSquared: max(0, 100 * (q - df) / q),
                            tauSquared: model.tauSquared, z: abs(model.statistic), pZ: model.pValue,
                            df: model.cochranQDegreesOfFreedom, weightsPercent: model.weightsPercent)
}

/// `x` agrees with a number RevMan printed with `decimals` decimals (half a unit in the last printed place).
func agreesWithPrinted(_ x: Double, _ printed: Double, decimals: Int = 8) -> Bool {
    var unit = 1.0
    for _ in 0..<decimals { unit /= 10 }
    return abs(x - printed) <= unit / 2 + 1e-12
}

@Suite("RevMan import")
struct RevManImportTests {
    @Test func readsTheReviewFile() throws {
        let review = try RevManFixture.review("Fleiss1993.rm5")
        #expect(review.comparisons.map(\.number) == [1])
        #expect(review.comparisons[0].name == "Examples from Fleiss (1993)")
        let o = try review.outcome(comparison: 1, outcome: 1)
        #expect(o.name == "Aspirin for Preventing Death after Myocardial Infarction")
        #expect(o.dataType == .dichotomous)
        #expect(o.settings == RevManAnalysisSettings(method: .mantelHaenszel, effectMeasure: "OR", randomEffects: false, confidenceLevel: 95))
        #expect(o.escalcMeasure == .logOddsRatio)
        #expect((o.groupLabel1, o.groupLabel2) == ("Aspirin", "Control"))
        #expect(o.studies.map(\.name) == ["MRC-1", "CDP", "MRC-2", "GASP", "PARIS", "AMIS", "ISIS-2"])
        #expect(o.studies.map(\.year) == ["1974", "1976", "1979", "1979", "1980", "1980", "1988"])
        let t = o.table()
        #expect(t.columnNames == ["study", "year", "ai", "n1i", "ci", "n2i"])
        #expect(try t.numbers("ai", neededBy: "test") == [49, 44, 102, 32, 85, 246, 1570])
        #expect(try t.numbers("n2i", neededBy: "test") == [624, 771, 850, 309, 406, 2257, 8600])
        // RevMan's own pooled result is carried along.
        #expect(o.reported?.estimate == 0.8968655609130709)
        #expect(o.reported?.q == 9.946055983220074)

        let c = try review.outcome(comparison: 1, outcome: 2)
        #expect(c.dataType == .continuous)
        #expect(c.settings.effectMeasure == "SMD")  // the .rm5 says SMD (no results stored); the data package's row says MD
        #expect(c.table().columnNames == ["study", "year", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"])
        #expect(try c.table().numbers("sd2i", neededBy: "test") == [3.8, 2.3, 10.65, 1.66, 1.41])
        #expect(c.reported == nil)
    }

    @Test func dataPackageCSVGivesTheSameStudyRows() throws {
        let xml = try RevManFixture.review("Fleiss1993.rm5")
        let csv = try RevManFixture.review("Fleiss1993_CR.csv")
        for number in [1, 2] {
            let a = try xml.outcome(comparison: 1, outcome: number), b = try csv.outcome(comparison: 1, outcome: number)
            #expect(a.table() == b.table(), "outcome 1.\(number)")
            #expect(a.name == b.name)
        }
        let o = try csv.outcome(comparison: 1, outcome: 2)
        #expect(o.settings == RevManAnalysisSettings(method: .inverseVariance, effectMeasure: "MD", randomEffects: false))
    }

    /// Import, then the library's pooling with RevMan's settings: every pooled row of the data package to the
    /// digits RevMan printed (8 decimals).
    @Test(arguments: [1, 2])
    func reproducesRevMansPooledRows(outcome number: Int) throws {
        let review = try RevManFixture.review("Fleiss1993_CR.csv")
        let o = try review.outcome(comparison: 1, outcome: number)
        let revman = try #require(o.reported)
        let ours = try poolLikeRevMan(o)
        let pairs: [(String, Double, Double?)] = [
            ("estimate", ours.estimate, revman.estimate), ("CI start", ours.ciLower, revman.ciLower),
            ("CI end", ours.ciUpper, revman.ciUpper), ("Q", ours.q, revman.q),
            ("I²", ours.iSquared, revman.iSquared), ("Tau²", ours.tauSquared, revman.tauSquared),
            ("Z", ours.z, revman.z), ("P(Z)", ours.pZ, revman.pZ),
        ]
        for (name, x, printed) in pairs {
            let printed = try #require(printed, "RevMan's \(name) of 1.\(number)")
            #expect(agreesWithPrinted(x, printed), "1.\(number) \(name): ours \(x), RevMan \(printed)")
        }
        #expect(Double(ours.df) == revman.degreesOfFreedom)
        // P(Q) is the one number RevMan does not print exactly: its χ² tail is ~7e-8 above the exact upper tail of
        // its own Q (1.1: RevMan 0.12694225, R 4.2.2 pchisq(9.946055983220074, 6, lower.tail = FALSE) =
        // 0.126942177906295; 1.2: RevMan 0.22600895; metafor 3.8-1 rma(measure = "MD", method = "EE") on the imported rows: QE 5.6601237943624314,
        // QEp 0.226008892536947).
        // So P(Q) agrees with RevMan to 6 decimals and with the exact tail (R) to 1e-12.
        let exactPQ = [1: 0.126942177906295, 2: 0.226008892536947][number]!
        #expect(agreesWithPrinted(ours.pQ, try #require(revman.pQ), decimals: 6), "1.\(number) P(Q): ours \(ours.pQ), RevMan \(revman.pQ ?? .nan)")
        #expect(abs(ours.pQ - exactPQ) <= 1e-12 * exactPQ + 1e-13, "1.\(number) P(Q): ours \(ours.pQ), R \(exactPQ)")
    }

    /// The .rm5 stores RevMan's numbers at full precision: outcome 1.1 agrees to 1e-9 relative.
    @Test func reproducesTheReviewFilesFullPrecisionResult() throws {
        let o = try RevManFixture.review("Fleiss1993.rm5").outcome(comparison: 1, outcome: 1)
        let revman = try #require(o.reported)
        let ours = try poolLikeRevMan(o)
        let pairs: [(String, Double, Double?)] = [
            ("estimate", ours.estimate, revman.estimate), ("CI start", ours.ciLower, revman.ciLower),
            ("CI end", ours.ciUpper, revman.ciUpper), ("Q", ours.q, revman.q),
            ("I²", ours.iSquared, revman.iSquared), ("Z", ours.z, revman.z), ("P(Z)", ours.pZ, revman.pZ),
        ]
        // (P(Q): see reproducesRevMansPooledRows — RevMan's χ² tail is ~7e-8 off the exact one.)
        #expect(abs(ours.pQ - (revman.pQ ?? .nan)) <= 1e-6)
        for (name, x, reported) in pairs {
            let reported = try #require(reported)
            #expect(abs(x - reported) <= 1e-9 * abs(reported), "1.1 \(name): ours \(x), RevMan \(reported)")
        }
    }

    /// Per-study rows of the inverse-variance outcome: estimate, SE and weight as RevMan printed them.
    @Test func reproducesRevMansStudyRowsOfTheMeanDifference() throws {
        let o = try RevManFixture.review("Fleiss1993_CR.csv").outcome(comparison: 1, outcome: 2)
        let sizes = try EffectSizes.compute(measure: .meanDifference, data: o.table())
        let weights = try #require(try poolLikeRevMan(o).weightsPercent)
        let printed: [(y: Double, se: Double, w: Double)] = [
            (-1.5, 1.67630546, 2.79315513), (-1.2, 0.45085474, 38.61251498), (-2.4, 1.89175731, 2.19316111),
            (0.2, 0.49580742, 31.92826572), (-0.88, 0.56631484, 24.47290305),
        ]
        for (i, p) in printed.enumerated() {
            #expect(agreesWithPrinted(sizes.yi[i], p.y))
            #expect(agreesWithPrinted(sizes.vi[i].squareRoot(), p.se))
            #expect(agreesWithPrinted(weights[i], p.w))
        }
    }
}

@Suite("RevMan import: bad files")
struct RevManImportErrorTests {
    static func read(_ text: String) throws(RevManError) -> RevManReview { try RevManReview(bytes: Array(text.utf8)) }

    static func review(outcomes: String, studies: String = #"<STUDY ID="S1" NAME="Alpha" YEAR="2001"/>"#) -> String {
        """
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <COCHRANE_REVIEW><STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES>\(studies)</INCLUDED_STUDIES></STUDIES></STUDIES_AND_REFERENCES>
        <ANALYSES_AND_DATA><COMPARISON ID="CMP-001" NO="1"><NAME>Drug vs placebo</NAME>\(outcomes)</COMPARISON></ANALYSES_AND_DATA>
        </COCHRANE_REVIEW>
        """
    }

    static let dich = #"<DICH_OUTCOME NO="1" METHOD="MH" EFFECT_MEASURE="RR" RANDOM="NO"><NAME>Death</NAME><DICH_DATA STUDY_ID="S1" EVENTS_1="3" TOTAL_1="20" EVENTS_2="5" TOTAL_2="21"/></DICH_OUTCOME>"#

    @Test func notARevManFile() {
        #expect(throws: RevManError.notRevMan(found: "'study,yi,vi'")) { try Self.read("study,yi,vi\nA,1,2\n") }
        #expect(throws: RevManError.notRevMan(found: "an XML file whose root element is svg")) { try Self.read("<svg><g/></svg>") }
        #expect(throws: RevManError.notRevMan(found: "an empty file")) { try Self.read("") }
        let e = RevManError.notRevMan(found: "'study,yi,vi'").description
        #expect(e.contains("COCHRANE_REVIEW") && e.contains("Comparison Number"))
    }

    @Test func unknownDataTypeIsNamedWhenChosen() throws {
        let other = #"<OTHER_OUTCOME NO="2"><NAME>Narrative</NAME></OTHER_OUTCOME>"#
        let review = try Self.read(Self.review(outcomes: Self.dich + other))
        #expect(throws: RevManError.unknownDataType(outcome: "1.2 Narrative", dataType: "OTHER_OUTCOME")) {
            try review.outcome(comparison: 1, outcome: 2)
        }
        // The importable outcome next to it still reads.
        #expect(try review.outcome(comparison: 1, outcome: 1).table().rowCount == 1)
        // In the data package CSV, an unknown Data Type code.
        let csv = """
        Comparison Number,Outcome Number,Subgroup Number,Name,Data Type,Statistical Method,Effect Measure,Analysis Model,Events 1,Total 1,Events 2,Total 2,Effect Estimate,SE,df,Year of study
        1,0,0,Drug vs placebo,,,,,,,,,,,,
        1,1,0,Pain scores,OTH,,,,,,,,,,,
        """
        #expect(throws: RevManError.unknownDataType(outcome: "1.1 Pain scores", dataType: "OTH")) {
            try Self.read(csv).outcome(comparison: 1, outcome: 1)
        }
    }

    @Test func missingComparisonOrOutcomeListsThosePresent() throws {
        let review = try Self.read(Self.review(outcomes: Self.dich))
        let listing = ["1.1 Death (dichotomous, MH RR fixed, 1 study)"]
        #expect(throws: RevManError.comparisonNotFound(number: 4, present: ["1 Drug vs placebo"], outcomes: listing)) {
            try review.outcome(comparison: 4, outcome: 1)
        }
        #expect(throws: RevManError.outcomeNotFound(comparison: 1, number: 3, present: listing)) {
            try review.outcome(comparison: 1, outcome: 3)
        }
        #expect(RevManError.outcomeNotFound(comparison: 1, number: 3, present: listing).description
            == "Comparison 1 has no outcome 3; its outcomes are 1.1 Death (dichotomous, MH RR fixed, 1 study).")
        // A single outcome needs no choice; two do.
        #expect(try review.outcome(comparison: nil, outcome: nil).name == "Death")
        let two = try RevManFixture.review("Fleiss1993.rm5")
        #expect(throws: RevManError.self) { try two.outcome(comparison: nil, outcome: nil) }
        do {
            _ = try two.outcome(comparison: nil, outcome: nil)
        } catch {
            guard case let .outcomeNotChosen(present) = error else { Issue.record("unexpected \(error)"); return }
            #expect(present.count == 2 && present[0].hasPrefix("1.1 Aspirin") && present[1].hasPrefix("1.2 Mental Health"))
        }
    }

    @Test func badValuesAndUnknownStudiesAreNamed() {
        let bad = #"<DICH_OUTCOME NO="1" METHOD="MH" EFFECT_MEASURE="RR"><NAME>Death</NAME><DICH_DATA STUDY_ID="S1" EVENTS_1="3.5" TOTAL_1="20" EVENTS_2="5" TOTAL_2="21"/></DICH_OUTCOME>"#
        #expect(throws: RevManError.badValue(location: "Outcome 1.1, study 'Alpha'", field: "EVENTS_1", value: "3.5", expected: "a whole count ≥ 0")) {
            try Self.read(Self.review(outcomes: bad))
        }
        let stranger = Self.dich.replacingOccurrences(of: "S1", with: "S9")
        #expect(throws: RevManError.unknownStudy(id: "S9", outcome: "1.1")) { try Self.read(Self.review(outcomes: stranger)) }
        let method = Self.dich.replacingOccurrences(of: "METHOD=\"MH\"", with: "METHOD=\"BAYES\"")
        #expect(throws: RevManError.badValue(location: "Outcome 1.1", field: "METHOD", value: "BAYES", expected: "MH, IV or PETO")) {
            try Self.read(Self.review(outcomes: method))
        }
        #expect(throws: RevManError.noOutcomes) { try Self.read(Self.review(outcomes: "")) }
    }

    @Test func emptyValuesStayEmptyCellsAndTheAnalysisNamesThem() throws {
        let empty = #"<DICH_OUTCOME NO="1" METHOD="MH" EFFECT_MEASURE="OR"><NAME>Death</NAME><DICH_DATA STUDY_ID="S1" EVENTS_1="" TOTAL_1="20" EVENTS_2="5" TOTAL_2="21"/></DICH_OUTCOME>"#
        let table = try Self.read(Self.review(outcomes: empty)).outcome(comparison: 1, outcome: 1).table()
        #expect(try table.strings("ai", neededBy: "test") == [""])
        #expect(throws: InputError.missingValue(row: 1, column: "ai", value: "")) {
            try EffectSizes.compute(measure: .logOddsRatio, data: table)
        }
    }

    @Test func subgroupsBecomeAColumn() throws {
        let outcome = """
        <CONT_OUTCOME NO="1" EFFECT_MEASURE="MD" RANDOM="YES" SUBGROUPS="YES"><NAME>Pain</NAME>
        <CONT_SUBGROUP NO="1"><NAME>Adults</NAME><CONT_DATA STUDY_ID="S1" MEAN_1="1.5" SD_1="1" TOTAL_1="10" MEAN_2="2" SD_2="1.2" TOTAL_2="11"/></CONT_SUBGROUP>
        <CONT_SUBGROUP NO="2"><NAME>Children &amp; teens</NAME><CONT_DATA STUDY_ID="S2" MEAN_1="3" SD_1="2" TOTAL_1="12" MEAN_2="3.5" SD_2="2.5" TOTAL_2="13"/></CONT_SUBGROUP>
        </CONT_OUTCOME>
        """
        let studies = #"<STUDY ID="S1" NAME="Alpha" YEAR="2001"/><STUDY ID="S2" NAME="B&#233;ta" YEAR="2003"/>"#
        let o = try Self.read(Self.review(outcomes: outcome, studies: studies)).outcome(comparison: 1, outcome: 1)
        #expect(o.subgroups == ["Adults", "Children & teens"])
        #expect(o.settings.method == .inverseVariance && o.settings.randomEffects)
        let t = o.table()
        #expect(t.columnNames == ["study", "year", "subgroup", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"])
        #expect(try t.strings("study", neededBy: "test") == ["Alpha", "Béta"])
        #expect(try t.strings("subgroup", neededBy: "test") == ["Adults", "Children & teens"])
    }

    @Test func genericInverseVarianceReadsTheLogEstimateAndChecksItsInterval() throws {
        // log HR −0.2231 (HR 0.8), SE 0.1: 95% CI exp(−0.2231 ± 1.96·0.1) = 0.6577 .. 0.9731.
        let iv = #"<IV_OUTCOME NO="1" METHOD="IV" EFFECT_MEASURE="HR" RANDOM="NO"><NAME>Survival</NAME><IV_DATA STUDY_ID="S1" EFFECT_SIZE="-0.2231" SE="0.1" CI_START="0.6577" CI_END="0.9731"/></IV_OUTCOME>"#
        let o = try Self.read(Self.review(outcomes: iv)).outcome(comparison: 1, outcome: 1)
        #expect(o.escalcMeasure == .generic)
        #expect(o.table().columnNames == ["study", "year", "yi", "sei"])
        #expect(try o.table().numbers("yi", neededBy: "test") == [-0.2231])
        // An estimate on the ratio scale does not match its interval: an error, not a silently wrong log.
        let ratio = iv.replacingOccurrences(of: "EFFECT_SIZE=\"-0.2231\"", with: "EFFECT_SIZE=\"0.8\"")
        #expect(throws: RevManError.self) { try Self.read(Self.review(outcomes: ratio)) }
    }

    @Test func malformedXMLNeverCrashes() {
        let cases = [
            "<COCHRANE_REVIEW>", "<COCHRANE_REVIEW><A></B></COCHRANE_REVIEW>", "<COCHRANE_REVIEW A=1/>",
            "<COCHRANE_REVIEW A=\"1/>", "<COCHRANE_REVIEW>&bogus;</COCHRANE_REVIEW>", "<COCHRANE_REVIEW/>trailing",
            "<?xml version=\"1.0\" encoding=\"EBCDIC\"?><COCHRANE_REVIEW/>", "<", "<!-- open",
            "<COCHRANE_REVIEW><![CDATA[x</COCHRANE_REVIEW>",
            String(repeating: "<A>", count: 100_000),
        ]
        for text in cases {
            #expect(throws: RevManError.self, "\(text.prefix(40))") { try Self.read(text) }
        }
        let deep = "<COCHRANE_REVIEW>" + String(repeating: "<A>", count: 200) + String(repeating: "</A>", count: 200) + "</COCHRANE_REVIEW>"
        #expect(throws: RevManError.xml(reason: "elements nest deeper than 64 levels on line 1")) { try Self.read(deep) }
    }

    @Test func latin1BytesAreDecoded() throws {
        var bytes = Array(Self.review(outcomes: Self.dich, studies: #"<STUDY ID="S1" NAME="M#ller" YEAR="2001"/>"#).utf8)
        let i = try #require(bytes.firstIndex(of: UInt8(ascii: "#")))
        bytes[i] = 0xFC  // ü in ISO-8859-1
        let o = try RevManReview(bytes: bytes).outcome(comparison: 1, outcome: 1)
        #expect(o.studies[0].name == "Müller")
    }
}
