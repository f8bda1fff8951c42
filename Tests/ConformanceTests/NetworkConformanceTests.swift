import Foundation
import MetaAnalysis
import MetaData
import MetaReport
import Testing

/// ``NetworkModel`` on the `rma_mv_network` cases of the multilevel bank (metafor 5.1-12): from the stored contrasts
/// with the case's exact V, and from the arm-level data the contrasts were computed from (rebuilt from the CSV's arm
/// columns; a study's base arm may then differ from the bank's rows, which changes none of the compared quantities:
/// the consistency and inconsistency models with ρ = φ = ½ are invariant to it). Compared with `expected_tight` at
/// the iterative tolerance: treatment effects and SEs (by name), τ², γ², QE (closed form, against `expected`), the
/// fit statistics and every pairwise effect with CI and PI (by label).
@Suite("Network meta-analysis conformance (bank mv, rma_mv_network)")
struct NetworkConformanceTests {
    static let ids = MultilevelConformanceTests.caseIDs("rma_mv_network")

    /// The case's heterogeneity model and reference.
    static func model(_ c: BankCase) -> (NetworkModel.Heterogeneity, String) {
        let random = c.option("random")?.arrayValue ?? []
        let heterogeneity: NetworkModel.Heterogeneity = random.isEmpty ? .commonEffect : random.count == 1 ? .consistency : .randomInconsistency
        return (heterogeneity, c.dataset == "senn2013" ? "placebo" : "no_contact")
    }

    static func columns(_ c: BankCase) -> (t1: String, t2: String) {
        c.dataset == "senn2013" ? ("treatment1", "treatment2") : ("trt1", "trt2")
    }

    /// The case's contrast rows with its exact V.
    static func storedContrasts(_ c: BankCase) throws -> NetworkContrasts {
        let table = c.table
        let (t1, t2) = columns(c)
        return try NetworkContrasts(
            studies: table.labels("study", neededBy: "study"), firstTreatments: table.labels(t1, neededBy: t1),
            secondTreatments: table.labels(t2, neededBy: t2), effects: table.numbers("yi", neededBy: "yi"),
            samplingCovariance: MultilevelCaseRunner.samplingCovariance(c, table: table, count: table.rowCount))
    }

    static func fit(_ c: BankCase, contrasts: NetworkContrasts) throws -> NetworkFit {
        let (heterogeneity, reference) = model(c)
        let method = TauSquaredEstimator(rawValue: c.stringOption("method") ?? "REML") ?? .restrictedMaximumLikelihood
        let test = CoefficientTest(rawValue: c.stringOption("test") ?? "z") ?? .z
        let dfs = MultilevelDegreesOfFreedom(rawValue: c.stringOption("dfs") ?? "residual") ?? .residual
        return try NetworkModel(contrasts: contrasts, reference: reference)
            .fit(heterogeneity: heterogeneity, method: method, test: test, dfs: dfs, level: 0.95)
    }

