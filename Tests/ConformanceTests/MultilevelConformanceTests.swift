import Foundation
import MetaAnalysis
import MetaData
import MetaNumerics
import MetaReport
import Testing

/// The `rma_mv_multilevel`, `rma_mv_multivariate`, `rma_mv_network` groups and the performance case of the multilevel bank (metafor 5.1-12; copied from shared/conformance-mv into
/// `BankMV`): one test per case, each fitted by ``MultilevelModel`` and compared with `expected_tight` at the
/// iterative tolerance (1e-7 relative; QE, QEp and I2_multilevel.vt do not depend on the variance components
/// and are held to the closed-form 1e-10 against `expected`).
///
/// `confint` (profile-likelihood intervals of every estimated component, with metafor's search limits and
/// `"<"`/`">"` flags) and `profile` (the profile log-likelihood at the bank's grid) are compared like every other
/// field. The network cases' `pairwise` are predictions at the stored contrast rows.
@Suite("rma.mv conformance (bank mv)")
struct MultilevelConformanceTests {
    static let directory = ConformanceBank.directory.deletingLastPathComponent().appendingPathComponent("BankMV")
    static let notImplementedFields: Set<String> = []

    /// Cases that do not pass, with the evidence. A listed case that passes fails the run until removed.
    static let pending: [String: String] = [
        // metafor's UN optimum here is on the boundary of its parameter space: the bank's expected_tight (a BFGS
        // refit; "polish not possible") has a correlation matrix with smallest eigenvalue 2.1e-17, i.e. singular,
        // where the REML score does not vanish. Without the positive-semidefinite constraint our Newton iteration
        // converges (|score| < 1e-9 not reached only because of the constraint) to REML logLik -228.9919 > the
        // bank's -229.7020, but with an indefinite correlation matrix (eigenvalue -0.0255), outside metafor's
        // parameter space; with the constraint (MultilevelModel rejects indefinite UN steps) it stops at the
        // iteration cap. Needs an optimizer for optima on the PSD boundary (e.g. a Cholesky parameterization).
        "rma_mv_multivariate/ishak2007_time_UN_REML_z": "UN optimum on the boundary of the PSD cone (see evidence above)",
    ]

    /// Cases whose `confint` differs from the bank where metafor is the inaccurate side (evidence below); every
    /// other field of these cases must pass. A listed case whose `confint` passes fails the run until removed.
    static let pendingConfint: [String: String] = [
        // The lower bound of tau2[2]: metafor (uniroot tol 1e-12) finds none (null); ours is 5.46766509820e-05. For
        // two inner levels UN and HCS are the same model, and the bank's HCS case (berkey1998_outcome_HCS_REML_z)
        // has this bound from metafor at 5.467665104817131e-05 (1.2e-9 relative from ours). The README's note:
        // "the bound is near 5.7e-5 … with tol 1e-12 metafor cannot find it".
        "rma_mv_multivariate/berkey1998_outcome_UN_REML_z": "tau2[2] lower bound found (metafor: null; equals the HCS case's bound)",
        // The lower bound of rho: metafor could not evaluate the profile at -1 and returns -0.3365 flagged "<" (the
        // bound lies below); ours evaluates it and returns -1. It must be -1: in this case tau2[2]'s lower bound is
        // 0 (metafor and ours), so the profile at tau2[2] = 0, where rho has no effect, is inside the interval,
        // and the profile at rho = -1 (maximised over tau2[2] >= 0, 0 included) is at least that.
        "rma_mv_multivariate/berkey1998_outcome_year_UN_ML_z": "rho lower bound -1 (metafor: '< -0.3365', profile not evaluated at -1)",
    ]

    static func caseIDs(_ group: String) -> [String] {
        let dir = directory.appendingPathComponent("cases/" + group)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { group + "/" + String($0.dropLast(5)) }.sorted()
    }

