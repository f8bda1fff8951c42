import MetaData
import MetaAnalysis
import MetaNumerics
import Testing

@Suite("GOSH")
struct GOSHAnalysisTests {
    /// 15 studies from a seeded stream (effects around 0.3, variances 0.01–0.2).
    static let data: (y: [Double], v: [Double]) = {
        var stream = RandomStream(seed: 2012, stream: 0)
        let v = (0..<15).map { _ in 0.01 + 0.19 * stream.nextUniform() }
        let y = v.map { 0.3 + 0.25 * stream.nextNormal() + $0.squareRoot() * stream.nextNormal() }
        return (y, v)
    }()

    static func directFit(_ mask: UInt64, _ options: RandomEffectsOptions) throws -> RandomEffectsModel {
        let idx = (0..<15).filter { mask & (1 << UInt64($0)) != 0 }
        return try RandomEffectsModel.fit(effectSizes: idx.map { data.y[$0] }, samplingVariances: idx.map { data.v[$0] }, options: options)
    }

    /// The textbook formulas on the subset's raw data, two passes, nothing shared with the GOSH kernel:
    /// w = 1/v, μ̂_EE = Σwy/Σw, Q = Σw(y − μ̂_EE)², I²_EE = max(0, (Q − df)/Q) (Higgins & Thompson 2002);
    /// DL τ² = max(0, (Q − df)/(Σw − Σw²/Σw)) (DerSimonian & Laird 1986), μ̂_DL with weights 1/(v + τ²),
    /// I²_DL = τ²/(τ² + s²), s² = df/(Σw − Σw²/Σw) (metafor's typical within-study variance).
    static func closedForm(_ mask: UInt64, derSimonianLaird: Bool) -> (k: Int, estimate: Double, tau2: Double, i2: Double, q: Double) {
        let idx = (0..<15).filter { mask & (1 << UInt64($0)) != 0 }
        let y = idx.map { data.y[$0] }, w = idx.map { 1 / data.v[$0] }
        let sw = w.reduce(0, +)
        let muEE = zip(w, y).map { $0 * $1 }.reduce(0, +) / sw
        guard idx.count > 1 else { return (1, y[0], 0, 0, 0) }
        let q = zip(w, y).map { $0 * ($1 - muEE) * ($1 - muEE) }.reduce(0, +)
        let df = Double(idx.count - 1)
        guard derSimonianLaird else { return (idx.count, muEE, 0, q > 0 ? max(0, 100 * (q - df) / q) : 0, q) }
        let c = sw - w.map { $0 * $0 }.reduce(0, +) / sw
        let tau2 = max(0, (q - df) / c)
        let wStar = idx.map { 1 / (data.v[$0] + tau2) }
        let mu = zip(wStar, y).map { $0 * $1 }.reduce(0, +) / wStar.reduce(0, +)
        return (idx.count, mu, tau2, 100 * tau2 / (tau2 + df / c), q)
    }

    /// DESIGN.md §3: closed-form quantities within relative 1e-10 (absolute 1e-12 near zero); iterative
    /// (REML) ones within 1e-7.
    static func agrees(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-12) -> Bool {
        let diff = abs(actual - expected)
        return diff <= absolute || diff <= relative * abs(expected)
    }

    /// Checks all 2^15 − 1 subsets with `check` (nil: agrees; else what differs), on several threads.
    static func disagreements(_ subsets: [GOSHSubset], _ check: @escaping @Sendable (GOSHSubset) throws -> String?) -> [String] {
        ParallelLoop.map(subsets.count, threads: 2) { i in
            do { return try check(subsets[i]) } catch { return "mask \(subsets[i].mask): \(error)" }
        }.compactMap { $0 }
    }

    /// Every one of the 2^15 − 1 subsets, EE and DL (the O(1) Gray-code updates), agrees with the closed
    /// formulas applied to that subset's data at the closed-form tolerance: estimate, τ², I², Q.
    @Test(arguments: [TauSquaredEstimator.commonEffect, .derSimonianLaird])
    func k15AllSubsetsAgreeWithClosedForms(estimator: TauSquaredEstimator) throws {
        let options = RandomEffectsOptions(estimator: estimator, test: .z)
        let model = try RandomEffectsModel.fit(effectSizes: Self.data.y, samplingVariances: Self.data.v, options: options)
        let gosh = try GOSHAnalysis(model: model)
        #expect(gosh.isExhaustive && gosh.subsetCount == 32767)
        let subsets = try gosh.subsets(threads: 2)
        #expect(Set(subsets.map(\.mask)).count == 32767)
        let isDL = estimator == .derSimonianLaird
        let failed = Self.disagreements(subsets) { s in
            let d = Self.closedForm(s.mask, derSimonianLaird: isDL)
            let ok = s.studyCount == d.k && Self.agrees(s.estimate, d.estimate, relative: 1e-10)
                && Self.agrees(s.tauSquared, d.tau2, relative: 1e-10) && Self.agrees(s.iSquared, d.i2, relative: 1e-10)
                && Self.agrees(s.cochranQ, d.q, relative: 1e-10)
            return ok ? nil : "mask \(s.mask): GOSH \(s), direct \(d)"
        }
        #expect(failed.isEmpty, "\(failed.count) subsets disagree, e.g. \(failed.prefix(3))")
    }

