/// One moderator of a meta-regression: a data column and how it is coded.
public struct Moderator: Sendable, Equatable {
    /// The CSV column.
    public var column: String
    /// The coding; nil detects it (a column whose every cell is a number is continuous, otherwise categorical).
    public var coding: ModeratorCoding?

    public init(column: String, coding: ModeratorCoding? = nil) {
        self.column = column
        self.coding = coding
    }
}

/// A moderator as it entered a design: its coding, its levels (categorical; the first is the reference) and
/// the design columns it produced.
public struct DesignTerm: Sendable, Equatable {
    public let column: String
    public let coding: ModeratorCoding
    /// Sorted levels, reference first (empty for continuous moderators).
    public let levels: [String]
    /// The indices of this term's columns in the design.
    public let coefficientIndices: Range<Int>

    public init(column: String, coding: ModeratorCoding, levels: [String], coefficientIndices: Range<Int>) {
        self.column = column
        self.coding = coding
        self.levels = levels
        self.coefficientIndices = coefficientIndices
    }
}
