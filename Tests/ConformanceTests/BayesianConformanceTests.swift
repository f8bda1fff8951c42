import Foundation
import MetaAnalysis
import MetaReport
import Testing

/// The `bayesmeta` group of the v5b bank (bayesmeta 3.4; copied from shared/conformance-v5b into `BankV5b`):
/// every case is fitted by ``BayesianRandomEffectsModel`` and compared with `expected_tight` (an independent
/// integration accurate to ~1e-12, see the bank's README) at the iterative tolerance.
@Suite("bayesmeta conformance (bank v5b)")
struct BayesianConformanceTests {
    static let directory = ConformanceBank.directory.deletingLastPathComponent().appendingPathComponent("BankV5b")

    static var caseIDs: [String] {
        let dir = directory.appendingPathComponent("cases/bayesmeta")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { "bayesmeta/" + String($0.dropLast(5)) }.sorted()
    }

    static func load(_ id: String) throws -> BankCase {
        let url = directory.appendingPathComponent("cases").appendingPathComponent(id + ".json")
        var json = try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        // BankCase reads its CSV relative to the metafor bank's folder.
        if case var .object(pairs) = json, let i = pairs.firstIndex(where: { $0.0 == "input" }),
           let input = pairs[i].1.stringValue {
            pairs[i].1 = .string("../BankV5b/" + input)
            json = .object(pairs)
        }
        return try BankCase(json: json)
    }

    static let pending: Set<String> = ConformanceBank.pending

    @Test("bayesmeta group")
    func group() throws {
        let ids = Self.caseIDs.filter { !$0.hasPrefix("bayesmeta/bmr_") }  // regressions() checks those
        #expect(ids.count == 118)
        try ConformanceTally.run(group: "bayesmeta", ids: ids, pending: Self.pending) { id in Self.check(try Self.load(id)) }
    }

    /// The four `bmr()` meta-regressions (bcg on latitude, crins2014_ar on daclizumab) against `expected_tight`.
    @Test("bayesmeta group: bmr meta-regressions")
    func regressions() throws {
        let ids = Self.caseIDs.filter { $0.hasPrefix("bayesmeta/bmr_") }
        #expect(ids.count == 4)
        var passed = 0
        for id in ids {
            let c = try Self.load(id)
            #expect(c.analysis == "bmr")
            let problems = Self.check(c)
            if Self.pending.contains(id) {
                if problems.isEmpty { Issue.record("\(id) passes now: remove it from pending.txt") }
            } else if problems.isEmpty {
                passed += 1
            } else {
                let shown = problems.prefix(8).map(\.description).joined(separator: "\n  ")
                Issue.record("\(id):\n  \(shown)\(problems.count > 8 ? "\n  … and \(problems.count - 8) more" : "")")
            }
        }
        print("conformance bmr: \(passed)/\(ids.count) pass")
    }

    static func check(_ c: BankCase) -> [Mismatch] {
        guard let tight = c.expectedTight else { return [Mismatch(path: "", message: "no expected_tight")] }
        do {
            let json = try c.analysis == "bmr" ? BayesianCaseRunner.runRegression(c) : BayesianCaseRunner.run(c)
            return compare(json, tight, tolerance: .iterative)
        } catch {
            return [Mismatch(path: "", message: "threw: \(error)")]
        }
    }
}

