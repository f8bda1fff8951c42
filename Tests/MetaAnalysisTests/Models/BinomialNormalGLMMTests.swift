import Foundation
import MetaData
import MetaAnalysis
import Testing

/// The binomial–normal GLMM against Stijnen, Hamza & Özdemir (2010), Stat Med 29:3046–3067, and its behaviour
/// on double-zero and all-zero data.
@Suite("Binomial-normal GLMM")
struct BinomialNormalGLMMTests {
    /// Niel-Weise et al. (2007), J Antimicrob Chemother 60:232–239: catheter-related bloodstream infections with
    /// anti-infective (group 1) vs standard catheters (group 2); the data of Stijnen et al. 2010, §2 (metadat
    /// `dat.nielweise2007`). Yucel 2004 has no infections in either arm.
    static let nielweise2007 = """
        study,ai,n1i,ci,n2i
        "Bach 1996",0,116,3,117
        "George 1997",1,44,3,35
        "Maki 1997",2,208,9,195
        "Raad 1997",0,130,7,136
        "Heard 1998",5,151,6,157
        "Collin 1999",1,98,4,139
        "Hannan 1999",1,174,3,177
        "Marik 1999",1,74,2,39
        "Pierce 2000",1,97,19,103
        "Sheng 2000",1,113,2,122
        "Chatzinikolaou 2003",0,66,7,64
        "Corral 2003",0,70,1,58
        "Brun-Buisson 2004",3,188,5,175
        "Leon 2004",6,187,11,180
        "Yucel 2004",0,118,0,105
        "Moretti 2005",0,252,1,262
        "Rupp 2005",1,345,3,362
        "Osma 2006",4,64,1,69
        """

    static func expectPrinted(_ value: Double, _ printed: Double, decimals: Int, _ what: String) {
        let halfUnit = 0.5 * (0..<decimals).reduce(1.0) { a, _ in a / 10 } + 1e-12
        #expect(abs(value - printed) <= halfUnit, "\(what): \(value) does not round to \(printed)")
    }

    @Test("Stijnen et al. 2010, Table II: binomial-normal model for the control-arm proportions")
    func controlArmProportions() throws {
        let fit = try BinomialNormalGLMM.fit(measure: .logitProportion, data: DataTable(csv: Self.nielweise2007),
                                             columns: [.xi: "ci", .ni: "n2i"])
        Self.expectPrinted(fit.pooled.estimate, -3.4964, decimals: 4, "logit")
        Self.expectPrinted(fit.pooled.standardError, 0.2570, decimals: 4, "SE")
        Self.expectPrinted(fit.tauSquared, 0.8124, decimals: 4, "tau^2")
        #expect(fit.studyCount == 18)
        #expect(fit.diagnostics.quadraturePoints == 7 && fit.diagnostics.gradientNorm < 1e-6)
    }

