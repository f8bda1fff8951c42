import ArgumentParser
import MetaData
import MetaAnalysis
import MetaDatasets
import MetaReport
import TRDReview

/// `--data` and `--studies`: the TRD review's outcomes and studies, the bundled copies by default.
struct TRDDataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Outcomes CSV in the format of Datasets/trd-review/outcomes.csv (default: the bundled copy).", valueName: "FILE"))
    var data: String?

    @Option(help: ArgumentHelp("Studies CSV in the format of Datasets/trd-review/studies.csv (default: the bundled copy).", valueName: "FILE"))
    var studies: String?

    /// The evidence, and one provenance entry (path, SHA-256) per input. An error names the file it is in.
    func load() throws -> (evidence: TRDEvidence, inputs: [(path: String, sha256: String)]) {
        let studiesText = try text(path: studies, bundled: .trdReviewStudies)
        let outcomesText = try text(path: data, bundled: .trdReviewOutcomes)
        let parsedStudies: [TRDStudy], parsedOutcomes: [TRDOutcome]
        do { parsedStudies = try TRDEvidence.studies(csv: studiesText.text) } catch {
            throw DataFileError.input(path: studiesText.path, error)
        }
        do { parsedOutcomes = try TRDEvidence.outcomes(csv: outcomesText.text) } catch {
            throw DataFileError.input(path: outcomesText.path, error)
        }
        return (TRDEvidence(studies: parsedStudies, outcomes: parsedOutcomes),
                [(studiesText.path, SHA256.hexDigest(Array(studiesText.text.utf8))),
                 (outcomesText.path, SHA256.hexDigest(Array(outcomesText.text.utf8)))])
    }

    private func text(path: String?, bundled: BundledDataset) throws -> (path: String, text: String) {
        guard let path else { return ("bundled:" + bundled.path, bundled.csv) }
        let bytes = try DataFile.bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataFileError.input(path: path, .notUTF8(offset: DataTable.firstInvalidUTF8(bytes)))
        }
        return (path, text)
    }
}
