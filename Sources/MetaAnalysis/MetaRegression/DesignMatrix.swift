import MetaData
import MetaNumerics

/// The design X of a meta-regression (rows = studies), with R's coefficient names and the terms that built it.
///
/// Continuous moderators enter as given; categorical ones with treatment contrasts, the first level in byte
/// order as reference (R's `factor(x, levels = sort(unique(x), method = "radix"))` and `model.matrix`); the
/// intercept column `intrcpt` comes first unless left out. A design that is not of full column rank is a
/// typed error naming the coefficients and moderators at fault.
public struct DesignMatrix: Sendable, Equatable {
    /// X, k × p.
    public let matrix: Matrix
    /// `intrcpt`, then `<column>` for continuous and `<column><level>` for categorical moderators.
    public let coefficientNames: [String]
    public let hasIntercept: Bool
    public let terms: [DesignTerm]

    /// The most coefficients a design may have (a fit factors p × p matrices per iteration).
    public static let maximumCoefficients = 1000
    /// The most entries (k × p) a design may have: 2^27 doubles, 1 GiB.
    public static let maximumCells = 1 << 27

    /// Whether a k × p design is within ``maximumCoefficients`` and ``maximumCells`` (checked before anything
    /// k × p is built).
    public static func sizeIsAllowed(coefficients p: Int, studies k: Int) -> Bool {
        let (cells, overflow) = k.multipliedReportingOverflow(by: p)
        return p <= maximumCoefficients && !overflow && cells <= maximumCells
    }

    public var studyCount: Int { matrix.rows }
    public var coefficientCount: Int { matrix.columns }

    /// The indices of the coefficients tested by the omnibus QM test: all but the intercept.
    public var moderatorCoefficientIndices: [Int] { Array((hasIntercept ? 1 : 0)..<coefficientCount) }

    /// Builds X from `moderators` read from `table`, using the data rows `rows` (0-based; e.g. the studies with
    /// an effect size) in that order. Factor levels are those present among `rows` (a level seen only in omitted
    /// studies would give an all-zero column, which metafor drops with a warning).
    ///
    /// `levelOrder` gives the level order of a categorical moderator (first = reference; R's
    /// `factor(x, levels = ...)`); it must list every level present.
    ///
    /// - Throws: `InputError` for a missing column or a bad cell of a continuous moderator;
    ///   `MetaRegressionError` for a repeated or constant moderator, a categorical one with a single level or a
    ///   level missing from `levelOrder`, more coefficients than studies, or linearly dependent columns.
    public static func build(from table: DataTable, moderators: [Moderator], rows: [Int], intercept: Bool = true,
                             levelOrder: [String: [String]] = [:]) throws -> DesignMatrix {
        var seen = Set<String>()
        var columns: [(name: String, coding: ModeratorCoding, numbers: [Double], labels: [String])] = []
        for moderator in moderators {
            guard seen.insert(moderator.column).inserted else { throw MetaRegressionError.duplicateModerator(column: moderator.column) }
            let cells = try table.strings(moderator.column, neededBy: "the moderator '\(moderator.column)'")
            let used = rows.map { cells[$0] }
            let coding = moderator.coding ?? (Self.looksNumeric(used) ? .continuous : .categorical)
            switch coding {
            case .continuous:
                let all = try table.numbers(moderator.column, neededBy: "the moderator '\(moderator.column)'")
                columns.append((moderator.column, .continuous, rows.map { all[$0] }, []))
            case .categorical:
                let labels = try table.labels(moderator.column, neededBy: "the moderator '\(moderator.column)'", rows: rows)
                columns.append((moderator.column, .categorical, [], labels))
            }
        }
        return try DesignMatrix(columns: columns, intercept: intercept, studyCount: rows.count, levelOrder: levelOrder)
    }

    /// Builds X from moderator values already read: continuous ones as numbers, categorical ones as labels.
    /// `studyCount` is needed only without moderators (the intercept-only design).
    public init(continuous: [(name: String, values: [Double])] = [], categorical: [(name: String, labels: [String])] = [],
                intercept: Bool = true, studyCount: Int? = nil) throws {
        let k = studyCount ?? continuous.first?.values.count ?? categorical.first?.labels.count ?? 0
        try self.init(columns: continuous.map { ($0.name, .continuous, $0.values, []) }
            + categorical.map { ($0.name, .categorical, [], $0.labels) }, intercept: intercept, studyCount: k)
    }

