import MetaData
import MetaAnalysis
import MetaReport

/// A bank option or argument the effect-size step cannot read.
struct BankCaseError: Error, CustomStringConvertible {
    let description: String
}

extension BankCase {
    /// The escalc options of this case: `add`, `to`, `drop00`, `vtype`, `level` when recorded, metafor's
    /// escalc defaults otherwise.
    var escalcOptions: EscalcOptions {
        get throws {
            var options = EscalcOptions()
            if let add = numberOption("add") { options.add = add }
            if let to = stringOption("to") {
                guard let scope = ContinuityCorrectionScope(rawValue: to) else { throw BankCaseError(description: "unknown to '\(to)'") }
                options.to = scope
            }
            if let drop00 = option("drop00"), case let .bool(flag) = drop00 { options.drop00 = flag }
            if let vtype = stringOption("vtype") {
                guard let v = VarianceType(rawValue: vtype) else { throw BankCaseError(description: "unsupported vtype '\(vtype)'") }
                options.vtype = v
            }
            if let level = numberOption("level") { options.level = level }
            if let correct = option("correct"), case let .bool(flag) = correct { options.correct = flag }
            return options
        }
    }

    /// The escalc measure of this case (`options.measure`); GEN when absent.
    var effectMeasure: EffectMeasure {
        get throws {
            let code = stringOption("measure") ?? "GEN"
            guard let measure = EffectMeasure(rawValue: code) else { throw BankCaseError(description: "unknown measure '\(code)'") }
            return measure
        }
    }

    /// `args` as an escalc-argument → CSV-column map.
    var escalcColumns: [EscalcArgument: String] {
        get throws {
            var columns: [EscalcArgument: String] = [:]
            for (name, column) in args {
                guard let argument = EscalcArgument(rawValue: name) else { throw BankCaseError(description: "unknown escalc argument '\(name)'") }
                columns[argument] = column
            }
            return columns
        }
    }

    /// The effect sizes every analysis of this case starts from: escalc with `options.measure`, `args` and the
    /// escalc options; for measure GEN, `yi` with `vi` (or `sei`) read from the columns `args` names.
    /// Studies carry the CSV's `study` column as labels when it has one.
    ///
    /// Use this in every runner (rma.uni, rma.mods, MH, Peto, pubbias, diagnostics, ...) so that all analyses
    /// compute effect sizes in one way. Pass `drop00: true` explicitly only if a case's options lack it.
    func effectSizes() throws -> EffectSizes {
        try EffectSizes.compute(measure: effectMeasure, data: table, columns: escalcColumns, options: escalcOptions)
    }
}
