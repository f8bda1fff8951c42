import MetaReport
import Testing

@Suite("AnalysisReport text")
struct AnalysisReportTextTests {
    /// GOSH at k = 30 counts 2^30 − 1 subsets: a count prints as an integer, a fraction with the report's digits.
    @Test func wholeNumbersPrintAsIntegersUpToTwoToThe53() {
        let report = AnalysisReport(title: "t", fields: [("subsets", .number(1_073_741_823)), ("big", .number(0x1p53)),
                                                          ("tau2", .number(0.25))])
        let lines = report.textReport().split(separator: "\n").map(String.init)
        #expect(lines.contains("subsets  1073741823"))
        #expect(lines.contains("big      9007199254740992.0000"))
        #expect(lines.contains("tau2     0.2500"))
    }
}
