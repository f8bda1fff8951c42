/// Study data as the effect-size calculators and models read it: named columns, one value per study (row).
///
/// Two sources conform: ``DataTable`` (a CSV file's text, converted on request with row- and column-aware
/// errors) and ``StudyData`` (typed arrays a Swift caller builds). Columns are named as metafor's `escalc`
/// arguments (``EscalcArgument``) unless a column map says otherwise. Rows are 1-based in errors.
public protocol StudyColumns: Sendable {
    /// Column names, in order.
    var columnNames: [String] { get }
    /// Number of studies.
    var rowCount: Int { get }
    func hasColumn(_ name: String) -> Bool
    /// The text of a column (study labels).
    func strings(_ name: String, neededBy: String) throws(InputError) -> [String]
    /// A column as finite numbers; a missing, non-numeric or non-finite value is an error naming row and column.
    func numbers(_ name: String, neededBy: String) throws(InputError) -> [Double]
    /// A column whose missing values mean "not reported" (nil); a non-finite value is an error.
    func optionalNumbers(_ name: String, neededBy: String) throws(InputError) -> [Double?]
}

extension DataTable: StudyColumns {}
