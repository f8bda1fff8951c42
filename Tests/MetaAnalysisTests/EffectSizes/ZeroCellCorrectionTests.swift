import MetaData
import MetaAnalysis
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// metafor's zero-cell rules (`?escalc`: add, to, drop00); expected values are the textbook formulas evaluated
/// by hand on the corrected counts.
@Suite("EffectSizes zero cells")
struct ZeroCellCorrectionTests {
    // Study 1 has a zero cell, study 2 none, study 3 is a double-zero study.
    static let tables = try! DataTable(csv: "study,ai,bi,ci,di\nS1,0,10,5,5\nS2,2,8,4,6\nS3,0,10,0,12\n")

    static func or(_ options: EscalcOptions) throws -> EffectSizes {
        try EffectSizes.compute(measure: .logOddsRatio, data: tables, options: options)
    }

    @Test func onlyZeroCorrectsStudiesWithAZeroCell() throws {
        let es = try Self.or(EscalcOptions())
        // S1 becomes 0.5, 10.5, 5.5, 5.5: OR = 0.5/10.5.
        #expect(abs(es.yi[0] - log(0.5 / 10.5)) < 1e-14)
        #expect(abs(es.vi[0] - (1 / 0.5 + 1 / 10.5 + 2 / 5.5)) < 1e-14)
        #expect(abs(es.yi[1] - log(2.0 * 6 / (8 * 4))) < 1e-14)
        #expect(es.diagnostics == [
            .continuityCorrection(study: "S1", row: 1, added: 0.5),
            .doubleZero(study: "S3", row: 3, dropped: false),
            .continuityCorrection(study: "S3", row: 3, added: 0.5),
        ])
    }

    @Test func allAndIfZeroAll() throws {
        let all = try Self.or(EscalcOptions(to: .all))
        #expect(abs(all.yi[1] - log(2.5 * 6.5 / (8.5 * 4.5))) < 1e-14)
        #expect(all.diagnostics.filter { if case .continuityCorrection = $0 { true } else { false } }.count == 3)
        let ifAny = try Self.or(EscalcOptions(to: .allIfAnyZero))
        #expect(ifAny.yi == all.yi)
        let noZeros = try EffectSizes.compute(measure: .logOddsRatio, data: DataTable(csv: "ai,bi,ci,di\n2,8,4,6\n"),
                                              options: EscalcOptions(to: .allIfAnyZero))
        #expect(noZeros.diagnostics.isEmpty)
        #expect(noZeros.studies == ["1"])
    }

    @Test func noneLeavesZeroCellsAsNA() throws {
        let es = try Self.or(EscalcOptions(to: .none))
        #expect(es.yi[0].isNaN && es.vi[0].isNaN)
        #expect(es.diagnostics.contains(.notEstimable(study: "S1", row: 1)))
        #expect(es.availableIndices == [1])
    }

    @Test func drop00LeavesDoubleZeroStudiesOut() throws {
        let es = try Self.or(EscalcOptions(drop00: true))
        #expect(es.yi[2].isNaN && es.vi[2].isNaN)
        #expect(es.diagnostics.contains(.doubleZero(study: "S3", row: 3, dropped: true)))
        #expect(!es.diagnostics.contains(.notEstimable(study: "S3", row: 3)))
        #expect(es.availableIndices == [0, 1])
    }

    @Test func proportionsCorrectEventsAndNonEvents() throws {
        let es = try EffectSizes.compute(measure: .logitProportion, data: DataTable(csv: "xi,ni\n10,10\n3,10\n"))
        // 10.5 events of 11: logit = log(10.5/0.5), vi = 1/10.5 + 1/0.5.
        #expect(abs(es.yi[0] - log(21)) < 1e-14)
        #expect(abs(es.vi[0] - (1 / 10.5 + 2)) < 1e-14)
        #expect(es.diagnostics == [.continuityCorrection(study: "1", row: 1, added: 0.5)])
    }

    @Test func personTimeCorrectsCountsOnly() throws {
        let es = try EffectSizes.compute(measure: .logIncidenceRateRatio, data: DataTable(csv: "x1i,t1i,x2i,t2i\n0,100,4,200\n0,50,0,50\n"),
                                         options: EscalcOptions(drop00: true))
        #expect(abs(es.yi[0] - log((0.5 / 100) / (4.5 / 200))) < 1e-14)
        #expect(abs(es.vi[0] - (1 / 0.5 + 1 / 4.5)) < 1e-14)
        #expect(es.yi[1].isNaN)
        #expect(es.diagnostics == [.continuityCorrection(study: "1", row: 1, added: 0.5), .doubleZero(study: "2", row: 2, dropped: true)])
    }

    @Test func genericAcceptsStandardErrors() throws {
        let es = try EffectSizes.compute(measure: .generic, data: DataTable(csv: "yi,sei\n0.3,0.2\n"))
        #expect(es.vi == [0.2 * 0.2])
        #expect(abs(es.sei[0] - 0.2) < 1e-16)
    }
}
