#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A progress bar on standard error, shown only when standard error is a terminal and output is not being
/// captured (so it never reaches JSON or CSV on standard output, files, pipes or tests).
final class ProgressBar: Sendable {
    private let total: Int
    private let label: String
    private let done = Atomic<Int>(0)
    private let shownPercent = Atomic<Int>(-1)

    /// A bar for `total` steps, or nil when it would not be seen.
    init?(total: Int, label: String) {
        guard total > 0, isatty(2) == 1, !Console.current.isCapturing else { return nil }
        self.total = total
        self.label = label
    }

    /// Records `steps` more finished steps (thread-safe); redraws when the percentage changes.
    func advance(_ steps: Int) {
        let now = done.wrappingAdd(steps, ordering: .relaxed).newValue
        let percent = min(100, now * 100 / total)
        let previous = shownPercent.load(ordering: .relaxed)
        guard percent > previous, shownPercent.compareExchange(expected: previous, desired: percent, ordering: .relaxed).exchanged else { return }
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        write("\r\(label) [\(bar)] \(percent)%")
    }

    /// `advance` as a callback for the library's progress parameters.
    var callback: @Sendable (Int) -> Void { { [self] steps in self.advance(steps) } }

    /// Clears the bar's line.
    func finish() { write("\r" + String(repeating: " ", count: label.count + 40) + "\r") }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
