#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data file that could not be read, or whose content is bad.
public enum DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case input(path: String, InputError)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "Cannot read '\(path)': \(reason)."
        case let .input(path, error): return "\(path): \(error.description)"
        }
    }
}

/// Reads a whole file with POSIX calls (no Foundation in the library).
func readFile(_ path: String) throws(DataFileError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if n < buffer.count {
            if ferror(file) != 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            break
        }
    }
    return bytes
}
