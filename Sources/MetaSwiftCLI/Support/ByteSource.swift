#if canImport(Glibc)
import Glibc
#endif

/// An input file opened once and read front to back, with look-ahead: `peek` reads bytes that later reads return
/// again. A named pipe or `<(command)` can be read only once, so an input is never reopened to look at its start.
final class ByteSource {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    /// Bytes read ahead by `peek`, served before the file's.
    private var pending: [UInt8] = []

    /// Opens `path`; the reason (errno's sentence) when it cannot be read.
    init(path: String) throws(ByteSourceError) {
        guard let file = fopen(path, "rb") else { throw ByteSourceError(path: path, reason: String(cString: strerror(errno))) }
        self.file = file
        self.path = path
    }

    deinit { fclose(file) }

    /// The size of a regular file (nil for a pipe or device).
    var regularFileSize: Int? {
        var info = stat()
        guard fstat(fileno(file), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Up to `count` bytes from the current position, not consumed.
    func peek(_ count: Int) -> [UInt8] {
        if pending.count < count { pending += readFile(count - pending.count) }
        return Array(pending.prefix(count))
    }

    /// Up to `count` bytes (fewer only at the end).
    func read(_ count: Int) -> [UInt8] {
        var out = Array(pending.prefix(count))
        pending.removeFirst(out.count)
        if out.count < count { out += readFile(count - out.count) }
        return out
    }

    /// Everything left.
    func readAll() -> [UInt8] {
        var out = pending
        pending = []
        while true {
            let chunk = readFile(1 << 16)
            if chunk.isEmpty { return out }
            out += chunk
        }
    }

    private func readFile(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress! + filled, 1, count - filled, file) }
            if n == 0 { break }
            filled += n
        }
        return Array(buffer.prefix(filled))
    }
}

/// An input file that cannot be opened.
struct ByteSourceError: Error {
    let path: String
    let reason: String
}
