import MetaAnalysis
import MetaNumerics
import Testing
import _TestSupport
import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014) so the random designs are reproducible.
private typealias SeededStream = SplitMix64

/// Direct dense matrix algebra written out in the test (Gauss–Jordan inverse, explicit k × k projection), an
/// independent second route to every quantity the library computes through QR and its trace identities.
enum DirectAlgebra {
    static func inverse(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var m = a.enumerated().map { i, row in row + (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for c in 0..<n {
            let pivot = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, pivot)
            let d = m[c][c]
            m[c] = m[c].map { $0 / d }
            for r in 0..<n where r != c {
                let f = m[r][c]
                m[r] = zip(m[r], m[c]).map { $0 - f * $1 }
            }
        }
        return m.map { Array($0[n...]) }
    }

    /// β̂, Var(β̂) = (XᵀWX)⁻¹ and P = W − WX(XᵀWX)⁻¹XᵀW for weights w.
    static func fit(x: [[Double]], y: [Double], w: [Double]) -> (beta: [Double], vcov: [[Double]], p: [[Double]]) {
        let k = x.count, p = x[0].count
        var xtwx = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var xtwy = [Double](repeating: 0, count: p)
        for i in 0..<k {
            for a in 0..<p {
                xtwy[a] += w[i] * x[i][a] * y[i]
                for b in 0..<p { xtwx[a][b] += w[i] * x[i][a] * x[i][b] }
            }
        }
        let c = inverse(xtwx)
        let beta = (0..<p).map { a in (0..<p).reduce(0) { $0 + c[a][$1] * xtwy[$1] } }
        var projection = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for i in 0..<k {
            for j in 0..<k {
                var s = 0.0
                for a in 0..<p { for b in 0..<p { s += x[i][a] * c[a][b] * x[j][b] } }
                projection[i][j] = (i == j ? w[i] : 0) - w[i] * s * w[j]
            }
        }
        return (beta, c, projection)
    }

    static func quadratic(_ m: [[Double]], _ u: [Double], _ v: [Double]) -> Double {
        var s = 0.0
        for i in u.indices { for j in v.indices { s += u[i] * m[i][j] * v[j] } }
        return s
    }
}

@Suite("Meta-regression")
struct MetaRegressionTests {
    /// A seeded random design: k = 25 studies, an intercept, two continuous moderators and a three-level factor.
    static func randomData(seed: UInt64) throws -> (y: [Double], v: [Double], design: DesignMatrix, rows: [[Double]]) {
        var g = SeededStream(state: seed)
        let k = 25
        let dose = (0..<k).map { _ in 10 + 40 * g.uniform() }
        let age = (0..<k).map { _ in 20 + 50 * g.uniform() }
        let route = (0..<k).map { i in ["oral", "iv", "nasal"][i % 3] }
        let v = (0..<k).map { _ in 0.01 + 0.2 * g.uniform() }
        let y = (0..<k).map { i in 0.2 + 0.01 * dose[i] - 0.004 * age[i] + (route[i] == "iv" ? 0.3 : 0) + (g.uniform() - 0.5) }
        let design = try DesignMatrix(continuous: [("dose", dose), ("age", age)], categorical: [("route", route)])
        return (y, v, design, (0..<k).map { design.matrix.row($0) })
    }

