import Foundation
import MetaData
import MetaAnalysis
import Testing

/// Published Mantel–Haenszel and Peto results, reproduced to the digits printed.
@Suite("Mantel–Haenszel and Peto: published values")
struct MantelHaenszelPublishedTests {
    /// Rothman, Greenland & Lash (2008), *Modern Epidemiology*, 3rd ed., Table 15-1: tolbutamide and death
    /// by age stratum (group 1 tolbutamide, group 2 placebo; a, c deaths; b, d survivors).
    static let table15_1 = """
        study,ai,bi,ci,di
        "Age <55",8,98,5,115
        "Age 55+",22,76,16,69
        """

    /// Rothman, Greenland & Lash (2008), Table 15-2: deaths and person-time (10,000 years) of smokers (group 1)
    /// and non-smokers (group 2) by age.
    static let table15_2 = """
        study,x1i,t1i,x2i,t2i
        "35-44",32,5.2407,2,1.879
        "45-54",104,4.3248,12,1.0673
        "55-64",206,2.8612,28,0.571
        "65-74",186,1.2663,28,0.2585
        "75-84",102,0.5317,31,0.1462
        """

    static func options(level: Double, correct: Bool = true) -> MantelHaenszelOptions {
        MantelHaenszelOptions(escalc: EscalcOptions(drop00: true, level: level), correct: correct)
    }

    static func expectPrinted(_ value: Double, _ printed: Double, decimals: Int, _ what: String) {
        let halfUnit = 0.5 * tenTo(-decimals) + 1e-12
        #expect(abs(value - printed) <= halfUnit, "\(what): \(value) does not round to \(printed)")
    }

    static func tenTo(_ n: Int) -> Double { (0..<abs(n)).reduce(1.0) { a, _ in n < 0 ? a / 10 : a * 10 } }

    @Test("Rothman et al. 2008, Table 15-1: MH risk difference with 90% CI")
    func riskDifference() throws {
        let fit = try MantelHaenszelFit.fit(measure: .riskDifference, data: DataTable(csv: Self.table15_1),
                                            options: Self.options(level: 90))
        Self.expectPrinted(fit.pooled.estimate, 0.0349, decimals: 4, "RD")
        Self.expectPrinted(fit.pooled.ciLower, -0.0176, decimals: 4, "RD lower")
        Self.expectPrinted(fit.pooled.ciUpper, 0.0874, decimals: 4, "RD upper")
    }

    @Test("Rothman et al. 2008, Table 15-1: MH risk ratio with 90% CI")
    func riskRatio() throws {
        let fit = try MantelHaenszelFit.fit(measure: .logRiskRatio, data: DataTable(csv: Self.table15_1),
                                            options: Self.options(level: 90))
        Self.expectPrinted(exp(fit.pooled.estimate), 1.3256, decimals: 4, "RR")
        Self.expectPrinted(exp(fit.pooled.ciLower), 0.8658, decimals: 4, "RR lower")
        Self.expectPrinted(exp(fit.pooled.ciUpper), 2.0296, decimals: 4, "RR upper")
    }

    @Test("Rothman et al. 2008, Table 15-1: MH odds ratio with 90% CI and the CMH test without correction")
    func oddsRatio() throws {
        let fit = try MantelHaenszelFit.fit(measure: .logOddsRatio, data: DataTable(csv: Self.table15_1),
                                            options: Self.options(level: 90, correct: false))
        Self.expectPrinted(exp(fit.pooled.estimate), 1.4031, decimals: 4, "OR")
        Self.expectPrinted(exp(fit.pooled.ciLower), 0.8411, decimals: 4, "OR lower")
        Self.expectPrinted(exp(fit.pooled.ciUpper), 2.3409, decimals: 4, "OR upper")
        let cmh = try #require(fit.cochranMantelHaenszel)
        Self.expectPrinted(cmh.statistic, 1.1914, decimals: 4, "CMH")
        Self.expectPrinted(cmh.pValue, 0.2750, decimals: 4, "CMH p")
        #expect(fit.informativeTableCount == 2)
    }

    @Test("Rothman et al. 2008, Table 15-2: MH incidence rate ratio with 90% CI")
    func rateRatio() throws {
        let fit = try MantelHaenszelFit.fit(measure: .logIncidenceRateRatio, data: DataTable(csv: Self.table15_2),
                                            options: Self.options(level: 90))
        Self.expectPrinted(exp(fit.pooled.estimate), 1.4247, decimals: 4, "IRR")
        Self.expectPrinted(exp(fit.pooled.ciLower), 1.1944, decimals: 4, "IRR lower")
        Self.expectPrinted(exp(fit.pooled.ciUpper), 1.6994, decimals: 4, "IRR upper")
        #expect(fit.breslowDay == nil && fit.cochran == nil)
    }

    /// Yusuf, Peto, Lewis, Collins & Sleight (1985), Prog Cardiovasc Dis 27:335–371, Table 6 (β-blockers,
    /// short-term trials; metadat `dat.yusuf1985`, table "6"; trial 1.8 "Snow 1" has no data and is left out).
    /// Three trials have no deaths in either arm.
    static let yusufTable6 = """
        study,ai,n1i,ci,n2i
        "Balcon",14,56,15,58
        "Clausen",18,66,19,64
        "Multicentre",15,100,12,95
        "Barber",10,52,12,47
        "Norris",21,226,24,228
        "Kahler",3,38,6,31
        "Ledwich",2,20,3,20
        "Snow 2",19,76,15,67
        "Fuccella",15,106,9,114
        "Briant",5,62,4,57
        "Pitt",0,9,0,8
        "Lombardo",8,133,11,127
        "Thompson",3,48,3,49
        "Hutton",0,16,0,13
        "Tonkin",1,42,1,46
        "Gupta",0,25,3,25
        "Barber",14,221,15,228
        "Yusuf",0,11,0,11
        "Wilcox 1",8,259,7,129
        "Wilcox 2",6,157,4,158
        "CPRG",3,177,2,136
        """

    @Test("Yusuf et al. 1985, Table 6: Peto odds ratio 0.9332 [0.7385, 1.1792] (p. 107)")
    func peto() throws {
        let fit = try PetoFit.fit(data: DataTable(csv: Self.yusufTable6))
        Self.expectPrinted(exp(fit.pooled.estimate), 0.9332, decimals: 4, "Peto OR")
        Self.expectPrinted(exp(fit.pooled.ciLower), 0.7385, decimals: 4, "Peto OR lower")
        Self.expectPrinted(exp(fit.pooled.ciUpper), 1.1792, decimals: 4, "Peto OR upper")
        #expect(fit.tableCount == 21)
        #expect(fit.heterogeneity.studyCount == 18, "the three double-zero trials carry no information")
    }
}
