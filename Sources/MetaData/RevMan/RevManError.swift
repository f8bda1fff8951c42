/// Why a RevMan file or a choice of outcome in it cannot be imported. `description` is one sentence naming what
/// was expected (and, for a missing comparison or outcome, the ones the file has).
public enum RevManError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither a RevMan 5 review (XML with a COCHRANE_REVIEW root) nor a Cochrane data package CSV.
    case notRevMan(found: String)
    /// The XML could not be read.
    case xml(reason: String)
    /// The data package CSV could not be read as CSV, or lacks a column.
    case csv(InputError)
    /// The file has no analyses.
    case noOutcomes
    /// The chosen outcome's data type has no study-row mapping.
    case unknownDataType(outcome: String, dataType: String)
    /// A value of the file is not what its field holds (a count, a number, an analysis setting).
    case badValue(location: String, field: String, value: String, expected: String)
    /// A data row refers to a study the file does not describe.
    case unknownStudy(id: String, outcome: String)
    /// No outcome was chosen, and the file has several.
    case outcomeNotChosen(present: [String])
    case comparisonNotFound(number: Int, present: [String], outcomes: [String])
    case outcomeNotFound(comparison: Int, number: Int, present: [String])

    public var description: String {
        switch self {
        case let .notRevMan(found):
            return "Not a RevMan file: expected a RevMan 5 review (XML whose root element is COCHRANE_REVIEW) or a Cochrane data package CSV (header starting 'Comparison Number,Outcome Number'); found \(found)."
        case let .xml(reason):
            return "The RevMan file cannot be read: \(reason)."
        case let .csv(error):
            return "The Cochrane data package CSV cannot be read: \(error.description)"
        case .noOutcomes:
            return "The RevMan file has no analyses (no comparison with an outcome); there is nothing to import."
        case let .unknownDataType(outcome, dataType):
            return "Outcome \(outcome) has data type \(dataType), which cannot be imported; expected dichotomous, continuous or generic inverse variance data."
        case let .badValue(location, field, value, expected):
            return "\(location), \(field): expected \(expected); found '\(value)'."
        case let .unknownStudy(id, outcome):
            return "Outcome \(outcome) has data for study '\(id)', which the file's list of studies does not name."
        case let .outcomeNotChosen(present):
            return "The RevMan file has \(present.count) outcomes; choose one by comparison and outcome number: \(present.joined(separator: "; "))."
        case let .comparisonNotFound(number, present, outcomes):
            return "The RevMan file has no comparison \(number); its comparisons are \(present.joined(separator: "; ")) (outcomes: \(outcomes.joined(separator: "; ")))."
        case let .outcomeNotFound(comparison, number, present):
            return "Comparison \(comparison) has no outcome \(number); its outcomes are \(present.joined(separator: "; "))."
        }
    }
}
