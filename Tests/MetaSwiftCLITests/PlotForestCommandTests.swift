import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MetaSwiftCLI
import Testing

private let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let bankData = testsDirectory.deletingLastPathComponent().appendingPathComponent("ConformanceTests/Bank/data").path

/// The SVG's elements in document order with their class and visible text, geometry left out: what a
/// golden file pins (structure and every printed number), not pixels.
private func skeleton(_ svg: String) -> String {
    let geometry = try! NSRegularExpression(pattern: #" (x|y|x1|x2|y1|y2|cx|cy|r|width|height|points|viewBox|transform)="[^"]*""#)
    return svg.split(separator: "\n").map { line in
        let text = String(line)
        return geometry.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
    }.joined(separator: "\n") + "\n"
}

private func isWellFormedXML(_ svg: String) -> Bool { XMLParser(data: Data(svg.utf8)).parse() }

private func temporaryCSV(_ text: String, name: String) throws -> String {
    let path = NSTemporaryDirectory() + "metaswift-forest-\(name)-\(getpid()).csv"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("metaswift plot forest")
struct PlotForestCommandTests {
    /// The BCG forest plot (Colditz et al. 1994; metafor's dat.bcg) with events/total columns, metafor's model:
    /// element structure and every printed text pinned by `Golden/forest-bcg.svg.txt`. After an intended change,
    /// regenerate with METASWIFT_UPDATE_GOLDEN=1 and read the diff.
    @Test func bcgGoldenStructure() throws {
        let r = MetaSwiftCommand.runCapturing([
            "plot", "forest", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--preset", "metafor",
            "--columns", "Vaccinated=ai/ai+bi,Control=ci/ci+di", "--title", "BCG vaccine and tuberculosis",
        ])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(isWellFormedXML(r.standardOutput))
        let golden = testsDirectory.appendingPathComponent("Golden/forest-bcg.svg.txt")
        let actual = skeleton(r.standardOutput)
        if ProcessInfo.processInfo.environment["METASWIFT_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected)
        // The numbers a reader checks first, against metafor 3.8-1 (rma(measure = "RR", method = "REML")):
        // RR 0.49 [0.34, 0.70], PI [0.15, 1.55]; Aronson 1948 4/123 vs 11/139, RR 0.41 [0.13, 1.26].
        for text in [">0.49<", ">[0.34,<", ">0.70]<", ">[0.15,<", ">1.55]<", ">4/123<", ">11/139<", ">0.41<", ">[0.13,<", ">1.26]<"] {
            #expect(r.standardOutput.contains(text), "\(text)")
        }
    }

    /// One study: nothing is pooled, so no diamond, prediction interval or "Weight 100%", and the plot says
    /// that heterogeneity is undefined (a reviewer would otherwise read a pooled result into it).
    @Test func singleStudyIsNotPooled() throws {
        let path = try temporaryCSV("study,yi,vi\nOnly trial,0.4,0.04\n", name: "single")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", path])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let svg = r.standardOutput
        #expect(isWellFormedXML(svg))
        #expect(svg.contains(">Only trial<"))
        #expect(!svg.contains("pooled-diamond") && !svg.contains("prediction-interval"))
        #expect(svg.contains("weight-square"))
        #expect(!svg.contains(">Weight<") && !svg.contains("100.0%"))
        #expect(svg.contains("One study: no pooled estimate; heterogeneity (τ², I², Q) is undefined."))
        #expect(!svg.contains("tau^2") && !svg.contains("knha"))
        // The study's own 95% CI: 0.4 ± 1.96 × 0.2 = [0.01, 0.79].
        #expect(svg.contains(">0.40<") && svg.contains(">[0.01,<") && svg.contains(">0.79]<"))
    }

    /// A subgroup with one study gets no diamond of its own but a note; the others and the overall model do.
    @Test func singleStudySubgroupIsNotPooled() throws {
        let path = try temporaryCSV("""
            study,yi,vi,group
            A,0.1,0.04,one
            B,0.5,0.05,two
            C,0.3,0.02,two
            D,0.6,0.03,two
            """, name: "subgroup")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", path, "--subgroup", "group"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let svg = r.standardOutput
        #expect(isWellFormedXML(svg))
        #expect(svg.components(separatedBy: "class=\"subgroup-diamond\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"pooled-diamond\"").count - 1 == 1)
        #expect(svg.contains("One study: not pooled; heterogeneity undefined."))
        #expect(svg.contains("Test for subgroup differences (separate τ²)"))
    }

    /// Studies the model leaves out (a double-zero table with --drop00) stay in the plot as "not estimable".
    @Test func omittedStudiesAreNamed() throws {
        let path = try temporaryCSV("""
            study,ai,n1i,ci,n2i
            Zero events,0,20,0,21
            Trial B,3,30,8,31
            Trial C,5,40,9,38
            """, name: "drop00")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", path, "--measure", "OR", "--drop00"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains(">Zero events<"))
        #expect(r.standardOutput.contains(">not estimable<"))
    }

    /// A long label wraps at spaces into lines of the label column instead of being cut.
    @Test func longLabelsWrapInsteadOfBeingCut() throws {
        let long = "Murrough et al. 2013, ketamine 0.5 mg/kg versus midazolam 0.045 mg/kg, inpatient arm"
        let path = try temporaryCSV("study,yi,vi\n\"\(long)\",0.4,0.04\nShort,0.2,0.05\n", name: "long")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", path])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let lines = r.standardOutput.split(separator: "\n").filter { $0.contains("class=\"label\"") }
            .compactMap { $0.split(separator: ">").dropFirst().first?.split(separator: "<").first.map(String.init) }
        let wrapped = lines.prefix { $0 != "Short" }
        #expect(wrapped.count >= 2 && lines.contains("Short"))
        #expect(wrapped.joined(separator: " ") == long)
        #expect(!r.standardOutput.contains("…"))
    }

    /// `--transform none` plots log risk ratios on a linear axis with the line of no effect at 0.
    @Test func transformNoneShowsTheScaleOfAnalysis() throws {
        let r = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--transform", "none"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains(">Log risk ratio<"))
        #expect(r.standardOutput.contains(">log RR [95% CI]<"))
        // Aronson 1948: log RR = −0.89 (escalc).
        #expect(r.standardOutput.contains(">\u{2212}0.89<"))
    }

    @Test func badOptionsAreOneSentenceErrors() throws {
        let missing = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--columns", "events/n"])
        #expect(missing.exitCode != 0)
        #expect(missing.standardError.hasPrefix("Error: ") && missing.standardError.contains("--columns"))
        #expect(missing.standardOutput.isEmpty)
        let wrongKind = MetaSwiftCommand.runCapturing(["plot", "funnel", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--subgroup", "alloc"])
        #expect(wrongKind.exitCode != 0)
        #expect(wrongKind.standardError.contains("forest plot only"))
        let mods = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--mods", "ablat"])
        #expect(mods.exitCode != 0)
        #expect(mods.standardError.contains("--subgroup"))
    }

    @Test func writesTheFileAtomically() throws {
        let out = NSTemporaryDirectory() + "metaswift-forest-\(getpid()).svg"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = MetaSwiftCommand.runCapturing(["plot", "forest", "--data", "\(bankData)/bcg.csv", "--measure", "RR", "--out", out])
        #expect(r.exitCode == 0 && r.standardOutput.isEmpty)
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(isWellFormedXML(svg) && svg.contains(">TPT Madras 1980<"))
    }
}
