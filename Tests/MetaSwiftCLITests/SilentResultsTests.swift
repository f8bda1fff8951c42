import Foundation
import MetaSwiftCLI
import Testing

/// Issue 16 defect 5: options that were ignored or misread while the run exited 0. Each now either changes the
/// result as metafor's does (values from metafor 3.8-1 on R 4.2.2, closed-form estimators only, 1e-10 relative)
/// or is refused with one sentence naming the option.
@Suite("metaswift options never silently ignored")
struct SilentResultsTests {
    static let weighted = "study,yi,vi,w,x\na,0.1,0.01,10,1\nb,0.3,0.02,20,2\nc,0.2,0.015,5,3\nd,0.5,0.03,8,4\ne,0.05,0.01,30,5\nf,0.4,0.05,12,6\n"

    static func json(_ arguments: [String], csv: String) throws -> [String: Any] {
        let r = try ReliabilityCommandTests.run(arguments + ["--format", "json"], csv: csv)
        #expect(r.exitCode == 0, "\(arguments): \(r.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    static func close(_ a: Double?, _ b: Double, _ what: String) {
        guard let a else { Issue.record("\(what): missing"); return }
        #expect(abs(a - b) <= 1e-10 * max(abs(b), 1e-300) || abs(a - b) < 1e-14, "\(what): \(a) vs metafor \(b)")
    }

    static func numbers(_ any: Any?) -> [Double] { (any as? [Double]) ?? ((any as? Double).map { [$0] } ?? []) }

