import Testing

/// One group's pass/pending/failing tally (shared by the v5b groups): a pending case that passes fails the run until
/// pending.txt drops it; a failing case records its first mismatches.
enum ConformanceTally {
    static func run(group: String, ids: [String], pending: Set<String>, problems: (String) throws -> [Mismatch]) rethrows {
        var passed = 0, failing = 0, pendingFailures = 0
        for id in ids {
            let found = try problems(id)
            if pending.contains(id) {
                if found.isEmpty { Issue.record("\(id) passes now: remove it from pending.txt") } else { pendingFailures += 1 }
            } else if found.isEmpty {
                passed += 1
            } else {
                failing += 1
                let shown = found.prefix(8).map(\.description).joined(separator: "\n  ")
                let more = found.count > 8 ? "\n  … and \(found.count - 8) more" : ""
                Issue.record("\(id):\n  \(shown)\(more)")
            }
        }
        print("conformance \(group): \(passed)/\(ids.count) pass, \(pendingFailures) pending, \(failing) failing")
    }
}