    @Test("coefficients, covariance, QE, DL τ², QM and predictions agree with direct matrix algebra", arguments: [1, 2, 3] as [UInt64])
    func directAlgebra(seed: UInt64) throws {
        let (y, v, design, x) = try Self.randomData(seed: seed)
        #expect(design.coefficientNames == ["intrcpt", "dose", "age", "routenasal", "routeoral"])
        let k = y.count, p = design.coefficientCount
        let m = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design,
                                            options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        // DL by hand: QE and tr(P) at weights 1/v.
        let w0 = v.map { 1 / $0 }
        let f0 = DirectAlgebra.fit(x: x, y: y, w: w0)
        let qe = DirectAlgebra.quadratic(f0.p, y, y)
        let traceP0 = (0..<k).reduce(0) { $0 + f0.p[$1][$1] }
        let tau2 = max(0, (qe - Double(k - p)) / traceP0)
        #expect(abs(m.cochranQ - qe) <= 1e-10 * qe)
        #expect(abs(m.tauSquared - tau2) <= 1e-10 * max(tau2, 1e-3))
        let f = DirectAlgebra.fit(x: x, y: y, w: v.map { 1 / ($0 + tau2) })
        for a in 0..<p {
            #expect(abs(m.coefficients[a] - f.beta[a]) <= 1e-10 * max(1, abs(f.beta[a])))
            for b in 0..<p { #expect(abs(m.covariance[a, b] - f.vcov[a][b]) <= 1e-10 * max(1e-6, abs(f.vcov[a][b]))) }
        }
        // QM = b'V⁻¹b over the moderators.
        let idx = Array(1..<p)
        let sub = DirectAlgebra.inverse(idx.map { a in idx.map { f.vcov[a][$0] } })
        let b = idx.map { f.beta[$0] }
        let qm = DirectAlgebra.quadratic(sub, b, b)
        #expect(abs(m.moderatorTest!.statistic - qm) <= 1e-9 * qm)
        // A new point.
        let point = try m.prediction(for: ["dose": "30", "age": "45", "route": "nasal"])
        let xNew: [Double] = [1, 30, 45, 1, 0]
        let pred = zip(xNew, f.beta).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(point.estimate - pred) <= 1e-10 * max(1, abs(pred)))
        #expect(abs(point.standardError! - DirectAlgebra.quadratic(f.vcov, xNew, xNew).squareRoot()) <= 1e-10)
    }

    @Test("REML: the score YᵀPPY − tr(P) vanishes at τ̂² (explicit k × k P)", arguments: [4, 5] as [UInt64])
    func remlScore(seed: UInt64) throws {
        let (y, v, design, x) = try Self.randomData(seed: seed)
        let m = try MetaRegressionModel.fit(effectSizes: y, samplingVariances: v, design: design,
                                            options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .z))
        let t = m.tauSquared
        let f = DirectAlgebra.fit(x: x, y: y, w: v.map { 1 / ($0 + t) })
        let k = y.count
        let py = (0..<k).map { i in (0..<k).reduce(0) { $0 + f.p[i][$1] * y[$1] } }
        let traceP = (0..<k).reduce(0) { $0 + f.p[$1][$1] }
        let score = py.reduce(0) { $0 + $1 * $1 } - traceP
        if t > 0 { #expect(abs(score) <= 1e-8 * traceP, "score \(score) at τ² = \(t)") } else { #expect(score <= 0) }
    }