    /// `--weights` was used by GENQ/GENQM only; metafor estimates β with the user weights under every method
    /// (τ² unaffected): rma(yi, vi, weights = w, method = "DL"/"EE", test = "z"/"knha"), with and without mods.
    @Test func userWeightsEstimateTheCoefficientsUnderEveryMethod() throws {
        let cases: [([String], beta: [Double], se: [Double], tau2: Double)] = [
            (["--method", "DL", "--test", "z"], [0.215294117647058823], [0.075478175299], 0.008368340164),
            (["--method", "DL", "--test", "knha"], [0.215294117647058823], [0.076579612270], 0.008368340164),
            (["--method", "EE", "--test", "z"], [0.215294117647058823], [0.061689029269], 0),
            (["--method", "DL", "--test", "z", "--mods", "x"], [0.221031143183, -0.001528674516], [0.187681328446, 0.049354005153], 0.016153508772),
            (["--method", "DL", "--test", "knha", "--mods", "x"], [0.221031143183, -0.001528674516], [0.184986640346, 0.048645390974], 0.016153508772),
        ]
        for (options, beta, se, tau2) in cases {
            let d = try Self.json(["pool", "--weights", "w"] + options, csv: Self.weighted)
            let what = options.joined(separator: " ")
            // metafor printed 12 decimals: compare at that resolution (the weighted mean itself is exact: 3.66/17).
            let b = Self.numbers(d["beta"]), s = Self.numbers(d["se"])
            #expect(b.count == beta.count && s.count == se.count, "\(what)")
            for j in 0..<min(b.count, beta.count) { #expect(abs(b[j] - beta[j]) < 5e-13, "\(what) beta[\(j)] \(b[j]) vs \(beta[j])") }
            for j in 0..<min(s.count, se.count) { #expect(abs(s[j] - se[j]) < 5e-13, "\(what) se[\(j)] \(s[j]) vs \(se[j])") }
            #expect(abs((d["tau2"] as? Double ?? .nan) - tau2) < 5e-13, "\(what) tau2")
        }
        // Leave-one-out refits keep the weights: leave1out(rma(..., weights = w, method = "DL"))$se.
        let l1o = try ReliabilityCommandTests.run(["sensitivity", "leave1out", "--weights", "w", "--method", "DL", "--test", "z",
                                                   "--format", "csv"], csv: Self.weighted)
        #expect(l1o.exitCode == 0, "\(l1o.standardError)")
        let rows = l1o.standardOutput.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let header = l1o.standardOutput.split(separator: "\n").first.map { $0.split(separator: ",").map(String.init) } ?? []
        let seColumn = try #require(header.firstIndex(of: "se"))
        let expected = [0.0898697116907, 0.0887595024634, 0.0899067633882, 0.0656775730311, 0.0855320376546, 0.0797503534999]
        #expect(rows.count == expected.count)
        for (row, se) in zip(rows, expected) { #expect(abs((Double(row[seColumn]) ?? .nan) - se) < 5e-13, "leave1out se \(row)") }
    }
}

extension SilentResultsTests {
    static let tables = "study,ai,bi,ci,di,x\na,4,119,11,128,1\nb,6,300,29,274,2\nc,3,228,11,209,3\nd,62,13536,248,12619,4\ne,33,5036,47,5761,5\n"
    static func refuse(_ r: CommandLineResult, _ words: [String], _ what: String) {
        ReliabilityCommandTests.expectOneSentenceRefusal(r, containing: words, what)
    }

    /// Options the chosen path would have ignored while provenance recorded them are refused, naming the option.
    @Test func ignoredOptionsAreRefused() throws {
        let cases: [([String], String, [String])] = [
            (["pool", "--measure", "OR", "--method", "MH", "--mods", "x"], Self.tables, ["--mods", "--method MH", "rma.mh"]),
            (["pool", "--measure", "OR", "--method", "PETO", "--subgroup", "x"], Self.tables, ["--subgroup", "--method PETO"]),
            (["pool", "--measure", "OR", "--method", "GLMM", "--mods", "x"], Self.tables, ["--mods", "--method GLMM", "not implemented"]),
            (["pool", "--measure", "OR", "--method", "MH", "--weights", "x"], Self.tables, ["--weights", "not to --method MH"]),
            (["pool", "--measure", "OR", "--method", "MH", "--tau2-ci", "PL", "--pi", "t"], Self.tables, ["--tau2-ci, --pi", "not to --method MH"]),
            (["pool", "--measure", "OR", "--model", "CM.EL"], Self.tables, ["--model", "--method GLMM", "'CM.EL'"]),
            (["pool", "--method", "EE", "--tau2-ci", "PL"], Self.weighted, ["--tau2-ci", "not --method EE", "'PL'"]),
            (["pool", "--tau2", "0.01", "--tau2-ci", "BJ"], Self.weighted, ["--tau2-ci", "a fixed --tau2"]),
            (["pool", "--mods", "x", "--tau2-ci", "PL"], Self.weighted, ["--tau2-ci", "without moderators", "--mods"]),
            (["pool", "--weights", "w", "--unweighted"], Self.weighted, ["--weights w and --unweighted"]),
            (["pool", "--level", "0.05"], Self.weighted, ["--level", "'0.05'", "fraction above 0.5"]),
            (["bias", "failsafe", "--type", "Orwin", "--target", "nan"], Self.weighted, ["--target", "finite", "'nan'"]),
            (["bias", "failsafe", "--target", "0.1"], Self.weighted, ["--target", "--type Orwin"]),
            (["sensitivity", "gosh", "--exhaustive-limit", "41"], Self.weighted, ["--exhaustive-limit", "0 to 40"]),
        ]
        for (arguments, csv, words) in cases {
            Self.refuse(try ReliabilityCommandTests.run(arguments, csv: csv), words, arguments.joined(separator: " "))
        }
    }

    /// `--level 0.95` gave a 0.95 % interval; metafor reads a level below 1 as a fraction.
    @Test func levelGivenAsAFractionIsAPercentage() throws {
        let fraction = try Self.json(["pool", "--level", "0.9"], csv: Self.weighted)
        let percent = try Self.json(["pool", "--level", "90"], csv: Self.weighted)
        #expect(fraction["level"] as? Double == 90)
        #expect(fraction["ci_lb"] as? Double == percent["ci_lb"] as? Double && fraction["ci_ub"] as? Double == percent["ci_ub"] as? Double)
    }

    /// `--pi riley` at k = 2 printed (−∞, ∞); metafor's predict.rma floors the df at 1:
    /// rma(c(0.1, 0.4), c(0.01, 0.02), method = "DL"), PI = 0.2333… ∓ qt(0.975, 1)·√(SE² + τ²), computed in R 4.2.2.
    @Test func rileyPredictionIntervalAtTwoStudiesHasOneDegreeOfFreedom() throws {
        let d = try Self.json(["pool", "--method", "DL", "--test", "z", "--pi", "riley"], csv: "study,yi,vi\na,0.1,0.01\nb,0.4,0.02\n")
        let predict = try #require(d["predict"] as? [String: Any])
        // τ² = 0.03, SE² = 1/(1/0.04 + 1/0.05) = 1/45: half-width 12.706204736174694·√(0.03 + 1/45).
        let half = 12.706204736174694 * (0.03 + 1.0 / 45).squareRoot()
        Self.close(predict["pi_lb"] as? Double, 0.7 / 3 - half, "pi_lb")
        Self.close(predict["pi_ub"] as? Double, 0.7 / 3 + half, "pi_ub")
    }

    /// Identical effects: metafor's influence under z is finite (cook.d 0, cov.r 1.5454545455 for study 1); under
    /// Knapp–Hartung the scale is 0 (metafor: SE 0 and an infinite statistic), refused here naming --test.
    @Test func identicalEffectsGiveFiniteInfluenceOrATypedRefusal() throws {
        let same = "study,yi,vi\na,0.2,0.01\nb,0.2,0.02\nc,0.2,0.03\nd,0.2,0.01\n"
        let z = try ReliabilityCommandTests.run(["sensitivity", "influence", "--test", "z", "--format", "csv"], csv: same)
        #expect(z.exitCode == 0, "\(z.standardError)")
        let lines = z.standardOutput.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let covr = try #require(lines.first?.firstIndex(of: "cov_r")), cook = try #require(lines.first?.firstIndex(of: "cook_d"))
        #expect(lines.count == 5)
        Self.close(Double(lines[1][covr]), 1.5454545455, "cov_r")
        #expect(lines.dropFirst().allSatisfy { abs(Double($0[cook]) ?? .nan) < 1e-20 }, "cook_d (rounding of 0)")
        for command in [["pool"], ["sensitivity", "influence"], ["pool", "--mods", "x"]] {
            let r = try ReliabilityCommandTests.run(command, csv: "study,yi,vi,x\na,0.2,0.01,1\nb,0.2,0.02,2\nc,0.2,0.03,3\nd,0.2,0.01,4\n")
            Self.refuse(r, ["--test", "knha", "use z or adhoc"], command.joined(separator: " "))
        }
    }

    /// A Q-profile interval whose bounds both fall below 0 printed as [0, 0]; it is now marked "<" on both bounds
    /// with metafor's sentence, and `empty_set` in JSON.
    @Test func emptySetHeterogeneityIntervalIsSaidSo() throws {
        let same = "study,yi,vi\na,0.2,0.01\nb,0.2,0.02\nc,0.2,0.03\nd,0.2,0.01\n"
        let text = try ReliabilityCommandTests.run(["pool", "--test", "z"], csv: same)
        #expect(text.standardOutput.contains("tau^2     0.0000  <0.0000  <0.0000"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("the CI is the empty set"))
        let d = try Self.json(["pool", "--test", "z"], csv: same)
        let confint = try #require(d["confint"] as? [String: Any])
        #expect(confint["empty_set"] as? Bool == true && confint["lb_sign"] as? String == "<")
        let ordinary = try Self.json(["pool"], csv: Self.weighted)
        #expect((ordinary["confint"] as? [String: Any])?["empty_set"] == nil)
    }

    /// GOSH: `--exhaustive` beyond 40 studies sampled silently; `--subsets` above 2^k − 1 drew repeats (metafor
    /// then fits every subset).
    @Test func goshNeverSamplesWhenAllSubsetsWereAskedFor() throws {
        var many = "study,yi,vi\n"
        for i in 0..<41 { many += "s\(i),\(Double(i % 5) / 10),0.0\(i % 4 + 1)\n" }
        Self.refuse(try ReliabilityCommandTests.run(["sensitivity", "gosh", "--exhaustive", "--method", "DL"], csv: many),
                    ["--exhaustive", "at most 40 studies", "have 41"], "gosh --exhaustive at k = 41")
        let five = "study,yi,vi\na,0.1,0.01\nb,0.3,0.02\nc,0.2,0.015\nd,0.5,0.03\ne,0.05,0.01\n"
        let r = try ReliabilityCommandTests.run(["sensitivity", "gosh", "--exhaustive-limit", "2", "--subsets", "1000", "--format", "csv"], csv: five)
        #expect(r.exitCode == 0, "\(r.standardError)")
        let rows = r.standardOutput.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("#") }
        #expect(rows.count == 31 && Set(rows).count == 31, "\(rows.count) rows")
    }

    /// Empty and NA study labels are refused naming the rows.
    @Test func emptyStudyLabelsAreRefused() throws {
        Self.refuse(try ReliabilityCommandTests.run(["pool"], csv: "study,yi,vi\na,0.1,0.01\n,0.3,0.02\nc,0.2,0.03\n"),
                    ["Row 2, column 'study'", "missing"], "empty label")
        Self.refuse(try ReliabilityCommandTests.run(["escalc"], csv: "study,yi,vi\na,0.1,0.01\nNA,0.3,0.02\n"),
                    ["Row 2, column 'study'", "'NA'"], "NA label")
    }

    /// Repeated study labels are numbered in every command as metafor numbers them (`.make.unique`: A, A, B, A →
    /// A.1, A.2, B, A.3), with a note per row. Evidence, metafor 3.8-1 on this machine: `rownames(leave1out(rma(yi, vi,
    /// slab = s)))` and `names(weights(...))` for yi = .1, .3, .5, .2, vi = .01, .02, .03, .02, s = A, A, B, A are A.1,
    /// A.2, B, A.3; leave1out's estimates 0.3125, 0.2325, 0.1750, 0.2673.
    @Test func repeatedStudyLabelsAreNumberedAsMetaforDoes() throws {
        let repeated = "study,yi,vi\nA,.1,.01\nA,.3,.02\nB,.5,.03\nA,.2,.02\n"
        let numbered = ["A.1", "A.2", "B", "A.3"]
        for command in [["sensitivity", "leave1out"], ["sensitivity", "influence"], ["sensitivity", "cumulative"]] {
            let r = try ReliabilityCommandTests.run(command + ["--format", "csv"], csv: repeated)
            #expect(r.exitCode == 0, "\(command): \(r.standardError)")
            let labels = r.standardOutput.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("#") }.map { String($0.prefix { $0 != "," }) }
            #expect(Set(labels) == Set(numbered) && labels.count == 4, "\(command): \(labels)")
        }
        let text = try ReliabilityCommandTests.run(["sensitivity", "leave1out"], csv: repeated)
        #expect(text.standardOutput.contains("Note: Row 4: study label 'A' renamed 'A.3'"), "\(text.standardOutput)")
        let leave1out = try ReliabilityCommandTests.run(["sensitivity", "leave1out", "--method", "REML", "--test", "z", "--format", "csv"], csv: repeated)
        let estimates = leave1out.standardOutput.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
        for (ours, metafor) in zip(estimates, [0.3125, 0.2325, 0.1750, 0.2673]) { #expect(abs(ours - metafor) < 5e-5) }
        let pool = try ReliabilityCommandTests.run(["pool", "--format", "json"], csv: repeated)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(pool.standardOutput.utf8)) as? [String: Any])
        #expect(json["study"] as? [String] == numbered)
        // metafor's single pass would leave 'a.1' twice here; the labels are numbered again until unique.
        let collision = try ReliabilityCommandTests.run(["pool", "--format", "json"], csv: "study,yi,vi\na.1,.1,.01\na,.3,.02\na,.5,.03\n")
        let collided = try #require(try JSONSerialization.jsonObject(with: Data(collision.standardOutput.utf8)) as? [String: Any])
        #expect(collided["study"] as? [String] == ["a.1.1", "a.1.2", "a.2"])
    }