    private init(columns: [(name: String, coding: ModeratorCoding, numbers: [Double], labels: [String])], intercept: Bool,
                 studyCount k: Int, levelOrder: [String: [String]] = [:]) throws {
        // The size first: a factor with a level per study would otherwise build k × k dummies before failing.
        var levelsOf: [[String]] = []
        var coefficients = intercept ? 1 : 0
        for c in columns {
            if c.coding == .continuous { levelsOf.append([]); coefficients += 1; continue }
            var levels = Self.sortedLevels(c.labels)
            if let order = levelOrder[c.name] {
                // The level order the user set (R's factor(levels = …)); a value outside it is an error.
                if let missing = levels.first(where: { !order.contains($0) }) {
                    throw MetaRegressionError.unknownLevel(column: c.name, value: missing, levels: order)
                }
                levels = order.filter { levels.contains($0) }
            }
            levelsOf.append(levels)
            let keepsAll = !intercept && zip(columns, levelsOf).dropLast().allSatisfy { $0.0.coding == .continuous }
            coefficients += keepsAll ? levels.count : max(0, levels.count - 1)
        }
        guard Self.sizeIsAllowed(coefficients: coefficients, studies: k) else {
            throw MetaRegressionError.designTooLarge(coefficients: coefficients, studies: k)
        }
        var names: [String] = []
        var data: [[Double]] = []
        var terms: [DesignTerm] = []
        var owner: [String] = []  // the moderator each design column comes from
        if intercept {
            names.append("intrcpt")
            data.append(Array(repeating: 1, count: k))
            owner.append("intrcpt")
        }
        for (c, levels) in zip(columns, levelsOf) {
            let start = names.count
            switch c.coding {
            case .continuous:
                precondition(c.numbers.count == k, "moderator columns must have one value per study")
                if intercept, let first = c.numbers.first, c.numbers.allSatisfy({ $0 == first }) {
                    throw MetaRegressionError.constantModerator(column: c.name, value: first)
                }
                names.append(c.name)
                data.append(c.numbers)
                owner.append(c.name)
                terms.append(DesignTerm(column: c.name, coding: .continuous, levels: [], coefficientIndices: start..<names.count))
            case .categorical:
                precondition(c.labels.count == k, "moderator columns must have one value per study")
                if levels.count < 2 { throw MetaRegressionError.singleLevel(column: c.name, level: levels.first ?? "") }
                // Without an intercept the first factor keeps every level (R's full dummy coding).
                let coded = (!intercept && terms.allSatisfy { $0.coding == .continuous }) ? levels : Array(levels.dropFirst())
                // One pass over the labels for all dummies (a pass per level is O(k·levels)).
                let position = Dictionary(uniqueKeysWithValues: coded.enumerated().map { ($1, $0) })
                var dummies = [[Double]](repeating: [Double](repeating: 0, count: k), count: coded.count)
                for (i, label) in c.labels.enumerated() { if let j = position[label] { dummies[j][i] = 1 } }
                for (level, dummy) in zip(coded, dummies) {
                    names.append(c.name + level)
                    data.append(dummy)
                    owner.append(c.name)
                }
                terms.append(DesignTerm(column: c.name, coding: .categorical, levels: levels, coefficientIndices: start..<names.count))
            }
        }
        guard !names.isEmpty else { throw MetaRegressionError.emptyDesign }
        guard names.count < k else { throw MetaRegressionError.tooManyCoefficients(coefficients: names.count, studies: k) }
        let x = Matrix(columnArrays: data)
        let dependent = x.linearlyDependentColumns()
        if !dependent.isEmpty {
            var moderators: [String] = []
            for j in dependent where !moderators.contains(owner[j]) { moderators.append(owner[j]) }
            throw MetaRegressionError.linearlyDependent(coefficients: dependent.map { names[$0] }, moderators: moderators)
        }
        matrix = x
        coefficientNames = names
        hasIntercept = intercept
        self.terms = terms
    }

