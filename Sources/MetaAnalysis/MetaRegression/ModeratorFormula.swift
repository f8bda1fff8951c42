import MetaData

/// The moderators of a model written as an R formula: `~ year + deltype`, `~ 0 + outcome` (no intercept),
/// `~ 1` (intercept only). Main effects only; each term is one data column, coded as ``DesignMatrix`` codes it.
public struct ModeratorFormula: Sendable, Equatable {
    public let intercept: Bool
    /// The columns, in formula order.
    public let columns: [String]

    /// - Throws: ``MetaRegressionError/malformedFormula(_:reason:)`` naming what is wrong.
    public init(_ formula: String) throws(MetaRegressionError) {
        var text = formula.trimmingSpaces()
        guard text.hasPrefix("~") else { throw .malformedFormula(formula, reason: "it does not start with '~'") }
        text.removeFirst()
        var intercept = true
        var columns: [String] = []
        for raw in text.split(separator: "+", omittingEmptySubsequences: false) {
            let term = String(raw).trimmingSpaces()
            switch term {
            case "": throw .malformedFormula(formula, reason: "a term is empty")
            case "1": intercept = true
            case "0", "-1": intercept = false
            default:
                if term.contains(where: { ":*()^|-/".contains($0) }) {
                    throw .malformedFormula(formula, reason: "the term '\(term)' is not a column name (interactions are not supported here)")
                }
                guard !columns.contains(term) else { throw .duplicateModerator(column: term) }
                columns.append(term)
            }
        }
        self.intercept = intercept
        self.columns = columns
    }

    /// The design at data rows `rows` (0-based) of `table`; `levelOrder` fixes a factor's levels (first =
    /// reference) as R's `factor(x, levels = ...)`.
    public func design(from table: DataTable, rows: [Int], levelOrder: [String: [String]] = [:]) throws -> DesignMatrix {
        if columns.isEmpty {
            guard intercept else { throw MetaRegressionError.emptyDesign }
            return try DesignMatrix(intercept: true, studyCount: rows.count)
        }
        return try DesignMatrix.build(from: table, moderators: columns.map { Moderator(column: $0, coding: levelOrder[$0] == nil ? nil : .categorical) }, rows: rows,
                                      intercept: intercept, levelOrder: levelOrder)
    }
}
