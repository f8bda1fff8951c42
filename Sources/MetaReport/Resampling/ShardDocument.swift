import MetaAnalysis

/// Typed reads of a shard file's JSON fields, each failing with the one error that says what the file should be.
struct ShardDocument {
    let json: JSONValue
    let invalid: ResamplingError

    init(_ json: JSONValue, invalid: ResamplingError) {
        self.json = json
        self.invalid = invalid
    }

    /// A whole number (written as a JSON number).
    func int(_ v: JSONValue?) throws(ResamplingError) -> Int {
        guard let x = v?.doubleValue, x == x.rounded(), abs(x) < 1e15 else { throw invalid }
        return Int(x)
    }

    func string(_ key: String) throws(ResamplingError) -> String {
        guard let s = json[key]?.stringValue else { throw invalid }
        return s
    }

    func bool(_ v: JSONValue?) throws(ResamplingError) -> Bool {
        guard case let .bool(b)? = v else { throw invalid }
        return b
    }

    /// An array of doubles (non-finite values in the bank's strings).
    func doubles(_ v: JSONValue?) throws(ResamplingError) -> [Double] {
        guard let items = v?.arrayValue else { throw invalid }
        var out: [Double] = []
        for item in items {
            guard let x = item.doubleValue else { throw invalid }
            out.append(x)
        }
        return out
    }
}
