/// How a moderator column enters the design matrix.
public enum ModeratorCoding: String, CaseIterable, Sendable, Codable {
    /// The column's numbers as given (one coefficient).
    case continuous
    /// A factor with treatment contrasts: the first level in sorted (byte) order is the reference and every
    /// other level gets a 0/1 column named `<column><level>`, as R's `model.matrix` names them.
    case categorical
}
