/// One element of an XML document: its name, attributes, child elements and character data.
package struct XMLElementNode: Sendable, Equatable {
    package var name: String
    package var attributes: [String: String]
    package var children: [XMLElementNode]
    /// The element's own character data (entities decoded), child elements' text excluded.
    package var text: String
    /// 1-based line of the start tag (for errors).
    package var line: Int

    package func attribute(_ key: String) -> String? { attributes[key] }
    package func children(named name: String) -> [XMLElementNode] { children.filter { $0.name == name } }
    package func child(named name: String) -> XMLElementNode? { children.first { $0.name == name } }
}

/// A small reader of the XML subset that review files use: elements, attributes, character data, the five named
/// entities and numeric character references, CDATA sections; comments, processing instructions and a DOCTYPE
/// (without an internal subset) are skipped. No namespaces, no DTD validation, no external entities.
///
/// The text is decoded from its declared encoding (UTF-8 by default; ISO-8859-1/Latin-1 maps each byte to the
/// code point of the same value). Nesting is bounded by `maxDepth` and the input is read once, so malformed or
/// hostile input ends in an `XMLSubsetError`, never a crash or a hang.
package enum TolerantXMLReader {
    package static let defaultMaxDepth = 64

    /// Parses `bytes` into the root element.
    package static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(XMLSubsetError) -> XMLElementNode {
        let scalars = try decode(bytes)
        var parser = Parser(s: scalars, maxDepth: maxDepth)
        return try parser.document()
    }

    /// The encoding named by the XML declaration (lowercased), or nil when there is no declaration.
    package static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard bytes[start...].starts(with: Array("<?xml".utf8)) else { return nil }
        guard let end = bytes[start...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let head = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let r = head.firstRange(of: "encoding") else { return "utf-8" }
        var rest = head[r.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return "utf-8" }
        rest = rest.dropFirst()
        return String(rest.prefix { $0 != quote }).lowercased()
    }

    static func decode(_ bytes: [UInt8]) throws(XMLSubsetError) -> [Unicode.Scalar] {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .unsupportedEncoding(name: "UTF-16")
        }
        let encoding = declaredEncoding(bytes) ?? "utf-8"
        switch encoding {
        case "iso-8859-1", "latin1", "latin-1", "iso_8859-1", "iso8859-1", "us-ascii", "ascii":
            return bytes.map { Unicode.Scalar($0) }
        case "utf-8", "utf8":
            var start = 0
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
            guard let text = String(validating: bytes[start...], as: UTF8.self) else { throw .invalidBytes(encoding: "UTF-8") }
            return Array(text.unicodeScalars)
        default:
            throw .unsupportedEncoding(name: encoding)
        }
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        let maxDepth: Int
        var i = 0
        var line = 1

        init(s: [Unicode.Scalar], maxDepth: Int) {
            self.s = s
            self.maxDepth = maxDepth
        }

        var atEnd: Bool { i >= s.count }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

        mutating func advance() {
            if s[i] == "\n" { line += 1 }
            i += 1
        }

        func starts(with literal: String) -> Bool {
            var j = i
            for c in literal.unicodeScalars {
                guard j < s.count, s[j] == c else { return false }
                j += 1
            }
            return true
        }

        mutating func skip(_ literal: String) { for _ in literal.unicodeScalars { advance() } }

        mutating func skipSpace() { while let c = peek(), c == " " || c == "\n" || c == "\r" || c == "\t" { advance() } }

        /// Skips past `terminator`; an input ending first is an error about `what`.
        mutating func skip(past terminator: String, what: String) throws(XMLSubsetError) {
            let startLine = line
            while !atEnd {
                if starts(with: terminator) { skip(terminator); return }
                advance()
            }
            throw .malformed(line: startLine, reason: "\(what) is not closed")
        }

        /// Comments, processing instructions, DOCTYPE and white space between elements.
        mutating func skipMisc() throws(XMLSubsetError) {
            while true {
                skipSpace()
                if starts(with: "<!--") { try skip(past: "-->", what: "a comment") }
                else if starts(with: "<?") { try skip(past: "?>", what: "a processing instruction") }
                else if starts(with: "<!DOCTYPE") {
                    if s[i...].prefix(while: { $0 != ">" }).contains("[") {
                        throw .malformed(line: line, reason: "a DOCTYPE with an internal subset is not supported")
                    }
                    try skip(past: ">", what: "the DOCTYPE")
                } else { return }
            }
        }

        mutating func document() throws(XMLSubsetError) -> XMLElementNode {
            try skipMisc()
            guard peek() == "<" else {
                throw atEnd ? .malformed(line: line, reason: "the document has no root element")
                    : .malformed(line: line, reason: "expected '<' to open the root element")
            }
            let root = try element(depth: 1)
            try skipMisc()
            guard atEnd else { throw .malformed(line: line, reason: "text after the root element's end tag") }
            return root
        }

        static func isNameScalar(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", ":": return true
            default: return c.value >= 0x80
            }
        }

        mutating func name() throws(XMLSubsetError) -> String {
            var out = String.UnicodeScalarView()
            while let c = peek(), Self.isNameScalar(c) { out.append(c); advance() }
            guard !out.isEmpty else { throw .malformed(line: line, reason: "expected a name") }
            return String(out)
        }

        /// An element starting at `<`.
        mutating func element(depth: Int) throws(XMLSubsetError) -> XMLElementNode {
            guard depth <= maxDepth else { throw .tooDeep(line: line, limit: maxDepth) }
            let startLine = line
            advance()  // <
            let tag = try name()
            var node = XMLElementNode(name: tag, attributes: [:], children: [], text: "", line: startLine)
            while true {
                skipSpace()
                guard let c = peek() else { throw .malformed(line: startLine, reason: "the start tag <\(tag)> is not closed") }
                if c == "/" {
                    advance()
                    guard peek() == ">" else { throw .malformed(line: line, reason: "expected '>' after '/' in <\(tag)>") }
                    advance()
                    return node
                }
                if c == ">" { advance(); break }
                let key = try name()
                skipSpace()
                guard peek() == "=" else { throw .malformed(line: line, reason: "attribute \(key) of <\(tag)> has no value") }
                advance()
                skipSpace()
                guard let quote = peek(), quote == "\"" || quote == "'" else {
                    throw .malformed(line: line, reason: "the value of attribute \(key) of <\(tag)> is not quoted")
                }
                advance()
                var raw = String.UnicodeScalarView()
                while let v = peek(), v != quote {
                    if v == "<" { throw .malformed(line: line, reason: "'<' inside the value of attribute \(key) of <\(tag)>") }
                    raw.append(v)
                    advance()
                }
                guard !atEnd else { throw .malformed(line: startLine, reason: "the value of attribute \(key) of <\(tag)> is not closed") }
                advance()
                guard node.attributes[key] == nil else {
                    throw .malformed(line: line, reason: "attribute \(key) appears twice in <\(tag)>")
                }
                node.attributes[key] = try decodeEntities(raw, line: line)
            }
            var text = String.UnicodeScalarView()
            while true {
                guard let c = peek() else { throw .malformed(line: startLine, reason: "element <\(tag)> is not closed") }
                if c == "<" {
                    if starts(with: "</") {
                        skip("</")
                        let closing = try name()
                        skipSpace()
                        guard closing == tag, peek() == ">" else {
                            throw .malformed(line: line, reason: "expected </\(tag)> (opened on line \(startLine)); found </\(closing)")
                        }
                        advance()
                        node.text = try decodeEntities(text, line: startLine)
                        return node
                    }
                    if starts(with: "<!--") { try skip(past: "-->", what: "a comment"); continue }
                    if starts(with: "<?") { try skip(past: "?>", what: "a processing instruction"); continue }
                    if starts(with: "<![CDATA[") {
                        skip("<![CDATA[")
                        let cdataLine = line
                        while !starts(with: "]]>") {
                            guard let d = peek() else { throw .malformed(line: cdataLine, reason: "a CDATA section is not closed") }
                            // Escape '&' so that the entity pass below leaves CDATA text as written.
                            if d == "&" { text.append(contentsOf: "&amp;".unicodeScalars) } else { text.append(d) }
                            advance()
                        }
                        skip("]]>")
                        continue
                    }
                    node.children.append(try element(depth: depth + 1))
                } else {
                    text.append(c)
                    advance()
                }
            }
        }

        func decodeEntities(_ raw: String.UnicodeScalarView, line: Int) throws(XMLSubsetError) -> String {
            guard raw.contains("&") else { return String(raw) }
            var out = String.UnicodeScalarView()
            var it = raw.makeIterator()
            while let c = it.next() {
                guard c == "&" else { out.append(c); continue }
                var entity = String.UnicodeScalarView()
                var closed = false
                while let d = it.next() {
                    if d == ";" { closed = true; break }
                    entity.append(d)
                    if entity.count > 10 { break }
                }
                let name = String(entity)
                guard closed else { throw .malformed(line: line, reason: "an '&' does not start an entity (&\(name)...)") }
                switch name {
                case "amp": out.append("&")
                case "lt": out.append("<")
                case "gt": out.append(">")
                case "quot": out.append("\"")
                case "apos": out.append("'")
                default:
                    var value: UInt32?
                    if name.hasPrefix("#x") || name.hasPrefix("#X") { value = UInt32(name.dropFirst(2), radix: 16) }
                    else if name.hasPrefix("#") { value = UInt32(name.dropFirst(), radix: 10) }
                    guard let value, let scalar = Unicode.Scalar(value) else {
                        throw .malformed(line: line, reason: "unknown entity &\(name);")
                    }
                    out.append(scalar)
                }
            }
            return String(out)
        }
    }
}

/// Why a review file could not be read as XML.
package enum XMLSubsetError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupportedEncoding(name: String)
    case invalidBytes(encoding: String)
    case malformed(line: Int, reason: String)
    case tooDeep(line: Int, limit: Int)

    package var description: String {
        switch self {
        case let .unsupportedEncoding(name):
            return "the XML encoding \(name) is not supported; expected ISO-8859-1 (as RevMan 5 writes) or UTF-8"
        case let .invalidBytes(encoding):
            return "the bytes are not valid \(encoding) as the XML declaration says"
        case let .malformed(line, reason):
            return "malformed XML on line \(line): \(reason)"
        case let .tooDeep(line, limit):
            return "elements nest deeper than \(limit) levels on line \(line)"
        }
    }
}
