import ArgumentParser
import MetaData
import MetaAnalysis
import MetaReport

/// What the bias and sensitivity commands share: the fitted intercept-only model of `--data` (with the `pool`
/// choices), provenance, and output of an `AnalysisReport` in the chosen format.
struct StudyModelInput {
    let model: RandomEffectsModel
    let table: DataTable
    /// Data rows (0-based) of the model's studies.
    let rows: [Int]
    let notes: [String]
    let provenance: Provenance
    /// How the text shows estimates on the measure's natural scale (exp for RR, OR, ...); nil for measures on it.
    let backTransformation: BackTransformation?

    init(_ options: ResamplingModelOptions, extraOptions: [(String, String)] = []) throws {
        guard options.moderators.isEmpty else {
            throw InputError.invalidOption(name: "--mods", value: options.mods ?? "",
                                           expected: "no moderators: bias and sensitivity analyses use the model without moderators")
        }
        let d = try options.studyInput()
        let fitted = try options.fittedModel(d)
        model = fitted.model
        table = d.table
        rows = d.rows
        notes = fitted.notes
        backTransformation = d.measure.backTransformation()
        provenance = Provenance(toolVersion: Invocation.version,
                                commandLine: Invocation.commandLine,
                                options: options.provenanceOptions(measure: fitted.measure) + extraOptions,
                                inputPath: options.data, inputSHA256: d.file.sha256)
    }

    /// A numeric column of the model's studies.
    func column(_ name: String, neededBy: String, path: String) throws -> [Double] {
        do {
            let all = try table.numbers(name, neededBy: neededBy)
            return rows.map { all[$0] }
        } catch {
            throw DataFileError.input(path: path, error)
        }
    }
}