    @Test("Stijnen et al. 2010, Table III: conditional model with exact likelihood (CM.EL) for the odds ratio")
    func conditionalOddsRatio() throws {
        let fit = try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: DataTable(csv: Self.nielweise2007),
                                             options: GLMMOptions(model: .conditionalExactLikelihood))
        Self.expectPrinted(fit.pooled.estimate, -1.3532, decimals: 4, "log OR")
        Self.expectPrinted(fit.tauSquared.squareRoot(), 0.8327, decimals: 4, "tau")
        // The paper prints SE 0.3511 (a numerical Hessian); the observed information here gives 0.35104,
        // stable to 1e-6 under the difference step and the number of quadrature points.
        Self.expectPrinted(fit.pooled.standardError, 0.351, decimals: 3, "SE")
        #expect(fit.studyCount == 17, "Yucel 2004 (no events) carries no information and is left out")
    }

    @Test("a double-zero study does not change the CM.EL fit")
    func doubleZeroConditional() throws {
        let all = try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: DataTable(csv: Self.nielweise2007),
                                             options: GLMMOptions(model: .conditionalExactLikelihood))
        let lines = Self.nielweise2007.split(separator: "\n").filter { !$0.contains("Yucel") }
        let without = try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: DataTable(csv: lines.joined(separator: "\n")),
                                                 options: GLMMOptions(model: .conditionalExactLikelihood))
        #expect(all.pooled == without.pooled)
        #expect(all.tauSquared == without.tauSquared)
    }

    @Test("no events anywhere, or events in one group only: a typed error, not an absurd estimate")
    func separation() throws {
        let noEvents = "xi,ni\n0,10\n0,12\n0,30"
        #expect(throws: EstimationError.self) {
            try BinomialNormalGLMM.fit(measure: .logitProportion, data: DataTable(csv: noEvents))
        }
        let controlOnly = "ai,n1i,ci,n2i\n0,10,3,10\n0,20,1,22\n0,15,4,14"
        for model in GLMMModel.allCases {
            #expect(throws: EstimationError.self) {
                try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: DataTable(csv: controlOnly), options: GLMMOptions(model: model))
            }
        }
        let allDoubleZero = "ai,n1i,ci,n2i\n0,10,0,10\n0,20,0,22"
        #expect(throws: InputError.tooFewStudies(found: 0, needed: 2, analysis: "The binomial-normal GLMM")) {
            try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: DataTable(csv: allDoubleZero))
        }
    }

    @Test("measures the GLMM does not define are a typed error")
    func unsupported() throws {
        #expect(throws: EstimationError.unsupportedMeasure(method: "GLMM (CM.EL)", measure: .logitProportion, supported: [.logOddsRatio, .logIncidenceRateRatio])) {
            try BinomialNormalGLMM.fit(measure: .logitProportion, data: DataTable(csv: "xi,ni\n1,10\n2,12"),
                                       options: GLMMOptions(model: .conditionalExactLikelihood))
        }
    }

    @Test("one quadrature point is the Laplace approximation; more points move the UM.FS fit only slightly")
    func laplace() throws {
        let data = try DataTable(csv: Self.nielweise2007)
        let agq = try BinomialNormalGLMM.fit(measure: .logitProportion, data: data, columns: [.xi: "ci", .ni: "n2i"])
        let laplace = try BinomialNormalGLMM.fit(measure: .logitProportion, data: data, columns: [.xi: "ci", .ni: "n2i"],
                                                 options: GLMMOptions(quadraturePoints: 1))
        #expect(laplace.diagnostics.quadraturePoints == 1)
        #expect(laplace.pooled.estimate != agq.pooled.estimate)
        #expect(abs(laplace.pooled.estimate - agq.pooled.estimate) < 0.05)
        #expect(laplace.fitStatistics.logLikelihood == laplace.marginalLogLikelihood)
    }

    @Test("identical proportions: tau^2 on the boundary 0, and the fit is the common-effect logistic model")
    func boundary() throws {
        let fit = try BinomialNormalGLMM.fit(measure: .logitProportion, data: DataTable(csv: "xi,ni\n10,100\n20,200\n5,50\n30,300"))
        #expect(fit.tauSquared == 0)
        #expect(fit.diagnostics.tauSquaredOnBoundary)
        // Common-effect logistic regression: logit(Σx/Σn), SE = 1/√(Σn·p(1 − p)), p = 0.1.
        #expect(abs(fit.pooled.estimate - log(0.1 / 0.9)) < 1e-8)
        #expect(abs(fit.pooled.standardError - 1 / (650 * 0.1 * 0.9).squareRoot()) < 1e-7)
        #expect(fit.iSquared == 0 && fit.hSquared == 1)
    }

    @Test("an optimiser stopped too early reports iterations, gradient norm and quadrature")
    func nonConvergence() throws {
        var options = GLMMOptions()
        options.maxIterations = 1
        do {
            _ = try BinomialNormalGLMM.fit(measure: .logitProportion, data: DataTable(csv: Self.nielweise2007),
                                           columns: [.xi: "ci", .ni: "n2i"], options: options)
            Issue.record("expected EstimationError.glmmDidNotConverge")
        } catch let EstimationError.glmmDidNotConverge(model, iterations, gradientNorm, points) {
            #expect(model == .unconditionalFixedStudyEffects && iterations == 1 && gradientNorm > 0 && points == 7)
            // The sentence the CLI prints names the same figures.
            let sentence = EstimationError.glmmDidNotConverge(model: model, iterations: iterations, gradientNorm: gradientNorm,
                                                              quadraturePoints: points).description
            #expect(sentence.hasPrefix("The UM.FS GLMM did not converge after 1 iterations (gradient norm \(gradientNorm), 7-point"))
        }
    }
}