    /// Every one of the 2^15 − 1 subsets, REML (refitted through the subset kernel), agrees with the ordinary
    /// `RandomEffectsModel.fit` on the subset's data: estimate, τ², I² at the iterative tolerance, Q closed form.
    @Test func k15AllSubsetsAgreeWithDirectREMLFits() throws {
        let options = RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z)
        let model = try RandomEffectsModel.fit(effectSizes: Self.data.y, samplingVariances: Self.data.v, options: options)
        let gosh = try GOSHAnalysis(model: model)
        let subsets = try gosh.subsets(threads: 2)
        #expect(subsets.count == 32767)
        let failed = Self.disagreements(subsets) { s in
            let direct = try Self.directFit(s.mask, options)
            let ok = s.studyCount == direct.studyCount
                && Self.agrees(s.estimate, direct.estimate, relative: 1e-7, absolute: 1e-10)
                && Self.agrees(s.tauSquared, direct.tauSquared, relative: 1e-7, absolute: 1e-10)
                && Self.agrees(s.iSquared, direct.iSquared ?? 0, relative: 1e-7, absolute: 1e-10)
                && Self.agrees(s.cochranQ, direct.cochranQ ?? 0, relative: 1e-10)
            return ok ? nil : "mask \(s.mask): GOSH \(s), direct estimate \(direct.estimate) tau2 \(direct.tauSquared) I2 \(direct.iSquared ?? 0) Q \(direct.cochranQ ?? 0)"
        }
        #expect(failed.isEmpty, "\(failed.count) subsets disagree, e.g. \(failed.prefix(3))")
    }

    /// Results do not depend on the number of threads.
    @Test func threadCountDoesNotChangeResults() throws {
        let model = try RandomEffectsModel.fit(effectSizes: Self.data.y, samplingVariances: Self.data.v,
                                               options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        let gosh = try GOSHAnalysis(model: model)
        #expect(try gosh.subsets(threads: 1) == gosh.subsets(threads: 3))
    }

    /// A subset's value does not depend on the range it is computed in: shards starting inside a block, and a
    /// stream in small batches, give bit for bit the single run's subsets (EE/DL replay the block's updates).
    @Test(arguments: [TauSquaredEstimator.commonEffect, .derSimonianLaird, .restrictedMaximumLikelihood])
    func shardsAndStreamsEqualTheSingleRun(estimator: TauSquaredEstimator) throws {
        let model = try RandomEffectsModel.fit(effectSizes: Self.data.y, samplingVariances: Self.data.v,
                                               options: RandomEffectsOptions(estimator: estimator, test: .z))
        let gosh = try GOSHAnalysis(model: model)
        let single = try gosh.subsets(threads: 1)
        var sharded: [GOSHSubset] = []
        for i in 1...7 { sharded += try gosh.subsets(in: gosh.shardRange(index: i, count: 7), threads: 2) }
        #expect(sharded == single)
        #expect(try gosh.shardRange(index: 3, count: 7) == 9362..<14043)
        var streamed: [GOSHSubset] = []
        try gosh.stream(100..<20_000, batchSize: 5000, threads: 2) { streamed += $0 }
        #expect(streamed == Array(single[100..<20_000]))
        #expect(throws: InputError.self) { try gosh.shardRange(index: 8, count: 7) }
    }

    /// Beyond the exhaustive limit, subsets are a seeded sample: reproducible, never empty.
    @Test func sampledSubsetsAreSeeded() throws {
        let model = try RandomEffectsModel.fit(effectSizes: Self.data.y, samplingVariances: Self.data.v,
                                               options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        let a = try GOSHAnalysis(model: model, exhaustiveLimit: 10, sampleCount: 500, seed: 7)
        let b = try GOSHAnalysis(model: model, exhaustiveLimit: 10, sampleCount: 500, seed: 7)
        #expect(!a.isExhaustive)
        let sa = try a.subsets(threads: 2), sb = try b.subsets(threads: 1)
        #expect(sa == sb)
        #expect(sa.allSatisfy { $0.mask != 0 && $0.mask < (1 << 15) })
        let direct = try Self.directFit(sa[17].mask, RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        #expect(abs(sa[17].estimate - direct.estimate) <= 1e-12 * max(1, abs(direct.estimate)))
    }
}
