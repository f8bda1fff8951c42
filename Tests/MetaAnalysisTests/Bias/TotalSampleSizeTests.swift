import MetaAnalysis
import MetaData
import Testing

/// The sample sizes the ni, ninv and sqrtninv predictors of Egger's test take when no column is named: the
/// total escalc records (metafor's `ni` attribute), n1i + n2i, else the four cells, else ni.
@Suite("Egger predictors: total sample sizes")
struct TotalSampleSizeTests {
    @Test func twoGroupSizesAreAdded() throws {
        let data = StudyData.twoGroup(m1i: [1, 2], sd1i: [1, 1], n1i: [10, 20], m2i: [0, 0], sd2i: [1, 1], n2i: [12, 25])
        #expect(try AsymmetryPredictor.ninv.totalSampleSizes(in: data) == [22, 45])
    }

    @Test func fourCellsAreAddedWhenGroupSizesAreAbsent() throws {
        let data = StudyData.twoByTwo(ai: [4, 6], bi: [119, 300], ci: [11, 29], di: [128, 274])
        #expect(try AsymmetryPredictor.ni.totalSampleSizes(in: data) == [262, 609])
    }

    @Test func singleGroupSizeIsTakenAsIs() throws {
        let data = StudyData.proportions(xi: [3, 5], ni: [30, 50])
        #expect(try AsymmetryPredictor.sqrtninv.totalSampleSizes(in: data) == [30, 50])
    }

    /// A column map names the data's columns; data with no size columns give nil (the caller says which to add).
    @Test func columnMapAndAbsentColumns() throws {
        let table = try DataTable(csv: "tpos,tneg,cpos,cneg\n4,119,11,128\n")
        let map: [EscalcArgument: String] = [.ai: "tpos", .bi: "tneg", .ci: "cpos", .di: "cneg"]
        #expect(try AsymmetryPredictor.ni.totalSampleSizes(in: table, columns: map) == [262])
        #expect(try AsymmetryPredictor.ni.totalSampleSizes(in: table) == nil)
        #expect(try AsymmetryPredictor.ni.totalSampleSizes(in: StudyData.precomputed(yi: [0.1], vi: [0.01])) == nil)
    }

    @Test func aValueThatIsNotANumberIsAnInputError() throws {
        let table = try DataTable(csv: "n1i,n2i\n10,x\n")
        #expect(throws: InputError.self) { try AsymmetryPredictor.ni.totalSampleSizes(in: table) }
    }
}
