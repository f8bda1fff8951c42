import MetaData
import MetaAnalysis
import MetaNumerics
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Fixtures for the arms bootstrap: counts as CSV, fitted as `pool` would fit them.
enum ArmTestData {
    /// BCG trials (Colditz et al. 1994; metadat `dat.bcg`) as ai, bi, ci, di.
    static var bcgCSV: String {
        "ai,bi,ci,di\n" + ResamplingTestData.bcgCounts.map { "\(Int($0.0)),\(Int($0.1)),\(Int($0.2)),\(Int($0.3))" }.joined(separator: "\n")
    }

    /// Small sparse 2×2 data (ai, n1i, ci, n2i) with zero cells, made up for the draws to hit every correction rule.
    static let sparseCSV = """
        ai,n1i,ci,n2i
        0,20,3,20
        2,15,5,16
        1,30,0,28
        4,25,9,24
        1,10,1,12
        """

    /// The effect sizes, the model and the counts of `csv` for `measure` with escalc `options`.
    static func setup(_ csv: String, measure: EffectMeasure, options: EscalcOptions = EscalcOptions(),
                      model: RandomEffectsOptions) throws -> (RandomEffectsModel, ArmCounts, EffectSizes) {
        let table = try DataTable(csv: csv)
        let sizes = try EffectSizes.compute(measure: measure, data: table, options: options)
        let rows = sizes.availableIndices
        let fitted = try RandomEffectsModel.fit(effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
                                                options: model)
        let counts = try ArmCounts.read(measure: measure, data: table, options: options, rows: rows)
        return (fitted, counts, sizes)
    }
}

