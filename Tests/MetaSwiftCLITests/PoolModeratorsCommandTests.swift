import Foundation
import MetaSwiftCLI
import Testing
import _TestSupport

/// `metaswift pool --mods`, `--predict`, `--subgroup` run in-process on the BCG trials (conformance bank copy).
@Suite("metaswift pool --mods / --subgroup")
struct PoolModeratorsCommandTests {
    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    /// van Houwelingen et al. (2002), Stat Med 21:589–624: ML meta-regression of the log OR on latitude,
    /// β = (0.3710, −0.0327); the prediction at latitude 40 is β₀ + 40 β₁.
    @Test func metaRegressionJSONWithPrediction() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "OR", "--method", "ML", "--test", "z",
                                               "--mods", "ablat", "--predict", "ablat=40", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let j = try Self.json(r.standardOutput)
        #expect(j["coef_names"] as? [String] == ["intrcpt", "ablat"])
        let beta = try #require(j["beta"] as? [Double])
        #expect(abs(beta[0] - 0.3710) < 1e-4 && abs(beta[1] - -0.0327) < 1e-4)
        let qmdf = try #require(j["QMdf"] as? [Any])
        #expect(qmdf.first as? Double == 1 && qmdf.last is NSNull)
        let new = try #require(j["predict_new"] as? [String: Any])
        let pred = try #require(new["pred"] as? [Double])
        #expect(abs(pred[0] - (beta[0] + 40 * beta[1])) < 1e-12)
        #expect((new["point"] as? [String]) == ["ablat=40"])
        #expect(j["predict_new_transf"] != nil)
        for field in ["vcov", "QM", "QMp", "QE", "QEp", "tau2", "I2", "H2", "R2", "fitted", "model_matrix", "predict", "provenance"] {
            #expect(j[field] != nil, "missing \(field)")
        }
    }

    /// `--mods` as an R formula without `--random`: the bank's `bcg_RR_ablat_year_REML_z` (metafor 5.1-12, closed
    /// form in beta given tau2; tau2 iterative) and the same fit as the comma list; `a*b` adds the interaction.
    @Test func formulaModeratorsWithoutRandom() throws {
        let url = URL(fileURLWithPath: BCG.path).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("cases/rma_mods/bcg_RR_ablat_year_REML_z.json")
        let bank = try Self.json(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        let e = try #require(bank["expected_tight"] as? [String: Any] ?? bank["expected"] as? [String: Any])
        let base = ["pool", "--data", BCG.path, "--measure", "RR", "--method", "REML", "--test", "z", "--format", "json"]
        let formula = MetaSwiftCommand.runCapturing(base + ["--mods", "~ ablat + year"])
        #expect(formula.exitCode == 0, "\(formula.standardError)")
        let j = try Self.json(formula.standardOutput)
        #expect(j["coef_names"] as? [String] == ["intrcpt", "ablat", "year"])
        for field in ["beta", "se"] {
            let got = j[field] as? [Double] ?? [], want = e[field] as? [Double] ?? [1]
            #expect(got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= 1e-7 * abs($1) }, "\(field)")
        }
        let list = try Self.json(MetaSwiftCommand.runCapturing(base + ["--mods", "ablat,year"]).standardOutput)
        #expect(list["beta"] as? [Double] == j["beta"] as? [Double])
        let interaction = try Self.json(MetaSwiftCommand.runCapturing(base + ["--mods", "~ ablat*year"]).standardOutput)
        #expect(interaction["coef_names"] as? [String] == ["intrcpt", "ablat", "year", "ablat:year"])
        let noIntercept = MetaSwiftCommand.runCapturing(base + ["--mods", "~ ablat", "--no-intercept"])
        #expect(noIntercept.exitCode != 0 && noIntercept.standardError.contains("with a formula write '~ 0 + …' for no intercept"))
        let predict = MetaSwiftCommand.runCapturing(base + ["--mods", "~ ablat*year", "--predict", "ablat=40,year=1960"])
        #expect(predict.exitCode != 0 && predict.standardError.contains("--predict"))
    }

    @Test func metaRegressionTableNamesCategoricalReference() {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--mods", "ablat,alloc"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput.contains("allocsystematic"))
        #expect(r.standardOutput.contains("alloc (categorical, reference level 'alternate')"))
        #expect(r.standardOutput.contains("Test of Moderators (coefficients 2:4):\nF(df1 = 3, df2 = 9)"))
    }

    @Test func factorForcesCategoricalCoding() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--mods", "ablat,year", "--factor", "year",
                                               "--format", "json"])
        // 12 distinct years: 11 dummies + intercept + ablat = 13 coefficients for 13 studies.
        #expect(r.exitCode != 0)
        #expect(r.standardError.contains("Error: The model has 13 coefficients but only 13 studies"))
    }

    @Test func errorsAreOneSentence() {
        let constant = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--mods", "ablat",
                                                      "--predict", "alloc=random"])
        #expect(constant.exitCode != 0)
        #expect(constant.standardError.contains("Error: Prediction value 'alloc' is not a moderator of the model; expected one of ablat."))
        let missing = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--mods", "latitude"])
        #expect(missing.standardError.contains("Column 'latitude' is missing"))
        let both = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--mods", "ablat", "--subgroup", "alloc"])
        #expect(both.exitCode != 0)
    }

    @Test func subgroupJSONHasTheThreeTests() throws {
        let r = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--subgroup", "alloc", "--format", "json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        let j = try Self.json(r.standardOutput)
        #expect((j["subgroups"] as? [Any])?.count == 3)
        #expect((j["subgroups_EE"] as? [Any])?.count == 3)
        let separate = try #require(j["test_separate_tau2"] as? [String: Any])
        #expect(separate["df"] as? Double == 2)
        let common = try #require(j["test_common_tau2"] as? [String: Any])
        #expect(common["coef_names"] as? [String] == ["intrcpt", "allocrandom", "allocsystematic"])
        #expect(j["test_all_EE"] != nil)
    }

    @Test func subgroupCSVAndTable() {
        let csv = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--subgroup", "alloc", "--format", "csv"])
        #expect(csv.exitCode == 0)
        #expect(csv.standardOutput.hasPrefix("row,level,k,estimate"))
        #expect(csv.standardOutput.contains("test_separate_tau2,Q_between,2,"))
        let table = MetaSwiftCommand.runCapturing(["pool", "--data", BCG.path, "--measure", "RR", "--subgroup", "alloc"])
        #expect(table.standardOutput.contains("\nTest for Subgroup Differences (separate tau^2): Q(df = 2) = "))
    }
}
