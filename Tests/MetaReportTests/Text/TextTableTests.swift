import MetaReport
import Testing

@Suite("TextTable")
struct TextTableTests {
    @Test func defaultLayoutIsLabelsLeftNumbersRight() {
        let table = TextTable(header: ["", "estimate", "se"], rows: [["intrcpt", "-0.7145", "0.1798"], ["ablat", "-0.0291", "0.0072"]])
        #expect(table.rendered() == "         estimate      se\nintrcpt   -0.7145  0.1798\nablat     -0.0291  0.0072\n")
    }

    @Test func explicitAlignmentsOverrideTheDefault() {
        let table = TextTable(header: ["level", "method", "k"], rows: [["random", "REML", "7"], ["systematic", "DL", "4"]],
                              alignments: [.left, .left])
        #expect(table.alignment(ofColumn: 1) == .left)
        #expect(table.alignment(ofColumn: 2) == .right)
        #expect(table.rendered() == """
            level       method  k
            random      REML    7
            systematic  DL      4

            """)
    }
}