    @Test("the general-design kernel with X = 1 reproduces the intercept-only kernel")
    func kernelsAgree() throws {
        let (y, v, _, _) = try Self.randomData(seed: 9)
        let one = Matrix(rows: y.count, columns: 1, repeating: 1)
        let general = GeneralDesignKernel(effects: y, variances: v, design: one)
        let simple = InterceptOnlyKernel(effects: y, variances: v)
        for t in [0.0, 0.05, 1.3] {
            let a = general.fit(tauSquared: t), b = simple.fit(tauSquared: t)
            for (x, z) in [(a.residualQ, b.residualQ), (a.residualQPP, b.residualQPP), (a.residualQPPP, b.residualQPPP), (a.traceP, b.traceP),
                           (a.tracePP, b.tracePP), (a.logDetInformation, b.logDetInformation), (a.logDetDesign, b.logDetDesign)] {
                #expect(abs(x - z) <= 1e-12 * max(1, abs(z)))
            }
            let ga = general.generalizedQ(weights: .equal, sigmaTauSquared: t), gb = simple.generalizedQ(weights: .equal, sigmaTauSquared: t)
            #expect(abs(ga.tracePSigmaPSigma - gb.tracePSigmaPSigma) <= 1e-12 * gb.tracePSigmaPSigma)
            #expect(abs(ga.tracePV - gb.tracePV) <= 1e-12 * gb.tracePV)
            var ea = [Double](), eb = [Double]()
            general.generalizedQEigenvalues(weights: .inverseVariance(tauSquared: 0), tauSquared: t, into: &ea)
            simple.generalizedQEigenvalues(weights: .inverseVariance(tauSquared: 0), tauSquared: t, into: &eb)
            #expect(ea.count == eb.count)
            for (p, q) in zip(ea, eb.sorted()) { #expect(abs(p - q) <= 1e-10 * max(1, q)) }
        }
    }

    /// Exact rational arithmetic (Python `fractions` on the same doubles) for the EE fit of the BCG log risk ratios
    /// on latitude and raw year, whose design has κ₂(X) = 5.0e5: metafor's reference is off by up to 1e-9 relative
    /// here (Tests/ConformanceTests/Support/Tolerance.swift, `illConditionedDesign`); MetaSwift is not.
    @Test("ill-conditioned design (raw year) against exact arithmetic")
    func illConditionedExact() throws {
        let es = try BCGData.effectSizes(.logRiskRatio)
        let design = try DesignMatrix.build(from: BCGData.table, moderators: [Moderator(column: "ablat"), Moderator(column: "year")],
                                            rows: Array(0..<13))
        let m = try MetaRegressionModel.fit(effectSizes: es.yi, samplingVariances: es.vi, design: design,
                                            options: RandomEffectsOptions(estimator: .commonEffect, test: .z))
        let exactBeta = [17.15180117213488, -0.033875449410477, -0.008466039114843222]
        for (b, e) in zip(m.coefficients, exactBeta) { #expect(abs(b - e) <= 1e-12 * abs(e)) }
        #expect(abs(m.cochranQ - 28.325143657961622) <= 1e-12 * 28.3)
        #expect(abs(m.fittedValues[4] - 0.0079251562130024378) <= 1e-12 * 0.0079)
        #expect(abs(m.fittedValues[7] - -0.051337117590900115) <= 1e-12 * 0.051)
    }

    @Test("categorical moderators: treatment contrasts, reference = first level in byte order")
    func factorCoding() throws {
        let d = try DesignMatrix(categorical: [("alloc", ["random", "alternate", "systematic", "random", "Zeta"])])
        #expect(d.coefficientNames == ["intrcpt", "allocalternate", "allocrandom", "allocsystematic"])
        #expect(d.terms[0].levels == ["Zeta", "alternate", "random", "systematic"])
        #expect(d.matrix.row(1) == [1, 1, 0, 0])
        #expect(d.matrix.row(4) == [1, 0, 0, 0])
    }

    @Test("CSV columns: non-numeric columns are categorical, numeric ones continuous unless forced")
    func detection() throws {
        let design = try DesignMatrix.build(from: BCGData.table, moderators: [Moderator(column: "alloc"), Moderator(column: "ablat")],
                                            rows: Array(0..<13))
        #expect(design.coefficientNames == ["intrcpt", "allocrandom", "allocsystematic", "ablat"])
        let forced = try DesignMatrix.build(from: BCGData.table, moderators: [Moderator(column: "year", coding: .categorical)],
                                            rows: [0, 1, 4, 6, 2])
        #expect(forced.coefficientNames == ["intrcpt", "year1949", "year1960", "year1973"])
    }

    @Test("a constant moderator is a typed error naming it")
    func constantModerator() {
        #expect(throws: MetaRegressionError.constantModerator(column: "dose", value: 5)) {
            try DesignMatrix(continuous: [("dose", [5, 5, 5, 5])])
        }
    }

    @Test("a categorical moderator with one level is a typed error naming it")
    func singleLevel() {
        #expect(throws: MetaRegressionError.singleLevel(column: "route", level: "iv")) {
            try DesignMatrix(categorical: [("route", ["iv", "iv", "iv"])])
        }
    }