    static func compareFit(_ f: NetworkFit, _ c: BankCase) throws -> [Mismatch] {
        let tight = try #require(c.expectedTight)
        var problems: [Mismatch] = []
        let names = tight["coef_names"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for (j, name) in names.enumerated() {
            guard let mine = f.fit.coefficientNames.firstIndex(of: name) else {
                problems.append(Mismatch(path: "coef_names", message: "no coefficient \(name)")); continue
            }
            problems += compare(.number(f.fit.coefficients[mine]), tight["beta"]?.arrayValue?[j] ?? .null, tolerance: .iterative, path: "beta.\(name)")
            problems += compare(.number(f.fit.standardErrors[mine]), tight["se"]?.arrayValue?[j] ?? .null, tolerance: .iterative, path: "se.\(name)")
        }
        if let tau2 = tight["tau2"] { problems += compare(.doubles(f.fit.correlatedEstimates.first?.tau2 ?? []), tau2, tolerance: .iterative, path: "tau2") }
        if let gamma2 = tight["gamma2"] {
            problems += compare(.doubles(f.fit.correlatedEstimates.count > 1 ? f.fit.correlatedEstimates[1].tau2 : []), gamma2, tolerance: .iterative, path: "gamma2")
        }
        problems += compare(.number(f.qDecomposition.total.statistic), c.expected["QE"] ?? .null, tolerance: .closedForm, path: "QE")
        problems += compare(.number(Double(f.qDecomposition.total.degreesOfFreedom)), c.expected["QEdf"] ?? .null, tolerance: .closedForm, path: "QEdf")
        let reml = f.fit.fitStatisticsREML, ml = f.fit.fitStatisticsML
        problems += compare(.number(ml.logLikelihood), tight["fit_stats"]?["ML"]?["logLik"] ?? .null, tolerance: .iterative, path: "fit_stats.ML.logLik")
        problems += compare(.number(reml.logLikelihood), tight["fit_stats"]?["REML"]?["logLik"] ?? .null, tolerance: .iterative, path: "fit_stats.REML.logLik")
        let pairwise = try #require(tight["pairwise"])
        for (i, label) in (pairwise["labels"]?.arrayValue?.compactMap(\.stringValue) ?? []).enumerated() {
            let parts = label.components(separatedBy: " - ")
            let p = f.relativeEffect(parts[0], versus: parts[1]).prediction
            for (field, value) in [("pred", p.estimate), ("se", p.standardError ?? .nan), ("ci_lb", p.confidenceLower),
                                   ("ci_ub", p.confidenceUpper), ("pi_lb", p.predictionLower), ("pi_ub", p.predictionUpper)] {
                problems += compare(.number(value), pairwise[field]?.arrayValue?[i] ?? .null, tolerance: .iterative, path: "pairwise.\(field)[\(label)]")
            }
        }
        return problems
    }

    @Test("from the stored contrasts and V", arguments: ids)
    func fromContrasts(_ id: String) throws {
        let c = try MultilevelConformanceTests.load(id)
        let problems = try Self.compareFit(try Self.fit(c, contrasts: try Self.storedContrasts(c)), c)
        #expect(problems.isEmpty, "\(id):\n  \(problems.prefix(8).map(\.description).joined(separator: "\n  "))")
    }

    @Test("from arm-level data", arguments: ids)
    func fromArms(_ id: String) throws {
        let c = try MultilevelConformanceTests.load(id)
        let table = c.table
        let (t1, t2) = Self.columns(c)
        let senn = c.dataset == "senn2013"
        let studies = try table.labels("study", neededBy: "study")
        let first = try table.labels(t1, neededBy: t1), second = try table.labels(t2, neededBy: t2)
        var seen = Set<String>()
        var armStudy: [String] = [], armTreatment: [String] = [], a: [Double] = [], b: [Double] = [], n: [Double] = []
        let columns = senn ? [["mi1", "sdi1", "ni1"], ["mi2", "sdi2", "ni2"]] : [["xi1", "ni1"], ["xi2", "ni2"]]
        let values = try columns.map { try $0.map { try table.numbers($0, neededBy: $0) } }
        for i in 0..<table.rowCount {
            for (side, treatment) in [(0, first[i]), (1, second[i])] where seen.insert(studies[i] + "|" + treatment).inserted {
                armStudy.append(studies[i]); armTreatment.append(treatment)
                a.append(values[side][0][i]); b.append(values[side][1][i])
                if senn { n.append(values[side][2][i]) }
            }
        }
        let outcome: NetworkArms.Outcome = senn ? .continuous(means: a, standardDeviations: b, sizes: n) : .binary(events: a, sizes: b)
        let measure: EffectMeasure = senn ? .meanDifference : .logOddsRatio
        // hasselblad1998's contrasts were computed with add = 1/2, to = "all" (the bank's dataset description).
        let options = EscalcOptions(add: 0.5, to: senn ? .onlyZero : .all)
        let (contrasts, _) = try NetworkArms(studies: armStudy, treatments: armTreatment, outcome: outcome)
            .contrasts(measure: measure, reference: Self.model(c).1, options: options)
        #expect(contrasts.effects.count == table.rowCount)
        // Two quantities depend on which arm is a study's base (hasselblad1998 has studies without no_contact, whose
        // base is chosen differently from the bank's to.wide rows), not on the model: REML's +½ log|X'X| (X'X changes
        // with the contrast coding) and the containment df of a t test (they count the `comp` labels).
        let t = c.stringOption("test") == "t"
        let problems = try Self.compareFit(try Self.fit(c, contrasts: contrasts), c).filter { m in
            m.path != "fit_stats.REML.logLik" && !(t && ["ci_", "pi_"].contains { m.path.hasPrefix("pairwise." + $0) })
        }
        #expect(problems.isEmpty, "\(id):\n  \(problems.prefix(8).map(\.description).joined(separator: "\n  "))")
    }

    /// The Q decomposition against metafor: Q within designs is metafor's QE of an equal-effects rma.mv with
    /// design-specific treatment effects (NetworkQ/q-decomposition.csv, made by q-decomposition.R), closed form.
    @Test("Q decomposition: within designs as metafor's QE with design-specific effects")
    func qDecomposition() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("NetworkQ/q-decomposition.csv")
        let table = try DataTable(contentsOfFile: url.path)
        let datasets = try table.labels("dataset", neededBy: "dataset")
        let within = try table.numbers("Q_within_designs", neededBy: "Q"), df = try table.numbers("df_within_designs", neededBy: "df")
        #expect(datasets == ["hasselblad1998", "senn2013"])
        for (i, dataset) in datasets.enumerated() {
            let c = try MultilevelConformanceTests.load("rma_mv_network/\(dataset)_nma_EE")
            let q = try Self.fit(c, contrasts: try Self.storedContrasts(c)).qDecomposition
            var problems = compare(.number(q.withinDesigns.statistic), .number(within[i]), tolerance: .closedForm, path: "\(dataset).within")
            problems += compare(.number(q.betweenDesigns.statistic + q.withinDesigns.statistic), .number(q.total.statistic),
                                tolerance: .closedForm, path: "\(dataset).between + within")
            #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
            #expect(q.withinDesigns.degreesOfFreedom == Int(df[i]))
            #expect(q.betweenDesigns.degreesOfFreedom == q.total.degreesOfFreedom - Int(df[i]))
        }
    }
}
