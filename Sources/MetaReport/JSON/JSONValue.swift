/// A JSON document with ordered object keys, so output is deterministic and reads in the order written.
///
/// Numbers are written in the shortest form that round-trips to the same `Double`, and parsed with
/// `strtod`, so a value written and read back is bit-identical. Non-finite numbers are written as the
/// strings `"NaN"`, `"Inf"` and `"-Inf"` (the conformance bank's convention).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value under `key` of an object (first match), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The number this value holds, reading the strings "NaN", "Inf", "-Inf" as doubles.
    public var doubleValue: Double? {
        switch self {
        case let .number(x): return x
        case .string("NaN"): return .nan
        case .string("Inf"): return .infinity
        case .string("-Inf"): return -.infinity
        default: return nil
        }
    }

    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    public var objectValue: [(String, JSONValue)]? {
        if case let .object(o) = self { return o }
        return nil
    }

    /// A number, or the bank's string for a non-finite double.
    public static func double(_ x: Double) -> JSONValue {
        if x.isNaN { return .string("NaN") }
        if x.isInfinite { return .string(x > 0 ? "Inf" : "-Inf") }
        return .number(x)
    }

    /// A number or `null` (NA).
    public static func double(_ x: Double?) -> JSONValue {
        guard let x else { return .null }
        return double(x)
    }

    public static func doubles(_ xs: [Double]) -> JSONValue {
        .array(xs.map { double($0) })
    }

    public static func doubles(_ xs: [Double?]) -> JSONValue {
        .array(xs.map { double($0) })
    }
}