    /// Issue 16, defect 8: trim-and-fill on equal variances blamed "Moderator 'sei'"; metafor 3.8-1 stops there too
    /// (`trimfill(rma(yi, rep(0.04, 5)))`: "missing value where TRUE/FALSE needed", its slope is NA) and fits with
    /// `side = "left"`. The sentence now says why and names --side, and --side runs.
    @Test func trimAndFillOnEqualVariancesNamesTheSide() throws {
        let equal = "study,yi,vi\na,0.1,0.04\nb,0.3,0.04\nc,0.5,0.04\nd,0.2,0.04\ne,0.9,0.04\n"
        Self.refuse(try ReliabilityCommandTests.run(["bias", "trimfill"], csv: equal),
                    ["Trim-and-fill cannot choose the side", "same sampling variance (0.04)", "--side left or right"], "trimfill")
        let sided = try ReliabilityCommandTests.run(["bias", "trimfill", "--side", "left"], csv: equal)
        #expect(sided.exitCode == 0, "\(sided.standardError)")
    }

    /// The JSON reader replaced invalid UTF-8 with U+FFFD silently; `merge` now names the byte.
    @Test func invalidUTF8InAJSONShardIsRefused() throws {
        let path = try ReliabilityCommandTests.temporaryFile(Array("{\"kind\":\"".utf8) + [0xFF] + Array("\"}".utf8), suffix: "json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        Self.refuse(MetaSwiftCommand.runCapturing(["merge", path]), ["not a JSON shard file", "UTF-8 text at byte 9"], "invalid UTF-8")
    }
}
