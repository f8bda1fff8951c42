import MetaAnalysis
import MetaReport

/// `analysis: "escalc"`: `summary(escalc(...))` through the library and MetaReport's JSON renderer.
enum EscalcRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        try c.effectSizes().jsonValue()
    }
}
