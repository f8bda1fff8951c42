import MetaData
import MetaAnalysis
import MetaDatasets
import Testing

@Suite("BundledDataset")
struct BundledDatasetTests {
    /// A stale generated copy (someone edited `Datasets/` without re-running scripts/embed-datasets.py) fails here.
    @Test("embedded copy equals the file on disk byte for byte", arguments: BundledDataset.all)
    func embeddedCopyMatchesDisk(_ dataset: BundledDataset) throws {
        let disk = try DatasetFiles.bytes(dataset.path)
        let embedded = Array(dataset.csv.utf8)
        #expect(embedded.count == disk.count, "\(dataset.name): \(embedded.count) bytes embedded, \(disk.count) on disk")
        #expect(embedded == disk, "\(dataset.name): run scripts/embed-datasets.py")
    }

    @Test func embeddedTRDReadmeMatchesDisk() throws {
        #expect(Array(BundledDataset.trdReviewReadme.utf8) == (try DatasetFiles.bytes("trd-review/README.md")),
                "run scripts/embed-datasets.py")
    }

    @Test func everyCSVFileIsBundled() {
        #expect(BundledDataset.all.map(\.path).sorted() == DatasetFiles.allCSVPaths())
    }

    @Test func namesAreUniqueAndFindable() {
        let names = BundledDataset.all.map(\.name)
        #expect(Set(names).count == names.count)
        for dataset in BundledDataset.all {
            #expect(BundledDataset.named(dataset.name) == dataset)
            #expect(dataset.path == dataset.name + ".csv")
            #expect(!dataset.description.isEmpty && !dataset.source.isEmpty)
        }
        #expect(BundledDataset.named("no/such") == nil)
    }

    @Test("every bundled dataset is a well-formed CSV", arguments: BundledDataset.all)
    func parses(_ dataset: BundledDataset) throws {
        let table = try DataTable(csv: dataset.csv)
        #expect(table.rowCount > 0)
        #expect(dataset.csv.hasSuffix("\n") && !dataset.csv.contains("\r"))
    }
}

extension BundledDataset: CustomTestStringConvertible {
    public var testDescription: String { name }
}
