/// Bad user data: every case names where the problem is (1-based data row, header excluded, and column)
/// and what was expected there. `description` is the one sentence the CLI prints.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is empty or has no header line.
    case emptyInput
    /// The bytes at `offset` are not valid UTF-8.
    case notUTF8(offset: Int)
    /// The byte at `offset` (0-based, on 1-based `line`) is NUL: a binary or UTF-16 file, not CSV text.
    case nulByte(line: Int, offset: Int)
    /// A quoted field is not closed, or a quote appears inside an unquoted field.
    case malformedQuote(row: Int)
    /// A data row has a different number of fields than the header.
    case wrongFieldCount(row: Int, expected: Int, found: Int)
    /// Two header fields have the same name.
    case duplicateColumn(name: String)
    /// A header field is empty.
    case emptyColumnName(position: Int)
    /// A column that the analysis needs is absent; `neededBy` says what needs it (e.g. "measure OR"); `present`
    /// lists the columns the data has (the sentence names them and the closest one). `mappable` is false for a
    /// fixed-format file (the TRD review's), whose reader takes no column map: the sentence then offers none.
    case missingColumn(name: String, neededBy: String, present: [String] = [], mappable: Bool = true)
    /// None of several alternative columns is present (e.g. `bi` or `n1i` for a 2×2 table).
    case missingColumns(alternatives: [String], neededBy: String, present: [String] = [])
    /// A cell that must hold a number does not.
    case notANumber(row: Int, column: String, value: String)
    /// A cell holds NaN or ±Inf where a number is required.
    case notFinite(row: Int, column: String, value: String)
    /// A cell that must hold a number is empty or R's `NA`. metafor drops such studies under `na.action`;
    /// MetaSwift never drops a study silently, so this is an error naming the cell.
    case missingValue(row: Int, column: String, value: String)
    /// The file has a header line but no data rows.
    case noDataRows
    /// The whole file reads as one line whose fields hold carriage returns: its lines end in CR alone.
    case carriageReturnLineEnds
    /// No measure was named (GEN, precomputed `yi`, is the default) but the file has another measure's raw columns.
    case measureNotGiven(columns: [String], measures: [String])
    /// A value is outside its allowed range; `expected` says what is allowed ("a count ≥ 0").
    case outOfRange(row: Int, column: String, value: Double, expected: String)
    /// A value breaks a rule that ties several columns (events > total, ...); `rule` says which.
    case inconsistent(row: Int, columns: [String], rule: String)
    /// Study labels must be unique for this analysis.
    case duplicateStudy(label: String, rows: [Int])
    /// There are fewer studies than the analysis needs.
    case tooFewStudies(found: Int, needed: Int, analysis: String)
    /// An option's value is not allowed (e.g. an unknown measure code).
    case invalidOption(name: String, value: String, expected: String)
    /// A sampling variance is zero or negative (a model needs v_i > 0).
    case nonPositiveVariance(study: String, row: Int, value: Double)
    /// A cell of a coded column holds a value outside its closed vocabulary.
    case unknownCode(row: Int, column: String, value: String, allowed: [String])
    /// A column of typed study data has `count` values where there are `expected` studies.
    case lengthMismatch(column: String, count: Int, expected: Int)
    /// The rows of one analysis of a collection (`key`, the values of `columns`) are not adjacent: it ended at
    /// `rows` and comes back at `row`.
    case analysisNotAdjacent(columns: [String], key: [String], rows: ClosedRange<Int>, row: Int)
    /// A covariance table (`row1,row2,cov`) gives no variance for the effect in data row `dataRow` of the effects' file.
    case missingVariance(dataRow: Int)

    public var description: String {
        switch self {
        case .emptyInput:
            return "The input is empty; expected a CSV header line followed by one row per study."
        case let .notUTF8(offset):
            return "The input is not valid UTF-8 (byte \(offset)); save the file as UTF-8."
        case let .nulByte(line, offset):
            return "Line \(line) holds a NUL byte (byte \(offset)); expected CSV text (a UTF-16 or binary file: save it as UTF-8 CSV)."
        case let .malformedQuote(row):
            return (row == 0 ? "The header line" : "Row \(row)") + ": a quoted field is not closed or a quote stands inside an unquoted field."
        case let .wrongFieldCount(row, expected, found):
            return "Row \(row): expected \(expected) fields as in the header; found \(found)."
        case let .duplicateColumn(name):
            return "Column '\(name)' appears twice in the header; column names must be unique."
        case let .emptyColumnName(position):
            return "Header field \(position) is empty; every column needs a name."
        case let .missingColumn(name, neededBy, present, mappable):
            return "Column '\(name)' is missing; \(neededBy) needs it"
                + Self.columnHint(for: [name], present: present,
                                  map: mappable ? "\(ArgumentNaming.current(.columnMap)) \(name)=COLUMN" : nil)
        case let .missingColumns(alternatives, neededBy, present):
            let names = alternatives.map { "'\($0)'" }.joined(separator: " or ")
            return "Column \(names) is missing; \(neededBy) needs one of them"
                + Self.columnHint(for: alternatives, present: present, map: ArgumentNaming.current(.columnMap))
        case let .notANumber(row, column, value):
            return "Row \(row), column '\(column)': expected a number; found '\(value)'."
        case let .notFinite(row, column, value):
            return "Row \(row), column '\(column)': expected a finite number; found '\(value)'."
        case let .missingValue(row, column, value):
            let shown = value.trimmingSpaces().isEmpty ? "an empty cell" : "'\(value)'"
            return "Row \(row), column '\(column)': the value is missing (\(shown)); studies are never dropped silently: fill it in or remove the row."
        case let .measureNotGiven(columns, measures):
            return "Column 'yi' is missing, and without \(ArgumentNaming.current(.measure)) the data are read as precomputed yi and vi (GEN); this file has \(columns.joined(separator: ", ")): name the measure, e.g. \(ArgumentNaming.current(.measure)) \(measures.joined(separator: " or "))."
        case .noDataRows:
            return "The input has a header line but no data rows; expected one row per study."
        case .carriageReturnLineEnds:
            return "The lines of the input end in a carriage return alone (old Mac line ends), so it reads as one header line with no data rows; expected LF or CRLF line ends (convert the file, e.g. with tr '\\r' '\\n')."
        case let .outOfRange(row, column, value, expected):
            return "Row \(row), column '\(column)': expected \(expected); found \(Self.format(value))."
        case let .inconsistent(row, columns, rule):
            return "Row \(row) (\(columns.joined(separator: ", "))): \(rule)."
        case let .duplicateStudy(label, rows):
            return "Study '\(label)' appears in rows \(rows.map(String.init).joined(separator: ", ")); study labels must be unique."
        case let .tooFewStudies(found, needed, analysis):
            return "\(analysis) needs at least \(needed) \(needed == 1 ? "study" : "studies"); found \(found)."
        case let .invalidOption(name, value, expected):
            return "Option \(name): expected \(expected); found '\(value)'."
        case let .nonPositiveVariance(study, row, value):
            return "Row \(row) (\(study)): sampling variance must be positive; found \(Self.format(value))."
        case let .unknownCode(row, column, value, allowed):
            return "Row \(row), column '\(column)': expected one of \(allowed.joined(separator: ", ")); found '\(value)'."
        case let .lengthMismatch(column, count, expected):
            return "Column '\(column)' has \(count) values; expected \(expected), one per study."
        case let .analysisNotAdjacent(columns, key, rows, row):
            let analysis = zip(columns, key).map { "\($0) = \($1)" }.joined(separator: ", ")
            return "Row \(row): the analysis \(analysis) already ended at rows \(rows.lowerBound)-\(rows.upperBound); the rows of an analysis must be adjacent (sort the file by \(columns.joined(separator: ", ")))."
        case let .missingVariance(dataRow):
            return "The covariance file has no line for the sampling variance of the effect in data row \(dataRow) (row1 = row2 = \(dataRow)); expected one per effect."
        }
    }

    /// The end of a missing-column sentence: the columns present and how to map one. (No "did you mean": the
    /// nearest column is often another argument of the same measure, `sd1i` for a missing `sd2i`.)
    private static func columnHint(for names: [String], present: [String], map: String?) -> String {
        let use = map.map { " (use \($0) to map another column)" } ?? ""
        guard !present.isEmpty else { return use + "." }
        // One column whose name holds tabs or semicolons: the file is not comma-separated.
        if present.count == 1, let only = present.first, let separator = only.contains("\t") ? "tab" : only.contains(";") ? "semicolon" : nil {
            return "; the header has a single column, so the file looks \(separator)-separated: expected commas between the columns (save it as CSV)."
        }
        return "; the columns are \(present.joined(separator: ", "))\(use)."
    }

    private static func format(_ x: Double) -> String {
        NumberText.plain(x)
    }
}