/// Builds the analysis a `bayesmeta` case describes.
enum BayesianCaseRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let es = try c.effectSizes()
        let sigma = es.vi.map { $0.squareRoot() }
        let tauPrior = try self.tauPrior(c.option("tau_prior") ?? .null)
        var muPrior = MuPrior.improperUniform
        if let mp = c.option("mu_prior"), let m = mp["mean"]?.doubleValue, let s = mp["sd"]?.doubleValue {
            muPrior = .normal(mean: m, standardDeviation: s)
        }
        let model = try BayesianRandomEffectsModel(effectSizes: es.yi, standardErrors: sigma, tauPrior: tauPrior, muPrior: muPrior)
        let grid: (String) -> [Double] = { c.option($0)?.arrayValue?.compactMap(\.doubleValue) ?? [] }
        let summary = try BayesianRandomEffectsSummary(model: model, level: c.numberOption("level") ?? 0.95,
                                                       quantiles: grid("quantile_p"), tauGrid: grid("grid_tau"), muGrid: grid("grid_mu"))
        return summary.jsonValue()
    }

    /// A `bmr` case: the design is `options.X_columns` ("(intercept)" = a column of 1s, else a CSV column), the
    /// coefficient names are the bank's `beta_names`, predictions at `options.x_pred`.
    static func runRegression(_ c: BankCase) throws -> JSONValue {
        let es = try c.effectSizes()
        let columns = c.option("X_columns")?.arrayValue?.compactMap(\.stringValue) ?? []
        let k = es.yi.count
        var designColumns: [[Double]] = []
        for name in columns {
            designColumns.append(name == "(intercept)" ? [Double](repeating: 1, count: k) : try c.table.numbers(name, neededBy: "X"))
        }
        let design = (0..<k).map { i in designColumns.map { $0[i] } }
        let names = columns.map { $0 == "(intercept)" ? "intercept" : $0 }
        let model = try BayesianMetaRegressionModel(effectSizes: es.yi, standardErrors: es.vi.map { $0.squareRoot() },
                                                    design: design, coefficientNames: names,
                                                    tauPrior: try tauPrior(c.option("tau_prior") ?? .null))
        let grid: (String) -> [Double] = { c.option($0)?.arrayValue?.compactMap(\.doubleValue) ?? [] }
        let predictAt = c.option("x_pred")?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
        let summary = try BayesianMetaRegressionSummary(model: model, level: c.numberOption("level") ?? 0.95,
                                                        quantiles: grid("quantile_p"), predictAt: predictAt, tauGrid: grid("grid_tau"))
        return summary.jsonValue()
    }

    static func tauPrior(_ p: JSONValue) throws -> TauPrior {
        let number: (String) -> Double = { p[$0]?.doubleValue ?? .nan }
        switch p["family"]?.stringValue {
        case "halfnormal": return .halfNormal(scale: number("scale"))
        case "halfcauchy": return .halfCauchy(scale: number("scale"))
        case "halft": return .halfStudentT(degreesOfFreedom: number("df"), scale: number("scale"))
        case "uniform": return .uniform(upper: number("upper"))
        case "exponential": return .exponential(rate: number("rate"))
        case "Jeffreys": return .jeffreys
        case "conventional": return .conventional
        case "shrinkage": return .uniformShrinkage
        case "DuMouchel": return .duMouchel
        case "I2": return .uniformISquared
        case "lognormal":
            let prior: TurnerPrior
            if let outcome = p["outcome"]?.stringValue, let c1 = p["comparison_type"]?.stringValue {
                prior = try TurnerPrior.named(outcome: outcome, comparison: c1)
            } else {
                prior = .anySetting
            }
            // The published table must reproduce the values the bank records.
            guard prior.meanLog == number("tau2_meanlog"), prior.sdLog == number("tau2_sdlog") else {
                throw BankCaseError(description: "Turner prior \(prior.label): (\(prior.meanLog), \(prior.sdLog)) vs bank (\(number("tau2_meanlog")), \(number("tau2_sdlog")))")
            }
            return .turner(prior)
        case "logt5":
            let prior: RhodesPrior = p["outcome"]?.stringValue == nil ? .anySetting : .resourceUseNonPharmacological
            guard prior.location == number("tau2_location"), prior.scale == number("tau2_scale") else {
                throw BankCaseError(description: "Rhodes prior \(prior.label) differs from the bank's")
            }
            return .rhodes(prior)
        default:
            throw BankCaseError(description: "unknown tau prior \(p.serialized(indent: nil))")
        }
    }
}
