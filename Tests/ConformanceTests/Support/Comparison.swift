import MetaReport

/// One difference between a computed result and the reference, with its JSON path.
struct Mismatch: CustomStringConvertible {
    let path: String
    let message: String
    var description: String { "\(path): \(message)" }
}

/// Compares `actual` against `expected` recursively: every field of the reference must be present and agree
/// (extra fields in `actual` are allowed). A reference `null` (NA) accepts a missing field or `null`.
func compare(_ actual: JSONValue?, _ expected: JSONValue, tolerance: Tolerance, path: String = "",
             excluding: Set<String> = []) -> [Mismatch] {
    if expected == .null {
        if let actual, actual != .null { return [Mismatch(path: path, message: "expected NA, got \(actual.serialized(indent: nil))")] }
        return []
    }
    guard let actual else { return [Mismatch(path: path, message: "missing (expected \(expected.serialized(indent: nil).prefix(80)))")] }
    if let e = expected.doubleValue {
        guard let a = actual.doubleValue else { return [Mismatch(path: path, message: "expected number \(e), got \(actual.serialized(indent: nil).prefix(80))")] }
        if tolerance.accepts(actual: a, expected: e) { return [] }
        if tolerance.acceptsNearZeroHeterogeneity(field: fieldName(path), actual: a, expected: e) { return [] }
        let rel = abs(a - e) / max(abs(e), 1e-300)
        return [Mismatch(path: path, message: "\(a) vs reference \(e) (rel diff \(rel); \(tolerance))")]
    }
    switch expected {
    case let .array(items):
        guard let got = actual.arrayValue else { return [Mismatch(path: path, message: "expected an array")] }
        guard got.count == items.count else {
            return [Mismatch(path: path, message: "expected \(items.count) elements, got \(got.count)")]
        }
        return zip(got, items).enumerated().flatMap { i, pair in
            compare(pair.0, pair.1, tolerance: tolerance, path: "\(path)[\(i)]")
        }
    case let .object(pairs):
        guard actual.objectValue != nil else { return [Mismatch(path: path, message: "expected an object")] }
        return pairs.filter { !excluding.contains($0.0) }.flatMap { key, value in
            compare(actual[key], value, tolerance: tolerance, path: path.isEmpty ? key : "\(path).\(key)")
        }
    default:
        return actual == expected ? [] : [Mismatch(path: path, message: "expected \(expected.serialized(indent: nil)), got \(actual.serialized(indent: nil))")]
    }
}

/// The last field name of a JSON path (`confint.tau[0]` → `tau`).
private func fieldName(_ path: String) -> String {
    let last = path.split(separator: ".").last.map(String.init) ?? path
    return last.split(separator: "[").first.map(String.init) ?? last
}
