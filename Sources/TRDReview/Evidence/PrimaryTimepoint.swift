/// How the report shows whether a result is at the trial's primary timepoint (`primary_timepoint` of the data,
/// audit A9): "(primary)", "(not primary)", or ‡ where no available source says which timepoint the
/// trial calls primary. The flag itself stays `Bool?` (nil: not stated) in the typed values and the JSON.
public enum PrimaryTimepoint {
    /// The mark of a result whose primary timepoint no available source states.
    public static let unknownMark = "‡"
    /// The legend the tables and plots print when a row carries the mark.
    public static let legend = "‡ = no available source says whether this is the trial's primary timepoint"

    /// The flag of a result built from several rows: false when any row is not at the primary timepoint, nil when
    /// any row does not say, else true.
    public static func combined(_ flags: [Bool?]) -> Bool? {
        if flags.contains(false) { return false }
        if flags.contains(where: { $0 == nil }) { return nil }
        return true
    }

    /// "24 h ‡", "day 15 (primary)" (not repeated when the timepoint already says so), "Day 1 (not primary)".
    public static func label(_ timepoint: String, _ flag: Bool?) -> String {
        switch flag {
        case nil: return timepoint + " " + unknownMark
        case true?: return timepoint.lowercased().contains("primary") ? timepoint : timepoint + " (primary)"
        case false?: return timepoint + " (not primary)"
        }
    }

    /// `text` with the mark appended when the flag is nil.
    public static func marked(_ text: String, _ flag: Bool?) -> String { flag == nil ? text + " " + unknownMark : text }
}
