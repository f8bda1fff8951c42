import MetaAnalysis
import MetaReport

/// `analysis: "rma.peto"`: `rma.peto(...)` with the case's escalc options (`drop00 = TRUE`).
enum PetoRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        try PetoFit.fit(data: c.table, columns: c.escalcColumns,
                        options: MantelHaenszelOptions(escalc: try c.escalcOptions)).jsonValue()
    }
}
