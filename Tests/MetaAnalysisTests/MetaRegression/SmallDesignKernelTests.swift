import MetaAnalysis
import MetaNumerics
import Testing

/// The normal-equation kernel against explicit k × k matrix algebra (`DirectAlgebra`: P = W − WX(XᵀWX)⁻¹XᵀW
/// formed densely) and against the QR path, including a raw calendar-year moderator whose uncentred design is
/// ill-conditioned, and the fallback for a design that stays ill-conditioned after centring and scaling.
@Suite("Small-design kernel (normal equations on a centred, scaled design)")
struct SmallDesignKernelTests {
    static func dense(_ x: [[Double]], _ y: [Double], _ v: [Double], _ t: Double)
        -> (q: Double, qpp: Double, qppp: Double, traceP: Double, tracePP: Double) {
        let k = y.count
        let f = DirectAlgebra.fit(x: x, y: y, w: v.map { 1 / ($0 + t) })
        let py = (0..<k).map { i in (0..<k).reduce(0) { $0 + f.p[i][$1] * y[$1] } }
        let ppy = (0..<k).map { i in (0..<k).reduce(0) { $0 + f.p[i][$1] * py[$1] } }
        let pp = (0..<k).map { i in (0..<k).map { j in (0..<k).reduce(0) { $0 + f.p[i][$1] * f.p[$1][j] } } }
        return (zip(y, py).reduce(0) { $0 + $1.0 * $1.1 }, py.reduce(0) { $0 + $1 * $1 }, zip(py, ppy).reduce(0) { $0 + $1.0 * $1.1 },
                (0..<k).reduce(0) { $0 + f.p[$1][$1] }, (0..<k).reduce(0) { $0 + pp[$1][$1] })
    }

    @Test("YᵀPY, YᵀPPY, YᵀPPPY, tr P, tr PP equal dense algebra; β̂ and Var(β̂) equal QR (dose, age, route)",
          arguments: [1, 2, 3] as [UInt64])
    func agreesWithDenseAlgebra(seed: UInt64) throws {
        let (y, v, design, rows) = try MetaRegressionTests.randomData(seed: seed)
        let kernel = SmallDesignKernel(effects: y, variances: v, design: design.matrix)
        #expect(kernel.isWellConditioned)
        let qr = GeneralDesignKernel(effects: y, variances: v, design: design.matrix, smallDesignPath: false)
        for t in [0.0, 0.02, 0.7] {
            let f = kernel.fit(tauSquared: t)
            let d = Self.dense(rows, y, v, t)
            for (a, b) in [(f.residualQ, d.q), (f.residualQPP, d.qpp), (f.residualQPPP, d.qppp), (f.traceP, d.traceP), (f.tracePP, d.tracePP)] {
                #expect(abs(a - b) <= 1e-10 * abs(b), "\(a) vs \(b) at τ² = \(t)")
            }
            let g = qr.fit(tauSquared: t)
            #expect(abs(f.logDetInformation - g.logDetInformation) <= 1e-10 * abs(g.logDetInformation))
            #expect(abs(f.logDetDesign - g.logDetDesign) <= 1e-10 * abs(g.logDetDesign))
            for scheme in [MomentWeights.equal, .inverseVariance(tauSquared: 0.1)] {
                let a = kernel.generalizedQ(weights: scheme, sigmaTauSquared: t), b = qr.generalizedQ(weights: scheme, sigmaTauSquared: t)
                for (x, z) in [(a.q, b.q), (a.traceP, b.traceP), (a.tracePV, b.tracePV), (a.tracePSigmaPSigma, b.tracePSigmaPSigma)] {
                    #expect(abs(x - z) <= 1e-10 * abs(z))
                }
            }
            let solved = try #require(kernel.coefficientsAndCovariance(tauSquared: t))
            let reference = try #require(qr.projection(weights: v.map { 1 / ($0 + t) }))
            for j in 0..<design.coefficientCount {
                #expect(abs(solved.coefficients[j] - reference.coefficients[j]) <= 1e-10 * max(1e-3, abs(reference.coefficients[j])))
                for l in 0..<design.coefficientCount {
                    #expect(abs(solved.covariance[j, l] - reference.inverseInformation[j, l])
                            <= 1e-10 * (reference.inverseInformation[j, j] * reference.inverseInformation[l, l]).squareRoot())
                }
            }
        }
    }

    @Test("raw calendar year (κ₂(X) ≈ 10⁴ uncentred): centring keeps the fast path as accurate as QR")
    func rawYear() throws {
        let (y, v) = ResamplingTestData.bcg
        let year = try BCGData.column("year"), ablat = try BCGData.column("ablat")
        let design = try DesignMatrix(continuous: [("year", year), ("ablat", ablat)])
        let kernel = SmallDesignKernel(effects: y, variances: v, design: design.matrix)
        #expect(kernel.isWellConditioned)
        let qr = GeneralDesignKernel(effects: y, variances: v, design: design.matrix, smallDesignPath: false)
        for t in [0.0, 0.1] {
            let f = kernel.fit(tauSquared: t), g = qr.fit(tauSquared: t)
            for (a, b) in [(f.residualQ, g.residualQ), (f.residualQPPP, g.residualQPPP), (f.traceP, g.traceP), (f.tracePP, g.tracePP)] {
                #expect(abs(a - b) <= 1e-10 * abs(b))
            }
        }
    }

    @Test("two nearly collinear moderators: not well-conditioned, so GeneralDesignKernel keeps to QR")
    func fallback() throws {
        let (y, v, _, _) = try MetaRegressionTests.randomData(seed: 5)
        let k = y.count
        let x1 = (0..<k).map { Double($0) }
        let x2 = (0..<k).map { Double($0) + 1e-6 * Double(($0 * 7) % 5) }
        let design = try DesignMatrix(continuous: [("x1", x1), ("x2", x2)])
        #expect(!SmallDesignKernel(effects: y, variances: v, design: design.matrix).isWellConditioned)
        let general = GeneralDesignKernel(effects: y, variances: v, design: design.matrix)
        let qr = GeneralDesignKernel(effects: y, variances: v, design: design.matrix, smallDesignPath: false)
        #expect(general.fit(tauSquared: 0.1) == qr.fit(tauSquared: 0.1))
    }
}
