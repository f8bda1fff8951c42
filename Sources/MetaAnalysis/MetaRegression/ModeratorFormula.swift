import MetaData

/// The moderators of a model written as an R formula: `~ year + deltype`, `~ 0 + outcome` (no intercept),
/// `~ 1` (intercept only), `a * b` (= `a + b + a:b`) and interactions `a:b` of a factor or a number with a
/// number. Main effects are coded as ``DesignMatrix`` codes them; in `f:x` the factor keeps every level when
/// `x` is not a main effect and drops its reference level otherwise (R's `model.matrix`).
public struct ModeratorFormula: Sendable, Equatable {
    public let intercept: Bool
    /// The main-effect columns, in formula order.
    public let columns: [String]
    /// The interactions `a:b`, in formula order.
    public let interactions: [(String, String)]

    public static func == (a: ModeratorFormula, b: ModeratorFormula) -> Bool {
        a.intercept == b.intercept && a.columns == b.columns && a.interactions.map { [$0.0, $0.1] } == b.interactions.map { [$0.0, $0.1] }
    }

    /// - Throws: ``MetaRegressionError/malformedFormula(_:reason:)`` naming what is wrong.
    public init(_ formula: String) throws(MetaRegressionError) {
        var text = formula.trimmingSpaces()
        guard text.hasPrefix("~") else { throw .malformedFormula(formula, reason: "it does not start with '~'") }
        text.removeFirst()
        var intercept = true
        var columns: [String] = []
        var interactions: [(String, String)] = []
        func add(_ column: String) throws(MetaRegressionError) {
            guard !column.isEmpty, !column.contains(where: { ":*()^|-/ ".contains($0) }) else {
                throw .malformedFormula(formula, reason: "'\(column)' is not a column name")
            }
            guard !columns.contains(column) else { throw .duplicateModerator(column: column) }
            columns.append(column)
        }
        for raw in text.split(separator: "+", omittingEmptySubsequences: false) {
            let term = String(raw).trimmingSpaces()
            switch term {
            case "": throw .malformedFormula(formula, reason: "a term is empty")
            case "1": intercept = true
            case "0", "-1": intercept = false
            default:
                for op in [":", "*"] where term.contains(op) {
                    let parts = term.split(separator: Character(op), omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
                    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: { ":*()^|-/ ".contains($0) }) }) else {
                        throw .malformedFormula(formula, reason: "the term '\(term)' is not a product of two columns")
                    }
                    if op == "*" { try add(parts[0]); try add(parts[1]) }
                    interactions.append((parts[0], parts[1]))
                }
                if !term.contains(":") && !term.contains("*") { try add(term) }
            }
        }
        self.intercept = intercept
        self.columns = columns
        self.interactions = interactions
    }

    /// The design at data rows `rows` (0-based) of `table`; `levelOrder` fixes a factor's levels (first =
    /// reference) as R's `factor(x, levels = ...)`.
    public func design(from table: DataTable, rows: [Int], levelOrder: [String: [String]] = [:]) throws -> DesignMatrix {
        var design: DesignMatrix
        if columns.isEmpty {
            guard intercept else { throw MetaRegressionError.emptyDesign }
            design = try DesignMatrix(intercept: true, studyCount: rows.count)
        } else {
            design = try DesignMatrix.build(from: table, moderators: columns.map { Moderator(column: $0, coding: levelOrder[$0] == nil ? nil : .categorical) },
                                            rows: rows, intercept: intercept, levelOrder: levelOrder)
        }
        for (a, b) in interactions {
            // One of the two may be a factor (the first level-coded one); the other must be numeric.
            let one = try DesignMatrix.build(from: table, moderators: [Moderator(column: a, coding: levelOrder[a] == nil ? nil : .categorical)],
                                             rows: rows, intercept: false, levelOrder: levelOrder)
            let two = try DesignMatrix.build(from: table, moderators: [Moderator(column: b, coding: levelOrder[b] == nil ? nil : .categorical)],
                                             rows: rows, intercept: false, levelOrder: levelOrder)
            let (factor, number, factorFirst) = one.terms[0].coding == .categorical ? (one, two, true) : (two, one, false)
            guard number.terms[0].coding == .continuous else {
                throw MetaRegressionError.malformedFormula("\(a):\(b)", reason: "an interaction of two factors is not supported")
            }
            let numberName = number.coefficientNames[0]
            let x = number.matrix.column(0)
            var names: [String] = [], values: [[Double]] = []
            if factor.terms[0].coding == .categorical {
                let marginPresent = columns.contains(numberName)
                let levels = factor.terms[0].levels
                for (i, level) in levels.enumerated() where !(marginPresent && i == 0) {
                    // Built without an intercept, the factor alone has one indicator column per level, in level order.
                    let indicator = factor.matrix.column(i)
                    let name = factor.terms[0].column + level
                    names.append(factorFirst ? "\(name):\(numberName)" : "\(numberName):\(name)")
                    values.append(zip(indicator, x).map { $0 * $1 })
                }
            } else {
                names.append("\(a):\(b)")
                values.append(zip(factor.matrix.column(0), x).map { $0 * $1 })
            }
            design = try design.appending(columns: values, names: names)
        }
        return design
    }
}
