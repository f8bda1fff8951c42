/// An input of `escalc`, named as metafor names its arguments. A CSV column with this name is used by default;
/// `EffectSizes.compute(measure:data:columns:options:)` takes a map to other column names.
public enum EscalcArgument: String, CaseIterable, Sendable, Codable {
    case ai, bi, ci, di, n1i, n2i
    case m1i, m2i, sd1i, sd2i
    case xi, mi, ni, ri
    case x1i, x2i, t1i, t2i, ti
    case yi, vi, sei
    /// Study labels (metafor's `slab`); optional, 1-based row numbers when absent.
    case study
}