    static func load(_ id: String) throws -> BankCase {
        let url = directory.appendingPathComponent("cases").appendingPathComponent(id + ".json")
        var json = try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        if case var .object(pairs) = json, let i = pairs.firstIndex(where: { $0.0 == "input" }),
           let input = pairs[i].1.stringValue {
            pairs[i].1 = .string("../BankMV/" + input)
            json = .object(pairs)
        }
        return try BankCase(json: json)
    }

    @Test("rma_mv_multilevel case", arguments: caseIDs("rma_mv_multilevel"))
    func multilevel(_ id: String) throws {
        try Self.check(id)
    }

    @Test("rma_mv_multivariate case", arguments: caseIDs("rma_mv_multivariate"))
    func multivariate(_ id: String) throws {
        try Self.check(id)
    }

    @Test("rma_mv_network case", arguments: caseIDs("rma_mv_network"))
    func network(_ id: String) throws {
        try Self.check(id)
    }

    /// The performance case: k = 1,000 three-level REML; `expected_tight` is an independent exact fit (Newton to
    /// |score| < 1e-12), compared at the iterative tolerance (metafor's own `expected` came from OpenBLAS).
    @Test("performance/synthetic_3level_k1000")
    func performance() throws {
        let c = try Self.load("performance/synthetic_3level_k1000")
        let json = try MultilevelCaseRunner.run(c)
        let tight = try #require(c.expectedTight)
        var problems: [Mismatch] = []
        for field in ["k", "sigma2", "beta", "se"] {
            problems += compare(json[field], tight[field] ?? .null, tolerance: .iterative, path: field)
        }
        problems += compare(json["fit_stats"]?["REML"]?["logLik"], tight["logLik_REML"] ?? .null, tolerance: .iterative, path: "logLik_REML")
        #expect(problems.isEmpty, "\(problems.prefix(6).map(\.description).joined(separator: "\n"))")
    }

    @Test("the bank holds 23 multilevel and 18 multivariate cases; pending names only real ones")
    func caseCounts() {
        #expect(Self.caseIDs("rma_mv_multilevel").count == 23)
        #expect(Self.caseIDs("rma_mv_multivariate").count == 18)
        let all = Set(Self.caseIDs("rma_mv_multilevel") + Self.caseIDs("rma_mv_multivariate"))
        #expect(Set(Self.pending.keys).isSubset(of: all) && Set(Self.pendingConfint.keys).isSubset(of: all))
    }

    static func check(_ id: String) throws {
        let c = try load(id)
        var problems: [Mismatch]
        do {
            let json = try MultilevelCaseRunner.run(c)
            problems = Self.compareCase(json, c)
        } catch {
            problems = [Mismatch(path: "", message: "threw: \(error)")]
        }
        if let reason = pendingConfint[id] {
            let confint = problems.filter { $0.path.hasPrefix("confint") }
            problems.removeAll { $0.path.hasPrefix("confint") }
            if confint.isEmpty { Issue.record("\(id)'s confint passes now: remove it from MultilevelConformanceTests.pendingConfint") }
            else { withKnownIssue("\(id) confint is pending: \(reason)") { Issue.record("\(confint.map(\.description).joined(separator: "\n  "))") } }
        }
        let shown = problems.prefix(8).map(\.description).joined(separator: "\n  ")
        if let reason = pending[id] {
            if problems.isEmpty { Issue.record("\(id) passes now: remove it from MultilevelConformanceTests.pending") }
            else { withKnownIssue("\(id) is pending: \(reason)") { Issue.record("\(shown)") } }
        } else if !problems.isEmpty {
            Issue.record("\(id):\n  \(shown)\(problems.count > 8 ? "\n  … and \(problems.count - 8) more" : "")")
        }
    }

    static let closedFormFields: Set<String> = ["QE", "QEp", "QEdf"]

    static func compareCase(_ json: JSONValue, _ c: BankCase) -> [Mismatch] {
        guard let tight = c.expectedTight else { return [Mismatch(path: "", message: "no expected_tight")] }
        let excluded = notImplementedFields.union(closedFormFields)
        var problems = compare(json, tight, tolerance: .iterative, excluding: excluded)
        for field in closedFormFields {
            if let e = c.expected[field] { problems += compare(json[field], e, tolerance: .closedForm, path: field) }
        }
        if let vt = c.expected["I2_multilevel"]?["vt"] {
            problems += compare(json["I2_multilevel"]?["vt"], vt, tolerance: .closedForm, path: "I2_multilevel.vt")
        }
        return problems
    }
}

