/// A dataset that ships inside MetaSwift, so the library and the `metaswift` binary can use it with no file,
/// argument or network.
///
/// The text is generated from the repository's `Datasets/` folder by `scripts/embed-datasets.py` (one source of
/// truth); a test proves the embedded copy equals the files on disk byte for byte. The CSV format, codebooks and
/// provenance rules are documented in `Datasets/` (e.g. `Datasets/trd-review/README.md`).
public struct BundledDataset: Sendable, Hashable {
    /// Short name, `folder/stem` (e.g. `trd-review/outcomes`, `classic/bcg`).
    public let name: String
    /// The file's path relative to `Datasets/`.
    public let path: String
    /// One sentence on what the data are.
    public let description: String
    /// The publication(s) the data come from.
    public let source: String
    /// The file's exact text: UTF-8 CSV with a header row and `\n` line ends.
    public let csv: String

    /// The bundled dataset with this name, if any.
    public static func named(_ name: String) -> BundledDataset? {
        all.first { $0.name == name }
    }
}
