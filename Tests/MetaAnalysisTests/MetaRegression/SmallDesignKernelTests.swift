import MetaAnalysis
import MetaNumerics
import Testing

/// The normal-equation kernel against explicit k × k matrix algebra (`DirectAlgebra`: P = W − WX(XᵀWX)⁻¹XᵀW
/// formed densely), against the QR path (within κ²ε: it runs through OpenBLAS), against exact arithmetic for a raw
/// calendar-year moderator whose uncentred design is ill-conditioned, and the fallback for a design that stays ill-conditioned after centring and scaling.
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
            // The QR side runs through OpenBLAS on the uncentred design, so its error depends on the CPU's kernel:
            // up to κ₂(W^½X)²·ε relative (C = (XᵀWX)⁻¹ and the leverages are formed from the raw columns): 1e-10
            // unless κ²ε exceeds it.
            let kappa = try Self.conditionNumber(design.matrix, weights: v.map { 1 / ($0 + t) })
            let qrBound = max(1e-10, kappa * kappa * Double.ulpOfOne)
            let g = qr.fit(tauSquared: t)
            #expect(abs(f.logDetInformation - g.logDetInformation) <= qrBound * abs(g.logDetInformation))
            #expect(abs(f.logDetDesign - g.logDetDesign) <= qrBound * abs(g.logDetDesign))
            for scheme in [MomentWeights.equal, .inverseVariance(tauSquared: 0.1)] {
                let a = kernel.generalizedQ(weights: scheme, sigmaTauSquared: t), b = qr.generalizedQ(weights: scheme, sigmaTauSquared: t)
                for (x, z) in [(a.q, b.q), (a.traceP, b.traceP), (a.tracePV, b.tracePV), (a.tracePSigmaPSigma, b.tracePSigmaPSigma)] {
                    #expect(abs(x - z) <= qrBound * abs(z))
                }
            }
            let solved = try #require(kernel.coefficientsAndCovariance(tauSquared: t))
            let reference = try #require(qr.projection(weights: v.map { 1 / ($0 + t) }))
            for j in 0..<design.coefficientCount {
                #expect(abs(solved.coefficients[j] - reference.coefficients[j]) <= qrBound * max(1e-3, abs(reference.coefficients[j])))
                for l in 0..<design.coefficientCount {
                    #expect(abs(solved.covariance[j, l] - reference.inverseInformation[j, l])
                            <= qrBound * (reference.inverseInformation[j, j] * reference.inverseInformation[l, l]).squareRoot())
                }
            }
        }
    }

    /// Y'PY, Y'PPY, Y'PPPY, tr P and tr PP of the raw-year design [1, year, ablat] in exact rational arithmetic on
    /// the same doubles (`scripts/exact-raw-year.py`), at τ² = 0 and 0.1.
    static let rawYearExact: [(tauSquared: Double, values: [Double])] = [
        (0.0, [28.325143657961647, 828.5406153902176, 68971.04767678428, 231.84951022247512, 16050.69447848654]),
        (0.1, [12.83903053407672, 53.652787195903024, 276.6773196987279, 51.46187320775632, 324.28495221790024]),
    ]

    /// κ₂(A^½X) = √(λ_max/λ_min) of XᵀAX: what limits any floating-point route through the uncentred design.
    static func conditionNumber(_ x: Matrix, weights a: [Double]) throws -> Double {
        var scaled = x
        for i in 0..<x.rows { for j in 0..<x.columns { scaled[i, j] *= a[i].squareRoot() } }
        let eigen = try SymmetricEigenDecomposition(scaled.gram)
        return (eigen.eigenvalues.last! / eigen.eigenvalues.first!).squareRoot()
    }

    /// The fast path is held to exact arithmetic: it centres and scales the design, solves no BLAS/LAPACK problem,
    /// and loses only a few ulps. The QR path works on the raw design, whose error depends on the BLAS kernel
    /// OpenBLAS picks for the CPU (generic Prescott: tr PP off by 1.7e-10 relative; Haswell: less). Its quantities
    /// (C = (XᵀAX)⁻¹ and the leverages x_iᵀCx_i formed from the raw columns) carry relative errors up to
    /// κ₂(A^½X)²·ε, so that is the bound it is held to (κ computed here, ≈ 10⁵–10⁶).
    @Test("raw calendar year (κ₂(X) ≈ 10⁵ uncentred): the centred fast path equals exact arithmetic; QR within κ²ε")
    func rawYear() throws {
        let (y, v) = ResamplingTestData.bcg
        let year = try BCGData.column("year"), ablat = try BCGData.column("ablat")
        let design = try DesignMatrix(continuous: [("year", year), ("ablat", ablat)])
        let kernel = SmallDesignKernel(effects: y, variances: v, design: design.matrix)
        #expect(kernel.isWellConditioned)
        let qr = GeneralDesignKernel(effects: y, variances: v, design: design.matrix, smallDesignPath: false)
        for (t, exact) in Self.rawYearExact {
            let f = kernel.fit(tauSquared: t), g = qr.fit(tauSquared: t)
            let kappa = try Self.conditionNumber(design.matrix, weights: v.map { 1 / ($0 + t) })
            #expect(kappa > 1e4, "the design is meant to be ill-conditioned uncentred (κ₂ = \(kappa))")
            let qrBound = kappa * kappa * Double.ulpOfOne
            let names = ["YᵀPY", "YᵀPPY", "YᵀPPPY", "tr P", "tr PP"]
            let fast = [f.residualQ, f.residualQPP, f.residualQPPP, f.traceP, f.tracePP]
            let viaQR = [g.residualQ, g.residualQPP, g.residualQPPP, g.traceP, g.tracePP]
            for (j, e) in exact.enumerated() {
                #expect(abs(fast[j] - e) <= 1e-12 * abs(e), "fast path \(names[j]) = \(fast[j]), exact \(e) at τ² = \(t)")
                #expect(abs(viaQR[j] - e) <= qrBound * abs(e),
                        "QR \(names[j]) = \(viaQR[j]), exact \(e) at τ² = \(t): off by \(abs(viaQR[j] - e) / abs(e)), bound κ²ε = \(qrBound)")
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
