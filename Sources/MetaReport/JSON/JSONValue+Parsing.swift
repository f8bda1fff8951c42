#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetaData

/// Why a JSON document could not be read: the byte offset and what was expected there.
public struct JSONParseError: Error, CustomStringConvertible, Equatable {
    public let offset: Int
    public let expected: String
    public var description: String { "JSON: expected \(expected) at byte \(offset)." }
}

extension JSONValue {
    /// The deepest nesting of arrays and objects the parser reads (a deeper document is refused with
    /// `JSONParseError`, never a stack overflow). MetaSwift's own documents nest at most a few levels.
    public static let maximumNestingDepth = 256
}

extension JSONValue {
    /// Parses a JSON document. Numbers go through `strtod`, so every double is read exactly.
    public init(parsing text: String) throws(JSONParseError) {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        self = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw JSONParseError(offset: parser.index, expected: "end of document") }
    }

    /// Parses a JSON document from its bytes, refusing invalid UTF-8 with the offset of the first bad byte
    /// (decoding them would replace them with U+FFFD silently).
    public init(parsingUTF8 bytes: [UInt8]) throws(JSONParseError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw JSONParseError(offset: DataTable.firstInvalidUTF8(bytes), expected: "UTF-8 text")
        }
        try self.init(parsing: text)
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        /// Arrays and objects open around `index`.
        var depth = 0

        /// Enters an array or object, refusing a document nested deeper than `maximumNestingDepth`.
        mutating func enter() throws(JSONParseError) {
            guard depth < JSONValue.maximumNestingDepth else {
                throw fail("arrays and objects nested at most \(JSONValue.maximumNestingDepth) deep")
            }
            depth += 1
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        func fail(_ expected: String) -> JSONParseError { JSONParseError(offset: index, expected: expected) }

        mutating func literal(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { throw fail(word) }
            index += w.count
            return value
        }

        mutating func value() throws(JSONParseError) -> JSONValue {
            guard index < bytes.count else { throw fail("a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return .number(try number())
            }
        }

        mutating func object() throws(JSONParseError) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            index += 1
            var pairs: [(String, JSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("a key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("':'") }
                index += 1
                skipSpace()
                pairs.append((key, try value()))
                skipSpace()
                guard index < bytes.count else { throw fail("',' or '}'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
                throw fail("',' or '}'")
            }
        }

        mutating func array() throws(JSONParseError) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard index < bytes.count else { throw fail("',' or ']'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw fail("',' or ']'")
            }
        }

        mutating func string() throws(JSONParseError) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll(keepingCapacity: true)
            }
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    index += 1
                    flush()
                    return String(scalars)
                }
                if b == UInt8(ascii: "\\") {
                    flush()
                    index += 1
                    guard index < bytes.count else { break }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            // A high surrogate must be followed by an escaped low surrogate (RFC 8259 §7).
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                            else { throw fail("a \\uDC00-\\uDFFF low surrogate after the high surrogate") }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else {
                                index -= 6
                                throw fail("a \\uDC00-\\uDFFF low surrogate after the high surrogate")
                            }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let s = Unicode.Scalar(code) else { throw fail("a valid \\u escape (not a lone low surrogate)") }
                        scalars.append(s)
                    default: throw fail("an escape character")
                    }
                    continue
                }
                raw.append(b)
                index += 1
            }
            throw fail("closing '\"'")
        }

        /// Exactly four hex digits (no sign, unlike `UInt32(_:radix:)`).
        mutating func hex4() throws(JSONParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("four hex digits") }
            var v: UInt32 = 0
            for b in bytes[index..<index + 4] {
                let digit: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
                default: throw fail("four hex digits")
                }
                v = v << 4 | UInt32(digit)
            }
            index += 4
            return v
        }

        mutating func number() throws(JSONParseError) -> Double {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard index > start else { throw fail("a value") }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = text.withCString { p -> Double? in
                let v = strtod(p, &end)
                return end.map { $0 - UnsafeMutablePointer(mutating: p) } == text.utf8.count ? v : nil
            }
            guard let value else { index = start; throw fail("a number") }
            return value
        }
    }
}
