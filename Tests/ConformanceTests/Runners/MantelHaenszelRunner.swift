import MetaAnalysis
import MetaReport

/// `analysis: "rma.mh"`: `rma.mh(...)` with the case's measure, escalc options (`drop00 = TRUE`) and `correct`.
enum MantelHaenszelRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        var options = MantelHaenszelOptions(escalc: try c.escalcOptions)
        if let correct = c.option("correct"), case let .bool(flag) = correct { options.correct = flag }
        return try MantelHaenszelFit.fit(measure: c.effectMeasure, data: c.table, columns: c.escalcColumns,
                                         options: options).jsonValue()
    }
}
