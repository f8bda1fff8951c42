import MetaAnalysis
import MetaNumerics
import Testing

/// From k = 2^16 the intercept-only kernel sums over fixed chunks on all processors; the sums must still be the
/// plain sums of the formulas (checked here against straightforward loops written out in the test).
@Suite("Intercept-only kernel: chunked parallel sums at large k")
struct InterceptOnlyKernelChunkedTests {
    @Test("k = 300,000: every quantity of fit(τ²) equals a direct sequential evaluation")
    func chunkedEqualsDirect() {
        var stream = RandomStream(seed: 11, stream: 0)
        let k = 300_000
        var y = [Double](), v = [Double]()
        for _ in 0..<k {
            let vi = 0.01 + 0.09 * stream.nextUniform()
            v.append(vi)
            y.append(0.3 + (0.04 + vi).squareRoot() * stream.nextNormal())
        }
        let kernel = InterceptOnlyKernel(effects: y, variances: v)
        for t in [0.0, 0.04] {
            let f = kernel.fit(tauSquared: t)
            var s1 = 0.0, s2 = 0.0, s3 = 0.0, swy = 0.0
            for i in 0..<k {
                let w = 1 / (v[i] + t)
                s1 += w; s2 += w * w; s3 += w * w * w; swy += w * y[i]
            }
            let beta = swy / s1
            var q = 0.0, qpp = 0.0
            for i in 0..<k {
                let w = 1 / (v[i] + t), r = y[i] - beta
                q += w * r * r
                qpp += w * w * r * r
            }
            let traceP = s1 - s2 / s1, tracePP = s2 - 2 * s3 / s1 + (s2 / s1) * (s2 / s1)
            for (a, b) in [(f.sumOfWeights, s1), (f.residualQ, q), (f.residualQPP, qpp), (f.traceP, traceP), (f.tracePP, tracePP)] {
                #expect(abs(a - b) <= 1e-11 * abs(b), "\(a) vs \(b)")
            }
            #expect(f == kernel.fit(tauSquared: t), "repeatable bit for bit")
        }
    }
}
