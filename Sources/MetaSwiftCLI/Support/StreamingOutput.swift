#if canImport(Glibc)
import Glibc
#endif

/// Output written piece by piece, for results too large to hold: to a temporary file beside `--out` that is
/// renamed over it by `commit()` (a reader never sees half a file; without `commit()` it is removed), or to
/// the console when there is no `--out`.
final class StreamingOutput {
    private let path: String?
    private let temporary: String
    private var file: UnsafeMutablePointer<FILE>?

    init(path: String?) throws(OutputError) {
        self.path = path
        temporary = (path ?? "") + ".tmp-\(getpid())"
        if let path {
            guard let file = fopen(temporary, "wb") else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            self.file = file
        }
    }

    deinit {
        if let file {
            fclose(file)
            unlink(temporary)
        }
    }

    /// Whether the output goes to a file (binary output needs one).
    var isFile: Bool { path != nil }

    func write(_ text: String) throws(OutputError) {
        guard file != nil else {
            Console.current.write(text)
            return
        }
        var text = text
        try check(text.withUTF8 { put(UnsafeRawBufferPointer($0)) })
    }

    func write(_ bytes: [UInt8]) throws(OutputError) {
        try check(bytes.withUnsafeBytes { put($0) })
    }

    /// Writes `bytes` to the file; false on a short write.
    private func put(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let file else { preconditionFailure("binary output needs a file") }
        return bytes.isEmpty || fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count
    }

    private func check(_ written: Bool) throws(OutputError) {
        if !written { throw .cannotWrite(path: path ?? "-", reason: String(cString: strerror(errno))) }
    }

    /// Closes the file and renames it over `--out`.
    func commit() throws(OutputError) {
        guard let file, let path else { return }
        self.file = nil
        guard fclose(file) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
    }
}
