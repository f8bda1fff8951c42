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

    /// Every one of the 2^15 − 1 subsets agrees with fitting that subset directly (EE and DL use the O(1)
    /// Gray-code updates; REML refits through the subset kernel).
    @Test(arguments: [TauSquaredEstimator.commonEffect, .derSimonianLaird, .restrictedMaximumLikelihood])
    func k15AgreesWithDirectFits(estimator: TauSquaredEstimator) throws {
        let options = RandomEffectsOptions(estimator: estimator, test: .z)
        let model = try RandomEffectsModel.fit(effectSizes: Self.data.y, samplingVariances: Self.data.v, options: options)
        let gosh = try GOSHAnalysis(model: model)
        #expect(gosh.isExhaustive && gosh.subsetCount == 32767)
        let subsets = try gosh.subsets(threads: 2)
        #expect(Set(subsets.map(\.mask)).count == 32767)
        // Check every 7th subset (and all for the closed forms would take long in debug builds).
        let stride = estimator == .restrictedMaximumLikelihood ? 37 : 7
        for s in Swift.stride(from: 0, to: subsets.count, by: stride).map({ subsets[$0] }) {
            let direct = try Self.directFit(s.mask, options)
            #expect(s.studyCount == direct.studyCount)
            #expect(abs(s.estimate - direct.estimate) <= 1e-9 * max(1, abs(direct.estimate)), "mask \(s.mask)")
            #expect(abs(s.tauSquared - direct.tauSquared) <= 1e-9, "mask \(s.mask)")
            if s.studyCount > 1 {
                #expect(abs(s.cochranQ - direct.cochranQ!) <= 1e-9 * max(1, direct.cochranQ!), "mask \(s.mask)")
                #expect(abs(s.iSquared - direct.iSquared!) <= 1e-7, "mask \(s.mask)")
            }
        }
    }

    /// Results do not depend on the number of threads.
    @Test func threadCountDoesNotChangeResults() throws {
        let model = try RandomEffectsModel.fit(effectSizes: Self.data.y, samplingVariances: Self.data.v,
                                               options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        let gosh = try GOSHAnalysis(model: model)
        #expect(try gosh.subsets(threads: 1) == gosh.subsets(threads: 3))
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