/// Builds the `rma.mv` model a bank case describes from its options.
enum MultilevelCaseRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        let (fit, design) = try fit(c)
        return try fields(fit: fit, design: design, json: fit.jsonValue(), c)
    }

    /// The case's model, fitted.
    static func fit(_ c: BankCase) throws -> (MultilevelFit, DesignMatrix) {
        let table = c.table
        let k = table.rowCount
        let rows = Array(0..<k)
        let y = try table.numbers(c.stringOption("yi") ?? "yi", neededBy: "yi")
        let v = try samplingCovariance(c, table: table, count: k)
        var levelOrder: [String: [String]] = [:]
        for (name, levels) in c.option("categorical_levels")?.objectValue ?? [] {
            levelOrder[name] = levels.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let design = try ModeratorFormula(c.stringOption("mods") ?? "~ 1").design(from: table, rows: rows, levelOrder: levelOrder)
        var groupings: [RandomGrouping] = []
        var correlated: [CorrelatedRandomEffects] = []
        let structs: [String] = c.option("struct").map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] } ?? []
        for formula in c.option("random")?.arrayValue?.compactMap(\.stringValue) ?? [] {
            if NestedRandomIntercepts.isInterceptFormula(formula) {
                groupings += try NestedRandomIntercepts(formula: formula).groupings(from: table, rows: rows)
            } else {
                guard correlated.count < structs.count, let structure = CovarianceStructure(rawValue: structs[correlated.count]) else {
                    throw NotImplemented(analysis: "rma.mv with '\(formula)' and struct \(structs)")
                }
                correlated.append(try CorrelatedRandomEffects(formula: formula, structure: structure, table: table, rows: rows))
            }
        }
        var fixed = MultilevelModel.FixedComponents()
        for (name, value) in c.option("fixed")?.objectValue ?? [] {
            let values: [Double?] = value.arrayValue?.map(\.doubleValue) ?? [value.doubleValue]
            switch name {
            case "sigma2": fixed.sigma2 = values
            case "tau2": fixed.tau2 = values
            case "rho": fixed.rho = values
            case "gamma2": fixed.gamma2 = values
            case "phi": fixed.phi = values
            default: throw NotImplemented(analysis: "fixed \(name)")
            }
        }
        let model = try MultilevelModel(effects: y, samplingCovariance: v, design: design, groupings: groupings, correlatedTerms: correlated)
        let method = TauSquaredEstimator(rawValue: c.stringOption("method") ?? "REML") ?? .restrictedMaximumLikelihood
        let test = CoefficientTest(rawValue: c.stringOption("test") ?? "z") ?? .z
        let dfs = MultilevelDegreesOfFreedom(rawValue: c.stringOption("dfs") ?? "residual") ?? .residual
        return (try model.fit(method: method, test: test, dfs: dfs, level: (c.numberOption("level") ?? 95) / 100, fixed: fixed), design)
    }

    static func fields(fit: MultilevelFit, design: DesignMatrix, json: JSONValue, _ c: BankCase) throws -> JSONValue {
        guard case var .object(fields) = json else { return json }
        let expected = c.expectedTight ?? c.expected
        if let newmods = expected["predict_newmods"] {
            let points = newmods["newmods"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
            let predictions = points.map { fit.prediction(at: (design.hasIntercept ? [1] : []) + $0) }
            var inner = MultilevelFit.json(predictions, scalar: false).objectValue ?? []
            inner.insert(("labels", newmods["labels"] ?? .null), at: 0)
            inner.insert(("newmods", newmods["newmods"] ?? .null), at: 1)
            fields.append(("predict_newmods", .object(inner)))
        }
        if expected["confint"] != nil {
            fields.append(("confint", MultilevelFit.json(fit.estimatedComponents.map { fit.profileConfidenceInterval($0) })))
        }
        if let profile = expected["profile"]?.arrayValue {
            let all = fit.estimatedComponents
            fields.append(("profile", .array(try profile.map { entry in
                let name = entry["component"]?.stringValue ?? ""
                let index = Int(entry["index"]?.doubleValue ?? 0) - 1
                guard let component = all.first(where: { $0.name == name && $0.index == index }) else {
                    throw NotImplemented(analysis: "profile of \(name)[\(index + 1)]")
                }
                let values = entry["values"]?.arrayValue?.compactMap(\.doubleValue) ?? []
                return .object([("component", .string(name)), ("index", .number(Double(index + 1))), ("values", .doubles(values)),
                                ("logLik", .doubles(values.map { (try? fit.profileLogLikelihood(component, at: $0)) ?? .nan }))])
            })))
        }
        if let pairwise = expected["pairwise"] {
            // predict(res, newmods = C) over every pair of treatments (the contrast rows stored in the case).
            let rowsC = pairwise["contrast_matrix"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
            let predictions = rowsC.map { fit.prediction(at: $0) }
            var inner = MultilevelFit.json(predictions, scalar: false).objectValue ?? []
            inner.insert(("labels", pairwise["labels"] ?? .null), at: 0)
            inner.insert(("contrast_matrix", pairwise["contrast_matrix"] ?? .null), at: 1)
            fields.append(("pairwise", .object(inner)))
        }
        if let transf = expected["predict_transf"] {
            guard transf["transf"]?.stringValue == "transf.ztor" else { throw NotImplemented(analysis: "predict transf") }
            let back = (design.coefficientCount == 1 && design.hasIntercept ? [fit.prediction(at: [1])] : fit.fittedPredictions)
                .map { $0.transformed(by: .fisherZToCorrelation) }
            var inner = MultilevelFit.json(back, scalar: back.count == 1).objectValue ?? []
            inner.insert(("transf", .string("transf.ztor")), at: 0)
            fields.append(("predict_transf", .object(inner)))
        }
        return .object(fields)
    }

    /// V from `options.V`: `diagonal` (a variance column) or the exact `blocks` metafor used. The stored
    /// blocks are symmetric only to the last bit (metafor builds them as D R D in floating point), so each is
    /// symmetrized by averaging the two triangles, a change below 1 ulp.
    static func samplingCovariance(_ c: BankCase, table: DataTable, count k: Int) throws -> SamplingCovariance {
        guard let spec = c.option("V") else { throw NotImplemented(analysis: "rma.mv without V") }
        if spec["type"]?.stringValue == "diagonal" {
            return try SamplingCovariance(variances: table.numbers(spec["vi"]?.stringValue ?? "vi", neededBy: "vi"))
        }
        guard let blocks = spec["blocks"]?.arrayValue else { throw NotImplemented(analysis: "V without blocks") }
        var covered = Set<Int>()
        var parts: [(rows: [Int], values: [Double])] = []
        for b in blocks {
            let rows = (b["rows"]?.arrayValue ?? []).compactMap(\.doubleValue).map { Int($0) - 1 }
            let matrix = (b["matrix"]?.arrayValue ?? []).map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] }
            let n = rows.count
            var values = [Double](repeating: 0, count: n * n)
            for a in 0..<n { for d in 0..<n { values[a * n + d] = (matrix[a][d] + matrix[d][a]) / 2 } }
            parts.append((rows, values))
            covered.formUnion(rows)
        }
        // Rows outside every listed block are independent with their own sampling variance.
        if covered.count < k, let vi = spec["vcalc"]?["vi"]?.stringValue ?? c.option("V")?["vi"]?.stringValue {
            let variances = try table.numbers(vi, neededBy: "vi")
            for r in 0..<k where !covered.contains(r) { parts.append(([r], [variances[r]])) }
        }
        return try SamplingCovariance(count: k, blocks: parts)
    }
}
