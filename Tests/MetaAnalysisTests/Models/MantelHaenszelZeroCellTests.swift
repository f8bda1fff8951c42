import Foundation
import MetaData
import MetaAnalysis
import Testing

/// Double-zero and all-zero tables: what the field expects of MH and Peto (Bradburn et al. 2007; Sweeting et
/// al. 2004): a table with no events in either arm carries no information about an OR or RR, so it changes no
/// MH/Peto estimate or test; it does count in `k`, and it is left out of Q (`drop00`). RD is different: such a
/// table has RD = 0 and does weigh in. With no events anywhere the estimate is undefined: a typed error.
@Suite("Mantel–Haenszel and Peto: zero cells")
struct MantelHaenszelZeroCellTests {
    static let base = """
        study,ai,n1i,ci,n2i
        A,3,50,8,52
        B,1,40,4,38
        C,6,120,9,118
        D,0,30,2,31
        """
    static let withDoubleZero = base + "\nE,0,25,0,27"
    static let allZero = """
        study,ai,n1i,ci,n2i
        A,0,50,0,52
        B,0,40,0,38
        """

    @Test("a double-zero table changes no MH OR or RR estimate or test, counts in k, is left out of Q",
          arguments: [EffectMeasure.logOddsRatio, .logRiskRatio])
    func doubleZeroRatio(measure: EffectMeasure) throws {
        let without = try MantelHaenszelFit.fit(measure: measure, data: DataTable(csv: Self.base))
        let with = try MantelHaenszelFit.fit(measure: measure, data: DataTable(csv: Self.withDoubleZero))
        #expect(with.pooled == without.pooled)
        #expect(with.tableCount == 5 && without.tableCount == 4)
        #expect(with.heterogeneity == without.heterogeneity)
        #expect(with.heterogeneity.studyCount == 4)
        #expect(with.effectSizes.yi[4].isNaN)
        #expect(with.effectSizes.diagnostics.contains(.doubleZero(study: "E", row: 5, dropped: true)))
        #expect(with.cochranMantelHaenszel == without.cochranMantelHaenszel)
        #expect(with.breslowDay == without.breslowDay)
        #expect(with.tarone == without.tarone)
        #expect(with.informativeTableCount == without.informativeTableCount)
    }

    @Test("a double-zero table pulls the MH risk difference toward 0 (weight n1·n2/N, difference 0)")
    func doubleZeroRiskDifference() throws {
        let without = try MantelHaenszelFit.fit(measure: .riskDifference, data: DataTable(csv: Self.base))
        let with = try MantelHaenszelFit.fit(measure: .riskDifference, data: DataTable(csv: Self.withDoubleZero))
        let w: Double = 25 * 27 / 52
        let sumW: Double = [(50.0, 52.0), (40, 38), (120, 118), (30, 31)].reduce(0) { $0 + $1.0 * $1.1 / ($1.0 + $1.1) }
        #expect(abs(with.pooled.estimate - without.pooled.estimate * sumW / (sumW + w)) < 1e-15)
    }

    @Test("a double-zero table changes no Peto estimate")
    func doubleZeroPeto() throws {
        let without = try PetoFit.fit(data: DataTable(csv: Self.base))
        let with = try PetoFit.fit(data: DataTable(csv: Self.withDoubleZero))
        #expect(with.pooled == without.pooled)
        #expect(with.heterogeneity == without.heterogeneity)
        #expect(with.tableCount == 5)
    }

    @Test("all-zero tables: MH and Peto say the estimate is not defined", arguments: [EffectMeasure.logOddsRatio, .logRiskRatio, .riskDifference])
    func allZero(measure: EffectMeasure) throws {
        #expect(throws: EstimationError.self) {
            try MantelHaenszelFit.fit(measure: measure, data: DataTable(csv: Self.allZero))
        }
        #expect(throws: EstimationError.notEstimable(method: "Peto", measure: .petoLogOddsRatio,
                                                     reason: "no study has both events and non-events")) {
            try PetoFit.fit(data: DataTable(csv: Self.allZero))
        }
    }

    @Test("a zero cell needs no correction: the MH OR uses raw counts (table D has a = 0)")
    func singleZeroCell() throws {
        let fit = try MantelHaenszelFit.fit(measure: .logOddsRatio, data: DataTable(csv: Self.base))
        // Σ ad/N ÷ Σ bc/N from the raw counts, written out.
        let r = 3.0 * 44 / 102 + 1.0 * 34 / 78 + 6.0 * 109 / 238 + 0
        let s = 47.0 * 8 / 102 + 39.0 * 4 / 78 + 114.0 * 9 / 238 + 30.0 * 2 / 61
        #expect(abs(fit.pooled.estimate - log(r / s)) < 1e-14)
        #expect(fit.effectSizes.diagnostics.contains(.continuityCorrection(study: "D", row: 4, added: 0.5)))
    }

    @Test("MH with a measure it does not pool is a typed error")
    func unsupported() throws {
        #expect(throws: EstimationError.unsupportedMeasure(method: "MH", measure: .arcsineRiskDifference,
                                                           supported: MantelHaenszelFit.supportedMeasures)) {
            try MantelHaenszelFit.fit(measure: .arcsineRiskDifference, data: DataTable(csv: Self.base))
        }
    }
}
