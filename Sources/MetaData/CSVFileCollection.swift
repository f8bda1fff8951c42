#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A collection of analyses held one per CSV file: every `.csv` file of a directory, or the files a manifest lists.
///
/// Only the list of files is held; ``next(_:)`` reads the files of the analyses asked for, so memory holds those
/// analyses, never the collection. A file that cannot be read, or is not a CSV table, is that analysis' failure
/// (its ``CSVGroup/failure`` or its table's error), never the end of the run.
public struct CSVFileCollection: Sendable {
    /// One analysis: its identifier, its file and the values given beside it (a manifest's other columns).
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var path: String
        public var settings: [String: String]
        /// The manifest and the entry's row (1-based, header excluded), nil for a directory's file.
        public var origin: Origin?

        public struct Origin: Sendable, Equatable {
            public var manifest: String
            public var row: Int
        }

        public init(id: String, path: String, settings: [String: String] = [:], origin: Origin? = nil) {
            self.id = id
            self.path = path
            self.settings = settings
            self.origin = origin
        }
    }

    /// The name of the one key column: `file` (a directory: the file's name) or the manifest's identifier column.
    public let keyColumn: String
    public let entries: [Entry]
    /// The next analysis ``next(_:)`` reads (set it to start a slice further on).
    public var position = 0

    public init(keyColumn: String, entries: [Entry]) {
        self.keyColumn = keyColumn
        self.entries = entries
    }

    /// The analyses of a manifest's identifier column.
    public static let manifestIDColumn = "id"
    /// The manifest's column of CSV files (relative to the manifest's folder unless absolute).
    public static let manifestFileColumn = "file"
    /// The key column of a directory's analyses: each file's name.
    public static let directoryKeyColumn = "file"

    /// Every regular file named `*.csv` (any case) in `directory`, not its subdirectories, in byte order of the
    /// names; each file's name is its analysis' identifier.
    ///
    /// - Throws: `DataFileError.unreadable` when the directory cannot be listed or holds no CSV file.
    public init(directory: String) throws(DataFileError) {
        guard let dir = opendir(directory) else {
            throw .unreadable(path: directory, reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.lowercased().hasSuffix(".csv"), !name.hasPrefix(".") else { continue }
            var info = stat()
            let path = Self.joined(directory, name)
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            names.append(name)
        }
        guard !names.isEmpty else { throw .unreadable(path: directory, reason: "the directory holds no .csv file; expected one CSV file per analysis") }
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        self.init(keyColumn: Self.directoryKeyColumn, entries: names.map { Entry(id: $0, path: Self.joined(directory, $0)) })
    }

    /// The analyses a manifest lists: a CSV file with an `id` column (each analysis' identifier, unique) and a `file`
    /// column (its CSV file, relative to the manifest's folder unless absolute), one row per analysis, in the
    /// manifest's order; every other column is kept as that analysis' ``Entry/settings``.
    ///
    /// - Throws: `DataFileError` naming the manifest for a missing column, an empty identifier or file, or an
    ///   identifier given twice.
    public init(manifest: String) throws(DataFileError) {
        let table = try DataTable(contentsOfFile: manifest)
        let folder = manifest.lastIndex(of: "/").map { String(manifest[..<$0]) } ?? "."
        var entries: [Entry] = []
        do throws(InputError) {
            let neededBy = "the manifest (one row per analysis)"
            let ids = try table.strings(Self.manifestIDColumn, neededBy: neededBy)
            let files = try table.strings(Self.manifestFileColumn, neededBy: neededBy)
            let others = table.columnNames.filter { $0 != Self.manifestIDColumn && $0 != Self.manifestFileColumn }
            var otherValues: [[String]] = []
            for name in others { otherValues.append(try table.strings(name, neededBy: neededBy)) }
            var seen: [String: Int] = [:]
            for row in ids.indices {
                let id = ids[row].trimmingSpaces(), file = files[row].trimmingSpaces()
                if id.isEmpty || id == "NA" { throw InputError.missingValue(row: row + 1, column: Self.manifestIDColumn, value: ids[row]) }
                if file.isEmpty || file == "NA" { throw InputError.missingValue(row: row + 1, column: Self.manifestFileColumn, value: files[row]) }
                if let first = seen[id] {
                    throw InputError.inconsistent(row: row + 1, columns: [Self.manifestIDColumn], rule: "'\(id)' is also the id of row \(first); each analysis needs its own id")
                }
                seen[id] = row + 1
                var settings: [String: String] = [:]
                for (c, name) in others.enumerated() { settings[name] = otherValues[c][row].trimmingSpaces() }
                entries.append(Entry(id: id, path: file.hasPrefix("/") ? file : Self.joined(folder, file), settings: settings,
                                     origin: Entry.Origin(manifest: manifest, row: row + 1)))
            }
        } catch {
            throw .input(path: manifest, error)
        }
        self.init(keyColumn: Self.manifestIDColumn, entries: entries)
    }

    /// The next `count` analyses (fewer at the end, or at analysis `end`), each file read whole: `pool` on that file reads the same bytes.
    public mutating func next(_ count: Int, before end: Int = .max) -> [CSVGroup] {
        var out: [CSVGroup] = []
        while out.count < count, position < min(end, entries.count) {
            let entry = entries[position]
            do {
                out.append(CSVGroup(key: [entry.id], index: position, rows: nil, csv: try readFile(entry.path), settings: entry.settings,
                                    settingsOrigin: entry.origin.map { ($0.manifest, $0.row) }))
            } catch {
                out.append(CSVGroup(key: [entry.id], index: position, failure: error))
            }
            position += 1
        }
        return out
    }

    /// Whether every analysis has been handed on.
    public var isFinished: Bool { position == entries.count }

    static func joined(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}

extension CSVFileCollection {
    /// The SHA-256 of the list (each analysis' id and file, in order): the collection's fingerprint, e.g. for shards
    /// of one run.
    public var listingSHA256: String {
        SHA256.hexDigest(Array(entries.map { $0.id + "\t" + $0.path + "\n" }.joined().utf8))
    }
}
