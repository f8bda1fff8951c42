import MetaData
import MetaAnalysis
import MetaNumerics

/// Where command output goes. Commands write through `Console.current`, so tests can run them in-process
/// and read what they printed.
public final class Console: @unchecked Sendable {
    public private(set) var standardOutput = ""
    public private(set) var standardError = ""
    private let capturing: Bool

    public init(capturing: Bool) { self.capturing = capturing }

    /// Whether output is captured (tests) rather than written to the terminal.
    public var isCapturing: Bool { capturing }

    @TaskLocal public static var current = Console(capturing: false)

    /// Why writing to standard output failed (errno's sentence), or nil.
    private(set) var writeFailure: String?

    public func write(_ text: String) {
        if capturing { standardOutput += text; return }
        guard writeFailure == nil else { return }
        var text = text
        // Unbuffered write(2) on descriptor 1, so that a failure is seen here, not lost at exit.
        text.withUTF8 { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(1, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    writeFailure = String(cString: strerror(errno))
                    return
                }
                done += n
            }
        }
    }

    /// The first error writing standard output (e.g. a full disk, `> /dev/full`) as an `OutputError`.
    func finishWriting() throws(OutputError) {
        if let writeFailure { throw .cannotWrite(path: "standard output", reason: writeFailure) }
    }

    public func writeError(_ text: String) {
        if capturing {
            standardError += text
        } else {
            var stream = StandardErrorStream()
            stream.write(text)
        }
    }
}

/// An error whose `description` is the one sentence shown to the user (library errors), as opposed to
/// argument-parser errors, which keep their usage hint.
public protocol UserFacingError: Error, CustomStringConvertible {}

extension InputError: UserFacingError {}
extension DataFileError: UserFacingError {}
extension NumericsError: UserFacingError {}
extension MetaRegressionError: UserFacingError {}
extension SamplingCovarianceError: UserFacingError {}
extension MultilevelModelError: UserFacingError {}

struct StandardErrorStream: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
