import MetaData

/// The input check every publication-bias analysis starts with: finite effect sizes, finite positive variances.
enum StudyValueCheck {
    /// - Throws: `InputError.notFinite` naming the row and column (yi or vi) of a non-finite value,
    ///   `InputError.nonPositiveVariance` for v_i ≤ 0.
    static func validate(effectSizes y: [Double], samplingVariances v: [Double]) throws {
        precondition(y.count == v.count, "effect sizes and variances must have equal length")
        for i in 0..<y.count {
            guard y[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "yi", value: String(y[i])) }
            guard v[i].isFinite else { throw InputError.notFinite(row: i + 1, column: "vi", value: String(v[i])) }
            guard v[i] > 0 else { throw InputError.nonPositiveVariance(study: String(i + 1), row: i + 1, value: v[i]) }
        }
    }
}