    /// X with product columns appended (an interaction term such as `f:x`), named `names`.
    /// - Throws: `MetaRegressionError` for more coefficients than studies or linearly dependent columns.
    public func appending(columns: [[Double]], names: [String]) throws(MetaRegressionError) -> DesignMatrix {
        precondition(columns.count == names.count && columns.allSatisfy { $0.count == studyCount })
        let all = (0..<coefficientCount).map { matrix.column($0) } + columns
        let allNames = coefficientNames + names
        guard allNames.count < studyCount else { throw .tooManyCoefficients(coefficients: allNames.count, studies: studyCount) }
        let x = Matrix(columnArrays: all)
        let dependent = x.linearlyDependentColumns()
        if !dependent.isEmpty {
            throw .linearlyDependent(coefficients: dependent.map { allNames[$0] }, moderators: names)
        }
        return DesignMatrix(matrix: x, coefficientNames: allNames, hasIntercept: hasIntercept, terms: terms)
    }

    private init(matrix: Matrix, coefficientNames: [String], hasIntercept: Bool, terms: [DesignTerm]) {
        self.matrix = matrix
        self.coefficientNames = coefficientNames
        self.hasIntercept = hasIntercept
        self.terms = terms
    }

    /// The design row of a new point: `values` maps every moderator column to a number (continuous) or a level.
    public func row(for values: [String: String]) throws(MetaRegressionError) -> [Double] {
        let known = terms.map(\.column)
        for name in values.keys.sorted() where !known.contains(name) {
            throw .unknownPredictionVariable(name: name, moderators: known)
        }
        var x = [Double](repeating: 0, count: coefficientCount)
        if hasIntercept { x[0] = 1 }
        for term in terms {
            guard let raw = values[term.column]?.trimmingSpaces() else { throw .missingPredictionValue(column: term.column) }
            switch term.coding {
            case .continuous:
                guard let v = DataTable.parseDouble(raw), v.isFinite else { throw .predictionValueNotNumber(column: term.column, value: raw) }
                x[term.coefficientIndices.lowerBound] = v
            case .categorical:
                guard let position = term.levels.firstIndex(of: raw) else {
                    throw .unknownLevel(column: term.column, value: raw, levels: term.levels)
                }
                let coded = term.coefficientIndices.count == term.levels.count ? position : position - 1
                if coded >= 0 { x[term.coefficientIndices.lowerBound + coded] = 1 }
            }
        }
        return x
    }

    /// Parses `name=value,name=value` into a map for `row(for:)`.
    public static func predictionPoint(_ text: String) throws(MetaRegressionError) -> [String: String] {
        var values: [String: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw .malformedPredictionPoint(text: text) }
            let name = String(pair[0]).trimmingSpaces()
            guard !name.isEmpty, values[name] == nil else { throw .malformedPredictionPoint(text: text) }
            values[name] = String(pair[1])
        }
        return values
    }

    /// Distinct labels in byte order (R's `sort(..., method = "radix")`, i.e. the C locale).
    public static func sortedLevels(_ labels: [String]) -> [String] {
        Array(Set(labels)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether every cell reads as a number (empty and NA cells aside, which `DataTable.numbers` then reports).
    static func looksNumeric(_ cells: [String]) -> Bool {
        let missing: Set<String> = ["", "na", "nan", "inf", "-inf", "+inf", "infinity", "-infinity"]
        var any = false
        for cell in cells {
            let field = cell.trimmingSpaces()
            if missing.contains(field.lowercased()) { continue }
            guard DataTable.parseDouble(field) != nil else { return false }
            any = true
        }
        return any
    }
}

extension DesignMatrix {
    /// The design of the studies at `rows` (0-based, in that order), with the same columns and names: a refit on
    /// a subset (case deletion) keeps the full model's coefficients, so a column that becomes constant or zero
    /// makes the subset's fit fail rather than silently change what a coefficient means.
    func keepingRows(_ rows: [Int]) -> DesignMatrix {
        var x = Matrix(rows: rows.count, columns: coefficientCount)
        for (i, r) in rows.enumerated() { for j in 0..<coefficientCount { x[i, j] = matrix[r, j] } }
        return DesignMatrix(matrix: x, coefficientNames: coefficientNames, hasIntercept: hasIntercept, terms: terms)
    }
}
