import MetaData
import MetaAnalysis
import Testing

/// escalc and the stratified methods (MH, Peto, GLMM) read 2×2 counts through one validation
/// (`TwoByTwoTable+Reading`): the same bad table gives the same typed error, naming its row and column.
@Suite("2×2 counts: one validation for escalc, MH, Peto and GLMM")
struct TwoByTwoValidationTests {
    /// (CSV, row and column the error must name).
    static let badTables: [(csv: String, row: String, column: String)] = [
        ("ai,n1i,ci,n2i\n3,10,2,10\n-1,10,1,9", "Row 2", "ai"),
        ("ai,n1i,ci,n2i\n3,10,2,10\n12,10,1,9", "Row 2", "ai"),
        ("ai,n1i,ci,n2i\n3,10,2,10\n1,10,4,-9", "Row 2", "n2i"),
        ("ai,bi,ci,di\n3,7,2,8\n0,0,1,9", "Row 2", "ai"),
        ("ai,bi,ci,di\n3,7,2,8\n1,9,2,-8", "Row 2", "di"),
    ]

    static func error(_ body: () throws -> Void) -> InputError? {
        do { try body() } catch let e as InputError { return e } catch { return nil }
        return nil
    }

    @Test("the same InputError from every method, naming row and column", arguments: badTables.indices)
    func sameError(_ index: Int) throws {
        let (csv, row, column) = Self.badTables[index]
        let data = try DataTable(csv: csv)
        let escalc = try #require(Self.error { _ = try EffectSizes.compute(measure: .logOddsRatio, data: data) })
        #expect(escalc.description.contains(row) && escalc.description.contains(column), "\(escalc)")
        #expect(Self.error { _ = try MantelHaenszelFit.fit(measure: .logOddsRatio, data: data) } == escalc)
        #expect(Self.error { _ = try PetoFit.fit(data: data) } == escalc)
        for model in GLMMModel.allCases {
            #expect(Self.error { _ = try BinomialNormalGLMM.fit(measure: .logOddsRatio, data: data, options: GLMMOptions(model: model)) } == escalc)
        }
        let tables = "x1i,t1i,x2i,t2i\n1,10,2,12\n-1,10,2,12"
        let personTime = try DataTable(csv: tables)
        let irr = try #require(Self.error { _ = try EffectSizes.compute(measure: .logIncidenceRateRatio, data: personTime) })
        #expect(Self.error { _ = try MantelHaenszelFit.fit(measure: .logIncidenceRateRatio, data: personTime) } == irr)
    }
}
