import Foundation
import MetaAnalysis
import MetaData
import MetaNumerics
import Testing

/// The data behind the L'Abbé, bubble, QQ, drapery and profile plots, on the BCG trials (metadat::dat.bcg).
/// Reference values were printed by R 4.2.2 with metafor 3.8-1 on this machine (`rstandard`, `logLik` of fits with
/// fixed tau2, `predict(newmods=)`); these are closed forms, unchanged in metafor 5, hence the 1e-10 tolerance.
@Suite("Plot data: L'Abbé, bubble, QQ, drapery, profile")
struct GraphicalDataTests {
    static func bcg(_ options: RandomEffectsOptions = .metafor, measure: EffectMeasure = .logRiskRatio) throws
        -> (table: DataTable, sizes: EffectSizes, model: RandomEffectsModel)
    {
        let table = BCGData.table
        let sizes = try EffectSizes.compute(measure: measure, data: table)
        let rows = sizes.availableIndices
        let model = try RandomEffectsModel.fit(effectSizes: rows.map { sizes.yi[$0] }, samplingVariances: rows.map { sizes.vi[$0] },
                                               studies: rows.map { sizes.studies[$0] }, options: options)
        return (table, sizes, model)
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-10) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// DL (a closed-form τ²), so the comparison holds at 1e-10; `rstandard` does not depend on the test.
    @Test func standardizedResidualsAreMetaforsRstandard() throws {
        let expected = [-0.22572432360178976, -1.2690013163915368, -0.76199075386465054, -1.3351985592598661, 0.86701997455644597,
                        -0.13516985092744385, -1.2826016216193419, 1.3702520882256912, 0.42388779267545906, -1.1111772258342281,
                        0.69684212790661249, 1.2894663766799459, 1.180825447973963]
        for options in [RandomEffectsOptions(estimator: .derSimonianLaird, test: .z), RandomEffectsOptions(estimator: .derSimonianLaird, test: .knha)] {
            let qq = try NormalQQData(model: try Self.bcg(options).model, replicates: 0)
            #expect(qq.standardizedResiduals.count == 13)
            for (a, b) in zip(qq.standardizedResiduals, expected) { #expect(Self.close(a, b), "\(a) vs \(b)") }
            #expect(qq.order.map { expected[$0] } == expected.sorted())
            #expect(qq.envelopeLower.isEmpty && qq.envelopeUpper.isEmpty)
        }
    }

    @Test func qqPositionsAndEnvelope() throws {
        // R: ppoints(13) = (1:13 - 1/2)/13; ppoints(5) = (1:5 - 3/8)/(5 + 1/4).
        #expect(NormalQQData.plottingPositions(13).enumerated().allSatisfy { Self.close($1, (Double($0) + 0.5) / 13) })
        #expect(NormalQQData.plottingPositions(5).enumerated().allSatisfy { Self.close($1, (Double($0 + 1) - 0.375) / 5.25) })
        let model = try Self.bcg().model
        let a = try NormalQQData(model: model), b = try NormalQQData(model: model)
        #expect(a == b, "same seed, same envelope")
        #expect(a.envelopeLower.count == 13 && a.envelopeUpper.count == 13)
        for j in 0..<13 {
            #expect(a.envelopeLower[j] < a.envelopeUpper[j])
            // The j-th of 13 standard normal order statistics lies inside its 95 % band; the band widens at the ends.
            #expect(a.envelopeLower[j] < a.theoreticalQuantiles[j] && a.theoreticalQuantiles[j] < a.envelopeUpper[j])
        }
        #expect(a.envelopeUpper[12] - a.envelopeLower[12] > a.envelopeUpper[6] - a.envelopeLower[6])
        #expect(throws: ResamplingError.tooFewReplicates(found: 5, minimum: 10)) { try NormalQQData(model: model, replicates: 5) }
    }

    @Test func profileIsMetaforsLogLik() throws {
        // logLik(rma(..., tau2 = t), REML = TRUE / FALSE) for t = 0.05, 0.3, 1.
        let expected: [(t: Double, reml: Double, ml: Double)] = [
            (0.05, -19.101055010472262, -18.924246004315044), (0.3, -12.205637109299886, -12.673688408358771),
            (1, -14.238010632781673, -15.218742481845311),
        ]
        let reml = try Self.bcg().model.tauSquaredProfile(range: (0.05, 1), points: 20)
        let ml = try Self.bcg(RandomEffectsOptions(estimator: .maximumLikelihood, test: .z)).model.tauSquaredProfile(range: (0.05, 1), points: 20)
        #expect(reml.restricted && !ml.restricted)
        #expect(reml.values.count == 20 && reml.values.first == 0.05 && reml.values.last == 1)
        for (curve, pick) in [(reml, { (e: (t: Double, reml: Double, ml: Double)) in e.reml }), (ml, { $0.ml })] {
            #expect(Self.close(curve.logLikelihoods[0], pick(expected[0])))
            #expect(Self.close(curve.logLikelihoods[19], pick(expected[2])))
            #expect(curve.logLikelihoods.allSatisfy { $0 <= curve.maximum + 1e-12 })
        }
        let atPointThree = try Self.bcg().model.tauSquaredProfile(range: (0.3, 0.6), points: 3)
        #expect(Self.close(atPointThree.logLikelihoods[0], expected[1].reml))
        // The estimate is the maximum: metafor's REML logLik of the fit, -12.20237 (τ̂² = 0.3132433).
        #expect(abs(reml.maximum - -12.202370) < 5e-6 && Self.close(reml.estimate, 0.31324332598089494, 1e-7))
        // Where the default range ends, the curve is below the χ²₁ bound: both likelihood-ratio bounds are drawn.
        let full = try Self.bcg().model.tauSquaredProfile()
        #expect(full.logLikelihoods.first! < full.ratioBound && full.logLikelihoods.last! < full.ratioBound)
        #expect(Self.close(full.maximum - full.ratioBound, ChiSquared(degreesOfFreedom: 1).quantile(0.95) / 2))
        let single = try RandomEffectsModel.fit(effectSizes: [0.1], samplingVariances: [0.01], options: .metafor)
        #expect(throws: GraphicalDataError.profileNeedsTwoStudies(found: 1)) { try single.tauSquaredProfile() }
        #expect(throws: GraphicalDataError.profileNeedsLikelihoodEstimator(found: "DL")) {
            try Self.bcg(RandomEffectsOptions(estimator: .derSimonianLaird, test: .z)).model.tauSquaredProfile()
        }
    }

