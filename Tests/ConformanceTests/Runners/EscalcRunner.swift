import MetaAnalysis
import MetaReport

enum EscalcRunner {
    static func run(_ c: BankCase) throws -> JSONValue {
        throw NotImplemented(analysis: c.analysis)
    }
}
