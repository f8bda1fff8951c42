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

    /// The evidence, and one provenance entry (path, SHA-256) per input.
    func load() throws -> (evidence: TRDEvidence, inputs: [(path: String, sha256: String)]) {
        let studiesText = try text(path: studies, bundled: .trdReviewStudies)
        let outcomesText = try text(path: data, bundled: .trdReviewOutcomes)
        do {
            let evidence = try TRDEvidence(studiesCSV: studiesText.text, outcomesCSV: outcomesText.text)
            return (evidence, [(studiesText.path, SHA256.hexDigest(Array(studiesText.text.utf8))),
                               (outcomesText.path, SHA256.hexDigest(Array(outcomesText.text.utf8)))])
        } catch {
            throw DataFileError.input(path: data ?? studies ?? "bundled TRD data", error)
        }
    }

    private func text(path: String?, bundled: BundledDataset) throws -> (path: String, text: String) {
        guard let path else { return ("bundled:" + bundled.path, bundled.csv) }
        let bytes = try DataFile.bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataFileError.input(path: path, .notUTF8(offset: 0))
        }
        return (path, text)
    }
}
