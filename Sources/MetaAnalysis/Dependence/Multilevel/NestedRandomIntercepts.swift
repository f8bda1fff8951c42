import MetaData

/// A random-intercepts term `~ 1 | a/b/…` of a multilevel model: one variance component σ²ₗ per nesting level,
/// level ℓ grouping the effects by the combination of the first ℓ factors (`a`, then `a/b`, …), so effects in
/// the same `a` share u₁, effects in the same `a/b` also share u₂, and so on (Konstantopoulos 2011).
///
/// A factor with a distinct value per effect (`~ 1 | study/esid` with a unique `esid`) is the residual
/// heterogeneity of the effects within their study.
public struct NestedRandomIntercepts: Sendable, Equatable {
    /// The factor columns from the outermost to the innermost.
    public let factors: [String]

    /// - Throws: ``MultilevelModelError/malformedRandomFormula(_:reason:)`` when `factors` is empty, names a
    ///   column twice or holds an empty name.
    public init(factors: [String]) throws(MultilevelModelError) {
        if let reason = Self.problem(with: factors) {
            throw .malformedRandomFormula("~ 1 | " + factors.joined(separator: "/"), reason: reason)
        }
        self.factors = factors
    }

    /// Parses R's formula `~ 1 | a/b/c` (spaces optional).
    /// - Throws: ``MultilevelModelError/malformedRandomFormula(_:reason:)`` naming what is wrong.
    public init(formula: String) throws(MultilevelModelError) {
        var text = formula.trimmingSpaces()
        guard text.hasPrefix("~") else { throw .malformedRandomFormula(formula, reason: "it does not start with '~'") }
        text.removeFirst()
        let sides = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard sides.count == 2 else { throw .malformedRandomFormula(formula, reason: "expected one '|' between '1' and the grouping columns") }
        guard sides[0] == "1" else {
            throw .malformedRandomFormula(formula, reason: "only random intercepts '~ 1 | a/b' are supported here; found '\(sides[0])' before '|'")
        }
        let names = sides[1].split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        if let reason = Self.problem(with: names) { throw .malformedRandomFormula(formula, reason: reason) }
        factors = names
    }

    private static func problem(with factors: [String]) -> String? {
        if factors.isEmpty { return "it names no grouping column" }
        if factors.contains(where: \.isEmpty) { return "a grouping column name is empty" }
        if Set(factors).count != factors.count { return "a grouping column appears twice" }
        return nil
    }

    /// The formula as R writes it.
    public var formula: String { "~ 1 | " + factors.joined(separator: "/") }

    /// One grouping per nesting level, built from each factor column's labels (one per effect).
    /// - Throws: ``MultilevelModelError/labelCountMismatch(column:labels:effects:)`` when a column has the wrong length.
    public func groupings(labels: [String: [String]], effectCount k: Int) throws(MultilevelModelError) -> [RandomGrouping] {
        var columns: [[String]] = []
        for f in factors {
            guard let l = labels[f] else { throw .missingGroupingColumn(column: f, formula: formula) }
            guard l.count == k else { throw .labelCountMismatch(column: f, labels: l.count, effects: k) }
            columns.append(l)
        }
        return (1...factors.count).map { depth in
            RandomGrouping(name: factors[0..<depth].joined(separator: "/"), columns: Array(columns[0..<depth]))
        }
    }

    /// The groupings read from `table` at data rows `rows` (0-based).
    /// - Throws: ``MultilevelModelError/missingGroupingColumn(column:formula:)`` for a column not in the table;
    ///   `InputError` for an empty or NA cell.
    public func groupings(from table: DataTable, rows: [Int]) throws -> [RandomGrouping] {
        var labels: [String: [String]] = [:]
        for f in factors {
            guard table.hasColumn(f) else { throw MultilevelModelError.missingGroupingColumn(column: f, formula: formula) }
            labels[f] = try table.labels(f, neededBy: "the random term '\(formula)'", rows: rows)
        }
        return try groupings(labels: labels, effectCount: rows.count)
    }
}

/// A grouping factor of a random effect: the level of every effect, with levels labelled and ordered as metafor
/// does (`"11"`, `"11/1"`; by each component in turn, numerically when that column is numeric).
public struct RandomGrouping: Sendable, Equatable {
    /// `a` or `a/b`: the factor's name in metafor's output.
    public let name: String
    /// The distinct levels in order.
    public let levels: [String]
    /// For each effect, the index of its level in `levels`.
    public let levelOfEffect: [Int]

    /// The number of levels (metafor's `nlvls`).
    public var levelCount: Int { levels.count }

    /// A grouping by the combination of `columns` (each one label per effect).
    public init(name: String, columns: [[String]]) {
        precondition(!columns.isEmpty)
        let k = columns[0].count
        let numeric = columns.map { $0.allSatisfy { DataTable.parseDouble($0) != nil } }
        let keys = (0..<k).map { i in columns.map { $0[i] } }
        var seen: [[String]: Int] = [:]
        var distinct: [[String]] = []
        for key in keys where seen[key] == nil {
            seen[key] = distinct.count
            distinct.append(key)
        }
        func precedes(_ a: [String], _ b: [String]) -> Bool {
            for (c, (x, y)) in zip(a, b).enumerated() where x != y {
                if numeric[c], let u = DataTable.parseDouble(x), let v = DataTable.parseDouble(y), u != v { return u < v }
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
            return false
        }
        let ordered = distinct.sorted(by: precedes)
        var index: [[String]: Int] = [:]
        for (i, key) in ordered.enumerated() { index[key] = i }
        self.name = name
        levels = ordered.map { $0.joined(separator: "/") }
        levelOfEffect = keys.map { index[$0]! }
    }
}
