extension CaseIterable where Self: RawRepresentable, Self.RawValue == String {
    /// The case whose code is `text`, or the only one equal to it ignoring case (`reml` is REML, `rr` is RR): how
    /// codes are read from options and from data columns alike.
    public static func matchingCode(_ text: String) -> Self? {
        if let exact = Self(rawValue: text) { return exact }
        let folded = text.lowercased()
        let matches = allCases.filter { $0.rawValue.lowercased() == folded }
        return matches.count == 1 ? matches.first : nil
    }
}
