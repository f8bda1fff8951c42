import MetaData

/// A term `~ inner | outer` of a multivariate model: within each level of `outer` (a study), the random effects
/// of the `inner` levels (outcomes, time points) are correlated with covariance G given by a
/// ``CovarianceStructure``; different outer levels are independent (Berkey et al. 1998; Ishak et al. 2007).
public struct CorrelatedRandomEffects: Sendable, Equatable {
    public let innerColumn: String
    public let outerColumn: String
    public let structure: CovarianceStructure
    /// The inner levels in order (numerically for a numeric column).
    public let innerLevels: [String]
    /// For each effect, the index of its inner level.
    public let innerOfEffect: [Int]
    /// The outer grouping.
    public let outer: RandomGrouping
    /// The inner levels as numbers (AR, HAR: the times); nil when the column is not numeric.
    public let innerValues: [Double]?

    /// Splits R's `~ inner | outer` into its two column names.
    /// - Throws: ``MultilevelModelError/malformedRandomFormula(_:reason:)``.
    public static func columns(formula: String) throws(MultilevelModelError) -> (inner: String, outer: String) {
        var text = formula.trimmingSpaces()
        guard text.hasPrefix("~") else { throw .malformedRandomFormula(formula, reason: "it does not start with '~'") }
        text.removeFirst()
        let sides = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else {
            throw .malformedRandomFormula(formula, reason: "expected one '|' between the inner and the outer column")
        }
        for side in sides where side.contains(where: { "/:*+ ".contains($0) }) {
            throw .malformedRandomFormula(formula, reason: "'\(side)' is not a single column name")
        }
        guard sides[0] != sides[1] else { throw .malformedRandomFormula(formula, reason: "the inner and the outer column are the same") }
        return (sides[0], sides[1])
    }

    /// The term from its columns' labels (one per effect).
    /// - Throws: ``MultilevelModelError`` when the outer column has a single level, or AR/HAR get a non-numeric
    ///   inner column.
    public init(innerColumn: String, innerLabels: [String], outerColumn: String, outerLabels: [String],
                structure: CovarianceStructure) throws(MultilevelModelError) {
        guard innerLabels.count == outerLabels.count else {
            throw .labelCountMismatch(column: innerColumn, labels: innerLabels.count, effects: outerLabels.count)
        }
        let inner = RandomGrouping(name: innerColumn, columns: [innerLabels])
        let numbers = inner.levels.map { DataTable.parseDouble($0) }
        if structure.needsNumericInner, numbers.contains(where: { $0 == nil }) {
            throw .nonNumericInner(column: innerColumn, structure: structure.rawValue)
        }
        let outer = RandomGrouping(name: outerColumn, columns: [outerLabels])
        guard outer.levelCount > 1 else { throw .singleLevel(component: outerColumn, level: outer.levels.first ?? "") }
        self.innerColumn = innerColumn
        self.outerColumn = outerColumn
        self.structure = structure
        innerLevels = inner.levels
        innerOfEffect = inner.levelOfEffect
        self.outer = outer
        innerValues = numbers.contains(where: { $0 == nil }) ? nil : numbers.map { $0! }
    }

    /// The term `formula` read from `table` at data rows `rows` (0-based).
    public init(formula: String, structure: CovarianceStructure, table: DataTable, rows: [Int]) throws {
        let (inner, outer) = try Self.columns(formula: formula)
        for column in [inner, outer] where !table.hasColumn(column) {
            throw MultilevelModelError.missingGroupingColumn(column: column, formula: formula)
        }
        try self.init(innerColumn: inner, innerLabels: table.labels(inner, neededBy: "the random term '\(formula)'", rows: rows),
                      outerColumn: outer, outerLabels: table.labels(outer, neededBy: "the random term '\(formula)'", rows: rows),
                      structure: structure)
    }

    /// The formula as R writes it.
    public var formula: String { "~ \(innerColumn) | \(outerColumn)" }

    var parameterization: TermParameterization {
        TermParameterization(structure: structure, levels: innerLevels.count, times: innerValues ?? [])
    }
}
