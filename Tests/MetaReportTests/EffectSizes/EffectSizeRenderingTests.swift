import MetaData
import MetaAnalysis
import MetaReport
import Testing

@Suite("Effect-size rendering")
struct EffectSizeRenderingTests {
    static let sizes = EffectSizes(measure: .logOddsRatio, studies: ["A, \"x\"", "B"], yi: [0.5, .nan], vi: [0.04, .nan],
                                   diagnostics: [.notEstimable(study: "B", row: 2)])

    @Test func jsonWritesNAAsNullAndKeepsConformanceNames() {
        let json = Self.sizes.jsonValue()
        #expect(json.objectValue?.map(\.0) == ["measure", "k", "level", "study", "yi", "vi", "sei", "zi", "pval", "ci_lb", "ci_ub", "diagnostics"])
        #expect(json["yi"] == .array([.number(0.5), .null]))
        #expect(json["sei"] == .array([.number(0.2), .null]))
        #expect(json["diagnostics"]?.arrayValue?.first?["code"] == .string("not_estimable"))
    }

    @Test func csvQuotesLabelsAndWritesNA() throws {
        let table = try DataTable(csv: "study,yi\n\"A, \"\"x\"\"\",1\nB,2\n")
        let csv = Self.sizes.csvDocument(appendingTo: table).serialized()
        let lines = csv.split(separator: "\n")
        // The input's own yi column is replaced by the computed one.
        #expect(lines[0] == "study,yi,vi,sei,zi,pval,ci_lb,ci_ub")
        #expect(lines[1].hasPrefix("\"A, \"\"x\"\"\",0.5,0.04,0.2,2.5,"))
        #expect(lines[2] == "B,NA,NA,NA,NA,NA,NA,NA")
    }

    @Test func tableAlignsAndPrintsSmallPValuesAsMetaforDoes() {
        #expect(NumberFormat.pValue(4e-5) == "<.0001")
        #expect(NumberFormat.fixed(-0.00001) == "0.0000")
        #expect(NumberFormat.fixed(1.23456) == "1.2346")
        let text = TextTable(header: ["study", "yi"], rows: [["Long name", "1.0"], ["B", "-12.5"]]).rendered()
        #expect(text == "study         yi\nLong name    1.0\nB          -12.5\n")
        #expect(Self.sizes.textReport().contains("Note: Row 2 (B): the effect size or its variance is not finite; reported as NA."))
    }
}
