/// An input of `escalc`, named as metafor names its arguments. A CSV column with this name is used by default;
/// `EffectSizes.compute(measure:data:columns:options:)` takes a map to other column names.
public enum EscalcArgument: String, CaseIterable, Sendable, Codable {
    case ai, bi, ci, di, n1i, n2i
    case m1i, m2i, sd1i, sd2i
    case xi, mi, ni, ri
    /// One group's standard deviation (MN, SMN, SDLN, MNLN, CVLN: `mi, sdi, ni`).
    case sdi
    /// A coefficient of determination R² (R2, ZR2; SPCOR, ZSPCOR: the full model's R²).
    case r2i
    case x1i, x2i, t1i, t2i, ti
    case yi, vi, sei
    /// A group's reported median with its range and/or quartiles, for two-group continuous measures whose
    /// study reports those instead of `m1i`/`sd1i` (or `m2i`/`sd2i`): see ``QuantileSummary``.
    case median1i, min1i, max1i, q1_1i, q3_1i
    case median2i, min2i, max2i, q1_2i, q3_2i
    /// Study labels (metafor's `slab`); optional, 1-based row numbers when absent.
    case study
}
