#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where progress bars draw, and whether anyone would see them. Commands use `ProgressSink.current`; tests
/// replace it (`ProgressSink.$current.withValue(...)`) to force a terminal and record what was drawn.
public struct ProgressSink: Sendable {
    /// Whether bars should be drawn at all (a terminal is watching).
    public let isTerminal: @Sendable () -> Bool
    /// Writes text exactly as given (carriage returns included).
    public let write: @Sendable (String) -> Void

    public init(isTerminal: @escaping @Sendable () -> Bool, write: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Standard error, when it is a terminal and output is not being captured: never standard output, files,
    /// pipes or JSON/CSV a script reads.
    public static let standardError = ProgressSink(
        isTerminal: { isatty(2) == 1 && !Console.current.isCapturing },
        write: { text in
            var bytes = Array(text.utf8)
            _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        })

    @TaskLocal public static var current = ProgressSink.standardError
}

/// A progress bar for a long loop, drawn on `ProgressSink.current` only when that is a terminal.
///
/// Redraws are throttled by count, not time: the bar is redrawn only when the whole percentage grows, so a
/// loop of any length writes at most 101 frames plus the final newline, whatever the thread count.
final class ProgressBar: Sendable {
    private let total: Int
    private let label: String
    private let sink: ProgressSink
    private let done = Atomic<Int>(0)
    private let shownPercent = Atomic<Int>(-1)
    /// Serialises frames, so a slower thread cannot draw an older percentage over a newer one.
    private let drawing = Mutex<Int>(-1)

    static let width = 30

    /// A bar for `total` steps, or nil when it would not be seen.
    init?(total: Int, label: String, sink: ProgressSink = ProgressSink.current) {
        guard total > 0, sink.isTerminal() else { return nil }
        self.total = total
        self.label = label
        self.sink = sink
    }

    /// Records `steps` more finished steps (thread-safe); redraws when the whole percentage grows.
    func advance(_ steps: Int) {
        let now = done.wrappingAdd(steps, ordering: .relaxed).newValue
        let percent = min(100, now * 100 / total)
        let previous = shownPercent.load(ordering: .relaxed)
        guard percent > previous, shownPercent.compareExchange(expected: previous, desired: percent, ordering: .relaxed).exchanged else { return }
        draw(percent)
    }

    /// `advance` as a callback for the library's progress parameters.
    var callback: @Sendable (Int) -> Void { { [self] steps in self.advance(steps) } }

    /// Draws the final state and ends the line, so whatever is printed next starts on a fresh line. Calling it
    /// again does nothing.
    func finish() {
        let percent = min(100, done.load(ordering: .relaxed) * 100 / total)
        drawing.withLock { shown in
            guard shown != Self.finished else { return }
            if percent > shown { sink.write(Self.frame(label: label, percent: percent)) }
            shown = Self.finished
            sink.write("\n")
        }
    }

    /// What `drawing` holds once the bar is finished: above every percentage, so nothing is drawn after it.
    private static let finished = 101

    private func draw(_ percent: Int) {
        drawing.withLock { shown in
            guard percent > shown else { return }
            shown = percent
            sink.write(Self.frame(label: label, percent: percent))
        }
    }

    /// One frame: back to the start of the line, then "label [#####     ]  50%".
    static func frame(label: String, percent: Int) -> String {
        let filled = percent * width / 100
        let number = String(percent)
        return "\r\(label) [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            + String(repeating: " ", count: 3 - number.count) + number + "%"
    }
}
