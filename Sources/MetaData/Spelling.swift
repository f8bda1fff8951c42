/// Suggestions for mistyped names (commands, option values, columns): the closest candidate by edit distance.
public enum Spelling {
    /// The candidate closest to `word` (case-insensitive optimal-string-alignment distance: insertions, deletions,
    /// substitutions and adjacent transpositions), if it is close enough to be a likely typo — at most 1 edit for
    /// words of up to 4 characters, 2 beyond — and no other candidate is as close.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        guard !w.isEmpty else { return nil }
        var best: (candidate: String, distance: Int)?
        var tied = false
        for candidate in candidates {
            let d = distance(w, Array(candidate.lowercased()))
            if best == nil || d < best!.distance {
                best = (candidate, d)
                tied = false
            } else if d == best!.distance, candidate.lowercased() != best!.candidate.lowercased() {
                tied = true
            }
        }
        guard let best, !tied else { return nil }
        let allowed = min(w.count, best.candidate.count) <= 4 ? 1 : 2
        return best.distance <= allowed ? best.candidate : nil
    }

    /// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = Swift.min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
