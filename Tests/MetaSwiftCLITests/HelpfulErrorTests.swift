import Foundation
import MetaData
import MetaAnalysis
import MetaReport
@testable import MetaSwiftCLI
import Testing
import _TestSupport
import TRDReview

/// Errors that help: codes in any case where the field's codes are unambiguous, "did you mean" for a mistyped
/// value or command, and the columns present when one is missing. Each sentence is pinned.
@Suite("Helpful errors: case-insensitive codes, did you mean, columns present")
struct HelpfulErrorTests {
    static func run(_ arguments: [String]) -> CommandLineResult { MetaSwiftCommand.runCapturing(arguments) }

    @Test("Codes in any case give the same output as the canonical spelling")
    func caseInsensitiveCodes() {
        let canonical = Self.run(["pool", "--data", BCG.path, "--measure", "RR", "--method", "REML", "--test", "knha", "--format", "json"])
        #expect(canonical.exitCode == 0)
        let folded = Self.run(["pool", "--data", BCG.path, "--measure", "rr", "--method", "reml", "--test", "KNHA", "--format", "JSON"])
        #expect(folded.exitCode == 0, "\(folded.standardError)")
        // Provenance records the command line as typed; everything before it is the same.
        let cut = { (s: String) in s.components(separatedBy: "\"provenance\"")[0] }
        #expect(cut(folded.standardOutput) == cut(canonical.standardOutput))
        for (option, value, command) in [("--method", "hsk", "pool"), ("--method", "fe", "pool"), ("--method", "mh", "pool"),
                                         ("--measure", "smdh", "escalc"), ("--measure", "zcor", "escalc"), ("--vtype", "ls2", "escalc")] {
            #expect(!Self.run([command, option, value, "--data", "/nonexistent.csv"]).standardError.contains("Unknown value"),
                    "\(option) \(value)")
        }
    }

    /// Every vocabulary an option reads: no two codes that differ only in case (else the exact spelling is needed,
    /// and `matching` returns nil for the folded one, as the last check shows).
    @Test("No option vocabulary has two codes that differ only in case")
    func noCaseCollisions() {
        func codes<T: CaseInsensitiveArgument>(_: T.Type) -> [String] { T.allCases.map(\.rawValue) }
        let vocabularies: [(String, [String])] = [
            ("EffectMeasure", codes(EffectMeasure.self)), ("TauSquaredEstimator", codes(TauSquaredEstimator.self) + ["FE", "CE"]),
            ("CoefficientTest", codes(CoefficientTest.self)), ("VarianceType", codes(VarianceType.self)),
            ("ContinuityCorrectionScope", codes(ContinuityCorrectionScope.self)), ("GLMMModel", codes(GLMMModel.self)),
            ("PredictionIntervalDistribution", codes(PredictionIntervalDistribution.self)), ("BootstrapType", codes(BootstrapType.self)),
            ("AsymmetryPredictor", codes(AsymmetryPredictor.self)), ("AsymmetryRegressionModel", codes(AsymmetryRegressionModel.self)),
            ("MissingStudiesEstimator", codes(MissingStudiesEstimator.self)), ("FunnelSide", codes(FunnelSide.self)),
            ("FailSafeMethod", codes(FailSafeMethod.self)), ("OutputFormat", codes(OutputFormat.self)),
            ("RateOutcome", codes(RateOutcome.self)), ("RateGrouping", codes(RateGrouping.self)), ("RateModel", codes(RateModel.self)),
            ("ForestPlotTransform", codes(ForestPlotTransform.self)), ("ModelPreset", codes(ModelPreset.self)),
            ("HeterogeneityConfidenceIntervals.Method", codes(HeterogeneityConfidenceIntervals.Method.self)), ("GOSHOutputFormat", codes(GOSHOutputFormat.self)), ("PlotKind", codes(PlotKind.self)),
            ("PoolMethod", PoolMethod.allValueStrings),
        ]
        for (name, values) in vocabularies {
            let folded = values.map { $0.lowercased() }
            #expect(Set(folded).count == folded.count, "\(name): \(values)")
        }
        #expect(EffectMeasure.matching("SMDH") == .heteroscedasticStandardizedMeanDifference)
        #expect(EffectMeasure.matching("smd") == .standardizedMeanDifference)
        #expect(EffectMeasure.matching("Zcor") == .fisherZ)
        #expect(EffectMeasure.matching("cor") == .correlation)
        #expect(TauSquaredEstimator(argument: "hs") == .hunterSchmidt)
        #expect(TauSquaredEstimator(argument: "HSK") == .hunterSchmidtCorrected)
    }

    @Test("A mistyped value: did you mean, and the codes accepted")
    func unknownValues() {
        let pinned: [([String], String)] = [
            (["pool", "--data", BCG.path, "--measure", "RR", "--method", "rmel"],
             "Error: Unknown value 'rmel' for --method; did you mean REML? (expected one of EE, DL, HE, HS, HSk, SJ, ML, REML, EB, PM, PMM, GENQ, GENQM, DLIT, SJIT, MH, PETO, GLMM)\n"),
            (["pool", "--data", BCG.path, "--measure", "RR", "--test", "knah"],
             "Error: Unknown value 'knah' for --test; did you mean knha? (expected one of z, t, knha, adhoc)\n"),
            (["escalc", "--data", BCG.path, "--measure", "SDM"],
             "Error: Unknown value 'SDM' for --measure; did you mean SMD? (expected one of RR, OR, RD, AS, PETO, PHI, ZPHI, YUQ, YUY, RTET, ZTET, PBIT, OR2D, OR2DN, OR2DL, MPRD, MPRR, MPOR, MPORC, MPPETO, MD, SMD, SMDH, ROM, SMD1, SMD1H, VR, CVR, RPB, RBIS, ZPB, ZBIS, D2OR, D2ORN, D2ORL, CLESN, AUCN, CLES, AUC, MN, SMN, SDLN, MNLN, CVLN, PR, PLN, PLO, PAS, PFT, PRZ, COR, ZCOR, UCOR, PCOR, ZPCOR, SPCOR, ZSPCOR, R2, ZR2, ARAW, AHW, ABT, IRR, IRD, IRLN, IR, IRSD, IRS, IRFT, MC, SMCC, SMCR, SMCRH, SMCRP, SMCRPH, ROMC, VRC, CVRC, CLESCN, AUCCN, REH, GEN)\n"),
            (["pool", "--data", BCG.path, "--measure", "RR", "--format", "jsn"],
             "Error: Unknown value 'jsn' for --format; did you mean json? (expected one of table, csv, json)\n"),
            (["pool", "--data", BCG.path, "--measure", "XYZ"],
             "Error: Unknown value 'XYZ' for --measure; expected one of RR, OR, RD, AS, PETO, PHI, ZPHI, YUQ, YUY, RTET, ZTET, PBIT, OR2D, OR2DN, OR2DL, MPRD, MPRR, MPOR, MPORC, MPPETO, MD, SMD, SMDH, ROM, SMD1, SMD1H, VR, CVR, RPB, RBIS, ZPB, ZBIS, D2OR, D2ORN, D2ORL, CLESN, AUCN, CLES, AUC, MN, SMN, SDLN, MNLN, CVLN, PR, PLN, PLO, PAS, PFT, PRZ, COR, ZCOR, UCOR, PCOR, ZPCOR, SPCOR, ZSPCOR, R2, ZR2, ARAW, AHW, ABT, IRR, IRD, IRLN, IR, IRSD, IRS, IRFT, MC, SMCC, SMCR, SMCRH, SMCRP, SMCRPH, ROMC, VRC, CVRC, CLESCN, AUCCN, REH, GEN.\n"),
        ]
        for (arguments, sentence) in pinned {
            let r = Self.run(arguments)
            #expect(r.exitCode != 0)
            #expect(r.standardOutput.isEmpty)
            #expect(r.standardError == sentence)
        }
    }

    @Test("A mistyped command: unknown command, did you mean")
    func unknownCommands() {
        let pinned: [([String], String)] = [
            (["pol", "--measure", "RR", "--data", BCG.path], "Error: unknown command 'pol'; did you mean 'pool'?\n"),
            (["bias", "eger", "--data", BCG.path], "Error: unknown command 'eger' for 'metaswift bias'; did you mean 'egger'?\n"),
            (["sensitivity", "leave-out", "--data", BCG.path],
             "Error: unknown command 'leave-out' for 'metaswift sensitivity'; the commands of metaswift sensitivity are leave-one-out, cumulative, influence, baujat, gosh.\n"),
        ]
        for (arguments, sentence) in pinned {
            let r = Self.run(arguments)
            #expect(r.exitCode == 64, "a usage error, as the parser's own")
            #expect(r.standardError == sentence)
        }
        // Aliases and help still reach their commands.
        #expect(Self.run(["rma", "--data", BCG.path, "--measure", "RR"]).exitCode == 0)
        #expect(Self.run(["help", "pool"]).exitCode == 0)
    }

    @Test("A missing column: the columns present are listed")
    func missingColumnListsColumns() {
        let r = Self.run(["pool", "--data", BCG.path, "--measure", "RR", "--mods", "ablt"])
        #expect(r.exitCode != 0)
        #expect(r.standardError == "Error: \(BCG.path): Column 'ablt' is missing; the moderator 'ablt' needs it; the columns are study, year, ai, bi, ci, di, ntotal, ablat, alloc (use --map ablt=COLUMN to map another column).\n")
    }

    @Test("Spelling: one edit for short words, two beyond; no suggestion on a tie")
    func spelling() {
        #expect(Spelling.suggestion(for: "rmel", among: ["REML", "ML", "EB"]) == "REML")
        #expect(Spelling.suggestion(for: "pol", among: ["pool", "rates", "escalc"]) == "pool")
        #expect(Spelling.suggestion(for: "bootstarp", among: ["bootstrap", "permute"]) == "bootstrap")
        #expect(Spelling.suggestion(for: "xyz", among: ["pool", "rates"]) == nil)
        #expect(Spelling.suggestion(for: "RRR", among: ["RR", "IRR"]) == nil)
    }
}
