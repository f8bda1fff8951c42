import MetaData

/// Reading raw counts: the one place where 2×2 and person-time data are checked, used by escalc
/// (`TwoByTwoCalculator`, `PersonTimeCalculator`) and by the stratified methods (MH, Peto, GLMM) alike.
extension TwoByTwoTable {
    /// The 2×2 tables of every row: `ai, bi, ci, di`, or `ai, n1i, ci, n2i` (`bi = n1i − ai`, `di = n2i − ci`).
    ///
    /// - Throws: `InputError` for a missing column, a negative count, events above the group size, or an
    ///   empty group (row and column named).
    static func read(from data: any StudyColumns, columns: [EscalcArgument: String],
                     measure: EffectMeasure) throws(InputError) -> [TwoByTwoTable] {
        try read(EscalcInput(table: data, columns: columns, measure: measure))
    }

    /// The 2×2 tables of `input`'s rows, checked as `read(from:columns:measure:)` says.
    static func read(_ input: EscalcInput) throws(InputError) -> [TwoByTwoTable] {
        let a = try input.column(.ai)
        let c = try input.column(.ci)
        let b = try complement(input, cell: .bi, events: a, total: .n1i)
        let d = try complement(input, cell: .di, events: c, total: .n2i)
        var tables: [TwoByTwoTable] = []
        tables.reserveCapacity(input.rowCount)
        for i in 0..<input.rowCount {
            if a[i] + b[i] <= 0 { throw .inconsistent(row: i + 1, columns: [a.name, b.name], rule: "group 1 has no participants") }
            if c[i] + d[i] <= 0 { throw .inconsistent(row: i + 1, columns: [c.name, d.name], rule: "group 2 has no participants") }
            tables.append(TwoByTwoTable(a: a[i], b: b[i], c: c[i], d: d[i]))
        }
        return tables
    }

    /// The non-event cell: read directly, or as group size minus events.
    private static func complement(_ input: EscalcInput, cell: EscalcArgument, events: EscalcColumn,
                                   total: EscalcArgument) throws(InputError) -> EscalcColumn {
        try input.requireNonNegative(events)
        if input.has(cell) {
            let column = try input.column(cell)
            try input.requireNonNegative(column)
            return column
        }
        let n = try input.either(cell, or: total)
        try input.requireNonNegative(n, "a group size ≥ 0")
        try input.requireEvents(events, notAbove: n)
        return EscalcColumn(argument: cell, name: n.name, values: zip(n.values, events.values).map { $0 - $1 })
    }
}

extension PersonTimeTable {
    /// The event counts and person-times of every row (`x1i, t1i, x2i, t2i`).
    ///
    /// - Throws: `InputError` for a missing column, a negative count or a person-time that is not positive.
    static func read(from data: any StudyColumns, columns: [EscalcArgument: String],
                     measure: EffectMeasure) throws(InputError) -> [PersonTimeTable] {
        try read(EscalcInput(table: data, columns: columns, measure: measure))
    }

    /// The person-time tables of `input`'s rows, checked as `read(from:columns:measure:)` says.
    static func read(_ input: EscalcInput) throws(InputError) -> [PersonTimeTable] {
        let x1 = try input.column(.x1i), t1 = try input.column(.t1i)
        let x2 = try input.column(.x2i), t2 = try input.column(.t2i)
        try input.requireNonNegative(x1)
        try input.requireNonNegative(x2)
        try input.requirePositive(t1, "a person-time > 0")
        try input.requirePositive(t2, "a person-time > 0")
        return (0..<input.rowCount).map { PersonTimeTable(x1: x1[$0], t1: t1[$0], x2: x2[$0], t2: t2[$0]) }
    }
}
