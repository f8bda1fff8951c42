/// RFC 4180 record splitting over bytes that may arrive in pieces: the one CSV tokenizer, used by ``DataTable``
/// (the whole file at once) and by ``CSVGroupReader`` (a file streamed in chunks).
///
/// `,` separates fields, a field may be double-quoted with `""` for an embedded quote, and records end at `\n` or
/// `\r\n` (a lone `\r` is data). The delimiters are ASCII, so no UTF-8 sequence can contain one and the bytes can be
/// split anywhere. Blank lines are records of one empty field; the callers decide what they mean.
struct CSVRecordScanner {
    /// The fields of the record being read (complete records are handed to the caller, then cleared).
    private(set) var fields: [String] = []
    /// Which fields (0-based) to keep as text; nil keeps all. Fields not kept are read as empty strings, so the
    /// field count still holds (and their bytes are never copied).
    var keptFields: Set<Int>? {
        didSet {
            guard let keptFields else { keptMask = nil; return }
            var mask = [Bool](repeating: false, count: (keptFields.max() ?? -1) + 1)
            for i in keptFields { mask[i] = true }
            keptMask = mask
            keepsField = keeps(fields.count)
        }
    }
    /// `keptFields` as a lookup by position (beyond its end: not kept).
    private var keptMask: [Bool]?
    /// Whether the field being read is kept (its bytes go to `field`).
    private var keepsField = true
    /// Whether the field being read holds only spaces so far (a quote may open it then).
    private var fieldBlank = true
    /// The field being read when it was one run of ordinary bytes followed by its delimiter (then `field` is empty).
    private var wholeField: String?
    /// Records completed so far (the row number, 1-based among data rows, of the record being read).
    private(set) var recordCount = 0
    private var field: [UInt8] = []
    private var inQuotes = false
    private var wasQuoted = false
    /// A `\r` ended the previous piece outside quotes: data or half of a `\r\n`, decided by the next byte.
    private var pendingCarriageReturn = false

    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, space: UInt8 = 0x20

    /// Scans `bytes`; after each record calls `record(&fields, end)` with `end` the index in `bytes` just past its
    /// line end. The callback may take the fields (they are cleared after it returns). Throws `InputError` for a
    /// malformed quote, and what `record` throws.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>,
                       _ record: (inout [String], Int) throws -> Void) throws {
        var i = 0
        let n = bytes.count
        if pendingCarriageReturn, n > 0 {
            pendingCarriageReturn = false
            if bytes[0] != Self.lf { try ordinary(Self.cr) }
        }
        while i < n {
            let c = bytes[i]
            i += 1
            if inQuotes {
                if c == Self.quote {
                    if i < n {
                        if bytes[i] == Self.quote { field.append(Self.quote); i += 1 } else { inQuotes = false }
                    } else {
                        // The closing quote or the first of a doubled one: the next piece decides.
                        inQuotes = false
                        quoteAtPieceEnd = true
                    }
                } else if keepsField {
                    field.append(c)
                }
                continue
            }
            if quoteAtPieceEnd {
                quoteAtPieceEnd = false
                if c == Self.quote {
                    field.append(Self.quote)
                    inQuotes = true
                    continue
                }
            }
            switch c {
            case Self.quote:
                guard fieldBlank, !wasQuoted else { throw InputError.malformedQuote(row: recordCount) }
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                wasQuoted = true
            case Self.comma:
                endField()
            case Self.cr where i < n && bytes[i] == Self.lf:
                continue
            case Self.cr where i == n:
                pendingCarriageReturn = true
            case Self.lf:
                endField()
                recordCount += 1
                try record(&fields, i)
                fields.removeAll(keepingCapacity: true)
                keepsField = keeps(0)
            default:
                // A run of ordinary bytes up to the next delimiter, quote or carriage return, taken at once.
                var j = i
                while j < n {
                    let d = bytes[j]
                    if d == Self.comma || d == Self.lf || d == Self.quote || d == Self.cr { break }
                    j += 1
                }
                let run = UnsafeBufferPointer(rebasing: bytes[(i - 1)..<j])
                if keepsField, field.isEmpty, !wasQuoted, j < n, bytes[j] == Self.comma || bytes[j] == Self.lf {
                    // The whole field, delimiter next: its text straight from the bytes.
                    wholeField = String(decoding: run, as: UTF8.self)
                } else {
                    try ordinary(run)
                }
                i = j
            }
        }
    }

    /// A `"` ended the previous piece inside quotes: the next byte tells a closing quote from a doubled one.
    private var quoteAtPieceEnd = false

    /// Ends the input: hands over the last record when it has no line end.
    mutating func finish(_ record: (inout [String], Int) throws -> Void) throws {
        quoteAtPieceEnd = false
        if pendingCarriageReturn {
            pendingCarriageReturn = false
            try ordinary(Self.cr)
        }
        if inQuotes { throw InputError.malformedQuote(row: recordCount) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted {
            endField()
            recordCount += 1
            try record(&fields, 0)
            fields.removeAll(keepingCapacity: true)
            keepsField = keeps(0)
        }
    }

    private mutating func ordinary(_ c: UInt8) throws(InputError) {
        if wasQuoted, c != Self.space { throw InputError.malformedQuote(row: recordCount) }
        if c != Self.space { fieldBlank = false }
        if keepsField { field.append(c) }
    }

    /// Bytes outside quotes that are no delimiter: after a closing quote only spaces may follow.
    private mutating func ordinary(_ run: UnsafeBufferPointer<UInt8>) throws(InputError) {
        if wasQuoted || fieldBlank {
            for c in run where c != Self.space {
                if wasQuoted { throw InputError.malformedQuote(row: recordCount) }
                fieldBlank = false
                break
            }
        }
        if keepsField { field.append(contentsOf: run) }
    }

    private mutating func endField() {
        if let whole = wholeField {
            fields.append(whole)
            wholeField = nil
        } else {
            fields.append(keepsField ? String(decoding: field, as: UTF8.self) : "")
        }
        field.removeAll(keepingCapacity: true)
        wasQuoted = false
        fieldBlank = true
        keepsField = keeps(fields.count)
    }

    /// Whether field `index` (0-based) of a record is kept.
    private func keeps(_ index: Int) -> Bool {
        guard let keptMask else { return true }
        return index < keptMask.count && keptMask[index]
    }
}