    @Test func bubbleBandIsMetaforsPredict() throws {
        let (table, sizes, _) = try Self.bcg()
        let ablat = try table.numbers("ablat", neededBy: "test")
        let design = try DesignMatrix(continuous: [("ablat", ablat)])
        let model = try MetaRegressionModel.fit(effectSizes: sizes.yi, samplingVariances: sizes.vi, design: design,
                                                studies: sizes.studies, options: RandomEffectsOptions(estimator: .derSimonianLaird, test: .z))
        let band = try RegressionBand(model: model, points: 85) // grid 13, 13.5, …, 55
        #expect(band.grid.first == 13 && band.grid.last == 55 && band.moderator == "ablat")
        #expect(band.moderatorValues == ablat && band.effectSizes == sizes.yi)
        // predict(rma(yi, vi, mods = ~ablat, method = "DL"), newmods = c(13, 33.5, 55)): pred, ci.lb, ci.ub, pi.lb, pi.ub.
        let expected: [(i: Int, values: [Double])] = [
            (0, [-0.12042989138342752, -0.42987258905265063, 0.18901280628579559, -0.70259915932972561, 0.46173937656287056]),
            (41, [-0.71961903586478981, -0.91819946348791648, -0.52103860824166315, -1.2512208225767103, -0.18801724915286933]),
            (84, [-1.3480369191013404, -1.7190093627798688, -0.97706447542281194, -1.965116190645233, -0.73095764755744763]),
        ]
        for (i, values) in expected {
            let p = band.predictions[i]
            let found = [p.estimate, p.confidenceLower, p.confidenceUpper, p.predictionLower, p.predictionUpper]
            for (a, b) in zip(found, values) { #expect(Self.close(a, b), "grid \(band.grid[i]): \(a) vs \(b)") }
        }
        let alloc = try DesignMatrix(categorical: [("alloc", try table.strings("alloc", neededBy: "test"))])
        let categorical = try MetaRegressionModel.fit(effectSizes: sizes.yi, samplingVariances: sizes.vi, design: alloc, options: .metafor)
        #expect(throws: GraphicalDataError.bubbleNeedsOneContinuousModerator(found: "alloc (categorical)")) {
            try RegressionBand(model: categorical)
        }
    }

