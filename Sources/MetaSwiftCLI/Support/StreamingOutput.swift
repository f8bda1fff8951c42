#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Output written piece by piece, for results too large to hold: to a temporary file beside `--out` that is
/// renamed over it by `commit()` (a reader never sees half a file; without `commit()` it is removed, also when
/// the process is interrupted or terminated), or to the console when there is no `--out`.
///
/// `--out` naming an input of the command (the same file, through any path) is refused: inputs are never
/// overwritten. An existing `--out` that is not a regular file (a device such as /dev/null, a named pipe) is
/// written in place: renaming over it would replace the node with a regular file.
final class StreamingOutput {
    private let path: String?
    /// The file renamed over `path` by `commit()`; nil when writing in place or to the console.
    private let temporary: String?
    private var file: UnsafeMutablePointer<FILE>?

    init(path: String?) throws(OutputError) {
        self.path = path
        guard let path else {
            temporary = nil
            return
        }
        try Self.refuseInput(path)
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            guard info.st_mode & S_IFMT != S_IFDIR else { throw .cannotWrite(path: path, reason: "it is a directory") }
            guard let file = fopen(path, "wb") else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            self.file = file
            temporary = nil
            return
        }
        let temporary = path + ".tmp-\(getpid())"
        TemporaryFiles.register(temporary)
        guard let file = fopen(temporary, "wb") else {
            TemporaryFiles.unregister(temporary)
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        self.file = file
        self.temporary = temporary
    }

    deinit {
        if let file {
            fclose(file)
            if let temporary {
                unlink(temporary)
                TemporaryFiles.unregister(temporary)
            }
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
        defer { if let temporary { TemporaryFiles.unregister(temporary) } }
        guard fclose(file) == 0 else {
            let reason = String(cString: strerror(errno))
            if let temporary { unlink(temporary) }
            throw .cannotWrite(path: path, reason: reason)
        }
        guard let temporary else { return }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
    }

    /// Refuses an existing `path` that is the same file (device and inode) as a file named on the command line
    /// other than as `--out`'s value: the command's inputs.
    private static func refuseInput(_ path: String) throws(OutputError) {
        var target = stat()
        guard stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFREG else { return }
        let arguments = Invocation.arguments
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            i += 1
            if word == "--out" { i += 1; continue }
            if word.hasPrefix("--out=") { continue }
            let candidate = word.hasPrefix("--") ? word.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) : word
            guard let candidate, !candidate.isEmpty else { continue }
            var info = stat()
            if stat(candidate, &info) == 0, info.st_dev == target.st_dev, info.st_ino == target.st_ino {
                throw .cannotWrite(path: path, reason: "it is the input file '\(candidate)', and inputs are never overwritten")
            }
        }
    }
}

/// The temporary files of unfinished outputs, removed if SIGINT, SIGTERM or SIGHUP ends the process (a killed
/// GOSH run left gigabytes behind). The handler only calls `unlink`, which is async-signal-safe, on C strings
/// kept in a fixed table, then re-raises the signal with its default action.
enum TemporaryFiles {
    private static let capacity = 64
    private static let table = Mutex<[String: Int]>([:])
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            _ = Glibc.signal(signal) { received in
                for i in 0..<TemporaryFiles.capacity { if let p = TemporaryFiles.slots[i] { unlink(p) } }
                _ = Glibc.signal(received, SIG_DFL)
                raise(received)
            }
            sigaddset(&unblock, signal)
        }
        // A parent may start us with these signals blocked (then they would never end the run).
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return slots
    }()

    static func register(_ path: String) {
        let slots = slots
        table.withLock { table in
            guard table[path] == nil, let free = (0..<capacity).first(where: { slots[$0] == nil }) else { return }
            slots[free] = strdup(path)
            table[path] = free
        }
    }

    static func unregister(_ path: String) {
        let slots = slots
        table.withLock { table in
            guard let slot = table.removeValue(forKey: path) else { return }
            let p = slots[slot]
            slots[slot] = nil
            free(p)
        }
    }
}