@Suite("Bootstrap --type arms: binomial (Poisson) resampling of the arms' events")
struct ArmBootstrapTests {
    static let dl = RandomEffectsOptions(estimator: .derSimonianLaird, test: .z)
    static let reml = RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z)

    @Test("The observed counts, scored as a replicate is, give escalc's yi and vi exactly",
          arguments: [("OR", ArmTestData.sparseCSV), ("RR", ArmTestData.sparseCSV), ("RD", ArmTestData.sparseCSV),
                      ("AS", ArmTestData.sparseCSV), ("PETO", ArmTestData.sparseCSV), ("OR", ArmTestData.bcgCSV),
                      ("PLO", "xi,ni\n0,12\n5,20\n9,9\n3,40"), ("PFT", "xi,ni\n0,12\n5,20\n9,9\n3,40"),
                      ("IRR", "x1i,t1i,x2i,t2i\n3,100.5,0,80\n7,210,12,190\n0,50,2,55"), ("IRLN", "xi,ti\n0,12.5\n4,30\n11,44")])
    func observedEqualsEscalc(measure: String, csv: String) throws {
        let m = try #require(EffectMeasure(rawValue: measure))
        for to in ContinuityCorrectionScope.allCases {
            let options = EscalcOptions(to: to)
            let table = try DataTable(csv: csv)
            let sizes = try EffectSizes.compute(measure: m, data: table, options: options)
            let counts = try ArmCounts.read(measure: m, data: table, options: options, rows: Array(0..<sizes.count))
            let (y, v) = counts.observedEffects()
            for i in 0..<sizes.count where sizes.yi[i].isFinite {
                #expect(y[i].bitPattern == sizes.yi[i].bitPattern && v[i].bitPattern == sizes.vi[i].bitPattern, "\(measure) to=\(to) row \(i)")
            }
        }
    }

    /// The slow reference: replicate b's counts drawn from stream (seed, b) study by study, arm 1 then arm 2,
    /// the 2×2 log odds ratio with escalc's `to` rule written out again, and a full `RandomEffectsModel` fit.
    static func directOR(_ tables: [(Double, Double, Double, Double)], options: EscalcOptions, model: RandomEffectsOptions,
                         seed: UInt64, replicate b: Int) -> [Double]? {
        var stream = RandomStream(seed: seed, stream: UInt64(b))
        var drawn: [(Double, Double, Double, Double)] = []
        for (a, n1, c, n2) in tables {
            let a2 = Double(stream.nextBinomial(trials: Int(n1), probability: a / n1))
            let c2 = Double(stream.nextBinomial(trials: Int(n2), probability: c / n2))
            drawn.append((a2, n1 - a2, c2, n2 - c2))
        }
        let zero = drawn.map { $0.0 == 0 || $0.1 == 0 || $0.2 == 0 || $0.3 == 0 }
        if options.drop00, drawn.contains(where: { ($0.0 == 0 && $0.2 == 0) || ($0.1 == 0 && $0.3 == 0) }) { return nil }
        var y: [Double] = [], v: [Double] = []
        for (i, t) in drawn.enumerated() {
            let corrected: Bool
            switch options.to {
            case .onlyZero: corrected = zero[i]
            case .all: corrected = true
            case .allIfAnyZero: corrected = zero.contains(true)
            case .none: corrected = false
            }
            let h = corrected ? options.add : 0
            let (a, bb, c, d) = (t.0 + h, t.1 + h, t.2 + h, t.3 + h)
            y.append(log(a * d / (bb * c)))
            v.append(1 / a + 1 / bb + 1 / c + 1 / d)
        }
        guard y.allSatisfy(\.isFinite), v.allSatisfy({ $0.isFinite && $0 > 0 }),
              let fit = try? RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: model)
        else { return nil }
        return [fit.estimate, fit.tauSquared, fit.iSquared!, fit.hSquared!]
    }

    static let sparseTables: [(Double, Double, Double, Double)] = [(0, 20, 3, 20), (2, 15, 5, 16), (1, 30, 0, 28), (4, 25, 9, 24), (1, 10, 1, 12)]

    @Test("OR replicates equal a direct implementation on sparse data, for every `to` rule and drop00",
          arguments: [EscalcOptions(), EscalcOptions(to: .allIfAnyZero), EscalcOptions(to: .all), EscalcOptions(add: 0.25),
                      EscalcOptions(drop00: true), EscalcOptions(to: .none)])
    func agreesWithDirect(options: EscalcOptions) throws {
        let (model, counts, _) = try ArmTestData.setup(ArmTestData.sparseCSV, measure: .logOddsRatio, options: options, model: Self.dl)
        let bootstrap = try Bootstrap(model: model, type: .arms, seed: 11, counts: counts)
        let run = try bootstrap.run(replicates: 0..<200, threads: 2)
        var failures = 0
        for b in 0..<200 {
            let row = Array(run.values[b * 4..<(b + 1) * 4])
            // to = none: the model holds only the studies without a zero cell (escalc NA), so the reference is
            // over those rows only.
            let tables = options.to == .none ? Self.sparseTables.filter { $0.0 > 0 && $0.2 > 0 } : Self.sparseTables
            guard let expected = Self.directOR(tables, options: options, model: Self.dl, seed: 11, replicate: b) else {
                failures += 1
                #expect(run.failures.contains { $0.replicate == b }, "replicate \(b) should fail")
                #expect(row.allSatisfy { $0.isNaN })
                continue
            }
            for (x, e) in zip(row, expected) { #expect(abs(x - e) <= 1e-12 * max(1, abs(e)), "replicate \(b)") }
        }
        #expect(run.failures.count == failures)
        if options.drop00 {
            // P(study 5 draws no events in both arms) = 0.9^10 (11/12)^12 ≈ 0.12: failures must occur, each with its reason.
            #expect(failures > 5)
            #expect(run.failures.allSatisfy { $0.reason.contains("drop00") })
        }
    }

    @Test("Single-group proportions (PLO) and person-time (IRR): replicates equal a direct implementation")
    func proportionsAndPersonTime() throws {
        let plo = [(0.0, 12.0), (5, 20), (9, 9), (3, 40), (14, 31)]
        let (pm, pc, _) = try ArmTestData.setup("xi,ni\n" + plo.map { "\(Int($0.0)),\(Int($0.1))" }.joined(separator: "\n"),
                                                measure: .logitProportion, model: Self.dl)
        let prun = try Bootstrap(model: pm, type: .arms, seed: 5, counts: pc).run(replicates: 0..<100, threads: 2)
        for b in 0..<100 {
            var stream = RandomStream(seed: 5, stream: UInt64(b))
            var y: [Double] = [], v: [Double] = []
            for (x, n) in plo {
                let e = Double(stream.nextBinomial(trials: Int(n), probability: x / n))
                let h = e == 0 || e == n ? 0.5 : 0
                y.append(log((e + h) / (n - e + h)))
                v.append(1 / (e + h) + 1 / (n - e + h))
            }
            let fit = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: Self.dl)
            #expect(abs(prun.values[b * 4] - fit.estimate) <= 1e-12 && abs(prun.values[b * 4 + 1] - fit.tauSquared) <= 1e-12)
        }
        let irr = [(3.0, 100.5, 1.0, 80.0), (7, 210, 12, 190), (4, 50, 2, 55), (20, 400, 31, 380)]
        let (im, ic, _) = try ArmTestData.setup("x1i,t1i,x2i,t2i\n" + irr.map { "\(Int($0.0)),\($0.1),\(Int($0.2)),\($0.3)" }.joined(separator: "\n"),
                                                measure: .logIncidenceRateRatio, model: Self.dl)
        let irun = try Bootstrap(model: im, type: .arms, seed: 6, counts: ic).run(replicates: 0..<100, threads: 2)
        for b in 0..<100 {
            var stream = RandomStream(seed: 6, stream: UInt64(b))
            var y: [Double] = [], v: [Double] = []
            for (x1, t1, x2, t2) in irr {
                let e1 = Double(stream.nextPoisson(mean: x1)), e2 = Double(stream.nextPoisson(mean: x2))
                let h = e1 == 0 || e2 == 0 ? 0.5 : 0
                y.append(log((e1 + h) / t1) - log((e2 + h) / t2))
                v.append(1 / (e1 + h) + 1 / (e2 + h))
            }
            let fit = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: Self.dl)
            #expect(abs(irun.values[b * 4] - fit.estimate) <= 1e-12 && abs(irun.values[b * 4 + 1] - fit.tauSquared) <= 1e-12)
        }
    }

    @Test("Meta-regression (BCG log OR on latitude): replicates equal full MetaRegressionModel fits of the redrawn tables")
    func metaRegression() throws {
        let latitude = MetaRegressionBootstrapTests.latitude
        let table = try DataTable(csv: ArmTestData.bcgCSV)
        let sizes = try EffectSizes.compute(measure: .logOddsRatio, data: table)
        let design = try DesignMatrix(continuous: [("ablat", latitude)])
        let model = try MetaRegressionModel.fit(effectSizes: sizes.yi, samplingVariances: sizes.vi, design: design, options: .metafor)
        let counts = try ArmCounts.read(measure: .logOddsRatio, data: table, options: EscalcOptions(), rows: Array(0..<13))
        let run = try Bootstrap(model: model, type: .arms, seed: 77, counts: counts).run(replicates: 0..<40, threads: 2)
        for b in 0..<40 {
            var stream = RandomStream(seed: 77, stream: UInt64(b))
            var y: [Double] = [], v: [Double] = []
            for (a, bb, c, d) in ResamplingTestData.bcgCounts {
                let a2 = Double(stream.nextBinomial(trials: Int(a + bb), probability: a / (a + bb)))
                let c2 = Double(stream.nextBinomial(trials: Int(c + d), probability: c / (c + d)))
                let (b2, d2) = (a + bb - a2, c + d - c2)
                let h = a2 == 0 || b2 == 0 || c2 == 0 || d2 == 0 ? 0.5 : 0
                y.append(log((a2 + h) * (d2 + h) / ((b2 + h) * (c2 + h))))
                v.append(1 / (a2 + h) + 1 / (b2 + h) + 1 / (c2 + h) + 1 / (d2 + h))
            }
            let direct = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design, options: .metafor)
            let expected = direct.coefficients + [direct.tauSquared, direct.iSquared, direct.hSquared]
            for (j, e) in expected.enumerated() {
                #expect(abs(run.values[b * 5 + j] - e) <= 1e-9 * max(1, abs(e)), "replicate \(b) statistic \(j)")
            }
        }
    }

    @Test("Bit-identical for 1, 2 and 4 threads; 4 shards merged equal one run")
    func threadsAndShards() throws {
        let (model, counts, _) = try ArmTestData.setup(ArmTestData.bcgCSV, measure: .logOddsRatio, model: Self.reml)
        let bootstrap = try Bootstrap(model: model, type: .arms, seed: 20_261_127, counts: counts)
        let one = try bootstrap.run(replicates: 0..<301, threads: 1)
        for threads in [2, 4] {
            let other = try bootstrap.run(replicates: 0..<301, threads: threads)
            #expect(other.values.map(\.bitPattern) == one.values.map(\.bitPattern))
            #expect(other.failures == one.failures)
        }
        let slices = try (1...4).reversed().map { i in
            try bootstrap.run(replicates: Bootstrap.shardRange(index: i, count: 4, total: 301), threads: 2)
        }
        let merged = try BootstrapReplicates.merged(slices, total: 301)
        #expect(merged.values.map(\.bitPattern) == one.values.map(\.bitPattern))
        #expect(merged.failures == one.failures)
    }

    /// Reference: the same arm bootstrap written independently in R 4.2.2 with R's own `rbinom`, B = 200,000,
    /// on metafor 3.8-1's `dat.bcg` (the common-effect estimate computed by hand per replicate, add 1/2 to a
    /// table with a zero cell), gave SD(μ̂*) = 0.040041 (Monte Carlo relative SD 1/√(2B) = 0.16%), while
    /// `rma(measure = "OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg, method = "EE")$se` =
    /// 0.042265: the bootstrap SE is about 5% below the model SE, because the estimated weights 1/v*_i move with
    /// y*_i (the delta-method variance 1/Σw_i holds to first order only). Bound: with B = 4000 our SE has
    /// relative Monte Carlo SD 1/√(2·4000) = 1.1%, so 4.5% is four of them (plus R's 0.16%); and within 10% of
    /// the model SE. R code:
    ///
    ///     n1 <- tpos+tneg; n2 <- cpos+cneg; for (b in 1:B) { a <- rbinom(k, n1, tpos/n1); c <- rbinom(k, n2, cpos/n2)
    ///       bb <- n1-a; d <- n2-c; z <- (a==0|bb==0|c==0|d==0)*0.5; ... y <- log(a*d/(bb*c)); v <- 1/a+1/bb+1/c+1/d
    ///       mu[b] <- sum(y/v)/sum(1/v) }; sd(mu)   # set.seed(1)
    @Test("BCG, common effect: bootstrap SE of the pooled log OR agrees with an independent R run and is near the model SE")
    func bcgStandardError() throws {
        let ee = RandomEffectsOptions(estimator: .commonEffect, test: .z)
        let (model, counts, _) = try ArmTestData.setup(ArmTestData.bcgCSV, measure: .logOddsRatio, model: ee)
        let run = try Bootstrap(model: model, type: .arms, seed: 1948, counts: counts).run(replicates: 0..<4000)
        #expect(run.failures.isEmpty)
        let mu = run.column(0)
        let mean = mu.reduce(0, +) / Double(mu.count)
        var ss = 0.0
        for x in mu { ss += (x - mean) * (x - mean) }
        let se = (ss / Double(mu.count - 1)).squareRoot()
        #expect(abs(model.standardError - 0.042265) < 5e-7)
        #expect(abs(se / 0.040041 - 1) < 0.045, "bootstrap SE \(se)")
        #expect(abs(se / model.standardError - 1) < 0.10, "bootstrap SE \(se), model SE \(model.standardError)")
    }

    @Test("Arms without counts is the armsNeedCounts error; a non-count measure cannot be read")
    func needsCounts() throws {
        let (y, v) = ResamplingTestData.bcg
        let model = try RandomEffectsModel.fit(effectSizes: y, samplingVariances: v, options: Self.dl)
        #expect(throws: ResamplingError.armsNeedCounts(measure: "GEN")) { try Bootstrap(model: model, type: .arms, seed: 1) }
        let table = try DataTable(csv: "yi,vi\n0.1,0.2\n0.3,0.1")
        #expect(throws: ResamplingError.armsNeedCounts(measure: "GEN")) {
            try ArmCounts.read(measure: .generic, data: table, options: EscalcOptions(), rows: [0, 1])
        }
        let fractional = try DataTable(csv: "ai,n1i,ci,n2i\n2.5,10,3,10\n1,10,2,10")
        #expect(throws: InputError.self) {
            try ArmCounts.read(measure: .logOddsRatio, data: fractional, options: EscalcOptions(), rows: [0, 1])
        }
    }
}