    @Test func labbeRatesAndPooledCurve() throws {
        let (table, _, model) = try Self.bcg()
        let labbe = try LabbeData(model: model, measure: .logRiskRatio, data: table, options: EscalcOptions(), rows: Array(0..<13))
        #expect(labbe.experimentalRates[0] == 4.0 / 123 && labbe.controlRates[0] == 11.0 / 139)
        #expect(labbe.weightsPercent == model.weightsPercent && labbe.pooledEstimate == model.estimate)
        let rr = exp(model.estimate)
        #expect(Self.close(labbe.experimentalRisk(controlRisk: 0.2)!, rr * 0.2))
        let curve = try labbe.pooledCurve(upTo: 0.3, points: 31)
        #expect(curve.count == 31 && curve.allSatisfy { Self.close($0.experimental, rr * $0.control) })
        // A harmful RR = 2 leaves the square [0, 0.3]² at p = 0.15: the curve stops there, at the frame.
        let harmful = LabbeData(measure: .logRiskRatio, studies: [], controlRates: [], experimentalRates: [], weightsPercent: [],
                                pooledEstimate: log(2))
        let cut = try harmful.pooledCurve(upTo: 0.3, points: 31)
        #expect(Self.close(cut.last!.control, 0.15, 1e-12) && Self.close(cut.last!.experimental, 0.3, 1e-12))
        // OR: the odds are multiplied; RD: shifted; AS: shifted on the arcsine-root scale.
        func data(_ m: EffectMeasure, _ theta: Double) -> LabbeData {
            LabbeData(measure: m, studies: [], controlRates: [], experimentalRates: [], weightsPercent: [], pooledEstimate: theta)
        }
        #expect(Self.close(data(.logOddsRatio, log(3)).experimentalRisk(controlRisk: 0.5)!, 0.75))
        #expect(Self.close(data(.riskDifference, -0.1).experimentalRisk(controlRisk: 0.5)!, 0.4))
        #expect(data(.riskDifference, -0.1).experimentalRisk(controlRisk: 0.05) == nil)
        #expect(Self.close(data(.arcsineRiskDifference, 0.1).experimentalRisk(controlRisk: 0.5)!, pow(sin(asin(0.5.squareRoot()) + 0.1), 2)))
        #expect(throws: GraphicalDataError.labbeNeedsTwoArmCounts(measure: "SMD")) {
            try LabbeData(model: model, measure: .standardizedMeanDifference, data: table, options: EscalcOptions(), rows: Array(0..<13))
        }
    }

    @Test func pValueFunctionsCrossAlphaAtTheConfidenceBounds() throws {
        for options in [RandomEffectsOptions.metafor, RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .knha)] {
            let model = try Self.bcg(options).model
            let f = try PValueFunctions(model: model, range: (model.confidenceLower, model.confidenceUpper), points: 3)
            #expect(f.grid == [model.confidenceLower, (model.confidenceLower + model.confidenceUpper) / 2, model.confidenceUpper])
            #expect(Self.close(f.pooled[0], 0.05) && Self.close(f.pooled[2], 0.05))
            #expect(Self.close(f.pooled[1], 1, 1e-12))
            let (y, v) = (model.effectSizes[3], model.samplingVariances[3])
            let s = try PValueFunctions(model: model, range: (y - 1.959963984540054 * v.squareRoot(), y), points: 2)
            #expect(Self.close(s.studies[3][0], 0.05) && s.studies[3][1] == 1)
            #expect(f.predictionInterval == model.prediction)
        }
        // metafor's knha interval for the BCG RR: [-1.1084437230000499, -0.32062097373015253].
        let knha = try Self.bcg(RandomEffectsOptions(estimator: .restrictedMaximumLikelihood, test: .knha)).model
        let f = try PValueFunctions(model: knha, range: (-1.1084437230000499, -0.32062097373015253), points: 2)
        #expect(Self.close(f.pooled[0], 0.05, 1e-7) && Self.close(f.pooled[1], 0.05, 1e-7))
        #expect(throws: GraphicalDataError.tooFewPoints(found: 1, minimum: 2)) { try PValueFunctions(model: knha, points: 1) }
    }
}