    @Test("more coefficients than studies is a typed error")
    func tooManyCoefficients() {
        #expect(throws: MetaRegressionError.tooManyCoefficients(coefficients: 4, studies: 3)) {
            try DesignMatrix(continuous: [("a", [1, 2, 3]), ("b", [3, 1, 2]), ("c", [2, 2, 1])])
        }
    }

    @Test("collinear moderators are a typed error naming the dependent coefficient and its moderator")
    func collinear() {
        #expect(throws: MetaRegressionError.linearlyDependent(coefficients: ["dose_mg"], moderators: ["dose_mg"])) {
            try DesignMatrix(continuous: [("dose_g", [1, 2, 3, 4, 6]), ("age", [30, 41, 29, 50, 33]), ("dose_mg", [1000, 2000, 3000, 4000, 6000])])
        }
        // A factor whose levels coincide with a continuous indicator.
        #expect(throws: MetaRegressionError.linearlyDependent(coefficients: ["routeoral"], moderators: ["route"])) {
            try DesignMatrix(continuous: [("oral", [1, 0, 1, 0, 1, 0])], categorical: [("route", ["oral", "iv", "oral", "iv", "oral", "iv"])])
        }
    }

    @Test("prediction points: unknown moderator, missing value, unknown level, bad number")
    func predictionErrors() throws {
        let d = try DesignMatrix(continuous: [("dose", [1, 2, 3, 4])], categorical: [("route", ["iv", "oral", "iv", "oral"])])
        #expect(throws: MetaRegressionError.unknownPredictionVariable(name: "age", moderators: ["dose", "route"])) {
            try d.row(for: ["dose": "1", "route": "iv", "age": "3"])
        }
        #expect(throws: MetaRegressionError.missingPredictionValue(column: "route")) { try d.row(for: ["dose": "1"]) }
        #expect(throws: MetaRegressionError.unknownLevel(column: "route", value: "nasal", levels: ["iv", "oral"])) {
            try d.row(for: ["dose": "1", "route": "nasal"])
        }
        #expect(throws: MetaRegressionError.predictionValueNotNumber(column: "dose", value: "high")) {
            try d.row(for: ["dose": "high", "route": "iv"])
        }
        #expect(try d.row(for: DesignMatrix.predictionPoint("dose=2.5, route=oral")) == [1, 2.5, 1])
        #expect(throws: MetaRegressionError.malformedPredictionPoint(text: "dose")) { try DesignMatrix.predictionPoint("dose") }
    }

    @Test("permuting studies permutes fitted values and leaves coefficients and τ² unchanged")
    func permutation() throws {
        let (y, v, _, x) = try Self.randomData(seed: 11)
        var g = SeededStream(state: 99)
        let order = Array(0..<y.count).sorted { _, _ in g.next() & 1 == 0 }
        func fit(_ idx: [Int]) throws -> MetaRegressionModel {
            let design = try DesignMatrix(continuous: [("dose", idx.map { x[$0][1] }), ("age", idx.map { x[$0][2] })])
            return try MetaRegressionModel.fit(effectSizes: idx.map { y[$0] }, samplingVariances: idx.map { v[$0] }, design: design,
                                               options: RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .knha))
        }
        let a = try fit(Array(0..<y.count)), b = try fit(order)
        #expect(abs(a.tauSquared - b.tauSquared) <= 1e-9 * max(a.tauSquared, 1e-6))
        for j in 0..<3 { #expect(abs(a.coefficients[j] - b.coefficients[j]) <= 1e-9 * max(1, abs(a.coefficients[j]))) }
        for (i, o) in order.enumerated() { #expect(abs(b.fittedValues[i] - a.fittedValues[o]) <= 1e-9) }
    }
}
